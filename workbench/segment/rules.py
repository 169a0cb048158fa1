"""Language codes and the data-driven rule tables (``workbench/data/segment/*.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbench.errors import InputError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "segment"


@lru_cache(maxsize=256)
def normalize_lang(lang: str) -> str:
    """Map a language tag to the rule family: ``"zh"``, ``"vi"`` or ``"en"``.

    The tag goes through the one language-tag function, :func:`workbench.ingest.normalize_lang`
    (langcodes: zh_CN, zh-TW, zh-Hant-TW, zt, vi_VN, en-GB ...), so ``segment`` accepts and refuses
    exactly what ``translate`` does. Raises :class:`InputError` (listing the choices) otherwise.
    """
    from workbench.ingest import normalize_lang as normalize_tag

    code = normalize_tag(lang)
    return "zh" if code.startswith("zh") else code


@dataclass(frozen=True)
class LatinRules:
    """Abbreviation classes and thresholds of en.json / vi.json (see their ``_doc``)."""

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
class ZhRules:
    """Terminators, continuation words and protected brackets of zh.json."""

    strong: frozenset[str]
    weak_ascii: frozenset[str]
    no_break_before: frozenset[str]
    continuation: tuple[str, ...]
    continuation_first: frozenset[str]
    continuation_exceptions: tuple[str, ...]
    protected: tuple[tuple[str, str], ...]


def _load_json(name: str) -> dict[str, Any]:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@lru_cache(maxsize=None)
def latin_rules(family: str) -> LatinRules:
    data = _load_json(f"{family}.json")
    return LatinRules(
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
def zh_rules() -> ZhRules:
    data = _load_json("zh.json")
    return ZhRules(
        strong=frozenset(data["strong"]),
        weak_ascii=frozenset(data["weak_ascii"]),
        no_break_before=frozenset(data["no_break_before"]),
        continuation=tuple(data.get("continuation_words", ())),
        continuation_first=frozenset(w[0] for w in data.get("continuation_words", ()) if w),
        continuation_exceptions=tuple(data.get("continuation_exceptions", ())),
        protected=tuple((p[0], p[1]) for p in data["protected"]),
    )
