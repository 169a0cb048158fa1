"""Sentence segmentation for zh-Hans, zh-Hant, vi and en documents.

Two entry points:

* :func:`split_sentences` splits one passage into sentence strings (labels and
  footnote markers stay inside the strings). The CLI's ``segment --jsonl``
  calls it.
* :func:`segment_document` splits a whole document into :class:`Sentence`
  records that keep exact character offsets, so the document can be rebuilt
  byte for byte with :func:`rebuild`. Structural labels ("1. ", "(a) ", "• ",
  "1、", "（一）") go to ``prefix`` and trailing footnote markers ("¹", "[1]")
  to ``suffix``; only ``text`` is meant for machine translation.

Rules, in short (the word lists live in ``workbench/data/segment/*.json``):

* Lines. In :func:`segment_document` every line is its own paragraph and a
  line break always ends a sentence. :func:`split_sentences` does the same,
  except that in en/vi a line that has at least four words and no final
  punctuation, followed directly by a line starting with a lowercase letter,
  is taken as one wrapped sentence (PDF-style line breaks).
* Chinese: a sentence ends after 。！？ (and ｡ ．), and after ASCII ! ? . only
  when they follow a Han character (possibly behind closing quotes/brackets)
  and precede CJK text, a digit, or whitespace + a capital: Latin abbreviations,
  initials, URLs and decimals embedded in Chinese (``U.S. Steel``, ``J.K.罗琳``,
  ``www.un.org``, ``3.5%``, ``Yahoo!``) never split. Closing quotes and
  brackets (”」』）) and footnote markers stay with the sentence before them.
  Nothing inside book-title brackets 《…》 / 〈…〉 (nested in any way) ends a
  sentence. Quotations are split inside: ``他说：“A。B。”C。`` gives
  ``他说：“A。`` / ``B。”`` / ``C。``. After terminator + closing quote a new
  sentence starts unless the next text continues the sentence: ，、；：or a
  ``continuation_words`` entry of zh.json (``“为什么？”的问题``, ``“好！”便走了``;
  ``continuation_exceptions`` such as 一位/后来 open a new sentence anyway).
  An ellipsis (…… … ...) never ends a sentence by itself (``书画……各类文物``,
  ``「唉……」地``); ``……。`` ends one at the 。, and ``……”`` ends one before a
  new sentence (same rule as above). ；and ，never split. Lines without any
  Han character use the English rules.
* Vietnamese and English: a sentence ends at . ! ? … when whitespace and a
  capital letter, a digit, an opening quote/bracket or a dash follow, never
  before a lowercase letter. After a period the preceding token is looked up
  in the language's abbreviation classes (titles such as Mr./TS./TP. never end a
  sentence before a name; No./p./Jan. never before a number; e.g./i.e. never;
  ambiguous ones such as Co., single initials end a sentence only when
  the next word is a typical sentence opener ("The", "He", "Theo"...; in
  Vietnamese also any word with diacritics) and the sentence already has four
  words; a.m./p.m. end one before any capitalised word but days, months and
  time zones; U.S./U.K./U.N./D.C./E.U. (``ambiguous_np``) end one before any
  capitalised word that does not continue a noun phrase (``np_continuers``:
  U.S. Army, U.N. Security Council, D.C. Circuit), given two words). A single
  capital letter after a ``unit_words`` entry (``40 độ C.``, ``bảng A.``,
  ``104 degrees F.``) is a unit/designator and ends a sentence like a word.
  Numbers (2.000, 11.61), URLs and
  e-mail addresses contain no break because no whitespace follows their dots.
  Ellipses follow the "golden rules": ``that.... She`` and ``word... She``
  split, `` . . . I`` (an ellipsis with a space before it) does not, a spaced
  four-dot ellipsis `` . . . .`` does, and ``word. . . . The`` splits after
  ``word.``. In-line lists (``1. a 2. b``, ``a. x b. y``, ``• x • y``) split
  before each label when the line starts with the first label.
* Quotations (“…”, "…", «…») are split inside only where a terminator is
  followed by whitespace and a capital letter still inside the quotation:
  ``Ông nói: “A. B.” C.`` gives ``Ông nói: “A.`` / ``B.”`` / ``C.``, while
  ``"This is great." she said`` stays one sentence.
* A line consisting only of a label (e.g. ``1.``) becomes one
  :class:`Sentence` with ``prefix="1."`` and an empty ``text``; sentences with an
  empty ``text`` are not sent to MT.

Lines ("paragraphs") are separated by any of the characters str.splitlines()
knows (LF, CR, VT, FF, FS, GS, RS, NEL, LS, PS).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workbench.errors import InputError

__all__ = [
    "SEGMENTER_VERSION",
    "Sentence",
    "split_sentences",
    "segment_document",
    "rebuild",
    "normalize_lang",
    "segment_passages",
    "segment_text",
]

#: Bump whenever a rule or a data file changes the segmentation of some text.
SEGMENTER_VERSION = "2"

_DATA_DIR = Path(__file__).resolve().parent / "data" / "segment"


@dataclass(frozen=True)
class Sentence:
    """One segment of a document.

    ``text_of_document[start:end] == prefix + text + suffix``; ``text`` has no
    leading or trailing whitespace and may be empty (a label-only line).
    """

    start: int
    end: int
    prefix: str
    text: str
    suffix: str
    paragraph: int


# --------------------------------------------------------------------------
# Languages and data
# --------------------------------------------------------------------------


def normalize_lang(lang: str) -> str:
    """Map a language code to the rule family: ``"zh"``, ``"vi"`` or ``"en"``.

    Accepts zh-Hans, zh-Hant, zh, zh-CN, zh-TW, zt, cmn, vi, en, en-US, ...
    (case-insensitive, ``_`` or ``-``). Raises :class:`InputError` otherwise.
    """
    code = (lang or "").strip().lower().replace("_", "-")
    base = code.split("-", 1)[0]
    if base in ("zh", "zt", "cmn", "yue", "zho", "chi"):
        return "zh"
    if base in ("vi", "vie"):
        return "vi"
    if base in ("en", "eng"):
        return "en"
    raise InputError(
        f"unknown segmentation language {lang!r}; use one of zh-Hans, zh-Hant, zh, zt, vi, en"
    )


@dataclass(frozen=True)
class _LatinRules:
    prepositive: frozenset[str]
    numeric: frozenset[str]
    never_final: frozenset[str]
    ambiguous: frozenset[str]
    ambiguous_strong: frozenset[str]
    continuers: frozenset[str]
    starters: frozenset[str]
    min_words: int
    non_ascii_starts: bool
    ambiguous_np: frozenset[str]
    np_continuers: frozenset[str]
    unit_words: frozenset[str]


@dataclass(frozen=True)
class _ZhRules:
    strong: frozenset[str]
    weak_ascii: frozenset[str]
    no_break_before: frozenset[str]
    continuation: tuple[str, ...]
    continuation_first: frozenset[str]
    continuation_exceptions: tuple[str, ...]
    protected: tuple[tuple[str, str], ...]


def _load_json(name: str) -> dict:
    with open(_DATA_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def _latin_rules(family: str) -> _LatinRules:
    data = _load_json(f"{family}.json")
    return _LatinRules(
        prepositive=frozenset(data.get("prepositive", ())),
        numeric=frozenset(data.get("numeric", ())),
        never_final=frozenset(data.get("never_final", ())),
        ambiguous=frozenset(data.get("ambiguous", ())),
        ambiguous_strong=frozenset(data.get("ambiguous_strong", ())),
        continuers=frozenset(data.get("continuers", ())),
        starters=frozenset(data.get("starters", ())),
        min_words=int(data.get("min_words_before_ambiguous_break", 4)),
        non_ascii_starts=bool(data.get("ambiguous_break_before_non_ascii_word", False)),
        ambiguous_np=frozenset(data.get("ambiguous_np", ())),
        np_continuers=frozenset(data.get("np_continuers", ())),
        unit_words=frozenset(data.get("unit_words", ())),
    )


@lru_cache(maxsize=None)
def _zh_rules() -> _ZhRules:
    data = _load_json("zh.json")
    return _ZhRules(
        strong=frozenset(data["strong"]),
        weak_ascii=frozenset(data["weak_ascii"]),
        no_break_before=frozenset(data["no_break_before"]),
        continuation=tuple(data.get("continuation_words", ())),
        continuation_first=frozenset(w[0] for w in data.get("continuation_words", ()) if w),
        continuation_exceptions=tuple(data.get("continuation_exceptions", ())),
        protected=tuple((p[0], p[1]) for p in data["protected"]),
    )


# --------------------------------------------------------------------------
# Character classes and regexes (compiled once)
# --------------------------------------------------------------------------

_LINE_BREAK_CHARS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_RE = re.compile(f"[^{_LINE_BREAK_CHARS}]*")

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE = re.compile(f"[{_HAN}]")
_CJK_START = f"{_HAN}“「『（《〈【〔‘"
_CJK_START_RE = re.compile(f"[{_CJK_START}]")
_SUPERSCRIPTS = "¹²³⁰⁴⁵⁶⁷⁸⁹"
_STRONG_CJK = "。！？｡．"
_OPENERS = "\"'“‘(「『（《〈【〔[«‹¿¡"
_DASHES = "-–—"
_PUNCT_NO_BREAK = "，,、；;：:）)]】》〉”’」』"

# A footnote reference glued after a terminator: [1], [12], [2–11], ¹²
_REFS = rf"(?:\[\d{{1,3}}(?:[–-]\d{{1,3}})?\]|[{_SUPERSCRIPTS}]+)*"

_LATIN_TERM_RE = re.compile(
    r"(?P<term>"
    r"\.(?:[ ]?\.)+"  # .. ... .... and spaced . . . .
    r"|[!?‼⁇⁈⁉]+\.*"
    r"|…+[.!?]*"
    r"|\.[!?]*"
    rf"|[{_STRONG_CJK}]+"
    r")"
    r"(?P<close>[\"'”’»›)\]}」』）]*)"
    rf"(?P<refs>{_REFS})"
)

_ZH_TERM_RE = re.compile(
    r"(?P<term>"
    rf"[{_STRONG_CJK}!?‼⁇⁈⁉]+"
    r"|…+|\.{2,}"
    r"|\."
    r")"
    r"(?P<close>[”’」』）)】〕〉»›\"']*)"
    rf"(?P<refs>{_REFS})"
)

_FOOTNOTE_DIGITS_RE = re.compile(r"\d{1,3}(?:[ ,]\d{1,3})*(?=\s+[^\W\d_])")
_NEXT_WORD_RE = re.compile(r"[^\W_]+")
_DOTTED_ACRONYM_RE = re.compile(r"^(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}$")
_TERMINAL_CHARS = ".!?…" + _STRONG_CJK + "‼⁇⁈⁉:;"

_ROMAN_UP = r"(?:X{0,3}(?:IX|IV|VI{0,3}|I{1,3})|X{1,3})"
_ROMAN_LO = r"(?:x{0,3}(?:ix|iv|vi{0,3}|i{1,3})|x{1,3})"
_ZH_NUM = "一二三四五六七八九十百零〇"
_SYMBOL_BULLETS = "•·▪◦●‣⁃■□►▶➢➤✓✔※○◆◇❖"

# Label grammar shared by prefix extraction and the "is this fragment only a
# label?" test. Group "upper" marks an uppercase single-letter label (A. B.),
# which is only trusted at the start of a line.
_LABEL_LATIN = (
    r"(?:"
    rf"\(\s?(?:\d{{1,3}}|[a-z]{{1,2}}|[A-Z]|{_ROMAN_LO}|{_ROMAN_UP}|[{_ZH_NUM}]{{1,3}})\s?\)"
    r"|\d{1,3}(?:\.\d{1,2})*\.\)?"
    r"|\d{1,3}\)"
    rf"|{_ROMAN_UP}[.)]"
    rf"|{_ROMAN_LO}\)"
    r"|[a-z][.)]"
    r"|(?P<upper>[A-Z])\."
    rf"|[{_SUPERSCRIPTS}]+"
    r")"
)
_LABEL_CJK = (
    r"(?:"
    rf"（(?:\d{{1,3}}|[a-zA-Z]{{1,2}}|{_ROMAN_LO}|{_ROMAN_UP}|[{_ZH_NUM}]{{1,3}})）"
    rf"|[{_ZH_NUM}]{{1,4}}、|\d{{1,3}}、|[a-zA-Z]、"
    r"|[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u3251-\u325f]"
    r")"
)
_BULLET = rf"(?:[{_SYMBOL_BULLETS}]\s*|[-–—*+](?=\s|$)\s*)"
_LABEL_RE = re.compile(
    rf"(?:{_BULLET})?(?:{_LABEL_CJK}|{_LABEL_LATIN}(?=\s|$|[{_CJK_START}]))?\s*"
)
_LABEL_ONLY_RE = re.compile(rf"\s*(?:{_BULLET})?(?:{_LABEL_CJK}|{_LABEL_LATIN})\s*")

_SUFFIX_RE = re.compile(rf"(?:[ \t\u00a0]*(?:\[\d{{1,3}}\]|[{_SUPERSCRIPTS}]+))+\Z")

# In-line lists (en/vi): the line must start with the first label.
_LIST_START_RE = re.compile(
    rf"\s*(?P<bullet>[{_SYMBOL_BULLETS}])?\s*(?P<label>(?P<num>\d{{1,2}})(?P<nsty>\.\)|\)|\.)|(?P<let>[a-z])(?P<lsty>[.)]))\s"
)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, line-break characters excluded."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while True:
        m = _LINE_RE.match(text, pos)
        end = m.end()
        out.append((pos, end))
        if end >= n:
            break
        pos = end + 1
    return out


def _strip_span(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Shrink [lo, hi) so that it neither starts nor ends with whitespace."""
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _skip_space(line: str, j: int) -> int:
    n = len(line)
    while j < n and line[j].isspace():
        j += 1
    return j


