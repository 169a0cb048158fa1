"""HTML documents in and out, through lxml.html.

Blocks: the text of every block-level element (paragraphs, headings, list items, table cells,
captions, the title...) between its block-level children, white space collapsed as a browser
shows it. Inline elements become placeholders: ``<b1>…</b1>`` (b, strong), ``<i2>…</i2>``
(i, em), ``<a3>…</a3>`` (links), ``<u4>``, ``<sup5>``, ``<sub6>``, ``<g7>…</g7>`` (any other
inline element with text) and ``<x8/>`` (br, img, empty anchors, comments, inline scripts).
Writing puts the English into the same elements, with their attributes; everything else
(head, scripts, styles, ``<pre>`` and ``<code>``, attributes) is left as it was, the
document's ``lang`` becomes ``en`` and it is written as UTF-8.
"""

from __future__ import annotations

import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from workbench.errors import InputError
from workbench.formats import Block
from workbench.formats.tags import tokens

BLOCK_TAGS = frozenset(
    "html body head title p h1 h2 h3 h4 h5 h6 li ul ol dl dt dd td th tr table thead tbody tfoot caption figcaption "
    "figure blockquote div section article header footer aside nav main address center legend fieldset form hr "
    "details summary option select menu".split()
)
#: Elements whose content is never translated.
SKIP_TAGS = frozenset("script style noscript pre code textarea svg math template kbd samp var meta link object iframe".split())
VOID_TAGS = frozenset("br img wbr input hr area embed source track col param".split())
_NAMES = {"b": "b", "strong": "b", "i": "i", "em": "i", "a": "a", "u": "u", "sup": "sup", "sub": "sub"}
_KINDS = {"title": "title", "li": "list", "dt": "list", "dd": "list", "td": "cell", "th": "cell", "caption": "caption", "figcaption": "caption", "blockquote": "quote", "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading"}
_WS = re.compile(r"\s+")


