"""Sentence boundaries in Latin-script text (Vietnamese and English)."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Iterator

from workbench.segment.chars import (
    DASHES,
    FOOTNOTE_DIGITS_RE,
    LATIN_TERM_RE,
    OPENERS,
    PUNCT_NO_BREAK,
    STRONG_CJK,
    SUPERSCRIPTS,
    has_words,
    is_upper_start,
    next_word,
    prev_word,
    skip_space,
    token_before,
)
from workbench.segment.rules import LatinRules
from workbench.segment.structure import LABEL_ONLY_RE, SYMBOL_BULLETS

# --------------------------------------------------------------------------
# Quotations
# --------------------------------------------------------------------------

# One pass per opener: the body class excludes the opener, so a scan stops at
# the next opener of the same kind and no character is read twice by one kind.
_QUOTE_SPAN_RE = re.compile(r'“[^“”]*+”|「[^「」]*+」|『[^『』]*+』|"[^"]*+"|«[^«»]*+»')
_OUTSIDE_OK = frozenset(".!?…" + STRONG_CJK + "\"'”’»)）」』" + SUPERSCRIPTS)
_SIGNIFICANT_RE = re.compile("[^\\s" + re.escape("".join(sorted(_OUTSIDE_OK))) + "]")


def quote_spans(line: str) -> list[tuple[int, int]]:
    """Balanced quotations embedded in a line: terminators inside do not split.

    A quotation that makes up the whole line (a quoted paragraph) is not
    protected: its sentences are split as usual.
    """
    if not any(q in line for q in '“「『"«'):
        return []
    spans: list[tuple[int, int]] = []
    first = _SIGNIFICANT_RE.search(line)
    if first is None:
        return []
    fs = first.start()
    ls = len(line) - 1
    while ls > fs and (line[ls].isspace() or line[ls] in _OUTSIDE_OK):
        ls -= 1
    for m in _QUOTE_SPAN_RE.finditer(line):  # non-overlapping, in order
        a, b = m.span()
        if a <= fs and b > ls:
            continue  # the quotation is the whole line
        spans.append((a, b))
    return spans


def in_quote(spans: list[tuple[int, int]], ts: int, close_end: int) -> bool:
    """True when a terminator at ``ts`` is inside a quotation that goes on after it.

    ``spans`` is sorted and non-overlapping.
    """
    i = bisect_left(spans, (ts, -1)) - 1
    if i < 0:
        return False
    a, b = spans[i]
    return a < ts < b and close_end < b


# --------------------------------------------------------------------------
# Abbreviations and the boundary decision
# --------------------------------------------------------------------------


def _dotted_acronym(tok: str) -> bool:
    """U.S / a.m / Ph.D: parts of one or two letters joined by dots (at least two parts)."""
    parts = tok.split(".")
    return len(parts) >= 2 and all(1 <= len(p) <= 2 and p.isalpha() for p in parts)


def abbrev_class(tok: str, rules: LatinRules) -> str | None:
    """Classify the token before a period: never/pre/num/strong/np/amb or None (a word)."""
    if not tok:
        return None
    if tok in rules.never_final:
        return "never"
    if tok in rules.prepositive:
        return "pre"
    if "." in tok:
        parts = [p for p in tok.split(".") if p]
        # PGS.TS. / GS.TSKH. (all parts titles) or "...Tuesday.Mr." (glued title)
        if parts and parts[-1] in rules.prepositive:
            return "pre"
    if tok in rules.numeric:
        return "num"
    if tok in rules.ambiguous_strong:
        return "strong"
    if tok in rules.ambiguous_np:
        return "np"
    if tok in rules.ambiguous:
        return "amb"
    if len(tok) == 1 and tok.isalpha():
        return "amb"
    if _dotted_acronym(tok):
        return "amb"
    return None


def _glued_note(line: str, m: re.Match[str], seg_start: int, rules: LatinRules) -> int | None:
    """ "consultation.11 12 Take", "(type 2).10 This": note numbers glued to the period."""
    ts, te = m.start("term"), m.end("term")
    close = m.group("close")
    n = len(line)
    if not (m.group("term") == "." and close in ("", ")") and not m.group("refs")):
        return None
    prev = line[ts - 1] if ts > 0 else ""
    after_bracket = bool(close) or prev in ")]"
    if not (after_bracket or (prev.isalpha() and prev.islower())):
        return None
    tok = token_before(line, seg_start, ts)
    if not (after_bracket or (len(tok) >= 3 and tok.isalpha() and abbrev_class(tok, rules) is None)):
        return None
    fm = FOOTNOTE_DIGITS_RE.match(line, te)
    if fm:
        j2 = skip_space(line, fm.end())
        if j2 < n and is_upper_start(line[j2]):
            return fm.end()
    return None


_STRONG_SET = frozenset(STRONG_CJK)
_BANG_SET = frozenset("!?‼⁇⁈⁉")


def latin_decide(line: str, m: re.Match[str], seg_start: int, rules: LatinRules) -> int | None:
    """Return the boundary position for candidate ``m`` or None (no boundary)."""
    term = m.group("term")
    ts, te = m.start("term"), m.end("term")
    end = m.end()
    n = len(line)
    # "[...]" and "(...)": an omission mark, not a terminator
    if ts > 0 and line[ts - 1] in "[(" and line[te : te + 1] in ("]", ")"):
        return None
    j = skip_space(line, end)
    if j >= n:
        return None  # end of the block: the block end closes the sentence
    nxt = line[j]
    if not _STRONG_SET.isdisjoint(term):
        return None if nxt in PUNCT_NO_BREAK else end
    if j == end:  # no whitespace after the terminator (and its closers)
        return _glued_note(line, m, seg_start, rules) if nxt.isdigit() else None
    # what follows the whitespace
    if nxt in OPENERS:
        k = j
        while k < n and line[k] in OPENERS:
            k += 1
        if k < n and line[k].islower():
            return None
    elif nxt in DASHES:
        # a dash then a lowercase word after a closing quote: the attribution of
        # the quotation ("…?" - tôi hỏi); otherwise a dialogue or parenthetical dash
        k = skip_space(line, j + 1)
        if m.group("close") and k < n and k > j + 1 and line[k].islower():
            return None
    elif nxt.islower():
        return None
    digit_next = nxt.isdigit()

    if not _BANG_SET.isdisjoint(term):
        return end

    ndots = term.count(".") + 3 * term.count("…")
    if ndots >= 2:
        spaced_before = ts > 0 and line[ts - 1].isspace()
        if spaced_before:
            return end if ndots >= 4 else None
        if " " in term and term.startswith(". ") and ndots == 4:
            # "compounds. . . . The": period, then an ellipsis opening the next sentence
            return ts + 1
        return end

    # a single period
    if te - seg_start <= 24 and LABEL_ONLY_RE.fullmatch(line, seg_start, te):
        return None  # "1." / "a." / "1.)" opening a list item
    tok = token_before(line, seg_start, ts)
    cls = abbrev_class(tok, rules)
    if (
        cls == "amb"
        and len(tok) == 1
        and rules.unit_words
        and prev_word(line, seg_start, ts - len(tok)).lower() in rules.unit_words
    ):
        cls = None  # "40 độ C." / "32 degrees F.": a unit, not an initial
    if cls is None:
        return end
    if cls == "never" or cls == "pre":
        return None
    if cls == "num":
        return None if digit_next or nxt == "#" else end
    if nxt in "([" and not m.group("close"):
        return None  # "at 8 a.m. (New York time)": a parenthesis goes on with the sentence
    # ambiguous: only before a typical sentence opener in a long enough sentence
    word = next_word(line, j)
    if cls == "np":
        # U.S./U.N./D.C.: a boundary before a capitalised word that does not
        # continue a noun phrase (U.S. Army, U.N. Security Council)
        if word and is_upper_start(word[0]) and word not in rules.np_continuers and has_words(line, seg_start, te, 2):
            return end
        return None
    if cls == "strong":
        opener = bool(word) and is_upper_start(word[0]) and word not in rules.continuers
    else:
        opener = word in rules.starters or (rules.non_ascii_starts and not word.isascii())
    if opener and (te - seg_start > 200 or has_words(line, seg_start, te, rules.min_words)):
        return end
    return None


# --------------------------------------------------------------------------
# In-line lists
# --------------------------------------------------------------------------

# Matched at the first non-space character (never after a run of spaces that a
# second quantifier could share).
_LIST_START_RE = re.compile(
    rf"(?P<bullet>[{SYMBOL_BULLETS}]\s*+)?(?P<label>(?P<num>\d{{1,2}}+)(?P<nsty>\.\)|\)|\.)|(?P<let>[a-z])(?P<lsty>[.)]))\s"
)


def _find_label(line: str, lab: str, pos: int) -> int:
    """First occurrence of ``lab`` at/after ``pos`` preceded and followed by whitespace."""
    n = len(line)
    while True:
        f = line.find(lab, pos)
        if f < 0:
            return -1
        after = f + len(lab)
        if f > 0 and line[f - 1].isspace() and after < n and line[after].isspace():
            return f
        pos = f + 1


def list_splits(line: str) -> list[int]:
    """Positions where an in-line list continues (en/vi golden rules 31-39)."""
    lead = skip_space(line, 0)
    if lead >= len(line):
        return []
    if line[lead] in SYMBOL_BULLETS:
        b = line[lead]
        bullet_positions: list[int] = []
        pos = line.find(b, lead + 1)
        while pos != -1:
            if line[pos - 1].isspace():
                bullet_positions.append(pos)
            pos = line.find(b, pos + 1)
        if bullet_positions:
            return bullet_positions
    m = _LIST_START_RE.match(line, lead)
    if not m or m.group("bullet"):
        return []
    out: list[int] = []
    pos = m.end()
    if m.group("num"):
        start, sty = int(m.group("num")) + 1, m.group("nsty")
        labels: Iterator[str] = (f"{k}{sty}" for k in itertools.count(start))
    else:
        sty = m.group("lsty")
        labels = (f"{chr(k)}{sty}" for k in range(ord(m.group("let")) + 1, ord("z") + 1))
    for lab in labels:  # the next labels of the same list, in order: 2.) 3.) or b. c.
        found = _find_label(line, lab, pos)
        if found < 0:
            break
        out.append(found)
        pos = found + len(lab)
    return out


# "Dulwich. [17] Placed", "anyway. [...]": a note reference or an omission mark
# after the terminator and a space still belongs to the sentence before it.
_SPACED_REF_RE = re.compile(r"[ \t\u00a0]++(?:\[\d{1,3}+(?:[–-]\d{1,3}+)?\]|\[(?:\.\.\.|…)\])")


def _after_spaced_refs(line: str, b: int) -> int:
    """Move a boundary past note references that follow it after a space (when a new sentence or the end follows)."""
    pos = b
    while True:
        m = _SPACED_REF_RE.match(line, pos)
        if m is None:
            break
        pos = m.end()
    if pos == b:
        return b
    j = skip_space(line, pos)
    if j >= len(line) or (j > pos and (is_upper_start(line[j]) or line[j] in OPENERS or line[j].isdigit())):
        return pos
    return b


def latin_boundaries(line: str, rules: LatinRules) -> list[int]:
    """Boundary positions (ends of sentences) inside one block of Latin text."""
    out: list[int] = []
    seg_start = 0
    lists = list_splits(line)
    quotes = quote_spans(line)
    li = 0
    n = len(line)
    for m in LATIN_TERM_RE.finditer(line):
        ts, e = m.start(), m.end()
        if e < n and not line[e].isspace() and not line[e].isdigit() and _STRONG_SET.isdisjoint(m.group("term")):
            continue  # glued to what follows (U.S / 3.5 / example.com): never a boundary
        if quotes and in_quote(quotes, ts, m.end("close")):
            # inside a quotation: a boundary only before whitespace + a capital
            # letter that is still inside it (“A. B.” -> “A. | B.”)
            j = skip_space(line, m.end())
            if j == m.end() or j >= n or not is_upper_start(line[j]):
                continue
        while li < len(lists) and lists[li] <= ts:
            out.append(lists[li])
            seg_start = lists[li]
            li += 1
        if ts < seg_start:
            continue
        b = latin_decide(line, m, seg_start, rules)
        if b is not None:
            b = _after_spaced_refs(line, b)
            out.append(b)
            seg_start = b
    out.extend(lists[li:])
    return out
