"""Sentence alignment of a document and its (human) translation.

    beads = align_sentences(src_sentences, tgt_sentences, bridge=mt_of_src)
    for b in beads:
        print(b.links(), b.confidence)      # "[0]:[0,1]" 0.91

A bead pairs consecutive source sentences with consecutive target sentences
(0-1, 1-0, 1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 1-4, 4-1). The best sequence of beads is
found by dynamic programming; each bead is scored by

* **similarity** of the bridge (a machine translation of the source into the
  target's language, when there is one; else the source itself) to the target:
  the cosine of tf-idf weighted, hashed character 1-5-gram vectors, computed with
  whitespace removed like chrF. It approximates chrF (sacrebleu's chrF is far too
  slow for the millions of candidate pairs) and is language-agnostic. Vectors are
  additive, so a multi-sentence bead is scored on the concatenation for free;
* **anchors**: numbers, glossary terms and other tokens given by the caller are
  extra features of both vectors, so they count in the similarity;
* **length agreement**: log character-length ratio against the pair's ratio
  estimated from the two documents (Gale-Church in spirit);
* a prior per bead type and a skip cost for 0-1/1-0 beads.

Similarity is calibrated per problem: the median cosine of the (mostly wrong)
candidate pairs in the search band maps to 0 and the typical best pair of a row to 1,
so the same weights work with and without a bridge and in any language.

Time and memory grow about linearly: above ``full_limit`` sentences the problem is
first solved on blocks of ``factor`` sentences (recursively), and the fine DP only
searches a band around the projected coarse path.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from workbench.errors import InputError

ALIGNER = "workbench-align/1"

_NEG = -1e18


@dataclass(frozen=True)
class Bead:
    """Source sentence indices, target sentence indices (0-based, consecutive) and a 0..1 confidence."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 0.0

    def links(self) -> str:
        return f"[{','.join(map(str, self.src))}]:[{','.join(map(str, self.tgt))}]"


@dataclass
class AlignParams:
    """Weights of the bead score (tuned on tests/data/align dev sets)."""

    sim_weight: float = 1.0  # times calibrated similarity, times ((k+l)/2)**size_power
    size_power: float = 0.0
    len_weight: float = 0.8  # times the log-normal length score
    len_sigma: float = 0.3  # spread of log(target/source) length ratio
    len_smooth: float = 15.0  # characters added to both lengths (short sentences are noisy)
    skip: float = 0.35  # cost of a 0-1 or 1-0 bead
    penalties: dict[tuple[int, int], float] = field(
        default_factory=lambda: {
            (1, 1): 0.0,
            (1, 2): 0.35, (2, 1): 0.35,
            (2, 2): 0.9,
            (1, 3): 0.7, (3, 1): 0.7,
            (1, 4): 1.1, (4, 1): 1.1,
        }
    )
    dim: int = 4096  # hashed feature buckets
    ngrams: tuple[int, ...] = (1, 2, 3, 4, 5)
    anchor_weight: float = 4.0  # weight of a number / term feature, in idf units
    full_limit: int = 1200  # up to this many sentences a side: exact DP over the full matrix
    factor: int = 8  # block size of the coarse pass
    margin: int = 16  # band half-width added around the projected coarse path
    max_width: int = 600  # band width cap (memory)
    no_bridge_sim_weight: float = 0.6  # without a bridge the similarity is weaker evidence
    no_bridge_len_weight: float = 0.8


FINE_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 4), (4, 1))
COARSE_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (1, 2), (2, 1))
T01 = 255  # backpointer code of a 0-1 bead


# ---------------------------------------------------------------- features

_WS = re.compile(r"\s+")
_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad\u00ac]\s+(?=[^\W\d_])")
_NUMBER = re.compile(r"\d+(?:[.,']\d+)*")
_PUNCT = str.maketrans({"。": ".", "、": ",", "「": '"', "」": '"', "『": '"', "』": '"', "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00ad": ""})
_MIX = np.uint64(0x9E3779B97F4A7C15)
_P = np.uint64(0x100000001B3)


def normalize_for_matching(text: str) -> str:
    """NFKC, case-folded, CJK punctuation as ASCII, OCR hyphenation breaks joined, no white space."""
    s = unicodedata.normalize("NFKC", text).casefold().translate(_PUNCT)
    s = _HYPHEN_BREAK.sub(r"\1", s)
    return _WS.sub("", s)


def numbers(text: str) -> list[str]:
    """Numbers with thousands/decimal separators removed ("2.000" and "2,000" agree)."""
    return [re.sub(r"[.,']", "", m.group()) for m in _NUMBER.finditer(unicodedata.normalize("NFKC", text))]


