"""Real, public, hand-aligned development sets for the aligner (read from a cache, never committed).

Get them once (public GitHub repositories; the held-out test parts are never read):

    export WB_ALIGN_DATA=~/.cache/workbench-align      # default
    # Bertalign's MAC development chapters (zh-en literary, gold + Google MT of zh), from its history:
    git clone https://github.com/bfsujason/bertalign && cd bertalign
    C=3c432d0128505b6ca3c53988adb6307153ebb215
    for i in 001 002 003 004 005 006; do
      git show $C:data/mac/dev/zh/$i > $WB_ALIGN_DATA/mac/$i.zh
      git show $C:data/mac/dev/en/$i > $WB_ALIGN_DATA/mac/$i.en
      git show $C:data/mac/dev/zh/$i.trans > $WB_ALIGN_DATA/mac/$i.trans
      git show $C:data/mac/dev/gold/$i.align > $WB_ALIGN_DATA/mac/$i.gold
    done
    # Text+Berg 1957 (de-fr, the development year): Vecalign's gold, Bleualign's Google MT of de into fr
    (vecalign)  bleualign_data/dev.de dev.fr dev.defr      -> $WB_ALIGN_DATA/tb/
    (Bleualign) eval/eval1957.google.fr                     -> $WB_ALIGN_DATA/tb/

Each set is a list of Doc(name, src, tgt, bridge, gold). Text+Berg's one file is cut into
parts at gold bead boundaries where both sides restart (article titles), so it can be
cross-validated by article.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(os.environ.get("WB_ALIGN_DATA", "/work/cache/align" if Path("/work/cache/align").is_dir() else "~/.cache/workbench-align")).expanduser()

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


@dataclass
class Doc:
    name: str
    src: list[str]
    tgt: list[str]
    bridge: list[str] | None
    gold: Beads
    lang: tuple[str, str]


def _lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").splitlines()


def _gold(p: Path) -> Beads:
    from workbench.align import parse_links

    return parse_links(p.read_text(encoding="utf-8"))


def mac() -> list[Doc]:
    d = CACHE / "mac"
    out = []
    for i in ("001", "002", "003", "004", "005", "006"):
        out.append(Doc(f"mac{i}", _lines(d / f"{i}.zh"), _lines(d / f"{i}.en"), _lines(d / f"{i}.trans"), _gold(d / f"{i}.gold"), ("zh", "en")))
    return out


def _cut(doc: Doc, parts: int) -> list[Doc]:
    """Cut a long document into ``parts`` pieces at gold bead boundaries (re-indexed)."""
    gold = doc.gold
    n_src = len(doc.src)
    cuts = [0]
    for q in range(1, parts):
        want = n_src * q // parts
        best = None
        for bi, (s, _t) in enumerate(gold):
            if s and s[0] >= want:
                best = bi
                break
        cuts.append(best if best is not None else len(gold))
    cuts.append(len(gold))
    out = []
    for q in range(parts):
        beads = gold[cuts[q] : cuts[q + 1]]
        srcs = [i for s, _ in beads for i in s]
        tgts = [j for _, t in beads for j in t]
        if not srcs or not tgts:
            continue
        s0, s1 = min(srcs), max(srcs) + 1
        t0, t1 = min(tgts), max(tgts) + 1
        g = [(tuple(i - s0 for i in s), tuple(j - t0 for j in t)) for s, t in beads]
        out.append(Doc(f"{doc.name}.{q + 1}", doc.src[s0:s1], doc.tgt[t0:t1], doc.bridge[s0:s1] if doc.bridge else None, g, doc.lang))
    return out


def textberg(parts: int = 4) -> list[Doc]:
    d = CACHE / "tb"
    src = [s.strip() for s in _lines(d / "dev.de")]
    tgt = [s.strip() for s in _lines(d / "dev.fr")]
    bridge = [s.strip() for s in _lines(d / "eval1957.google.fr")]
    doc = Doc("tb1957", src, tgt, bridge, _gold(d / "dev.defr"), ("de", "fr"))
    return _cut(doc, parts)


def available() -> bool:
    return (CACHE / "mac" / "001.gold").exists() and (CACHE / "tb" / "dev.defr").exists()


SYNTHETIC = Path(__file__).resolve().parent.parent / "tests" / "data" / "align"


def synthetic_edge_cases(names: tuple[str, ...] = ("en_manual", "en_types", "zh_seeds", "vi_seeds")) -> list[Doc]:
    """The committed synthetic sets (tests/data/align, see make_devsets.py there): headers, footnotes, page
    numbers and dropped sentences (1-0/0-1 beads), which the literary dev data hardly has. Training only;
    no figure is claimed on them."""
    out = []
    for name in names:
        out.append(Doc(name, _lines(SYNTHETIC / f"{name}.src"), _lines(SYNTHETIC / f"{name}.tgt"), _lines(SYNTHETIC / f"{name}.bridge"), _gold(SYNTHETIC / f"{name}.gold"), ("xx", "en")))
    return out


def with_blocks(doc: Doc, donor: Doc, seed: int = 0, blocks: int = 2) -> Doc:
    """``doc`` with ``blocks`` runs of 2-16 target-side lines without a source (gold 0-1 beads) inserted at gold
    bead boundaries: lines of ``donor``'s target and OCR-like debris, as the picture captions and page furniture
    that real scanned translations carry (Text+Berg 1957 has a run of 36). Training only, named ``<doc>+blocks``."""
    import random

    rng = random.Random(f"{doc.name}/{seed}")
    starts = [bi for bi, (s, t) in enumerate(doc.gold) if t and bi > 0]
    chosen = set(rng.sample(starts, min(blocks, len(starts))))
    inserts: dict[int, list[str]] = {}  # target index -> lines inserted before it
    for bi in chosen:
        start = rng.randrange(max(1, len(donor.tgt) - 16))
        lines = []
        for q in range(rng.randint(2, 16)):
            line = donor.tgt[(start + q) % len(donor.tgt)]
            if rng.random() < 0.3:
                line = " ".join(line.split()[: rng.randint(1, 3)]) or "-"
            lines.append(line)
        inserts[min(doc.gold[bi][1])] = lines
    new_index: list[int] = []
    tgt: list[str] = []
    for j, line in enumerate(doc.tgt):
        tgt.extend(inserts.get(j, []))
        new_index.append(len(tgt))
        tgt.append(line)
    gold: Beads = []
    for bi, (s, t) in enumerate(doc.gold):
        if bi in chosen:
            first = new_index[min(t)] - len(inserts[min(t)])
            gold.extend(((), (first + q,)) for q in range(len(inserts[min(t)])))
        gold.append((s, tuple(new_index[j] for j in t)))
    return Doc(doc.name + "+blocks", doc.src, tgt, doc.bridge, gold, ("xx", doc.lang[1]))
