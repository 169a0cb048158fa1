"""Translation memory: reviewed (edited/approved) segments of every document, matched fuzzily.

    tm = project_memory(Path("translations"))
    for m in tm.matches("请将本信及其附件作为大会文件分发为荷。"):
        print(m.score, m.target, m.diff)

The entries come from the project index (:mod:`workbench.index`), never from a scan of every
file. Candidates are found through a character-bigram index (numpy arrays: one sorted array of
bigram keys and the entries they occur in; a query looks up its bigrams with ``searchsorted``
and counts hits per entry with ``bincount``); only the best candidates are scored, with
``rapidfuzz``'s normalised Indel similarity (the measure ``difflib``'s ratio approximates).
Traditional and Simplified Chinese are folded before matching (OpenCC ``t2s``). A document saved
since the memory was built is re-read alone (its entries kept beside the bigram arrays and
scored directly) until enough changed to rebuild.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from workbench.index import Index, fold, open_index

THRESHOLD = 0.75
CANDIDATES = 64  # entries scored per query, from the bigram counts
COMMON_MIN_ENTRIES = 10_000  # from this size on, bigrams in over a quarter of the entries are not counted
_SEP = "\x00"


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


def _keys(codes: np.ndarray) -> np.ndarray:
    return codes[:-1].astype(np.int64) * 0x110000 + codes[1:].astype(np.int64)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


class _Rows(Sequence[MemoryEntry]):
    """The index's rows (:meth:`Index.reviewed`) as entries, each made when asked for (a 100,000-entry
    memory builds no 100,000 objects; a query looks at a few dozen)."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> MemoryEntry:  # type: ignore[override]
        stem, sid, source, target, status, _fold, lang, document = self.rows[i]
        return MemoryEntry(source, target, status, lang, document, stem, sid)


