"""Sentence alignment of a document and its (human) translation.

    beads = align_sentences(src_sentences, tgt_sentences, bridge=mt_of_src)
    for b in beads:
        print(b.links(), b.confidence)      # "[0]:[0,1]" 0.91

A bead pairs consecutive source sentences with consecutive target sentences (0-1, 1-0,
1-1, 1-2, 2-1, 2-2, 1-3, 3-1, 2-3, 3-2, 1-4, 4-1). Each candidate bead has features
(``search.bead_feature_dict``):

* **similarity** per channel: ``char``, the cosine of tf-idf weighted, hashed character
  1-5-gram vectors (``MODE_DIMS`` buckets: 65,536 with a bridge into a non-Chinese target, else 4,096) (white space removed, as chrF) of the bridge (a machine translation
  of the source into the target's language; else the source itself) against the target,
  numbers and caller-given anchors (glossary terms) as extra features; ``lex``, for a
  Chinese source and an English target, CC-CEDICT glosses of the source against the
  target's words (``lexicon``). Cosines are calibrated per document (the median of the
  mostly wrong candidate pairs maps to 0, the typical best pair of a row to 1);
* per channel, the **margin** (the bead's cosine minus the mean cosine of its source
  with the target blocks just before and after, and of its target with the source
  blocks around: Bertalign's neighbour margin, which tells a bead from its one-sentence
  shifts), the **part** (the least similar single sentence of a merged bead) and the
  **corners** of an n:m bead (first source with last target and the reverse: what a
  split into smaller beads loses);
* per channel, the **gain** of an n:m bead: the least increase of its cosine over the
  sub-beads that drop one end sentence (Bertalign's second step: a sentence joins a bead
  only if it adds to the similarity);
* with a bridge, a ``word`` channel: the bridge's words (5-letter prefixes) against the
  target's, binary tf-idf;
* **length agreement**, Gale-Church in log space, with the character ratio of the two
  documents, and with a bridge also the bridge's length against the target's (same
  language: a tighter ratio);
* for a Chinese source and a non-Chinese target (``mt-lex``, ``lex``), **dialogue boundaries**
  (``features.punctuation_codes``, ``search.punct_features``): does the bead's first sentence open a
  quotation on one side only, its last close one on one side only or on both, end in ?/! on one side
  only, and do the quotations and ?/! ended inside the bead differ in number;
* the **bead type**, the length of a sentence left without a counterpart, and a cost per
  run of unpaired target sentences (an affine gap: a block of 36 picture captions is
  left unpaired as one run instead of being spread over the neighbouring beads).

Weights learned from real hand-aligned data (a structured perceptron, ``benchmarks/fit_align.py``;
weights in ``workbench/data/align/weights.json``) turn them into a bead score; dynamic
programming finds the path of highest total score, over
the whole matrix for short documents and coarse to fine otherwise (``search``). It
always returns a complete alignment. A bead's confidence is its score mapped to the
probability that it is exactly right (Platt scaling fitted on the same dev data).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from workbench.align.features import char_channel, is_cjk, normalize_for_matching, numbers, punctuation_codes, text_length, word_channel, word_tokens
from workbench.align.model import Model, load
from workbench.align.scoring import parse_links, score_alignments, score_multiple
from workbench.align.search import Channel, Inputs, solve
from workbench.errors import InputError

ALIGNER = "workbench-align/2"

__all__ = [
    "ALIGNER", "AlignParams", "Bead", "align_sentences", "align_files", "format_links", "format_tsv", "parse_links",
    "score_alignments", "score_multiple", "read_lines", "normalize_for_matching", "numbers", "align_documents", "AlignResult",
]


@dataclass(frozen=True)
class Bead:
    """Source sentence indices, target sentence indices (0-based, consecutive) and a 0..1 confidence."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 0.0

    def links(self) -> str:
        return f"[{','.join(map(str, self.src))}]:[{','.join(map(str, self.tgt))}]"


