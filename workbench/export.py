"""Exports of translations files: TMX 1.4b, XLIFF 1.2, CSV and a static HTML report.

    paths = export_documents(Path("translations"), ["000_093349a39d32f8f2"], "xliff", out=Path("exports"))

One file per document (``exports/<stem>.<ext>``); ``memory=True`` writes the translation
memory (every edited or approved segment of every document; drafts never) as
``exports/memory-<lang>.tmx``, one file per source language.

XLIFF 1.2 (valid against OASIS' strict schema; read back with translate-toolkit). Review state:

    ==========================  =================================================================
    draft, machine translated   ``state="needs-review-translation" state-qualifier="mt-suggestion"``
    draft from the memory       ``state="needs-review-translation" state-qualifier="leveraged-tm"``
    draft aligned (align)       ``state="needs-review-translation" state-qualifier="leveraged-inherited"``
    draft of the copy engine    ``state="needs-translation"`` (the target is a copy of the source)
    English source, copied      ``state="needs-review-translation"`` (no qualifier: not machine made)
    edited                      ``state="translated"`` (no ``approved``: not fuzzy in Weblate)
    approved                    ``state="final" approved="yes"``
    ==========================  =================================================================

Reviewers' notes are ``<note from="translator">`` (tools keep those), QA flags
``<note from="workbench">``. The layout the document needs to be rebuilt travels in each
unit's ``<context-group purpose="x-workbench-layout">``: ``x-gap`` (white space and label-only
lines before the sentence), ``x-prefix`` ("1. ", "(a) "), ``x-suffix`` (footnote markers) and, on
the last unit, ``x-trailing``; the source document is the concatenation of gap + prefix +
source + suffix over the units, plus the trailing text (:func:`rebuild_source`).

TMX 1.4b (valid against the TMX 1.4 DTD; OmegaT 3.6 loads it without a warning):
``creationtool="workbench"``, ``o-tmf`` the format the memory was generated from
(``workbench-yaml``: our translations files), the header's ``creationdate`` the export time and
``changedate`` the newest translations file's, each unit's ``changedate`` its translations
file's last write (on the ``<tu>`` and, as OmegaT writes it, on the target ``<tuv>``). Language codes are the locale tags OmegaT projects use (``zh-CN``,
``zh-TW``, ``vi-VN``, ``en``); OmegaT warns about any other spelling of the project's
source language (``zh-Hans`` for a ``zh-CN`` project). Review state is ``<prop type="x-status">``.

CSV: UTF-8 with a byte-order mark and CRLF rows (Excel and LibreOffice open it right on a
double-click), a ``source_lang`` column, and every cell through :func:`workbench.files.csv_cell`
(formula injection).

The XML is built with lxml (translate-toolkit's writers cannot set ``state-qualifier``,
contexts or TMX header dates); the tests read every export back with translate-toolkit.
"""

from __future__ import annotations

import csv
import html
import io
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from workbench import __version__, files, review, store
from workbench.errors import InputError
from workbench.glossary import Glossary

FORMATS = ("tmx", "xliff", "csv", "html")
EXTENSIONS = {"tmx": "tmx", "xliff": "xlf", "csv": "csv", "html": "html"}
#: status -> XLIFF ``state`` (a draft's state depends on where it came from: :func:`xliff_state`).
XLIFF_STATES = {"draft": "needs-review-translation", "edited": "translated", "approved": "final"}
STATUS_FROM_XLIFF_STATE = {v: k for k, v in XLIFF_STATES.items()} | {"needs-translation": "draft", "signed-off": "approved"}
CSV_COLUMNS = ["document", "source_lang", "id", "paragraph", "status", "source", "target", "mt", "prefix", "suffix", "flags", "note", "origin"]
#: Our language codes -> the tags OmegaT projects (and most CAT tools) use in TMX.
TMX_LANGS = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW", "vi": "vi-VN", "en": "en"}
TMX_O_TMF = "workbench-yaml"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
LAYOUT_PURPOSE = "x-workbench-layout"


def _segments(doc: store.StoredDocument, statuses: Iterable[str] | None) -> list[store.Segment]:
    wanted = set(statuses or ())
    return [s for s in doc.segments if s.source and (not wanted or s.status in wanted)]


def tmx_lang(code: str) -> str:
    """Our language code as a TMX ``xml:lang`` (``zh-Hans`` -> ``zh-CN``)."""
    return TMX_LANGS.get(code, code)


def tmx_date(ts: float) -> str:
    """A POSIX time as TMX's ``YYYYMMDDThhmmssZ`` (UTC)."""
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def translator_notes(seg: store.Segment) -> list[str]:
    """A segment's reviewer notes: its ``notes`` list if the store has one (text or
    ``{"text": ...}`` items), and its single ``note``, without repeats."""
    out: list[str] = []
    for item in list(getattr(seg, "notes", None) or []) + [seg.note]:
        if isinstance(item, dict):
            item = item.get("text") or item.get("note") or ""
        text = str(item or "").strip()
        if text and text not in out:
            out.append(text)
    return out


