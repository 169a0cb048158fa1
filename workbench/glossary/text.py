"""Non-translatables (UN symbols, e-mails, URLs) and :func:`contains_term` for English targets."""

from __future__ import annotations

import re
import unicodedata


from workbench.glossary.model import Hit, Term
from workbench.glossary.normalize import _clean_variant

# --------------------------------------------------------------------------
# Non-translatables
# --------------------------------------------------------------------------

# UN document symbols: an issuing body, then "/"-separated components such as
# 70, RES, PRST, CN.4, L.10, Add.1; several symbols may be joined by "-"
# (S/2015/446-A/70/95 is one span).  At least one component holds a digit.
_UN_BODY = (
    r"(?:A|S|E|T|ST|DP|TD|UNEP|CRC|CCPR|CERD|CEDAW|CAT|CRPD|CMW|CED|HRI|ICCD|"
    r"FCCC|UNW|DPKO|ECE|ESCAP|ECA|ECLAC|ESCWA|UNHCR|JIU|APLC|CCW|CD|NPT|TRADE|"
    r"UNCTAD|IDB|PBC|SG)"
)
_UN_COMP = r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*"
_UN_ONE = rf"{_UN_BODY}(?:/{_UN_COMP})+"
_UN_SYMBOL_RE = re.compile(rf"(?<![A-Za-z0-9_/.@-]){_UN_ONE}(?:-{_UN_ONE})*(?![A-Za-z0-9_/])")
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9_.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![A-Za-z0-9_@-])"
)
_URL_RE = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[!#-;=?-~]+")
_URL_START_RE = re.compile(r"https?://|www\.", re.IGNORECASE)
_URL_NOT_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@.")
_AT_RE = re.compile("@")
_LOCAL_TAIL_RE = re.compile(r"(?<![A-Za-z0-9_.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*\Z")
_UN_BODY_TAIL_RE = re.compile(rf"(?<![A-Za-z0-9_/.@-]){_UN_BODY}\Z")
_URL_TRAIL = ".,;:!?'\"*"
_BRACKETS = {")": "(", "]": "[", "}": "{"}


def _trim_url(url: str) -> str:
    """Drop trailing sentence punctuation and unbalanced closing brackets."""
    while url:
        last = url[-1]
        if last in _URL_TRAIL:
            url = url[:-1]
        elif last in _BRACKETS and url.count(last) > url.count(_BRACKETS[last]):
            url = url[:-1]
        else:
            break
    return url


def may_hold_nontranslatables(text: str) -> bool:
    """Does ``text`` hold one of the anchors every non-translatable is found next to (without it,
    :func:`find_nontranslatables` finds nothing)?"""
    return "/" in text or "@" in text or "ww." in text or "WW." in text


def find_nontranslatables(text: str) -> list[Hit]:
    """UN document symbols, e-mail addresses and URLs in ``text``, sorted.

    Spans exclude trailing sentence punctuation; overlapping spans are
    resolved leftmost-longest (an e-mail inside a URL belongs to the URL).
    """
    if not may_hold_nontranslatables(text):
        return []
    spans: list[tuple[int, int]] = []
    # Each pattern is only tried next to a cheap literal anchor ("://", "www.",
    # "@", "/"), so plain prose costs a few memchr-speed scans.
    if "/" in text or "ww." in text or "WW." in text:
        for m in _URL_START_RE.finditer(text):
            st_ = m.start()
            if st_ and text[st_ - 1] in _URL_NOT_BEFORE:
                continue
            mm = _URL_RE.match(text, st_)
            if mm:
                url = _trim_url(mm.group())
                if len(url) > len(m.group()):
                    spans.append((st_, st_ + len(url)))
    if "@" in text:
        for m in _AT_RE.finditer(text):
            at = m.start()
            lo = max(0, at - 128)
            head = _LOCAL_TAIL_RE.search(text, lo, at)
            if head is None:
                continue
            mm = _EMAIL_RE.search(text, head.start(), min(len(text), at + 256))
            while mm and mm.start() < at:
                if mm.end() > at:
                    spans.append(mm.span())
                    break
                mm = _EMAIL_RE.search(text, mm.end(), min(len(text), at + 256))
    if "/" in text:
        last = -1
        pos = text.find("/")
        while pos != -1:
            if pos > last:
                body = _UN_BODY_TAIL_RE.search(text, max(0, pos - 6), pos)
                if body is not None:
                    mm = _UN_SYMBOL_RE.match(text, body.start())
                    if mm and any(ch.isdigit() for ch in mm.group()):
                        spans.append(mm.span())
                        last = mm.end()
            pos = text.find("/", pos + 1)
    spans.sort(key=lambda s: (s[0], -s[1]))
    hits: list[Hit] = []
    last = -1
    for s, e in spans:
        if s >= last:
            surface = text[s:e]
            hits.append(Hit(s, e, surface, surface, None, "nt"))
            last = e
    return hits


# --------------------------------------------------------------------------
# contains_term
# --------------------------------------------------------------------------

_SEP = r"[\s\-\u2010-\u2015\u2212\u00a0]*"
_TOKEN_SPLIT_RE = re.compile(r"[\s\-\u2010-\u2015\u2212\u00a0]+")
_contains_cache: dict[tuple[str, ...], re.Pattern[str]] = {}


def _number_forms(word: str) -> list[str]:
    """Simple English singular/plural alternatives of the last word."""
    forms = {word}
    if not word[-1:].isalpha():
        return [word]
    if word.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    elif word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word[:-2])
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.add(word[:-1])
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    else:
        forms.add(word + "s")
    return sorted(forms, key=len, reverse=True)


def _phrase_regex(phrase: str) -> str:
    tokens = [t for t in _TOKEN_SPLIT_RE.split(phrase) if t]
    if not tokens:
        return ""
    head = [re.escape(t.casefold()) for t in tokens[:-1]]
    last = tokens[-1]
    # Only inflect plain lower-case words ("measures"), not acronyms ("ASEAN").
    if last.isalpha() and not (last.isupper() and len(last) > 1):
        tail = "(?:" + "|".join(re.escape(f.casefold()) for f in _number_forms(last.casefold())) + ")"
    else:
        tail = re.escape(last.casefold())
    return _SEP.join([*head, tail])


def contains_term(target: str, term: Term | str) -> bool:
    """Does the English ``target`` render ``term`` (its ``en`` or an ``en_variant``)?

    ``term`` is a :class:`Term` or an English phrase.  Matching is NFC,
    case-insensitive (casefold), on word boundaries (Unicode letters and
    digits are word characters), tolerant of hyphen/space variation between
    words ("confidence building measures", "confidence-building measures",
    "co-operation" vs "cooperation"), and of simple singular/plural of the
    LAST word of a phrase ("measure(s)", "body/bodies", "Member State(s)").
    Acronyms (all upper case) are not inflected.
    """
    forms = (term.en, *term.en_variants) if isinstance(term, Term) else (term,)
    key = tuple(forms)
    rx = _contains_cache.get(key)
    if rx is None:
        alts = [a for a in (_phrase_regex(_clean_variant(f)) for f in forms) if a]
        if not alts:
            return False
        rx = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)")
        if len(_contains_cache) > 4096:
            _contains_cache.clear()
        _contains_cache[key] = rx
    return rx.search(unicodedata.normalize("NFC", target).casefold()) is not None


