"""Exports of translations files: TMX 1.4b, XLIFF 1.2, CSV and a static HTML report.

    paths = export_documents(Path("translations"), ["000_093349a39d32f8f2"], "xliff", out=Path("exports"))

TMX and XLIFF are written with translate-toolkit so that OmegaT and translate-toolkit
read them back. Review state is kept: XLIFF ``approved="yes"`` and ``state``
(draft -> needs-review-translation, edited -> translated, approved -> final);
TMX ``<prop type="x-status">``. Language codes: zh-Hans, zh-Hant, vi, en.
One file per document (``exports/<stem>.<ext>``); ``memory=True`` writes the
translation memory (every edited/approved segment of every document) as
``exports/memory-<lang>.tmx``, one file per source language.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path
from typing import Iterable

from workbench import review, store
from workbench.errors import InputError
from workbench.glossary import Glossary

FORMATS = ("tmx", "xliff", "csv", "html")
EXTENSIONS = {"tmx": "tmx", "xliff": "xlf", "csv": "csv", "html": "html"}
XLIFF_STATES = {"draft": "needs-review-translation", "edited": "translated", "approved": "final"}
STATUS_FROM_XLIFF_STATE = {v: k for k, v in XLIFF_STATES.items()}
CSV_COLUMNS = ["document", "id", "paragraph", "status", "source", "target", "mt", "prefix", "suffix", "flags", "note", "origin"]


def _segments(doc: store.StoredDocument, statuses: Iterable[str] | None) -> list[store.Segment]:
    wanted = set(statuses or ())
    return [s for s in doc.segments if s.source and (not wanted or s.status in wanted)]


def _tmx_props(unit: object, props: list[tuple[str, str]]) -> None:
    """Add ``<prop type=...>`` elements to a TMX ``<tu>`` (before its ``<tuv>``s, as TMX 1.4b orders them)."""
    from lxml import etree

    tu = unit.xmlelement  # type: ignore[attr-defined]
    for i, (kind, value) in enumerate(props):
        prop = etree.Element("prop")
        prop.set("type", kind)
        prop.text = value
        tu.insert(i, prop)


def _add_tuv(unit: object, text: str, lang: str) -> None:
    from lxml import etree

    tuv = etree.SubElement(unit.xmlelement, "tuv")  # type: ignore[attr-defined]
    tuv.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    etree.SubElement(tuv, "seg").text = text


def _tmx_bytes(units: list[tuple[str, str, str, list[tuple[str, str]]]], source_lang: str, target_lang: str = "en") -> bytes:
    """units: (tuid, source, target, props)."""
    from translate.storage import tmx

    f = tmx.tmxfile(sourcelanguage=source_lang, targetlanguage=target_lang)
    for tuid, source, target, props in units:
        unit = f.addsourceunit(source)
        if source_lang == target_lang:  # an English source: translate-toolkit would overwrite the one <tuv>
            _add_tuv(unit, target, target_lang)
        else:
            unit.settarget(target)
        unit.xmlelement.set("tuid", tuid)
        _tmx_props(unit, props)
    return bytes(f)


def tmx_document(doc: store.StoredDocument, stem: str, statuses: Iterable[str] | None = None) -> bytes:
    units = []
    for seg in _segments(doc, statuses):
        props = [("x-status", seg.status), ("x-document", doc.document), ("x-segment-id", seg.id)]
        if seg.flags:
            props.append(("x-flags", " ".join(seg.flags)))
        units.append((f"{stem}:{seg.id}", seg.source, seg.target, props))
    return _tmx_bytes(units, doc.source_lang, doc.target_lang)


def tmx_memory(out_dir: Path, statuses: Iterable[str] | None = None) -> dict[str, bytes]:
    """The translation memory as TMX, one file per source language: {lang: bytes}."""
    wanted = set(statuses or ())
    by_lang: dict[str, list[tuple[str, str, str, list[tuple[str, str]]]]] = {}
    seen: set[tuple[str, str, str]] = set()
    for e in review.memory_entries(out_dir):
        if wanted and e.status not in wanted:
            continue
        if (e.source_lang, e.source, e.target) in seen:
            continue
        seen.add((e.source_lang, e.source, e.target))
        props = [("x-status", e.status), ("x-document", e.document), ("x-segment-id", e.segment)]
        by_lang.setdefault(e.source_lang, []).append((f"{e.stem}:{e.segment}", e.source, e.target, props))
    return {lang: _tmx_bytes(units, lang) for lang, units in by_lang.items()}


XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"


def _xliff12_class() -> type:
    from translate.storage import xliff

    class Xliff12File(xliff.xlifffile):  # type: ignore[misc, valid-type]
        """translate-toolkit's XLIFF store, writing version 1.2 (it reads both)."""

        namespace = XLIFF_NS
        XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")

    return Xliff12File


def xliff_document(doc: store.StoredDocument, stem: str, statuses: Iterable[str] | None = None) -> bytes:
    from lxml import etree

    f = _xliff12_class()(sourcelanguage=doc.source_lang, targetlanguage=doc.target_lang)
    segs = _segments(doc, statuses)
    for seg in segs:
        unit = f.addsourceunit(seg.source, filename=doc.document, createifmissing=True)
        unit.setid(seg.id)
        unit.settarget(seg.target)
        if seg.flags:
            unit.addnote("QA: " + ", ".join(seg.flags), origin="workbench")
        if seg.note:
            unit.addnote(seg.note, origin="reviewer")
    root = f.document.getroot()
    by_id = {s.id: s for s in segs}
    for node in root.iter(f"{{{XLIFF_NS}}}file"):
        node.set("source-language", doc.source_lang)
        node.set("target-language", doc.target_lang)
        node.set("datatype", "plaintext")
    for tu in root.iter(f"{{{XLIFF_NS}}}trans-unit"):
        seg = by_id[tu.get("id")]
        tu.set("approved", "yes" if seg.status == "approved" else "no")
        for target in tu.iter(f"{{{XLIFF_NS}}}target"):
            target.set("state", XLIFF_STATES[seg.status])
    etree.cleanup_namespaces(root)
    return bytes(f)


def csv_document(doc: store.StoredDocument, statuses: Iterable[str] | None = None) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for seg in _segments(doc, statuses):
        w.writerow([doc.document, seg.id, seg.paragraph, seg.status, seg.source, seg.target, seg.mt or "", seg.prefix, seg.suffix, " ".join(seg.flags), seg.note, seg.origin])
    return buf.getvalue().encode("utf-8")


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
            data = tmx_document(doc, stem, statuses)
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
    store.atomic_write_text(path, data.decode("utf-8"))
