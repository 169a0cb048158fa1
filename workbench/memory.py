"""Translation memory: reviewed (edited/approved) segments of every document, matched fuzzily.

    tm = project_memory(Path("translations"))
    for m in tm.matches("请将本信及其附件作为大会文件分发为荷。"):
        print(m.score, m.target, m.diff)

The entries come from the project index (:mod:`workbench.index`), never from a scan of every
file. Candidates are found through a character-bigram index (:mod:`workbench.memory_arrays`:
numpy arrays of the bigram keys and the entries they occur in; a query looks up its bigrams
with ``searchsorted`` and counts hits per entry with ``bincount``); only the best candidates are
scored, with ``rapidfuzz``'s normalised Indel similarity (the measure ``difflib``'s ratio
approximates). Traditional and Simplified Chinese are folded before matching (OpenCC ``t2s``).
The arrays are kept in the project index, built when it is updated (a cache, like the rest of
it), so a new process reads them back instead of building them. A document saved since they
were built is re-read alone (its entries kept beside the arrays and scored directly) until
enough changed to build them again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from workbench.index import Index, fold, open_index, rebuild_due
from workbench.memory_arrays import SEP as _SEP
from workbench.memory_arrays import Arrays

THRESHOLD = 0.75
CANDIDATES = 64  # entries scored per query, from the bigram counts


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
    for op in Indel.opcodes(a, b):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "equal":
            out.append(("equal", a[i1:i2]))
        else:
            if i2 > i1:
                out.append(("delete", a[i1:i2]))
            if j2 > j1:
                out.append(("insert", b[j1:j2]))
    return out


def _rank(found: list[FuzzyMatch], text: str, limit: int) -> list[FuzzyMatch]:
    found.sort(key=lambda f: (-f.score, 0 if f.entry.status == "approved" else 1))
    out: list[FuzzyMatch] = []
    seen: set[tuple[str, str]] = set()
    for f in found:
        if (f.source, f.target) in seen:
            continue
        seen.add((f.source, f.target))
        out.append(f)
        if len(out) >= limit:
            break
    for f in out:
        f.diff = diff_chunks(text, f.source)
    return out


def fuzzy_in(entries: list[MemoryEntry], text: str, threshold: float = THRESHOLD, limit: int = 3, exclude: tuple[str, str] | None = None) -> list[FuzzyMatch]:
    """The closest of ``entries`` to ``text`` (similarity ≥ threshold), best first; ``exclude``: (stem, segment id).
    Scores every entry: for a handful; a project's memory uses :class:`Memory`."""
    if not text:
        return []
    pool = [e for e in entries if not (exclude and (e.stem, e.segment) == exclude)]
    hits = process.extract(fold(text), [fold(e.source) for e in pool], scorer=fuzz.ratio, score_cutoff=threshold * 100, limit=None)
    found = [FuzzyMatch(pool[i].source, pool[i].target, score / 100, pool[i]) for _, score, i in hits]
    return _rank(found, text, limit)


class _Base:
    """The search arrays over a fixed list of entries, and those entries: the rows they were
    built from, or (arrays read from the index) read from the index's rows when a query needs them."""

    def __init__(self, index: Index, arrays: Arrays, rows: list[tuple[Any, ...]] | None = None) -> None:
        self.index = index
        self.arrays = arrays
        self.rows = rows  # (rowid, stem, id, source, target, status, fold, source_lang, document), in order; None: read when needed
        self.alive = np.ones(arrays.n, dtype=bool)
        self.stem_ids = {name: i for i, name in enumerate(arrays.stems)}

    def __len__(self) -> int:
        return self.arrays.n

    def kill(self, stem: str) -> None:
        k = self.stem_ids.get(stem)
        if k is not None:
            self.alive[self.arrays.stem_of == k] = False

    def entries(self, picked: Iterable[int]) -> list[tuple[MemoryEntry, str]]:
        """The entries ``picked`` (indices) with their folded sources; an entry whose index row is
        gone (its document changed since: :meth:`Memory.sync` re-reads it) is left out."""
        picked = list(picked)
        if self.rows is not None:
            got = [self.rows[i][1:] for i in picked]
        else:
            by_row = self.index.rows(self.arrays.rowids[picked].tolist())
            got = [r for r in (by_row.get(int(self.arrays.rowids[i])) for i in picked) if r is not None]
        return [_entry(r) for r in got]


def _entry(row: tuple[Any, ...]) -> tuple[MemoryEntry, str]:
    stem, sid, source, target, status, fsrc, lang, document = row
    return MemoryEntry(source, target, status, lang, document, stem, sid), fsrc.replace(_SEP, " ")


