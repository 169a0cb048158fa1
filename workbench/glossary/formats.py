"""Glossary import and export: TBX, CSV, OmegaT."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import files, store
from workbench.files import csv_cell
from workbench.errors import GlossaryError
from workbench.glossary.core import Glossary
from workbench.glossary.model import _clean_variant, _slug
from workbench.glossary.edit import Change, _GlossaryText, _add_variant, _find_conflict, _finish, _norm_entry, _read, _strip_trailing_comments, _validate_text, term_to_entry

# --------------------------------------------------------------------------
# import / export: TBX (lxml, workbench.glossary.tbx), CSV, OmegaT tab-separated
# --------------------------------------------------------------------------

FORMATS = ("tbx", "tbx3", "csv", "omegat")
CSV_COLUMNS = ("en", "zh", "vi", "en_variants", "note", "domain")
_LIST_SEP = ";"


def detect_format(path: Path, fmt: str | None) -> str:
    """The exchange format: given, or from the extension (.tbx, .csv, .txt/.tab/.utf8 = OmegaT)."""
    if fmt:
        f = fmt.lower()
        if f not in FORMATS:
            raise GlossaryError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
        return f
    ext = path.suffix.lower()
    if ext == ".tbx":
        return "tbx"
    if ext == ".csv":
        return "csv"
    if ext in (".txt", ".tab", ".tsv", ".utf8"):
        return "omegat"
    raise GlossaryError(f"{path}: cannot tell the format from the extension {ext or '(none)'!r}; add --format tbx, csv or omegat")


def _omegat_lang(lang: str | None) -> str:
    """The glossary family (zh or vi) of an OmegaT glossary's source language tag (any tag
    :func:`workbench.ingest.normalize_lang` takes: zh_CN, zh-TW, zh-Hant-TW, vi_VN ...)."""
    from workbench.ingest import normalize_lang

    if not lang:
        raise GlossaryError("an OmegaT glossary has one source language; add --lang zh or --lang vi")
    code = normalize_lang(lang)
    if code == "en":
        raise GlossaryError(f"--lang {lang}: an OmegaT glossary's source language is Chinese or Vietnamese (English is the target); use --lang zh or --lang vi")
    return "zh" if code.startswith("zh") else code


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(_LIST_SEP) if v.strip()]


def read_entries(path: Path, fmt: str | None = None, lang: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Entries (plain dicts) from an exchange file, and warnings for what was skipped."""
    fmt = detect_format(path, fmt)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GlossaryError(f"{path}: no such file; check the path") from None
    except OSError as e:
        raise GlossaryError(f"cannot read {path}: {e.strerror or e}") from None
    warnings: list[str] = []
    entries: list[dict[str, Any]] = []
    if fmt in ("tbx", "tbx3"):
        from workbench.glossary.tbx import read_tbx

        entries = read_tbx(raw, str(path), warnings)
    else:
        text = _decode(raw, path)
        entries = _read_csv(text, path) if fmt == "csv" else _read_omegat(text, path, _omegat_lang(lang), warnings)
    out = []
    for i, e in enumerate(entries):
        e = _norm_entry(e)
        if not e["en"] or not (e["zh"] or e["vi"]):
            warnings.append(f"entry {i + 1}" + (f" ({e['en']!r})" if e["en"] else "") + ": skipped, " + ("no zh/vi variant" if e["en"] else "no English term"))
            continue
        out.append(e)
    return out, warnings


#: Column names other tools write (memoQ, Excel term lists, MS Terminology CSV) -> ours.
_CSV_ALIASES = {
    "english": "en", "en-us": "en", "en_us": "en", "en-gb": "en", "en_gb": "en", "source": "en",
    "zh-cn": "zh", "zh_cn": "zh", "zh-hans": "zh", "zh_hans": "zh", "zh-tw": "zh", "zh_tw": "zh", "zh-hant": "zh", "zh_hant": "zh", "zh-hk": "zh", "chinese": "zh",
    "vi-vn": "vi", "vi_vn": "vi", "vietnamese": "vi",
    "description": "note", "comment": "note", "comments": "note", "definition": "note", "notes": "note",
    "subject": "domain", "subject field": "domain", "pos": "pos", "part of speech": "pos",
}


def _decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM (OmegaT and Excel write both)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as e:
            raise GlossaryError(f"{path}: broken UTF-16 (byte {e.start}); save it again as UTF-8") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise GlossaryError(f"{path}: not UTF-8 or UTF-16 (byte {e.start}); save it as UTF-8") from None