def _token_before(line: str, lo: int, pos: int) -> str:
    """The whitespace-delimited token ending at ``pos``, opening punctuation stripped."""
    window = line[max(lo, pos - 64) : pos]
    if not window or window[-1].isspace():
        return ""
    return window.rsplit(None, 1)[-1].lstrip(_OPENERS + "{")


def _prev_word(line: str, lo: int, pos: int) -> str:
    """The whitespace-delimited token that ends before the whitespace preceding ``pos``."""
    window = line[max(lo, pos - 64) : pos].rstrip()
    return window.rsplit(None, 1)[-1] if window else ""


def _next_word(line: str, j: int) -> str:
    """The word starting at ``j`` after any opening quotes/brackets."""
    n = len(line)
    while j < n and line[j] in _OPENERS:
        j += 1
    m = _NEXT_WORD_RE.match(line, j)
    return m.group(0) if m else ""


def _is_upper_start(ch: str) -> bool:
    return ch.isupper() or ch.istitle()


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


_QUOTE_SPAN_RE = re.compile(r'“[^“”]*”|「[^「」]*」|『[^『』]*』|"[^"]*"|«[^«»]*»')
_OUTSIDE_OK = frozenset(".!?…" + _STRONG_CJK + "\"'”’»)）」』" + _SUPERSCRIPTS)
_SIGNIFICANT_RE = re.compile("[^\\s" + re.escape("".join(sorted(_OUTSIDE_OK))) + "]")


