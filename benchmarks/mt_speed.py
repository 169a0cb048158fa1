"""Machine-translation speed: ``workbench translate`` against Argos Translate and raw CTranslate2, same work.

Usage:
    python benchmarks/mt_speed.py            # 200 and 3,200 sentences (~10 min on 2 idle cores)
    python benchmarks/mt_speed.py --quick    # 200 sentences only (~2 min)
    python benchmarks/mt_speed.py --sizes 200,800 --only raw,workbench
    python benchmarks/mt_speed.py --quick --repeat 2 --before main   # also C of another revision, same run

Everything offline; built once and cached in benchmarks/.cache/ (see bench.py):

* The model: bench.py's synthetic Argos package (Transformer base, 6+6 layers, d_model
  512, 8 heads, FFN 2048, 32k shared vocabulary, int8, random weights) with a length
  mechanism (benchmarks/length_model.py), so that ``</s>`` comes by itself at ~1.33x the
  source length. Nothing pins the output length: each system decodes until the model
  ends the sentence, as with a real model.
* The documents: copies of the zh-Hans seed, every sentence of every copy after the
  first perturbed (one or two characters swapped), cut to the first N distinct
  sentences (N = 200, 3,200), 63 sentences per document.

Rows (the sentences are the workbench's own segmentation of the documents):

A   ``argostranslate.translate.translate()`` once per paragraph, Argos's defaults
    (inter_threads 1, intra_threads 0, 32-token batches, beam 4), offline: its sentence
    splitter (MiniSBD, which downloads a model) is replaced by a lookup of the
    workbench's sentences of that paragraph. Model loading excluded. Run on the first
    200 sentences; its rate is used for every size.
B   one raw ``Translator.translate_batch`` call over all sentences (pre-tokenised),
    inter_threads = cores, intra_threads 1, max_batch_size 512 tokens, beam 4, length
    penalty 0.2. Model loading and tokenisation excluded: the limit.
B'  as B, on the sources as the workbench decodes them (glossary hits replaced by their
    English terms): the same work as C.
C   ``workbench translate DOCS --engine argos --no-download`` as a command (a fresh
    Python process, benchmarks/wb_cli.py), whole: start-up, imports, model loading,
    reading, segmentation, glossary matching with the shipped glossary.yaml, decoding,
    QA, writing. The one patch: an injected term counts as applied (see wb_cli.py).

C0  (``--before REV``) C with the workbench of git revision REV (its ``workbench/`` and
    ``wb_cli.py``, extracted to a temporary folder), interleaved with C: before and after
    side by side on the same machine load.

Work: B' decodes more than B (the English terms put in for the glossary hits are more
SentencePiece tokens than the Chinese they replace; 3,200 sentences: 1.067x the source
tokens), so C/B is at most about (C/B') / (B'/B work): printed as "work B'/B".

Identity: the share of sentences whose output is the same text in two rows (A vs B on
the same sources; C vs B' on the same injected sources).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402
from bench import CACHE, ROOT, log  # noqa: E402

MODELS = CACHE / "models"
ARGOS_SENTENCES = 200


def build_docs(n: int) -> Path:
    """Documents of the first ``n`` distinct zh-Hans sentences (perturbed seed copies)."""
    from workbench.segment import segment_document

    out = CACHE / f"zh-docs-v{bench.BUILD_VERSION}-{n}"
    if (out / ".done").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    name, lang, text = next(d for d in bench.seed_documents() if d[1] == "zh-Hans")
    alphabet = sorted({c for c in text if "\u4e00" <= c <= "\u9fff"})
    rng = random.Random(20240601)
    seen: set[str] = set()
    k = 0
    while len(seen) < n:
        lines = []
        for line in text.splitlines():
            sents = [s for s in segment_document(line, lang) if s.text]
            if k:
                for s in sents:  # perturb each sentence of the line
                    line = line.replace(s.text, bench._perturb(s.text, lang, rng, alphabet, []), 1)
                sents = [s for s in segment_document(line, lang) if s.text]
            new = [s.text for s in sents if s.text not in seen]
            if len(seen) + len(new) > n:
                break
            seen.update(new)
            lines.append(line)
        (out / f"{k:03d}_{name}").write_text("\n".join(lines) + "\n", encoding="utf-8")
        k += 1
    (out / ".done").write_text("")
    return out


def sentences_of(docs: Path) -> list[str]:
    return [s for _, s in bench.corpus_sentences(docs)]


def _sp() -> Any:
    import sentencepiece as spm

    return spm.SentencePieceProcessor(model_file=str(MODELS / "translate-zh_en-1_0" / "sentencepiece.model"))


def _dump(path: str, outputs: dict[str, str]) -> None:
    Path(path).write_text(json.dumps(outputs, ensure_ascii=False), encoding="utf-8")


# --------------------------------------------------------------------------- measurements (child processes)


def measure_raw(args: argparse.Namespace) -> dict[str, Any]:
    """B / B': one translate_batch call on pre-tokenised sentences."""
    import ctranslate2

    sentences = sentences_of(build_docs(args.size))
    sources = sentences
    if args.injected:
        from workbench.translate import find_hits, inject, load_glossary

        glossary, _ = load_glossary(ROOT / "glossary.yaml")  # exactly as workbench translate injects
        hits, _ = find_hits(glossary, sentences, "zh-Hans")
        sources = [inject(s, h, glossary) for s, h in zip(sentences, hits)]
    sp = _sp()
    tokens = [sp.encode(s, out_type=str) for s in sources]
    translator = ctranslate2.Translator(str(MODELS / "translate-zh_en-1_0" / "model"), device="cpu", compute_type="int8", inter_threads=args.inter_threads, intra_threads=args.intra_threads)
    start, cpu = time.perf_counter(), time.process_time()
    results = translator.translate_batch(tokens, max_batch_size=args.batch_size, batch_type=args.batch_type, beam_size=4, length_penalty=0.2, replace_unknowns=True, max_input_length=0)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    hyps = [r.hypotheses[0] for r in results]
    _dump(args.dump, {s: sp.decode(h).strip() for s, h in zip(sentences, hyps)})
    return {"sentences": len(sentences), "tokens": sum(map(len, tokens)), "out_tokens": sum(map(len, hyps)), "seconds": seconds, "cpu": cpu}


