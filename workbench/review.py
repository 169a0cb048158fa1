"""Review: show, approve, edit, revert, split and merge segments of a translations file,
and look up the translation memory formed by reviewed work.

    opened = open_doc(Path("translations"), "000_093349a39d32f8f2")
    change = edit(Path("translations"), "000_093349a39d32f8f2", opened.doc.segments[0].id,
                  "Letter dated 25 March 2021 ...", expected_digest=opened.digest)
    change.digest  # sha256 of the file now on disk; send it with the next change

Every change loads the file (a parse is reused while the file's bytes are unchanged), checks
that it is still the version the caller saw (``expected_digest``, the sha256 of its bytes; a
mismatch raises a ``StoreError`` starting with ``stale:``), applies the change, recomputes the
touched segments' glossary terms and QA flags, appends to each touched segment's ``history``
(old and new English and status, who — ``who``, else $WORKBENCH_REVIEWER, else the OS user —
and when), saves atomically (re-dumping only the touched segments) and updates the project
index — all under a short per-file lock ``translations/.locks/<stem>.lock``.

Nothing a person did is lost: :func:`undo` restores the version before the last change (a
split is joined again, a merge split again); changes that replace an edited or approved
English (revert, merge, split of an approved segment, reattaching an orphan over one) raise
:class:`ConfirmError` saying what would be lost unless ``force=True``.

Translation memory (:mod:`workbench.memory`): edited and approved segments of every document,
read from the project index; :func:`fuzzy` finds the closest reviewed sources (rapidfuzz
similarity ≥ 0.75 by default) with the differences marked.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from workbench import files, qa, store
from workbench.errors import InputError, StoreError, WorkbenchError
from workbench.glossary import Glossary, Hit
from workbench.ingest import document_name

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
    """The document name of a DOC given as a source path (seeds/x.txt), a yaml path or a name
    (the one rule: :func:`workbench.ingest.document_name`; a prefix is resolved by :func:`path_of`)."""
    name = Path(str(doc)).name
    stem = name[:-5] if name.lower().endswith(".yaml") and len(name) > 5 else document_name(name)
    if not stem or stem.startswith("."):
        raise InputError(f"{doc}: not a document name; give a source path or its stem (see `workbench status`)")
    return stem


def path_of(out_dir: Path, doc: str | Path) -> Path:
    """DOC's translations file (DOC: source path, yaml path, name or unique prefix of a name)."""
    return store.find_document(out_dir, doc)


def open_doc(out_dir: Path, doc: str | Path) -> Opened:
    """Read DOC's translations file (DOC: source path or stem) with the digest of the bytes read."""
    return open_path(path_of(out_dir, doc))


def open_path(path: Path) -> Opened:
    """Read the translations file ``path`` with the digest of the bytes read."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StoreError(f"{path}: not UTF-8 text; restore it from version control or delete it to start over") from None
    return Opened(stem=path.name[:-5], path=path, doc=store.loads(text, str(path)), digest=hashlib.sha256(raw).hexdigest())


def check_text(text: str, what: str) -> None:
    """InputError unless ``text`` is valid Unicode: a lone surrogate (undecodable bytes in a
    command line, ``"\\ud800"`` in JSON) cannot be stored in a UTF-8 file."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{what} is not valid text: a lone surrogate (U+{ord(text[exc.start]):04X}) at character {exc.start + 1}; "
            "send UTF-8 (check the terminal's encoding, e.g. LANG=C.UTF-8)"
        ) from None


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

    hits, cands = find_hits(doc_glossary(glossary, doc), [seg.source], doc.source_lang)
    return hits[0], cands[0]


def doc_glossary(glossary: Glossary, doc: store.StoredDocument) -> Glossary:
    """``glossary`` narrowed to the scopes the document was translated with (``translate --scope``)."""
    scopes = store.signature_scopes(doc.signature)
    return glossary.scoped(scopes) if scopes else glossary


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


