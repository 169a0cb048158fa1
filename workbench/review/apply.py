"""How every review change is made: load (or reuse) the file, check the version the caller saw,
apply the change, recheck the touched segments, record their history, save atomically, update
the project index — under the file's lock.

    change = _apply(out_dir, doc, expected_digest, fn, glossary, "edit", who, [seg_id])

``fn(doc, name, extra)`` changes the parsed document in place and returns the ids it touched;
``extra[id]`` adds keys to that segment's history entry (what undo needs for split and merge).
"""

from __future__ import annotations

import getpass
import hashlib
import os
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from workbench import files, store
from workbench.errors import InputError, StoreError, WorkbenchError
from workbench.glossary import Glossary
from workbench.review.opening import _DOCS, _DOCS_LOCK, _cached, _index_for, _stat, file_lock, load_glossary, path_of, recheck


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
    changed: dict[str, store.Segment] = field(default_factory=dict)  # the touched segments still in the document, by id


def _marks(seg: store.Segment) -> tuple[str | None, tuple[str, ...]]:
    """What a segment adds to its document's summary: its status (if it has source) and flag kinds."""
    return (seg.status if seg.source else None, tuple(sorted({f.split(":", 1)[0] for f in seg.flags})))


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


def _record(seg: store.Segment, action: str, who: str, old: tuple[str, str] | None, extra: dict[str, Any] | None = None) -> None:
    entry: dict[str, Any] = {"at": _now(), "by": who, "action": action, "status": seg.status, "target": seg.target}
    if old is not None:
        entry["old_status"], entry["old_target"] = old[1], old[0]
    entry.update(extra or {})
    seg.history.append(entry)
    del seg.history[:-HISTORY_LIMIT]


#: Where index updates go instead of being made at once (see :func:`index_later`).
_LATER: ContextVar[list[Callable[[], None]] | None] = ContextVar("workbench_index_later", default=None)


@contextmanager
def index_later() -> Iterator[list[Callable[[], None]]]:
    """Collect the index updates of the changes made inside, to run them after replying.

    The file is written (atomically, durably) before a change returns, as always; only the
    project index — a cache of the files, never the only copy of anything — is brought up to
    date afterwards by calling the collected functions (the review server does so, still under
    the document's lock, once the page has its answer). Not run (a crash in between): the
    index still has the file's old size and mtime, so the next refresh reads the file again."""
    pending: list[Callable[[], None]] = []
    token = _LATER.set(pending)
    try:
        yield pending
    finally:
        _LATER.reset(token)


def _update_index(
    out_dir: Path, path: Path, d: store.StoredDocument, touched: list[str], sha: str, summary: dict[str, Any] | None, stat: tuple[int, int, int] | None, base: str | None = None,
) -> None:
    def run() -> None:
        idx = _index_for(out_dir)
        if idx is None:
            return
        try:
            idx.saved(path.stem, d, path, None, touched, sha=sha, summary=summary, stat=None if stat is None else (stat[1], stat[2]), base=base)
        except WorkbenchError:  # the index is a cache: the next refresh reads the file
            pass

    pending = _LATER.get()
    if pending is None:
        run()
    else:
        pending.append(run)


Fn = Callable[[store.StoredDocument, str, dict[str, dict[str, Any]]], list[str]]


#: Actions that add, remove or reorder segments (the others change segments where they are).
STRUCTURAL = frozenset({"split", "merge", "undo"})


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
    ``ids``: the only segments ``fn`` can change besides those it adds (its history snapshot).

    The save writes the whole file atomically and durably (:func:`workbench.files.atomic_write_bytes`:
    temp file, fsync, rename), but only the touched segments are dumped again: the others' YAML
    is kept from the last read or save. Work per save is proportional to the touched segments,
    besides joining, hashing and writing the file's bytes."""
    from workbench.index import summarize

    path = path_of(out_dir, doc)
    by = reviewer(who)
    with file_lock(out_dir, path.stem):
        entry = _cached(path)
        if expected_digest is not None and expected_digest != entry.digest:
            raise StoreError(
                f"stale: {path} was changed since you loaded it (another tab, a hand edit or a translate run); reload it and make your change again"
            )
        d = entry.doc
        entry.chunks  # noqa: B018  (split out of the file's bytes before ``fn`` changes the document)
        structural = action in STRUCTURAL
        if ids is None:
            picked = list(d.segments)
        else:
            pos = entry.positions()
            picked = [d.segments[pos[i]] for i in dict.fromkeys(ids) if i in pos]
        before = {s.id: (s.target, s.status) for s in picked}
        old_marks = {s.id: _marks(s) for s in picked} if ids is not None else None
        n_before = len(d.segments)
        seg_ids_before = {s.id for s in d.segments} if structural else set()
        orphans_before = {o.id for o in d.orphans}
        extra: dict[str, dict[str, Any]] = {}
        try:
            touched = fn(d, path.stem, extra)
            moved = structural or len(d.segments) != n_before
            if moved:
                entry.pos = entry.items = None
                index = {s.id: s for s in d.segments}
            else:
                pos = entry.positions()
                index = {sid: d.segments[pos[sid]] for sid in touched if sid in pos}
            gl = glossary if glossary is not None else load_glossary(None)
            for sid in touched:
                seg = index.get(sid)
                if seg is None:
                    continue
                recheck(seg, d, gl)
                old = before.get(sid)
                if action and (old != (seg.target, seg.status) or sid in extra):
                    _record(seg, action, by, old, extra.get(sid))
                entry.chunks.pop(sid, None)
            if entry.items is not None and not moved:  # the others' YAML items stay where they are
                pos = entry.positions()
                for sid in touched:
                    if sid in pos:
                        entry.items[pos[sid]] = entry.chunks[sid] = store.dump_segment_bytes(index[sid])
            else:
                entry.positions()  # (re)built first: building it drops ``items``
                entry.items = store.segment_items(d, entry.chunks)
            data = store.assemble(d, entry.items)
            written = data != entry.raw
            if written:
                files.atomic_write_bytes(path, data)
        except BaseException:
            with _DOCS_LOCK:
                _DOCS.pop(str(path.resolve()), None)  # fn may have changed it half-way: parse again next time
            raise
        orphans_after = {o.id for o in d.orphans}
        removed = sorted((seg_ids_before | orphans_before) - (set(index) if moved else set()) - orphans_after) if moved else sorted(orphans_before - orphans_after)
        base = entry.digest
        if written:
            entry.digest = hashlib.sha256(data).hexdigest()
            entry.raw = data
        entry.stat = _stat(path)
        if old_marks is not None and entry.summary is not None and not moved and not removed and len(orphans_after) == len(orphans_before):
            entry.summary = _adjusted(entry.summary, old_marks, {sid: _marks(s) for sid, s in ((sid, index.get(sid)) for sid in old_marks) if s is not None}, len(d.orphans))
        else:
            entry.summary = summarize(d)
        if written:
            _update_index(out_dir, path, d, list(touched) + removed + [o.id for o in d.orphans], entry.digest, entry.summary, entry.stat, base)
    changed = {sid: index[sid] for sid in touched if sid in index}
    return Change(stem=path.stem, path=path, digest=entry.digest, segments=touched, written=written, doc=d, removed=removed, summary=entry.summary, changed=changed)
