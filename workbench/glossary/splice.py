"""Fast glossary edits: locate entries from the loaded glossary's line numbers, and validate a
one-entry change by parsing that entry only.

``glossary add/edit/remove`` used to parse the whole file twice more (ruamel round trip to
locate the entries, a full reload of the new text to validate it): ~11 s on 10,000 terms.
Here the entries are located from :attr:`Term.line` and the text's own lines, and the new
glossary is the old one with one entry parsed, added, replaced or removed (later entries'
line numbers shifted), then indexed, which checks every conflict the full load checks. The
result is stored in the glossary cache under the new text's key, so the next command starts
warm.  Anything this module does not recognise as a plain block list of entries makes it
return None, and :mod:`workbench.glossary.edit` falls back to the full round trip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from workbench.errors import GlossaryError
from workbench.glossary import cache
from workbench.glossary.core import Glossary, _en_keys
from workbench.glossary.normalize import _match_keys
from workbench.glossary.model import Term, _check_duplicate_keys, _entry_lines, _parse_entry
from workbench.yaml_guard import StrictLoader

_TOP_KEY = re.compile(r"[^\s#\-][^:]*:")
_TERMS = re.compile(r"terms\s*:\s*(#.*)?$")
_INDENTED = frozenset(" \t#-\r\n")
_FLOW = re.compile(r"^[ \t]+[\w-]+[ \t]*:[ \t]*\[", re.M)
_BLOCK = re.compile(r"^[ \t]+[\w-]+[ \t]*:[ \t]*(#.*)?\r?$", re.M)


@dataclass
class Layout:
    """Where the ``terms`` list and its entries are: 0-based lines, as ``_GlossaryText`` keeps them."""

    terms_line: int
    terms_end: int
    spans: list[tuple[int, int, int]]  # (start, body_end, end) per entry
    seq_indent: int
    offset: int


def _gap(line: str) -> bool:
    s = line.strip()
    return not s or s.startswith("#")


def plain_breaks(text: str) -> bool:
    """Are all line breaks ``\n`` or ``\r\n`` (as YAML counts lines, so line numbers can be shifted)?"""
    return text.count("\r") == text.count("\r\n") and not any(c in text for c in "\x85\u2028\u2029")


def locate(lines: list[str], g: Glossary) -> Layout | None:
    """The layout of a plain glossary file (``terms:`` then ``- en: ...`` block entries), or None."""
    if not g.terms or any(t.line is None for t in g.terms):
        return None
    tops = [i for i, ln in enumerate(lines) if ln[:1] not in _INDENTED and _TOP_KEY.match(ln)]
    terms = [i for i in tops if _TERMS.match(lines[i].rstrip("\r\n"))]
    if len(terms) != 1:
        return None
    terms_line = terms[0]
    terms_end = min((i for i in tops if i > terms_line), default=len(lines))
    while terms_end > 0 and _gap(lines[terms_end - 1]) and terms_end - 1 > terms_line:
        terms_end -= 1
    starts = []
    for t in g.terms:
        i = t.line - 1  # type: ignore[operator]
        if not (terms_line < i < terms_end) or not lines[i].lstrip().startswith("- ") or (starts and i <= starts[-1]):
            return None  # a lone "-" line, a flow entry, entries out of order: the full round trip
        starts.append(i)
    first = lines[starts[0]]
    dash = first.find("-")
    col = dash + 1 + (len(first) - dash - 1 - len(first[dash + 1 :].lstrip(" ")))
    spans = []
    for n, s in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else terms_end
        b = end
        while b > s + 1 and _gap(lines[b - 1]):
            b -= 1
        spans.append((s, b, end))
    return Layout(terms_line, terms_end, spans, col, dash)


def flow_lists(lines: list[str], layout: Layout) -> bool:
    """Are the entries' lists mostly written ``[a, b]`` (flow) rather than as ``- a`` lines?"""
    region = "".join(lines[layout.terms_line + 1 : layout.terms_end])
    return len(_FLOW.findall(region)) >= len(_BLOCK.findall(region))