def _read_csv(text: str, path: Path) -> list[dict[str, Any]]:
    if "," not in text.split("\n", 1)[0] and "\t" in text.split("\n", 1)[0]:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t")
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
    raw_cols = [c.strip() for c in reader.fieldnames or []]
    reader.fieldnames = [_CSV_ALIASES.get(c.lower(), c) for c in raw_cols]
    cols = list(reader.fieldnames)
    if "en" not in cols:
        raise GlossaryError(f"{path}: the first row must name the columns ({','.join(CSV_COLUMNS)}); 'en' is missing")
    unknown = [c for c in cols if c and c not in (*CSV_COLUMNS, "pos") and c.lower() not in ("zh-hans", "zh-hant")]
    if unknown:
        raise GlossaryError(f"{path}: unknown column(s) {', '.join(unknown)}; allowed: {', '.join(CSV_COLUMNS)}")
    out = []
    for row in reader:
        row = {(k or "").strip(): (v or "") for k, v in row.items() if k is not None}
        zh = _split_list(row.get("zh", "")) + _split_list(row.get("zh-Hans", row.get("zh-hans", ""))) + _split_list(row.get("zh-Hant", row.get("zh-hant", "")))
        if not any(v.strip() for v in row.values()):
            continue
        out.append({
            "en": row.get("en", ""),
            "zh": zh,
            "vi": _split_list(row.get("vi", "")),
            "en_variants": _split_list(row.get("en_variants", "")),
            "note": row.get("note") or None,
            "domain": row.get("domain") or None,
        })
    return out


def _read_omegat(text: str, path: Path, fam: str, warnings: list[str]) -> list[dict[str, Any]]:
    """OmegaT's glossary: tab-separated (``.txt``/``.tab``/``.utf8``) or its CSV layout
    (``source,target,comment``, quoted as CSV)."""
    by_en: dict[str, dict[str, Any]] = {}
    lines = text.splitlines()
    first = next((x for x in lines if x.strip() and not x.lstrip().startswith("#")), "")
    rows = list(csv.reader(lines)) if "\t" not in first and "," in first else [x.split("\t") for x in lines]
    for n, (line, cols) in enumerate(zip(lines, rows), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
            warnings.append(f"line {n}: not 'source<TAB>target[<TAB>comment]'")
            continue
        src, en = cols[0].strip(), _clean_variant(cols[1])
        comment = cols[2].strip() if len(cols) > 2 else ""
        e = by_en.setdefault(_slug(en) or en, {"en": en, fam: [], "note": None})
        e[fam].append(src)
        if comment and not e["note"]:
            e["note"] = comment
    return list(by_en.values())


@dataclass
class Export:
    """What a glossary export wrote: the file, its format, how many entries (OmegaT: lines),
    and the files beside it that it refers to (a TBX 2008 file's XCS)."""

    path: Path
    format: str
    count: int
    unit: str
    companions: list[Path] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, self.unit: self.count, "companions": [str(p) for p in self.companions]}


def write_entries(glossary: Glossary, path: Path, fmt: str | None = None, lang: str | None = None) -> Export:
    """Export every entry.

    TBX: TBX-Basic 2008 (``tbx``, with its XCS written beside it, as TBXChecker needs) or
    TBX v3 (``tbx3``), see :mod:`workbench.glossary.tbx`.
    CSV: UTF-8 with a BOM (spreadsheets open it right), formula-like cells neutralised.
    """
    fmt = detect_format(path, fmt)
    entries = [term_to_entry(t) for t in glossary.terms]
    companions: dict[str, bytes] = {}
    unit = "entries"
    if fmt in ("tbx", "tbx3"):
        from workbench.glossary.tbx import companion_files, tbx_text

        version = 3 if fmt == "tbx3" else 2
        text, n = tbx_text(glossary.terms, version), len(entries)
        companions = companion_files(version)
    elif fmt == "csv":
        text, n = "\ufeff" + _csv_text(entries), len(entries)
    else:
        text, n = _omegat_text(entries, _omegat_lang(lang))
        unit = "lines"
    store.atomic_write_text(path, text)
    written: list[Path] = []
    for name, data in companions.items():
        target = path.parent / name
        try:
            same = target.read_bytes() == data
        except OSError:
            same = False
        if not same:
            files.atomic_write_bytes(target, data)
        written.append(target)
    return Export(path, fmt, n, unit, written)


def _csv_text(entries: list[dict[str, Any]]) -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for e in entries:
        for k in ("zh", "vi", "en_variants"):
            bad = [v for v in e[k] if _LIST_SEP in v]
            if bad:
                raise GlossaryError(f"{e['en']!r}: the {k} variant {bad[0]!r} contains ';', which separates variants in CSV; export as TBX instead")
        w.writerow([csv_cell(x) for x in (e["en"], "; ".join(e["zh"]), "; ".join(e["vi"]), "; ".join(e["en_variants"]), e["note"] or "", e["domain"] or "")])
    return buf.getvalue()


