"""Auto-translatables: dates, amounts, numbers and session ordinals rendered in UN English.

    spans = find("2021年4月19日星期一上午8时", "zh-Hans")
    spans[0].en   # 'Monday, 19 April 2021, at 8 a.m.'

Table-driven per language: each language family has an ordered table of
``(regex, renderer)`` rows; the first row that matches at a position wins, and
rows never overlap.  The renderings follow the UN Editorial Manual: "25 March
2021", "Monday, 19 April 2021, at 8 a.m.", "488,000", "$19.44 billion",
"forty-seventh session".  :mod:`workbench.translate` puts them in copy drafts and
protects them through MT like glossary terms; :mod:`workbench.qa` uses
:func:`number_values` to compare numbers after normalisation.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Callable

__all__ = ["Auto", "find", "ordinal_words", "cardinal_words", "zh_number", "number_values", "MONTHS"]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
WEEKDAYS_ZH = {"一": "Monday", "二": "Tuesday", "三": "Wednesday", "四": "Thursday", "五": "Friday", "六": "Saturday", "日": "Sunday", "天": "Sunday"}
WEEKDAYS_VI = {"hai": "Monday", "ba": "Tuesday", "tư": "Wednesday", "năm": "Thursday", "sáu": "Friday", "bảy": "Saturday"}

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORD_IRREGULAR = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


@dataclass(frozen=True)
class Auto:
    """One auto-translatable span of a source text."""

    start: int
    end: int
    surface: str
    en: str
    kind: str  # "date", "time", "amount", "number", "ordinal", "session"


def cardinal_words(n: int) -> str:
    """English words for 0 <= n < 1000 ("forty-seven"); larger numbers as digits ("8,000")."""
    if n >= 1000:
        return f"{n:,}"
    if n < 20:
        return _ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return _TENS[t] + (f"-{_ONES[o]}" if o else "")
    h, r = divmod(n, 100)
    return f"{_ONES[h]} hundred" + (f" and {cardinal_words(r)}" if r else "")


def ordinal_words(n: int) -> str:
    """English ordinal words ("forty-seventh", "fifty-fifth", "first"); from 1,000 on in digits
    as UN documents write them ("8000th")."""
    if n >= 1000:
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    words = cardinal_words(n)
    head, sep, last = words.rpartition("-") if "-" in words.split(" ")[-1] else words.rpartition(" ")
    if last in _ORD_IRREGULAR:
        last = _ORD_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_NUM = "零〇一二两兩三四五六七八九十百千"


def zh_number(s: str) -> int | None:
    """Chinese numerals to an int ("四十七" -> 47, "十三" -> 13, "2021" -> 2021)."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for c in s:
        if c in _ZH_DIGITS:
            cur = _ZH_DIGITS[c]
        elif c in _ZH_UNITS:
            total += (cur or 1) * _ZH_UNITS[c]
            cur = 0
        else:
            return None
    return total + cur


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(s: str) -> int | None:
    total, prev = 0, 0
    for c in reversed(s):
        v = _ROMAN.get(c)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total or None


def _group(n: Decimal) -> str:
    """488000 -> "488,000"; 19.44 stays "19.44"; years are not passed here."""
    if n == n.to_integral_value():
        return f"{int(n):,}"
    return f"{n:,f}".rstrip("0").rstrip(".")


def _amount(value: Decimal, dollars: bool) -> str:
    """UN style: "$19.44 billion", "1.2 million", "488,000"."""
    for size, word in ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if value >= size:
            v = (value / size).normalize()
            text = f"{v:f}"
            return ("$" if dollars else "") + f"{text} {word}"
    return ("$" if dollars else "") + _group(value)


def _time_zh(period: str, hour: str, minute: str | None) -> str:
    h = int(hour)
    m = int(minute) if minute else 0
    suffix = "p.m." if period in ("下午", "晚上", "晚") and h < 12 else "a.m."
    if period in ("中午",) and h == 12:
        suffix = "noon"
        return "noon"
    hh = h - 12 if h > 12 else h
    return f"{hh}.{m:02d} {suffix}" if m else f"{hh} {suffix}"


# ---------------------------------------------------------------- zh table

_D = r"(\d{1,2})"
_ZH_TIME = r"(?:(上午|下午|晚上|中午|凌晨)?(\d{1,2})[时時点點](?:(\d{1,2})分)?)"


def _zh_full_date(m: re.Match[str]) -> str:
    y, mo, d, wd, period, hour, minute = m.groups()
    date = f"{int(d)} {MONTHS[int(mo) - 1]} {y}"
    if wd:
        date = f"{WEEKDAYS_ZH[wd]}, {date}"
    if hour:
        date += f", at {_time_zh(period or '', hour, minute)}"
    return date


def _zh_amount(m: re.Match[str]) -> str:
    num, unit, dollars = m.group(1), m.group(2), m.group(3)
    try:
        value = Decimal(num.replace(",", ""))
    except InvalidOperation:
        return m.group()
    value *= {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}[unit]
    return _amount(value, bool(dollars))