@dataclass
class AlignParams:
    """Search and feature settings (the bead score itself is learned: ``model``)."""

    dim: int | None = None  # hashed character n-gram buckets; None: the mode's (``MODE_DIMS``)
    ngrams: tuple[int, ...] = (1, 2, 3, 4, 5)
    anchor_weight: float = 4.0  # weight of a number / term feature, in idf units
    lexicon: bool | None = None  # CC-CEDICT channel; None: for a Chinese source and a non-Chinese target
    full_limit: int = 1200  # up to this many sentences a side: DP over the full matrix
    factor: int = 8  # block size of the coarse pass
    margin: int = 16  # band half-width added around the projected coarse path
    max_width: int = 600  # band width cap (memory); widened when it holds no path
    words: bool = True  # with a bridge: a channel of the bridge's words (5-letter prefixes) against the target's
    word_prefix: int = 5  # letters a word token keeps
    word_dim: int = 8192  # hashed word buckets
    punct: bool = True  # zh modes: quotation and ?/! agreement of a bead's first and last sentences
    model: Model | None = None  # default: the shipped weights of the mode


# Per-mode feature settings (the weights of a mode are fitted with them: change both together).
MODE_DIMS: dict[str, int] = {"mt-lex": 4096, "lex": 4096, "mt": 65536, "plain": 4096}
CJK_DIM = 4096


def _mode(bridged: bool, lex: bool) -> str:
    if bridged:
        return "mt-lex" if lex else "mt"
    return "lex" if lex else "plain"


def build_inputs(
    src: Sequence[str],
    tgt: Sequence[str],
    bridge: Sequence[str] | None = None,
    *,
    src_anchors: Sequence[Sequence[str]] | None = None,
    tgt_anchors: Sequence[Sequence[str]] | None = None,
    params: AlignParams | None = None,
) -> tuple[Inputs, list[str], str, float]:
    """(feature inputs, channel names, mode, length ratio) of a problem."""
    p = params or AlignParams()
    n, m = len(src), len(tgt)
    rep = list(bridge) if bridge is not None else list(src)
    src_tok: list[list[str]] = []
    for i in range(n):
        toks = {"#" + x for x in numbers(src[i])}
        if bridge is not None:
            toks |= {"#" + x for x in numbers(bridge[i])}
        src_tok.append(sorted(toks) + (["@" + a for a in src_anchors[i]] if src_anchors is not None else []))
    tgt_tok = [["#" + x for x in numbers(tgt[j])] + (["@" + a for a in tgt_anchors[j]] if tgt_anchors is not None else []) for j in range(m)]
    lex = p.lexicon
    if lex is None:
        lex = is_cjk(src) and not is_cjk(tgt)
    if lex:
        from workbench.align import lexicon

        lex = lexicon.available()
    mode = _mode(bridge is not None, bool(lex))
    # a Chinese target keeps 4,096 buckets: 65,536 was measured on Text+Berg de-fr only, and it lowered the
    # synthetic zh-zh set's strict F1 (tests/test_align.py floor 0.90 -> 0.895)
    dim = p.dim or (CJK_DIM if is_cjk(tgt) else MODE_DIMS[mode])
    channels = [Channel("char", *char_channel(rep, tgt, src_tok, tgt_tok, dim=dim, ngrams=p.ngrams, anchor_weight=p.anchor_weight))]
    if lex:
        gl = [lexicon.gloss_tokens(s) + t for s, t in zip(src, src_tok)]
        en = [lexicon.english_tokens(s) + t for s, t in zip(tgt, tgt_tok)]
        channels.append(Channel("lex", *word_channel(gl, en)))
    if bridge is not None and p.words:
        channels.append(Channel("word", *word_channel([word_tokens(b, p.word_prefix) for b in rep], [word_tokens(t, p.word_prefix) for t in tgt], dim=p.word_dim)))
    src_len = np.array([text_length(s) for s in src], np.float64)
    tgt_len = np.array([text_length(s) for s in tgt], np.float64)
    ratio = float((tgt_len.sum() + 1.0) / (src_len.sum() + 1.0))
    bridge_len, bridge_ratio = None, 1.0
    if bridge is not None:
        bridge_len = np.array([text_length(b) for b in bridge], np.float64)
        bridge_ratio = float((tgt_len.sum() + 1.0) / (bridge_len.sum() + 1.0))
    pa = pb = None
    if lex and p.punct:  # zh modes: dialogue boundaries (features.punctuation_codes)
        pa, pb = punctuation_codes(src), punctuation_codes(tgt)
    return Inputs(channels, src_len, tgt_len, bridge_len, bridge_ratio, pa, pb), [c.name for c in channels], mode, ratio


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    bridge: Sequence[str] | None = None,
    *,
    src_anchors: Sequence[Sequence[str]] | None = None,
    tgt_anchors: Sequence[Sequence[str]] | None = None,
    params: AlignParams | None = None,
) -> list[Bead]:
    """Align sentence lists; ``bridge`` is a machine translation of ``src`` (line-parallel) in ``tgt``'s language.

    ``src_anchors``/``tgt_anchors`` are optional per-sentence tokens that should match
    across the sides (glossary term ids, ...); numbers are always used as anchors.
    Always returns a complete alignment (every sentence in exactly one bead).
    """
    p = params or AlignParams()
    if bridge is not None and len(bridge) != len(src):
        raise InputError(f"the bridge has {len(bridge)} sentences but the source has {len(src)}; give one machine translation per source line")
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    X, names, mode, ratio = build_inputs(src, tgt, bridge, src_anchors=src_anchors, tgt_anchors=tgt_anchors, params=p)
    model = p.model or load(mode)
    path, sc = solve(X, names, model, ratio, full_limit=p.full_limit, factor=p.factor, margin=p.margin, max_width=p.max_width)
    conf = sc.confidences(path)
    return [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), c) for (i0, i1, j0, j1), c in zip(path, conf)]


