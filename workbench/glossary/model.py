"""The glossary entry model: :class:`Term`, :class:`Hit` and parsing one YAML entry."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple

import yaml

from workbench.errors import GlossaryError, InputError
from workbench.yaml_guard import shown
from workbench.glossary.normalize import _clean_variant

_SOURCE_KEYS = {"zh": "zh", "zh-hans": "zh", "zh-hant": "zh", "zh-tw": "zh", "vi": "vi"}
#: English-side and descriptive keys of an entry (see the top of glossary.yaml).
_LIST_KEYS = ("en_variants", "deprecated", "forbidden", "scope", "not_after", "not_before", "not_in")
_TEXT_KEYS = ("note", "domain", "definition", "source", "abbreviation", "singular", "plural", "pos")
_ENTRY_KEYS = {"en", "id", "case_sensitive", *_LIST_KEYS, *_TEXT_KEYS}
_ALLOWED_KEYS_MSG = "en, id, zh (or zh-Hans/zh-Hant), zh-TW, vi, " + ", ".join((*_LIST_KEYS, *_TEXT_KEYS, "case_sensitive"))
#: Scopes a document can select (``Glossary.scoped``); an entry without ``scope`` applies everywhere.
SCOPES = ("UN", "ASEAN", "CICA", "mainland", "Taiwan")


def parse_scopes(values: Iterable[str]) -> tuple[str, ...]:
    """The scopes a user selected (``--scope ASEAN``; any case; ``all`` = no selection, every
    entry), in :data:`SCOPES` order. Unknown names: :class:`InputError` naming the choices."""
    by_lower = {s.lower(): s for s in SCOPES}
    chosen: set[str] = set()
    for v in values:
        for name in str(v).replace("+", ",").split(","):
            name = name.strip()
            if not name or name.lower() == "all":
                continue
            if name.lower() not in by_lower:
                raise InputError(f"unknown glossary scope {name!r}; use {', '.join(SCOPES)} (or all: every entry)")
            chosen.add(by_lower[name.lower()])
    return tuple(s for s in SCOPES if s in chosen)


#: Parts of speech an entry may declare (``pos``).
POS = ("noun", "proper noun", "verb", "adjective", "adverb", "other")
#: Statuses of the English forms, from the entry keys that hold them (TBX administrativeStatus values).
STATUSES = {"en": "preferred", "en_variants": "admitted", "deprecated": "deprecated", "forbidden": "forbidden"}


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
    en_variants: tuple[str, ...] = ()  # admitted English forms
    note: str | None = None
    domain: str | None = None
    line: int | None = field(default=None, compare=False)
    deprecated: tuple[str, ...] = ()  # English forms QA flags (warning)
    forbidden: tuple[str, ...] = ()  # English forms QA flags (error)
    case_sensitive: bool = False  # the English forms must appear with this case ("member States")
    definition: str | None = None
    source: str | None = None  # where the English comes from, e.g. "UNTERM 1234" or a URL
    scope: tuple[str, ...] = ()  # UN, ASEAN, CICA, mainland, Taiwan; empty = everywhere
    zh_tw: tuple[str, ...] = ()  # Taiwan usage forms (also in variants["zh"])
    abbreviation: str | None = None  # the English abbreviation, for "(ABBR)" after the full name
    singular: str | None = None  # singular English when the source says "each"/"one"
    plural: str | None = None  # plural English after a number ("3 Bộ trưởng" -> "3 Ministers")
    pos: str | None = None
    not_after: tuple[str, ...] = ()  # source contexts the entry must not match in
    not_before: tuple[str, ...] = ()
    not_in: tuple[str, ...] = ()

    def statuses(self) -> list[tuple[str, str]]:
        """Every English form with its status: (form, preferred|admitted|deprecated|forbidden)."""
        return [(self.en, "preferred"), *((f, "admitted") for f in self.en_variants), *((f, "deprecated") for f in self.deprecated), *((f, "forbidden") for f in self.forbidden)]

    def info(self) -> dict[str, Any]:
        """The metadata a reviewer is shown (review page glossary panel, ``review show --json``)."""
        d: dict[str, Any] = {"id": self.id, "en": self.en, "forms": [{"en": f, "status": st} for f, st in self.statuses()]}
        for key in ("definition", "note", "source", "domain", "pos", "abbreviation"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        if self.scope:
            d["scope"] = list(self.scope)
        if self.case_sensitive:
            d["case_sensitive"] = True
        return d


@dataclass(frozen=True)
class Candidate:
    """A doubtful glossary hit: shown to the reviewer and counted, never inserted."""

    start: int
    end: int
    surface: str
    en: str
    term_id: str
    reason: str  # "inside the word 白俄罗斯", "across the words of 协调解决"


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
    zh_tw = tuple(s for k, v in entry.items() if k.lower() == "zh-tw" for s in _strings(v, repr(k), ctx, name))
    lists: dict[str, tuple[str, ...]] = {}
    for key_name in _LIST_KEYS:
        if entry.get(key_name) is not None:
            lists[key_name] = _strings(entry[key_name], repr(key_name), ctx, name)
    en_variants = tuple(s for s in lists.get("en_variants", ()) if s != en)
    texts: dict[str, str | None] = {}
    for key_name in _TEXT_KEYS:
        val = entry.get(key_name)
        if val is not None and not isinstance(val, str):
            raise GlossaryError(f"{name}: {key_name!r} of {ctx} must be a string, not {type(val).__name__}; quote it")
        texts[key_name] = val.strip() if isinstance(val, str) and val.strip() else None
    case = entry.get("case_sensitive", False)
    if not isinstance(case, bool):
        raise GlossaryError(f"{name}: 'case_sensitive' of {ctx} must be true or false")
    for bad in lists.get("scope", ()):
        if bad not in SCOPES:
            raise GlossaryError(f"{name}: unknown scope {bad!r} in {ctx}; use one of {', '.join(SCOPES)}")
    if texts["pos"] is not None and texts["pos"] not in POS:
        raise GlossaryError(f"{name}: unknown pos {texts['pos']!r} in {ctx}; use one of {', '.join(POS)}")
    accepted = {f.casefold() for f in (en, *en_variants)}
    for key_name in ("deprecated", "forbidden"):
        for f in lists.get(key_name, ()):
            if f.casefold() in accepted and not (case and f not in (en, *en_variants)):
                raise GlossaryError(f"{name}: {f!r} in {ctx} is both accepted and {key_name}; keep it in one list")
    term_id = _slug(en)
    if entry.get("id") is not None:
        raw_id = entry["id"]
        if not isinstance(raw_id, str) or _slug(raw_id) != raw_id:
            raise GlossaryError(f"{name}: 'id' of {ctx} must be lower-case letters, digits and '-' (like {_slug(str(raw_id)) or 'my-term'!r})")
        term_id = raw_id
    if not term_id:
        raise GlossaryError(f"{name}: 'en' of {ctx} has no letters or digits to make an id from; fix the English form")
    return Term(
        id=term_id,
        en=en,
        variants={"zh": tuple(variants["zh"]), "vi": tuple(variants["vi"]), "en": (en, *en_variants)},
        en_variants=en_variants,
        note=texts["note"],
        domain=texts["domain"],
        line=line,
        deprecated=lists.get("deprecated", ()),
        forbidden=lists.get("forbidden", ()),
        case_sensitive=case,
        definition=texts["definition"],
        source=texts["source"],
        scope=lists.get("scope", ()),
        zh_tw=zh_tw,
        abbreviation=texts["abbreviation"],
        singular=texts["singular"],
        plural=texts["plural"],
        pos=texts["pos"],
        not_after=lists.get("not_after", ()),
        not_before=lists.get("not_before", ()),
        not_in=lists.get("not_in", ()),
    )