def _session(n: int | None, tail: str) -> str:
    return f"{ordinal_words(n)} {tail}" if n else ""


_ZH_TABLE: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str], str]] = [
    (re.compile(rf"(\d{{4}})年{_D}月{_D}[日号](?:[(（]?星期([一二三四五六日天])[)）]?)?{_ZH_TIME}?"), _zh_full_date, "date"),
    (re.compile(rf"(\d{{4}})年{_D}月份?(?![\d日号])"), lambda m: f"{MONTHS[int(m.group(2)) - 1]} {m.group(1)}", "date"),
    (re.compile(rf"(?<!\d){_D}月{_D}[日号]"), lambda m: f"{int(m.group(2))} {MONTHS[int(m.group(1)) - 1]}", "date"),
    (re.compile(r"(\d{4})年(?![\d月])"), lambda m: m.group(1), "date"),
    (re.compile(rf"第([\d{_ZH_NUM}]+)[届屆](?:会议|會議)"), lambda m: _session(zh_number(m.group(1)), "session"), "session"),
    (re.compile(rf"第([\d{_ZH_NUM}]+)[届屆](?=联合国代表大会|聯合國代表大會|联合国大会|聯合國大會|联大|聯大)(?:联合国代表大会|聯合國代表大會|联合国大会|聯合國大會|联大|聯大)"), lambda m: _session(zh_number(m.group(1)), "session of the General Assembly"), "session"),
    (re.compile(rf"第([\d{_ZH_NUM}]+)[次届屆]"), lambda m: ordinal_words(n) if (n := zh_number(m.group(1))) else "", "ordinal"),
    (re.compile(r"(\d+(?:\.\d+)?)([万萬亿億])(美元)?"), _zh_amount, "amount"),
    (re.compile(r"(?<![\d.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?![\d])"), lambda m: _group(Decimal(re.sub(r"\D", "", m.group(1)))), "number"),
]

# ---------------------------------------------------------------- vi table


def _vi_number(s: str) -> Decimal | None:
    """"488.000" / "488 000" -> 488000; "19,44" -> 19.44 (Vietnamese separators)."""
    t = s.replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d+", t):
        t = t.replace(",", ".")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _vi_date(m: re.Match[str]) -> str:
    wd, d, mo, y = m.group("wd"), m.group("d"), m.group("mo"), m.group("y")
    out = f"{int(d)} {MONTHS[int(mo) - 1]}" + (f" {y}" if y else "")
    if wd:
        out = f"{WEEKDAYS_VI.get(wd.lower(), '')}, {out}".lstrip(", ")
    return out


_VI_ORD = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}


def _vi_ordinal(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word.lower() in _VI_ORD:
        return _VI_ORD[word.lower()]
    return _roman(word)


_MO = r"(?P<mo>1[0-2]|0?[1-9])"
_VI_TABLE: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str], str]] = [
    (re.compile(rf"(?:(?:[Tt]hứ\s+(?P<wd>[Hh]ai|[Bb]a|[Tt]ư|[Nn]ăm|[Ss]áu|[Bb]ảy)\s*,?\s*)?[Nn]gày\s+)(?P<d>[0-3]?\d)\s*(?:/|\s+tháng\s+){_MO}(?:\s*(?:/|\s+năm\s+)(?P<y>\d{{4}}))?(?![\d/])"), _vi_date, "date"),
    (re.compile(rf"(?<![\d/])(?P<d>[0-3]?\d)/{_MO}/(?P<y>\d{{4}})(?![\d/])(?P<wd>)"), _vi_date, "date"),
    (re.compile(r"[Tt]háng\s+(1[0-2]|0?[1-9])\s*(?:/|\s+năm\s+)(\d{4})"), lambda m: f"{MONTHS[int(m.group(1)) - 1]} {m.group(2)}", "date"),
    (re.compile(r"[Kk]hóa họp\s+(?:thứ\s+)?(\d{1,3})"), lambda m: f"{ordinal_words(int(m.group(1)))} session", "session"),
    (re.compile(r"[Kk]hoá họp\s+(?:thứ\s+)?(\d{1,3})"), lambda m: f"{ordinal_words(int(m.group(1)))} session", "session"),
    (re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:[ \u00a0]\d{3})+)(?![\d])"), lambda m: _group(v) if (v := _vi_number(m.group(1))) is not None else "", "number"),
]

_TABLES = {"zh": _ZH_TABLE, "vi": _VI_TABLE}
_DIGIT_RE = re.compile(r"\d")
_FAMILY = {"zh-hans": "zh", "zh-hant": "zh", "zh": "zh", "vi": "vi"}


