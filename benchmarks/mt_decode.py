"""Decoding alone: the argos engine's batches against one raw ``translate_batch`` call, same model, same process.

Usage:
    python benchmarks/mt_decode.py                        # 800 sentences; raw, 512, 1024, 2048 tokens; twice, interleaved
    python benchmarks/mt_decode.py --size 3200 --tokens 512,1024 --repeat 3

The sources are mt_speed.py's documents as the workbench decodes them (glossary hits replaced
by their English terms: row B' of mt_speed.py), the first ``--size`` sentences of its 3,200.
One loaded translator (inter_threads = cores, intra 1, int8) serves every row, so the rows differ
only in how the sentences are cut into batches and queued:

raw     one ``translate_batch`` call, 512-token batches (CTranslate2's own length sorting), beam 4,
        length penalty 0.2: mt_speed.py's B'.
N       ``ArgosEngine.translate_batch`` with ``max_batch_tokens=N`` (its length buckets, explicit
        batches queued most tokens first, SentencePiece encoding and decoding included).

Printed per row: wall and CPU seconds (the process's, all threads) of the fastest repeat, and the
share of sentences whose output is identical to raw's. Start-up, reading, glossary and writing are
not in these figures (mt_speed.py's C has them): this isolates the decoding's own efficiency.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402
import mt_speed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=800, help="sentences (of mt_speed.py's 3,200)")
    parser.add_argument("--tokens", default="512,1024,2048", help="comma-separated max_batch_tokens of the engine rows")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    bench.install_packages(mt_speed.MODELS)
    from workbench import models
    from workbench.engines.argos import ArgosEngine
    from workbench.translate import find_hits, inject, load_glossary

    sentences = mt_speed.sentences_of(mt_speed.build_docs(3200))[: args.size]
    glossary, _ = load_glossary(mt_speed.ROOT / "glossary.yaml")
    hits, _ = find_hits(glossary, sentences, "zh-Hans")
    sources = [inject(s, h, glossary) for s, h in zip(sentences, hits)]
    package = models.find_installed("zh", "en", mt_speed.MODELS)
    if package is None:
        raise SystemExit(f"no zh -> en package in {mt_speed.MODELS}")
    engine = ArgosEngine("zh-Hans", package=package, device="cpu")
    engine._wait_loaded()
    sp, translator = engine._sp, engine._translator
    tokens = [sp.encode(s, out_type=str) for s in sources]

    def raw() -> list[str]:
        results = translator.translate_batch(tokens, max_batch_size=512, batch_type="tokens", beam_size=4, length_penalty=0.2, replace_unknowns=True, max_input_length=0)
        return [sp.decode(r.hypotheses[0]).strip() for r in results]

    def with_tokens(n: int):  # type: ignore[no-untyped-def]
        def run() -> list[str]:
            engine.max_batch_tokens = n
            return engine.translate_batch(sources)

        return run

    rows = {"raw": raw, **{str(n): with_tokens(int(n)) for n in args.tokens.split(",")}}
    best: dict[str, tuple[float, float]] = {}
    outputs: dict[str, list[str]] = {}
    for _ in range(max(1, args.repeat)):  # interleaved: every row sees the same spread of load
        for name, run in rows.items():
            start, cpu = time.perf_counter(), time.process_time()
            outputs[name] = run()
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            bench.log(f"{name}: {wall:.2f} s, CPU {cpu:.2f} s")
            if name not in best or wall < best[name][0]:
                best[name] = (wall, cpu)
    print(f"\nMachine: {bench.machine()}; {len(sources):,} sentences (glossary-injected), {sum(map(len, tokens)):,} source tokens, inter {engine.inter_threads} x intra {engine.intra_threads}\n")
    print("| batches | wall s | CPU s | CPU / raw | identical to raw |\n|---|---:|---:|---:|---:|")
    for name, (wall, cpu) in best.items():
        same = sum(a == b for a, b in zip(outputs[name], outputs["raw"]))
        label = "raw: one translate_batch call" if name == "raw" else f"engine, {name}-token batches"
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {cpu / best['raw'][1]:.3f} | {same}/{len(sources)} = {same / len(sources):.1%} |")


if __name__ == "__main__":
    os.environ.setdefault("WORKBENCH_MODELS_DIR", str(mt_speed.MODELS))
    main()