def _quote_spans(line: str) -> list[tuple[int, int]]:
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


def _in_quote(spans: list[tuple[int, int]], ts: int, close_end: int) -> bool:
    """True when a terminator at ``ts`` is inside a quotation that goes on after it.

    ``spans`` is sorted and non-overlapping.
    """
    i = bisect_left(spans, (ts, -1)) - 1
    if i < 0:
        return False
    a, b = spans[i]
    return a < ts < b and close_end < b


# --------------------------------------------------------------------------
# Latin-script (en/vi) boundary decision
# --------------------------------------------------------------------------


def _abbrev_class(tok: str, rules: _LatinRules) -> str | None:
    """Classify the token before a period: never/pre/num/strong/amb or None (a word)."""
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
    if _DOTTED_ACRONYM_RE.match(tok):
        return "amb"
    return None


def _latin_decide(
    line: str, m: re.Match[str], seg_start: int, rules: _LatinRules
) -> int | None:
    """Return the boundary position for candidate ``m`` or None (no boundary)."""
    term = m.group("term")
    ts, te = m.start("term"), m.end("term")
    end = m.end()
    n = len(line)
    # "[...]" and "(...)": an omission mark, not a terminator
    if ts > 0 and line[ts - 1] in "[(" and line[te : te + 1] in ("]", ")"):
        return None
    j = _skip_space(line, end)
    if j >= n:
        return None  # end of the block: the block end closes the sentence
    nxt = line[j]
    strong_cjk = any(c in _STRONG_CJK for c in term)
    if strong_cjk:
        if nxt in _PUNCT_NO_BREAK:
            return None
        return end
    if j == end:
        # no whitespace after the terminator (and its closers)
        close = m.group("close")
        if term == "." and close in ("", ")") and not m.group("refs") and nxt.isdigit():
            # "consultation.11 12 Take", "(type 2).10 This": note numbers glued to the period
            prev = line[ts - 1] if ts > 0 else ""
            after_bracket = bool(close) or prev in ")]"
            if after_bracket or (prev.isalpha() and prev.islower()):
                tok = _token_before(line, seg_start, ts)
                if after_bracket or (
                    len(tok) >= 3 and tok.isalpha() and _abbrev_class(tok, rules) is None
                ):
                    fm = _FOOTNOTE_DIGITS_RE.match(line, te)
                    if fm:
                        j2 = _skip_space(line, fm.end())
                        if j2 < n and _is_upper_start(line[j2]):
                            return fm.end()
        return None
    # what follows the whitespace
    if nxt in _OPENERS:
        k = j
        while k < n and line[k] in _OPENERS:
            k += 1
        if k < n and line[k].islower():
            return None
    elif nxt in _DASHES:
        pass  # dialogue dash / parenthetical dash after a full stop
    elif nxt.islower():
        return None
    digit_next = nxt.isdigit()

    if "!" in term or "?" in term or any(c in "‼⁇⁈⁉" for c in term):
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
    if te - seg_start <= 24 and _LABEL_ONLY_RE.fullmatch(line, seg_start, te):
        return None  # "1." / "a." / "1.)" opening a list item
    tok = _token_before(line, seg_start, ts)
    cls = _abbrev_class(tok, rules)
    if (
        cls == "amb"
        and len(tok) == 1
        and rules.unit_words
        and _prev_word(line, seg_start, ts - len(tok)).lower() in rules.unit_words
    ):
        cls = None  # "40 độ C." / "32 degrees F.": a unit, not an initial
    if cls is None:
        return end
    if cls == "never" or cls == "pre":
        return None
    if cls == "num":
        return None if digit_next or nxt == "#" else end
    # ambiguous: only before a typical sentence opener in a long enough sentence
    word = _next_word(line, j)
    if cls == "np":
        # U.S./U.N./D.C.: a boundary before a capitalised word that does not
        # continue a noun phrase (U.S. Army, U.N. Security Council)
        if (
            word
            and _is_upper_start(word[0])
            and word not in rules.np_continuers
            and len(line[seg_start:te].split()) >= 2
        ):
            return end
        return None
    if cls == "strong":
        opener = bool(word) and _is_upper_start(word[0]) and word not in rules.continuers
    else:
        opener = word in rules.starters or (rules.non_ascii_starts and not word.isascii())
    if opener and (
        te - seg_start > 200 or len(line[seg_start:te].split()) >= rules.min_words
    ):
        return end
    return None


