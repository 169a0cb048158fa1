"""The matching loop of :meth:`Glossary.find_all`: the automaton's matches of a whole batch of texts
turned into each text's hits, judged (:mod:`.judge`) as they are made.

While every match of a text respects word boundaries and misses its non-translatables, those matches
*are* the answer (by induction over the greedy left-to-right choice); from a text's first match that
does not, the rest of that text is resolved by :func:`_resolve`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from workbench.glossary.judge import UNSEEN, DROP, Judge, candidate
from workbench.glossary.model import Candidate, Hit
from workbench.glossary.normalize import WORD_CACHE

if TYPE_CHECKING:  # pragma: no cover
    from workbench.glossary.core import _Automaton

_make = tuple.__new__


def scan(
    texts: Sequence[str],
    nfcs: list[str],
    maps: list[tuple[list[int], list[int]] | None],
    joined: str,
    key: str,
    auto: "_Automaton",
    info: list[tuple[str, str, str]],
    judge: Judge | None,
    results: list[list[Hit]],
    candidates: list[list[Candidate]] | None = None,
) -> None:
    """Fill ``results`` (which hold each text's non-translatables) with the hits of ``key``: the match
    key of ``joined``, the NFC ``nfcs`` joined with newlines."""
    bounded, left, right = auto.bounds()
    rows = auto.rows(info)
    wc = WORD_CACHE
    judged = judge is not None
    if judge is not None:
        special, one, words, c, far_of = judge.special, judge.one, judge.words, judge.ctx_n, judge.far
        get = judge.memo.get
    i = -1
    lo = hi = -1  # key range of text i
    hits: list[Hit] = []
    append = hits.append
    nts: list[tuple[int, int]] = []
    failed = False
    for s, e, pi in auto.fast.find(key):  # type: ignore[union-attr]
        if s > hi:  # the match is in a later text: close text i, move to the match's text
            if hits:
                _close(hits, texts[i], maps[i], results, i)
            while s > hi:
                i += 1
                lo = hi + 1
                hi = lo + len(nfcs[i])
            hits = []
            append = hits.append
            nts = _nt_spans(results[i], maps[i]) if results[i] else []
            failed = False
        elif failed:
            continue
        if nts or bounded[pi]:
            if (left[pi] and s > lo and wc[key[s - 1]]) or (right[pi] and e < hi and wc[key[e]]) or (nts and _overlaps(nts, s - lo, e - lo)):
                failed = True
                for a, b, p in _resolve(auto, key, lo, hi, s, nts):
                    why = one(lo + a, lo + b, lo, hi, p) if judged else None
                    if why is None:
                        append(_make(Hit, (a, b, joined[lo + a : lo + b], *rows[p])))
                    elif why is not DROP and candidates is not None:
                        candidates[i].append(candidate(_make(Hit, (a, b, "", *rows[p])), why, texts[i], maps[i]))
                continue
        if judged:
            if special and pi in special:
                why = one(s, e, lo, hi, pi)
            elif words:  # the memo key of Judge._decide
                a0 = s - c if s - c > lo else lo
                b0 = e + c if e + c < hi else hi
                far = far_of[pi]
                if far:  # widened to the long dictionary words that may hold the hit
                    if e - far < a0:
                        a0 = e - far if e - far > lo else lo
                    if s + far > b0:
                        b0 = s + far if s + far < hi else hi
                why = get((key[a0:b0], s - a0, e - a0), UNSEEN)
                if why is UNSEEN:
                    why = one(s, e, lo, hi, pi)
            else:
                why = None
            if why is not None:
                if why is not DROP and candidates is not None:
                    candidates[i].append(candidate(_make(Hit, (s - lo, e - lo, "", *rows[pi])), why, texts[i], maps[i]))
                continue
        en, tid, kind = rows[pi]
        append(_make(Hit, (s - lo, e - lo, joined[s:e], en, tid, kind)))
    if hits:
        _close(hits, texts[i], maps[i], results, i)


def _close(hits: list[Hit], text: str, mapping: tuple[list[int], list[int]] | None, results: list[list[Hit]], i: int) -> None:
    """Store text ``i``'s hits (offsets relative to its NFC form) in original offsets, with its non-translatables."""
    if mapping is not None:
        hits = _to_original(hits, text, mapping)
    nts = results[i]
    if nts:
        hits.extend(nts)
        hits.sort(key=lambda h: h.start)
    results[i] = hits


def _to_original(hits: list[Hit], text: str, mapping: tuple[list[int], list[int]]) -> list[Hit]:
    """Hits in NFC offsets as hits in the offsets of the original ``text``."""
    starts, ends = mapping
    return [_make(Hit, (starts[h[0]], ends[h[1] - 1], text[starts[h[0]] : ends[h[1] - 1]], *h[3:])) for h in hits]


def _nt_spans(nts: list[Hit], mapping: Any) -> list[tuple[int, int]]:
    """A text's non-translatables in NFC offsets."""
    if mapping is None:
        return [(h.start, h.end) for h in nts]
    starts = mapping[0]
    return [(bisect_left(starts, h.start), bisect_left(starts, h.end)) for h in nts]


def _resolve(
    auto: "_Automaton", key: str, lo: int, hi: int, pos: int, nt_spans: list[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """Leftmost-longest, boundary-respecting matches in ``key[pos:hi]`` (text range ``lo:hi``).

    Returns (start, end, pattern) relative to ``lo``.  Searches windows of the
    key with the leftmost-longest automaton; a window's matches that start at
    least ``longest`` characters before its end are final (every candidate
    starting there fits in the window).  A match that breaks a word boundary
    or overlaps a non-translatable (``nt_spans``, relative to ``lo``) is
    replaced by the longest valid shorter match at its start, if any, else the
    search goes on one character later.  Linear in ``hi - pos``.
    """
    find = auto.fast.find  # type: ignore[union-attr]
    values = auto.values
    wc = WORD_CACHE
    longest = auto.longest
    width = max(512, 4 * longest)
    out: list[tuple[int, int, int]] = []

    def check(pi: int, s: int, e: int) -> tuple[bool, bool]:
        """(valid, left boundary broken) of pattern ``pi`` at key[s:e]."""
        ti, bl, br = values[pi]
        if bl and s > lo and wc[key[s - 1]]:
            return False, True
        if (br and e < hi and wc[key[e]]) or (nt_spans and _overlaps(nt_spans, s - lo, e - lo)):
            return False, False
        return True, False

    while pos < hi:
        end = min(hi, pos + width)
        limit = hi if end == hi else end - longest  # matches starting before this are final
        nxt = limit
        for s, e, pi in find(key[pos:end]):
            s += pos
            e += pos
            if s >= limit:
                break
            valid, left = check(pi, s, e)
            if valid:
                out.append((s - lo, e - lo, pi))
                nxt = max(limit, e)
                continue
            nxt = s + 1
            if not left:  # a shorter match at s may be valid: the longest one that ends before e
                while e - 1 > s:
                    sub_ = find(key[s : e - 1])
                    if not sub_ or sub_[0][0]:
                        break
                    _, e, pi = sub_[0]
                    e += s
                    if check(pi, s, e)[0]:
                        out.append((s - lo, e - lo, pi))
                        nxt = e
                        break
            break
        pos = nxt
    return out


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Does [s, e) overlap one of the sorted, disjoint ``spans``?"""
    if not spans:
        return False
    i = bisect_right(spans, (s, _BIG))
    return (i > 0 and spans[i - 1][1] > s) or (i < len(spans) and spans[i][0] < e)


_BIG = 1 << 62
