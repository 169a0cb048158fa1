"""Bead features in a search band, the learned bead score, and the dynamic programme.

A bead pairs ``k`` consecutive source sentences with ``l`` consecutive target sentences.
Its features (``model.FEATURES``) are, per similarity channel, the calibrated cosine of
the two concatenations, its margin over the neighbouring blocks, the least similar
single sentence (part), the corners of n:m beads and their gain over the sub-beads,
length-agreement scores (source and, with a bridge, bridge against target) and the
bead type; a run of unpaired target sentences pays its own cost once (an affine gap).
Its score is the
learned linear function of them (``model``). The best
sequence of beads is found by dynamic programming over a band of the sentence matrix:
the whole matrix for short documents, else a band around the path of a coarse pass over
blocks of sentences (coarse to fine, as Vecalign). A band that leaves no path is widened
until one exists, so an alignment is always returned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from workbench.align.features import _Vecs
from workbench.align.model import Model

_NEG = -1e18

FINE_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 0), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1),
)
COARSE_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (1, 2), (2, 1))

Path_ = list[tuple[int, int, int, int]]  # beads as half-open ranges (i0, i1, j0, j1)


@dataclass
class Channel:
    """Line-parallel vectors of one kind of evidence: source side (or its bridge) and target side."""

    name: str
    src: _Vecs
    tgt: _Vecs

    def coarse(self, f: int) -> "Channel":
        return Channel(self.name, self.src.coarse(f), self.tgt.coarse(f))


@dataclass
class Inputs:
    channels: list[Channel]
    src_len: np.ndarray  # characters per sentence
    tgt_len: np.ndarray
    bridge_len: np.ndarray | None = None  # characters per sentence of the bridge (the source in the target's language)
    bridge_ratio: float = 1.0  # target characters per bridge character
    src_punct: np.ndarray | None = None  # features.punctuation_codes of each side (zh modes only), else None
    tgt_punct: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.src_len)

    @property
    def m(self) -> int:
        return len(self.tgt_len)

    def coarse(self, f: int) -> "Inputs":
        n, m = -(-self.n // f), -(-self.m // f)
        sl = np.bincount(np.arange(self.n) // f, weights=self.src_len, minlength=n)
        tl = np.bincount(np.arange(self.m) // f, weights=self.tgt_len, minlength=m)
        bl = None if self.bridge_len is None else np.bincount(np.arange(self.n) // f, weights=self.bridge_len, minlength=n)
        return Inputs([c.coarse(f) for c in self.channels], sl, tl, bl, self.bridge_ratio)


class _Band:
    """Dot products of every channel in a band of the matrix, prefix-summed along rows, and norms."""

    def __init__(self, X: Inputs, lo: np.ndarray, W: int, kmax: int, lmax: int) -> None:
        n, m = X.n, X.m
        self.n, self.m, self.lo, self.W = n, m, lo, W
        hi = lo + W
        ext = np.concatenate([lo[1:], np.full(kmax, lo[-1])])
        ext_hi = np.concatenate([hi[1:], np.full(kmax, hi[-1])])
        glo, ghi = lo[:n].copy(), hi[:n].copy()
        for d in range(kmax):
            glo = np.minimum(glo, ext[d : d + n])
            ghi = np.maximum(ghi, ext_hi[d : d + n])
        self.glo = np.clip(glo - lmax, 0, m)
        ghi = np.clip(ghi, 0, m)
        self.Wg = int(max(1, (ghi - self.glo).max())) if n else 1
        self.C: list[np.ndarray] = []
        self.NA: list[list[np.ndarray]] = []
        self.NB: list[list[np.ndarray]] = []
        for ch in X.channels:
            G = np.zeros((n, self.Wg), np.float32)
            self._band_dots(ch.src, ch.tgt, G)
            C = np.zeros((n, self.Wg + 1), np.float32)
            np.cumsum(G, axis=1, out=C[:, 1:])
            del G
            self.C.append(C)
            self.NA.append(_norms(ch.src, kmax))
            self.NB.append(_norms(ch.tgt, lmax))
        self.margins = True
        self.gains = True
        self.LA = np.concatenate([[0.0], np.cumsum(X.src_len)])
        self.LB = np.concatenate([[0.0], np.cumsum(X.tgt_len)])
        self.LM = None if X.bridge_len is None else np.concatenate([[0.0], np.cumsum(X.bridge_len)])
        self.bridge_ratio = X.bridge_ratio
        self.last_lm: np.ndarray | None = None
        self.PA, self.PB = X.src_punct, X.tgt_punct
        self.last_ij: tuple[np.ndarray, np.ndarray] | None = None

    def _band_dots(self, A: _Vecs, B: _Vecs, G: np.ndarray) -> None:
        n = A.n
        r0 = 0
        base = int(np.clip(self.Wg, 32, 256))  # rows a block: about the band's width, so few products fall outside it
        chunk = base
        while r0 < n:
            r1 = min(n, r0 + chunk)
            c0 = int(self.glo[r0:r1].min())
            c1 = int(min(self.m, (self.glo[r0:r1] + self.Wg).max()))
            if c1 - c0 > 4 * chunk + self.Wg and r1 - r0 > 8:  # the band jumps here: smaller blocks
                chunk = max(8, chunk // 2)
                continue
            if c1 > c0:
                P = (A.block(r0, r1) @ B.block(c0, c1).T).toarray()
                cols = self.glo[r0:r1, None] + np.arange(self.Wg)[None, :] - c0
                ok = (cols >= 0) & (cols < c1 - c0)
                rr = np.broadcast_to(np.arange(r1 - r0)[:, None], cols.shape)
                G[r0:r1] = np.where(ok, P[rr, np.clip(cols, 0, c1 - c0 - 1)], 0.0)
            r0 = r1
            chunk = base

    def features(self, k: int, l: int, I: np.ndarray, J: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        """(cosine per channel, source chars, target chars, validity) of k-l beads ending at (I, J)."""
        I, J = np.broadcast_arrays(np.asarray(I), np.asarray(J))
        if k > self.n or l > self.m:  # no such bead fits
            self.last_parts = [None] * len(self.C)
            self.last_corners = [None] * len(self.C)
            self.last_margins = [None] * len(self.C)
            self.last_gains = [None] * len(self.C)
            self.last_ij = None
            zero = np.zeros(I.shape)
            return [zero] * len(self.C), zero, zero, np.zeros(I.shape, bool)
        valid = (I >= k) & (J >= l) & (I <= self.n) & (J <= self.m)
        Ic = np.where(valid, I, k)
        Jc = np.where(valid, J, l)
        coss = []
        self.last_parts = []
        self.last_corners = []
        self.last_margins = []
        self.last_gains = []
        for c in range(len(self.C)):
            dot = np.zeros(I.shape, np.float64)
            part = None
            corner = None
            if k and l:
                C = self.C[c]
                row_dots = []
                for s_off in range(1, k + 1):
                    s = Ic - s_off
                    g = self.glo[s]
                    a = Jc - l - g
                    b = Jc - g
                    inside = (a >= 0) & (b <= self.Wg)
                    valid &= inside
                    rd = C[s, np.clip(b, 0, self.Wg)] - C[s, np.clip(a, 0, self.Wg)]
                    row_dots.append((s, rd))
                    dot += rd
                if k + l > 2:
                    # coverage: the least similar single sentence of the bead against the other side's concatenation
                    nb = np.sqrt(self.NB[c][l][Jc] + 1e-9)
                    na = np.sqrt(self.NA[c][k][Ic] + 1e-9)
                    part = np.full(I.shape, np.inf)
                    if k > 1:
                        for s, rd in row_dots:
                            part = np.minimum(part, rd / (np.sqrt(self.NA[c][1][s + 1] + 1e-9) * nb))
                    if l > 1:
                        for t_off in range(1, l + 1):
                            t = Jc - t_off
                            col = np.zeros(I.shape, np.float64)
                            for s, _rd in row_dots:
                                g = self.glo[s]
                                q = np.clip(t - g, 0, self.Wg - 1)
                                col += C[s, q + 1] - C[s, q]
                            part = np.minimum(part, col / (np.sqrt(self.NB[c][1][t + 1] + 1e-9) * na))
                if k > 1 and l > 1:
                    # corners: first source with last target and last source with first target, the
                    # products any split of the bead into smaller beads loses (2-2: the anti-diagonal)
                    corner = np.zeros(I.shape, np.float64)
                    for s_off, t_off in ((k, 1), (1, l)):
                        s = Ic - s_off
                        q = np.clip(Jc - t_off - self.glo[s], 0, self.Wg - 1)
                        corner += C[s, q + 1] - C[s, q]
                    corner = corner / np.sqrt(self.NA[c][k][Ic] * self.NB[c][l][Jc] + 1e-9)
            cos = dot / np.sqrt(self.NA[c][k][Ic] * self.NB[c][l][Jc] + 1e-9) if k and l else dot
            coss.append(cos)
            self.last_gains.append(self._gain(c, k, l, Ic, Jc, cos) if k and l and k + l > 2 and self.gains else None)
            self.last_parts.append(part)
            self.last_corners.append(corner)
            self.last_margins.append(self._neighbours(c, k, l, Ic, Jc) if k and l and self.margins else None)
        ls = self.LA[Ic] - self.LA[Ic - k]
        lt = self.LB[Jc] - self.LB[Jc - l]
        self.last_lm = None if self.LM is None or not (k and l) else self.LM[Ic] - self.LM[Ic - k]
        self.last_ij = (Ic, Jc)
        return coss, ls, lt, valid


    def _block_cos(self, c: int, i1: np.ndarray, k: int, j1: np.ndarray, l: int) -> tuple[np.ndarray, np.ndarray]:
        """(cosine, available) of source sentences i1-k..i1-1 against target sentences j1-l..j1-1."""
        C = self.C[c]
        ok = (i1 >= k) & (i1 <= self.n) & (j1 >= l) & (j1 <= self.m)
        ic = np.where(ok, i1, k)
        jc = np.where(ok, j1, l)
        dot = np.zeros(i1.shape, np.float64)
        for s_off in range(1, k + 1):
            s = ic - s_off
            a = jc - l - self.glo[s]
            b = jc - self.glo[s]
            ok &= (a >= 0) & (b <= self.Wg)
            dot += C[s, np.clip(b, 0, self.Wg)] - C[s, np.clip(a, 0, self.Wg)]
        cos = dot / np.sqrt(self.NA[c][k][ic] * self.NB[c][l][jc] + 1e-9)
        return np.where(ok, cos, 0.0), ok

    def _gain(self, c: int, k: int, l: int, I: np.ndarray, J: np.ndarray, cos: np.ndarray) -> np.ndarray:
        """The least gain in cosine of the bead over the sub-beads that drop one end sentence of a side with
        more than one (Bertalign's second step: a sentence joins a bead only if it adds to the similarity)."""
        out = np.full(I.shape, np.inf)
        subs = []
        if k > 1:
            subs += [(I - 1, k - 1, J, l), (I, k - 1, J, l)]
        if l > 1:
            subs += [(I, k, J - 1, l - 1), (I, k, J, l - 1)]
        for i1, kk, j1, ll in subs:
            sub, ok = self._block_cos(c, i1, kk, j1, ll)
            out = np.minimum(out, np.where(ok, cos - sub, np.inf))
        return np.where(np.isfinite(out), out, 0.0)

    def _neighbours(self, c: int, k: int, l: int, I: np.ndarray, J: np.ndarray) -> np.ndarray:
        """Mean cosine of the bead's source with the target blocks just before and after its target, and of its
        target with the source blocks around its source (Bertalign's margin: how much better the bead is than its
        neighbours)."""
        total = np.zeros(I.shape, np.float64)
        count = np.zeros(I.shape, np.float64)
        for di, dj in ((0, -l), (0, l), (-k, 0), (k, 0)):
            cos, ok = self._block_cos(c, I + di, k, J + dj, l)
            total += cos
            count += ok
        return np.where(count > 0, total / np.maximum(count, 1.0), np.nan)


def _norms(V: _Vecs, kmax: int) -> list[np.ndarray]:
    """norms[k][i] = |v_{i-k} + ... + v_{i-1}|^2 for i in 0..n (0 where i < k)."""
    n = V.n
    self_dots = np.stack([V.self_dots(d) for d in range(kmax)])  # self_dots[d][s] = v_s . v_{s+d}
    norms = [np.zeros(n + 1)]
    for k in range(1, kmax + 1):
        out = np.zeros(n + 1)
        for a in range(k):
            for b in range(k):
                start = np.arange(k, n + 1) - k + min(a, b)
                out[k:] += self_dots[abs(a - b), start]
        norms.append(out)
    return norms


class Scorer:
    """Learned scores of every bead type in the band; calibrates each channel's cosine per problem."""

    def __init__(self, band: _Band, channels: Sequence[str], model: Model, ratio: float, types: tuple[tuple[int, int], ...]) -> None:
        self.band, self.model, self.ratio, self.types = band, model, ratio, types
        self.channels = list(channels)
        n, W = band.n, band.W
        # calibration on at most ~2000 rows
        step = max(1, (n + 1) // 2000)
        I = np.arange(0, n + 1, step)[:, None]
        J = band.lo[I[:, 0], None] + np.arange(W)[None, :]
        coss, _, _, valid = band.features(1, 1, I, J)
        self.c0, self.scale = [], []
        for cos in coss:
            vals = cos[valid]
            if vals.size:
                c0 = float(np.median(vals))
                rowmax = np.where(valid, cos, -np.inf).max(axis=1)
                rowmax = rowmax[np.isfinite(rowmax)]
                c1 = float(np.median(rowmax)) if rowmax.size else c0 + 0.1
            else:
                c0, c1 = 0.0, 0.1
            self.c0.append(c0)
            self.scale.append(max(c1 - c0, 0.02))
        self.S = np.full((n + 1, len(types), W), _NEG, np.float32)
        rows = max(64, 2_000_000 // max(1, W))  # rows per chunk: temporaries stay small
        for r0 in range(0, n + 1, rows):
            r1 = min(n + 1, r0 + rows)
            I = np.arange(r0, r1)[:, None]
            J = band.lo[r0:r1, None] + np.arange(W)[None, :]
            for t, (k, l) in enumerate(types):
                coss, ls, lt, valid = band.features(k, l, I, J)
                self.S[r0:r1, t, :] = np.where(valid, self.score(k, l, coss, ls, lt), _NEG)
        tl = band.LB[1:] - band.LB[:-1]
        self.s01 = self.score(0, 1, [], np.zeros(len(tl)), tl)  # per target sentence
        self.o01 = float(model.weights.get("run_0-1", 0.0))  # once per run of 0-1 beads

    def feature_dict(self, k: int, l: int, coss: list[np.ndarray], ls: np.ndarray, lt: np.ndarray) -> dict[str, np.ndarray]:
        """Named features of k-l beads (call right after ``band.features``, whose part similarities it reads)."""
        parts = [None if p is None else (p - c0) / s for p, c0, s in zip(self.band.last_parts, self.c0, self.scale)] if k and l else []
        corners = [None if q is None else q / s for q, s in zip(self.band.last_corners, self.scale)] if k and l else []
        margins = [None if q is None else np.where(np.isnan(q), 0.0, (c - q) / s) for q, c, s in zip(self.band.last_margins, coss, self.scale)] if k and l else []
        gains = [None if q is None else q / s for q, s in zip(self.band.last_gains, self.scale)] if k and l else []
        f = bead_feature_dict(k, l, [(c - c0) / s for c, c0, s in zip(coss, self.c0, self.scale)], self.channels, ls, lt, self.ratio, parts, corners, margins, gains)
        lm = self.band.last_lm
        if k and l and lm is not None and np.shape(lm) == np.shape(lt):
            # the bridge's length against the target's: same language, a much tighter ratio than across scripts
            z = np.log((lt + 10.0) / (self.band.bridge_ratio * lm + 10.0)) / 0.2
            f["len_mt"] = -0.5 * np.minimum(z * z, 16.0)
            if k + l > 2:
                f["len_mt_many"] = f["len_mt"] * ((k + l - 2) / 2.0)
        if k and l and self.band.PA is not None and self.band.last_ij is not None and np.shape(self.band.last_ij[0]) == np.shape(lt):
            f.update(punct_features(self.band.PA, self.band.PB, k, l, *self.band.last_ij))
        return f

    def score(self, k: int, l: int, coss: list[np.ndarray], ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        return self.model.logit(self.feature_dict(k, l, coss, ls, lt), np.shape(ls))

    def confidences(self, path: Path_) -> list[float]:
        """Probability that each bead of ``path`` is right (0 for 0-1/1-0 beads)."""
        out = [0.0] * len(path)
        by_type: dict[tuple[int, int], list[int]] = {}
        for n, (i0, i1, j0, j1) in enumerate(path):
            if i1 > i0 and j1 > j0:
                by_type.setdefault((i1 - i0, j1 - j0), []).append(n)
        for (k, l), idx in by_type.items():
            I = np.array([path[n][1] for n in idx])
            J = np.array([path[n][3] for n in idx])
            coss, ls, lt, _ = self.band.features(k, l, I, J)
            z = self.model.conf_a * self.score(k, l, coss, ls, lt) + self.model.conf_b
            for n, c in zip(idx, 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))):
                out[n] = round(float(c), 3)
        return out


def punct_features(PA: np.ndarray, PB: np.ndarray, k: int, l: int, I: np.ndarray, J: np.ndarray) -> dict[str, np.ndarray]:
    """Dialogue boundaries of a k-l bead ending at (I, J): does the first source sentence open a quotation where
    the first target sentence does not (or the reverse), the last ones close one, end with the same ? or ! mark."""
    first_s, first_t, last_s, last_t = PA[I - k], PB[J - l], PA[I - 1], PB[J - 1]
    return {
        "pun_open": (first_s[..., 0] != first_t[..., 0]).astype(np.float32),
        "pun_close": (last_s[..., 1] != last_t[..., 1]).astype(np.float32),
        "pun_close_both": (last_s[..., 1] & last_t[..., 1]).astype(np.float32),
        "pun_mark": (last_s[..., 2] != last_t[..., 2]).astype(np.float32),
        # quotations closed inside the bead (not at its end): as many on either side
        "pun_inner": np.abs(_inner(PA, I, k, 1) - _inner(PB, J, l, 1)).astype(np.float32),
        # and questions / exclamations ended inside it
        "pun_inner_mark": np.abs(_inner(PA, I, k, 2) - _inner(PB, J, l, 2)).astype(np.float32),
    }


def _inner(P: np.ndarray, I: np.ndarray, k: int, code: int) -> np.ndarray:
    """How many of the bead's sentences before its last (ending at I, k of them) have punctuation code ``code`` set."""
    out = np.zeros(np.shape(I), np.int64)
    for d in range(2, k + 1):
        out = out + (P[I - d, code] > 0)
    return out


def bead_feature_dict(
    k: int, l: int, sims: list[np.ndarray], channels: Sequence[str], ls: np.ndarray, lt: np.ndarray, ratio: float,
    parts: Sequence[np.ndarray | None] = (), corners: Sequence[np.ndarray | None] = (), margins: Sequence[np.ndarray | None] = (),
    gains: Sequence[np.ndarray | None] = (),
) -> dict[str, np.ndarray]:
    """The model's named features of k-l beads, from calibrated similarities and character lengths."""
    f: dict[str, np.ndarray | float] = {f"type_{k}-{l}": 1.0}
    if not (k and l):
        f["null_len"] = np.log1p(ls + lt) / 4.0  # an unpaired sentence's length: short debris is cheap to leave out
    if k and l:
        extra = (k + l - 2) / 2.0  # sentences beyond a 1-1 bead, halved: scores can grow with the bead's size
        for name, s in zip(channels, sims):
            s = np.clip(s, -2.0, 2.0)
            f[f"sim_{name}"] = s
            if extra:
                f[f"sim_{name}_many"] = s * extra
        for name, part in zip(channels, parts):
            if part is not None:
                f[f"part_{name}"] = np.clip(part, -2.0, 2.0)
        for name, margin in zip(channels, margins):
            if margin is not None:
                f[f"marg_{name}"] = np.clip(margin, -2.0, 2.0)
        for name, gain in zip(channels, gains):
            if gain is not None:
                f[f"gain_{name}"] = np.clip(gain, -2.0, 2.0)
        for name, corner in zip(channels, corners):
            if corner is not None:
                f[f"corner_{name}"] = np.clip(corner, -2.0, 2.0)
        # Gale-Church in log space: target length against ratio x source length
        z = np.log((lt + 10.0) / (ratio * ls + 10.0)) / 0.3
        f["len"] = -0.5 * np.minimum(z * z, 16.0)
        if extra:
            f["len_many"] = f["len"] * extra
    return f  # type: ignore[return-value]


def _dp(X: Inputs, lo: np.ndarray, W: int, types: tuple[tuple[int, int], ...], model: Model, ratio: float, names: Sequence[str]) -> tuple[Path_ | None, Scorer]:
    """Best bead path in the band, or None when the band holds no path; and the scorer."""
    kmax = max(k for k, _ in types)
    lmax = max(l for _, l in types)
    band = _Band(X, lo, W, kmax, lmax)
    sc = Scorer(band, names, model, ratio, types)
    return run_dp(sc), sc


def run_dp(sc: Scorer, extra: float = 0.0) -> Path_ | None:
    """The best path under ``sc``'s scores (plus ``extra`` per bead), or None when the band holds none.

    A run of consecutive 0-1 beads (target sentences without a source: captions, headers) pays
    ``sc.o01`` once on top of its beads' own scores (an affine gap, as in sequence alignment), so a
    block of unpaired sentences is left unpaired instead of being spread over the neighbouring beads.
    """
    band, types = sc.band, sc.types
    n, m, lo, W = band.n, band.m, band.lo, band.W
    S = sc.S + np.float32(extra) if extra else sc.S
    o01 = float(getattr(sc, "o01", 0.0))
    ks = np.array([k for k, _ in types])
    ls_ = np.array([l for _, l in types])
    # 0-1 runs: D[i, j] = max(E[j], max_{j' < j} E[j'] + P[j] - P[j'] + o01), P the prefix sums of s01
    P = np.concatenate([[0.0], np.cumsum(sc.s01.astype(np.float64) + extra)])
    D = np.full((n + 1, W), _NEG, np.float64)
    BT = np.zeros((n + 1, W), np.uint8)  # the bead type that ends at the cell
    RUN = np.full((n + 1, W), -1, np.int64)  # start column of the 0-1 run that ends at the cell, or -1
    ar = np.arange(W)
    jabs = lo[0] + ar
    D[0] = np.where(jabs <= m, P[np.minimum(jabs, m)] + np.where(jabs > 0, o01, 0.0), _NEG)
    RUN[0] = np.where((jabs > 0) & (jabs <= m), 0, -1)
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
        Pj = P[np.minimum(jabs, m)]
        M = np.where(jabs <= m, E - Pj, _NEG)
        cm = np.maximum.accumulate(M)
        arg = np.maximum.accumulate(np.where(M >= cm, ar, 0))  # where the running maximum was reached
        R = np.full(W, _NEG)
        R[1:] = cm[:-1] + Pj[1:] + o01  # runs end after a bead strictly before the cell
        run = (R > E) & (jabs <= m) & (R > _NEG / 2)
        D[i] = np.where(jabs <= m, np.maximum(E, R), _NEG)
        BT[i] = best_t
        RUN[i, 1:] = np.where(run[1:], arg[:-1], -1)
    if not (0 <= m - lo[n] < W) or D[n, m - lo[n]] <= _NEG / 2:
        return None
    i, j = n, m
    path: Path_ = []
    while i > 0 or j > 0:
        start = int(RUN[i, j - lo[i]])
        if start >= 0:
            j0 = lo[i] + start
            path.extend((i, i, jj - 1, jj) for jj in range(j, j0, -1))
            j = j0
            if i == 0 and j == 0:
                break
        k, l = types[int(BT[i, j - lo[i]])]
        path.append((i - k, i, j - l, j))
        i, j = i - k, j - l
    path.reverse()
    return path


def _band_from_coarse(path: Path_, f: int, n: int, m: int, margin: int, max_width: int) -> tuple[np.ndarray, int]:
    lo = np.full(n + 1, m, np.int64)
    hi = np.zeros(n + 1, np.int64)
    for i0, i1, j0, j1 in path:
        r0, r1 = min(i0 * f, n), min(i1 * f, n)
        c0, c1 = min(j0 * f, m), min(j1 * f, m)
        lo[r0 : r1 + 1] = np.minimum(lo[r0 : r1 + 1], c0)
        hi[r0 : r1 + 1] = np.maximum(hi[r0 : r1 + 1], c1)
    margin = max(margin, 2 * f)
    lo = np.clip(lo - margin, 0, m)
    hi = np.clip(hi + margin, 0, m)
    W = int(min((hi - lo + 1).max(), max_width, m + 1))
    return connect(lo, W, m), W


def connect(lo: np.ndarray, W: int, m: int) -> np.ndarray:
    """Make the band hold a path: start at 0, non-decreasing, rows overlapping, end inside the last row."""
    lo = np.clip(lo, 0, m).astype(np.int64)
    lo[0] = 0
    lo = np.maximum.accumulate(lo)
    n = len(lo) - 1
    lo[n] = min(m, max(lo[n], m - W + 1))
    lo = np.maximum.accumulate(lo)
    for i in range(1, n + 1):  # consecutive rows must share a column
        if lo[i] > lo[i - 1] + W - 1:
            lo[i] = lo[i - 1] + W - 1
    return lo


def solve(X: Inputs, names: Sequence[str], model: Model, ratio: float, *, full_limit: int = 1200, factor: int = 8, margin: int = 16, max_width: int = 600, types: tuple[tuple[int, int], ...] = FINE_TYPES) -> tuple[Path_, Scorer]:
    """The best path; always returns one (the band widens until it holds a path)."""
    n, m = X.n, X.m
    if max(n, m) <= full_limit or min(n, m) <= 2 * factor:
        lo = np.zeros(n + 1, np.int64)
        path, sc = _dp(X, lo, m + 1, types, model, ratio, names)
        assert path is not None  # the full matrix always holds a path
        return path, sc
    coarse_path, _ = solve(X.coarse(factor), names, model, ratio, full_limit=full_limit, factor=factor, margin=margin, max_width=max_width, types=COARSE_TYPES)
    while True:
        lo, W = _band_from_coarse(coarse_path, factor, n, m, margin, max_width)
        W = max(W, int(math.ceil((m + 1) / (n + 1))) + 2 * margin)
        path, sc = _dp(X, connect(lo, W, m), W, types, model, ratio, names)
        if path is not None:
            return path, sc
        if W >= m + 1:
            lo = np.zeros(n + 1, np.int64)
            path, sc = _dp(X, lo, m + 1, types, model, ratio, names)
            assert path is not None
            return path, sc
        margin *= 2
        max_width *= 2
