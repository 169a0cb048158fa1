"""Segmentation time on adversarial inputs: runs of superscripts, spaces, dots,
digits, quotes, combining marks, brackets, labels, line breaks and mixed scripts.

Every case is SIZE characters (default 1,000,000) of synthetic text built to hit
one pattern of the segmenter (a regex with a run, a scan, a per-line step). The
table gives seconds for segment_document + split_sentences on the case's
language, and seconds per MB; the first two rows are ordinary text (seeds 004
and 003 repeated) for comparison. The guard in tests/test_segment_linear.py
runs each case in a subprocess with a budget of 10 s per MB per call, or 8
times the ordinary text's time if the machine is slower than that. Before the linear-time
fixes, "superscripts" was exponential (2^40 steps per run of 40) and "spaces"
quadratic (~15 minutes for 200,000 spaces).

Usage: python benchmarks/segment_adversarial.py [--size N] [--case NAME ...] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rep(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _seed(prefix: str) -> str:
    return next((ROOT / "seeds").glob(f"{prefix}_*.txt")).read_text(encoding="utf-8") + "\n"


# Ordinary text for comparison: a seed document repeated (real UN text).
BASELINE = "seed-004"

# name -> (language, builder(size))
CASES: dict[str, tuple[str, Callable[[int], str]]] = {
    BASELINE: ("zh-Hant", lambda n: _rep(_seed("004"), n)),
    "seed-003": ("en", lambda n: _rep(_seed("003"), n)),
    "superscripts": ("zh-Hans", lambda n: _rep("他说。" + "¹" * 40 + "x ", n)),
    "superscripts-en": ("en", lambda n: _rep("word " + "¹" * 40 + "x ", n)),
    "superscript-run": ("en", lambda n: "a" + "¹" * (n - 2) + "b"),
    "spaces": ("en", lambda n: " " * n),
    "spaces-inside": ("vi", lambda n: "a" + " " * (n - 2) + "b"),
    "spaces-after-stop": ("en", lambda n: "Word." + " " * (n - 9) + "Next"),
    "tabs-nbsp": ("zh-Hans", lambda n: _rep("汉。\t\u00a0 \u3000", n)),
    "dots": ("en", lambda n: "." * n),
    "spaced-dots": ("en", lambda n: _rep(". ", n)),
    "letter-dots": ("vi", lambda n: _rep("a.", n)),
    "abbrev-dots": ("en", lambda n: _rep("U.S. ", n)),
    "digits": ("en", lambda n: "1" * n),
    "digit-groups": ("en", lambda n: "a.1" + _rep(" 1", n - 3)),
    "dotted-digits": ("vi", lambda n: _rep("1.", n)),
    "ascii-quotes": ("en", lambda n: '"' * n),
    "curly-quotes": ("vi", lambda n: _rep("“a. B. ", n)),
    "open-quotes": ("zh-Hant", lambda n: _rep("「“『«", n)),
    "combining": ("vi", lambda n: "a" + "\u0301" * (n - 1)),
    "combining-words": ("vi", lambda n: _rep("O\u0302\u0301ng no\u0301i. ", n)),
    "mixed-scripts": ("zh-Hans", lambda n: _rep("汉a。b.c!汉“好！”的U.S. 3.5%Ông. ", n)),
    "title-brackets": ("zh-Hans", lambda n: "《" * (n // 2) + "〉" * (n - n // 2)),
    "closers": ("zh-Hans", lambda n: "汉" + _rep(")!", n - 1)),
    "labels": ("en", lambda n: _rep("1. ", n)),
    "bullets": ("en", lambda n: _rep("• ", n)),
    "refs": ("en", lambda n: _rep("[1]", n)),
    "newlines": ("en", lambda n: "\n" * n),
    "wrapped-lines": ("en", lambda n: _rep("this line has five words\n", n)),
    "page-breaks": ("zh-Hans", lambda n: _rep("这些区域组织建立了促进建立信任措施的各种机制，以避免区域国家之间的紧张关系各种机\n\n¹ 脚注。\n\n制，以建立信任。\n", n)),
    "footnote-lines": ("zh-Hans", lambda n: _rep("¹ 这些区域组织建立了促进建立信任措施的各种机制，以避免区域国家之间的紧张关系各种机\n\n", n)),
    "quote-dashes": ("vi", lambda n: _rep('"A?" - b ', n)),
}


def run_case(name: str, size: int) -> float:
    """Seconds for segment_document + split_sentences of one case."""
    from workbench.segment import segment_document, split_sentences

    lang, build = CASES[name]
    text = build(size)
    t0 = time.perf_counter()
    segment_document(text, lang)
    split_sentences(text, lang)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1_000_000, help="characters per case (default 1,000,000)")
    ap.add_argument("--case", action="append", choices=sorted(CASES), help="run only these cases")
    ap.add_argument("--json", action="store_true", help="print one JSON object per case")
    args = ap.parse_args()
    names = args.case or list(CASES)
    if not args.json:
        print(f"{'case':20s} {'lang':8s} {'seconds':>8s} {'s/MB':>6s}")
    for name in names:
        secs = run_case(name, args.size)
        per_mb = secs * 1_000_000 / args.size
        if args.json:
            print(json.dumps({"case": name, "size": args.size, "seconds": round(secs, 3), "s_per_mb": round(per_mb, 3)}), flush=True)
        else:
            print(f"{name:20s} {CASES[name][0]:8s} {secs:8.2f} {per_mb:6.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
