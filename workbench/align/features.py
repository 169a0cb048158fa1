"""Features of candidate beads: hashed tf-idf vectors of character n-grams, words and anchors.

Vectors are additive, so a multi-sentence bead is scored on the concatenation of its
sentences for free (prefix sums of band dot products, see ``search``).
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from typing import Sequence

import numpy as np

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
    """Sparse tf-idf vectors of one side: a CSR matrix of ``n`` rows and ``dim`` hashed features."""

    def __init__(self, rows: np.ndarray, buckets: np.ndarray, weights: np.ndarray, n: int, dim: int) -> None:
        from scipy.sparse import csr_matrix

        self.n, self.dim = n, dim
        self._rows, self._buckets, self._weights = rows, buckets, weights
        self.M = csr_matrix((weights.astype(np.float32), (rows, buckets)), shape=(n, dim), dtype=np.float32)
        self.M.sum_duplicates()

    def block(self, r0: int, r1: int):  # type: ignore[no-untyped-def]
        """Rows r0..r1 (clipped) as a CSR matrix."""
        return self.M[max(0, r0) : min(self.n, r1)]

    def self_dots(self, d: int) -> np.ndarray:
        """v_s . v_{s+d} for s in 0..n-1 (0 past the end)."""
        out = np.zeros(self.n, np.float64)
        if d < self.n:
            out[: self.n - d] = np.asarray(self.M[: self.n - d].multiply(self.M[d:]).sum(axis=1)).ravel()
        return out

    def coarse(self, f: int) -> "_Vecs":
        """Blocks of ``f`` consecutive sentences as one vector each."""
        return _Vecs(self._rows // f, self._buckets, self._weights, -(-self.n // f), self.dim)


def char_channel(
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    src_tokens: Sequence[Sequence[str]] | None,
    tgt_tokens: Sequence[Sequence[str]] | None,
    *,
    dim: int = 4096,
    ngrams: tuple[int, ...] = (1, 2, 3, 4, 5),
    anchor_weight: float = 4.0,
) -> tuple["_Vecs", "_Vecs"]:
    """tf-idf vectors of character n-grams (chrF-like), plus anchor tokens weighted ``anchor_weight``/2 max-idf."""
    bits = int(round(math.log2(dim)))
    dim = 1 << bits
    sides = []
    for texts, tokens in ((src_texts, src_tokens), (tgt_texts, tgt_tokens)):
        r, b = _char_ngrams(texts, ngrams, bits)
        key, tf = np.unique(r * dim + b, return_counts=True)
        sides.append([key // dim, key % dim, tf.astype(np.float64), tokens])
    n_docs = len(src_texts) + len(tgt_texts)
    df = np.bincount(sides[0][1], minlength=dim) + np.bincount(sides[1][1], minlength=dim)
    idf = np.log((n_docs + 1.0) / (df + 1.0))
    max_idf = math.log(n_docs + 1.0)
    out = []
    for (r, b, tf, tokens), texts in zip(sides, (src_texts, tgt_texts)):
        w = tf * idf[b]
        if tokens is not None:
            tr, tb = _token_features(tokens, dim)
            r, b = np.concatenate([r, tr]), np.concatenate([b, tb])
            w = np.concatenate([w, np.full(len(tr), anchor_weight * max_idf / 2)])
        out.append(_Vecs(r, b, w, len(texts), dim))
    return out[0], out[1]


def word_channel(src_tokens: Sequence[Sequence[str]], tgt_tokens: Sequence[Sequence[str]], *, dim: int = 8192) -> tuple["_Vecs", "_Vecs"]:
    """Binary tf-idf vectors of word tokens (a lexicon's glosses of the source against the target's words)."""
    sides = []
    for tokens in (src_tokens, tgt_tokens):
        rows, buckets = _token_features([sorted(set(t)) for t in tokens], dim)
        key = np.unique(rows * dim + buckets)
        sides.append((key // dim, key % dim))
    n_docs = len(src_tokens) + len(tgt_tokens)
    df = np.bincount(sides[0][1], minlength=dim) + np.bincount(sides[1][1], minlength=dim)
    idf = np.log((n_docs + 1.0) / (df + 1.0))
    return tuple(_Vecs(r, b, idf[b], len(t), dim) for (r, b), t in zip(sides, (src_tokens, tgt_tokens)))  # type: ignore[return-value]


_WORDS = re.compile(r"[^\W_]{2,}")


def word_tokens(text: str, prefix: int = 5, max_chars: int = 6000) -> list[str]:
    """Words of a sentence as case-folded prefixes of ``prefix`` letters (a crude stem for any alphabetic language)."""
    return [w[:prefix] for w in _WORDS.findall(unicodedata.normalize("NFKC", text[:max_chars]).casefold())]


def text_length(text: str) -> int:
    """Characters without white space (Chinese and alphabetic scripts alike)."""
    return len(_WS.sub("", text))


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_cjk(texts: Sequence[str]) -> bool:
    """Are most non-space characters of ``texts`` (a sample) Chinese characters?"""
    sample = "".join(texts[:200])
    total = text_length(sample)
    return total > 0 and len(_CJK.findall(sample)) > 0.3 * total


_OPEN_Q = "“「『‘\"'《（("
_CLOSE_Q = "”」』’\"'》）)"
_MARKS = {"?": 1, "？": 1, "!": 2, "！": 2}


def punctuation_codes(texts: Sequence[str]) -> np.ndarray:
    """Per sentence: (opens with a quote, closes with a quote, final mark: 0 other, 1 question, 2 exclamation).

    Dialogue boundaries survive translation: a Chinese sentence that closes its quotation (``……。”``)
    is translated by an English one that closes it too (``...lunch.'``). A final ``'`` counts as a closing
    quote only after punctuation (``bugger!'``), not as a possessive (``the boys'``).
    """
    out = np.zeros((len(texts), 3), np.int8)
    for i, t in enumerate(texts):
        s = t.strip()
        if not s:
            continue
        out[i, 0] = s[0] in _OPEN_Q and not (s[0] == "'" and len(s) > 2 and s[1].isalpha() and s[2] == " ")
        end = s.rstrip(_CLOSE_Q + " ")
        tail = s[len(end):].replace(" ", "")
        out[i, 1] = bool(tail) and (tail[0] != "'" or (bool(end) and not end[-1].isalnum()))
        out[i, 2] = _MARKS.get(end[-1:] if end else "", 0)
    return out
