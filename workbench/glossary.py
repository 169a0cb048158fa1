"""Curated glossary: loading, validation and fast term matching.

The glossary (``glossary.yaml``, schema documented at the top of that file)
maps source-language variants (Chinese in either script, Vietnamese) to the
established UN English form of a term.  :meth:`Glossary.find` locates glossary
terms and non-translatable spans (UN document symbols, e-mail addresses, URLs)
in a source text; :func:`contains_term` checks whether an English target
renders a term.

Matching model
--------------
Text and variants are both mapped to a *match key* of exactly the same length
as the (NFC) text, so offsets in the key are offsets in the text:

* NFC.  If the input is not NFC (e.g. NFD Vietnamese), it is normalised
  cluster by cluster and every key position remembers the span of the
  original text it came from; hits always point into the ORIGINAL string.
* Chinese family only: every character is folded Traditional -> Simplified
  with OpenCC (``t2s``) *character by character* (context-free, so a variant
  folds the same way alone and inside a sentence), and full-width ASCII is
  folded to ASCII.
* ``str.lower`` (equals ``casefold`` for Vietnamese and English; characters
  whose lower case is longer than one character are left unchanged).
* Hyphens/dashes and no-break spaces become a plain space, so
  "confidence-building" and "confidence building" match each other.

A variant whose first (last) character is a word character (a letter, digit
or combining mark that is not CJK) only matches where the preceding
(following) text character is not a word character: "UN" does not match in
"UNESCO" or "fund", "ASEAN" matches in "东盟(ASEAN)".  Chinese characters
have no word boundaries.  Among the candidate matches the leftmost-longest,
non-overlapping ones win; non-translatables win over any term they overlap.

English forms (``en`` and ``en_variants``) are matched in every language
family, since Chinese and Vietnamese documents often quote them
("亚洲相互协作与信任措施会议(Conference on ..., CICA)").

Duplicates: the same variant listed twice for the same English term (in one
entry or after script folding) is merged silently; two entries with the same
English form (or the same id) are rejected, as is one variant mapped to two
different English terms.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, NamedTuple

import yaml
from ahocorasick_rs import AhoCorasick, MatchKind

from workbench.errors import GlossaryError
from workbench.yaml_guard import MAX_DEPTH, NoAliasLoader, StrictLoader, shown, too_deep

__all__ = [
    "Term",
    "Hit",
    "Glossary",
    "find_nontranslatables",
    "contains_term",
    "normalize_zh",
    "match_key",
    "LANG_FAMILIES",
]

#: Language codes accepted by :meth:`Glossary.find`, mapped to their family.
LANG_FAMILIES: dict[str, str] = {
    "zh-hans": "zh",
    "zh-hant": "zh",
    "zh": "zh",
    "vi": "vi",
    "en": "en",
}
_FAMILIES = ("zh", "vi", "en")
_SOURCE_KEYS = {"zh": "zh", "zh-hans": "zh", "zh-hant": "zh", "vi": "vi"}
_ENTRY_KEYS = {"en", "en_variants", "note", "domain"}
_ALLOWED_KEYS_MSG = "en, zh (or zh-Hans/zh-Hant), vi, en_variants, note, domain"


# --------------------------------------------------------------------------
# Data classes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    ``variants`` has the keys ``"zh"``, ``"vi"`` and ``"en"``; ``zh``/``vi``
    are the source variants as written in the file, ``en`` is ``(en,
    *en_variants)``.
    """

    id: str
    en: str
    variants: dict[str, tuple[str, ...]] = field(hash=False)
    en_variants: tuple[str, ...] = ()
    note: str | None = None
    domain: str | None = None
    line: int | None = field(default=None, compare=False)


class Hit(NamedTuple):
    """A glossary term or non-translatable found in a text (a named tuple: cheap to make by the 100,000)."""

    start: int
    end: int
    surface: str
    en: str
    term_id: str | None
    kind: str  # "term" or "nt"


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

_opencc_lock = threading.Lock()
_opencc_converter: Any = None
_T2S_CACHE: dict[str, str] = {}  # char -> folded char (only entries that change)
_T2S_SEEN: set[str] = set()

