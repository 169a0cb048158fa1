"""Import: translations made in another CAT tool (OmegaT, memoQ, Trados...) come home.

    result = import_file(Path("translations"), Path("omegat/target/doc.xlf"), dry_run=True)
    for c in result.changes: print(c.stem, c.segment, c.action, c.new_target)

Reads XLIFF 1.2 (and 1.1), XLIFF 2.0 and TMX 1.4 through translate-toolkit. Each unit is
matched to a segment by id first (our XLIFF exports use segment ids as trans-unit ids, our TMX
``tuid`` is ``<stem>:<id>``) when the source text agrees, then by source text (every segment
with that source, in the unit's document when it names one of ours, else in all documents).

States: XLIFF 1.2 ``state`` ``final``, ``signed-off`` (2.0: ``final``), or ``approved="yes"`` where no
``state`` says otherwise -> approved;
``translated`` (2.0: ``translated``, ``reviewed``) -> edited; ``needs-review-*``, ``new``,
``needs-translation`` (2.0: ``initial``) -> draft; a TMX entry -> its ``x-status`` property, else
edited (a translation memory holds confirmed translations). memoQ's ``mq:status`` (Proofread,
Reviewer*Confirmed -> approved; ManuallyConfirmed -> edited; others draft) and Trados'
``sdl:seg conf`` (Approved* -> approved; Translated -> edited; others draft) come before ``state``.
A changed target always lands as
at least ``edited``: someone wrote it.

Human work is sacred: a target that differs from an edited or approved segment's (or from a
hand-changed draft's) is not applied but kept on the segment under ``conflicts`` for the
reviewer; a target that is just the Chinese source copied (an untranslated segment in another
tool's file) is no translation and is skipped; a status is raised (draft -> edited -> approved), never lowered. Every document is
changed under the per-file lock the review commands take, re-read inside it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import store
from workbench.errors import InputError

RANK = {"draft": 0, "edited": 1, "approved": 2}
XLIFF1_STATES = {
    "final": "approved", "signed-off": "approved", "translated": "edited",
    "needs-review-translation": "draft", "needs-review-adaptation": "draft", "needs-review-l10n": "draft",
    "needs-translation": "draft", "needs-adaptation": "draft", "needs-l10n": "draft", "new": "draft",
}
#: memoQ's ``mq:status`` on a trans-unit (.mqxliff).
MEMOQ_STATES = {
    "Proofread": "approved", "Reviewer1Confirmed": "approved", "Reviewer2Confirmed": "approved",
    "ManuallyConfirmed": "edited", "Confirmed": "edited", "PartiallyEdited": "draft", "Pretranslated": "draft",
    "NotStarted": "draft", "MachineTranslated": "draft", "Rejected": "draft", "Edited": "draft",
}
#: Trados' ``sdl:seg conf`` (.sdlxliff).
SDL_STATES = {
    "ApprovedSignOff": "approved", "ApprovedTranslation": "approved", "Translated": "edited",
    "Draft": "draft", "RejectedTranslation": "draft", "RejectedSignOff": "draft",
}
XLIFF2_STATES = {"final": "approved", "reviewed": "edited", "translated": "edited", "initial": "draft"}


@dataclass
class Unit:
    """One translation read from the file."""

    id: str
    source: str
    target: str
    status: str
    document: str = ""  # the document the file says the unit belongs to ("" if none)
    stem: str = ""  # our TMX's tuid prefix


@dataclass
class Change:
    """What the import does (or would do) to one segment."""

    stem: str
    segment: str
    action: str  # "applied", "status", "conflict"
    matched_by: str  # "id" or "source"
    old_target: str
    new_target: str
    old_status: str
    new_status: str
    unit: str

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


@dataclass
class ImportResult:
    file: str
    format: str
    units: int
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    unmatched: list[str] = field(default_factory=list)  # unit ids (or sources) with no segment
    written: list[str] = field(default_factory=list)
    memory_file: str = ""
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        counts = {a: sum(1 for c in self.changes if c.action == a) for a in ("applied", "status", "conflict")}
        return {
            "file": self.file, "format": self.format, "units": self.units, "counts": counts, "unchanged": self.unchanged,
            "changes": [c.as_dict() for c in self.changes], "unmatched": self.unmatched, "written": self.written,
            "memory_file": self.memory_file, "dry_run": self.dry_run,
        }


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


#: How a source sentence is matched across files: NFC, white space folded.
source_key = _norm


# ---------------------------------------------------------------- reading


def _local(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _ancestor(el: Any, name: str) -> Any:
    a = el.getparent()
    while a is not None and _local(a) != name:
        a = a.getparent()
    return a


def read_units(path: Path) -> tuple[str, list[Unit], str]:
    """(format, units, source language as the file says) of an XLIFF or TMX file."""
    from lxml import etree

    if not path.is_file():
        raise InputError(f"{path}: no such file")
    ext = path.suffix.lower()
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: not well-formed XML ({exc.msg}, line {exc.lineno}); fix or re-export the file") from None
    name = _local(root)
    if name == "tmx":
        return "tmx", _tmx_units(root), _tmx_srclang(root)
    if name == "xliff":
        version = root.get("version", "")
        if version.startswith("2."):
            return "xliff2", _xliff2_units(path), root.get("srcLang", "")
        return "xliff", _xliff1_units(path), next((f.get("source-language", "") for f in root.iter() if _local(f) == "file"), "")
    raise InputError(f"{path}: not XLIFF or TMX (root element <{name}>{'' if ext in ('.xlf', '.xliff', '.tmx', '.sdlxliff', '.mqxliff') else ', extension ' + ext}); give an .xlf/.xliff or .tmx file")


def _xliff1_units(path: Path) -> list[Unit]:
    from translate.storage import xliff

    try:
        f = xliff.xlifffile.parsefile(str(path))
    except (ValueError, AssertionError) as exc:
        raise InputError(f"{path}: cannot read this XLIFF ({exc})") from None
    out = []
    for u in f.units:
        if u.isheader() or not u.source:
            continue
        el = u.xmlelement
        target_el = next((c for c in el if _local(c) == "target"), None)
        state = target_el.get("state", "") if target_el is not None else ""
        mq = next((v for k, v in el.attrib.items() if k.endswith("}status") and "MQXliff" in k), None)
        sdl = next((c.get("conf") for c in el.iter() if _local(c) == "seg" and c.get("conf")), None)
        if mq in MEMOQ_STATES:
            status = MEMOQ_STATES[mq]
        elif sdl in SDL_STATES:
            status = SDL_STATES[sdl]
        elif state:  # the state decides: translate-toolkit sets approved="yes" on any target it writes
            status = XLIFF1_STATES.get(state, "edited")
        elif el.get("approved") == "yes":
            status = "approved"
        else:
            status = "edited"  # a target with no state: a translator wrote it (OmegaT's target files)
        fnode = _ancestor(el, "file")
        out.append(Unit(id=el.get("id") or "", source=str(u.source), target=str(u.target or ""), status=status,
                        document=fnode.get("original", "") if fnode is not None else ""))
    return out


def _xliff2_units(path: Path) -> list[Unit]:
    from translate.storage import xliff2

    try:
        f = xliff2.Xliff2File.parsefile(str(path))
    except (ValueError, AssertionError) as exc:
        raise InputError(f"{path}: cannot read this XLIFF 2 ({exc})") from None
    out = []
    for u in f.units:
        if not u.source:
            continue
        el = u.xmlelement
        unit_el = el if _local(el) == "unit" else _ancestor(el, "unit")
        seg_el = el if _local(el) == "segment" else next((c for c in el.iter() if _local(c) == "segment"), el)
        status = XLIFF2_STATES.get(seg_el.get("state", ""), "edited")
        fnode = _ancestor(el, "file")
        uid = (unit_el.get("id") if unit_el is not None else None) or el.get("id") or ""
        out.append(Unit(id=uid, source=str(u.source), target=str(u.target or ""), status=status,
                        document=(fnode.get("original") or "") if fnode is not None else ""))
    return out


def _seg_text(seg: Any) -> str:
    """A TMX <seg>'s text without its inline codes' content."""
    return (seg.text or "") + "".join(c.tail or "" for c in seg)


def _tmx_srclang(root: Any) -> str:
    header = next((c for c in root if _local(c) == "header"), None)
    return header.get("srclang", "") if header is not None else ""


def _tmx_units(root: Any) -> list[Unit]:
    srclang = _tmx_srclang(root).lower()
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    out = []
    for tu in root.iter():
        if _local(tu) != "tu":
            continue
        tuvs = []
        for tuv in tu:
            if _local(tuv) == "tuv":
                seg = next((c for c in tuv if _local(c) == "seg"), None)
                tuvs.append(((tuv.get(xml_lang) or tuv.get("lang") or "").lower(), _seg_text(seg) if seg is not None else ""))
        if len(tuvs) < 2:
            continue
        en = [t for lang, t in tuvs if lang.startswith("en")]
        others = [t for lang, t in tuvs if not lang.startswith("en")]
        if srclang.startswith("en") or not others:  # an English source: first is source
            source, target = tuvs[0][1], tuvs[1][1]
        elif en:
            source = next((t for lang, t in tuvs if lang == srclang), others[0])
            target = en[0]
        else:
            continue  # no English side
        props = {p.get("type", ""): (p.text or "") for p in tu if _local(p) == "prop"}
        tuid = tu.get("tuid", "")
        stem, _, sid = tuid.partition(":") if ":" in tuid else ("", "", tuid)
        status = props.get("x-status") if props.get("x-status") in RANK else "edited"
        out.append(Unit(id=props.get("x-segment-id") or sid, source=source, target=target, status=status,
                        document=props.get("x-document", ""), stem=stem))
    return out


# ---------------------------------------------------------------- matching and applying


def _candidates(unit: Unit, names: dict[str, str], forced: bool) -> list[str]:
    """The documents (stems) a unit may land in: the one it names, else all."""
    if forced:
        return list(names)
    named = [stem for stem, doc in names.items() if unit.document and (doc == unit.document or Path(doc).name == Path(unit.document).name)]
    named += [stem for stem in names if unit.stem and stem == unit.stem and stem not in named]
    return named or list(names)


def plan(units: list[Unit], docs: dict[str, store.StoredDocument], file_name: str, names: dict[str, str] | None = None, forced: bool = False) -> tuple[list[Change], int, list[str]]:
    """The changes the units make to ``docs`` (stem -> document), applied to them in place;
    also the number of units that change nothing and the units that match no segment.
    ``names`` (stem -> document path, of every document of the project) decides which
    documents a unit that names its document may land in (default: those of ``docs``)."""
    names = names if names is not None else {stem: d.document for stem, d in docs.items()}
    by_id: dict[str, dict[str, store.Segment]] = {stem: {s.id: s for s in d.segments} for stem, d in docs.items()}
    by_source: dict[str, dict[str, list[store.Segment]]] = {}
    for stem, d in docs.items():
        idx: dict[str, list[store.Segment]] = {}
        for s in d.segments:
            if s.source:
                idx.setdefault(_norm(s.source), []).append(s)
        by_source[stem] = idx
    changes: list[Change] = []
    unchanged = 0
    unmatched: list[str] = []
    done: set[tuple[str, str]] = set()  # (stem, id) already decided by an id match
    matches: list[tuple[Unit, str, store.Segment, str]] = []
    for unit in units:
        if not unit.target.strip() or (_norm(unit.target) == _norm(unit.source) and any(c.isalpha() and ord(c) > 0x2e7f for c in unit.source)):
            continue  # no target, or the source copied as target (OmegaT's untranslated segments in a CJK document)
        stems = [stem for stem in _candidates(unit, names, forced) if stem in docs]
        key = _norm(unit.source)
        hit = [(stem, by_id[stem][unit.id]) for stem in stems if unit.id in by_id[stem] and _norm(by_id[stem][unit.id].source) == key]
        if hit:
            matches.extend((unit, stem, seg, "id") for stem, seg in hit)
            continue
        found = [(stem, seg) for stem in stems for seg in by_source[stem].get(key, [])]
        if not found:
            unmatched.append(unit.id or unit.source[:60])
        matches.extend((unit, stem, seg, "source") for stem, seg in found)
    for unit, stem, seg, how in sorted(matches, key=lambda m: 0 if m[3] == "id" else 1):
        if (stem, seg.id) in done:
            continue
        done.add((stem, seg.id))
        where = f"{file_name}#{unit.id}" if unit.id else file_name
        target = unit.target.strip()
        if target == seg.target.strip():
            if RANK[unit.status] > RANK[seg.status]:
                changes.append(Change(stem, seg.id, "status", how, seg.target, target, seg.status, unit.status, where))
                seg.status = unit.status
            else:
                unchanged += 1
            continue
        if store.is_human(seg):
            conflict = {"target": target, "status": unit.status, "from": where}
            if any(c.get("target") == target for c in seg.conflicts):
                unchanged += 1
                continue
            changes.append(Change(stem, seg.id, "conflict", how, seg.target, target, seg.status, seg.status, where))
            seg.conflicts.append(conflict)
            continue
        new_status = unit.status if RANK[unit.status] >= RANK["edited"] else "edited"
        changes.append(Change(stem, seg.id, "applied", how, seg.target, target, seg.status, new_status, where))
        seg.target, seg.status = target, new_status
    return changes, unchanged, unmatched


def import_file(
    out_dir: Path,
    file: Path,
    document: str | None = None,
    *,
    dry_run: bool = False,
    memory: bool = False,
    glossary_path: Path | None = None,
) -> ImportResult:
    """Bring the translations of ``file`` (XLIFF or TMX) into the translations files."""
    from workbench import review

    fmt, units, srclang = read_units(file)
    result = ImportResult(file=str(file), format=fmt, units=len(units), dry_run=dry_run)
    paths = store.list_files(out_dir, [document] if document else None)
    if not paths:
        raise InputError(f"{out_dir}: no translations files; run `workbench translate` first")
    # plan on what is on disk now (dry run: this is the answer; otherwise re-planned under each lock)
    loaded = {p.stem: store.load(p) for p in paths}
    docs = {k: v for k, v in loaded.items() if v is not None and not is_memory_file(v)}
    names = {stem: d.document for stem, d in docs.items()}
    changes, unchanged, unmatched = plan(units, docs, file.name, names, forced=bool(document))
    result.unmatched, result.unchanged = unmatched, unchanged
    if memory:
        result.memory_file = str(_memory_path(out_dir, file))
    if dry_run:
        result.changes = changes
        return result
    glossary = review.load_glossary(glossary_path)
    for stem in sorted({c.stem for c in changes}):
        path = store.path_for(out_dir, stem)
        with review.file_lock(out_dir, stem):  # re-read inside the lock: a reviewer may have saved meanwhile
            fresh = store.load(path)
            if fresh is None:
                continue
            doc_changes, _unchanged, _unmatched = plan(units, {stem: fresh}, file.name, names, forced=bool(document))
            for c in doc_changes:
                if c.action in ("applied", "status"):
                    review.recheck(next(s for s in fresh.segments if s.id == c.segment), fresh, glossary)
            if store.save(fresh, path):
                result.written.append(str(path))
            result.changes.extend(doc_changes)
    if memory:
        _write_memory(out_dir, file, units, srclang)
    return result


def _memory_path(out_dir: Path, file: Path) -> Path:
    return out_dir / f"tm-{file.stem}.yaml"


def _write_memory(out_dir: Path, file: Path, units: list[Unit], srclang: str) -> Path:
    """The file's translations as a memory-only translations file (``tm-<name>.yaml``): its edited
    and approved entries join the translation memory that translate and the review page use."""
    import hashlib

    from workbench import review
    from workbench.ingest import detect_language, normalize_lang

    try:
        lang = normalize_lang(srclang) if srclang and srclang != "*all*" else detect_language(" ".join(u.source for u in units[:200]))
    except InputError as exc:
        raise InputError(f"{file}: source language {srclang!r}: {exc}") from None
    taken: set[str] = set()
    segments = []
    for u in units:
        if u.source.strip() and u.target.strip():
            status = u.status if u.status in ("edited", "approved") else "edited"
            segments.append(store.Segment(id=store.segment_id("", u.source, "", taken), source=u.source.strip(), target=u.target.strip(), status=status, gap="\n" if segments else "", origin=f"import:{file.name}"))
    digest = hashlib.sha256(file.read_bytes()).hexdigest()[:12]
    doc = store.StoredDocument(
        document=f"{file.name}", source_lang=lang, target_lang="en",
        signature={"engine": "memory", "imported": file.name, "string": f"memory:{file.name}:{digest}"},
        segments=segments,
    )
    path = _memory_path(out_dir, file)
    with review.file_lock(out_dir, path.stem):
        store.save(doc, path)
    return path


def is_memory_file(doc: store.StoredDocument) -> bool:
    """Is this translations file a memory imported with ``--memory`` (no document to build)?"""
    return doc.signature.get("engine") == "memory"


def resolve(out_dir: Path, doc: str, seg_id: str, take: int | None = None, glossary_path: Path | None = None) -> store.Segment:
    """Settle a segment's imported conflicts: ``take=N`` (1-based) puts conflict N's target in
    (status edited: the reviewer approves it when satisfied); ``None`` keeps ours. Either way the
    conflicts are cleared. Under the per-file lock."""
    from workbench import review

    path = review.path_of(out_dir, doc)
    with review.file_lock(out_dir, path.stem):
        opened = review.open_doc(out_dir, path.stem)
        seg = opened.doc.segments[review.find_segment(opened.doc, seg_id, path.stem)]
        if not seg.conflicts:
            raise InputError(f"segment {seg_id} of {path.stem} has no imported conflict to resolve")
        if take is not None:
            if not 1 <= take <= len(seg.conflicts):
                raise InputError(f"segment {seg_id} has {len(seg.conflicts)} conflicts; --take 1 to {len(seg.conflicts)}")
            seg.target = seg.conflicts[take - 1].get("target", "").strip() or seg.target
            seg.status = "edited"
        seg.conflicts = []
        review.recheck(seg, opened.doc, review.load_glossary(glossary_path))
        store.save(opened.doc, path)
    return seg
