"""Word documents (.docx) in and out, through python-docx.

Blocks: every paragraph with text, in the body (table cells, text boxes included), the
headers and footers, the footnotes and the endnotes. Inline formatting becomes placeholders:
runs whose visible formatting (bold, italics, underline, size, colour, character style...)
differs from the paragraph's main formatting are ``<b1>…</b1>``, ``<i2>…</i2>``, ``<g3>…</g3>``;
hyperlinks ``<a4>…</a4>``; footnote references, line breaks, images, fields and other
text-less things ``<x5/>``. Writing puts the English text into the same paragraphs: paragraph
properties (style, numbering), tables, sections, headers/footers and footnotes stay as they
were; bookmarks and comment ranges move to the paragraph's start/end; tracked deletions and
spelling marks are dropped.
"""

from __future__ import annotations

import io
import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from workbench.errors import InputError
from workbench.formats import Block
from workbench.formats.tags import tokens

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


#: Paragraph children that wrap runs and can be flattened.
_FLATTEN = {_w(t) for t in ("ins", "smartTag", "customXml", "dir", "bdo", "moveTo")}
#: Paragraph children dropped on writing (no visible content).
_DROP = {_w(t) for t in ("proofErr", "del", "moveFrom", "permStart", "permEnd")}
#: Markers kept, moved to the paragraph's start ("Start") or end ("End").
_MARKERS = {_w(t) for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")}
#: Run children that are text.
_SKIP_IN_RUN = {_w(t) for t in ("rPr", "lastRenderedPageBreak", "softHyphen", "delText", "delInstrText")}
#: The visible run properties that decide whether two runs look the same.
_VISIBLE = {_w(t) for t in ("rStyle", "b", "i", "u", "strike", "dstrike", "vertAlign", "caps", "smallCaps", "color", "highlight", "sz", "vanish", "shd", "em")}


def _key(rpr: Any) -> str:
    if rpr is None:
        return ""
    from lxml import etree

    parts = []
    for child in rpr:
        if child.tag in _VISIBLE:
            attrs = sorted((k, v) for k, v in child.attrib.items() if "rsid" not in k)
            parts.append(etree.QName(child).localname + repr(attrs))
    return "|".join(sorted(parts))


def _tag_name(key: str, base: str) -> str:
    """A short name for how a run differs from the paragraph's main formatting."""
    extra = set(key.split("|")) - set(base.split("|")) - {""}
    missing = set(base.split("|")) - set(key.split("|")) - {""}
    if missing or len(extra) != 1:
        return "g"
    (only,) = extra
    name = only.split("[", 1)[0]
    if name == "vertAlign":
        return "sup" if "superscript" in only else "sub" if "subscript" in only else "g"
    if name in ("b", "i", "u"):
        return name if "'0'" not in only and "'false'" not in only and "'none'" not in only else "g"
    return "g"


@dataclass
class _Item:
    kind: str  # "text", "obj" (in a run), "pobj" (a paragraph child), "marker"
    text: str = ""
    el: Any = None
    rpr: Any = None
    link: Any = None


@dataclass
class _Para:
    p: Any
    kind: str
    base_rpr: Any
    markers: list[Any]
    places: dict[int, tuple[str, Any, Any]] = field(default_factory=dict)  # num -> (type, element(s), rpr)
    text: str = ""
    link_num: int = 0  # while reading: the open link's number
    fmt_key: str = ""  # while reading: the open formatting tag's run properties


#: Characters that end a line for the segmenter (str.splitlines): never inside a block.
_LINE_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def _walk(el: Any, out: list[_Item], link: Any = None) -> None:
    for child in el:
        tag = child.tag
        if tag == _w("pPr") or not isinstance(tag, str):
            continue
        if tag == _w("r"):
            _run(child, out, link)
        elif tag == _w("hyperlink") and link is None:
            _walk(child, out, child)
        elif tag in _FLATTEN:
            _walk(child, out, link)
        elif tag in _DROP:
            continue
        elif tag in _MARKERS:
            out.append(_Item("marker", el=child))
        else:  # fldSimple, sdt, oMath...: kept whole
            out.append(_Item("pobj", el=child, link=link))


def _run(r: Any, out: list[_Item], link: Any) -> None:
    rpr = r.find(_w("rPr"))
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append(_Item("text", text="".join(buf), rpr=rpr, link=link))
            buf.clear()

    for c in r:
        tag = c.tag
        if not isinstance(tag, str) or tag in _SKIP_IN_RUN:
            continue
        if tag == _w("t"):
            buf.append(c.text or "")
        elif tag == _w("tab"):
            buf.append("\t")
        elif tag == _w("noBreakHyphen"):
            buf.append("\u2011")
        else:  # br, footnoteReference, drawing, fldChar, instrText, sym...
            flush()
            out.append(_Item("obj", el=c, rpr=rpr, link=link))
    flush()


def _paragraph(p: Any, kind: str) -> _Para | None:
    items: list[_Item] = []
    _walk(p, items)
    weights: dict[str, int] = {}
    first_rpr: dict[str, Any] = {}
    for it in items:
        if it.kind == "text" and it.link is None:
            k = _key(it.rpr)
            weights[k] = weights.get(k, 0) + len(it.text.strip() or " ")
            first_rpr.setdefault(k, it.rpr)
    if not any(it.kind == "text" and it.text.strip() for it in items):
        return None
    base = max(weights, key=lambda k: weights[k]) if weights else ""
    base_rpr = first_rpr.get(base)
    if base_rpr is None and not weights:  # all text in links: the paragraph mark's formatting
        base_rpr = None
    para = _Para(p=p, kind=kind, base_rpr=base_rpr, markers=[it.el for it in items if it.kind == "marker"])
    out: list[str] = []
    num = 0
    open_link: Any = None
    open_fmt: str | None = None  # key of the open formatting tag
    pending_objs: list[tuple[Any, Any, str]] = []

    def close_fmt() -> None:
        nonlocal open_fmt
        if open_fmt is not None:
            out.append(f"</{open_fmt}>")
            open_fmt = None

    def flush_objs() -> None:
        nonlocal num
        if pending_objs:
            num += 1
            para.places[num] = ("obj", list(pending_objs), None)
            out.append(f"<x{num}/>")
            pending_objs.clear()

    for it in items:
        if it.kind == "marker":
            continue
        if it.link is not open_link:
            flush_objs()
            close_fmt()
            if open_link is not None:
                out.append(f"</a{para.link_num}>")
                open_link = None
            if it.link is not None:
                num += 1
                first = next((x.rpr for x in items if x.link is it.link and x.kind == "text"), None)
                para.places[num] = ("link", it.link, first)
                para.link_num = num
                out.append(f"<a{num}>")
                open_link = it.link
        if it.kind in ("obj", "pobj"):
            pending_objs.append((it.el, it.rpr, "run" if it.kind == "obj" else "para"))
            continue
        flush_objs()
        text = _LINE_BREAKS.sub(" ", it.text)
        if open_link is not None:
            out.append(_escape(text))
            continue
        k = _key(it.rpr)
        want = None if k == base else k
        if open_fmt is not None and want != para.fmt_key:
            close_fmt()
        if want is not None and open_fmt is None:
            num += 1
            name = _tag_name(k, base)
            para.places[num] = ("fmt", None, it.rpr)
            para.fmt_key = k
            open_fmt = f"{name}{num}"
            out.append(f"<{open_fmt}>")
        out.append(_escape(text))
    flush_objs()
    close_fmt()
    if open_link is not None:
        out.append(f"</a{para.link_num}>")
    para.text = unicodedata.normalize("NFC", "".join(out))
    return para


def _escape(text: str) -> str:
    return text  # literal text that looks like a placeholder is vanishingly rare in documents


class DocxSkeleton:
    """A Word document read into blocks (see the module docstring)."""

    def __init__(self, document: Any, blob_parts: list[tuple[Any, Any]]) -> None:
        self.document = document
        self._blob_parts = blob_parts  # (part, root) of parts python-docx keeps as bytes
        self._paras: list[_Para] = []
        self.blocks: list[Block] = []

    def add(self, para: _Para) -> None:
        self._paras.append(para)
        self.blocks.append(Block(para.kind, para.text))

    def render(self, texts: list[str]) -> bytes:
        if len(texts) != len(self._paras):
            raise InputError(f"{len(texts)} texts for {len(self._paras)} blocks; the document changed since it was read")
        for para, text in zip(self._paras, texts):
            _write(para, text)
        from lxml import etree

        for part, root in self._blob_parts:
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        buf = io.BytesIO()
        self.document.save(buf)
        return buf.getvalue()


def _new_run(rpr: Any, text: str | None = None, child: Any = None) -> Any:
    from docx.oxml import OxmlElement

    r = OxmlElement("w:r")
    if rpr is not None:
        r.append(deepcopy(rpr))
    if text:
        r.text = text  # python-docx turns "\t" into <w:tab/>
    if child is not None:
        r.append(child)
    return r


def _write(para: _Para, text: str) -> None:
    p = para.p
    for child in list(p):
        if child.tag != _w("pPr"):
            p.remove(child)
    ends = [m for m in para.markers if m.tag.endswith("End")]
    for m in para.markers:
        if m not in ends:
            p.append(m)
    used: set[int] = set()
    link_el: Any = None
    link_num = 0
    fmt_stack: list[int] = []
    for tok in tokens(text):
        place = para.places.get(tok.num) if tok.kind != "text" else None
        if tok.kind == "text":
            if fmt_stack:
                rpr = para.places[fmt_stack[-1]][2]
            elif link_el is not None:
                rpr = para.places[link_num][2]
            else:
                rpr = para.base_rpr
            (link_el if link_el is not None else p).append(_new_run(rpr, tok.text))
        elif place is None:
            continue  # a tag the source never had: dropped (QA flags it)
        elif tok.kind == "open" and place[0] == "fmt" and tok.num not in fmt_stack:
            fmt_stack.append(tok.num)
        elif tok.kind == "open" and place[0] == "link" and link_el is None and tok.num not in used:
            link_el = deepcopy(place[1])
            for c in list(link_el):
                link_el.remove(c)
            p.append(link_el)
            link_num = tok.num
            used.add(tok.num)
        elif tok.kind == "close" and tok.num in fmt_stack:
            fmt_stack.remove(tok.num)
        elif tok.kind == "close" and place[0] == "link" and tok.num == link_num:
            link_el, link_num = None, 0
        elif tok.kind == "empty" and place[0] == "obj":
            again = tok.num in used
            used.add(tok.num)
            _put_objects(p, link_el, place[1], again)
    for num, place in para.places.items():  # footnote references and images are never lost
        if place[0] == "obj" and num not in used:
            _put_objects(p, None, place[1], False)
    for m in ends:
        p.append(m)


def _put_objects(p: Any, link_el: Any, objs: list[tuple[Any, Any, str]], again: bool) -> None:
    run: Any = None
    for el, rpr, level in objs:
        el = deepcopy(el) if again else el
        if level == "para":
            p.append(el)
            run = None
            continue
        if run is None or _key(rpr) != _key(run.find(_w("rPr"))):
            run = _new_run(rpr)
            (link_el if link_el is not None else p).append(run)
        run.append(el)


def _style_names(document: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    for st in document.styles.element.findall(_w("style")):
        sid = st.get(_w("styleId")) or ""
        name = st.find(_w("name"))
        names[sid] = (name.get(_w("val")) if name is not None else sid) or sid
        if st.find(f"{_w('pPr')}/{_w('outlineLvl')}") is not None:
            names[sid] += "\x00outline"
    return names


def _kind(p: Any, styles: dict[str, str]) -> str:
    import re

    anc = p.getparent()
    while anc is not None:
        if anc.tag == _w("tc"):
            return "cell"
        anc = anc.getparent()
    ppr = p.find(_w("pPr"))
    sid = ""
    if ppr is not None:
        ps = ppr.find(_w("pStyle"))
        sid = ps.get(_w("val")) if ps is not None else ""
    name = styles.get(sid, sid).lower()
    if name.startswith("title"):
        return "title"
    if name.startswith(("heading", "subtitle")) or re.match(r"^h(\d|ch)", name) or "\x00outline" in name or (ppr is not None and ppr.find(_w("outlineLvl")) is not None):
        return "heading"
    if "caption" in name:
        return "caption"
    if "quote" in name:
        return "quote"
    if name.startswith("list") or (ppr is not None and ppr.find(_w("numPr")) is not None):
        return "list"
    return "paragraph"


def _in_fallback(p: Any) -> bool:
    anc = p.getparent()
    while anc is not None:
        if anc.tag == MC_FALLBACK:
            return True
        anc = anc.getparent()
    return False


def load(data: bytes, name: str) -> DocxSkeleton:
    """Read a .docx document's bytes into blocks."""
    import zipfile

    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"{name}: not a readable Word (.docx) document ({type(exc).__name__}); open it in Word or LibreOffice and save it as .docx again") from None
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and lxml errors
        raise InputError(f"{name}: not a readable Word (.docx) document ({type(exc).__name__}); open it in Word or LibreOffice and save it as .docx again") from None
    styles = _style_names(document)
    blob_parts: list[tuple[Any, Any]] = []
    skel = DocxSkeleton(document, blob_parts)
    for p in document.element.body.iter(_w("p")):
        if not _in_fallback(p):
            para = _paragraph(p, _kind(p, styles))
            if para is not None:
                skel.add(para)
    seen: set[str] = set()
    for rel_type, kind in ((RT.HEADER, "header"), (RT.FOOTER, "footer")):
        rels = sorted((r for r in document.part.rels.values() if r.reltype == rel_type and not r.is_external), key=lambda r: str(r.target_part.partname))
        for rel in rels:
            part = rel.target_part
            if str(part.partname) in seen:
                continue
            seen.add(str(part.partname))
            for p in part.element.iter(_w("p")):
                if not _in_fallback(p):
                    para = _paragraph(p, kind)
                    if para is not None:
                        skel.add(para)
    for rel_type, kind, note in ((RT.FOOTNOTES, "footnote", "footnote"), (RT.ENDNOTES, "endnote", "endnote")):
        for rel in document.part.rels.values():
            if rel.reltype != rel_type or rel.is_external:
                continue
            part = rel.target_part
            root = getattr(part, "element", None)
            if root is None:
                root = parse_xml(part.blob)
                blob_parts.append((part, root))
            for n in root.findall(_w(note)):
                if n.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                for p in n.iter(_w("p")):
                    para = _paragraph(p, kind)
                    if para is not None:
                        skel.add(para)
    return skel