def _list_splits(line: str) -> list[int]:
    """Positions where an in-line list continues (en/vi golden rules 31-39)."""
    m = _LIST_START_RE.match(line)
    bullet_positions: list[int] = []
    stripped = line.lstrip()
    if stripped[:1] and stripped[0] in _SYMBOL_BULLETS:
        b = stripped[0]
        first = len(line) - len(stripped)
        pos = line.find(b, first + 1)
        while pos != -1:
            if line[pos - 1].isspace():
                bullet_positions.append(pos)
            pos = line.find(b, pos + 1)
        if bullet_positions:
            return bullet_positions
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


def _latin_boundaries(line: str, rules: _LatinRules) -> list[int]:
    """Boundary positions (ends of sentences) inside one block of Latin text."""
    out: list[int] = []
    seg_start = 0
    lists = _list_splits(line)
    quotes = _quote_spans(line)
    li = 0
    n = len(line)
    for m in _LATIN_TERM_RE.finditer(line):
        ts = m.start()
        if quotes and _in_quote(quotes, ts, m.end("close")):
            # inside a quotation: a boundary only before whitespace + a capital
            # letter that is still inside it (“A. B.” -> “A. | B.”)
            j = _skip_space(line, m.end())
            if j == m.end() or j >= n or not _is_upper_start(line[j]):
                continue
        while li < len(lists) and lists[li] <= ts:
            out.append(lists[li])
            seg_start = lists[li]
            li += 1
        if ts < seg_start:
            continue
        b = _latin_decide(line, m, seg_start, rules)
        if b is not None:
            out.append(b)
            seg_start = b
    out.extend(lists[li:])
    return out


