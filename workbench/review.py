"""Review: show, approve, edit, revert, split and merge segments of a translations file,
and look up the translation memory formed by reviewed work.

    opened = open_doc(Path("translations"), "000_093349a39d32f8f2")
    change = edit(Path("translations"), "000_093349a39d32f8f2", opened.doc.segments[0].id,
                  "Letter dated 25 March 2021 ...", expected_digest=opened.digest)
    change.digest  # sha256 of the file now on disk; send it with the next change

Every change loads the file, checks that it is still the version the caller saw
(``expected_digest``, the sha256 of its bytes; a mismatch raises a ``StoreError``
starting with ``stale:``), applies the change, recomputes the touched segments'
glossary terms and QA flags, and saves atomically — all under a short per-file lock
``translations/.<stem>.lock`` so two writers never interleave.

Translation memory: edited and approved segments of every document.
:func:`memory` maps a source sentence to its reviewed English; :func:`fuzzy` finds
the closest reviewed sources (``difflib`` ratio ≥ 0.75 by default) with the
differences marked.
"""

from __future__ import annotations

import difflib
import hashlib
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from workbench import qa, store
from workbench.errors import InputError, StoreError
from workbench.glossary import Glossary, Hit

LOCK_TIMEOUT = 10.0  # seconds; a change is a load + save, so this only waits out another change


# ---------------------------------------------------------------- opening


@dataclass
class Opened:
    """A translations file as read: its document, path and the digest of its bytes."""

    stem: str
    path: Path
    doc: store.StoredDocument
    digest: str


def stem_of(doc: str | Path) -> str:
    """The stem of a DOC given as a source path (seeds/x.txt), a yaml path or a stem."""
    name = Path(str(doc)).name
    stem = Path(name).stem if "." in name else name
    if not stem or stem.startswith("."):
        raise InputError(f"{doc}: not a document name; give a source path or its stem (see `workbench status`)")
    return stem


def path_of(out_dir: Path, doc: str | Path) -> Path:
    stem = stem_of(doc)
    path = store.path_for(out_dir, stem)
    if not path.exists():
        if not out_dir.is_dir():
            raise StoreError(f"{out_dir}: no translations directory; run `workbench translate` first")
        raise StoreError(f"{doc}: no translations file {path}; run `workbench translate {doc}` first")
    return path


def open_doc(out_dir: Path, doc: str | Path) -> Opened:
    """Read DOC's translations file (DOC: source path or stem) with the digest of the bytes read."""
    path = path_of(out_dir, doc)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StoreError(f"{path}: not UTF-8 text; restore it from version control or delete it to start over") from None
    return Opened(stem=path.stem, path=path, doc=store.loads(text, str(path)), digest=hashlib.sha256(raw).hexdigest())


def find_segment(doc: store.StoredDocument, seg_id: str, name: str = "") -> int:
    for i, seg in enumerate(doc.segments):
        if seg.id == seg_id:
            return i
    where = f" in {name}" if name else ""
    raise InputError(f"no segment {seg_id!r}{where}; list the ids with `workbench review show {name or 'DOC'}`")


# ---------------------------------------------------------------- glossary and QA

_GLOSSARY_CACHE: dict[tuple[str, float], Glossary] = {}
_GLOSSARY_LOCK = threading.Lock()


def load_glossary(path: Path | None = None) -> Glossary:
    """The glossary at ``path`` (default ./glossary.yaml; none there: empty), cached by mtime."""
    if path is None:
        path = Path("glossary.yaml")
        if not path.exists():
            return Glossary.empty()
    try:
        key = (str(path.resolve()), path.stat().st_mtime)
    except FileNotFoundError:
        from workbench.errors import GlossaryError

        raise GlossaryError(f"{path}: no such glossary file; give an existing --glossary or omit it") from None
    with _GLOSSARY_LOCK:
        g = _GLOSSARY_CACHE.get(key)
        if g is None:
            g = Glossary.load(path)
            _GLOSSARY_CACHE.clear()
            _GLOSSARY_CACHE[key] = g
    return g


def engine_is_mt(doc: store.StoredDocument) -> bool:
    return str(doc.signature.get("engine", "")) not in ("copy", "") or doc.source_lang == "en"


