"""QA checks of one segment: glossary terms, numbers and non-translatables in the target.

Flags are short strings stored with each segment (``missing-term:security-council``,
``number:2021``, ``lost-nt:S/2015/446``, ``no-mt``) so that reviewers, ``status`` and
the review page can filter on them.
"""

from __future__ import annotations

import re

from workbench.glossary import Glossary, Hit, contains_term
from workbench.store import TermUse

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers(text: str) -> list[str]:
    """Digit strings with thousands/decimal separators removed ("2.000" and "2,000" agree)."""
    return [re.sub(r"[.,]", "", m.group()) for m in _NUMBER.finditer(text)]


def hit_applied(hit: Hit, target: str, glossary: Glossary | None = None) -> bool:
    """Is the hit's English rendering (or an accepted English variant) in ``target``?"""
    if hit.kind == "nt":
        return hit.surface in target
    if glossary is not None and hit.term_id is not None:
        return contains_term(target, glossary.term(hit.term_id))
    return contains_term(target, hit.en)


def term_uses(hits: list[Hit], target: str, method: str, glossary: Glossary | None = None) -> list[TermUse]:
    """What became of each glossary hit in ``target``."""
    uses = []
    for h in hits:
        applied = hit_applied(h, target, glossary)
        uses.append(TermUse(term=h.term_id, source=h.surface, en=h.en, applied=applied, method=method if applied else "missing"))
    return uses


def flags_for(source: str, target: str, uses: list[TermUse], *, source_lang: str, is_mt: bool) -> list[str]:
    """QA flags for a segment's current target."""
    flags: list[str] = []
    if not is_mt and source_lang != "en":
        flags.append("no-mt")
    for u in uses:
        if not u.applied:
            flags.append(f"missing-term:{u.term}" if u.term else f"lost-nt:{u.source}")
    if target.strip():
        missing = _missing_numbers(source, target)
        flags.extend(f"number:{n}" for n in missing)
    return sorted(set(flags), key=flags.index)


def _missing_numbers(source: str, target: str) -> list[str]:
    have = _numbers(target)
    out = []
    for n in _numbers(source):
        if n in have:
            have.remove(n)
        else:
            out.append(n)
    return out