# Full-width ASCII (！..～) -> ASCII, and the ideographic space.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def _converter() -> Any:
    """The OpenCC t2s converter, built once (thread-safe, lazy)."""
    global _opencc_converter
    if _opencc_converter is None:
        with _opencc_lock:
            if _opencc_converter is None:
                import opencc

                try:
                    _opencc_converter = opencc.OpenCC("t2s")
                except Exception:  # older packages want the .json name
                    _opencc_converter = opencc.OpenCC("t2s.json")
    return _opencc_converter


def _learn_chars(chars: Iterable[str]) -> None:
    """Fold unseen characters with OpenCC, one character at a time."""
    new = [c for c in chars if c not in _T2S_SEEN and ord(c) >= 0x2E80 and not 0xD800 <= ord(c) <= 0xDFFF]
    if not new:
        return
    conv = _converter()
    with _opencc_lock:
        # Batch: one character per line, so OpenCC cannot form phrases.
        out = conv.convert("\n".join(new)).split("\n")
        if len(out) != len(new):  # paranoid fallback: really one by one
            out = [conv.convert(c) for c in new]
        for c, s in zip(new, out):
            if len(s) == 1 and s != c:
                _T2S_CACHE[c] = s
            _T2S_SEEN.add(c)


def normalize_zh(text: str) -> str:
    """Fold Traditional Chinese to Simplified, character by character.

    Uses OpenCC ``t2s`` on each distinct character separately, so the result
    has exactly the same length as ``text`` (offsets stay valid) and a
    character folds the same way whatever its context.  One-to-many
    conversions are not needed for matching: both the glossary and the text
    go through this same function.
    """
    if not text:
        return text
    table = _zh_table(set(text), with_width=False)
    return text.translate(table) if table else text


_DASH_CHARS = "\u002d\u00a0\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u202f\ufe58\ufe63\uff0d"


def _zh_table(present: set[str], with_width: bool) -> dict[int, int]:
    """translate() table for the characters in ``present``: t2s, plus (for
    match keys) full-width ASCII -> ASCII and dashes -> space."""
    _learn_chars(present)
    cache = _T2S_CACHE
    table = {ord(c): ord(cache[c]) for c in present if c in cache}
    if with_width:
        for c in present:
            o = ord(c)
            if 0xFF01 <= o <= 0xFF5E or o == 0x3000:
                table[o] = _FULLWIDTH[o]
        for c in _DASH_CHARS:
            if c in present:
                table[ord(c)] = 0x20
    return table


_DASHES_RE = re.compile(f"[{_DASH_CHARS}]")

_LUT: Any = None  # numpy code point -> match-key code point map (zh), see _zh_fold_large
_LUT_SYNCED = 0  # how many _T2S_CACHE entries _LUT holds
_LEARNED: Any = None  # numpy bool per code point: already given to _learn_chars
_LARGE = 1_000  # texts longer than this are folded with numpy


def _zh_fold_large(text: str) -> str:
    """The zh match-key table of :func:`_zh_table` applied with a numpy lookup table.

    Same result as ``text.translate(_zh_table(set(text), True))``; ~20x faster on
    megabytes of text (one array lookup instead of a dict lookup per character).
    """
    import numpy as np

    global _LUT, _LUT_SYNCED, _LEARNED
    arr = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if _LEARNED is None:
        _LEARNED = np.zeros(0x110000, dtype=bool)
        _LEARNED[:0x2E80] = True  # below U+2E80 nothing folds (see _learn_chars)
    unseen = arr[~_LEARNED[arr]]
    if len(unseen):
        present = np.unique(unseen)
        _learn_chars(map(chr, present.tolist()))
        _LEARNED[present] = True
    with _opencc_lock:
        if _LUT is None or _LUT_SYNCED < len(_T2S_CACHE):
            lut = np.arange(0x110000, dtype=np.uint32) if _LUT is None else _LUT
            items = list(_T2S_CACHE.items())
            for c, folded in items[_LUT_SYNCED:]:
                lut[ord(c)] = ord(folded)
            for cp, to in _FULLWIDTH.items():  # width and dashes win over t2s, as in _zh_table
                lut[cp] = to
            for c in _DASH_CHARS:
                lut[ord(c)] = 0x20
            _LUT, _LUT_SYNCED = lut, len(items)
        lut = _LUT
    return lut[arr].tobytes().decode("utf-32-le", "surrogatepass")