def _char_ngrams(texts: Sequence[str], ngrams: tuple[int, ...], bits: int) -> tuple[np.ndarray, np.ndarray]:
    """(sentence index, bucket) of every character n-gram, vectorised with a rolling hash."""
    norm = [normalize_for_matching(t) for t in texts]
    n = len(norm)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lens = np.fromiter((len(s) for s in norm), dtype=np.int64, count=n)
    joined = "\x00".join(norm) + "\x00"
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    total = len(cp)
    sent = np.repeat(np.arange(n, dtype=np.int64), lens + 1)
    sepcum = np.concatenate([[0], np.cumsum(cp == 0)])
    h = np.zeros(total, dtype=np.uint64)
    rows: list[np.ndarray] = []
    buckets: list[np.ndarray] = []
    shift = np.uint64(64 - bits)
    for size in range(1, max(ngrams) + 1):
        span = total - size + 1
        if span <= 0:
            break
        h[:span] = h[:span] * _P + cp[size - 1 :]
        if size not in ngrams:
            continue
        ok = np.flatnonzero(sepcum[size : total + 1] - sepcum[:span] == 0)
        mixed = (h[ok] ^ np.uint64(size * 0x51ED27)) * _MIX
        buckets.append((mixed >> shift).astype(np.int64))
        rows.append(sent[ok])
    return np.concatenate(rows), np.concatenate(buckets)


def _token_features(tokens: Sequence[Sequence[str]], dim: int) -> tuple[np.ndarray, np.ndarray]:
    rows, buckets = [], []
    for i, toks in enumerate(tokens):
        for t in toks:
            rows.append(i)
            buckets.append(zlib.crc32(("\x01" + t).encode("utf-8")) % dim)
    return np.asarray(rows, dtype=np.int64), np.asarray(buckets, dtype=np.int64)