class Memory:
    """A project's translation memory, kept current with the index (thread-safe).

    Its search arrays are those the index keeps (:meth:`Index.memory_snapshot`, read back at
    once) when there are some, else built (and kept there for the next process); the documents
    changed since they were built are re-read alone and scored directly, until enough changed
    to build the arrays again (:func:`workbench.index.rebuild_due`)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._lock = threading.Lock()
        self._base: _Base | None = None
        self._versions: dict[str, int] = {}
        self._base_stems: set[str] = set()
        self._extra: dict[str, list[tuple[MemoryEntry, str]]] = {}

    def sync(self) -> None:
        """Re-read what changed in the index since the last call (whole rebuild if much did)."""
        with self._lock:
            if self._base is None:
                self._load()
            self._catch_up()
            if self._due() and not self.index.building:  # (a build under way in a thread: its arrays are read when kept)
                self._load()  # the index may keep newer arrays than these (built after a save)
                self._catch_up()
                if self._due():
                    self._rebuild()
                    self._catch_up()

    def _due(self) -> bool:
        assert self._base is not None
        return rebuild_due(sum(len(v) for v in self._extra.values()), len(self._base))

    def _catch_up(self) -> None:
        """The documents whose version changed since the arrays were built: their entries in the
        arrays left out, their reviewed rows read again (scored directly)."""
        assert self._base is not None
        versions = self.index.versions()
        changed = [s for s, v in versions.items() if self._versions.get(s) != v] + [s for s in self._versions if s not in versions]
        if not changed:
            return
        for stem in changed:
            if stem in self._base_stems:
                self._base.kill(stem)
                self._base_stems.discard(stem)
        rows = self.index.reviewed([s for s in changed if s in versions])
        for stem in changed:
            self._extra.pop(stem, None)
        for row in rows:
            e, f = _entry(row)
            self._extra.setdefault(e.stem, []).append((e, f))
        self._versions = versions

    def _load(self) -> None:
        """The arrays the index keeps (if they are of this format), else built now."""
        kept = self.index.memory_snapshot()
        arrays = Arrays.load(kept[1], kept[2]) if kept is not None else None
        if kept is None or arrays is None:
            self._rebuild()
            return
        self._base = _Base(self.index, arrays)
        self._base_stems = set(kept[0])
        self._extra = {}
        self._versions = dict(kept[0])

    def _rebuild(self) -> None:
        versions, arrays, rows = self.index.build_memory()
        self._base = _Base(self.index, arrays, rows)
        self._base_stems = set(versions)
        self._extra = {}
        self._versions = versions

    def entries(self) -> list[MemoryEntry]:
        """Every entry, approved first (as :meth:`Index.reviewed` orders them)."""
        self.sync()
        with self._lock:
            assert self._base is not None
            out = [e for e, _ in self._base.entries(np.flatnonzero(self._base.alive).tolist())]
            out += [e for v in self._extra.values() for e, _ in v]
        out.sort(key=lambda e: 0 if e.status == "approved" else 1)
        return out

    def matches(self, text: str, threshold: float = THRESHOLD, limit: int = 3, exclude: tuple[str, str] | None = None, sync: bool = True) -> list[FuzzyMatch]:
        """The closest reviewed sources to ``text`` (similarity ≥ threshold), best first, with the differences marked."""
        if not text:
            return []
        if sync:
            self.sync()
        q = fold(text)
        with self._lock:
            base = self._base
            assert base is not None
            pool: list[tuple[MemoryEntry, str]] = base.entries(base.arrays.candidates(q, CANDIDATES, base.alive))
            pool += [p for v in self._extra.values() for p in v]
        if exclude:
            pool = [p for p in pool if (p[0].stem, p[0].segment) != exclude]
        if not pool:
            return []
        hits = process.extract(q, [f for _, f in pool], scorer=fuzz.ratio, score_cutoff=threshold * 100, limit=None)
        found = [FuzzyMatch(pool[i][0].source, pool[i][0].target, score / 100, pool[i][0]) for _, score, i in hits]
        return _rank(found, text, limit)

    def exact(self) -> dict[str, str]:
        """Source sentence -> reviewed English (approved wins over edited, then document order)."""
        out: dict[str, str] = {}
        for stem, _sid, source, target, _status, _f, _l, _d in self.index.reviewed():
            out.setdefault(source, target)
        return out


_MEMORIES: dict[int, Memory] = {}
_MEMORIES_LOCK = threading.Lock()


def project_memory(out_dir: Path) -> Memory:
    """The memory of the project whose translations are in ``out_dir`` (one per process)."""
    idx = open_index(out_dir)
    with _MEMORIES_LOCK:
        mem = _MEMORIES.get(id(idx))
        if mem is None or mem.index is not idx:
            mem = _MEMORIES[id(idx)] = Memory(idx)
    return mem
