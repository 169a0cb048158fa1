"""Glossary terms during machine translation: inline injection, verification, span assembly.

:func:`run_jobs` decodes the distinct source sentences of a run (:class:`_Job`) through an
engine with the glossary applied, as :mod:`workbench.translate` describes:

1. *inline injection* (:func:`inject`): each glossary hit in the source is replaced by its
   English term before decoding;
2. *verification*: the output must contain every English term and non-translatable;
3. *span assembly*: a segment that fails is decoded again as the pieces between its terms
   (:func:`_pieces`), and the English terms are put between the translated pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from workbench import qa, store
from workbench.engines import Engine
from workbench.glossary import Glossary, Hit
from workbench.glossary.agree import LIST_GAP_RE, agreed

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class _Job:
    """One distinct source sentence to decode (identical sentences share a job)."""

    text: str
    hits: list[Hit]
    result: str | None = None
    uses: list[store.TermUse] = field(default_factory=list)


def inject(text: str, hits: list[Hit], glossary: Glossary | None = None) -> str:
    """The source with every glossary hit replaced by its English term (non-translatables stay).

    What a translator expects of OmegaT's "insert source" with terms resolved:

    * the English term is set off by a space from letters, digits, Han characters, and
      from closing quotes/brackets before it or opening ones after it
      ("“CICA” member States", not "“CICA”member States");
    * a term that starts the sentence is capitalised;
    * an abbreviation in brackets right after its own full name is rendered once
      ("Chủ tịch Hội đồng Bảo an (HĐBA)" -> "President of the Security Council", never
      "... (Security Council)");
    * number agreement where the source makes it plain (:mod:`workbench.glossary.agree`:
      "each Member State", "3 Ministers"); no article is ever invented.
    """
    out: list[str] = []
    pos = 0
    skip_until = -1
    started = False  # has anything but opening quotes/brackets and spaces been written?
    quotes = {'"': 0, "'": 0}  # ASCII quotes written so far (odd: one is open)

    def emit(chunk: str) -> None:
        nonlocal started
        if chunk:
            out.append(chunk)
            if not started and chunk.strip(_OPENERS + " \t"):
                started = True
            for q in quotes:
                quotes[q] += chunk.count(q)

    plural_end = -1  # end of the last term given its plural (a list continues it)
    for k, h in enumerate(hits):
        if h.start < skip_until:
            continue
        emit(text[pos : h.start])
        if h.kind == "nt":
            emit(h.surface)
            pos = h.end
            continue
        en = agreed(text, h, glossary, listed=plural_end >= 0 and LIST_GAP_RE.fullmatch(text[plural_end : h.start]) is not None)
        plural_end = h.end if en != h.en and glossary is not None and h.term_id and en == glossary.term(h.term_id).plural else -1
        closing = _bracketed_repeat(text, hits, k)
        if closing is not None:
            skip_until = closing
        before = out[-1][-1] if out else ""
        after_pos = closing if closing is not None else h.end
        after = text[after_pos : after_pos + 1]
        if not started:
            en = en[:1].upper() + en[1:]
        closing_quote = before in quotes and quotes[before] % 2 == 0  # an ASCII quote that closes
        lead = " " if (_touches(before) or (before != "" and before in _CLOSERS) or closing_quote) else ""
        trail = " " if (_touches(after) or (after != "" and after in _OPENERS_NEED_SPACE)) else ""
        emit(lead + en + trail)
        pos = after_pos
    out.append(text[pos:])
    return "".join(out)


_CLOSERS = "”’」』》〉)）]】"
_OPENERS = "“‘「『《〈(（[【\"'"
_OPENERS_NEED_SPACE = "“‘「『《〈(（[【"
def _bracketed_repeat(text: str, hits: list[Hit], k: int) -> int | None:
    """If hit ``k`` is followed by "(X)" where X is a hit whose English the first one already
    says (the source's abbreviation of its own full name), the end of ")" -- else None."""
    if k + 1 >= len(hits):
        return None
    h, nxt = hits[k], hits[k + 1]
    if nxt.kind == "nt":
        return None
    between = text[h.end : nxt.start]
    if between.strip() not in ("(", "（"):
        return None
    close = text[nxt.end : nxt.end + 1]
    if close not in (")", "）"):
        return None
    same = nxt.term_id is not None and nxt.term_id == h.term_id
    if same or nxt.en.casefold() in h.en.casefold():
        return nxt.end + 1
    return None


def _touches(ch: str) -> bool:
    """Would an English word written next to ``ch`` run into it?"""
    return bool(ch) and (ch.isalnum() or bool(_HAN.match(ch)))


_PUNCT_EN = str.maketrans({"，": ",", "、": ",", "。": ".", "；": ";", "：": ":", "！": "!", "？": "?", "（": "(", "）": ")", "“": '"', "”": '"', "「": '"', "」": '"', "《": '"', "》": '"'})


def _pieces(text: str, hits: list[Hit]) -> list[tuple[bool, str]]:
    """(fixed, text) pieces of a source, split at its hits: the English of each hit and of
    punctuation-only stretches is fixed; the stretches between them are to be decoded."""
    out: list[tuple[bool, str]] = []
    pos = 0

    def between(chunk: str) -> None:
        chunk = chunk.strip()
        if chunk and not any(c.isalnum() for c in chunk):
            out.append((True, chunk.translate(_PUNCT_EN)))
        elif chunk:
            out.append((False, chunk))

    for h in hits:
        between(text[pos : h.start])
        out.append((True, h.surface if h.kind == "nt" else h.en))
        pos = h.end
    between(text[pos:])
    return out


def _join(parts: list[str]) -> str:
    s = " ".join(p for p in parts if p)
    s = re.sub(r"\(\s+", "(", s)
    return re.sub(r"\s+([,.;:!?)])", r"\1", s).strip()


def run_jobs(engine: Engine, jobs: list[_Job], progress: Callable[[int], None] | None = None, glossary: Glossary | None = None) -> None:
    """Decode every job through ``engine`` with the glossary applied (see the module docstring)."""
    if not jobs:
        return
    outputs = engine.translate_batch([inject(j.text, j.hits, glossary) for j in jobs], progress=progress)
    failed: list[_Job] = []
    for job, out in zip(jobs, outputs):
        job.result = out
        if all(qa.hit_applied(h, out, glossary) for h in job.hits):
            job.uses = qa.term_uses(job.hits, out, "copy" if not engine.is_mt else "inline", glossary)
        else:
            failed.append(job)
    if not failed:
        return
    piece_lists = [_pieces(j.text, j.hits) for j in failed]
    to_decode = [p for pieces in piece_lists for fixed, p in pieces if not fixed]
    decoded = iter(engine.translate_batch(to_decode)) if to_decode else iter(())
    for job, pieces in zip(failed, piece_lists):
        parts = [p if fixed else next(decoded) for fixed, p in pieces]
        job.result = _join(parts)
        job.uses = qa.term_uses(job.hits, job.result, "forced", glossary)