class ConfirmError(InputError):
    """A change would replace a person's work: the caller must say so (``force=True``;
    ``--force`` on the command line; the page asks first). The message says what would be lost."""


def reviewer(name: str | None = None) -> str:
    """Who is making a change: ``name`` (``--reviewer``), else $WORKBENCH_REVIEWER, else the OS user."""
    if name and name.strip():
        return name.strip()[:100]
    env = os.environ.get("WORKBENCH_REVIEWER", "").strip()
    if env:
        return env[:100]
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name in this environment
        return "unknown"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


HISTORY_LIMIT = 200  # entries kept per segment (the oldest go first)


@dataclass
class Change:
    """What a change did: the file's new digest and the ids of the segments touched."""

    stem: str
    path: Path
    digest: str
    segments: list[str]
    written: bool
    doc: store.StoredDocument
    removed: list[str] = field(default_factory=list)  # ids no longer in the document (merged away)
    summary: dict[str, Any] = field(default_factory=dict)  # the document's summary now (counts, flags)


#: Per-file locks live in their own hidden directory, so no document name (``workbench.txt``
#: included) can collide with a lock, the project lock ``.workbench.lock`` among them.
LOCK_DIR = ".locks"


def lock_path(out_dir: Path, stem: str) -> Path:
    """The lock file guarding ``translations/<stem>.yaml`` (created with its directory)."""
    directory = out_dir / LOCK_DIR
    directory.mkdir(exist_ok=True)
    return directory / f"{stem}.lock"