# --------------------------------------------------------------------------
# Chinese boundary decision
# --------------------------------------------------------------------------


def _protected_spans(line: str, rules: _ZhRules) -> list[tuple[int, int]]:
    """Spans of balanced title brackets (《…》, 〈…〉, nested in any way), merged.

    An opener without its closer protects nothing.
    """
    openers = {o: c for o, c in rules.protected}
    closers = {c: o for o, c in rules.protected}
    if not any(o in line for o in openers):
        return []
    raw: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(line):
        if ch in openers:
            stack.append((ch, i))
        elif ch in closers and stack:
            want = closers[ch]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    raw.append((stack[k][1], i + 1))
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


_ZH_QUOTE_CLOSERS = frozenset("”’」』\"'»›")
_ZH_CLOSERS = "”’」』）)】〕〉》»›\"'"
_ZH_ANY_TERM = frozenset(_STRONG_CJK + "!?‼⁇⁈⁉…")


def _after_han(line: str, ts: int) -> bool:
    """True when the character before ``ts`` is Han, possibly behind closing quotes/brackets."""
    k = ts - 1
    while k >= 0 and line[k] in _ZH_CLOSERS:
        k -= 1
    return k >= 0 and bool(_HAN_RE.match(line[k]))


def _zh_continues(line: str, j: int, rules: _ZhRules) -> bool:
    """After terminator + closing quote: does the text at ``j`` go on with the same sentence?"""
    if line[j] in rules.no_break_before:
        return True
    if line[j] not in rules.continuation_first:
        return False
    if any(line.startswith(w, j) for w in rules.continuation_exceptions):
        return False
    return any(line.startswith(w, j) for w in rules.continuation)


