"""TBX export and import: TBX-Basic (TBX 2008, ISO 30042:2008) and TBX v3 (ISO 30042:2019, TBX-Basic dialect, DCA style).

Export writes one concept entry per glossary term: ``subjectField``, ``definition``,
``source`` and ``note`` on the concept, one language set per language, with Chinese split
into ``zh-Hans`` and ``zh-Hant`` (OpenCC; Taiwan usage forms go to ``zh-Hant``), and each term
with its ``administrativeStatus`` and ``partOfSpeech``.  Ids are valid XML names (``t-2030-agenda``).

Only the values TBX-Basic allows are written (its 2008 XCS and its v3 Schematron agree on
preferred, admitted, deprecated and superseded): our preferred and admitted forms are
``preferredTerm-admn-sts`` / ``admittedTerm-admn-sts``; deprecated and forbidden forms are both
``deprecatedTerm-admn-sts`` (TBX-Basic shows it as "notRecommended") with a term-level
``<note>status: deprecated</note>`` or ``status: forbidden`` that keeps the difference for a
round trip.  ``proper noun`` is ``properNoun`` in TBX 2008 and ``noun`` in v3 (the v3 dialect
has no proper noun).

A TBX 2008 file names the ISO 30042:2008 core structure DTD by its public identifier (TBXChecker
and catalogs resolve it without a file) and its XCS by relative path, ``workbench-TBXBasic.xcs``,
which :func:`companion_files` gives, to be written beside the export: our own XCS declaring the
languages we write (en, zh-Hans, zh-Hant, vi) and the TBX-Basic data categories we use, with
TBX-Basic's picklists, so the file is TBX-Basic.  A v3 file points to LTAC's core RNG and
TBX-Basic Schematron with ``xml-model``.

Import reads either version, namespace-agnostic, and terms written as ``<tig>``, ``<ntig><termGrp>``
(Microsoft Terminology) or ``<termSec>`` (TBX v3); what cannot be imported is reported per entry.
Another tool's ``deprecatedTerm-admn-sts`` without our status note is read as forbidden (ISO 12620:
rejected for the concept), ``notRecommended``, ``superseded`` and ``obsolete`` as deprecated.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.errors import GlossaryError
from workbench.glossary.model import Term
from workbench.glossary.normalize import normalize_zh

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX3_NS = "urn:iso:std:iso:30042:ed-2"
STATUS_TBX = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts", "deprecated": "deprecatedTerm-admn-sts", "forbidden": "deprecatedTerm-admn-sts"}
TBX_STATUS = {"preferredTerm-admn-sts": "preferred", "admittedTerm-admn-sts": "admitted", "deprecatedTerm-admn-sts": "forbidden", "notRecommendedTerm-admn-sts": "deprecated", "supersededTerm-admn-sts": "deprecated", "obsoleteTerm-admn-sts": "deprecated", "legalTerm-admn-sts": "admitted", "regulatedTerm-admn-sts": "admitted", "standardizedTerm-admn-sts": "preferred"}
POS_TBX = {"noun": "noun", "proper noun": "properNoun", "verb": "verb", "adjective": "adjective", "adverb": "adverb", "other": "other"}
TBX_POS = {v: k for k, v in POS_TBX.items()}
#: A term-level note that keeps our deprecated/forbidden distinction (both are deprecatedTerm-admn-sts).
_STATUS_NOTE = re.compile(r"^status: (deprecated|forbidden)$")
#: What a TBX 2008 export names: the ISO core structure DTD (public identifier, resolved by the tools) and our XCS.
TBX2_DTD_PUBLIC = "ISO 30042:2008A//DTD TBX core//EN"
TBX2_DTD = "TBXcoreStructV02.dtd"
TBX2_XCS = "workbench-TBXBasic.xcs"
TBX3_RNG = "https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng"
TBX3_SCH = "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch"
#: The XCS's languages and data categories: (element, name, ISO 12620 id, datatype, picklist, levels).
XCS_LANGS = (("en", "English"), ("zh-Hans", "Chinese (Simplified)"), ("zh-Hant", "Chinese (Traditional)"), ("vi", "Vietnamese"))
XCS_DATCATS = (
    ("termNote", "administrativeStatus", "ISO12620A-020903", "picklist", "preferredTerm-admn-sts admittedTerm-admn-sts deprecatedTerm-admn-sts supersededTerm-admn-sts", None),
    ("descrip", "definition", "ISO12620A-0501", None, None, "langSet termEntry"),
    ("termNote", "partOfSpeech", "ISO12620A-020201", "picklist", "noun verb adjective adverb properNoun other", None),
    ("admin", "source", "ISO12620A-1019", None, None, None),
    ("descrip", "subjectField", "iso12620A-04", "plainText", None, "termEntry"),
)

__all__ = ["tbx_text", "read_tbx", "entry_id", "companion_files", "xcs_text"]


def xcs_text() -> str:
    """The XCS (eXtensible Constraint Specification) a TBX 2008 export names: our languages and
    the TBX-Basic data categories we write, with TBX-Basic's picklists (a subset of TBX-Basic's XCS)."""
    from lxml import etree

    root = etree.Element("TBXXCS", name="workbench TBX-Basic", version="2", lang="en")
    header = etree.SubElement(root, "header")
    etree.SubElement(header, "title").text = "workbench glossary export: TBX-Basic data categories, languages en, zh-Hans, zh-Hant, vi"
    langs = etree.SubElement(root, "languages")
    for code, name in XCS_LANGS:
        info = etree.SubElement(langs, "langInfo")
        etree.SubElement(info, "langCode").text = code
        etree.SubElement(info, "langName").text = name
    cats = etree.SubElement(root, "datCatSet")
    for element, name, datcat, datatype, picklist, levels in XCS_DATCATS:
        spec = etree.SubElement(cats, f"{element}Spec", name=name, datcatId=datcat)
        contents = etree.SubElement(spec, "contents")
        if datatype:
            contents.set("datatype", datatype)
        if picklist:
            contents.text = picklist
            if name == "partOfSpeech":
                contents.set("forTermComp", "yes")
        if element == "descrip":
            etree.SubElement(spec, "levels").text = levels or "termEntry langSet term"
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE TBXXCS PUBLIC "ISO 30042:2008A//DTD TBX XCS//EN" "tbxxcsdtd.dtd">\n' + body


def companion_files(version: int = 2) -> dict[str, bytes]:
    """The files a TBX export of ``version`` refers to by relative path: name -> content (none for v3)."""
    return {} if version == 3 else {TBX2_XCS: xcs_text().encode("utf-8")}


def entry_id(term_id: str) -> str:
    """A valid XML name for a concept entry: ids starting with a digit get a ``t-`` prefix."""
    return term_id if re.match(r"[A-Za-z_]", term_id) else f"t-{term_id}"


def _zh_split(term: Term) -> tuple[list[str], list[str]]:
    import opencc

    s2t, t2s = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
    hans: list[str] = []
    hant: list[str] = []
    for v in term.variants["zh"]:
        for out, conv in ((hans, t2s), (hant, s2t)):
            c = conv.convert(v)
            if v in term.zh_tw and out is hans:
                continue  # a Taiwan usage form is Traditional only
            if c not in out:
                out.append(c)
    return hans, hant


def tbx_text(terms: tuple[Term, ...], version: int = 2) -> str:
    """The glossary as TBX-Basic (``version=2``, TBX 2008) or TBX v3 (``version=3``)."""
    from lxml import etree

    v3 = version == 3
    ns = f"{{{TBX3_NS}}}" if v3 else ""
    if v3:
        root = etree.Element(f"{ns}tbx", nsmap={None: TBX3_NS})
        root.set("type", "TBX-Basic")
        root.set("style", "dca")
        header = etree.SubElement(root, f"{ns}tbxHeader")
    else:
        root = etree.Element("martif")
        root.set("type", "TBX-Basic")
        header = etree.SubElement(root, "martifHeader")
    root.set(XML_LANG, "en")
    fd = etree.SubElement(header, f"{ns}fileDesc")
    sd = etree.SubElement(fd, f"{ns}sourceDesc")
    etree.SubElement(sd, f"{ns}p").text = "workbench glossary: Chinese and Vietnamese to UN English"
    if not v3:
        ed = etree.SubElement(header, "encodingDesc")
        p = etree.SubElement(ed, "p")
        p.set("type", "XCSURI")
        p.text = TBX2_XCS
    body = etree.SubElement(etree.SubElement(root, f"{ns}text"), f"{ns}body")
    for t in terms:
        entry = etree.SubElement(body, f"{ns}conceptEntry" if v3 else "termEntry")
        entry.set("id", entry_id(t.id))
        for kind, value in (("subjectField", t.domain), ("definition", t.definition)):
            if value:
                d = etree.SubElement(entry, f"{ns}descrip")
                d.set("type", kind)
                d.text = value
        if t.source:
            a = etree.SubElement(entry, f"{ns}admin")
            a.set("type", "source")
            a.text = t.source
        if t.note:
            etree.SubElement(entry, f"{ns}note").text = t.note
        hans, hant = _zh_split(t)
        langs = [("en", [(f, st) for f, st in t.statuses()]), ("zh-Hans", [(v, "admitted") for v in hans]), ("zh-Hant", [(v, "admitted") for v in hant]), ("vi", [(v, "admitted") for v in t.variants["vi"]])]
        for code, forms in langs:
            if not forms:
                continue
            ls = etree.SubElement(entry, f"{ns}langSec" if v3 else "langSet")
            ls.set(XML_LANG, code)
            for i, (form, status) in enumerate(forms):
                tig = etree.SubElement(ls, f"{ns}termSec" if v3 else "tig")
                etree.SubElement(tig, f"{ns}term").text = form
                st_ = status if code == "en" else ("preferred" if i == 0 else "admitted")
                n = etree.SubElement(tig, f"{ns}termNote")
                n.set("type", "administrativeStatus")
                n.text = STATUS_TBX[st_]
                if t.pos:
                    n = etree.SubElement(tig, f"{ns}termNote")
                    n.set("type", "partOfSpeech")
                    pos = POS_TBX.get(t.pos, "other")
                    n.text = "noun" if v3 and pos == "properNoun" else pos
                if st_ in ("deprecated", "forbidden"):
                    etree.SubElement(tig, f"{ns}note").text = f"status: {st_}"
    xml = etree.tostring(root, encoding="unicode", pretty_print=True)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if v3:
        head += f'<?xml-model href="{TBX3_RNG}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        head += f'<?xml-model href="{TBX3_SCH}" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
    else:
        head += f'<!DOCTYPE martif PUBLIC "{TBX2_DTD_PUBLIC}" "{TBX2_DTD}">\n'
    return head + xml


def _local(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _fam(code: str | None) -> str | None:
    c = (code or "").lower().replace("_", "-")
    for fam in ("zh", "vi", "en"):
        if c == fam or c.startswith(fam + "-"):
            return fam
    return None


def read_tbx(raw: bytes, name: str, warnings: list[str]) -> list[dict[str, Any]]:
    """Entries of a TBX 2008 or TBX v3 file; ``warnings`` get one line per skipped entry."""
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise GlossaryError(f"{name}: not a TBX file ({' '.join(str(exc).split())[:160]}); check the XML") from None
    if _local(root) not in ("martif", "tbx"):
        raise GlossaryError(f"{name}: not a TBX file (root element <{_local(root)}>, expected <martif> or <tbx>)")
    out: list[dict[str, Any]] = []
    other: set[str] = set()
    for n, entry in enumerate((e for e in root.iter() if _local(e) in ("termEntry", "conceptEntry")), 1):
        label = f"entry {n}" + (f" (id {entry.get('id')})" if entry.get("id") else "")
        e: dict[str, Any] = {"en": "", "zh": [], "vi": [], "en_variants": [], "deprecated": [], "forbidden": [], "note": None, "domain": None}
        en_terms: list[tuple[str, str]] = []
        for child in entry:
            kind = child.get("type")
            if _local(child) == "descrip" and kind == "subjectField" and (child.text or "").strip():
                e["domain"] = child.text.strip()
            elif _local(child) == "descrip" and kind == "definition" and (child.text or "").strip():
                e["definition"] = child.text.strip()
            elif _local(child) == "note" and (child.text or "").strip():
                e["note"] = child.text.strip()
        for ls in (x for x in entry.iter() if _local(x) in ("langSet", "langSec")):
            code = ls.get(XML_LANG) or ls.get("lang")
            fam = _fam(code)
            for term_el in (x for x in ls.iter() if _local(x) == "term"):
                text = "".join(term_el.itertext()).strip()
                if not text:
                    continue
                holder = term_el.getparent()
                if holder is not None and _local(holder) == "termGrp":
                    holder = holder.getparent() if holder.getparent() is not None else holder
                status = "admitted"
                notes = [x for x in (holder.iter() if holder is not None else []) if _local(x) in ("termNote", "note")]
                ours = next((m.group(1) for x in notes if _local(x) == "note" and (m := _STATUS_NOTE.match((x.text or "").strip()))), None)
                for note in (x for x in notes if _local(x) == "termNote"):
                    if note.get("type") == "administrativeStatus":
                        status = TBX_STATUS.get((note.text or "").strip(), "admitted")
                    elif note.get("type") == "partOfSpeech" and (note.text or "").strip() in TBX_POS:
                        e["pos"] = TBX_POS[(note.text or "").strip()]
                if ours and status in ("deprecated", "forbidden"):
                    status = ours
                if fam is None:
                    other.add(str(code))
                elif fam == "en":
                    en_terms.append((text, status))
                elif fam == "zh" and any(normalize_zh(text) == normalize_zh(x) for x in e["zh"]):
                    continue  # the zh-Hant spelling of a zh-Hans term: one variant (matching folds scripts)
                elif text not in e[fam]:
                    e[fam].append(text)
        preferred = [t for t, st in en_terms if st == "preferred"] or [t for t, st in en_terms if st == "admitted"]
        if not preferred:
            warnings.append(f"{label}: skipped, no English term" + (" (only deprecated/forbidden forms)" if en_terms else ""))
            continue
        if not (e["zh"] or e["vi"]):
            warnings.append(f"{label} ({preferred[0]!r}): skipped, no Chinese or Vietnamese term")
            continue
        e["en"] = preferred[0]
        for t, st in en_terms:
            if t == e["en"]:
                continue
            key = {"preferred": "en_variants", "admitted": "en_variants", "deprecated": "deprecated", "forbidden": "forbidden"}[st]
            if t not in e[key]:
                e[key].append(t)
        out.append(e)
    if other:
        warnings.append(f"ignored languages: {', '.join(sorted(other))}")
    return out