@contextmanager
def file_lock(out_dir: Path, stem: str) -> Iterator[None]:
    """The short per-file lock every writer of ``translations/<stem>.yaml`` takes around load-check-save."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(out_dir, stem)), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise StoreError(f"{out_dir / (stem + '.yaml')}: another change is being saved (lock {lock.lock_file}); try again") from None
    try:
        yield
    finally:
        lock.release()


@dataclass
class _Cached:
    digest: str
    doc: store.StoredDocument
    chunks: dict[str, str]
    text: str | None = None  # the file's text, when known
    stat: tuple[int, int, int] | None = None  # (inode, size, mtime_ns) of the file when it had ``digest``
    summary: dict[str, Any] | None = None


#: Parsed files by path, reused while the file is unchanged (a 5,000-segment file is parsed once,
#: and a save re-dumps only the segments it changed).
_DOCS: dict[str, _Cached] = {}
_DOCS_LOCK = threading.Lock()


def _stat(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _cached(path: Path) -> tuple[_Cached, str | None]:
    """The parsed file (from the cache while its inode, size and mtime are the ones we last saw;
    else read, hashed, and parsed — or taken from the index's JSON copy of those bytes)."""
    key = str(path.resolve())
    with _DOCS_LOCK:
        hit = _DOCS.get(key)
    try:
        now = _stat(path)
    except FileNotFoundError:
        raise StoreError(f"{path}: the translations file is gone; run `workbench translate` again") from None
    if hit is not None and hit.stat == now:
        return hit, hit.text
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if hit is not None and hit.digest == digest:
        hit.stat = now
        return hit, hit.text
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StoreError(f"{path}: not UTF-8 text; restore it from version control or delete it to start over") from None
    idx = _index_for(path.parent)
    doc = idx.cached_doc(path.stem, digest, str(path)) if idx is not None else None
    if doc is None:
        doc = store.loads(text, str(path))
        if idx is not None:
            try:
                idx.keep_doc(path.stem, digest, doc)
            except Exception:  # the index is a cache
                pass
    entry = _Cached(digest, doc, {}, text, now)
    with _DOCS_LOCK:
        _DOCS[key] = entry
    return entry, text


def _marks(seg: store.Segment) -> tuple[str | None, tuple[str, ...]]:
    """What a segment adds to its document's summary: its status (if it has source) and flag kinds."""
    return (seg.status if seg.source else None, tuple(sorted({f.split(":", 1)[0] for f in seg.flags})))


def removed_ids(ids_before: set[str], d: store.StoredDocument) -> bool:
    return bool(ids_before - {s.id for s in d.segments} - {o.id for o in d.orphans})


def _adjusted(summary: dict[str, Any], old: dict[str, Any], new: dict[str, Any], orphans: int) -> dict[str, Any]:
    """``summary`` with some segments' contributions replaced (a save that changed a few segments)."""
    out = dict(summary)
    counts = dict(out["counts"])
    flags = dict(out["flags"])
    for marks, sign in ((old, -1), (new, 1)):
        for status, kinds in marks.values():
            if status is not None:
                counts[status] = counts.get(status, 0) + sign
            for k in kinds:
                flags[k] = flags.get(k, 0) + sign
    out["counts"] = counts
    out["flags"] = dict(sorted((k, v) for k, v in flags.items() if v > 0))
    out["orphans"] = orphans
    return out


def _index_for(out_dir: Path):  # type: ignore[no-untyped-def]
    from workbench.index import open_index

    try:
        return open_index(out_dir, refresh=False)
    except WorkbenchError:
        return None


def prime(out_dir: Path, doc: str | Path, lock: Any, step: int = 250) -> None:
    """Dump the cached document's segments ahead of its first save, ``step`` at a time under
    ``lock`` (the lock every change to it takes), so that the first save re-dumps only what it changed."""
    path = path_of(out_dir, doc)
    key = str(path.resolve())
    with _DOCS_LOCK:
        entry = _DOCS.get(key)
    if entry is None:
        return
    ids = [s.id for s in entry.doc.segments]
    for i in range(0, len(ids), step):
        with lock:
            with _DOCS_LOCK:
                if _DOCS.get(key) is not entry:
                    return
            current = {s.id: s for s in entry.doc.segments}
            for sid in ids[i : i + step]:
                seg = current.get(sid)
                if seg is not None and sid not in entry.chunks:
                    entry.chunks[sid] = store._dump([seg.as_dict()])


def view_doc(out_dir: Path, doc: str | Path) -> Opened:
    """Like :func:`open_doc` but shared with later calls while the file is unchanged: do not modify it."""
    path = path_of(out_dir, doc)
    entry, _text = _cached(path)
    return Opened(stem=path.stem, path=path, doc=entry.doc, digest=entry.digest)


def _record(seg: store.Segment, action: str, who: str, old: tuple[str, str] | None, extra: dict[str, Any] | None = None) -> None:
    entry: dict[str, Any] = {"at": _now(), "by": who, "action": action, "status": seg.status, "target": seg.target}
    if old is not None:
        entry["old_status"], entry["old_target"] = old[1], old[0]
    entry.update(extra or {})
    seg.history.append(entry)
    del seg.history[:-HISTORY_LIMIT]


Fn = Callable[[store.StoredDocument, str, dict[str, dict[str, Any]]], list[str]]


def _apply(
    out_dir: Path,
    doc: str | Path,
    expected_digest: str | None,
    fn: Fn,
    glossary: Glossary | None,
    action: str = "",
    who: str | None = None,
    ids: Iterable[str] | None = None,
) -> Change:
    """Load (or reuse) the file, check ``expected_digest``, apply ``fn``, record history, save, index.
    ``ids``: the only segments ``fn`` can change besides those it adds (its history snapshot)."""
    from workbench.index import summarize

    path = path_of(out_dir, doc)
    by = reviewer(who)
    with file_lock(out_dir, path.stem):
        entry, text = _cached(path)
        if expected_digest is not None and expected_digest != entry.digest:
            raise StoreError(
                f"stale: {path} was changed since you loaded it (another tab, a hand edit or a translate run); reload it and make your change again"
            )
        d = entry.doc
        wanted = None if ids is None else set(ids)
        picked = [s for s in d.segments if wanted is None or s.id in wanted]
        before = {s.id: (s.target, s.status) for s in picked}
        old_marks = {s.id: _marks(s) for s in picked} if wanted is not None else None
        ids_before = {s.id for s in d.segments} | {o.id for o in d.orphans}
        extra: dict[str, dict[str, Any]] = {}
        try:
            touched = fn(d, path.stem, extra)
            gl = glossary if glossary is not None else load_glossary(None)
            index = {s.id: s for s in d.segments}
            for sid in touched:
                seg = index.get(sid)
                if seg is None:
                    continue
                recheck(seg, d, gl)
                old = before.get(sid)
                if action and (old != (seg.target, seg.status) or sid in extra):
                    _record(seg, action, by, old, extra.get(sid))
                entry.chunks.pop(sid, None)
            new_text = store.dumps(d, entry.chunks)
            written = new_text != text
            data = new_text.encode("utf-8") if written or text is None else b""
            if written:
                files.atomic_write_bytes(path, data)
        except BaseException:
            with _DOCS_LOCK:
                _DOCS.pop(str(path.resolve()), None)  # fn may have changed it half-way: parse again next time
            raise
        if data:
            entry.digest = hashlib.sha256(data).hexdigest()
        entry.text = new_text
        entry.stat = _stat(path)
        if old_marks is not None and entry.summary is not None and not removed_ids(ids_before, d) and len(d.segments) + len(d.orphans) == len(ids_before):
            entry.summary = _adjusted(entry.summary, old_marks, {sid: _marks(index[sid]) for sid in old_marks if sid in index}, len(d.orphans))
        else:
            entry.summary = summarize(d)
        removed = sorted(ids_before - set(index) - {o.id for o in d.orphans})
        if written:
            idx = _index_for(out_dir)
            if idx is not None:
                try:
                    idx.saved(path.stem, d, path, None, list(touched) + removed + [o.id for o in d.orphans], sha=entry.digest, summary=entry.summary)
                except WorkbenchError:  # the index is a cache: the next refresh reads the file
                    pass
    return Change(stem=path.stem, path=path, digest=entry.digest, segments=touched, written=written, doc=d, removed=removed, summary=entry.summary)


def edit(out_dir: Path, doc: str | Path, seg_id: str, text: str, expected_digest: str | None = None, glossary: Glossary | None = None, who: str | None = None) -> Change:
    """Set a segment's English to ``text``; its status becomes ``edited``."""
    check_text(text, "the new English")
    text = text.strip()
    if not text:
        raise InputError("the new target is empty; give the English text (or use revert to go back to the machine draft)")

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        seg = d.segments[find_segment(d, seg_id, name)]
        if not seg.source:
            raise InputError(f"segment {seg_id} has no source text to translate; nothing to edit")
        seg.target = text
        seg.status = "edited"
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "edit", who, [seg_id])