def _zh_boundaries(line: str, rules: _ZhRules, en_rules: _LatinRules) -> list[int]:
    """Boundary positions inside one line of Chinese text."""
    if not _HAN_RE.search(line):
        return _latin_boundaries(line, en_rules)
    out: list[int] = []
    protected = _protected_spans(line, rules)
    ascii_quotes = {q: [i for i, c in enumerate(line) if c == q] if q in line else [] for q in "\"'"}
    n = len(line)
    seg_start = 0
    for m in _ZH_TERM_RE.finditer(line):
        ts, te = m.start("term"), m.end("term")
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
        j = _skip_space(line, end)
        if j >= n:
            continue
        nxt = line[j]
        spaced = j > end
        if nxt in _PUNCT_NO_BREAK or nxt in _ZH_ANY_TERM:
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
            if _after_han(line, ts) and (
                _CJK_START_RE.match(nxt) or nxt.isdigit() or (spaced and _is_upper_start(nxt))
            ):
                b = end
        if b is not None:
            out.append(b)
            seg_start = b
    return out


# --------------------------------------------------------------------------
# Blocks -> spans
# --------------------------------------------------------------------------


def _block_spans(text: str, lo: int, hi: int, family: str) -> list[tuple[int, int]]:
    """Stripped, non-empty sentence spans (absolute offsets) of text[lo:hi]."""
    block = text[lo:hi]
    if family == "zh":
        bounds = _zh_boundaries(block, _zh_rules(), _latin_rules("en"))
    else:
        bounds = _latin_boundaries(block, _latin_rules(family))
    spans: list[tuple[int, int]] = []
    prev = 0
    for b in sorted(bounds) + [len(block)]:
        if b <= prev:
            continue
        s, e = _strip_span(block, prev, b)
        if s < e:
            spans.append((lo + s, lo + e))
        prev = b
    return spans


