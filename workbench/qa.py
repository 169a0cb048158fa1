"""QA checks of one segment: glossary terms, numbers, untranslated source, deprecated forms.

Flags are short strings stored with each segment so that reviewers, ``status`` and the
review page can filter on them; the part before ``:`` is the *kind*:

========================  =======  ==========================================================
flag                      level    meaning
========================  =======  ==========================================================
``missing-term:<id>``     error    a glossary term of the source is not rendered (the expected
                                   English is the segment's ``terms[].en``; :func:`expected`)
``forbidden:<id>``        error    the target uses a form the glossary forbids
``number:<n>``            error    a number, date or amount of the source is not in the target
                                   (after normalisation: "488 000" = "488,000", 第四十七届 =
                                   "forty-seventh", 4月 = "April", 194.4亿 = "19.44 billion")
``lost-nt:<text>``        error    a UN symbol, URL or e-mail address was lost
``untranslated:<text>``   error    Han script or Vietnamese-only letters left in the English
``no-mt``                 error    a copy-engine draft that is still mostly source text: it
                                   stays until a human has replaced the source, approved or not
``deprecated:<id>``       warning  the target uses a deprecated form ("Vietnam")
``candidate:<id>``        info     a doubtful glossary hit (a variant inside a longer word):
                                   shown to the reviewer, never inserted
``memory-match``          info     the draft came from a reviewed translation elsewhere
========================  =======  ==========================================================

A reviewer may *dismiss* a flag with a reason (:func:`open_flags` leaves dismissed ones
out); approving a segment that still has an open error-level flag needs an override.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from decimal import Decimal
from typing import Iterable

from workbench import autotrans
from workbench.formats.tags import strip_tags, tag_flags
from workbench.glossary import Glossary, Hit, Term, contains_term
from workbench.store import TermUse

__all__ = ["LEVELS", "level", "open_flags", "blocking", "hit_applied", "term_uses", "flags_for", "mostly_source", "expected"]

#: Flag kind -> level.
LEVELS = {
    "missing-term": "error",
    "forbidden": "error",
    "number": "error",
    "lost-nt": "error",
    "untranslated": "error",
    "no-mt": "error",
    "tag": "error",
    "deprecated": "warning",
    "candidate": "info",
    "memory-match": "info",
}

#: The answers for the target checked last (per thread): a segment's hits are checked one by
#: one against the same target, often many hits of one term, and each check reads the whole
#: target, so without this a long segment costs hits x length (a 10 MB line never finishes).
_LAST = threading.local()


def level(flag: str) -> str:
    """"error", "warning" or "info" (unknown kinds count as warnings)."""
    return LEVELS.get(flag.split(":", 1)[0], "warning")


def open_flags(flags: Iterable[str], dismissed: dict[str, str] | None) -> list[str]:
    """The flags a reviewer has not dismissed."""
    gone = dismissed or {}
    return [f for f in flags if f not in gone]


def blocking(flags: Iterable[str], dismissed: dict[str, str] | None = None) -> list[str]:
    """Open error-level flags: approving needs an explicit override while there are any."""
    return [f for f in open_flags(flags, dismissed) if level(f) == "error"]


def expected(flag: str, uses: list[TermUse]) -> str | None:
    """The English a ``missing-term:<id>`` flag expects (from the segment's term uses)."""
    kind, _, tid = flag.partition(":")
    if kind != "missing-term":
        return None
    return next((u.en for u in uses if u.term == tid), None)


# ---------------------------------------------------------------- terms


def _contains_cased(target: str, term: Term) -> bool:
    """``contains_term`` for a case-sensitive entry: a form must appear with its own case
    ("member States" is not "Member States"); a capital first letter is allowed only where a
    sentence starts."""
    if not contains_term(target, term):
        return False
    for form in (term.en, *term.en_variants, *(x for x in (term.singular, term.plural) if x)):
        body = re.escape(form[1:]).replace(r"\ ", r"[\s\-]+") + r"(?:s|es)?(?!\w)"
        if re.search(r"(?<!\w)" + re.escape(form[:1]) + body, target):
            return True
        if form[:1].islower() and re.search(r"(?:^|[.!?:;]\s+|[\"“(]\s*)" + re.escape(form[:1].upper()) + body, target):
            return True
    return False


def _auto_applied(hit: Hit, target: str) -> bool:
    """Are the numbers of an auto-translatable's English all in the target?"""
    want = Counter(v for _, v in autotrans.number_values(hit.en, "en"))
    have = Counter(v for _, v in autotrans.number_values(target, "en"))
    return all(have[v] >= n for v, n in want.items())


def hit_applied(hit: Hit, target: str, glossary: Glossary | None = None) -> bool:
    """Is the hit's English rendering (or an accepted English variant) in ``target``?"""
    if hit.kind == "nt":
        key: tuple[str, str | None] = ("nt", hit.surface)
    elif hit.kind == "auto":
        key = ("auto", hit.en)
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
        elif key[0] == "auto":
            found = _auto_applied(hit, target)
        elif key[0] == "term":
            assert glossary is not None and hit.term_id is not None
            term = glossary.term(hit.term_id)
            found = _contains_cased(target, term) if term.case_sensitive else contains_term(target, term)
            if not found and not term.case_sensitive and (term.singular or term.plural):
                found = contains_term(target, term.singular or term.plural or "")
        else:
            found = contains_term(target, hit.en)
        answers[key] = found
    return found


def term_uses(hits: list[Hit], target: str, method: str, glossary: Glossary | None = None) -> list[TermUse]:
    """What became of each glossary hit (and non-translatable) in ``target``; auto-translatables
    are checked as numbers by :func:`flags_for`."""
    uses = []
    for h in hits:
        if h.kind == "auto":
            continue
        applied = hit_applied(h, target, glossary)
        uses.append(TermUse(term=h.term_id, source=h.surface, en=h.en, applied=applied, method=method if applied else "missing"))
    return uses


# ---------------------------------------------------------------- untranslated source

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: Letters only Vietnamese uses (not in English, French or names UN English keeps).
_VI_ONLY = set("ăâđêôơưĂÂĐÊÔƠƯ") | {c for c in map(chr, range(0x1EA0, 0x1EFA))}
_VI_WORD_RE = re.compile(r"\b\w*[" + "".join(sorted(_VI_ONLY)) + r"]\w*", re.UNICODE)


def mostly_source(target: str, source: str, source_lang: str) -> bool:
    """Is ``target`` still mostly the source text (a copy draft nobody has translated)?"""
    t = unicodedata.normalize("NFC", target)
    letters = [c for c in t if c.isalpha()]
    if not letters:
        return False
    if source_lang.lower().startswith("zh"):
        han = sum(1 for c in letters if _HAN_RE.match(c))
        return han / len(letters) > 0.25
    if source_lang.lower() == "vi":
        words = re.findall(r"\w+", t)
        vi = sum(1 for w in words if any(c in _VI_ONLY for c in w))
        return bool(words) and vi / len(words) > 0.25
    return False


def _untranslated(target: str, source_lang: str) -> list[str]:
    """Stretches of source script in an English target (a few, for the flag)."""
    out: list[str] = []
    for m in re.finditer(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", target):
        out.append(m.group())
    if source_lang.lower() == "vi":
        out.extend(m.group() for m in _VI_WORD_RE.finditer(unicodedata.normalize("NFC", target)))
    return list(dict.fromkeys(out))[:3]


# ---------------------------------------------------------------- flags


def flags_for(
    source: str,
    target: str,
    uses: list[TermUse],
    *,
    source_lang: str,
    is_mt: bool,
    candidates: Iterable[str] = (),
    glossary: Glossary | None = None,
    human: bool = False,
) -> list[str]:
    """QA flags for a segment's current target.

    ``is_mt`` is False for a copy-engine draft (OmegaT's "insert source"): it is flagged
    ``no-mt`` -- always while nobody has touched it, and after a human edit or approval
    (``human``) while any source text is left in it.
    ``candidates`` are the term ids of doubtful glossary hits (``candidate:<id>``).
    """
    flags: list[str] = []
    english_target = source_lang != "en"
    if english_target and not is_mt and (not human or not target.strip() or mostly_source(target, source, source_lang) or _untranslated(target, source_lang)):
        flags.append("no-mt")  # a copy draft: until a human has replaced every bit of source text
    for u in uses:
        if not u.applied:
            flags.append(f"missing-term:{u.term}" if u.term else f"lost-nt:{u.source}")
    if english_target and target.strip() and "no-mt" not in flags:
        flags.extend(f"untranslated:{x}" for x in _untranslated(target, source_lang))
    if glossary is not None and target.strip():
        for tid in dict.fromkeys(u.term for u in uses if u.term):
            try:
                term = glossary.term(tid)
            except Exception:  # a stored id the glossary no longer has
                continue
            for kind, forms in (("forbidden", term.forbidden), ("deprecated", term.deprecated)):
                if any(_uses_form(target, f, term) for f in forms):
                    flags.append(f"{kind}:{tid}")
    flags.extend(f"candidate:{c}" for c in candidates)
    if target.strip() and "no-mt" not in flags:
        # numbers inside glossary terms are the glossary's business ("2019冠状病毒病" -> "COVID-19")
        for surface, n in Counter(u.source for u in uses if u.term).items():
            source = source.replace(surface, " ", n)
        for en, n in Counter(u.en for u in uses if u.term).items():
            target = target.replace(en, " ", n)
        flags.extend(f"number:{n}" for n in _missing_numbers(strip_tags(source), strip_tags(target), source_lang))  # <b1> is no number
        flags.extend(tag_flags(source, target))  # .docx/.html placeholders lost or added (workbench.formats.tags)
    return sorted(set(flags), key=flags.index)


def _uses_form(target: str, form: str, term: Term) -> bool:
    """Does ``target`` use the English ``form`` itself -- spelled as listed ("sub-regional" is
    not "subregional", "Laos" is not "Lao"), not merely inside an accepted longer form?"""
    masked = unicodedata.normalize("NFC", target)
    for ok in sorted((term.en, *term.en_variants), key=len, reverse=True):
        if form.casefold() in ok.casefold() and form.casefold() != ok.casefold():
            masked = re.sub(re.escape(ok), " ", masked, flags=re.IGNORECASE)
    rx = r"(?<![\w-])" + re.escape(form).replace(r"\ ", r"\s+") + r"(?![\w-])"
    return re.search(rx, masked, 0 if term.case_sensitive else re.IGNORECASE) is not None


def _missing_numbers(source: str, target: str, source_lang: str = "zh-Hans") -> list[str]:
    """Source numbers (normalised values) that the target lacks, as the source wrote them."""
    have: Counter[Decimal] = Counter(v.normalize() for _, v in autotrans.number_values(target, "en"))
    # a bare year or day may also be written as part of a longer English number
    out: list[str] = []
    for surface, value in autotrans.number_values(source, source_lang):
        v = value.normalize()
        if have[v] > 0:
            have[v] -= 1
            continue
        out.append(re.sub(r"[^\w.,]", "", surface) or surface)
    return out
