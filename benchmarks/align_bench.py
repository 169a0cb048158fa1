"""Alignment benchmark: strict/lax F1 on the dev sets, and 20k x 20k speed and memory.

    python benchmarks/align_bench.py            # dev sets + 20,000 x 20,000
    python benchmarks/align_bench.py --quick    # dev sets only
    python benchmarks/align_bench.py --size 5000

Dev sets are tests/data/align/NAME.{src,tgt,bridge,gold} (see make_devsets.py there).
Each is aligned with the bridge and without it ("no bridge": length, numbers and
character overlap of source and target only). Scores are Vecalign-style strict and
lax precision/recall/F1 (workbench.align.score_alignments).

The speed run aligns a synthetic document pair of N x N sentences with a bridge in a
fresh process and reports wall time and peak resident memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.align import align_sentences, parse_links, score_alignments  # noqa: E402

DEV = ROOT / "tests" / "data" / "align"


def read_lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").splitlines()


def dev_sets() -> list[str]:
    return sorted(p.stem for p in DEV.glob("*.gold"))


def score_set(name: str, use_bridge: bool) -> dict[str, float]:
    src = read_lines(DEV / f"{name}.src")
    tgt = read_lines(DEV / f"{name}.tgt")
    bridge = read_lines(DEV / f"{name}.bridge") if use_bridge else None
    gold = parse_links((DEV / f"{name}.gold").read_text(encoding="utf-8"))
    t = time.perf_counter()
    beads = align_sentences(src, tgt, bridge)
    res = score_alignments(gold, [(b.src, b.tgt) for b in beads])
    res["seconds"] = time.perf_counter() - t
    res["sentences"] = f"{len(src)}x{len(tgt)}"  # type: ignore[assignment]
    return res


def synthetic(n: int, seed: int = 7) -> tuple[list[str], list[str], list[str]]:
    """N target sentences of random words, a source in another 'language', a noisy bridge."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyzéè") for _ in range(rng.randint(2, 10))) for _ in range(5000)]
    foreign = {w: "".join(rng.choice("bcdfghklmnprstvzaeiouäöü") for _ in range(max(1, len(w) + rng.randint(-2, 3)))) for w in vocab}
    src, tgt, bridge = [], [], []
    for i in range(n):
        words = [rng.choice(vocab) for _ in range(rng.randint(4, 30))]
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words)), str(rng.randint(1, 3000)))
        t = " ".join(words).capitalize() + "."
        tgt.append(t)
        src.append(" ".join(foreign.get(w, w) for w in words) + ".")
        bridge.append(" ".join(w if rng.random() > 0.3 else rng.choice(vocab) for w in words) + ".")
    # one-sided material every ~100 sentences
    for k in range(n // 100):
        pos = rng.randrange(len(src))
        src.insert(pos, f"Seite {k}")
        bridge.insert(pos, f"Page {k}")
    return src, tgt, bridge


def speed(n: int) -> dict[str, float]:
    """Run in a child process so ru_maxrss is this alignment's peak only."""
    code = (
        "import json,resource,sys,time;sys.path.insert(0,%r);sys.path.insert(0,%r);"
        "from align_bench import synthetic;from workbench.align import align_sentences;"
        "s,t,b=synthetic(%d);t0=time.perf_counter();beads=align_sentences(s,t,b);dt=time.perf_counter()-t0;"
        "print(json.dumps({'seconds':dt,'beads':len(beads),'peak_mb':resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))"
    ) % (str(ROOT), str(ROOT / "benchmarks"), n)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="dev sets only")
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = []
    for name in dev_sets():
        for use_bridge in (True, False):
            r = score_set(name, use_bridge)
            rows.append({"set": name, "bridge": use_bridge, **r})
    report: dict[str, object] = {"dev": rows}
    if not args.quick:
        report["speed"] = {"size": args.size, **speed(args.size)}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{'set':<12} {'bridge':<6} {'size':>9} {'P strict':>8} {'R strict':>8} {'F1 strict':>9} {'F1 lax':>7} {'sec':>6}")
    for r in rows:
        print(f"{r['set']:<12} {'yes' if r['bridge'] else 'no':<6} {r['sentences']:>9} {r['precision_strict']:8.3f} {r['recall_strict']:8.3f} {r['f1_strict']:9.3f} {r['f1_lax']:7.3f} {r['seconds']:6.2f}")
    if "speed" in report:
        s = report["speed"]
        assert isinstance(s, dict)
        print(f"\n{s['size']} x {s['size']} sentences with bridge: {s['seconds']:.1f} s, peak RSS {s['peak_mb']:.0f} MB, {s['beads']} beads")



if __name__ == "__main__":
    main()