def hits_for(seg: store.Segment, doc: store.StoredDocument, glossary: Glossary) -> list[Hit]:
    return hits_and_candidates(seg, doc, glossary)[0]


def hits_and_candidates(seg: store.Segment, doc: store.StoredDocument, glossary: Glossary) -> tuple[list[Hit], list[str]]:
    """The segment's hits (terms, non-translatables, auto-translatables) and candidate term ids."""
    if not seg.source or doc.source_lang == "en":
        return [], []
    from workbench.translate import find_hits

    hits, cands = find_hits(glossary, [seg.source], doc.source_lang)
    return hits[0], cands[0]


def recheck(seg: store.Segment, doc: store.StoredDocument, glossary: Glossary) -> None:
    """Recompute a segment's glossary uses and QA flags for its current target."""
    if not seg.source:
        seg.terms, seg.flags = [], []
        return
    hits, cands = hits_and_candidates(seg, doc, glossary)
    human = seg.status in store.HUMAN_STATUSES
    method = "kept" if human else ("inline" if engine_is_mt(doc) else "copy")
    seg.terms = qa.term_uses(hits, seg.target, method, glossary)
    # a copy draft keeps `no-mt` while its target is still mostly source, approved or not
    is_mt = engine_is_mt(doc) or (seg.origin not in ("copy", "") and not seg.origin.startswith("copy"))
    seg.flags = qa.flags_for(seg.source, seg.target, seg.terms, source_lang=doc.source_lang, is_mt=is_mt, candidates=cands, glossary=glossary, human=human)
    # a dismissal lasts while its flag does
    seg.dismissed = {f: why for f, why in seg.dismissed.items() if f in seg.flags}


def target_spans(target: str, hits: list[Hit]) -> list[tuple[int, int, str]]:
    """Where each hit's English rendering (or a non-translatable) occurs in ``target``: (start, end, en)."""
    spans: list[tuple[int, int, str]] = []
    lowered = target.lower()
    for h in hits:
        needle = (h.surface if h.kind == "nt" else h.en).lower()
        if not needle:
            continue
        start = 0
        while True:
            i = lowered.find(needle, start)
            if i < 0:
                break
            spans.append((i, i + len(needle), h.en))
            start = i + len(needle)
    spans.sort()
    out: list[tuple[int, int, str]] = []
    for s in spans:  # non-overlapping, leftmost first
        if not out or s[0] >= out[-1][1]:
            out.append(s)
    return out


# ---------------------------------------------------------------- changes


@dataclass
class Change:
    """What a change did: the file's new digest and the ids of the segments touched."""

    stem: str
    path: Path
    digest: str
    segments: list[str]
    written: bool
    doc: store.StoredDocument


@contextmanager
def file_lock(out_dir: Path, stem: str) -> Iterator[None]:
    """The short per-file lock every writer of ``translations/<stem>.yaml`` takes around load-check-save."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(out_dir / f".{stem}.lock"), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise StoreError(f"{out_dir / (stem + '.yaml')}: another change is being saved (lock {lock.lock_file}); try again") from None
    try:
        yield
    finally:
        lock.release()


def _apply(
    out_dir: Path,
    doc: str | Path,
    expected_digest: str | None,
    fn: Callable[[store.StoredDocument, str], list[str]],
    glossary: Glossary | None,
) -> Change:
    path = path_of(out_dir, doc)
    with file_lock(out_dir, path.stem):
        opened = open_doc(out_dir, path.stem)
        if expected_digest is not None and expected_digest != opened.digest:
            raise StoreError(
                f"stale: {path} was changed since you loaded it (another tab, a hand edit or a translate run); reload it and make your change again"
            )
        gl = glossary if glossary is not None else load_glossary(None)
        touched = fn(opened.doc, path.stem)
        for sid in touched:
            recheck(opened.doc.segments[find_segment(opened.doc, sid)], opened.doc, gl)
        written = store.save(opened.doc, path)
        digest = store.file_digest(path) or ""
    return Change(stem=path.stem, path=path, digest=digest, segments=touched, written=written, doc=opened.doc)


def edit(out_dir: Path, doc: str | Path, seg_id: str, text: str, expected_digest: str | None = None, glossary: Glossary | None = None) -> Change:
    """Set a segment's English to ``text``; its status becomes ``edited``."""
    text = text.strip()
    if not text:
        raise InputError("the new target is empty; give the English text (or use revert to go back to the machine draft)")

    def fn(d: store.StoredDocument, name: str) -> list[str]:
        seg = d.segments[find_segment(d, seg_id, name)]
        if not seg.source:
            raise InputError(f"segment {seg_id} has no source text to translate; nothing to edit")
        seg.target = text
        seg.status = "edited"
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary)


