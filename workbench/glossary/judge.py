"""Judging the hits of one text: entry contexts drop a hit, the Chinese word lexicon turns a doubtful
hit into a *candidate* (see :mod:`workbench.glossary.lexicon`).

Only hits are judged, never the whole text, and each verdict is memoised per glossary by the folded
characters around the hit that decide it (the lexicon's window, widened to the longest dictionary word
that holds the variant, when there is one): a verdict is made once per distinct context, and a hit whose
context was seen costs one slice and one dictionary look-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Callable

from workbench.glossary.model import Candidate, Hit
from workbench.glossary.normalize import WORD_CACHE

if TYPE_CHECKING:  # pragma: no cover
    from workbench.glossary.core import Glossary, _Automaton

Rules = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
Judge = Callable[[int, list[Hit], int, int, Sequence[str], list, "list[list[Candidate]] | None"], list[Hit]]

#: Verdicts kept per glossary before the memo starts again.
MEMO_SIZE = 200_000
_UNSEEN = object()


def make_judge(g: "Glossary", family: str, key: str, auto: "_Automaton") -> Judge | None:
    """The filter of one text's hits (``key`` is the folded text of the whole batch), or None when
    nothing needs judging."""
    contexts: dict[str, Rules] = g._contexts(family)
    if (family != "zh" or not g.word_check) and not contexts:
        return None
    if family != "zh" or not g.word_check:
        return _contexts_only(contexts, key)
    from workbench.glossary.lexicon import CONTEXT, lexicon

    lex = lexicon()
    gkeys = g._zh_keys()
    memo: dict[tuple[str, int, int], str | None] = g.__dict__.setdefault("_doubt_memo", {})
    longs: dict[str, tuple[str, ...]] | None = g.__dict__.get("_long_words")
    if longs is None:
        longs = g.__dict__.setdefault("_long_words", lex.containers(gkeys))
    long_ids = g.__dict__.get("_long_ids")
    if long_ids is None:
        long_ids = g.__dict__.setdefault("_long_ids", _term_ids(auto, g._info, longs))
    reach = {v: max(map(len, ws)) for v, ws in longs.items()}  # how far a long word holding v may reach
    ctx_n = CONTEXT
    doubt = lex.doubt
    get = memo.get

    def _decide(s: int, e: int, lo: int, hi: int, a0: int, b0: int, words: tuple[str, ...] | None) -> str | None:
        r0, r1 = a0, b0
        if words is not None:  # the region a long word holding the hit may cover
            far = reach[key[s:e]]
            if e - far < r0:
                r0 = max(lo, e - far)
            if s + far > r1:
                r1 = min(hi, s + far)
        win = (key[r0:r1], s - r0, e - r0)
        why = get(win, _UNSEEN)
        if why is _UNSEEN:
            why = _inside_long(words, key, s, e, lo, hi) if words is not None else None
            if why is None:
                why = doubt(key[a0:s], key[s:e], key[e:b0], gkeys)
            if len(memo) > MEMO_SIZE:
                memo.clear()
            memo[win] = why
        return why

    def judge(i: int, hits: list[Hit], lo: int, hi: int, texts: Sequence[str], maps: list, candidates: list[list[Candidate]] | None) -> list[Hit]:
        kept: list[Hit] = []
        append = kept.append
        for h in hits:
            tid = h[4]
            if h[5] != "term":
                append(h)
                continue
            s = lo + h[0]
            e = lo + h[1]
            if contexts:
                rules = contexts.get(tid)
                if rules is not None and _excluded(rules, key, s, e, lo, hi):
                    continue
            if tid in long_ids and key[s:e] in longs:
                a0 = s - ctx_n if s - ctx_n > lo else lo
                b0 = e + ctx_n if e + ctx_n < hi else hi
                why = _decide(s, e, lo, hi, a0, b0, longs[key[s:e]])
            else:
                a0 = s - ctx_n
                if a0 < lo:
                    a0 = lo
                b0 = e + ctx_n
                if b0 > hi:
                    b0 = hi
                why = get((key[a0:b0], s - a0, e - a0), _UNSEEN)
                if why is _UNSEEN:
                    why = _decide(s, e, lo, hi, a0, b0, None)
            if why is not None:
                if candidates is not None:
                    mapping = maps[i]
                    a, b = (h[0], h[1]) if mapping is None else (mapping[0][h[0]], mapping[1][h[1] - 1])
                    candidates[i].append(Candidate(a, b, texts[i][a:b], h[3], tid, why))
                continue
            append(h)
        return kept

    return judge


def _contexts_only(contexts: dict[str, Rules], key: str) -> Judge:
    def judge(i: int, hits: list[Hit], lo: int, hi: int, texts: Sequence[str], maps: list, candidates: list[list[Candidate]] | None) -> list[Hit]:
        kept: list[Hit] = []
        for h in hits:
            rules = contexts.get(h[4])
            if rules is not None and _excluded(rules, key, lo + h[0], lo + h[1], lo, hi):
                continue
            kept.append(h)
        return kept

    return judge


def _term_ids(auto: "_Automaton", info: list[tuple[str, str, str]], variants: Any) -> frozenset[str]:
    """The ids of the terms that have one of these folded ``variants`` (found through the automaton:
    a cached glossary need not load its match keys)."""
    find = auto.fast.find if auto.fast is not None else None
    out = set()
    for v in variants:
        m = find(v) if find is not None else None
        if m and m[0][0] == 0 and m[0][1] == len(v):
            out.add(info[auto.values[m[0][2]][0]][1])
    return frozenset(out)


def _inside_long(words: tuple[str, ...], key: str, s: int, e: int, lo: int, hi: int) -> str | None:
    """The long lexicon word among ``words`` that holds the hit key[s:e] here, as a doubt reason."""
    for w in words:
        a = key.find(w, max(lo, e - len(w)), min(hi, s + len(w)))
        if a != -1 and a <= s and a + len(w) >= e:
            return f"inside the word {w}"
    return None


def _excluded(rules: Rules, key: str, s: int, e: int, lo: int, hi: int) -> bool:
    """Does the hit key[s:e] sit in one of its entry's excluded contexts?"""
    after, before, inside = rules
    for x in after:
        if s - len(x) >= lo and key[s - len(x) : s] == x and _edge_ok(key, s - len(x), lo, left=True):
            return True
    for x in before:
        if e + len(x) <= hi and key[e : e + len(x)] == x and _edge_ok(key, e + len(x), hi, left=False):
            return True
    for x in inside:
        a = key.find(x, max(lo, e - len(x)), min(hi, s + len(x)))
        while a != -1 and a <= s:
            if a + len(x) >= e:
                return True
            a = key.find(x, a + 1, min(hi, s + len(x)))
    return False


def _edge_ok(key: str, pos: int, limit: int, left: bool) -> bool:
    """A Latin-script context must start (end) on a word boundary: "not_after: [các]" is not "thác"."""
    if left:
        return pos <= limit or not (WORD_CACHE[key[pos - 1]] and WORD_CACHE[key[pos]])
    return pos >= limit or not (WORD_CACHE[key[pos - 1]] and WORD_CACHE[key[pos]])