# ---------------------------------------------------------------------------- TMX


def _tmx_tree(units: list[dict[str, Any]], source_lang: str, target_lang: str, *, now: float, changed: float | None) -> bytes:
    """units: dicts with tuid, source, target, props [(type, value)], notes [str], changedate (POSIX time)."""
    from lxml import etree

    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header")
    for key, value in (
        ("creationtool", "workbench"),
        ("creationtoolversion", __version__),
        ("segtype", "sentence"),
        ("o-tmf", TMX_O_TMF),
        ("adminlang", "en"),
        ("srclang", tmx_lang(source_lang)),
        ("datatype", "plaintext"),
        ("creationdate", tmx_date(now)),
    ):
        header.set(key, value)
    if changed is not None:
        header.set("changedate", tmx_date(changed))
    body = etree.SubElement(root, "body")
    src, tgt = tmx_lang(source_lang), tmx_lang(target_lang)
    for u in units:
        tu = etree.SubElement(body, "tu", tuid=u["tuid"])
        if u.get("changedate") is not None:
            tu.set("changedate", tmx_date(u["changedate"]))
        for text in u.get("notes", ()):
            etree.SubElement(tu, "note").text = text
        for kind, value in u["props"]:
            etree.SubElement(tu, "prop", type=kind).text = value
        for i, (lang, text) in enumerate(((src, u["source"]), (tgt, u["target"]))):
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(f"{{{XML_NS}}}lang", lang)
            if i == 1 and u.get("changedate") is not None:  # where OmegaT keeps a translation's date
                tuv.set("changedate", tmx_date(u["changedate"]))
            etree.SubElement(tuv, "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def tmx_document(doc: store.StoredDocument, stem: str, statuses: Iterable[str] | None = None, *, changed: float | None = None, now: float | None = None) -> bytes:
    """One document as TMX (every segment with a source, drafts included, each with its ``x-status``)."""
    units = []
    for seg in _segments(doc, statuses):
        props = [("x-status", seg.status), ("x-document", doc.document), ("x-segment-id", seg.id)]
        if seg.flags:
            props.append(("x-flags", " ".join(seg.flags)))
        if seg.origin:
            props.append(("x-origin", seg.origin))
        units.append({"tuid": f"{stem}:{seg.id}", "source": seg.source, "target": seg.target, "props": props, "notes": translator_notes(seg), "changedate": changed})
    return _tmx_tree(units, doc.source_lang, doc.target_lang, now=time.time() if now is None else now, changed=changed)


def tmx_memory(out_dir: Path, statuses: Iterable[str] | None = None, *, now: float | None = None) -> dict[str, bytes]:
    """The translation memory as TMX, one file per source language: {lang: bytes}. Only edited
    and approved segments (a machine draft is no memory); ``statuses`` narrows that further."""
    wanted = set(statuses or ())
    by_lang: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str, str]] = set()
    mtimes: dict[str, float | None] = {}
    for e in review.memory_entries(out_dir):
        if e.status not in store.HUMAN_STATUSES or (wanted and e.status not in wanted):
            continue
        if (e.source_lang, e.source, e.target) in seen:
            continue
        seen.add((e.source_lang, e.source, e.target))
        if e.stem not in mtimes:
            mtimes[e.stem] = _mtime(store.path_for(out_dir, e.stem))
        props = [("x-status", e.status), ("x-document", e.document), ("x-segment-id", e.segment)]
        by_lang.setdefault(e.source_lang, []).append({"tuid": f"{e.stem}:{e.segment}", "source": e.source, "target": e.target, "props": props, "changedate": mtimes[e.stem]})
    stamp = time.time() if now is None else now
    out = {}
    for lang, units in by_lang.items():
        dates = [u["changedate"] for u in units if u["changedate"] is not None]
        out[lang] = _tmx_tree(units, lang, "en", now=stamp, changed=max(dates) if dates else None)
    return out


# ---------------------------------------------------------------------------- XLIFF


def draft_kind(seg: store.Segment, doc: store.StoredDocument) -> str:
    """Where a draft came from: "memory", "aligned" (a human translation aligned by ``workbench
    align``), "copy" (no machine translation), "same" (an English source copied as its own
    English draft) or "mt"."""
    if seg.origin.startswith("memory") or "memory-match" in seg.flags:
        return "memory"
    if seg.confidence is not None:
        return "aligned"
    if "no-mt" in seg.flags or seg.origin == "copy" or (not seg.origin and doc.signature.get("engine") == "copy"):
        return "same" if doc.source_lang == doc.target_lang else "copy"
    return "mt"


