"""Sentence boundaries in Chinese text (Simplified and Traditional)."""

from __future__ import annotations

from bisect import bisect_left

from workbench.segment.chars import (
    CJK_START_RE,
    HAN_RE,
    PUNCT_NO_BREAK,
    STRONG_CJK,
    ZH_TERM_RE,
    is_upper_start,
    skip_space,
)
from workbench.segment.latin import latin_boundaries
from workbench.segment.rules import LatinRules, ZhRules

_ZH_QUOTE_CLOSERS = frozenset("”’」』\"'»›")
_ZH_CLOSERS = frozenset("”’」』）)】〕〉》»›\"'")
_ZH_ANY_TERM = frozenset(STRONG_CJK + "!?‼⁇⁈⁉…")


def protected_spans(line: str, rules: ZhRules) -> list[tuple[int, int]]:
    """Spans of balanced title brackets (《…》, 〈…〉, nested in any way), merged.

    An opener without its closer protects nothing. Linear: a closer whose
    opener is not open is skipped at once (per-kind counts), and the openers a
    closer walks past are popped with it.
    """
    openers = {o: c for o, c in rules.protected}
    closers = {c: o for o, c in rules.protected}
    if not any(o in line for o in openers):
        return []
    raw: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    open_count = dict.fromkeys(openers, 0)
    for i, ch in enumerate(line):
        if ch in openers:
            stack.append((ch, i))
            open_count[ch] += 1
        elif ch in closers and open_count[closers[ch]]:
            want = closers[ch]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    raw.append((stack[k][1], i + 1))
                    for o, _ in stack[k:]:
                        open_count[o] -= 1
                    del stack[k:]
                    break
    if not raw:
        return []
    raw.sort()
    spans = [raw[0]]
    for a, b in raw[1:]:
        pa, pb = spans[-1]
        if a < pb:
            spans[-1] = (pa, max(pb, b))
        else:
            spans.append((a, b))
    return spans


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """True when ``pos`` lies strictly inside one of the sorted, disjoint ``spans``."""
    i = bisect_left(spans, (pos, -1)) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def _zh_quote_close(close: str, close_start: int, ascii_quotes: dict[str, list[int]]) -> str:
    """Keep only the part of ``close`` that really closes something.

    An ASCII quote is a closing one when an odd number of the same quote
    precede it on the line (``ascii_quotes`` maps each quote to its sorted
    positions).
    """
    for i, ch in enumerate(close):
        if ch in "\"'":
            if bisect_left(ascii_quotes[ch], close_start + i) % 2 == 0:
                return close[:i]
    return close


def _after_han(line: str, ts: int, floor: int) -> bool:
    """True when the character before ``ts`` is Han, possibly behind closing quotes/brackets.

    Looks back no further than ``floor`` (the previous candidate), so runs of
    closers are read once.
    """
    k = ts - 1
    while k >= floor and line[k] in _ZH_CLOSERS:
        k -= 1
    return k >= 0 and HAN_RE.match(line[k]) is not None


def _zh_continues(line: str, j: int, rules: ZhRules) -> bool:
    """After terminator + closing quote: does the text at ``j`` go on with the same sentence?"""
    if line[j] in rules.no_break_before:
        return True
    if line[j] not in rules.continuation_first:
        return False
    if any(line.startswith(w, j) for w in rules.continuation_exceptions):
        return False
    return any(line.startswith(w, j) for w in rules.continuation)


def zh_boundaries(line: str, rules: ZhRules, en_rules: LatinRules) -> list[int]:
    """Boundary positions inside one line of Chinese text (English rules for a line without Han)."""
    if not HAN_RE.search(line):
        return latin_boundaries(line, en_rules)
    out: list[int] = []
    protected = protected_spans(line, rules)
    ascii_quotes = {q: [i for i, c in enumerate(line) if c == q] if q in line else [] for q in "\"'"}
    n = len(line)
    seg_start = 0
    prev_end = 0
    for m in ZH_TERM_RE.finditer(line):
        ts, te = m.start("term"), m.end("term")
        floor, prev_end = prev_end, m.end()
        if ts < seg_start:
            continue
        if protected and _inside(protected, ts):
            continue  # inside a title: 《摔跤吧！爸爸》
        term = m.group("term")
        close = m.group("close")
        if close:
            close = _zh_quote_close(close, te, ascii_quotes)
        end = te + len(close)
        if len(close) == len(m.group("close")):
            end = m.end()  # keep footnote refs too
        j = skip_space(line, end)
        if j >= n:
            continue
        nxt = line[j]
        spaced = j > end
        if nxt in PUNCT_NO_BREAK or nxt in _ZH_ANY_TERM:
            continue  # “怎么办？”， / ……。 (the later terminator decides)
        if close and _zh_continues(line, j, rules):
            continue  # “为什么？”的问题 / “好！”便走了
        b: int | None = None
        if not rules.strong.isdisjoint(term):
            b = end
        elif term[0] == "…" or term.startswith(".."):
            # an ellipsis is a pause, not a terminator, unless a quotation closes after it
            if any(c in _ZH_QUOTE_CLOSERS for c in close):
                b = end
        else:  # ASCII ! ? . (runs such as ?! too)
            # ASCII ! ? . end a sentence only after Han text (not in U.S., J.K., 3.5, Yahoo!)
            if _after_han(line, ts, floor) and (
                CJK_START_RE.match(nxt) or nxt.isdigit() or (spaced and is_upper_start(nxt))
            ):
                b = end
        if b is not None:
            out.append(b)
            seg_start = b
    return out