def approve(
    out_dir: Path,
    doc: str | Path,
    ids: Iterable[str] = (),
    *,
    all_clean: bool = False,
    expected_digest: str | None = None,
    glossary: Glossary | None = None,
    override: bool = False,
    who: str | None = None,
) -> Change:
    """Approve segments by id, or (``all_clean``) every unapproved segment without open QA flags.

    Approval never clears a flag: a segment with an open error-level flag (not dismissed)
    is refused unless ``override`` is given; ``all_clean`` skips every segment with an open flag.
    """
    wanted = list(ids)
    if not wanted and not all_clean:
        raise InputError("say which segments to approve: give SEGMENT_IDS or --all-clean")

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
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

    return _apply(out_dir, doc, expected_digest, fn, glossary, "approve", who, None if all_clean else wanted)


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def dismiss_flag(
    out_dir: Path,
    doc: str | Path,
    seg_id: str,
    flag: str,
    reason: str,
    *,
    expected_digest: str | None = None,
    glossary: Glossary | None = None,
    who: str | None = None,
) -> Change:
    """Dismiss one QA flag of a segment with a reason (stored with the segment, counted by
    ``status``); ``flag`` is the exact flag or its kind when the segment has one of that kind."""
    if not reason.strip():
        raise InputError("say why the flag is dismissed: give a reason (--reason \"...\")")

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        seg = d.segments[find_segment(d, seg_id, name)]
        matches = [f for f in seg.flags if f == flag] or [f for f in seg.flags if f.split(":", 1)[0] == flag]
        if not matches:
            raise InputError(f"segment {seg.id} has no flag {flag!r}; its flags: {', '.join(seg.flags) or 'none'}")
        if len(matches) > 1:
            raise InputError(f"segment {seg.id} has several {flag!r} flags ({', '.join(matches)}); name one exactly")
        seg.dismissed[matches[0]] = reason.strip()
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "dismiss", who, [seg_id])