def xliff_state(seg: store.Segment, doc: store.StoredDocument) -> tuple[str, str | None, bool]:
    """(state, state-qualifier or None, approved) of a segment's ``<target>``."""
    if seg.status == "approved":
        return "final", None, True
    if seg.status == "edited":
        return "translated", None, False
    if not seg.target.strip():
        return "needs-translation", None, False
    kind = draft_kind(seg, doc)
    if kind == "copy":
        return "needs-translation", None, False
    qualifier = {"memory": "leveraged-tm", "aligned": "leveraged-inherited", "mt": "mt-suggestion"}.get(kind)
    return "needs-review-translation", qualifier, False


def _layout(doc: store.StoredDocument, segs: list[store.Segment]) -> dict[str, dict[str, str]]:
    """Per exported segment id: its layout contexts (gap, prefix, suffix, and trailing on the last).
    Segments without source (label-only lines) and segments not exported fold into the next gap."""
    wanted = {s.id for s in segs}
    out: dict[str, dict[str, str]] = {}
    pending = ""
    last = None
    for seg in doc.segments:
        if seg.id not in wanted:
            pending += seg.gap + seg.prefix + seg.source + seg.suffix
            continue
        out[seg.id] = {"x-gap": pending + seg.gap, "x-prefix": seg.prefix, "x-suffix": seg.suffix}
        pending, last = "", seg.id
    if last is not None:
        out[last]["x-trailing"] = pending + doc.trailing
    return out


def xliff_document(doc: store.StoredDocument, stem: str, statuses: Iterable[str] | None = None) -> bytes:
    """One document as XLIFF 1.2: one ``<trans-unit>`` per segment with a source."""
    from lxml import etree

    def el(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
        node = etree.SubElement(parent, f"{{{XLIFF_NS}}}{tag}", {k.replace("_", "-"): v for k, v in attrs.items()})
        if text is not None:
            node.text = text
        return node

    root = etree.Element(f"{{{XLIFF_NS}}}xliff", nsmap={None: XLIFF_NS}, version="1.2")
    f = el(root, "file", original=doc.document, source_language=doc.source_lang, target_language=doc.target_lang, datatype="plaintext", tool_id="workbench")
    header = el(f, "header")
    el(header, "tool", tool_id="workbench", tool_name="workbench", tool_version=__version__)
    sig = str(doc.signature.get("string", "") or "")
    if sig:
        el(header, "note", f"machine translation: {sig}", **{"from": "workbench"})
    body = el(f, "body")
    segs = _segments(doc, statuses)
    layout = _layout(doc, segs)
    for seg in segs:
        tu = el(body, "trans-unit", id=seg.id, resname=f"{stem}:{seg.id}")
        tu.set(f"{{{XML_NS}}}space", "preserve")
        el(tu, "source", seg.source)
        state, qualifier, approved = xliff_state(seg, doc)
        target = el(tu, "target", seg.target, state=state)
        if qualifier:
            target.set("state-qualifier", qualifier)
        if approved:
            tu.set("approved", "yes")
        contexts = [(k, v) for k, v in layout[seg.id].items() if v]
        if contexts:
            group = el(tu, "context-group", purpose=LAYOUT_PURPOSE)
            for kind, value in contexts:
                el(group, "context", value, context_type=kind)
        for text in translator_notes(seg):
            el(tu, "note", text, **{"from": "translator"})
        if seg.flags:
            el(tu, "note", "QA: " + ", ".join(seg.flags), **{"from": "workbench", "annotates": "target"})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def rebuild_source(xliff_bytes: bytes) -> str:
    """The source document rebuilt from one of our XLIFF exports (all statuses exported)."""
    from lxml import etree

    ns = {"x": XLIFF_NS}
    out: list[str] = []
    for tu in etree.fromstring(xliff_bytes).iterfind(".//x:trans-unit", ns):
        ctx = {c.get("context-type"): c.text or "" for c in tu.iterfind(f"x:context-group[@purpose='{LAYOUT_PURPOSE}']/x:context", ns)}
        source = tu.find("x:source", ns)
        out.append(ctx.get("x-gap", "") + ctx.get("x-prefix", "") + (source.text or "" if source is not None else "") + ctx.get("x-suffix", "") + ctx.get("x-trailing", ""))
    return "".join(out)


# ---------------------------------------------------------------------------- CSV


def csv_document(doc: store.StoredDocument, statuses: Iterable[str] | None = None) -> bytes:
    """One row per segment; UTF-8 with BOM, CRLF, formula cells neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for seg in _segments(doc, statuses):
        row = [doc.document, doc.source_lang, seg.id, seg.paragraph, seg.status, seg.source, seg.target, seg.mt or "", seg.prefix, seg.suffix, " ".join(seg.flags), " | ".join(translator_notes(seg)), seg.origin]
        w.writerow([files.csv_cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


_REPORT_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td,th{border-bottom:1px solid #ddd;padding:.4rem .5rem;vertical-align:top;text-align:left;white-space:pre-wrap;word-wrap:break-word}
th{background:#f4f4f4}
tr.para td{border-top:2px solid #888}
td.id{width:7rem;font-family:monospace;font-size:.8rem;color:#666}
td.st{width:6rem}
.draft{color:#8a6d00}.edited{color:#0b5cad}.approved{color:#137333}
mark{background:#fff1a8;border-bottom:1px dotted #a80}
.flag{display:inline-block;background:#fde2e1;color:#a50e0e;border-radius:3px;padding:0 .3rem;margin:.1rem;font-size:.8rem}
.aff{color:#999}
"""


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for s, e, en in spans:
        if s < pos:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f'<mark title="{html.escape(en, quote=True)}">{html.escape(text[s:e])}</mark>')
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def html_report(doc: store.StoredDocument, stem: str, statuses: Iterable[str] | None = None, glossary: Glossary | None = None) -> bytes:
    """A static side-by-side page (every string escaped) a reviewer can open without the server."""
    e = html.escape
    counts = doc.counts()
    rows = []
    last_para = None
    for seg in _segments(doc, statuses):
        hits = review.hits_for(seg, doc, glossary) if glossary is not None else []
        src = _marked(seg.source, [(h.start, h.end, h.en) for h in hits])
        tgt = _marked(seg.target, review.target_spans(seg.target, hits))
        aff_src = (f'<span class="aff">{e(seg.prefix)}</span>' if seg.prefix else "") + src + (f'<span class="aff">{e(seg.suffix)}</span>' if seg.suffix else "")
        flags = "".join(f'<span class="flag">{e(f)}</span>' for f in seg.flags)
        cls = ' class="para"' if last_para is not None and seg.paragraph != last_para else ""
        last_para = seg.paragraph
        rows.append(
            f'<tr{cls} id="{e(seg.id, quote=True)}"><td class="id">{e(seg.id)}</td><td lang="{e(doc.source_lang, quote=True)}">{aff_src}</td>'
            f'<td lang="en">{tgt}</td><td class="st"><span class="{e(seg.status, quote=True)}">{e(seg.status)}</span>{flags}</td></tr>'
        )
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{e(doc.document)} — review report</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_REPORT_CSS}</style></head><body>'
        f"<h1>{e(doc.document)}</h1><p>{e(doc.source_lang)} → {e(doc.target_lang)}; {e(summary)}</p>"
        f'<table><thead><tr><th class="id">Segment</th><th>Source ({e(doc.source_lang)})</th><th>English</th><th class="st">Status</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></body></html>\n"
    )
    return page.encode("utf-8")


