"""Strict and lax precision/recall/F1 of alignments, as Vecalign's ``score.py`` defines them."""

from __future__ import annotations

from typing import Sequence

from workbench.errors import InputError

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]




def parse_links(text: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Read ``[i,...]:[j,...]`` lines (``[i]:[j]:score`` too, as Vecalign writes them)."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            left, right = line.split(":", 2)[:2]  # a third field is the bead's score
            src = tuple(int(x) for x in left.strip().strip("[]").split(",") if x.strip())
            tgt = tuple(int(x) for x in right.strip().strip("[]").split(",") if x.strip())
        except ValueError:
            raise InputError(f"line {n}: {line!r} is not an alignment bead like [0,1]:[2]") from None
        out.append((src, tgt))
    return out


def _tp_counts(gold: list[tuple[tuple[int, ...], tuple[int, ...]]], test: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> tuple[int, int, int]:
    """(strict matches, lax matches, number of test beads) of ``test`` against ``gold``."""
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    src_to_tgt: dict[int, set[int]] = {}
    for s, t in gold_set:
        for i in s:
            src_to_tgt.setdefault(i, set()).update(t)
    strict = lax = total = 0
    for s, t in {(tuple(s), tuple(t)) for s, t in test if s or t}:
        total += 1
        if (s, t) in gold_set:
            strict += 1
            lax += 1
        elif any(j in src_to_tgt.get(i, ()) for i in s for j in t):
            lax += 1
    return strict, lax, total


def score_alignments(gold: list, test: list) -> dict[str, float]:
    """Strict and lax precision/recall/F1 as in Vecalign's score_bitext.py.

    Precision counts every test bead (a wrong 0-1/1-0 bead costs precision); recall is
    precision with the roles swapped and without 0-1/1-0 beads on either side.
    Strict: the bead matches a gold bead exactly. Lax: it overlaps a gold bead on both sides.
    """
    ps, pl, pt = _tp_counts(gold, test)
    nonnull = lambda beads: [(s, t) for s, t in beads if s and t]  # noqa: E731
    rs, rl, rt = _tp_counts(nonnull(test), nonnull(gold))
    out: dict[str, float] = {}
    for name, p_, r_ in (("strict", ps / pt if pt else 0.0, rs / rt if rt else 0.0), ("lax", pl / pt if pt else 0.0, rl / rt if rt else 0.0)):
        out[f"precision_{name}"] = p_
        out[f"recall_{name}"] = r_
        out[f"f1_{name}"] = 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0
    return out




def score_multiple(golds: Sequence[Beads], tests: Sequence[Beads]) -> dict[str, float]:
    """Corpus-level scores: counts summed over documents (Vecalign's ``score_multiple``)."""
    ps = pl = pt = rs = rl = rt = 0
    nonnull = lambda beads: [(s, t) for s, t in beads if s and t]  # noqa: E731
    for gold, test in zip(golds, tests):
        a, b, c = _tp_counts(gold, test)
        ps, pl, pt = ps + a, pl + b, pt + c
        a, b, c = _tp_counts(nonnull(test), nonnull(gold))
        rs, rl, rt = rs + a, rl + b, rt + c
    out: dict[str, float] = {}
    for name, p_, r_ in (("strict", ps / pt if pt else 0.0, rs / rt if rt else 0.0), ("lax", pl / pt if pt else 0.0, rl / rt if rt else 0.0)):
        out[f"precision_{name}"] = p_
        out[f"recall_{name}"] = r_
        out[f"f1_{name}"] = 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0
    return out
