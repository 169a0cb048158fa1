"""Structure around the translatable text: list labels (prefix), footnote
markers (suffix), footnote lines and page breaks inside a sentence."""

from __future__ import annotations

import re

from workbench.segment.chars import CJK_START, HAN_RE, HSPACE, SUPERSCRIPTS, TERMINAL_CHARS

_ROMAN_UP = r"(?:X{0,3}(?:IX|IV|VI{0,3}|I{1,3})|X{1,3})"
_ROMAN_LO = r"(?:x{0,3}(?:ix|iv|vi{0,3}|i{1,3})|x{1,3})"
ZH_NUM = "一二三四五六七八九十百零〇"
SYMBOL_BULLETS = "•·▪◦●‣⁃■□►▶➢➤✓✔※○◆◇❖"

# Label grammar shared by prefix extraction and the "is this fragment only a
# label?" test. Group "upper" marks an uppercase single-letter label (A. B.),
# which is only trusted at the start of a line. Runs are possessive: nothing
# after a label can start with a digit, a dot-digit pair, a superscript or a
# space, so giving back characters could never produce a different match.
_LABEL_LATIN = (
    r"(?:"
    rf"\(\s?(?:\d{{1,3}}|[a-z]{{1,2}}|[A-Z]|{_ROMAN_LO}|{_ROMAN_UP}|[{ZH_NUM}]{{1,3}})\s?\)"
    r"|\d{1,3}+(?:\.\d{1,2}+)*+\.\)?"
    r"|\d{1,3}+\)"
    rf"|{_ROMAN_UP}[.)]"
    rf"|{_ROMAN_LO}\)"
    r"|[a-z][.)]"
    r"|(?P<upper>[A-Z])\."
    rf"|[{SUPERSCRIPTS}]++"
    r")"
)
_LABEL_CJK = (
    r"(?:"
    rf"（(?:\d{{1,3}}|[a-zA-Z]{{1,2}}|{_ROMAN_LO}|{_ROMAN_UP}|[{ZH_NUM}]{{1,3}})）"
    rf"|[{ZH_NUM}]{{1,4}}+、|\d{{1,3}}+、|[a-zA-Z]、"
    r"|[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u3251-\u325f]"
    r")"
)
_BULLET = rf"(?:[{SYMBOL_BULLETS}]\s*+|[-–—*+](?=\s|$)\s*+)"
LABEL_RE = re.compile(rf"(?:{_BULLET})?(?:{_LABEL_CJK}|{_LABEL_LATIN}(?=\s|$|[{CJK_START}]))?\s*+")
LABEL_ONLY_RE = re.compile(rf"\s*+(?:{_BULLET})?(?:{_LABEL_CJK}|{_LABEL_LATIN})\s*+")
_INITIAL_RE = re.compile(r"[A-Z]\.")


def split_label(seg: str, first_in_line: bool) -> int:
    """Length of the structural label at the start of ``seg`` (0 if none)."""
    m = LABEL_RE.match(seg)
    if not m or m.end() == 0:
        return 0
    if m.group("upper") and not first_in_line:
        return 0
    if m.group("upper") and _INITIAL_RE.match(seg, m.end()):
        return 0  # "J. R. R. Tolkien": initials, not a label
    return m.end()


def _unit_before(body: str, pos: int) -> int | None:
    """Start of a footnote marker ("[12]" or a superscript run) ending at ``pos``, else None."""
    if pos <= 0:
        return None
    ch = body[pos - 1]
    if ch in SUPERSCRIPTS:
        k = pos - 1
        while k > 0 and body[k - 1] in SUPERSCRIPTS:
            k -= 1
        return k
    if ch == "]":
        k = pos - 2
        while k >= 0 and pos - 2 - k < 3 and body[k].isdecimal():
            k -= 1
        if k >= 0 and body[k] == "[" and k < pos - 2:
            return k
    return None


def split_suffix(body: str) -> int:
    """Length of the trailing footnote markers of ``body`` (0 if none).

    The suffix is a run of markers ("¹", "²³", "[1]", "[12]") at the very end,
    with spaces, tabs or no-break spaces between and before them. Scanned from
    the end, so the cost is the length of the suffix, whatever precedes it.
    """
    start = _unit_before(body, len(body))
    if start is None:
        return 0
    while True:
        p = start
        while p > 0 and body[p - 1] in HSPACE:
            p -= 1
        q = _unit_before(body, p)
        if q is None:
            break
        start = q
    first = body[start]
    while start > 0 and body[start - 1] in HSPACE:
        start -= 1
    head = body[:start]
    if not head.strip():
        return 0
    # superscripts glued to a Latin letter or digit are exponents (km²), not notes
    if first in SUPERSCRIPTS and head[-1].isascii() and head[-1].isalnum():
        return 0
    return len(body) - start


# --------------------------------------------------------------------------
# Page breaks: a sentence interrupted by footnotes (and page numbers)
# --------------------------------------------------------------------------

_FOOTNOTE_LINE_RE = re.compile(rf"[{HSPACE}]*+(?:[{SUPERSCRIPTS}]++|\[\d{{1,3}}\]|\d{{1,3}}+[{HSPACE}]++(?=[^\d\s.]))")
_PAGE_NUMBER_RE = re.compile(rf"[{HSPACE}]*+(?:[-–—][{HSPACE}]*+)?\d{{1,4}}+(?:[{HSPACE}]*+/[{HSPACE}]*+\d{{1,4}}+)?(?:[{HSPACE}]*+[-–—])?[{HSPACE}]*+")
_CLOSING_OR_STOP = frozenset(TERMINAL_CHARS + "\"'”’)]}」』）》〉】")


def is_interruption(line: str) -> bool:
    """A footnote line ("¹ Uppsala...", "[2] See...", "3 See...") or a page number ("12", "- 3 -", "4/15")."""
    return bool(_FOOTNOTE_LINE_RE.match(line)) or bool(_PAGE_NUMBER_RE.fullmatch(line))


def breaks_off(line: str, family: str) -> bool:
    """Does this line stop in mid-sentence, as a page does before its footnotes?

    Chinese: a paragraph of at least 30 characters with a comma or full stop
    in it (titles have neither) whose last character is Han. en/vi: at least
    six words, the last one a word (not punctuation).
    """
    t = line.rstrip()
    if not t or t[-1] in _CLOSING_OR_STOP:
        return False
    if family == "zh":
        return len(t) >= 30 and bool(HAN_RE.match(t[-1])) and any(c in t for c in "，,。；")
    return len(t.split()) >= 6 and t[-1].isalnum()


def carries_on(line: str, family: str) -> bool:
    """Does this line start in mid-sentence (no label, lowercase or Han or a comma)?"""
    t = line.lstrip()
    if not t or split_label(t, True) or is_interruption(t):
        return False
    if family == "zh":
        return bool(HAN_RE.match(t[0])) or t[0] in "，、；："
    return t[0].islower()
