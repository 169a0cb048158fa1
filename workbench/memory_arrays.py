"""The translation memory's search arrays: a character-bigram index over the folded sources.

    arrays = build(rows)                     # rows: (rowid, stem, folded source), in memory order
    blobs = arrays.blobs(); Arrays.load(meta, blobs)   # kept in the project index, read back as is
    arrays.candidates("请将本信作为大会文件分发", 64, alive)

Every bigram of every entry's folded source, sorted by bigram: ``ukeys`` (the distinct bigram
keys, sorted), ``starts`` (where each key's run begins in ``owner``, one more at the end) and
``owner`` (the entry of each occurrence, ascending within a key). A query looks its bigrams up
with ``searchsorted`` and counts hits per entry with ``bincount``. The arrays are plain numpy
buffers, so the project index keeps them as BLOBs and a new process reads them back with
``frombuffer`` instead of building them again (:meth:`workbench.index.Index.memory_snapshot`).
Entries are named by their index row (``rowids``); their text is read from the index when a
query needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

#: bumped when the arrays' layout or meaning changes (older ones are then built again)
FORMAT = 1
SEP = "\x00"
COMMON_MIN_ENTRIES = 10_000  # from this size on, bigrams in over a quarter of the entries are not counted
_DTYPES = {"ukeys": np.int64, "starts": np.int64, "owner": np.int32, "lengths": np.int32, "stem_of": np.int32, "rowids": np.int64}


def keys_of(codes: np.ndarray) -> np.ndarray:
    return codes[:-1].astype(np.int64) * 0x110000 + codes[1:].astype(np.int64)


def codes_of(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


@dataclass
class Arrays:
    """The bigram index of ``n`` entries, and per entry its folded length, stem and index row."""

    ukeys: np.ndarray
    starts: np.ndarray
    owner: np.ndarray
    lengths: np.ndarray
    stem_of: np.ndarray
    rowids: np.ndarray
    stems: list[str]

    @property
    def n(self) -> int:
        return len(self.lengths)

    def meta(self) -> dict[str, Any]:
        return {"format": FORMAT, "n": self.n, "stems": self.stems}

    def blobs(self) -> dict[str, bytes]:
        return {name: np.ascontiguousarray(getattr(self, name), dtype=dt).tobytes() for name, dt in _DTYPES.items()}

    @classmethod
    def load(cls, meta: dict[str, Any], blobs: dict[str, bytes]) -> Arrays | None:
        """The arrays from :meth:`blobs` (no copy), or None if they are not of this format or do not fit."""
        if meta.get("format") != FORMAT or not isinstance(meta.get("stems"), list):
            return None
        try:
            arr = {name: np.frombuffer(blobs[name], dtype=dt) for name, dt in _DTYPES.items()}
        except (KeyError, ValueError, TypeError):
            return None
        n = meta.get("n")
        if not all(len(arr[k]) == n for k in ("lengths", "stem_of", "rowids")) or len(arr["starts"]) != len(arr["ukeys"]) + 1:
            return None
        if len(arr["starts"]) and (arr["starts"][-1] != len(arr["owner"]) or arr["starts"][0] != 0):
            return None
        if len(arr["owner"]) and not (0 <= int(arr["owner"].min()) and int(arr["owner"].max()) < n):
            return None
        return cls(stems=[str(s) for s in meta["stems"]], **arr)

    def candidates(self, query: str, n: int, alive: np.ndarray | None = None) -> list[int]:
        """Up to ``n`` entries sharing the most bigrams with ``query`` (folded), best first
        (``alive``: a mask of the entries that may be named; default all)."""
        if alive is None:
            alive = np.ones(self.n, dtype=bool)
        if not len(self.owner) or len(query) < 2:
            if len(query) < 2:  # a one-character query: compare by length alone
                return np.flatnonzero(alive & (self.lengths <= 3))[:n].tolist()
            return []
        qkeys = np.unique(keys_of(codes_of(query)))
        j = np.searchsorted(self.ukeys, qkeys)
        ok = j < len(self.ukeys)
        ok[ok] = self.ukeys[j[ok]] == qkeys[ok]
        j = j[ok]
        spans = list(zip(self.starts[j].tolist(), self.starts[j + 1].tolist()))
        if not spans:
            return []
        total = self.n
        if total >= COMMON_MIN_ENTRIES:
            # bigrams in more than a quarter of a big memory (boilerplate: 安全, 理事, （第) tell
            # entries apart little and cost the most to count: left out while enough others remain
            rare = [(a, b) for a, b in spans if b - a <= total // 4]
            if len(rare) >= max(2, len(spans) // 2):
                spans = rare
        owners = np.concatenate([self.owner[a:b] for a, b in spans])
        counts = np.bincount(owners, minlength=total)
        hit = np.flatnonzero(counts)
        if not alive.all():
            hit = hit[alive[hit]]
        if not len(hit):
            return []
        # Dice-like upper bound on similarity from shared bigrams, so long entries sharing many
        # common bigrams do not crowd out the close ones.
        score = 2.0 * counts[hit] / np.maximum(self.lengths[hit] + len(query), 1)
        k = min(n, len(hit))
        best = np.argpartition(-score, k - 1)[:k]
        return hit[best[np.argsort(-score[best], kind="stable")]].tolist()


def build(rowids: Sequence[int], stems: Sequence[str], folded: Sequence[str]) -> Arrays:
    """The arrays of the entries given in order (their index rows, stems and folded sources, ``SEP`` replaced)."""
    names = sorted(set(stems))
    ids = {name: i for i, name in enumerate(names)}
    stem_of = np.fromiter((ids[s] for s in stems), dtype=np.int32, count=len(stems))
    rows = np.asarray(rowids, dtype=np.int64)
    if not folded:
        empty = np.zeros(0, dtype=np.int64)
        return Arrays(empty, np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), stem_of, rows, names)
    joined = SEP.join(folded) + SEP
    codes = codes_of(joined)
    lengths = np.fromiter((len(f) for f in folded), dtype=np.int64, count=len(folded))
    owner_of_char = np.repeat(np.arange(len(folded), dtype=np.int32), lengths + 1)
    keys = keys_of(codes)
    owner = owner_of_char[:-1]
    ok = (codes[:-1] != 0) & (codes[1:] != 0)  # no bigram across two entries
    keys, owner = keys[ok], owner[ok]
    bits = max(1, int(len(folded)).bit_length())
    if bits <= 22:  # key (< 2**41) and owner packed in one int64: a plain sort, ~20x faster than argsort
        packed = np.sort((keys << bits) | owner.astype(np.int64))
        keys = packed >> bits
        owner = (packed & ((1 << bits) - 1)).astype(np.int32)
    else:
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        owner = owner[order]
    if len(keys):
        first = np.concatenate([[0], np.flatnonzero(keys[1:] != keys[:-1]) + 1])
        ukeys = keys[first]
        starts = np.concatenate([first, [len(keys)]]).astype(np.int64)
    else:
        ukeys, starts = np.zeros(0, dtype=np.int64), np.zeros(1, dtype=np.int64)
    return Arrays(ukeys, starts, owner, lengths.astype(np.int32), stem_of, rows, names)