def _omegat_text(entries: list[dict[str, Any]], fam: str) -> tuple[str, int]:
    lines = [f"# workbench glossary: {fam} -> en (OmegaT tab-separated: source, target, comment)"]
    for e in entries:
        for v in e[fam]:
            cells = [v, e["en"], e["note"] or ""]
            if any("\t" in c or "\n" in c for c in cells):
                raise GlossaryError(f"{e['en']!r}: a tab or line break cannot be written to an OmegaT glossary")
            lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines) + "\n", len(lines) - 1


def import_entries(path: Path, entries: list[dict[str, Any]], *, mode: str = "merge", source: str = "import", dry_run: bool = False) -> Change:
    """Merge entries into the glossary (new entries and variants; conflicts refused) or
    replace its whole list (``mode="replace"``, the header comments are kept)."""
    if mode not in ("merge", "replace"):
        raise GlossaryError(f"unknown import mode {mode!r}; use merge or replace")
    text, g = _read(path)
    original = text.encode("utf-8")
    incoming: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for e in (_norm_entry(x) for x in entries):  # the same term twice in the file: merge the two
        tid = _slug(e["en"])
        if tid in seen:
            prev = incoming[seen[tid]]
            for k in ("zh", "vi", "en_variants"):
                prev[k] += [v for v in e[k] if v not in prev[k]]
            prev["note"] = prev["note"] or e["note"]
            prev["domain"] = prev["domain"] or e["domain"]
        else:
            seen[tid] = len(incoming)
            incoming.append(e)
    details: dict[str, Any] = {"mode": mode, "new": 0, "updated": 0, "unchanged": 0, "variants_added": 0}
    doc = _GlossaryText(path, text, g)
    if mode == "replace":
        problem = _find_conflict([(e, f"{source} entry {i + 1}") for i, e in enumerate(incoming)])
        if problem:
            raise GlossaryError(f"{problem}; nothing was written")
        header_end = doc.data.lc.key("version")[0] if "version" in doc.data else 0
        parts = ["".join(doc.lines[:header_end]), "version: 1", doc.newline, "terms:", doc.newline if incoming else " []" + doc.newline]
        blank = doc.newline if doc._blank_between() else ""
        parts.append(blank.join(doc.render(doc.new_map(e)) for e in incoming))
        new_text = "".join(parts)
        details["new"] = len(incoming)
    else:
        by_id = {t.id: i for i, t in enumerate(g.terms)}
        current = [term_to_entry(t) for t in g.terms]
        labels = [f"{path} line {t.line}" for t in g.terms]
        replacements: dict[int, Any] = {}
        added: list[dict[str, Any]] = []
        flow = doc._flow_lists()
        for n, e in enumerate(incoming):
            i = by_id.get(_slug(e["en"]))
            if i is None:
                added.append(e)
                current.append(e)
                labels.append(f"{source} entry {n + 1}")
                continue
            m = doc.entry_map(i)
            _strip_trailing_comments(m)
            cur = current[i]
            before = sum(len(cur[k]) for k in ("zh", "vi", "en_variants"))
            for k in ("zh", "vi", "en_variants"):
                for v in e[k]:
                    _add_variant(m, cur, k, v, flow)
            changed = sum(len(cur[k]) for k in ("zh", "vi", "en_variants")) - before
            from ruamel.yaml.scalarstring import DoubleQuotedScalarString

            for k in ("note", "domain"):
                if e[k] and not cur[k]:
                    m[k] = DoubleQuotedScalarString(e[k]) if k == "note" else e[k]
                    cur[k] = e[k]
                    changed += 1
            if changed:
                replacements[i] = m
                details["updated"] += 1
                details["variants_added"] += sum(len(cur[k]) for k in ("zh", "vi", "en_variants")) - before
            else:
                details["unchanged"] += 1
        problem = _find_conflict(list(zip(current, labels)))
        if problem:
            raise GlossaryError(f"{problem}; nothing was written")
        new_text = text
        for i in sorted(replacements, reverse=True):  # bottom-up: earlier spans stay valid
            sp = doc.spans[i]
            lines = new_text.splitlines(keepends=True)
            new_text = "".join(lines[: sp.start]) + doc.render(replacements[i]) + "".join(lines[sp.body_end :])
        if added:
            doc2 = _GlossaryText(path, new_text, g)
            sep = doc2.newline if doc2._blank_between() else ""
            new_text = doc2.inserted(sep.join(doc2.render(doc2.new_map(e)) for e in added))
        details["new"] = len(added)
    new = _validate_text(new_text, path)
    change = Change("import", path, g, new, None, new_text, details=details)
    return _finish(change, original, dry_run)