class _Base:
    """Bigram arrays over a fixed list of entries."""

    def __init__(self, entries: Sequence[MemoryEntry], folded: list[str], stems: list[str] | None = None) -> None:
        self.entries = entries
        self.folded = folded
        self.alive = np.ones(len(entries), dtype=bool)
        stems = stems if stems is not None else [e.stem for e in entries]
        names = sorted(set(stems))
        self.stem_ids = {name: i for i, name in enumerate(names)}
        self.stem_of = np.fromiter((self.stem_ids[s] for s in stems), dtype=np.int32, count=len(stems))
        if not entries:
            self.keys = np.zeros(0, dtype=np.int64)
            self.owner = np.zeros(0, dtype=np.int32)
            self.lengths = np.zeros(0, dtype=np.int32)
            return
        joined = _SEP.join(folded) + _SEP
        codes = _codes(joined)
        lengths = np.fromiter((len(f) for f in folded), dtype=np.int64, count=len(folded))
        owner_of_char = np.repeat(np.arange(len(folded), dtype=np.int32), lengths + 1)
        keys = _keys(codes)
        owner = owner_of_char[:-1]
        ok = (codes[:-1] != 0) & (codes[1:] != 0)  # no bigram across two entries
        keys, owner = keys[ok], owner[ok]
        bits = max(1, int(len(folded)).bit_length())
        if bits <= 22:  # key (< 2**41) and owner packed in one int64: a plain sort, ~20x faster than argsort
            packed = np.sort((keys << bits) | owner.astype(np.int64))
            self.keys = packed >> bits
            self.owner = (packed & ((1 << bits) - 1)).astype(np.int32)
        else:
            order = np.argsort(keys, kind="stable")
            self.keys = keys[order]
            self.owner = owner[order]
        self.lengths = lengths.astype(np.int32)

    def candidates(self, query: str, n: int) -> list[int]:
        if not len(self.keys) or len(query) < 2:
            if len(query) < 2:  # a one-character query: compare by length alone
                return [i for i, f in enumerate(self.folded) if self.alive[i] and len(f) <= 3][:n]
            return []
        qkeys = np.unique(_keys(_codes(query)))
        lo = np.searchsorted(self.keys, qkeys, "left")
        hi = np.searchsorted(self.keys, qkeys, "right")
        spans = [(a, b) for a, b in zip(lo.tolist(), hi.tolist()) if b > a]
        if not spans:
            return []
        total = len(self.entries)
        if total >= COMMON_MIN_ENTRIES:
            # bigrams in more than a quarter of a big memory (boilerplate: 安全, 理事, （第) tell
            # entries apart little and cost the most to count: left out while enough others remain
            rare = [(a, b) for a, b in spans if b - a <= total // 4]
            if len(rare) >= max(2, len(spans) // 2):
                spans = rare
        owners = np.concatenate([self.owner[a:b] for a, b in spans])
        counts = np.bincount(owners, minlength=total)
        hit = np.flatnonzero(counts)
        if not self.alive.all():
            hit = hit[self.alive[hit]]
        if not len(hit):
            return []
        # Dice-like upper bound on similarity from shared bigrams, so long entries sharing many
        # common bigrams do not crowd out the close ones.
        score = 2.0 * counts[hit] / np.maximum(self.lengths[hit] + len(query), 1)
        k = min(n, len(hit))
        best = np.argpartition(-score, k - 1)[:k]
        return hit[best[np.argsort(-score[best], kind="stable")]].tolist()


class Memory:
    """A project's translation memory, kept current with the index (thread-safe)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._lock = threading.Lock()
        self._base: _Base | None = None
        self._versions: dict[str, int] = {}
        self._base_stems: set[str] = set()
        self._extra: dict[str, list[tuple[MemoryEntry, str]]] = {}

    @staticmethod
    def _entries(rows: Iterable[tuple[Any, ...]]) -> tuple[list[MemoryEntry], list[str]]:
        entries, folded = [], []
        for stem, sid, source, target, status, fsrc, lang, document in rows:
            entries.append(MemoryEntry(source, target, status, lang, document, stem, sid))
            folded.append(fsrc.replace(_SEP, " "))
        return entries, folded

    def sync(self) -> None:
        """Re-read what changed in the index since the last call (whole rebuild if much did)."""
        versions = self.index.versions()
        with self._lock:
            if self._base is None:
                self._rebuild(versions)
                return
            changed = [s for s, v in versions.items() if self._versions.get(s) != v] + [s for s in self._versions if s not in versions]
            if not changed:
                return
            for stem in changed:
                if stem in self._base_stems:
                    k = self._base.stem_ids.get(stem)
                    if k is not None:
                        self._base.alive[self._base.stem_of == k] = False
                    self._base_stems.discard(stem)
            rows = self.index.reviewed([s for s in changed if s in versions])
            for stem in changed:
                self._extra.pop(stem, None)
            for e, f in zip(*self._entries(rows)):
                self._extra.setdefault(e.stem, []).append((e, f))
            self._versions = versions
            if sum(len(v) for v in self._extra.values()) > max(2000, len(self._base.entries) // 5):
                self._rebuild(versions)

    def _rebuild(self, versions: dict[str, int]) -> None:
        rows = self.index.reviewed()
        stems = [r[0] for r in rows]
        self._base = _Base(_Rows(rows), [r[5].replace(_SEP, " ") for r in rows], stems)
        self._base_stems = set(stems) | set(versions)
        self._extra = {}
        self._versions = versions

    def entries(self) -> list[MemoryEntry]:
        """Every entry, approved first (as :meth:`Index.reviewed` orders them)."""
        self.sync()
        with self._lock:
            assert self._base is not None
            out = [e for e, ok in zip(self._base.entries, self._base.alive) if ok]
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
            pool: list[tuple[MemoryEntry, str]] = [(base.entries[i], base.folded[i]) for i in base.candidates(q, CANDIDATES)]
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
