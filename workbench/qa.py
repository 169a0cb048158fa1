"""QA checks of one segment: glossary terms, numbers and non-translatables in the target.

Flags are short strings stored with each segment (``missing-term:security-council``,
``number:2021``, ``lost-nt:S/2015/446``, ``no-mt``) so that reviewers, ``status`` and
the review page can filter on them.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

from workbench.formats.tags import tag_flags
from workbench.glossary import Glossary, Hit, contains_term
from workbench.store import TermUse

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

#: The answers for the target checked last (per thread): a segment's hits are checked one by
#: one against the same target, often many hits of one term, and each check reads the whole
#: target, so without this a long segment costs hits x length (a 10 MB line never finishes).
_LAST = threading.local()


def _numbers(text: str) -> list[str]:
    """Digit strings with thousands/decimal separators removed ("2.000" and "2,000" agree)."""
    return [re.sub(r"[.,]", "", m.group()) for m in _NUMBER.finditer(text)]


def hit_applied(hit: Hit, target: str, glossary: Glossary | None = None) -> bool:
    """Is the hit's English rendering (or an accepted English variant) in ``target``?"""
    if hit.kind == "nt":
        key: tuple[str, str | None] = ("nt", hit.surface)
    elif glossary is not None and hit.term_id is not None:
        key = ("term", hit.term_id)
    else:
        key = ("en", hit.en)
    if getattr(_LAST, "target", None) is not target or getattr(_LAST, "glossary", None) is not glossary:
        _LAST.target, _LAST.glossary, _LAST.answers = target, glossary, {}
    answers: dict[tuple[str, str | None], bool] = _LAST.answers
    found = answers.get(key)
    if found is None:
        if key[0] == "nt":
            found = hit.surface in target
        elif key[0] == "term":
            assert glossary is not None and hit.term_id is not None
            found = contains_term(target, glossary.term(hit.term_id))
        else:
            found = contains_term(target, hit.en)
        answers[key] = found
    return found


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
        # numbers inside glossary terms are the glossary's business ("2019冠状病毒病" -> "COVID-19")
        # (one replace per distinct term, not per use: a long segment has thousands of uses)
        for surface, n in Counter(u.source for u in uses if u.term).items():
            source = source.replace(surface, " ", n)
        for en, n in Counter(u.en for u in uses if u.term).items():
            target = target.replace(en, " ", n)
        missing = _missing_numbers(source, target)
        flags.extend(f"number:{n}" for n in missing)
        flags.extend(tag_flags(source, target))  # .docx/.html placeholders lost or added (workbench.formats.tags)
    return sorted(set(flags), key=flags.index)


_MONTHS = "january february march april may june july august september october november december".split()
#: Month numbers in sources: 4月 (zh), tháng 4 / tháng 4/2021 (vi), 30/1 (vi day/month).
_MONTH_NUMBER = re.compile(
    r"(?<![\d.,])(1[0-2]|0?[1-9])\s*月|[Tt]háng\s+(1[0-2]|0?[1-9])(?!\d)|(?<![\d/])\d{1,2}/(1[0-2]|0?[1-9])(?![\d])"
)


def _missing_numbers(source: str, target: str) -> list[str]:
    have = Counter(_numbers(target))
    # "4月" is April in English: a month named in the target accounts for it
    lowered = target.lower()
    named = {number: _MONTHS[number - 1] in lowered for number in range(1, 13)} if _MONTH_NUMBER.search(source) else {}
    months: Counter[str] = Counter()
    for m in _MONTH_NUMBER.finditer(source):
        number = int(next(g for g in m.groups() if g))
        if named[number]:
            months[str(number)] += 1
    out = []
    for n in _numbers(source):
        if months[n] > 0 and have[n] == 0:
            months[n] -= 1
            continue
        if have[n] > 0:
            have[n] -= 1
        else:
            out.append(n)
    return out