def _tag(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _has_block(el: Any) -> bool:
    return any(_tag(d) in BLOCK_TAGS for d in el.iterdescendants())


@dataclass
class _Run:
    parent: Any
    anchor: Any  # the block child whose tail starts the run; None: parent.text
    children: list[Any]
    kind: str
    places: dict[int, tuple[str, Any]] = field(default_factory=dict)
    lead: str = ""  # white space before the run's text, kept
    trail: str = ""  # white space after it
    text: str = ""


class HtmlSkeleton:
    """An HTML document read into blocks (see the module docstring)."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self._runs: list[_Run] = []
        self.blocks: list[Block] = []

    def render(self, texts: list[str]) -> bytes:
        from lxml import etree

        if len(texts) != len(self._runs):
            raise InputError(f"{len(texts)} texts for {len(self._runs)} blocks; the document changed since it was read")
        for run, text in zip(self._runs, texts):
            _write(run, text)
        root = self.root
        if root.get("lang") is not None:
            root.set("lang", "en")
        if root.get("{http://www.w3.org/XML/1998/namespace}lang") is not None:
            root.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
        for meta in root.iter("meta"):
            if meta.get("charset") is not None:
                meta.set("charset", "utf-8")
            elif (meta.get("http-equiv") or "").lower() == "content-type":
                meta.set("content", "text/html; charset=utf-8")
        doctype = root.getroottree().docinfo.doctype
        out = etree.tostring(root, method="html", encoding="unicode")
        return ((doctype + "\n" if doctype else "") + out + "\n").encode("utf-8")


def _collect(el: Any, kind: str, skel: HtmlSkeleton) -> None:
    tag = _tag(el)
    if tag in SKIP_TAGS:
        return
    own = _KINDS.get(tag, kind)  # a <p> in a table cell is a cell's text
    anchor: Any = None
    children: list[Any] = []

    def close() -> None:
        text_start = el.text if anchor is None else anchor.tail
        if (text_start or "").strip() or children:
            _add_run(skel, _Run(parent=el, anchor=anchor, children=list(children), kind=own))
        children.clear()

    for child in el:
        ctag = _tag(child)
        if ctag in BLOCK_TAGS or (ctag and ctag not in SKIP_TAGS and ctag not in VOID_TAGS and _has_block(child)):
            close()
            _collect(child, own, skel)
            anchor = child
        else:
            children.append(child)
    close()


def _add_run(skel: HtmlSkeleton, run: _Run) -> None:
    parts: list[str] = []
    num = [0]

    def text(s: str | None) -> None:
        if s:
            parts.append(_WS.sub(" ", s))

    def inline(el: Any) -> None:
        tag = _tag(el)
        content = "".join(el.itertext()) if tag and tag not in SKIP_TAGS and tag not in VOID_TAGS else ""
        num[0] += 1
        n = num[0]
        if not content.strip():
            run.places[n] = ("empty", el)
            parts.append(f"<x{n}/>")
        else:
            run.places[n] = ("pair", el)
            name = _NAMES.get(tag, "g")
            parts.append(f"<{name}{n}>")
            text(el.text)
            for c in el:
                inline(c)
                text(c.tail)
            parts.append(f"</{name}{n}>")

    start = run.parent.text if run.anchor is None else run.anchor.tail
    text(start)
    for c in run.children:
        inline(c)
        text(c.tail)
    joined = "".join(parts)
    if not _strip_tags_ws(joined):
        return
    first = start or ""
    run.lead = first[: len(first) - len(first.lstrip())]
    last = (run.children[-1].tail if run.children else start) or ""
    run.trail = last[len(last.rstrip()) :]
    run.text = unicodedata.normalize("NFC", joined.strip())
    skel._runs.append(run)
    skel.blocks.append(Block(run.kind, run.text))


def _strip_tags_ws(s: str) -> str:
    from workbench.formats.tags import strip_tags

    return strip_tags(s).strip()


def _append_text(container: Any, top: list[Any], lead: list[str], s: str) -> None:
    if container is None:
        if top:
            top[-1].tail = (top[-1].tail or "") + s
        else:
            lead[0] += s
    elif len(container):
        container[-1].tail = (container[-1].tail or "") + s
    else:
        container.text = (container.text or "") + s


def _write(run: _Run, text: str) -> None:
    top: list[Any] = []
    lead = [run.lead]
    stack: list[tuple[int, Any]] = []
    used: set[int] = set()

    def put(el: Any) -> None:
        if stack:
            stack[-1][1].append(el)
        else:
            top.append(el)

    for tok in tokens(text):
        container = stack[-1][1] if stack else None
        place = run.places.get(tok.num) if tok.kind != "text" else None
        if tok.kind == "text":
            _append_text(container, top, lead, tok.text)
        elif place is None:
            continue
        elif tok.kind == "open" and place[0] == "pair" and tok.num not in used:
            orig = place[1]
            new = orig.makeelement(orig.tag, dict(orig.attrib))
            put(new)
            stack.append((tok.num, new))
            used.add(tok.num)
        elif tok.kind == "close" and any(n == tok.num for n, _ in stack):
            while stack:
                n, _el = stack.pop()
                if n == tok.num:
                    break
        elif tok.kind == "empty" and place[0] == "empty":
            el = deepcopy(place[1]) if tok.num in used else place[1]
            used.add(tok.num)
            el.tail = None
            put(el)
    for num, place in run.places.items():  # anchors, images, comments are never lost
        if place[0] == "empty" and num not in used:
            el = place[1]
            el.tail = None
            top.append(el)
    parent = run.parent
    if run.children:
        index = parent.index(run.children[0])
    else:
        index = 0 if run.anchor is None else parent.index(run.anchor) + 1
    for c in run.children:
        if c.getparent() is parent:
            parent.remove(c)
    if top:
        top[-1].tail = (top[-1].tail or "") + run.trail
    else:
        lead[0] += run.trail
    if run.anchor is None:
        parent.text = lead[0]
    else:
        run.anchor.tail = lead[0]
    for i, el in enumerate(top):
        parent.insert(index + i, el)


def load(data: bytes, name: str) -> HtmlSkeleton:
    """Read an HTML document's bytes into blocks."""
    import lxml.html
    from lxml import etree

    from workbench.ingest import decode_bytes, normalize_text

    text, _encoding = decode_bytes(data, name)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", normalize_text(text))
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{name}: not readable HTML ({exc}); check the file") from None
    skel = HtmlSkeleton(root)
    _collect(root, "paragraph", skel)
    return skel
