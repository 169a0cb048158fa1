"""Match keys: NFC, Traditional->Simplified per character (OpenCC), case, dashes, Vietnamese tone placement."""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from typing import Any, Iterable




#: Language codes accepted by :meth:`Glossary.find`, mapped to their family.
LANG_FAMILIES: dict[str, str] = {
    "zh-hans": "zh",
    "zh-hant": "zh",
    "zh": "zh",
    "vi": "vi",
    "en": "en",
}
_FAMILIES = ("zh", "vi", "en")

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


class _KeyTable(dict):
    """The zh match-key ``translate`` table of every character met so far (code point -> code
    point; unchanged ones map to themselves): the same folding as :func:`_zh_table`, without a
    ``set`` of each text (which costs more than the ``translate`` itself). A character is
    folded (learned from OpenCC) the first time a text holds it."""

    def __missing__(self, o: int) -> int:
        c = chr(o)
        if c in _DASH_CHARS:  # dashes win over width, width over t2s, as in _zh_table
            v = 0x20
        elif 0xFF01 <= o <= 0xFF5E or o == 0x3000:
            v = _FULLWIDTH[o]
        else:
            if c not in _T2S_SEEN:
                _learn_chars(c)
            v = ord(_T2S_CACHE.get(c, c))
        self[o] = v
        return v


_KEY_TABLE = _KeyTable()

_LUT: Any = None  # numpy code point -> match-key code point map (zh), see _zh_fold_large
_LUT_SYNCED = 0  # how many _T2S_CACHE entries _LUT holds
_LEARNED: Any = None  # numpy bool per code point: already given to _learn_chars
_LARGE = 200_000  # texts longer than this are folded with numpy (importing it and building the table take ~0.1 s: a dict lookup per character is cheaper below this)
_NUMPY_MIN = 1_000  # when numpy is imported already (translate's engine imports it), texts longer than this use it


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
        n = len(text)
        if n > _LARGE or (n > _NUMPY_MIN and "numpy" in sys.modules):
            return _lower_same_length(_zh_fold_large(text))
        return _lower_same_length(text.translate(_KEY_TABLE))
    text = _lower_same_length(text)
    if _DASHES_RE.search(text):
        text = _DASHES_RE.sub(" ", text)
    if family == "vi":
        text = _vi_fold(text)
    return text


# Vietnamese spelling variants that mean the same word, folded in match keys (same length):
# * tone-mark placement in oa/oe/uy: "hoà" = "hòa", "thuỷ" = "thủy", "khoẻ" = "khỏe";
# * final y/i after a consonant: "Kỳ" = "Kì", "lý" = "lí", "Mỹ" = "Mĩ".
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook above, tilde, dot below
_VI_PAIRS: dict[str, str] = {}
for _first, _second in (("o", "a"), ("o", "e"), ("u", "y")):
    for _t in _TONES:
        _VI_PAIRS[_first + unicodedata.normalize("NFC", _second + _t)] = unicodedata.normalize("NFC", _first + _t) + _second
_VI_PAIR_RE = re.compile(  # "o[àá...]|u[ỳý...]": a character class first, so the scan skips fast
    "|".join(f"{re.escape(f)}[{''.join(sorted({k[1] for k in _VI_PAIRS if k[0] == f}))}]" for f in sorted({k[0] for k in _VI_PAIRS}))
)
_VI_Y = {unicodedata.normalize("NFC", "y" + t): unicodedata.normalize("NFC", "i" + t) for t in ("", *_TONES)}
_VI_Y_RE = re.compile(f"[{''.join(_VI_Y)}](?<=[bcdđghklmnpqrstvx][{''.join(_VI_Y)}])(?![^\\W\\d_])")  # the y first: fast scan


def _vi_fold(text: str) -> str:
    """Fold the Vietnamese spelling variants above (text already lower case, NFC)."""
    text = _VI_PAIR_RE.sub(lambda m: _VI_PAIRS[m.group()], text)
    return _VI_Y_RE.sub(lambda m: _VI_Y[m.group()], text)


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




class _WordCache(dict):
    """char -> is it a word character (memoised :func:`_is_word_char`)."""

    def __missing__(self, c: str) -> bool:
        v = _is_word_char(c)
        self[c] = v
        return v


#: char -> :func:`_is_word_char`, memoised (the matcher's boundary checks).
WORD_CACHE = _WordCache()