def _ends_sentence(line: str) -> bool:
    t = line.rstrip().rstrip("\"'”’)]}」』）" + _SUPERSCRIPTS)
    return bool(t) and t[-1] in _TERMINAL_CHARS


def _soft_blocks(text: str, family: str) -> list[tuple[int, int]]:
    """Lines, with PDF-style wrapped lines joined (en/vi only)."""
    lines = _lines(text)
    if family == "zh":
        return lines
    blocks: list[tuple[int, int]] = []
    for lo, hi in lines:
        if blocks:
            plo, phi = blocks[-1]
            prev_text = text[plo:phi]
            cur = text[lo:hi].lstrip()
            if (
                phi + 1 == lo
                and cur[:1].islower()
                and prev_text.strip()
                and not _ends_sentence(prev_text)
                and len(text[_last_line_start(text, plo, phi):phi].split()) >= 4
            ):
                blocks[-1] = (plo, hi)
                continue
        blocks.append((lo, hi))
    return blocks


def _last_line_start(text: str, lo: int, hi: int) -> int:
    """Start of the last physical line inside text[lo:hi]."""
    k = max(text.rfind(c, lo, hi) for c in _LINE_BREAK_CHARS)
    return lo if k < 0 else k + 1


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def split_sentences(text: str, lang: str) -> list[str]:
    """Split a passage into sentences, each stripped of surrounding whitespace.

    ``lang`` is one of zh-Hans, zh-Hant, zh, zt, vi, en (see :func:`normalize_lang`).
    No empty strings are returned; joining the outputs gives back the passage
    with whitespace removed at the split points only. Labels such as "1. " and
    footnote markers stay inside the sentences. A line break ends a sentence,
    except for wrapped lines in en/vi (see the module docstring).
    """
    family = normalize_lang(lang)
    out: list[str] = []
    for lo, hi in _soft_blocks(text, family):
        for s, e in _block_spans(text, lo, hi, family):
            out.append(text[s:e])
    return out


def _split_label(seg: str, first_in_line: bool) -> int:
    """Length of the structural label at the start of ``seg`` (0 if none)."""
    m = _LABEL_RE.match(seg)
    if not m or m.end() == 0:
        return 0
    if m.group("upper") and not first_in_line:
        return 0
    if m.group("upper"):
        # "J. R. R. Tolkien": initials, not a label
        rest = seg[m.end() :]
        if re.match(r"[A-Z]\.", rest):
            return 0
    return m.end()