def revert(out_dir: Path, doc: str | Path, seg_id: str, expected_digest: str | None = None, glossary: Glossary | None = None, *, force: bool = False, who: str | None = None) -> Change:
    """Put the machine draft back as the target; status becomes ``draft``.

    On an edited or approved segment whose English is not the draft, this replaces a person's
    work: refused with :class:`ConfirmError` (saying what would be replaced) unless ``force``.
    The replaced English stays in the segment's history (``undo`` restores it)."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        seg = d.segments[find_segment(d, seg_id, name)]
        if seg.mt is None:
            raise InputError(f"segment {seg_id} has no machine draft to revert to (it was split, merged or written by hand); edit it instead")
        if not force and seg.status in store.HUMAN_STATUSES and seg.target != seg.mt:
            raise ConfirmError(
                f"confirm: segment {seg_id} is {seg.status}; reverting replaces its English \"{_short(seg.target)}\" with the machine draft "
                "(it stays in the history; `review undo` brings it back); add --force to revert"
            )
        seg.target = seg.mt
        seg.status = "draft"
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "revert", who, [seg_id])


def _taken_ids(d: store.StoredDocument) -> set[str]:
    return {s.id for s in d.segments} | {s.id for s in d.orphans}


def _snapshot(seg: store.Segment) -> dict[str, Any]:
    return {"source": seg.source, "suffix": seg.suffix, "target": seg.target, "mt": seg.mt, "status": seg.status, "fingerprint": seg.fingerprint}


def split(
    out_dir: Path,
    doc: str | Path,
    seg_id: str,
    source_at: int,
    target_at: int,
    expected_digest: str | None = None,
    glossary: Glossary | None = None,
    *,
    force: bool = False,
    who: str | None = None,
) -> Change:
    """Split a segment in two: the source at character ``source_at``, the English at ``target_at``.

    The first part keeps the id, the gap and the prefix; the second gets a new id,
    the suffix, and as its gap the white space removed at the split point, so the
    document's source text is rebuilt exactly. Both parts become ``edited`` (an approved
    segment needs ``force``: it loses its approval). ``undo`` on the first part joins them again.
    """

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
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
        if seg.status == "approved" and not force:
            raise ConfirmError(f"confirm: segment {seg_id} is approved; splitting makes both parts edited (undo joins them again); add --force to split")
        old = _snapshot(seg)
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
        extra[seg.id] = {"old": old, "added": second.id}
        extra[second.id] = {"split_from": seg.id}
        return [seg.id, second.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "split", who, [seg_id])


def merge(out_dir: Path, doc: str | Path, seg_id: str, expected_digest: str | None = None, glossary: Glossary | None = None, *, force: bool = False, who: str | None = None) -> Change:
    """Merge a segment with the next one: sources joined with the gap between them, English with a space.

    The merged segment keeps the joined machine drafts (when both have one) and both notes;
    merging an approved segment needs ``force`` (it loses its approval: the merged segment is
    edited). Edited English is kept in the joined English, and the segment merged away is kept
    in the history, so ``undo`` splits them again exactly."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        i = find_segment(d, seg_id, name)
        if i + 1 >= len(d.segments):
            raise InputError(f"segment {seg_id} is the last one; there is no next segment to merge with")
        a, b = d.segments[i], d.segments[i + 1]
        if b.paragraph != a.paragraph or "\n\n" in b.gap:
            raise InputError(f"segments {a.id} and {b.id} are in different paragraphs; only sentences of one paragraph can be merged")
        approved = [s.id for s in (a, b) if s.status == "approved"]
        if approved and not force:
            raise ConfirmError(f"confirm: {' and '.join(approved)} approved; merging makes one edited segment of both, to approve again (undo splits them again); add --force to merge")
        extra[a.id] = {"old": _snapshot(a), "removed": b.as_dict()}
        a.source = a.source + a.suffix + b.gap + b.prefix + b.source
        a.suffix = b.suffix
        a.target = " ".join(t for t in (a.target.strip(), b.target.strip()) if t)
        a.mt = None if a.mt is None or b.mt is None else " ".join(t for t in (a.mt.strip(), b.mt.strip()) if t)
        a.status, a.fingerprint = "edited", ""
        a.note = "\n".join(n for n in (a.note, b.note) if n)
        a.notes = a.notes + b.notes
        del d.segments[i + 1]
        return [a.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "merge", who)