def _lower_same_length(text: str) -> str:
    """``str.lower`` that never changes the length (long lowercases are skipped)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(lc := c.lower()) != 1 else lc for c in text)


def _nfc_with_map(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """NFC-normalise ``text``; return (nfc, starts, ends) mapping key -> original.

    ``starts``/``ends`` are ``None`` when ``text`` is already NFC (identity).
    Otherwise ``starts[i]``/``ends[i]`` give the span of the original text that
    produced character ``i`` of the normalised text (a whole combining
    cluster).
    """
    if unicodedata.is_normalized("NFC", text):
        return text, None, None
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        # A cluster: one character plus every following character that may
        # combine with it (non-zero combining class or NFC_QC=Maybe).
        j = i + 1
        while j < n and _is_combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        out.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    return "".join(out), starts, ends


_COMBINING_EXTRA: frozenset[str] | None = None


def _is_combining(c: str) -> bool:
    """Can ``c`` combine with the preceding character under NFC?"""
    if unicodedata.combining(c):
        return True
    # Hangul medial vowels / final consonants and the few ccc=0 composing marks.
    o = ord(c)
    if 0x1161 <= o <= 0x1175 or 0x11A8 <= o <= 0x11C2:
        return True
    return c in _composing_starters()


def _composing_starters() -> frozenset[str]:
    """Characters with combining class 0 that appear second in a composition."""
    global _COMBINING_EXTRA
    if _COMBINING_EXTRA is None:
        extra = set()
        for cp in range(0x0900, 0x1200):  # Indic/Sinhala vowel signs etc.
            d = unicodedata.decomposition(chr(cp))
            if d and not d.startswith("<"):
                parts = d.split()
                if len(parts) == 2:
                    second = chr(int(parts[1], 16))
                    if not unicodedata.combining(second):
                        extra.add(second)
        _COMBINING_EXTRA = frozenset(extra)
    return _COMBINING_EXTRA


def match_key(text: str, family: str) -> str:
    """The match key of an NFC string: same length, folded for matching.

    ``family`` is ``"zh"``, ``"vi"`` or ``"en"``.  Exposed for tests and for
    callers that want to compare strings the way :meth:`Glossary.find` does.
    """
    if not text:
        return text
    if family == "zh":
        if len(text) > _LARGE:
            return _lower_same_length(_zh_fold_large(text))
        table = _zh_table(set(text), with_width=True)
        if table:
            text = text.translate(table)
        return _lower_same_length(text)
    text = _lower_same_length(text)
    if _DASHES_RE.search(text):
        text = _DASHES_RE.sub(" ", text)
    return text


def _match_keys(strings: list[str], family: str) -> list[str]:
    """:func:`match_key` of many short strings in one pass."""
    if not strings:
        return []
    if any("\n" in x for x in strings):
        return [match_key(x, family) for x in strings]
    out = match_key("\n".join(strings), family).split("\n")
    if len(out) != len(strings):  # pragma: no cover - defensive
        return [match_key(x, family) for x in strings]
    return out


def _clean_variant(s: str) -> str:
    """NFC and collapse whitespace runs in a glossary string."""
    return " ".join(unicodedata.normalize("NFC", s).split())


_NON_WORD_SCRIPTS = (
    "\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
)
_WORD_CHAR_RE = re.compile(f"[^\\W{_NON_WORD_SCRIPTS}]|[\u0300-\u036f]")


def _is_word_char(c: str) -> bool:
    """Letters, digits, ``_`` and combining marks, except CJK (no word boundaries)."""
    return _WORD_CHAR_RE.match(c) is not None


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


def find_nontranslatables(text: str) -> list[Hit]:
    """UN document symbols, e-mail addresses and URLs in ``text``, sorted.

    Spans exclude trailing sentence punctuation; overlapping spans are
    resolved leftmost-longest (an e-mail inside a URL belongs to the URL).
    """
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


# --------------------------------------------------------------------------
# Glossary
# --------------------------------------------------------------------------


_SLUG_RE = re.compile(r"[^0-9a-z]+")


def _slug(en: str) -> str:
    """Stable id: ASCII-folded, lower case, runs of other characters -> "-"."""
    s = unicodedata.normalize("NFKD", en).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_RE.sub("-", s).strip("-")


def _mark(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


class _Automaton:
    """The leftmost-longest Aho-Corasick automaton (ahocorasick_rs, in Rust) of one language family.

    ``values[i]`` is ``(term_index, needs_left_boundary, needs_right_boundary)``
    of pattern ``i``; ``longest`` is the length of the longest pattern.
    """

    __slots__ = ("_rows", "fast", "longest", "plain", "values")

    def __init__(self, keys: dict[str, int]) -> None:
        wc = _WORD_CACHE
        self.values = [(ti, wc[k[0]], wc[k[-1]]) for k, ti in keys.items()]
        #: Pattern needs no word-boundary check (e.g. Han at both ends).
        self.plain = [not (bl or br) for _, bl, br in self.values]
        self._rows: list[tuple[str, str, str]] | None = None
        self.longest = max(map(len, keys), default=0)
        self.fast = AhoCorasick(list(keys), matchkind=MatchKind.LeftmostLongest) if keys else None

    def rows(self, info: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        """Per pattern: the (en, term id, kind) of its term, from the glossary's ``info``."""
        if self._rows is None:
            self._rows = [info[ti] for ti, _, _ in self.values]
        return self._rows