def export_documents(
    out_dir: Path,
    docs: list[str] | None,
    fmt: str,
    *,
    out: Path = Path("exports"),
    statuses: Iterable[str] | None = None,
    memory: bool = False,
    glossary: Glossary | None = None,
) -> list[Path]:
    """Write one export file per document (or, with ``memory``, the translation memory as TMX); return the paths."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    statuses = list(statuses or [])
    written: list[Path] = []
    if memory:
        if fmt != "tmx":
            raise InputError("--memory exports the translation memory as TMX; use --format tmx")
        if not out_dir.is_dir():
            raise InputError(f"{out_dir}: no translations directory; run `workbench translate` first")
        blobs = tmx_memory(out_dir, statuses)
        if not blobs:
            raise InputError("the translation memory is empty: no segment is edited or approved yet; review some first")
        for lang, data in sorted(blobs.items()):
            path = out / f"memory-{lang}.tmx"
            _write(path, data)
            written.append(path)
        return written
    # Everything is read and rendered before anything is written: an invalid translations
    # file stops the export with no file written, not with half of the documents exported.
    rendered: list[tuple[Path, bytes]] = []
    for path in store.list_files(out_dir, docs or None):
        doc = store.load(path)
        assert doc is not None
        stem = path.stem
        if fmt == "tmx":
            data = tmx_document(doc, stem, statuses, changed=_mtime(path))
        elif fmt == "xliff":
            data = xliff_document(doc, stem, statuses)
        elif fmt == "csv":
            data = csv_document(doc, statuses)
        else:
            data = html_report(doc, stem, statuses, glossary)
        rendered.append((out / f"{stem}.{EXTENSIONS[fmt]}", data))
    for target, data in rendered:
        _write(target, data)
        written.append(target)
    return written


def _write(path: Path, data: bytes) -> None:
    files.atomic_write_bytes(path, data)