def replace_all(out_dir: Path, doc: str | Path, targets: dict[str, str], expected_digest: str | None = None, glossary: Glossary | None = None, *, who: str | None = None) -> Change:
    """Set the English of several segments in one save (find & replace); each becomes ``edited``."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        out = []
        for sid, text in targets.items():
            seg = d.segments[find_segment(d, sid, name)]
            if text.strip() and text != seg.target:
                seg.target, seg.status = text, "edited"
                out.append(seg.id)
        return out

    return _apply(out_dir, doc, expected_digest, fn, glossary, "replace", who, list(targets))


def _last_undoable(seg: store.Segment) -> int | None:
    for i in range(len(seg.history) - 1, -1, -1):
        h = seg.history[i]
        if h.get("action") not in ("undo", "note") and not h.get("undone"):
            return i
    return None


def undo(out_dir: Path, doc: str | Path, seg_id: str, expected_digest: str | None = None, glossary: Glossary | None = None, *, force: bool = False, who: str | None = None) -> Change:
    """Restore the segment's version before its last change (again: the one before that).

    An undone split joins the two parts; an undone merge brings the merged-away segment back.
    The undo itself is recorded in the history, and the undone entry is marked ``undone``."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        i = find_segment(d, seg_id, name)
        seg = d.segments[i]
        k = _last_undoable(seg)
        if k is None:
            raise InputError(f"segment {seg_id} has no change to undo (see `workbench review history {name} {seg_id}`)")
        h = seg.history[k]
        act = h.get("action")
        touched = [seg.id]
        if act == "split":
            added = str(h.get("added", ""))
            if i + 1 >= len(d.segments) or d.segments[i + 1].id != added:
                raise InputError(f"cannot undo the split of {seg_id}: its second part {added} is no longer next to it; merge them instead")
            second = d.segments[i + 1]
            if not force and len(second.history) > 1:
                raise ConfirmError(f"confirm: the second part {added} was changed after the split; undoing the split drops those changes (its history is kept on {seg_id}); add --force")
            _restore(seg, h.get("old") or {})
            extra[seg.id] = {"undid": "split", "removed": second.as_dict()}
            del d.segments[i + 1]
        elif act == "merge":
            removed = h.get("removed")
            if not isinstance(removed, dict):
                raise InputError(f"cannot undo the merge of {seg_id}: the history does not hold the merged segment")
            b = store._segment_from_dict(removed, name, 0, "history")
            if b.id in _taken_ids(d):
                raise InputError(f"cannot undo the merge of {seg_id}: segment {b.id} exists again")
            _restore(seg, h.get("old") or {})
            seg.notes = [n for n in seg.notes if n not in b.notes]
            d.segments.insert(i + 1, b)
            extra[seg.id] = {"undid": "merge"}
            touched.append(b.id)
        else:
            if "old_target" not in h:
                raise InputError(f"segment {seg_id} was made by a split; undo the split on the segment before it")
            seg.target = str(h.get("old_target") or "")
            old_status = h.get("old_status")
            seg.status = old_status if old_status in store.STATUSES else "edited"
            extra[seg.id] = {"undid": act}
        seg.history[k] = {**h, "undone": True}
        return touched

    return _apply(out_dir, doc, expected_digest, fn, glossary, "undo", who)