class _WordCache(dict):
    """char -> is it a word character (memoised :func:`_is_word_char`)."""

    def __missing__(self, c: str) -> bool:
        v = _is_word_char(c)
        self[c] = v
        return v


_WORD_CACHE = _WordCache()


_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Glossary:
    """A validated glossary with cached per-language matchers."""

    def __init__(self, terms: Iterable[Term], path: Path | None = None) -> None:
        self.terms: tuple[Term, ...] = tuple(terms)
        self.path: Path | None = path
        self._by_id: dict[str, Term] = {t.id: t for t in self.terms}
        self._keys: dict[str, dict[str, int]] = self._index()
        self._automata: dict[str, _Automaton] = {}
        self._lock = threading.Lock()
        self._hash: str | None = None
        self._info: list[tuple[str, str, str]] = [(t.en, t.id, "term") for t in self.terms]

    # -- construction ----------------------------------------------------

    @classmethod
    def empty(cls) -> "Glossary":
        """A glossary with no terms (``find`` still reports non-translatables)."""
        return cls((), None)

    @classmethod
    def load(cls, path: str | Path) -> "Glossary":
        """Load and validate a glossary YAML file (safe loading only)."""
        p = Path(path)
        name = str(p)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise GlossaryError(f"glossary file not found: {name}; create it or pass the right path") from None
        except UnicodeDecodeError as e:
            raise GlossaryError(f"{name}: not UTF-8 (byte {e.start}); save the glossary as UTF-8") from None
        except OSError as e:
            raise GlossaryError(f"cannot read glossary {name}: {e.strerror or e}; check the path and permissions") from None
        where = too_deep(text)
        if where:
            raise GlossaryError(
                f"{name}: nested more than {MAX_DEPTH} levels deep at line {where[0]}, column {where[1]}; "
                "the glossary is a flat list of entries: fix the file"
            )
        loader = (NoAliasLoader if "&" in text else StrictLoader)(text)  # duplicate keys, huge integers: errors
        try:
            try:
                root = loader.get_single_node()
                data = loader.construct_document(root) if root is not None else None
            finally:
                loader.dispose()
        except yaml.constructor.ConstructorError as e:
            mark = e.problem_mark
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            tag = re.search(r"tag '([^']*)'", str(e.problem or ""))
            what = f"unsafe or unknown YAML tag {tag.group(1)!r}" if tag else (e.problem or "cannot construct value")
            fix = "the glossary must be plain YAML (remove the tag)" if tag else "fix the file there"
            raise GlossaryError(f"{name}: {what}{where}; {fix}") from None
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = " ".join(str(e.problem or e.context or "syntax error").split())
            raise GlossaryError(f"{name}: malformed YAML{where}: {problem}; fix the YAML syntax there") from None
        except yaml.YAMLError as e:
            raise GlossaryError(f"{name}: malformed YAML: {' '.join(str(e).split())}; fix the YAML syntax") from None

        if data is None:
            raise GlossaryError(f"{name}: the file is empty; write 'version: 1' and a 'terms:' list")
        if not isinstance(data, dict):
            raise GlossaryError(f"{name}: the top level must be a mapping with 'version: 1' and 'terms:'")
        unknown = sorted(str(k) for k in data if k not in ("version", "terms"))
        if unknown:
            raise GlossaryError(f"{name}: unknown top-level key(s) {', '.join(unknown)}; only 'version' and 'terms' are allowed")
        if data.get("version") != 1:
            raise GlossaryError(f"{name}: unsupported or missing version {shown(data.get('version'))}; write 'version: 1'")
        terms = data.get("terms")
        if terms is None:
            terms = []
        if not isinstance(terms, list):
            raise GlossaryError(f"{name}: 'terms' must be a list of entries (each starting with '- en: ...')")
        lines = _entry_lines(root)
        # Duplicate keys inside an entry are silently collapsed by YAML: refuse.
        _check_duplicate_keys(root, name)
        return cls._build(terms, p, lines, name)

    @classmethod
    def from_entries(cls, entries: list[dict], path: str | Path | None = None) -> "Glossary":
        """Build a glossary from entry dicts (same schema as the YAML ``terms``)."""
        p = Path(path) if path is not None else None
        if not isinstance(entries, list):
            raise GlossaryError("glossary entries must be a list of mappings like {'en': ..., 'zh': [...]}")
        return cls._build(entries, p, [], str(p) if p else "glossary")

    @classmethod
    def _build(cls, entries: list[Any], path: Path | None, lines: list[int | None], name: str) -> "Glossary":
        terms: list[Term] = []
        seen_en: dict[str, tuple[Term, int]] = {}
        for i, entry in enumerate(entries):
            line = lines[i] if i < len(lines) else None
            term = _parse_entry(entry, i, line, name)
            prev = seen_en.get(term.id)
            if prev is not None:
                raise GlossaryError(
                    f"{name}: duplicate entries {_label(*prev)} and {_label(term, i)} (same id {term.id!r}); "
                    "merge them into one entry"
                )
            seen_en[term.id] = (term, i)
            terms.append(term)
        return cls(terms, path)

    def _index(self) -> dict[str, dict[str, int]]:
        """Per family: match key -> term index; raises on conflicts."""
        name = str(self.path) if self.path else "glossary"
        index: dict[str, dict[str, int]] = {f: {} for f in _FAMILIES}
        for fam in _FAMILIES:
            pairs = [
                (v, ti)
                for ti, term in enumerate(self.terms)
                for v in (term.variants["en"] if fam == "en" else term.variants[fam] + term.variants["en"])
            ]
            keys = index[fam]
            for (v, ti), k in zip(pairs, _match_keys([v for v, _ in pairs], fam)):
                other = keys.get(k)
                if other is None:
                    keys[k] = ti
                elif other != ti:
                    o, term = self.terms[other], self.terms[ti]
                    raise GlossaryError(
                        f"{name}: conflicting entries: {v!r} maps to {o.en!r} ({_where(o, other)}) and to "
                        f"{term.en!r} ({_where(term, ti)}); keep the variant in only one entry"
                    )
        return index

    # -- accessors -------------------------------------------------------

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"Glossary({len(self.terms)} terms, path={str(self.path) if self.path else None!r}, hash={self.hash})"

    def term(self, term_id: str) -> Term:
        """The term with this id; ``GlossaryError`` if there is none."""
        try:
            return self._by_id[term_id]
        except KeyError:
            raise GlossaryError(f"unknown glossary term id {term_id!r}; check glossary.yaml") from None

    @property
    def hash(self) -> str:
        """``sha256:`` + 12 hex digits over the terms' content (order-independent)."""
        if self._hash is None:
            canon = sorted(
                (
                    {
                        "id": t.id,
                        "en": t.en,
                        "zh": sorted(t.variants["zh"]),
                        "vi": sorted(t.variants["vi"]),
                        "en_variants": sorted(t.en_variants),
                        "note": t.note,
                        "domain": t.domain,
                    }
                    for t in self.terms
                ),
                key=lambda d: d["id"],
            )
            blob = json.dumps(canon, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            self._hash = "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]
        return self._hash

    # -- matching --------------------------------------------------------

    def _automaton(self, family: str) -> _Automaton:
        a = self._automata.get(family)
        if a is None:
            with self._lock:
                a = self._automata.get(family)
                if a is None:
                    a = _Automaton(self._keys[family])
                    self._automata[family] = a
        return a

    def find(self, text: str, lang: str) -> list[Hit]:
        """Glossary terms and non-translatables in ``text``, sorted, non-overlapping.

        ``lang`` is ``zh-Hans``, ``zh-Hant``, ``zh``, ``vi`` or ``en``.  The
        text may be in any Unicode normalisation form; offsets always refer
        to ``text`` itself.  Leftmost-longest wins; non-translatables win over
        terms they overlap.
        """
        return self.find_all([text], lang)[0]

    def find_all(self, texts: Sequence[str], lang: str) -> list[list[Hit]]:
        """:meth:`find` for many texts (e.g. the sentences of a document) in one native pass.

        The texts are joined with newlines (no glossary key holds one), folded
        into match keys once, and searched leftmost-longest by the automaton.
        While every match of a text respects word boundaries and misses its
        non-translatables, those matches *are* the answer (by induction over
        the greedy left-to-right choice); from a text's first match that does
        not, the rest of that text is resolved by :func:`_resolve`.
        """
        family = LANG_FAMILIES.get(lang.lower() if isinstance(lang, str) else lang)
        if family is None:
            raise GlossaryError(f"unknown language {lang!r}; use one of zh-Hans, zh-Hant, zh, vi, en")
        results = [find_nontranslatables(t) for t in texts]
        if not self.terms or not texts:
            return results
        auto = self._automaton(family)
        if auto.fast is None:
            return results
        nfcs: list[str] = []
        maps: list[tuple[list[int], list[int]] | None] = []
        for t in texts:
            nfc, starts, ends = _nfc_with_map(t)
            nfcs.append(nfc)
            maps.append(None if starts is None else (starts, ends))  # type: ignore[arg-type]
        joined = "\n".join(nfcs)
        key = match_key(joined, family)
        # The loop below makes one tuple per hit and no reference cycles; the cyclic
        # GC would otherwise re-scan every live object (a 100k-term glossary is
        # a million) each time enough hits have been made: ~15 % of the time.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._scan(texts, nfcs, maps, joined, key, auto, results)
        finally:
            if gc_was_enabled:
                gc.enable()
        return results

    def _scan(
        self,
        texts: Sequence[str],
        nfcs: list[str],
        maps: list[tuple[list[int], list[int]] | None],
        joined: str,
        key: str,
        auto: _Automaton,
        results: list[list[Hit]],
    ) -> None:
        """The matching loop of :meth:`find_all`: fills ``results`` (which hold the non-translatables)."""
        values = auto.values
        plain = auto.plain
        info = self._info
        rows = auto.rows(info)
        wc = _WORD_CACHE
        make = tuple.__new__

        def close(i: int, hits: list[Hit]) -> None:
            """Store text ``i``'s hits (offsets relative to its NFC form) in original offsets, with its non-translatables."""
            mapping = maps[i]
            if mapping is not None:
                text = texts[i]
                starts, ends = mapping
                hits = [make(Hit, (starts[h[0]], ends[h[1] - 1], text[starts[h[0]] : ends[h[1] - 1]], *h[3:])) for h in hits]
            nts = results[i]
            if nts:
                hits.extend(nts)
                hits.sort(key=lambda h: h.start)
            results[i] = hits

        def nt_spans(i: int) -> list[tuple[int, int]]:
            """Non-translatables of text ``i`` in NFC offsets."""
            nts = results[i]
            mapping = maps[i]
            if mapping is None:
                return [(h.start, h.end) for h in nts]
            starts = mapping[0]
            return [(bisect_left(starts, h.start), bisect_left(starts, h.end)) for h in nts]

        i = -1
        lo = hi = -1  # key range of text i
        hits: list[Hit] = []
        append = hits.append
        nts: list[tuple[int, int]] = []
        failed = False
        for pi, s, e in auto.fast.find_matches_as_indexes(key):
            if s > hi:  # the match is in a later text: close text i, move to the match's text
                if hits:
                    close(i, hits)
                while s > hi:
                    i += 1
                    lo = hi + 1
                    hi = lo + len(nfcs[i])
                hits = []
                append = hits.append
                nts = nt_spans(i) if results[i] else []
                failed = False
            elif failed:
                continue
            if nts or not plain[pi]:
                _, bl, br = values[pi]
                if (bl and s > lo and wc[key[s - 1]]) or (br and e < hi and wc[key[e]]) or (nts and _overlaps(nts, s - lo, e - lo)):
                    failed = True
                    for a, b, t in _resolve(auto, key, lo, hi, s, nts):
                        append(make(Hit, (a, b, joined[lo + a : lo + b], *info[t])))
                    continue
            append(make(Hit, (s - lo, e - lo, joined[s:e], *rows[pi])))
        if hits:
            close(i, hits)


def _resolve(
    auto: _Automaton, key: str, lo: int, hi: int, pos: int, nt_spans: list[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """Leftmost-longest, boundary-respecting matches in ``key[pos:hi]`` (text range ``lo:hi``).

    Returns (start, end, term) relative to ``lo``.  Searches windows of the
    key with the leftmost-longest automaton; a window's matches that start at
    least ``longest`` characters before its end are final (every candidate
    starting there fits in the window).  A match that breaks a word boundary
    or overlaps a non-translatable (``nt_spans``, relative to ``lo``) is
    replaced by the longest valid shorter match at its start, if any, else the
    search goes on one character later.  Linear in ``hi - pos``.
    """
    find = auto.fast.find_matches_as_indexes  # type: ignore[union-attr]
    values = auto.values
    wc = _WORD_CACHE
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
        for pi, s, e in find(key[pos:end]):
            s += pos
            e += pos
            if s >= limit:
                break
            valid, left = check(pi, s, e)
            if valid:
                out.append((s - lo, e - lo, values[pi][0]))
                nxt = max(limit, e)
                continue
            nxt = s + 1
            if not left:  # a shorter match at s may be valid: the longest one that ends before e
                while e - 1 > s:
                    sub = find(key[s : e - 1])
                    if not sub or sub[0][1]:
                        break
                    pi, _, e = sub[0]
                    e += s
                    if check(pi, s, e)[0]:
                        out.append((s - lo, e - lo, values[pi][0]))
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


# --------------------------------------------------------------------------
# Entry parsing
# --------------------------------------------------------------------------


def _label(term: Term, index: int | None = None) -> str:
    return f"{term.en!r} ({_where(term, index)})"


def _where(term: Term, index: int | None = None) -> str:
    if term.line:
        return f"line {term.line}"
    return f"entry #{index + 1}" if index is not None else "entry"


def _entry_lines(root: yaml.Node | None) -> list[int | None]:
    """Start line (1-based) of each item of the top-level ``terms`` list."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for k, v in root.value:
        if isinstance(k, yaml.ScalarNode) and k.value == "terms" and isinstance(v, yaml.SequenceNode):
            return [_mark(item) for item in v.value]
    return []


def _check_duplicate_keys(root: yaml.Node | None, name: str) -> None:
    if not isinstance(root, yaml.MappingNode):
        return
    for k, v in root.value:
        if not (isinstance(k, yaml.ScalarNode) and k.value == "terms" and isinstance(v, yaml.SequenceNode)):
            continue
        for item in v.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            seen: set[str] = set()
            for kk, _ in item.value:
                if isinstance(kk, yaml.ScalarNode):
                    if kk.value in seen:
                        raise GlossaryError(
                            f"{name}: key {kk.value!r} appears twice in the entry at line {_mark(item)}; "
                            "merge the two lists into one"
                        )
                    seen.add(kk.value)


def _strings(value: Any, what: str, ctx: str, name: str) -> tuple[str, ...]:
    """A str or list of str -> tuple of cleaned, non-empty, de-duplicated strings."""
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, list):
        items = value
    else:
        raise GlossaryError(
            f"{name}: {what} of {ctx} must be a string or a list of strings, not {type(value).__name__}; quote it"
        )
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise GlossaryError(
                f"{name}: {what} of {ctx} contains {shown(item)} ({type(item).__name__}), not a string; quote it"
            )
        clean = _clean_variant(item)
        if not clean:
            raise GlossaryError(f"{name}: {what} of {ctx} contains an empty variant; remove it or fill it in")
        if clean not in out:
            out.append(clean)
    if not out:
        raise GlossaryError(f"{name}: {what} of {ctx} is empty; list at least one variant or remove the key")
    return tuple(out)


def _parse_entry(entry: Any, index: int, line: int | None, name: str) -> Term:
    where = f"line {line}" if line else f"#{index + 1}"
    if not isinstance(entry, dict):
        raise GlossaryError(
            f"{name}: terms entry {where} must be a mapping like '- en: ...', not {type(entry).__name__}"
        )
    en_raw = entry.get("en")
    ctx = f"the entry at {where}" + (f" ({en_raw!r})" if isinstance(en_raw, str) else "")
    for k in entry:
        if not isinstance(k, str) or (k not in _ENTRY_KEYS and k.lower() not in _SOURCE_KEYS):
            raise GlossaryError(
                f"{name}: unknown language key {k!r} in {ctx}; allowed keys: {_ALLOWED_KEYS_MSG}"
            )
    if en_raw is None:
        raise GlossaryError(f"{name}: {ctx} has no 'en'; add the English form (en: ...)")
    if not isinstance(en_raw, str):
        raise GlossaryError(f"{name}: 'en' of {ctx} must be a string, not {type(en_raw).__name__}; quote it")
    en = _clean_variant(en_raw)
    if not en:
        raise GlossaryError(f"{name}: {ctx} has an empty 'en'; write the English form")
    ctx = f"the entry at {where} ({en!r})"
    variants: dict[str, list[str]] = {"zh": [], "vi": []}
    for k, v in entry.items():
        fam = _SOURCE_KEYS.get(k.lower()) if k not in _ENTRY_KEYS else None
        if fam is None:
            continue
        for s in _strings(v, repr(k), ctx, name):
            if s not in variants[fam]:
                variants[fam].append(s)
    if not variants["zh"] and not variants["vi"]:
        raise GlossaryError(f"{name}: {ctx} has no source variants; add zh: and/or vi:")
    en_variants: tuple[str, ...] = ()
    if entry.get("en_variants") is not None:
        en_variants = tuple(s for s in _strings(entry["en_variants"], "'en_variants'", ctx, name) if s != en)
    note = entry.get("note")
    domain = entry.get("domain")
    for key_name, val in (("note", note), ("domain", domain)):
        if val is not None and not isinstance(val, str):
            raise GlossaryError(f"{name}: {key_name!r} of {ctx} must be a string; quote it")
    term_id = _slug(en)
    if not term_id:
        raise GlossaryError(f"{name}: 'en' of {ctx} has no letters or digits to make an id from; fix the English form")
    return Term(
        id=term_id,
        en=en,
        variants={"zh": tuple(variants["zh"]), "vi": tuple(variants["vi"]), "en": (en, *en_variants)},
        en_variants=en_variants,
        note=note.strip() if isinstance(note, str) and note.strip() else None,
        domain=domain.strip() if isinstance(domain, str) and domain.strip() else None,
        line=line,
    )
