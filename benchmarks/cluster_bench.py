"""Throughput of `workbench translate --cluster` with 1 and 2 local Ray actors, and a plan for a real cluster.

Usage:
    python benchmarks/cluster_bench.py                 # ~0.1 MB corpus, ~5 minutes on a busy 2-core machine
    python benchmarks/cluster_bench.py --rounds 2      # each configuration twice, interleaved
    python benchmarks/cluster_bench.py --corpus-bytes 300000 --shard-size 64   # default: the executor's (~8 per actor)

What it does (offline; the model and corpus are bench.py's, cached in benchmarks/.cache/):

* The synthetic Argos package of ``bench.py``: Transformer base (6+6 layers, d_model 512,
  8 heads, FFN 2048), 32,000-entry vocabulary, int8, random weights edited so that each
  sentence ends by itself (``benchmarks/length_model.py``, as ``mt_speed.py``), beam 4; nothing
  pins the output length, on the driver or in the Ray workers.
* The corpus of ``bench.py``: the zh-Hans, zh-Hant and vi seed documents repeated with
  every sentence of each copy perturbed, so nothing is a duplicate.
* ``translate_documents`` end to end (read, segment, glossary, decode, write the store) on
  a fresh project for each configuration, side by side in one run, in this order per round:
  plain (no cluster: one process, ``inter_threads=2, intra_threads=1``, the 2-core default),
  Ray with 1 actor of 1 CPU, Ray with 2 actors of 1 CPU each (``actor_cpus=1``: CTranslate2
  and OpenMP at one thread each), and Ray's default here, 1 actor of 2 CPUs (one per node;
  ``ray.init(num_cpus=2)`` on this machine; a fresh executor per configuration, so actor
  start and model loading count).
* Printed: wall sentences/s per configuration, the ratio 2 actors / 1 actor (end to end, and
  of the decoding phase: the seconds the busiest actor spent decoding), each actor's
  own decoding rate (sentences over the wall and the CPU seconds it spent in
  ``translate_batch``, model loading included), and the hours 11 million sentences (the UN Parallel Corpus, one
  language pair) would take on CPU nodes, scaled from the sentences per CPU-second of the
  actors (robust to other load on a shared machine, unlike the wall rates).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench  # noqa: E402  (its builders and cache)

UN_SENTENCES = 11_000_000


def _fresh_project(base: Path, corpus: Path, name: str) -> Path:
    project = base / name
    shutil.copytree(corpus, project / "docs", ignore=shutil.ignore_patterns(".*"))
    shutil.copy(bench.ROOT / "glossary.yaml", project / "glossary.yaml")
    return project


def run_config(name: str, actors: int | None, actor_cpus: int | None, corpus: Path, base: Path, shard_size: int | None) -> dict[str, Any]:
    """One end-to-end run; actors 0 = plain single-process run, None = the executor's default."""
    from workbench.translate import translate_documents

    project = _fresh_project(base, corpus, name)
    cwd = os.getcwd()
    os.chdir(project)
    summary: dict[str, Any] = {}
    try:
        start = time.perf_counter()
        if actors == 0:
            result = translate_documents([Path("docs")], out_dir=Path("translations"), engine="argos", download=False, engine_options={"inter_threads": 2, "intra_threads": 1})
        else:
            from workbench.cluster import RayExecutor

            with RayExecutor("auto", out_dir=Path("translations"), actors=actors, actor_cpus=actor_cpus, shard_size=shard_size) as executor:
                result = translate_documents([Path("docs")], out_dir=Path("translations"), engine="argos", download=False, executor=executor)
            summary = executor.summary()
        seconds = time.perf_counter() - start
    finally:
        os.chdir(cwd)
    translated = sum(d.translated for d in result.documents)
    files = {p.name: p.read_bytes() for p in (project / "translations").glob("*.yaml")}
    shutil.rmtree(project)
    return {"name": name, "seconds": seconds, "translated": translated, "files": files, "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-bytes", type=int, default=100_000, help="corpus size (bench.py's builder; default 100,000)")
    parser.add_argument("--shard-size", type=int, default=0, help="sentences per shard (default 0: the executor's, ~8 shards per actor)")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds of the three configurations")
    args = parser.parse_args()

    import ray

    from workbench import qa

    models_dir = bench.CACHE / "models"
    bench.install_packages(models_dir)
    os.environ["WORKBENCH_MODELS_DIR"] = str(models_dir)
    corpus = bench.build_corpus(args.corpus_bytes)
    qa.hit_applied = lambda *a, **k: True  # type: ignore[assignment]  # as bench.py (c): a real model copies injected terms
    sentences = len([s for s in bench.corpus_sentences(corpus) if s[0] in bench.LANG_CODES])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR", _node_ip_address="127.0.0.1")
    configs = [("plain (1 process, 2 threads)", 0, None), ("Ray, 1 actor x 1 CPU", 1, 1), ("Ray, 2 actors x 1 CPU", 2, 1), ("Ray, 1 actor x 2 CPUs (default)", None, None)]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in configs}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            for k, (name, actors, actor_cpus) in enumerate(configs):
                bench.log(f"round {r + 1}: {name} ...")
                runs[name].append(run_config(f"config{k}", actors, actor_cpus, corpus, Path(tmp), args.shard_size or None))
    ray.shutdown()

    print(f"Machine: {bench.machine() if hasattr(bench, 'machine') else platform.processor()}; os.cpu_count()={os.cpu_count()}; load average at end {os.getloadavg()[0]:.1f}")
    print(f"Model: synthetic Transformer base int8 (bench.py), beam 4, sentences end by themselves; corpus {sentences:,} distinct zh/vi sentences; shards of {args.shard_size or 'the default size'}\n")
    print(f"{'configuration':34} {'round':>5} {'seconds':>8} {'sent/s':>8} {'busiest':>8}  per-actor decoding sent/s")
    rates: dict[str, list[float]] = {}
    busy: dict[str, list[float]] = {}  # seconds the busiest actor spent decoding (the decoding phase's length)
    per_actor: list[float] = []
    identical = True
    reference = runs[configs[0][0]][0]["files"]
    for name, _actors, _cpus in configs:
        for r, run in enumerate(runs[name]):
            rate = run["translated"] / run["seconds"]
            rates.setdefault(name, []).append(rate)
            workers = [w for w in run["summary"].get("workers", []) if w["sentences"]]
            if name.startswith("Ray"):
                per_actor += [float(w["sentences_per_cpu_s"]) for w in workers if float(w["cpus"]) == 1]
            actor_rates = ", ".join(f"{w['sentences_per_s']:.1f} wall, {w['sentences_per_cpu_s']:.1f}/CPU-s ({w['sentences']} sent.)" for w in workers) or "-"
            identical = identical and run["files"] == reference
            busiest = max((float(w["seconds"]) for w in workers), default=0.0)
            busy.setdefault(name, []).append(busiest)
            shards = f"; {run['summary']['shards']} shards" if run["summary"] else ""
            print(f"{name:34} {r + 1:>5} {run['seconds']:>8.1f} {rate:>8.1f} {busiest:>8.1f}  {actor_rates}{shards}")
    best = {name: max(v) for name, v in rates.items()}
    one, two, plain, default = best[configs[1][0]], best[configs[2][0]], best[configs[0][0]], best[configs[3][0]]
    print(f"\n2 actors / 1 actor of 1 CPU (best of rounds): {two / one:.2f}x end to end; 2 actors / plain run: {two / plain:.2f}x; 1 actor x 2 CPUs / plain run: {default / plain:.2f}x")
    for r in range(args.rounds):
        print(f"round {r + 1}: 2 actors / 1 actor {rates[configs[2][0]][r] / rates[configs[1][0]][r]:.2f}x, 2 actors / plain {rates[configs[2][0]][r] / rates[configs[0][0]][r]:.2f}x")
    print(f"decoding phase (busiest actor's seconds, best of rounds): 1 actor {min(busy[configs[1][0]]):.1f} s, 2 actors {min(busy[configs[2][0]]):.1f} s: {min(busy[configs[1][0]]) / min(busy[configs[2][0]]):.2f}x")
    print(f"translations files identical to the plain run's in every configuration: {identical}")
    per_cpu = sorted(per_actor)[len(per_actor) // 2] if per_actor else one
    print(f"\nPlan for {UN_SENTENCES / 1e6:.0f}M sentences (UN Parallel Corpus, one pair), from the measured {per_cpu:.1f} sentences per CPU-second")
    print("of a 1-CPU actor (median over actors; CPU time, so other load on this machine does not count), i.e. one dedicated core;")
    print("assumes decoding scales with cores (one actor per node, inter_threads batches at once); driver-side planning and writing not included:")
    print(f"{'nodes x cores':>14} {'sent/s':>9} {'hours':>7}")
    for nodes, cores in ((1, 2), (1, 16), (4, 16), (8, 32), (16, 32)):
        rate = per_cpu * nodes * cores
        print(f"{f'{nodes} x {cores}':>14} {rate:>9,.0f} {UN_SENTENCES / rate / 3600:>7.1f}")
    print("GPU nodes: not measured here (no GPU on this machine); run this script on a GPU node: actors take num_gpus=1, device cuda.")


if __name__ == "__main__":
    main()