def format_links(beads: Sequence[Bead], *, scores: bool = True) -> str:
    """One bead a line, ``[i,...]:[j,...]:confidence`` (Vecalign's output form; its ``read_alignments`` reads it)."""
    if scores:
        return "".join(f"{b.links()}:{b.confidence:.3f}\n" for b in beads)
    return "".join(b.links() + "\n" for b in beads)


def format_tsv(beads: Sequence[Bead], src: Sequence[str], tgt: Sequence[str], joiner: str = " ") -> str:
    lines = []
    for b in beads:
        s = joiner.join(src[i] for i in b.src)
        t = joiner.join(tgt[j] for j in b.tgt)
        lines.append(f"{_tsv_cell(s)}\t{_tsv_cell(t)}\t{b.confidence:.3f}\n")
    return "".join(lines)


def _tsv_cell(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ")



def read_lines(path: str | Path, what: str) -> list[str]:
    """One sentence a line (blank lines count: line n is sentence n-1); InputError if missing or empty."""
    from workbench.ingest import decode_bytes, normalize_text

    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file ({what})")
    if p.is_dir():
        raise InputError(f"{p}: is a directory; give a text file with one sentence a line ({what})")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read the file ({exc.strerror})") from None
    if not data.strip():
        raise InputError(f"{p}: the file is empty; give one sentence a line ({what})")
    raw, _enc = decode_bytes(data, str(p))
    text = normalize_text(raw)
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines


def align_files(src_path: str | Path, tgt_path: str | Path, bridge_path: str | Path | None = None, params: AlignParams | None = None) -> tuple[list[Bead], list[str], list[str]]:
    """Align pre-segmented files (one sentence a line); returns (beads, source lines, target lines)."""
    src = read_lines(src_path, "source")
    tgt = read_lines(tgt_path, "translation")
    bridge = None
    if bridge_path is not None:
        bridge = read_lines(bridge_path, "bridge")
        if len(bridge) != len(src):
            raise InputError(
                f"{bridge_path} has {len(bridge)} lines but {src_path} has {len(src)}; the bridge must be a machine translation of the source, one line per source line"
            )
    return align_sentences(src, tgt, bridge, params=params), src, tgt




from workbench.align.documents import AlignResult, align_documents  # noqa: E402  (documents imports this module)