def approve(
    out_dir: Path,
    doc: str | Path,
    ids: Iterable[str] = (),
    *,
    all_clean: bool = False,
    expected_digest: str | None = None,
    glossary: Glossary | None = None,
    override: bool = False,
) -> Change:
    """Approve segments by id, or (``all_clean``) every unapproved segment without open QA flags.

    Approval never clears a flag: a segment with an open error-level flag (not dismissed)
    is refused unless ``override`` is given; ``all_clean`` skips every segment with an open flag.
    """
    wanted = list(ids)
    if not wanted and not all_clean:
        raise InputError("say which segments to approve: give SEGMENT_IDS or --all-clean")

    def fn(d: store.StoredDocument, name: str) -> list[str]:
        if all_clean:
            chosen = [s for s in d.segments if s.source and s.target.strip() and s.status != "approved" and not qa.open_flags(s.flags, s.dismissed)]
        else:
            chosen = [d.segments[find_segment(d, sid, name)] for sid in wanted]
        for seg in chosen:
            if not seg.target.strip():
                raise InputError(f"segment {seg.id} has no English yet; edit it before approving")
            open_errors = qa.blocking(seg.flags, seg.dismissed)
            if open_errors and not override:
                raise InputError(
                    f"segment {seg.id} has open QA flags ({', '.join(open_errors)}); fix the English, dismiss the flag with a reason "
                    "(workbench review dismiss), or approve anyway with --override"
                )
        for seg in chosen:
            seg.status = "approved"
        return [s.id for s in chosen]

    return _apply(out_dir, doc, expected_digest, fn, glossary)


def dismiss(
    out_dir: Path,
    doc: str | Path,
    seg_id: str,
    flag: str,
    reason: str,
    *,
    expected_digest: str | None = None,
    glossary: Glossary | None = None,
) -> Change:
    """Dismiss one QA flag of a segment with a reason (stored with the segment, counted by
    ``status``); ``flag`` is the exact flag or its kind when the segment has one of that kind."""
    if not reason.strip():
        raise InputError("say why the flag is dismissed: give a reason (--reason \"...\")")

    def fn(d: store.StoredDocument, name: str) -> list[str]:
        seg = d.segments[find_segment(d, seg_id, name)]
        matches = [f for f in seg.flags if f == flag] or [f for f in seg.flags if f.split(":", 1)[0] == flag]
        if not matches:
            raise InputError(f"segment {seg.id} has no flag {flag!r}; its flags: {', '.join(seg.flags) or 'none'}")
        if len(matches) > 1:
            raise InputError(f"segment {seg.id} has several {flag!r} flags ({', '.join(matches)}); name one exactly")
        seg.dismissed[matches[0]] = reason.strip()
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary)


def revert(out_dir: Path, doc: str | Path, seg_id: str, expected_digest: str | None = None, glossary: Glossary | None = None) -> Change:
    """Put the machine draft back as the target; status becomes ``draft``."""

    def fn(d: store.StoredDocument, name: str) -> list[str]:
        seg = d.segments[find_segment(d, seg_id, name)]
        if seg.mt is None:
            raise InputError(f"segment {seg_id} has no machine draft to revert to (it was split, merged or written by hand); edit it instead")
        seg.target = seg.mt
        seg.status = "draft"
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary)


def _taken_ids(d: store.StoredDocument) -> set[str]:
    return {s.id for s in d.segments} | {s.id for s in d.orphans}