def measure_argos(args: argparse.Namespace) -> dict[str, Any]:
    """A: argostranslate.translate.translate() per paragraph, Argos's defaults, offline."""
    home = CACHE / "argos-home"  # Argos creates config/cache/data directories on import
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        os.environ[var] = str(home / sub)
    os.environ["ARGOS_PACKAGES_DIR"] = str(MODELS)
    os.environ["ARGOS_CHUNK_TYPE"] = "MINISBD"  # the default; its splitter is replaced below
    from workbench.ingest import discover, read_document
    from workbench.segment import segment_document

    paragraphs: list[tuple[str, list[str]]] = []  # (paragraph text, its sentences)
    seen: set[str] = set()
    for path in discover([build_docs(args.size)]):
        doc = read_document(path, None)
        current: dict[int, list[str]] = {}
        for s in segment_document(doc.text, doc.lang):
            if s.text and s.text not in seen and len(seen) < args.limit:
                seen.add(s.text)
                current.setdefault(s.paragraph, []).append(s.text)
        paragraphs += [("".join(v), v) for v in current.values()]
    split = {text: sents for text, sents in paragraphs}

    import argostranslate.sbd
    import argostranslate.translate as at
    import ctranslate2

    sp = _sp()
    by_tokens = {tuple(sp.encode(s, out_type=str)): s for _, sents in paragraphs for s in sents}
    outputs: dict[str, str] = {}
    out_tokens = [0]

    class Recording:
        """ctranslate2.Translator that records each sentence's output (nothing else changes)."""

        def __init__(self, *a: Any, **kw: Any) -> None:
            self.real = ctranslate2.Translator(*a, **kw)

        def translate_batch(self, source: Any, **kw: Any) -> Any:
            results = self.real.translate_batch(source, **kw)
            for src, r in zip(source, results):
                if tuple(src) in by_tokens:
                    outputs[by_tokens[tuple(src)]] = sp.decode(r.hypotheses[0]).strip()
                    out_tokens[0] += len(r.hypotheses[0])
            return results

    class Shim:
        Translator = Recording

    at.ctranslate2 = Shim  # type: ignore[assignment]
    argostranslate.sbd.MiniSBDSentencizer.split_sentences = lambda self, text: split.get(text, [text])  # type: ignore[method-assign]
    at.translate("联合国", "zh", "en")  # load outside the timing, as B does
    outputs.clear()
    out_tokens[0] = 0
    start, cpu = time.perf_counter(), time.process_time()
    for text, _ in paragraphs:
        at.translate(text, "zh", "en")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    _dump(args.dump, outputs)
    return {"sentences": len(seen), "tokens": sum(map(len, by_tokens)), "out_tokens": out_tokens[0], "seconds": seconds, "cpu": cpu}