def changed_glossary(old: Glossary, path: Path, new_text: str, old_lines: int, op: str, index: int, entry_text: str | None, entry_line: int | None) -> Glossary:
    """The glossary of ``new_text``: ``old`` with entry ``index`` added (``op`` "add": the new
    entry is at position ``index``), replaced ("edit") or removed ("remove").

    ``entry_text`` is the new entry's YAML (``"  - en: ...\\n    zh: [...]\\n"``) and
    ``entry_line`` its 1-based line in ``new_text``. Raises GlossaryError (ending in
    "after the change; nothing was written") as a full reload would.
    """
    name = str(path)
    terms = list(old.terms)
    new_term = None
    if entry_text is not None:
        new_term = _parse_one(entry_text, entry_line or 1, index, name)
    delta = new_text.count("\n") - old_lines
    if op == "add":
        terms[index:] = [new_term, *(_shift(t, delta) for t in terms[index:])]
    elif op == "edit":
        terms[index] = new_term
        terms[index + 1 :] = [_shift(t, delta) for t in terms[index + 1 :]]
    else:
        del terms[index]
        terms[index:] = [_shift(t, delta) for t in terms[index:]]
    if new_term is not None:
        for i, t in enumerate(terms):
            if t.id == new_term.id and t is not new_term:
                raise GlossaryError(
                    f"{name}: duplicate entries {t.en!r} (line {t.line}) and {new_term.en!r} (line {new_term.line}) "
                    f"(same id {t.id!r}); merge them into one entry (after the change; nothing was written)"
                )
    g = Glossary(terms, path, _keys=_reindexed(old, terms, op, index, name))
    key = cache.key_for(new_text.encode("utf-8"))
    g._cache_key = key  # noqa: SLF001 - this module builds what Glossary.load would have cached
    g._save_cache()  # noqa: SLF001 - without the hash: computed when first asked for
    return g


def _reindexed(old: Glossary, terms: list[Term], op: str, index: int, name: str) -> dict[str, dict[str, int]]:
    """``old``'s match-key index with entry ``index`` added, replaced or removed (later entries
    renumbered); the same conflicts as :meth:`Glossary._index` over all of ``terms``."""
    gone = -1 if op == "add" else index
    step = 1 if op == "add" else -1 if op == "remove" else 0
    out: dict[str, dict[str, int]] = {}
    for fam, keys in old._keys.items():  # noqa: SLF001
        out[fam] = {k: (ti + step if ti >= index else ti) for k, ti in keys.items() if ti != gone}
        if op == "remove":
            continue
        t = terms[index]
        forms = _en_keys(t) if fam == "en" else t.variants[fam] + _en_keys(t)
        for v, k in zip(forms, _match_keys(list(forms), fam)):
            other = out[fam].get(k)
            if other is None:
                out[fam][k] = index
            elif other != index:
                o = terms[other]
                raise GlossaryError(
                    f"{name}: conflicting entries: {v!r} maps to {o.en!r} (line {o.line}) and to {t.en!r} "
                    f"(line {t.line}); keep the variant in only one entry (after the change; nothing was written)"
                )
    return out


def _shift(t: Term, delta: int) -> Term:
    """``t`` with its line moved by ``delta`` (a copy: terms are frozen)."""
    if not delta:
        return t
    moved = object.__new__(Term)
    moved.__dict__.update(t.__dict__)
    moved.__dict__["line"] = t.line + delta  # type: ignore[operator]
    return moved


def _parse_one(entry_text: str, line: int, index: int, name: str) -> Term:
    """One entry's YAML, parsed and checked as Glossary.load checks an entry."""
    text = "terms:\n" + entry_text.replace("\r\n", "\n")
    loader = StrictLoader(text)
    try:
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root)
        finally:
            loader.dispose()
    except yaml.YAMLError as e:  # pragma: no cover - ruamel rendered it
        raise GlossaryError(f"{name}: the changed entry is not valid YAML ({' '.join(str(e).split())}); nothing was written") from None
    if not (isinstance(data, dict) and isinstance(data.get("terms"), list) and len(data["terms"]) == 1):  # pragma: no cover
        raise GlossaryError(f"{name}: the changed entry did not render as one entry; nothing was written")
    first = _entry_lines(root)[0] or 2
    try:
        _check_duplicate_keys(root, name)
        return _parse_entry(data["terms"][0], index, line + first - 2, name)
    except GlossaryError as exc:
        raise GlossaryError(f"{exc} (after the change; nothing was written)") from None