def split(
    out_dir: Path,
    doc: str | Path,
    seg_id: str,
    source_at: int,
    target_at: int,
    expected_digest: str | None = None,
    glossary: Glossary | None = None,
) -> Change:
    """Split a segment in two: the source at character ``source_at``, the English at ``target_at``.

    The first part keeps the id, the gap and the prefix; the second gets a new id,
    the suffix, and as its gap the white space removed at the split point, so the
    document's source text is rebuilt exactly. Both parts become ``edited``.
    """

    def fn(d: store.StoredDocument, name: str) -> list[str]:
        i = find_segment(d, seg_id, name)
        seg = d.segments[i]
        src, tgt = seg.source, seg.target
        if not 0 < source_at < len(src):
            raise InputError(f"split point {source_at} is outside segment {seg_id}'s source (1..{len(src) - 1})")
        if not 0 <= target_at <= len(tgt):
            raise InputError(f"split point {target_at} is outside segment {seg_id}'s English (0..{len(tgt)})")
        left, right = src[:source_at], src[source_at:]
        left_src, right_src = left.rstrip(), right.lstrip()
        if not left_src or not right_src:
            raise InputError(f"splitting segment {seg_id} at {source_at} would leave an empty part; choose a point inside the text")
        gap = left[len(left_src):] + right[: len(right) - len(right_src)]
        second = store.Segment(
            id=store.segment_id("", right_src, seg.suffix, _taken_ids(d)),
            source=right_src,
            target=tgt[target_at:].strip(),
            status="edited",
            mt=None,
            suffix=seg.suffix,
            gap=gap,
            paragraph=seg.paragraph,
            origin=seg.origin,
            note="",
        )
        seg.source, seg.target, seg.suffix = left_src, tgt[:target_at].strip(), ""
        seg.status, seg.mt, seg.fingerprint = "edited", None, ""
        d.segments.insert(i + 1, second)
        return [seg.id, second.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary)


def merge(out_dir: Path, doc: str | Path, seg_id: str, expected_digest: str | None = None, glossary: Glossary | None = None) -> Change:
    """Merge a segment with the next one: sources joined with the gap between them, English with a space."""

    def fn(d: store.StoredDocument, name: str) -> list[str]:
        i = find_segment(d, seg_id, name)
        if i + 1 >= len(d.segments):
            raise InputError(f"segment {seg_id} is the last one; there is no next segment to merge with")
        a, b = d.segments[i], d.segments[i + 1]
        if b.paragraph != a.paragraph or "\n\n" in b.gap:
            raise InputError(f"segments {a.id} and {b.id} are in different paragraphs; only sentences of one paragraph can be merged")
        a.source = a.source + a.suffix + b.gap + b.prefix + b.source
        a.suffix = b.suffix
        a.target = " ".join(t for t in (a.target.strip(), b.target.strip()) if t)
        a.mt = None if a.mt is None or b.mt is None else " ".join(t for t in (a.mt.strip(), b.mt.strip()) if t)
        a.status, a.fingerprint = "edited", ""
        a.note = "\n".join(n for n in (a.note, b.note) if n)
        del d.segments[i + 1]
        return [a.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary)


# ---------------------------------------------------------------- translation memory


@dataclass
class MemoryEntry:
    """One reviewed segment: the memory's unit."""

    source: str
    target: str
    status: str
    source_lang: str
    document: str
    stem: str
    segment: str

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("source", "target", "status", "source_lang", "document", "stem", "segment")}


def memory_entries(out_dir: Path) -> list[MemoryEntry]:
    """Every edited or approved segment (orphans too) of every document, approved ones first."""
    entries: list[MemoryEntry] = []
    if not out_dir.is_dir():
        return entries
    for path in store.list_files(out_dir):
        doc = store.load(path)
        if doc is None:
            continue
        for seg in doc.segments + doc.orphans:
            if seg.source and seg.target.strip() and seg.status in store.HUMAN_STATUSES:
                entries.append(MemoryEntry(seg.source, seg.target, seg.status, doc.source_lang, doc.document, path.stem, seg.id))
    entries.sort(key=lambda e: 0 if e.status == "approved" else 1)  # stable: file order within a status
    return entries


def memory(out_dir: Path) -> dict[str, str]:
    """Source sentence -> reviewed English, across all documents (approved wins over edited)."""
    out: dict[str, str] = {}
    for e in memory_entries(out_dir):
        out.setdefault(e.source, e.target)
    return out


