"""The glossary entry model: :class:`Term`, :class:`Hit` and parsing one YAML entry."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from workbench.errors import GlossaryError
from workbench.yaml_guard import shown
from workbench.glossary.normalize import _clean_variant

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



_SLUG_RE = re.compile(r"[^0-9a-z]+")


def _slug(en: str) -> str:
    """Stable id: ASCII-folded, lower case, runs of other characters -> "-"."""
    s = unicodedata.normalize("NFKD", en).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_RE.sub("-", s).strip("-")


def _mark(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


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

