"""Judging the hits of one batch of texts: entry contexts drop a hit, the Chinese word lexicon turns a
doubtful hit into a *candidate* (see :mod:`workbench.glossary.lexicon`).

Only hits are judged, never the whole text, and each verdict is memoised per glossary by the folded
characters around the hit that decide it (the lexicon's window, widened to the longest dictionary word
that holds the variant, when there is one): a verdict is made once per distinct context. The hits of a
batch are judged as the matcher makes them (:mod:`.scan`): a hit whose context was seen costs one
slice and one dictionary look-up, and no :class:`Hit` is made for a hit that is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.glossary.model import Candidate, Hit
from workbench.glossary.normalize import WORD_CACHE

if TYPE_CHECKING:  # pragma: no cover
    from workbench.glossary.core import Glossary, _Automaton

Rules = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]

#: Verdicts kept per glossary before the memo starts again.
MEMO_SIZE = 200_000
#: A memo miss (None is a verdict: keep the hit).
UNSEEN = object()
#: The verdict of a hit that an entry context excludes (dropped, not a candidate).
DROP = object()


def make_judge(g: "Glossary", family: str, key: str, auto: "_Automaton") -> "Judge | None":
    """The judge of one batch's hits (``key`` is the folded text of the whole batch), or None when
    nothing needs judging."""
    contexts: dict[str, Rules] = g._contexts(family)
    words = family == "zh" and g.word_check
    if not words and not contexts:
        return None
    return Judge(g, family, key, auto, contexts, words)


class Judge:
    """Verdicts on hits: None (keep), :data:`DROP` (an entry context excludes it) or the reason the
    lexicon doubts it (a candidate).

    ``special`` are the patterns whose hits take the long way (:meth:`one`): their entry declares
    contexts. The matcher looks the others up in ``memo`` itself (``words``: the lexicon judges;
    ``ctx_n``: its window, each side; ``far[pi]``: how far a long dictionary word holding pattern
    ``pi`` may reach, 0 when none does), and calls :meth:`one` for a context not seen yet."""

    def __init__(self, g: "Glossary", family: str, key: str, auto: "_Automaton", contexts: dict[str, Rules], words: bool) -> None:
        self.key = key
        self.contexts = contexts
        self.words = words
        self.rows = auto.rows(g._info)
        memos = g.__dict__.setdefault("_judge_tables", {})
        if contexts and ("ctx", family) not in memos:
            memos["ctx", family] = frozenset(pi for pi, (_, t, _) in enumerate(self.rows) if t in contexts)
        special: frozenset[int] = memos.get(("ctx", family), frozenset())
        self.memo: dict[tuple[str, int, int], Any] = g.__dict__.setdefault("_doubt_memo", {}) if words else {}
        self.long_pis: frozenset[int] = frozenset()
        self.far: bytes | bytearray | list[int] = b""
        self.ctx_n = 0
        if words:
            from workbench.glossary.lexicon import CONTEXT, lexicon

            lex = lexicon()
            self.ctx_n = CONTEXT
            self.doubt = lex.doubt
            self.gkeys = g._zh_keys()
            if ("long", family) not in memos:
                longs = g._containers(lex, self.gkeys)
                reach = {v: max(map(len, ws)) for v, ws in longs.items()}
                pids = _pattern_ids(auto, longs)
                far: bytearray | list[int] = bytearray(len(self.rows)) if max(reach.values(), default=0) < 256 else [0] * len(self.rows)
                for v, pi in pids.items():  # (one byte per pattern when it fits: see _Automaton.bounds)
                    far[pi] = reach[v]
                memos["long", family] = (longs, frozenset(pids.values()), reach, far)
            #: variant -> the long words that hold it; their patterns; variant -> their reach; per pattern
            self.longs, self.long_pis, self.reach, self.far = memos["long", family]
        self.special = special

    def one(self, s: int, e: int, lo: int, hi: int, pi: int) -> Any:
        """The verdict on the hit key[s:e] of pattern ``pi`` in the text key[lo:hi]."""
        key = self.key
        if self.contexts:
            rules = self.contexts.get(self.rows[pi][1])
            if rules is not None and _excluded(rules, key, s, e, lo, hi):
                return DROP
        if not self.words:
            return None
        n = self.ctx_n
        a0 = s - n if s - n > lo else lo
        b0 = e + n if e + n < hi else hi
        if pi in self.long_pis:
            return self._decide(s, e, lo, hi, a0, b0, self.longs[key[s:e]])
        why = self.memo.get((key[a0:b0], s - a0, e - a0), UNSEEN)
        return self._decide(s, e, lo, hi, a0, b0, None) if why is UNSEEN else why

    def _decide(self, s: int, e: int, lo: int, hi: int, a0: int, b0: int, words: tuple[str, ...] | None) -> str | None:
        key = self.key
        r0, r1 = a0, b0
        if words is not None:  # the region a long word holding the hit may cover
            far = self.reach[key[s:e]]
            if e - far < r0:
                r0 = max(lo, e - far)
            if s + far > r1:
                r1 = min(hi, s + far)
        win = (key[r0:r1], s - r0, e - r0)
        memo = self.memo
        why = memo.get(win, UNSEEN)
        if why is UNSEEN:
            why = _inside_long(words, key, s, e, lo, hi) if words is not None else None
            if why is None:
                why = self.doubt(key[a0:s], key[s:e], key[e:b0], self.gkeys)
            if len(memo) > MEMO_SIZE:
                memo.clear()
            memo[win] = why
        return why


def candidate(h: Hit, why: str, text: str, mapping: Any) -> Candidate:
    """The candidate of the doubtful hit ``h`` (offsets in the NFC form of ``text``)."""
    a, b = (h[0], h[1]) if mapping is None else (mapping[0][h[0]], mapping[1][h[1] - 1])
    return Candidate(a, b, text[a:b], h[3], h[4], why)  # type: ignore[arg-type]


def _pattern_ids(auto: "_Automaton", variants: Any) -> dict[str, int]:
    """The pattern of the automaton that each of these folded ``variants`` is, if any (found through
    the automaton: a cached glossary need not load its match keys)."""
    find = auto.fast.find if auto.fast is not None else None
    out = {}
    for v in variants:
        m = find(v) if find is not None else None
        if m and m[0][0] == 0 and m[0][1] == len(v):
            out[v] = m[0][2]
    return out


def _inside_long(words: tuple[str, ...], key: str, s: int, e: int, lo: int, hi: int) -> str | None:
    """The long lexicon word among ``words`` that holds the hit key[s:e] here, as a doubt reason."""
    for w in words:
        a = key.find(w, max(lo, e - len(w)), min(hi, s + len(w)))
        if a != -1 and a <= s and a + len(w) >= e:
            return f"inside the word {w}"
    return None


def _excluded(rules: Rules, key: str, s: int, e: int, lo: int, hi: int) -> bool:
    """Does the hit key[s:e] sit in one of its entry's excluded contexts? A ``not_after`` or
    ``not_before`` context may stand a space away from the hit ("để xây dựng lòng tin")."""
    after, before, inside = rules
    p = s
    while p > lo and key[p - 1] in _GAP:
        p -= 1
    for x in after:
        if p - len(x) >= lo and key[p - len(x) : p] == x and _edge_ok(key, p - len(x), lo, left=True):
            return True
    q = e
    while q < hi and key[q] in _GAP:
        q += 1
    for x in before:
        if q + len(x) <= hi and key[q : q + len(x)] == x and _edge_ok(key, q + len(x), hi, left=False):
            return True
    for x in inside:
        a = key.find(x, max(lo, e - len(x)), min(hi, s + len(x)))
        while a != -1 and a <= s:
            if a + len(x) >= e:
                return True
            a = key.find(x, a + 1, min(hi, s + len(x)))
    return False


#: What may stand between a hit and a context of its entry: spaces (a Latin-script word's gap).
_GAP = frozenset(" \t\u00a0\u202f")


def _edge_ok(key: str, pos: int, limit: int, left: bool) -> bool:
    """A Latin-script context must start (end) on a word boundary: "not_after: [các]" is not "thác"."""
    if left:
        return pos <= limit or not (WORD_CACHE[key[pos - 1]] and WORD_CACHE[key[pos]])
    return pos >= limit or not (WORD_CACHE[key[pos - 1]] and WORD_CACHE[key[pos]])