@dataclass
class FuzzyMatch:
    source: str
    target: str
    score: float  # 0..1
    entry: MemoryEntry
    diff: list[tuple[str, str]] = field(default_factory=list)  # (equal|insert|delete, text): query -> match source

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "score": round(self.score, 3),
            "status": self.entry.status,
            "stem": self.entry.stem,
            "segment": self.entry.segment,
            "diff": [list(d) for d in self.diff],
        }


def diff_chunks(a: str, b: str) -> list[tuple[str, str]]:
    """How ``b`` differs from ``a``, as (equal|insert|delete, text) chunks (deleted text is from ``a``)."""
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", a[i1:i2]))
        else:
            if i2 > i1:
                out.append(("delete", a[i1:i2]))
            if j2 > j1:
                out.append(("insert", b[j1:j2]))
    return out


def fuzzy_in(
    entries: list[MemoryEntry],
    text: str,
    threshold: float = 0.75,
    limit: int = 3,
    exclude: tuple[str, str] | None = None,
) -> list[FuzzyMatch]:
    """The closest memory entries to ``text`` (ratio ≥ threshold), best first; ``exclude``: (stem, segment id)."""
    if not text:
        return []
    n = len(text)
    found: list[FuzzyMatch] = []
    seen: set[tuple[str, str]] = set()
    sm = difflib.SequenceMatcher(None, autojunk=False)
    sm.set_seq2(text)
    for e in entries:
        if exclude and (e.stem, e.segment) == exclude:
            continue
        if (e.source, e.target) in seen:
            continue
        m = len(e.source)
        if 2 * min(m, n) / (m + n) < threshold:  # the ratio can never reach the threshold
            continue
        sm.set_seq1(e.source)
        if sm.real_quick_ratio() < threshold or sm.quick_ratio() < threshold:
            continue
        score = sm.ratio()
        if score >= threshold:
            seen.add((e.source, e.target))
            found.append(FuzzyMatch(e.source, e.target, score, e))
    found.sort(key=lambda f: (-f.score, 0 if f.entry.status == "approved" else 1))
    found = found[:limit]
    for f in found:
        f.diff = diff_chunks(text, f.source)
    return found


def fuzzy(out_dir: Path, text: str, threshold: float = 0.75, limit: int = 3) -> list[FuzzyMatch]:
    """The closest reviewed sources to ``text`` across all documents, with the differences marked."""
    return fuzzy_in(memory_entries(out_dir), text, threshold, limit)


# ---------------------------------------------------------------- show


def segment_view(seg: store.Segment, doc: store.StoredDocument, glossary: Glossary | None = None) -> dict[str, Any]:
    """A segment as the page and ``review show --json`` see it (with glossary spans when a glossary is given)."""
    d = seg.as_dict()
    d.setdefault("mt", None)
    d.setdefault("flags", [])
    d.setdefault("terms", [])
    d.setdefault("prefix", "")
    d.setdefault("suffix", "")
    d.setdefault("note", "")
    d.setdefault("dismissed", {})
    d["flag_levels"] = {f: qa.level(f) for f in seg.flags}
    if glossary is not None:
        hits = hits_for(seg, doc, glossary)
        d["source_hits"] = [[h.start, h.end, h.en, h.kind] for h in hits]
        d["target_hits"] = [[s, e, en] for s, e, en in target_spans(seg.target, hits)]
        cands = glossary.match(seg.source, doc.source_lang)[1] if seg.source and doc.source_lang != "en" else []
        d["candidates"] = [[c.start, c.end, c.en, c.term_id, c.reason] for c in cands]
        ids = dict.fromkeys([h.term_id for h in hits if h.term_id] + [c.term_id for c in cands])
        d["term_info"] = {tid: glossary.term(tid).info() for tid in ids if tid in glossary._by_id}  # noqa: SLF001
    return d


def flag_kinds(seg: store.Segment) -> list[str]:
    return sorted({f.split(":", 1)[0] for f in seg.flags})


def select(doc: store.StoredDocument, status: str | None = None, flag: str | None = None) -> list[store.Segment]:
    """Segments with source text, filtered by status and/or flag kind (``missing-term``, ``number``, ...)."""
    out = []
    for seg in doc.segments:
        if not seg.source:
            continue
        if status and seg.status != status:
            continue
        if flag and flag not in flag_kinds(seg) and flag not in seg.flags:
            continue
        out.append(seg)
    return out
