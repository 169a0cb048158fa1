"""Character classes, the terminator regexes and small scanning helpers.

Linear-time discipline (every regex of the package follows it): no quantified
group whose body can match in more than one way or can match the empty
string, no two adjacent quantifiers over overlapping sets (``\\s*\\s*``), and
no unanchored ``search`` of a pattern that starts with a quantifier. Runs
(spaces, superscripts, digits) are consumed by a single quantifier over a
single class, or scanned with plain loops. ``tests/test_segment_linear.py``
holds 1 MB adversarial inputs to every pattern.
"""

from __future__ import annotations

import re

LINE_BREAK_CHARS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_START = f"{HAN}“「『（《〈【〔‘"
SUPERSCRIPTS = "¹²³⁰⁴⁵⁶⁷⁸⁹"
STRONG_CJK = "。！？｡．"
OPENERS = "\"'“‘(「『（《〈【〔[«‹¿¡"
DASHES = "-–—"
PUNCT_NO_BREAK = "，,、；;：:）)]】》〉”’」』"
TERMINAL_CHARS = ".!?…" + STRONG_CJK + "‼⁇⁈⁉:;"
HSPACE = " \t\u00a0"

HAN_RE = re.compile(f"[{HAN}]")
CJK_START_RE = re.compile(f"[{CJK_START}]")

# A footnote reference glued after a terminator: [1], [12], [2–11], ¹²
# (one superscript per repetition, so a run has exactly one parse).
REFS = rf"(?:\[\d{{1,3}}(?:[–-]\d{{1,3}})?\]|[{SUPERSCRIPTS}])*+"

LATIN_TERM_RE = re.compile(
    r"(?P<term>"
    r"\.(?:[ ]?\.)+"  # .. ... .... and spaced . . . . (each repetition eats one dot)
    r"|[!?‼⁇⁈⁉]+\.*"
    r"|…+[.!?]*"
    r"|\.[!?]*"
    rf"|[{STRONG_CJK}]+"
    r")"
    r"(?P<close>[\"'”’»›)\]}」』）]*)"
    rf"(?P<refs>{REFS})"
)

ZH_TERM_RE = re.compile(
    r"(?P<term>"
    rf"[{STRONG_CJK}!?‼⁇⁈⁉]+"
    r"|…+|\.{2,}"
    r"|\."
    r")"
    r"(?P<close>[”’」』）)】〕〉»›\"']*)"
    rf"(?P<refs>{REFS})"
)

# Note numbers glued to a period ("consultation.11 12 Take"): digit groups, then
# whitespace and a letter. Possessive, so a failed look-ahead gives up at once.
FOOTNOTE_DIGITS_RE = re.compile(r"\d{1,3}+(?:[ ,]\d{1,3}+)*+(?=\s++[^\W\d_])")
NEXT_WORD_RE = re.compile(r"[^\W_]+")


_BREAK_RE = re.compile(f"[{LINE_BREAK_CHARS}]")


def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, line-break characters excluded."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BREAK_RE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


_NON_SPACE_RE = re.compile(r"\S")


def strip_span(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Shrink [lo, hi) so that it neither starts nor ends with whitespace."""
    m = _NON_SPACE_RE.search(text, lo, hi)
    if m is None:
        return hi, hi
    lo = m.start()
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def skip_space(line: str, j: int, hi: int | None = None) -> int:
    """The first position in [j, hi) that is not whitespace (``hi``, default ``len(line)``, if none)."""
    end = len(line) if hi is None else hi
    m = _NON_SPACE_RE.search(line, j, end)
    return end if m is None else m.start()


def token_before(line: str, lo: int, pos: int) -> str:
    """The whitespace-delimited token ending at ``pos``, opening punctuation stripped."""
    window = line[max(lo, pos - 64) : pos]
    if not window or window[-1].isspace():
        return ""
    return window.rsplit(None, 1)[-1].lstrip(OPENERS + "{")


def prev_word(line: str, lo: int, pos: int) -> str:
    """The whitespace-delimited token that ends before the whitespace preceding ``pos``."""
    window = line[max(lo, pos - 64) : pos].rstrip()
    return window.rsplit(None, 1)[-1] if window else ""


def next_word(line: str, j: int) -> str:
    """The word starting at ``j`` after any opening quotes/brackets."""
    n = len(line)
    while j < n and line[j] in OPENERS:
        j += 1
    m = NEXT_WORD_RE.match(line, j)
    return m.group(0) if m else ""


def has_words(line: str, lo: int, hi: int, k: int) -> bool:
    """Does line[lo:hi] hold at least ``k`` words? (reads at most 64 characters per word)"""
    return len(line[max(lo, hi - 64 * k) : hi].split()) >= k


def is_upper_start(ch: str) -> bool:
    return ch.isupper() or ch.istitle()