def _restore(seg: store.Segment, old: dict[str, Any]) -> None:
    for key in ("source", "suffix", "target", "fingerprint"):
        if isinstance(old.get(key), str):
            setattr(seg, key, old[key])
    seg.mt = old.get("mt") if isinstance(old.get("mt"), str) else None
    seg.status = old.get("status") if old.get("status") in store.STATUSES else "edited"


def add_note(out_dir: Path, doc: str | Path, seg_id: str, text: str, expected_digest: str | None = None, *, who: str | None = None) -> Change:
    """Add a reviewer's note to a segment (kept as ``notes: [{text, by, at}]``; exported to XLIFF)."""
    check_text(text, "the note")
    text = text.strip()
    if not text:
        raise InputError("the note is empty; give its text")
    if len(text) > 10_000:
        raise InputError("the note is longer than 10,000 characters; shorten it")
    by = reviewer(who)

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        seg = d.segments[find_segment(d, seg_id, name)]
        seg.notes.append({"text": text, "by": by, "at": _now()})
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, None, "", who)


def reattach(out_dir: Path, doc: str | Path, orphan_id: str, seg_id: str, expected_digest: str | None = None, glossary: Glossary | None = None, *, force: bool = False, who: str | None = None) -> Change:
    """Give an orphan's English (and status, notes) to segment ``seg_id``; the orphan leaves ``orphans``."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        j = next((j for j, o in enumerate(d.orphans) if o.id == orphan_id), None)
        if j is None:
            raise InputError(f"no orphan {orphan_id!r} in {name}; list them with `workbench review orphans {name}`")
        seg = d.segments[find_segment(d, seg_id, name)]
        if not force and store.is_human(seg):
            raise ConfirmError(f"confirm: segment {seg_id} is {seg.status} (\"{_short(seg.target)}\"); reattaching replaces its English; add --force")
        o = d.orphans.pop(j)
        seg.target = o.target
        seg.status = o.status if o.status in store.HUMAN_STATUSES else "edited"
        seg.notes = seg.notes + o.notes
        extra[seg.id] = {"orphan": {"id": o.id, "source": o.source}}
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "reattach", who, [seg_id])


def discard_orphan(out_dir: Path, doc: str | Path, orphan_id: str, expected_digest: str | None = None, *, who: str | None = None) -> Change:
    """Drop an orphan (human work whose source left the document) for good."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        j = next((j for j, o in enumerate(d.orphans) if o.id == orphan_id), None)
        if j is None:
            raise InputError(f"no orphan {orphan_id!r} in {name}; list them with `workbench review orphans {name}`")
        del d.orphans[j]
        return []

    return _apply(out_dir, doc, expected_digest, fn, None, "", who)


# ---------------------------------------------------------------- translation memory

def __getattr__(name: str) -> Any:  # FuzzyMatch, MemoryEntry, diff_chunks, fuzzy_in: re-exported, imported when asked
    if name in ("FuzzyMatch", "MemoryEntry", "diff_chunks", "fuzzy_in"):
        from workbench import memory as _memory

        return getattr(_memory, name)
    raise AttributeError(name)