class _Vecs:
    """Sparse tf-idf vectors of one side (rows sorted), materialised densely in chunks."""

    def __init__(self, rows: np.ndarray, buckets: np.ndarray, weights: np.ndarray, n: int, dim: int, lengths: np.ndarray) -> None:
        order = np.argsort(rows, kind="stable")
        self.rows, self.buckets, self.weights = rows[order], buckets[order], weights[order]
        self.n, self.dim = n, dim
        self.lengths = lengths.astype(np.float64)
        self.ptr = np.searchsorted(self.rows, np.arange(n + 1))

    def dense(self, r0: int, r1: int) -> np.ndarray:
        r0, r1 = max(0, r0), min(self.n, r1)
        if r1 <= r0:
            return np.zeros((0, self.dim), np.float32)
        a, b = self.ptr[r0], self.ptr[r1]
        flat = np.bincount((self.rows[a:b] - r0) * self.dim + self.buckets[a:b], weights=self.weights[a:b], minlength=(r1 - r0) * self.dim)
        return flat.reshape(r1 - r0, self.dim).astype(np.float32)

    def coarse(self, f: int) -> "_Vecs":
        n = -(-self.n // f)
        lengths = np.bincount(np.arange(self.n) // f, weights=self.lengths, minlength=n)
        return _Vecs(self.rows // f, self.buckets, self.weights, n, self.dim, lengths)


def _build_vectors(
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    src_lengths: np.ndarray,
    tgt_lengths: np.ndarray,
    src_tokens: Sequence[Sequence[str]] | None,
    tgt_tokens: Sequence[Sequence[str]] | None,
    p: AlignParams,
) -> tuple[_Vecs, _Vecs]:
    bits = int(round(math.log2(p.dim)))
    dim = 1 << bits
    sides = []
    for texts, tokens in ((src_texts, src_tokens), (tgt_texts, tgt_tokens)):
        r, b = _char_ngrams(texts, p.ngrams, bits)
        key, tf = np.unique(r * dim + b, return_counts=True)
        sides.append([key // dim, key % dim, tf.astype(np.float64), tokens])
    n_docs = len(src_texts) + len(tgt_texts)
    df = np.bincount(sides[0][1], minlength=dim) + np.bincount(sides[1][1], minlength=dim)
    idf = np.log((n_docs + 1.0) / (df + 1.0))
    max_idf = math.log(n_docs + 1.0)
    out = []
    for (r, b, tf, tokens), texts, lengths in zip(sides, (src_texts, tgt_texts), (src_lengths, tgt_lengths)):
        w = tf * idf[b]
        if tokens is not None:
            tr, tb = _token_features(tokens, dim)
            r, b = np.concatenate([r, tr]), np.concatenate([b, tb])
            w = np.concatenate([w, np.full(len(tr), p.anchor_weight * max_idf / 2)])
        out.append(_Vecs(r, b, w, len(texts), dim, lengths))
    return out[0], out[1]


# ---------------------------------------------------------------- band geometry and scores


class _Problem:
    """Pairwise dot products in a band, prefix sums, norms and lengths for bead scoring."""

    def __init__(self, A: _Vecs, B: _Vecs, lo: np.ndarray, W: int, kmax: int, lmax: int, ratio: float) -> None:
        n, m = A.n, B.n
        self.n, self.m, self.lo, self.W = n, m, lo, W
        self.ratio = ratio
        # band of G rows: must cover every (s, t) used by beads ending in rows s+1..s+kmax
        hi = lo + W
        ext = np.concatenate([lo[1:], np.full(kmax, lo[-1])])
        ext_hi = np.concatenate([hi[1:], np.full(kmax, hi[-1])])
        glo = lo[:n].copy()
        ghi = hi[:n].copy()
        for d in range(kmax):
            glo = np.minimum(glo, ext[d : d + n])
            ghi = np.maximum(ghi, ext_hi[d : d + n])
        glo = np.clip(glo - lmax, 0, m)
        ghi = np.clip(ghi, 0, m)
        self.glo = glo
        self.Wg = int(max(1, (ghi - glo).max())) if n else 1
        G = np.zeros((n, self.Wg), np.float32)
        self._band_dots(A, B, G)
        self.C = np.zeros((n, self.Wg + 1), np.float64)
        np.cumsum(G, axis=1, out=self.C[:, 1:])
        self.NA = self._norms(A, kmax)
        self.NB = self._norms(B, lmax)
        self.LA = np.concatenate([[0.0], np.cumsum(A.lengths)])
        self.LB = np.concatenate([[0.0], np.cumsum(B.lengths)])

    def _band_dots(self, A: _Vecs, B: _Vecs, G: np.ndarray) -> None:
        n = A.n
        r0 = 0
        chunk = 256
        while r0 < n:
            r1 = min(n, r0 + chunk)
            c0 = int(self.glo[r0:r1].min())
            c1 = int(min(self.m, (self.glo[r0:r1] + self.Wg).max()))
            if c1 - c0 > 4 * chunk + self.Wg and r1 - r0 > 8:
                chunk = max(8, chunk // 2)
                continue
            Xa = A.dense(r0, r1)
            Xb = B.dense(c0, c1)
            P = Xa @ Xb.T
            cols = self.glo[r0:r1, None] + np.arange(self.Wg)[None, :] - c0
            ok = (cols >= 0) & (cols < c1 - c0)
            rr = np.broadcast_to(np.arange(r1 - r0)[:, None], cols.shape)
            G[r0:r1] = np.where(ok, P[rr, np.clip(cols, 0, max(0, c1 - c0 - 1))] if c1 > c0 else 0.0, 0.0)
            r0 = r1
            chunk = 256

    @staticmethod
    def _norms(V: _Vecs, kmax: int) -> list[np.ndarray]:
        """norms[k][i] = |v_{i-k} + ... + v_{i-1}|^2 for i in 0..n (0 where i < k)."""
        n = V.n
        self_dots = np.zeros((kmax, n), np.float64)  # self_dots[d][s] = v_s . v_{s+d}
        for r0 in range(0, n, 512):
            r1 = min(n, r0 + 512)
            X = V.dense(r0, min(n, r1 + kmax - 1))
            for d in range(kmax):
                end = min(r1 - r0, X.shape[0] - d)
                if end > 0:
                    self_dots[d, r0 : r0 + end] = np.einsum("ij,ij->i", X[:end], X[d : d + end])
        norms = [np.zeros(n + 1)]
        for k in range(1, kmax + 1):
            out = np.zeros(n + 1)
            for a in range(k):
                for b in range(k):
                    d = abs(a - b)
                    # pair (i-k+a, i-k+b): starts at min index
                    start = np.arange(k, n + 1) - k + min(a, b)
                    out[k:] += self_dots[d, start]
            norms.append(out)
        return norms

    def bead_features(self, k: int, l: int, I: np.ndarray, J: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cosine, log length ratio (target/ratio*source) and validity of beads ending at (I, J)."""
        I, J = np.broadcast_arrays(I, J)
        if k > self.n or l > self.m:
            zero = np.zeros(I.shape)
            return zero, (zero, zero), np.zeros(I.shape, bool)
        valid = (I >= k) & (J >= l) & (J <= self.m)
        Ic = np.where(valid, I, k)
        Jc = np.where(valid, J, l)
        dot = np.zeros(I.shape, np.float64)
        if k and l:
            for s_off in range(1, k + 1):
                s = Ic - s_off
                g = self.glo[s]
                a = Jc - l - g
                b = Jc - g
                inside = (a >= 0) & (b <= self.Wg)
                valid &= inside
                dot += self.C[s, np.clip(b, 0, self.Wg)] - self.C[s, np.clip(a, 0, self.Wg)]
        na = self.NA[k][Ic]
        nb = self.NB[l][Jc]
        cos = dot / np.sqrt(na * nb + 1e-9)
        ls = self.LA[Ic] - self.LA[Ic - k]
        lt = self.LB[Jc] - self.LB[Jc - l]
        return cos, (ls, lt), valid


def _estimate_ratio(A: _Vecs, B: _Vecs) -> float:
    return float((B.lengths.sum() + 1.0) / (A.lengths.sum() + 1.0))


class _Scorer:
    def __init__(self, prob: _Problem, types: tuple[tuple[int, int], ...], p: AlignParams, bridged: bool) -> None:
        self.prob, self.types, self.p = prob, types, p
        self.sim_w = p.sim_weight if bridged else p.no_bridge_sim_weight
        self.len_w = p.len_weight if bridged else p.no_bridge_len_weight
        n, W = prob.n, prob.W
        I = np.arange(n + 1)[:, None]
        J = prob.lo[:, None] + np.arange(W)[None, :]
        self.S = np.full((n + 1, len(types), W), _NEG, np.float32)
        feats = {(1, 1): prob.bead_features(1, 1, I, J)}
        cos11, _, valid11 = feats[(1, 1)]
        vals = cos11[valid11]
        if vals.size:
            self.c0 = {(1, 1): float(np.median(vals))}
            rowmax = np.where(valid11, cos11, -np.inf).max(axis=1)
            rowmax = rowmax[np.isfinite(rowmax)]
            self.c1 = float(np.median(rowmax)) if rowmax.size else self.c0[(1, 1)] + 0.1
        else:
            self.c0 = {(1, 1): 0.0}
            self.c1 = 0.1
        self.scale = max(self.c1 - self.c0[(1, 1)], 0.05)
        for t, (k, l) in enumerate(types):
            if l == 0:
                self.S[:, t, :] = np.where(I >= 1, -p.skip, _NEG)
                continue
            cos, (ls, lt), valid = feats.pop((k, l), None) or prob.bead_features(k, l, I, J)
            if (k, l) not in self.c0:
                v = cos[valid]
                self.c0[(k, l)] = float(np.median(v)) if v.size else self.c0[(1, 1)]
            score = self._score(k, l, cos, ls, lt)
            self.S[:, t, :] = np.where(valid, score, _NEG)

    def sim(self, k: int, l: int, cos: np.ndarray) -> np.ndarray:
        return (cos - self.c0.get((k, l), self.c0[(1, 1)])) / self.scale

    def lenlog(self, ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        p = self.p
        r = np.log((lt + p.len_smooth) / (self.prob.ratio * ls + p.len_smooth)) / p.len_sigma
        return -0.5 * np.minimum(r * r, 50.0)

    def _score(self, k: int, l: int, cos: np.ndarray, ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        sim = np.minimum(self.sim(k, l, cos), 1.5)
        return self.sim_w * ((k + l) / 2.0) ** self.p.size_power * sim + self.len_w * self.lenlog(ls, lt) - self.p.penalties.get((k, l), 1.5)

    def confidences(self, path: list[tuple[int, int, int, int]]) -> list[float]:
        """0..1 confidence of each bead of ``path`` (0 for 0-1/1-0 beads)."""
        out = [0.0] * len(path)
        by_type: dict[tuple[int, int], list[int]] = {}
        for n, (i0, i1, j0, j1) in enumerate(path):
            if i1 > i0 and j1 > j0:
                by_type.setdefault((i1 - i0, j1 - j0), []).append(n)
        w = self.sim_w / (self.sim_w + self.len_w * 0.5)
        for (k, l), idx in by_type.items():
            I = np.array([path[n][1] for n in idx])
            J = np.array([path[n][3] for n in idx])
            cos, (ls, lt), _ = self.prob.bead_features(k, l, I, J)
            sim = np.clip(self.sim(k, l, cos), 0.0, 1.0)
            conf = w * sim + (1 - w) * np.exp(self.lenlog(ls, lt))
            for n, c in zip(idx, conf):
                out[n] = round(float(c), 3)
        return out


def _dp(A: _Vecs, B: _Vecs, lo: np.ndarray, W: int, types: tuple[tuple[int, int], ...], p: AlignParams, bridged: bool, ratio: float) -> tuple[list[tuple[int, int, int, int]], _Scorer]:
    """Best bead path in the band; returns [(i0, i1, j0, j1)] half-open ranges and the scorer."""
    n, m = A.n, B.n
    kmax = max(k for k, _ in types)
    lmax = max(l for _, l in types)
    prob = _Problem(A, B, lo, W, kmax, lmax, ratio)
    sc = _Scorer(prob, types, p, bridged)
    S = sc.S
    T = len(types)
    ks = np.array([k for k, _ in types])
    ls_ = np.array([l for _, l in types])
    D = np.full((n + 1, W), _NEG, np.float64)
    BP = np.full((n + 1, W), T01, np.uint8)
    ar = np.arange(W)
    skip = p.skip
    jabs = lo[0] + ar
    D[0] = np.where(jabs <= m, -skip * jabs, _NEG)
    tidx = np.arange(T)[:, None]
    for i in range(1, n + 1):
        prev_rows = i - ks
        okrow = prev_rows >= 0
        pr = np.where(okrow, prev_rows, 0)
        cols = ar[None, :] + (lo[i] - ls_ - lo[pr])[:, None]
        okc = (cols >= 0) & (cols < W) & okrow[:, None]
        cand = np.where(okc, D[pr[:, None], np.clip(cols, 0, W - 1)], _NEG) + S[i]
        best_t = cand.argmax(axis=0)
        E = cand[best_t, ar]
        jabs = lo[i] + ar
        M = E + skip * jabs
        cm = np.maximum.accumulate(M)
        D[i] = cm - skip * jabs
        BP[i] = np.where(cm > M, T01, best_t)
    del tidx
    i, j = n, m
    path: list[tuple[int, int, int, int]] = []
    if not (0 <= m - lo[n] < W) or D[n, m - lo[n]] <= _NEG / 2:
        raise InputError("alignment failed: no path through the search band; report this with the two files")
    while i > 0 or j > 0:
        t = int(BP[i, j - lo[i]])
        if t == T01:
            path.append((i, i, j - 1, j))
            j -= 1
        else:
            k, l = types[t]
            path.append((i - k, i, j - l, j))
            i, j = i - k, j - l
    path.reverse()
    return path, sc


def _band_from_coarse(path: list[tuple[int, int, int, int]], f: int, n: int, m: int, p: AlignParams) -> tuple[np.ndarray, int]:
    lo = np.full(n + 1, m, np.int64)
    hi = np.zeros(n + 1, np.int64)
    for i0, i1, j0, j1 in path:
        r0, r1 = min(i0 * f, n), min(i1 * f, n)
        c0, c1 = min(j0 * f, m), min(j1 * f, m)
        lo[r0 : r1 + 1] = np.minimum(lo[r0 : r1 + 1], c0)
        hi[r0 : r1 + 1] = np.maximum(hi[r0 : r1 + 1], c1)
    margin = max(p.margin, 2 * f)
    lo = np.clip(lo - margin, 0, m)
    hi = np.clip(hi + margin, 0, m)
    lo[0] = 0
    width = hi - lo + 1
    W = int(min(width.max(), p.max_width, m + 1))
    # keep (n, m) inside the last row's band
    lo[n] = max(0, min(lo[n], m - W + 1))
    lo = np.minimum(lo, m - 0)
    return lo, W


def _solve(A: _Vecs, B: _Vecs, types: tuple[tuple[int, int], ...], p: AlignParams, bridged: bool, ratio: float) -> tuple[list[tuple[int, int, int, int]], _Scorer]:
    n, m = A.n, B.n
    if max(n, m) <= p.full_limit or min(n, m) <= 2 * p.factor:
        lo = np.zeros(n + 1, np.int64)
        return _dp(A, B, lo, m + 1, types, p, bridged, ratio)
    f = p.factor
    coarse_path, _ = _solve(A.coarse(f), B.coarse(f), COARSE_TYPES, p, bridged, ratio)
    lo, W = _band_from_coarse(coarse_path, f, n, m, p)
    return _dp(A, B, lo, W, types, p, bridged, ratio)


# ---------------------------------------------------------------- public API


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    bridge: Sequence[str] | None = None,
    *,
    src_anchors: Sequence[Sequence[str]] | None = None,
    tgt_anchors: Sequence[Sequence[str]] | None = None,
    params: AlignParams | None = None,
) -> list[Bead]:
    """Align sentence lists; ``bridge`` is a machine translation of ``src`` (line-parallel) in ``tgt``'s language.

    ``src_anchors``/``tgt_anchors`` are optional per-sentence tokens that should match
    across the sides (glossary term ids, ...); numbers are always used as anchors.
    """
    p = params or AlignParams()
    if bridge is not None and len(bridge) != len(src):
        raise InputError(f"the bridge has {len(bridge)} sentences but the source has {len(src)}; give one machine translation per source line")
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    rep = list(bridge) if bridge is not None else list(src)
    src_tok = []
    for i in range(n):
        toks = ["#" + x for x in numbers(src[i])]
        if bridge is not None:
            toks = sorted(set(toks) | {"#" + x for x in numbers(bridge[i])})
        if src_anchors is not None:
            toks += ["@" + a for a in src_anchors[i]]
        src_tok.append(toks)
    tgt_tok = []
    for j in range(m):
        toks = ["#" + x for x in numbers(tgt[j])]
        if tgt_anchors is not None:
            toks += ["@" + a for a in tgt_anchors[j]]
        tgt_tok.append(toks)
    src_len = np.array([len(_WS.sub("", s)) for s in src], np.float64)
    tgt_len = np.array([len(_WS.sub("", s)) for s in tgt], np.float64)
    A, B = _build_vectors(rep, tgt, src_len, tgt_len, src_tok, tgt_tok, p)
    ratio = _estimate_ratio(A, B)
    path, sc = _solve(A, B, FINE_TYPES, p, bridge is not None, ratio)
    conf = sc.confidences(path)
    return [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), c) for (i0, i1, j0, j1), c in zip(path, conf)]


def format_links(beads: Sequence[Bead]) -> str:
    return "".join(b.links() + "\n" for b in beads)


def format_tsv(beads: Sequence[Bead], src: Sequence[str], tgt: Sequence[str], joiner: str = " ") -> str:
    lines = []
    for b in beads:
        s = joiner.join(src[i] for i in b.src)
        t = joiner.join(tgt[j] for j in b.tgt)
        lines.append(f"{_tsv_cell(s)}\t{_tsv_cell(t)}\t{b.confidence:.3f}\n")
    return "".join(lines)


def _tsv_cell(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ")


# ---------------------------------------------------------------- scoring (Vecalign / Bleualign style)


def parse_links(text: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Read ``[i,...]:[j,...]`` lines."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            left, right = line.split(":", 1)
            src = tuple(int(x) for x in left.strip().strip("[]").split(",") if x.strip())
            tgt = tuple(int(x) for x in right.strip().strip("[]").split(",") if x.strip())
        except ValueError:
            raise InputError(f"line {n}: {line!r} is not an alignment bead like [0,1]:[2]") from None
        out.append((src, tgt))
    return out


def _tp_counts(gold: list[tuple[tuple[int, ...], tuple[int, ...]]], test: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> tuple[int, int, int]:
    """(strict matches, lax matches, number of test beads) of ``test`` against ``gold``."""
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    src_to_tgt: dict[int, set[int]] = {}
    for s, t in gold_set:
        for i in s:
            src_to_tgt.setdefault(i, set()).update(t)
    strict = lax = total = 0
    for s, t in {(tuple(s), tuple(t)) for s, t in test if s or t}:
        total += 1
        if (s, t) in gold_set:
            strict += 1
            lax += 1
        elif any(j in src_to_tgt.get(i, ()) for i in s for j in t):
            lax += 1
    return strict, lax, total


def score_alignments(gold: list, test: list) -> dict[str, float]:
    """Strict and lax precision/recall/F1 as in Vecalign's score_bitext.py.

    Precision counts every test bead (a wrong 0-1/1-0 bead costs precision); recall is
    precision with the roles swapped and without 0-1/1-0 beads on either side.
    Strict: the bead matches a gold bead exactly. Lax: it overlaps a gold bead on both sides.
    """
    ps, pl, pt = _tp_counts(gold, test)
    nonnull = lambda beads: [(s, t) for s, t in beads if s and t]  # noqa: E731
    rs, rl, rt = _tp_counts(nonnull(test), nonnull(gold))
    out: dict[str, float] = {}
    for name, p_, r_ in (("strict", ps / pt if pt else 0.0, rs / rt if rt else 0.0), ("lax", pl / pt if pt else 0.0, rl / rt if rt else 0.0)):
        out[f"precision_{name}"] = p_
        out[f"recall_{name}"] = r_
        out[f"f1_{name}"] = 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0
    return out


# ---------------------------------------------------------------- presegmented files


def read_lines(path: str | Path, what: str) -> list[str]:
    """One sentence a line (blank lines count: line n is sentence n-1); InputError if missing or empty."""
    from workbench.ingest import decode_bytes, normalize_text

    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file ({what})")
    if p.is_dir():
        raise InputError(f"{p}: is a directory; give a text file with one sentence a line ({what})")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read the file ({exc.strerror})") from None
    if not data.strip():
        raise InputError(f"{p}: the file is empty; give one sentence a line ({what})")
    raw, _enc = decode_bytes(data, str(p))
    text = normalize_text(raw)
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines


def align_files(src_path: str | Path, tgt_path: str | Path, bridge_path: str | Path | None = None, params: AlignParams | None = None) -> tuple[list[Bead], list[str], list[str]]:
    """Align pre-segmented files (one sentence a line); returns (beads, source lines, target lines)."""
    src = read_lines(src_path, "source")
    tgt = read_lines(tgt_path, "translation")
    bridge = None
    if bridge_path is not None:
        bridge = read_lines(bridge_path, "bridge")
        if len(bridge) != len(src):
            raise InputError(
                f"{bridge_path} has {len(bridge)} lines but {src_path} has {len(src)}; the bridge must be a machine translation of the source, one line per source line"
            )
    return align_sentences(src, tgt, bridge, params=params), src, tgt


# ---------------------------------------------------------------- documents


@dataclass
class AlignResult:
    """What ``workbench align`` did to one document pair (its JSON summary)."""

    document: str
    translation: str
    source_lang: str
    target_lang: str
    engine: str
    bridged: bool
    output: str
    source_sentences: int
    target_sentences: int
    beads: dict[str, int]
    segments: int
    mean_confidence: float
    written: bool = True

    def as_dict(self) -> dict[str, object]:
        from dataclasses import asdict

        return asdict(self)


def align_documents(
    source: str | Path,
    translation: str | Path,
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
    engine: str = "auto",
    glossary_path: Path | None = None,
    out_dir: Path = Path("translations"),
    download: bool = True,
    index_url: str | None = None,
    notify: Callable[[str], None] = lambda _m: None,
    params: AlignParams | None = None,
) -> AlignResult:
    """Segment both documents, machine-translate the source as a bridge, align, store.

    The stored segments carry the human translation as ``target``, the bridge MT as
    ``mt``, status ``draft`` and the bead's ``confidence``. A
    translations file that already holds edited/approved segments is never overwritten.
    """
    from workbench import __version__, store
    from workbench.ingest import read_document
    from workbench.qa import flags_for, term_uses
    from workbench.segment import SEGMENTER_VERSION, segment_document
    from workbench.translate import TARGET_LANG, _Job, _origin, choose_engine, load_glossary, run_jobs
    from workbench.errors import StoreError

    src_doc = read_document(source, source_lang)
    tgt_doc = read_document(translation, target_lang)
    out_path = store.path_for(out_dir, src_doc.name)
    digest = store.file_digest(out_path)
    old = store.load(out_path)
    if old is not None:
        human = sum(1 for s in old.segments + old.orphans if s.status in store.HUMAN_STATUSES)
        if human:
            raise StoreError(f"{out_path}: holds {human} edited/approved segments that align would overwrite; write elsewhere with --translations DIR")
    glossary, notices = load_glossary(glossary_path)
    for n in notices:
        notify(n)
    all_src = segment_document(src_doc.text, src_doc.lang)
    src_sents = [s for s in all_src if s.text]
    labels = [s for s in all_src if not s.text]  # label-only lines ("1."): own empty segments, as in translate
    tgt_sents = [s for s in segment_document(tgt_doc.text, tgt_doc.lang) if s.text]
    if not src_sents:
        raise InputError(f"{source}: no sentences to align")
    if not tgt_sents:
        raise InputError(f"{translation}: no sentences to align")
    src_hits = glossary.find_all([s.text for s in src_sents], src_doc.lang)
    tgt_hits = glossary.find_all([s.text for s in tgt_sents], tgt_doc.lang)
    # The bridge: MT of the source into the translation's language (engines translate into English).
    eng = None
    bridge: list[str] | None = None
    if src_doc.lang == tgt_doc.lang:
        bridge = [s.text for s in src_sents]
    elif tgt_doc.lang == TARGET_LANG:
        from workbench.translate import IndexOnce

        eng = choose_engine(src_doc.lang, engine, download=download, index=IndexOnce(index_url), notify=notify)
        if eng.is_mt:
            jobs: dict[str, _Job] = {}
            for s, h in zip(src_sents, src_hits):
                jobs.setdefault(s.text, _Job(text=s.text, hits=h))
            run_jobs(eng, list(jobs.values()), glossary=glossary)
            bridge = [jobs[s.text].result or "" for s in src_sents]
    else:
        notify(f"no machine translation into {tgt_doc.lang}; aligning on length, numbers and glossary terms only")
    anchors = lambda hits: [h.term_id or h.surface for h in hits]  # noqa: E731
    beads = align_sentences(
        [s.text for s in src_sents],
        [s.text for s in tgt_sents],
        bridge,
        src_anchors=[anchors(h) for h in src_hits],
        tgt_anchors=[anchors(h) for h in tgt_hits],
        params=params,
    )
    joiner = "" if tgt_doc.lang.startswith("zh") else " "
    origin = _origin(eng) if eng is not None else ("identity" if bridge is not None else "none")
    mt_is_real = bridge is not None and eng is not None
    # Target sentences of 0-1 beads join the previous segment (or the next, at the start).
    extra: dict[int, list[int]] = {}
    owner = None
    pending: list[int] = []
    for n, b in enumerate(beads):
        if b.src:
            owner = n
            if pending:
                extra.setdefault(n, []).extend(pending)
                pending = []
        elif owner is None:
            pending.extend(b.tgt)
        else:
            extra.setdefault(owner, []).extend(b.tgt)
    segments: list[store.Segment] = []
    taken: set[str] = set()
    pos = 0
    counts: dict[str, int] = {}
    confs: list[float] = []
    li = 0

    def emit_labels(before: int) -> None:
        nonlocal li, pos
        while li < len(labels) and labels[li].start < before:
            lab = labels[li]
            li += 1
            if lab.start < pos:
                continue  # inside a multi-sentence bead's span
            sid = store.segment_id(lab.prefix, "", lab.suffix, taken)
            segments.append(store.Segment(id=sid, source="", target="", prefix=lab.prefix, suffix=lab.suffix, gap=src_doc.text[pos : lab.start], paragraph=lab.paragraph))
            pos = lab.end

    for n, b in enumerate(beads):
        kind = f"{len(b.src)}-{len(b.tgt)}"
        counts[kind] = counts.get(kind, 0) + 1
        if not b.src:
            continue
        first, last = src_sents[b.src[0]], src_sents[b.src[-1]]
        emit_labels(first.start)
        start = first.start + len(first.prefix)
        end = last.end - len(last.suffix)
        text = src_doc.text[start:end]
        gap = src_doc.text[pos : first.start]
        pos = last.end
        tgt_ids = sorted(set(b.tgt) | set(extra.get(n, [])))
        target = joiner.join(tgt_sents[j].text for j in tgt_ids)
        mt = joiner.join(bridge[i] for i in b.src) if mt_is_real and bridge is not None else None
        hits = glossary.find(text, src_doc.lang)
        uses = term_uses(hits, target, "kept", glossary) if tgt_doc.lang == TARGET_LANG else []
        flags = flags_for(text, target, uses, source_lang=src_doc.lang, is_mt=True) if tgt_doc.lang == TARGET_LANG else []
        if extra.get(n):
            flags.append("align-extra-target")
        if not b.tgt:
            flags.append("align-unaligned")
        confs.append(b.confidence)
        sid = store.segment_id(first.prefix, text, last.suffix, taken)
        segments.append(
            store.Segment(
                id=sid, source=text, target=target, status="draft", mt=mt, prefix=first.prefix, suffix=last.suffix,
                gap=gap, paragraph=first.paragraph, origin=origin, fingerprint="", terms=uses, flags=flags, confidence=round(b.confidence, 3),
            )
        )
    emit_labels(len(src_doc.text) + 1)
    sig_base = eng.signature.as_dict() if eng is not None else {"engine": "none" if bridge is None else "identity", "model": None, "model_version": None}
    signature = {
        **sig_base,
        "aligner": ALIGNER,
        "reference": str(translation),
        "reference_sha256": tgt_doc.sha256,
        "glossary": glossary.hash,
        "segmenter": f"workbench-seg/{SEGMENTER_VERSION}",
        "workbench": __version__,
    }
    short = eng.signature.short() if eng is not None else f"engine:{sig_base['engine']}|model:none"
    signature["string"] = "|".join([short, f"aligner:{ALIGNER}", f"glossary:{glossary.hash}", f"seg:{SEGMENTER_VERSION}", f"wb:{__version__}"])
    doc = store.StoredDocument(
        document=str(source),
        source_lang=src_doc.lang,
        target_lang=tgt_doc.lang,
        signature=signature,
        segments=segments,
        source_sha256=src_doc.sha256,
        trailing=src_doc.text[pos:],
    )
    from workbench.review import file_lock

    out_dir.mkdir(parents=True, exist_ok=True)
    # the per-file lock every writer takes; a review saved while we aligned is never overwritten
    with file_lock(out_dir, out_path.stem):
        if store.file_digest(out_path) != digest:
            now = store.load(out_path)  # an invalid file is refused here, not overwritten
            human = sum(1 for s in now.segments + now.orphans if s.status in store.HUMAN_STATUSES) if now is not None else 0
            if human:
                raise StoreError(
                    f"{out_path}: {human} segments were edited or approved while align ran, and align would overwrite them; "
                    "write elsewhere with --translations DIR (nothing was written)"
                )
        written = store.save(doc, out_path)
    return AlignResult(
        document=str(source),
        translation=str(translation),
        source_lang=src_doc.lang,
        target_lang=tgt_doc.lang,
        engine=str(sig_base.get("engine")),
        bridged=mt_is_real,
        output=str(out_path),
        source_sentences=len(src_sents),
        target_sentences=len(tgt_sents),
        beads=dict(sorted(counts.items())),
        segments=sum(1 for s in segments if s.source),
        mean_confidence=round(sum(confs) / len(confs), 3) if confs else 0.0,
        written=written,
    )
