"""Alignment benchmark: strict/lax P/R/F1 on real hand-aligned dev sets, baselines, and 20k x 20k speed.

    python benchmarks/align_bench.py            # dev table + 20,000 x 20,000 speed and memory
    python benchmarks/align_bench.py --quick    # dev table only
    python benchmarks/align_bench.py --size 5000

Dev sets (real, public; see benchmarks/align_data.py for how to fetch them into the cache):
* MAC dev: Bertalign's 6 development chapters of Chinese novels and their published
  English translations (zh-en literary, 1,463 zh / 1,951 en sentences), with Google MT
  of the Chinese (Bertalign's ``.trans`` files) as the bridge;
* Text+Berg 1957: the de-fr development year of Bleualign/Vecalign (468 de / 554 fr),
  with Bleualign's Google MT of the German as the bridge.

Rows: ``workbench`` with the shipped weights (fitted on all of this dev data by
benchmarks/fit_align.py, so in-sample), its cross-validated held-out figures as
fit_align.py stored them in workbench/data/align/weights.json (whole documents held
out), and two baselines on the same data and the same search: Gale-Church (lengths and
Gale-Church's bead priors only) and a hunalign-style dictionary aligner (CC-CEDICT
dictionary matches + lengths, hand-set weights; for de-fr without a dictionary:
character overlap + lengths). Scores: Vecalign's strict/lax definition, counts pooled
over the documents of a set (workbench.align.score_multiple).

The speed run aligns a synthetic N x N document pair with a bridge in a fresh process
and reports wall time and peak resident memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from align_data import available, mac, textberg  # noqa: E402

from workbench.align import AlignParams, align_sentences, score_multiple  # noqa: E402
from workbench.align.model import WEIGHTS_FILE, Model  # noqa: E402

_GC_PRIOR = {"1-1": 0.89, "1-0": 0.0099 / 2, "0-1": 0.0099 / 2, "1-2": 0.089 / 2, "2-1": 0.089 / 2, "2-2": 0.011}


def gale_church() -> Model:
    """Lengths only, with Gale and Church's (1993) bead probabilities as priors."""
    w = {f"type_{t}": math.log(p) for t, p in _GC_PRIOR.items()}
    w.update({f"type_{t}": math.log(0.001) for t in ("1-3", "3-1", "2-3", "3-2", "1-4", "4-1")})
    w["len"] = 1.0
    return Model(w, 0.0, "gale-church", "Gale & Church 1993 priors")


def dictionary_baseline() -> Model:
    """hunalign-style: dictionary matches (or character overlap without one) and lengths, hand-set."""
    w = {f"type_{t}": math.log(p) for t, p in _GC_PRIOR.items()}
    w.update({f"type_{t}": math.log(0.001) for t in ("1-3", "3-1", "2-3", "3-2", "1-4", "4-1")})
    w.update({"len": 1.0, "sim_lex": 3.0, "sim_char": 3.0})
    return Model(w, 0.0, "dictionary", "hand-set")


def run(docs: list, use_bridge: bool, model: Model | None) -> dict[str, float]:
    golds, tests = [], []
    t = time.perf_counter()
    for d in docs:
        beads = align_sentences(d.src, d.tgt, d.bridge if use_bridge else None, params=AlignParams(model=model))
        golds.append(d.gold)
        tests.append([(b.src, b.tgt) for b in beads])
    r = score_multiple(golds, tests)
    r["seconds"] = time.perf_counter() - t
    return r


def dev_table() -> list[dict[str, object]]:
    cv = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8")).get("cv", {}) if WEIGHTS_FILE.exists() else {}
    rows: list[dict[str, object]] = []
    for set_name, docs, key in (("MAC dev zh-en", mac(), "mac"), ("Text+Berg 1957 de-fr", textberg(), "tb1")):
        for use_bridge in (True, False):
            mode = ("mt-lex" if key == "mac" else "mt") if use_bridge else ("lex" if key == "mac" else "plain")
            rows.append({"set": set_name, "system": "workbench (shipped weights, in-sample)", "bridge": use_bridge, **run(docs, use_bridge, None)})
            held = cv.get(mode, {})
            if f"{key}_f1_strict" in held:
                rows.append({"set": set_name, "system": "workbench (cross-validated, held-out)", "bridge": use_bridge, "f1_strict": held[f"{key}_f1_strict"], "f1_lax": held[f"{key}_f1_lax"]})
        rows.append({"set": set_name, "system": "Gale-Church (lengths)", "bridge": False, **run(docs, False, gale_church())})
        rows.append({"set": set_name, "system": "hunalign-style dictionary" if key == "mac" else "hunalign-style, no dictionary", "bridge": False, **run(docs, False, dictionary_baseline())})
    return rows


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
    ap.add_argument("--quick", action="store_true", help="dev table only")
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    report: dict[str, object] = {}
    if available():
        report["dev"] = dev_table()
    else:
        print("dev sets not in the cache; see benchmarks/align_data.py", file=sys.stderr)
    if not args.quick:
        report["speed"] = {"size": args.size, **speed(args.size)}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{'set':<21} {'system':<40} {'MT':<3} {'P str':>6} {'R str':>6} {'F1 str':>6} {'P lax':>6} {'R lax':>6} {'F1 lax':>6} {'sec':>5}")
    for r in report.get("dev", []):  # type: ignore[union-attr]
        cells = [f"{r[k]:6.3f}" if k in r else f"{'':>6}" for k in ("precision_strict", "recall_strict", "f1_strict", "precision_lax", "recall_lax", "f1_lax")]
        sec = f"{r['seconds']:5.1f}" if "seconds" in r else f"{'':>5}"
        print(f"{r['set']:<21} {r['system']:<40} {'yes' if r['bridge'] else 'no':<3} {' '.join(cells)} {sec}")
    if "speed" in report:
        sp = report["speed"]
        assert isinstance(sp, dict)
        print(f"\n{sp['size']} x {sp['size']} sentences with bridge: {sp['seconds']:.1f} s, peak RSS {sp['peak_mb']:.0f} MB, {sp['beads']} beads")


if __name__ == "__main__":
    main()