def _split_suffix(body: str) -> int:
    """Length of the trailing footnote markers of ``body`` (0 if none)."""
    m = _SUFFIX_RE.search(body)
    if not m:
        return 0
    start = m.start()
    head = body[:start]
    if not head.strip():
        return 0
    first = body[start:].lstrip(" \t\u00a0")[0]
    # superscripts glued to a Latin letter or digit are exponents (km²), not notes
    if first in _SUPERSCRIPTS and head[-1].isascii() and head[-1].isalnum():
        return 0
    return len(body) - start


def segment_document(text: str, lang: str) -> list[Sentence]:
    """Split a document into paragraphs (lines) and sentences, losslessly.

    Every line is a paragraph; whitespace-only lines produce nothing and the
    paragraph index counts the lines that produce sentences (0-based). The
    document is rebuilt exactly by :func:`rebuild`; every gap between
    sentences is whitespace.
    """
    family = normalize_lang(lang)
    out: list[Sentence] = []
    para = 0
    for lo, hi in _lines(text):
        spans = _block_spans(text, lo, hi, family)
        if not spans:
            continue
        for i, (s, e) in enumerate(spans):
            seg = text[s:e]
            p = _split_label(seg, i == 0)
            body = seg[p:]
            sfx = _split_suffix(body) if body else 0
            core = body[: len(body) - sfx] if sfx else body
            prefix = seg[:p]
            suffix = body[len(core) :]
            # keep text stripped: move whitespace between core and suffix into suffix
            stripped = core.rstrip()
            if len(stripped) != len(core):
                suffix = core[len(stripped) :] + suffix
                core = stripped
            out.append(Sentence(s, e, prefix, core, suffix, para))
        para += 1
    return out


def rebuild(text: str, sentences: list[Sentence]) -> str:
    """Rebuild the document from its sentences and the gaps between them."""
    out: list[str] = []
    pos = 0
    for s in sentences:
        out.append(text[pos : s.start])
        out.append(s.prefix + s.text + s.suffix)
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------
# Helpers for the ``workbench segment`` command
# --------------------------------------------------------------------------

def _guess_lang(passage: str) -> str:
    from workbench.ingest import detect_language

    try:
        return detect_language(passage)
    except InputError:  # no words at all: any rules will do
        return "en"


def segment_passages(lines: list[str], lang: str | None = None) -> list[list[str]]:
    """``segment --jsonl``: each non-blank line is a JSON string (a passage).

    Returns one list of sentences (:func:`split_sentences`) per line, in order
    (an empty list for a blank line, so output lines match input lines). Raises :class:`InputError` for a line that is not a JSON string.
    """
    out: list[list[str]] = []
    for no, line in enumerate(lines, 1):
        if not line.strip():
            out.append([])  # keep output lines aligned with input lines
            continue
        try:
            passage = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {no}: not JSON ({exc.msg}); give one JSON string per line") from None
        if not isinstance(passage, str):
            raise InputError(f"line {no}: expected a JSON string, got {type(passage).__name__}")
        out.append(split_sentences(passage, lang or _guess_lang(passage)))
    return out


def segment_text(file: Path | str, data: bytes | None = None, lang: str | None = None, encoding: str | None = None) -> list[str]:
    """``segment FILE``: the sentences of a document (``data`` if given, else ``file``'s bytes).

    Reads it as :mod:`workbench.ingest` does (encoding, NFC, LF, language
    detection unless ``lang``) and returns :func:`split_sentences` of the whole
    text (labels and footnote markers included).
    """
    from workbench.ingest import document_from_bytes, read_document

    doc = read_document(file, lang, encoding) if data is None else document_from_bytes(data, Path(str(file)), lang, encoding)
    return split_sentences(doc.text, doc.lang)