MEASURES = {"argos": measure_argos, "raw": measure_raw}


def child(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("measure", choices=sorted(MEASURES))
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--limit", type=int, default=ARGOS_SENTENCES)
    parser.add_argument("--inter-threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--intra-threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=512)
    parser.add_argument("--batch-type", default="tokens")
    parser.add_argument("--injected", action="store_true")
    parser.add_argument("--dump", required=True)
    args = parser.parse_args(argv)
    result = MEASURES[args.measure](args)
    result["peak_mb"] = bench.peak_mb()
    print("RESULT " + json.dumps(result), flush=True)


def run_child(*argv: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--child", *argv], stdout=subprocess.PIPE, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"measurement {' '.join(argv)} failed (exit {proc.returncode})")
    return json.loads(lines[-1][len("RESULT ") :])


def measure_cli(docs: Path, dump: Path, extra: list[str] | None = None, root: Path = ROOT) -> dict[str, Any]:
    """C: the workbench translate command on a fresh copy of ``docs``, timed from outside
    (``root``: the tree whose workbench and benchmarks/wb_cli.py run)."""
    import yaml

    sentences = sentences_of(docs)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(docs, project / "docs", ignore=shutil.ignore_patterns(".*"))
        shutil.copy(ROOT / "glossary.yaml", project / "glossary.yaml")
        env = dict(os.environ, WORKBENCH_MODELS_DIR=str(MODELS))
        cmd = [sys.executable, str(root / "benchmarks" / "wb_cli.py"), "translate", "docs", "--engine", "argos", "--no-download", "--json", *(extra or [])]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        out = proc.stdout.read() if proc.stdout else b""
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"workbench translate failed (exit {proc.returncode})")
        outputs = {}
        for path in (project / "translations").glob("*.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for seg in data.get("segments", []):
                outputs[seg["source"]] = (seg.get("mt") or "").strip()
    _dump(str(dump), outputs)
    summary = json.loads(out)
    return {"sentences": len(sentences), "seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024, "translated": sum(d["translated"] for d in summary["documents"])}


def _extract(rev: str, dest: Path) -> Path:
    """``workbench/`` and ``benchmarks/wb_cli.py`` of git revision ``rev`` in ``dest`` (byte-compiled)."""
    import compileall

    dest.mkdir(parents=True)
    tar = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "workbench", "benchmarks/wb_cli.py"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=tar, check=True)
    compileall.compile_dir(str(dest / "workbench"), quiet=1)
    return dest


# --------------------------------------------------------------------------- the report


def identity(a: Path, b: Path) -> tuple[int, int]:
    x, y = json.loads(a.read_text(encoding="utf-8")), json.loads(b.read_text(encoding="utf-8"))
    common = [s for s in x if s in y]
    return sum(x[s] == y[s] for s in common), len(common)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 sentences only")
    parser.add_argument("--sizes", default="", help="comma-separated sentence counts [200,3200; --quick: 200]")
    parser.add_argument("--only", default="argos,raw,injected,workbench", help="subset of: argos,raw,injected,workbench")
    parser.add_argument("--before", default="", help="git revision (e.g. main) whose C is measured too, interleaved (row C0)")
    parser.add_argument("--repeat", type=int, default=1, help="run B, B' and C this many times, interleaved, and keep each one's fastest (a shared machine's load swings)")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else [200] if args.quick else [200, 3200]
    only = set(args.only.split(","))
    cores = os.cpu_count() or 1
    calib_start = bench.calibration()
    bench.install_packages(MODELS)
    import compileall  # as pip install does (this machine sets PYTHONDONTWRITEBYTECODE: C would compile every module)

    compileall.compile_dir(str(ROOT / "workbench"), quiet=1)
    docs = {n: build_docs(n) for n in sorted(set(sizes) | {ARGOS_SENTENCES})}
    work = Path(tempfile.mkdtemp(prefix="mt_speed-"))
    before = _extract(args.before, work / "before") if args.before and "workbench" in only else None
    rows: list[tuple[str, str, dict[str, Any]]] = []

    def record(key: str, n: int, label: str, r: dict[str, Any]) -> None:
        rows.append((f"{key}@{n}", label, r))
        log(f"{label}: {r['seconds']:.2f} s")

    if "workbench" in only:  # warm the OS file cache and the workbench's on-disk caches (untimed)
        measure_cli(docs[ARGOS_SENTENCES], work / "warm.json")
        if before is not None:
            measure_cli(docs[ARGOS_SENTENCES], work / "warm0.json", root=before)
    if "argos" in only:
        record("A", ARGOS_SENTENCES, f"A  Argos translate() per paragraph, {ARGOS_SENTENCES} sentences", run_child("argos", "--size", str(ARGOS_SENTENCES), "--dump", str(work / f"A@{ARGOS_SENTENCES}.json")))
    for n in sizes:
        best: dict[str, dict[str, Any]] = {}
        for _ in range(max(1, args.repeat)):  # interleaved, so that each row sees the same spread of load
            tries = {}
            if "raw" in only:
                tries["B"] = run_child("raw", "--size", str(n), "--dump", str(work / f"B@{n}.json"))
            if "injected" in only:
                tries["B'"] = run_child("raw", "--size", str(n), "--injected", "--dump", str(work / f"B'@{n}.json"))
            if "workbench" in only:
                tries["C"] = measure_cli(docs[n], work / f"C@{n}.json")
            if before is not None:
                tries["C0"] = measure_cli(docs[n], work / f"C0@{n}.json", root=before)
            for key, r in tries.items():
                if key not in best or r["seconds"] < best[key]["seconds"]:
                    best[key] = r
        labels = {"B": f"B  raw translate_batch, one call (inter {cores}, intra 1, 512 tokens)", "B'": "B' as B, on the glossary-injected sources", "C": "C  workbench translate DOCS --engine argos (whole command)", "C0": f"C0 as C, workbench of {args.before}"}
        for key, r in best.items():
            record(key, n, labels[key] + (f", fastest of {args.repeat}" if args.repeat > 1 else ""), r)
    results = {key: r for key, _, r in rows}

    print(f"\nMachine: {bench.machine()}")
    print(f"CPU speed check (10M-iteration Python loop; ~0.5 s idle): {calib_start:.2f} s before, {bench.calibration():.2f} s after")
    print("Model: Transformer base int8, 32k vocabulary, random weights + length mechanism (</s> at ~1.33x the source); beam 4; zh-Hans\n")
    print("| row | sentences | seconds | CPU s | sentences/s | source tok/s | output tok/source tok | peak MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, label, r in rows:
        rate = r["sentences"] / r["seconds"]
        tok = f"{r['tokens'] / r['seconds']:,.0f}" if r.get("tokens") else "-"
        ratio = f"{r['out_tokens'] / r['tokens']:.2f}" if r.get("tokens") else "-"
        print(f"| {label} | {r['sentences']:,} | {r['seconds']:.2f} | {r['cpu']:.2f} | {rate:,.1f} | {tok} | {ratio} | {r['peak_mb']:.0f} |")
    print()
    rate = {k: r["sentences"] / r["seconds"] for k, r in results.items()}
    a = rate.get(f"A@{ARGOS_SENTENCES}")
    for n in sizes:
        c, b, b2 = rate.get(f"C@{n}"), rate.get(f"B@{n}"), rate.get(f"B'@{n}")
        parts = []
        if rate.get(f"C0@{n}") and b:
            parts.append(f"C0/B {rate[f'C0@{n}'] / b:.2f} ({args.before})")
        if c and b:
            parts.append(f"C/B {c / b:.2f}")
        if c and b2:
            parts.append(f"C/B' {c / b2:.2f}")
        if c and a:
            parts.append(f"C/A {c / a:.1f}x")
        if b and a:
            parts.append(f"B/A {b / a:.1f}x")
        rb, rb2 = results.get(f"B@{n}"), results.get(f"B'@{n}")
        if rb and rb2:  # the glossary's English terms make the injected sources longer: C's work is B''s, not B's
            parts.append(f"work B'/B {rb2['tokens'] / rb['tokens']:.3f} source tokens, {rb2['out_tokens'] / rb['out_tokens']:.3f} output tokens")
        cc, cb2 = results.get(f"C@{n}"), results.get(f"B'@{n}")
        if cc and cb2:
            parts.append(f"CPU seconds C/B' {cc['cpu'] / cb2['cpu']:.2f} (1.00: no work beyond the raw call)")
        print(f"{n:,} sentences: " + ", ".join(parts))
    pairs = [("A", "B", ARGOS_SENTENCES)] + [("C", "B'", n) for n in sizes] + [("C0", "B'", n) for n in sizes] + [("C", "C0", n) for n in sizes]
    for x, y, n in pairs:
        fx, fy = work / f"{x}@{n}.json", work / f"{y}@{n}.json"
        if fx.exists() and fy.exists():
            same, total = identity(fx, fy)
            print(f"identical output {x} = {y} ({n:,}): {same}/{total} = {same / max(1, total):.0%}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