def find(text: str, lang: str) -> list[Auto]:
    """The auto-translatable spans of ``text``, sorted, non-overlapping (first table row wins)."""
    table = _TABLES.get(_FAMILY.get(lang.lower(), ""), [])
    if not table or (_DIGIT_RE.search(text) is None and "第" not in text):
        return []
    taken: list[Auto] = []
    starts: list[int] = []  # sorted starts of ``spans``, for a log-time overlap test
    spans: list[tuple[int, int]] = []
    for rx, render, kind in table:
        for m in rx.finditer(text):
            s, e = m.span()
            i = bisect.bisect_left(starts, s)
            if (i > 0 and spans[i - 1][1] > s) or (i < len(spans) and spans[i][0] < e):
                continue
            en = render(m)
            if en:
                taken.append(Auto(s, e, m.group(), en, kind))
                starts.insert(i, s)
                spans.insert(i, (s, e))
    return sorted(taken, key=lambda a: a.start)


# ---------------------------------------------------------------- numbers for QA

_EN_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_WORD_VALUES = {w: i for i, w in enumerate(_ONES)} | {w: 10 * i for i, w in enumerate(_TENS) if w != "_"}
_ORD_VALUES: dict[str, int] = {}
for _n in range(1, 100):
    _ORD_VALUES[ordinal_words(_n)] = _n
_EN_NUM_RE = re.compile(r"(?<![\d,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s+(thousand|million|billion|trillion))?(?!\d)|\b([a-z]+(?:-[a-z]+)?)\b", re.IGNORECASE)
_ROMAN_RE = re.compile(r"(?<![\w])[IVXLC]{1,7}(?![\w])")
_EN_DATE_ORD_RE = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)


#: Chinese words whose numeral is no count a translation repeats: 两年期 (biennium), 千年 (millennium).
_ZH_LEXICAL = ("两年期", "兩年期", "千年")


def _zh_not_a_count(text: str, m: "re.Match[str]") -> bool:
    """A Chinese numeral that English does not write as a number: 一 before a classifier is
    the article ("一个框架" = a framework, "一名主席" = a President; not 第一次, the first),
    or part of a word like 两年期."""
    if m.group(1) == "一" and text[m.end() : m.end() + 1] in "个個名位项項次" and text[max(0, m.start() - 1) : m.start()] not in _ZH_NUM + "第":
        return True
    return any(text.startswith(w, m.start()) for w in _ZH_LEXICAL)


def number_values(text: str, lang: str) -> list[tuple[str, Decimal]]:
    """(surface, value) of every number a reader sees in ``text``, normalised.

    English: "488,000", "19.44 billion", "three", "forty-seventh", month names
    (April = 4), "8 a.m.".  Chinese: digits, Chinese numerals before 届/次/个/名,
    amounts with 万/亿, months (4月 = 4).  Vietnamese: "488.000", "19,44", "tháng 4".
    """
    out: list[tuple[str, Decimal]] = []
    fam = _FAMILY.get(lang.lower(), "en")
    if fam == "en":
        low = text
        for m in _EN_NUM_RE.finditer(low):
            if m.group(1):
                v = Decimal(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
                if m.group(3):
                    v *= _EN_SCALE[m.group(3).lower()]
                out.append((m.group(), v))
                continue
            word = m.group(4).lower()
            if word in _ORD_VALUES:
                out.append((m.group(), Decimal(_ORD_VALUES[word])))
            elif word in _WORD_VALUES and word != "zero":
                out.append((m.group(), Decimal(_WORD_VALUES[word])))
            elif "-" in word and all(p in _WORD_VALUES for p in word.split("-")):
                out.append((m.group(), Decimal(sum(_WORD_VALUES[p] for p in word.split("-")))))
            elif m.group(4) in MONTHS:  # capitalised only: "may" is a verb
                out.append((m.group(), Decimal(MONTHS.index(m.group(4)) + 1)))
        for m in _EN_DATE_ORD_RE.finditer(text):
            out.append((m.group(), Decimal(m.group(1))))
        for m in _ROMAN_RE.finditer(text):  # "Chapter I", "resolution 2200 A (XXI)"
            n = _roman(m.group())
            if n:
                out.append((m.group(), Decimal(n)))
        return out
    covered: list[tuple[int, int]] = []
    if fam == "zh":
        for m in re.finditer(r"(\d+(?:\.\d+)?)([万萬亿億])", text):
            v = Decimal(m.group(1)) * {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}[m.group(2)]
            out.append((m.group(), v))
            covered.append(m.span())
        for m in re.finditer(rf"([{_ZH_NUM}]+)(?=[届屆次个個名位项項国國年])", text):
            if _zh_not_a_count(text, m):
                continue
            n = zh_number(m.group(1))
            if n:
                out.append((m.group(), Decimal(n)))
    for m in re.finditer(r"\d+(?:[.,\s]\d+)*", text):
        if any(a <= m.start() < b for a, b in covered):
            continue
        s = m.group().strip()
        for piece in re.split(r"\s+", s) if fam == "zh" and not re.fullmatch(r"\d{1,3}(?: \d{3})+", s) else [s]:
            if fam == "vi":
                v = _vi_number(piece)
            else:
                try:
                    v = Decimal(piece.replace(",", "").replace(" ", ""))
                except InvalidOperation:
                    v = None
            if v is not None:
                out.append((piece, v))
    return out