def memory_errors(out_dir: Path) -> list[str]:
    """The translations files the memory could not read (one line each)."""
    from workbench.index import open_index

    return [e.error for e in open_index(out_dir).documents() if e.error is not None]


def memory_entries(out_dir: Path, strict: bool = True) -> list[Any]:
    """Every edited or approved segment (orphans too) of every document, approved ones first (from the index).
    ``strict``: a translations file that cannot be read raises its error (else it is left out)."""
    if not out_dir.is_dir():
        return []
    from workbench.memory import project_memory

    mem = project_memory(out_dir)
    if strict and (errors := memory_errors(out_dir)):
        raise StoreError(errors[0])
    return mem.entries()


def memory(out_dir: Path, strict: bool = True) -> dict[str, str]:
    """Source sentence -> reviewed English, across all documents (approved wins over edited), from the index."""
    if not out_dir.is_dir():
        return {}
    from workbench.index import open_index

    idx = open_index(out_dir)
    if strict and (errors := memory_errors(out_dir)):
        raise StoreError(errors[0])
    out: dict[str, str] = {}
    for _stem, _sid, source, target, _status, _f, _l, _d in idx.reviewed():
        out.setdefault(source, target)
    return out


def fuzzy(out_dir: Path, text: str, threshold: float = 0.75, limit: int = 3) -> list[Any]:
    """The closest reviewed sources to ``text`` across all documents, with the differences marked."""
    if not out_dir.is_dir():
        return []
    from workbench.memory import project_memory

    return project_memory(out_dir).matches(text, threshold, limit)


# ---------------------------------------------------------------- show


def segment_view(seg: store.Segment, doc: store.StoredDocument, glossary: Glossary | None = None, hits: list[Hit] | None = None) -> dict[str, Any]:
    """A segment as the page and ``review show --json`` see it (with glossary spans when a glossary
    is given; ``hits``: the glossary hits already found for its source)."""
    d = seg.as_dict()
    d.setdefault("mt", None)
    d.setdefault("flags", [])
    d.setdefault("terms", [])
    d.setdefault("prefix", "")
    d.setdefault("suffix", "")
    d.setdefault("note", "")
    d.setdefault("dismissed", {})
    d["flag_levels"] = {f: qa.level(f) for f in seg.flags}
    if glossary is not None or hits is not None:
        if hits is None:
            assert glossary is not None
            hits = hits_for(seg, doc, glossary)
        d["source_hits"] = [[h.start, h.end, h.en, h.kind] for h in hits]
        d["target_hits"] = [[s, e, en] for s, e, en in target_spans(seg.target, hits)]
    if glossary is not None:
        cands = doc_glossary(glossary, doc).match(seg.source, doc.source_lang)[1] if seg.source and doc.source_lang != "en" else []
        d["candidates"] = [[c.start, c.end, c.en, c.term_id, c.reason] for c in cands]
        ids = dict.fromkeys([h.term_id for h in hits or [] if h.term_id] + [c.term_id for c in cands])
        d["term_info"] = {tid: glossary.term(tid).info() for tid in ids if tid in glossary._by_id}  # noqa: SLF001
    return d


def flag_kinds(seg: store.Segment) -> list[str]:
    return sorted({f.split(":", 1)[0] for f in seg.flags})


def select(doc: store.StoredDocument, status: str | None = None, flag: str | None = None, grep: str | None = None) -> list[store.Segment]:
    """Segments with source text, filtered by status and/or flag kind (``missing-term``, ``number``, ...)
    and/or text in the source or English (``grep``: case-insensitive, Traditional/Simplified folded)."""
    from workbench.index import fold

    needle = fold(grep) if grep else None
    out = []
    for seg in doc.segments:
        if not seg.source:
            continue
        if needle and needle not in fold(seg.source) and needle not in seg.target.lower():
            continue
        if status and seg.status != status:
            continue
        if flag and flag not in flag_kinds(seg) and flag not in seg.flags:
            continue
        out.append(seg)
    return out
