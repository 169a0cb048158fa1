"""Benchmarks of the workbench beside machine translation, and the shared synthetic packages.

Usage:
    python benchmarks/bench.py            # re-runs, glossary matching (5 and 10 MB), alignment
    python benchmarks/bench.py --quick    # smaller texts
    python benchmarks/bench.py --only rerun,glossary

Machine-translation speed (Argos translate() = A, raw CTranslate2 = B and B', workbench
translate = C) is ``benchmarks/mt_speed.py``; it uses the packages built here.

Built once and cached in benchmarks/.cache/:

* A synthetic Argos package per source language (zh, vi) with the shape of a real
  one: Transformer base (6+6 layers, d_model 512, 8 heads, FFN 2048), a shared
  vocabulary of 32,000 entries, int8, random weights plus a length mechanism
  (``length_model.py``) so that ``</s>`` comes by itself at ~1.33x the source length.
  The SentencePiece model (BPE) is learned from the seed documents (zh, vi and en)
  and the glossary's English terms, Chinese cut into chunks of 1-4 characters and
  English repeated to the sources' size, so it tokenises like a real vocabulary
  (about 11,000 pieces; see ``build_sentencepiece``); the CTranslate2 vocabulary is
  those pieces followed by dummy pieces up to 32,000 (the output projection and
  softmax, the costliest part of beam search, have the real size).
* A corpus of zh and vi text: the zh-Hans, zh-Hant and vi seed documents repeated,
  every sentence of every copy after the first perturbed (one or two characters or
  words swapped for others of the same document) so no sentence is a duplicate.

Measurements (each in its own subprocess, so "peak MB" is that measurement's own
maximum resident set size): re-run with nothing changed (seeds, copy and argos
engines: must decode nothing, < 1 s), glossary matching (100k synthetic terms over 5
and 10 MB of text) and sentence alignment (20k x 20k).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Shape of a real Argos package (OpenNMT Transformer base).
LAYERS = (6, 6)
D_MODEL = 512
HEADS = 8
FFN = 2048
VOCAB = 32000
BUILD_VERSION = "4"  # bump to rebuild the cached packages / corpus
LANG_CODES = {"zh-Hans": "zh", "zh-Hant": "zh", "vi": "vi"}  # zh-Hant is served by the zh package (OpenCC t2s)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- building


def seed_documents() -> list[tuple[str, str, str]]:
    """(name, lang, text) of the zh and vi seed documents."""
    from workbench.ingest import discover, read_document

    docs = []
    for path in discover([ROOT / "seeds"]):
        doc = read_document(path, None)
        if doc.lang in LANG_CODES:
            docs.append((path.name, doc.lang, doc.text))
    return docs


def _perturb(text: str, lang: str, rng: random.Random, alphabet: list[str], words: list[str]) -> str:
    """``text`` with one or two characters (zh) or words (vi) replaced by others of the same document."""
    if lang.startswith("zh"):
        chars = list(text)
        han = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"]
        for i in rng.sample(han, min(2, len(han))):
            chars[i] = rng.choice(alphabet)
        return "".join(chars)
    tokens = text.split(" ")
    idx = [i for i, w in enumerate(tokens) if w.isalpha()]
    for i in rng.sample(idx, min(2, len(idx))):
        tokens[i] = rng.choice(words)
    return " ".join(tokens)


def build_corpus(target_bytes: int) -> Path:
    """Write about ``target_bytes`` of zh and vi documents into a cached directory; return it."""
    from workbench.segment import segment_document

    out = CACHE / f"corpus-v{BUILD_VERSION}-{target_bytes}"
    if (out / ".done").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    seeds = seed_documents()
    seed_bytes = sum(len(t.encode("utf-8")) for _, _, t in seeds)
    copies = max(1, round(target_bytes / seed_bytes))
    rng = random.Random(20240601)
    for name, lang, text in seeds:
        sentences = segment_document(text, lang)
        alphabet = sorted({c for c in text if "\u4e00" <= c <= "\u9fff"})
        words = sorted({w for w in text.split() if w.isalpha()})
        for k in range(copies):
            if k == 0:
                new = text
            else:
                parts, pos = [], 0
                for s in sentences:
                    if not s.text:
                        continue
                    start = s.start + len(s.prefix)
                    parts.append(text[pos:start])
                    parts.append(_perturb(s.text, lang, rng, alphabet, words))
                    pos = start + len(s.text)
                parts.append(text[pos:])
                new = "".join(parts)
            (out / f"{k:03d}_{name}").write_text(new, encoding="utf-8")
    (out / ".done").write_text("")
    return out


def corpus_sentences(corpus: Path) -> list[tuple[str, str]]:
    """(lang, sentence) for every distinct non-empty sentence the workbench will translate, in document order."""
    from workbench.ingest import discover, read_document
    from workbench.segment import segment_document

    seen: set[tuple[str, str]] = set()
    out = []
    for path in discover([corpus]):
        doc = read_document(path, None)
        for s in segment_document(doc.text, doc.lang):
            key = (doc.lang, s.text)
            if s.text and key not in seen:
                seen.add(key)
                out.append(key)
    return out


def build_sentencepiece(path: Path) -> list[str]:
    import sentencepiece as spm

    if not path.exists():
        from workbench.ingest import discover, read_document
        from workbench.segment import segment_document
        from workbench.translate import load_glossary

        # Source and target side, like the shared vocabulary of a real package, learned
        # from the seeds and the glossary's English terms (which the workbench injects
        # into the source). Two corrections make the tiny sample tokenise like a corpus
        # of millions of sentences: Chinese runs are cut into chunks of 1-4 characters
        # (pieces cannot cross spaces), so the seeds' repeated 12-character phrases
        # do not become single pieces; and the English lines are repeated until English
        # is as frequent as the sources (the target half of a parallel corpus), so
        # common English words are whole pieces as in a real vocabulary.
        rng = random.Random(11)

        def chunks(m: Any) -> str:
            run, out, i = m.group(), [], 0
            while i < len(run):
                k = rng.choice((1, 1, 2, 2, 2, 3, 4))
                out.append(run[i : i + k])
                i += k
            return " ".join(out)

        han = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
        sources, english = [], []
        for seed in discover([ROOT / "seeds"]):
            doc = read_document(seed, None)
            texts = [s.text for s in segment_document(doc.text, doc.lang) if s.text]
            if doc.lang == "en":
                english += texts
            else:
                sources += [han.sub(chunks, t) for t in texts]
        glossary, _ = load_glossary(ROOT / "glossary.yaml")
        english += [variant for term in glossary.terms for variant in (term.en, *term.en_variants)]
        repeat = max(1, sum(map(len, sources)) // sum(map(len, english)))
        lines = sources + english * repeat
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines),
            model_writer=model,
            vocab_size=VOCAB,
            hard_vocab_limit=False,  # this text gives ~10,000 pieces; padded to VOCAB below
            character_coverage=1.0,
            model_type="bpe",  # unigram on so small a sample splits common English words ("Uni t ed")
            num_threads=2,
            minloglevel=2,
            max_sentence_length=100000,
        )
        path.write_bytes(model.getvalue())
    sp = spm.SentencePieceProcessor(model_file=str(path))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_ctranslate2_model(model_dir: Path, vocabulary: list[str], seed: int = 7) -> None:
    """Save a Transformer-base model with random weights (int8) and the shared ``vocabulary``,
    with the length mechanism of length_model.py (``</s>`` by itself at ~1.33x the source length)."""
    from argos_fixture import build_ctranslate2_model as build
    from length_model import add_length_mechanism

    build(model_dir, vocabulary, seed, layers=LAYERS, heads=HEADS, d_model=D_MODEL, ffn=FFN, init_std=None, edit=lambda spec: add_length_mechanism(spec, vocabulary))


def build_packages() -> dict[str, Path]:
    """The cached ``.argosmodel`` files, by Argos code (zh, vi); built on first use."""
    from argos_fixture import metadata, zip_package

    base = CACHE / f"packages-v{BUILD_VERSION}"
    files = {code: base / f"translate-{code}_en-1_0.argosmodel" for code in ("zh", "vi")}
    if all(f.exists() for f in files.values()):
        return files
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    start = time.monotonic()
    work = base / "build"
    work.mkdir()
    pieces = build_sentencepiece(work / "sentencepiece.model")
    vocabulary = pieces + [f"<dummy{i}>" for i in range(VOCAB - len(pieces))]
    build_ctranslate2_model(work / "model", vocabulary)
    for code, dest in files.items():
        top = f"translate-{code}_en-1_0"
        pkg = base / top
        pkg.mkdir()
        shutil.copy(work / "sentencepiece.model", pkg / "sentencepiece.model")
        shutil.copytree(work / "model", pkg / "model")
        (pkg / "metadata.json").write_text(json.dumps(metadata(code, "en", "1.0"), indent=2), encoding="utf-8")
        zip_package(pkg, dest, top)
        shutil.rmtree(pkg)
    shutil.rmtree(work)
    log(f"built packages in {time.monotonic() - start:.0f} s ({len(pieces)} SentencePiece pieces, vocabulary {len(vocabulary)})")
    return files


def install_packages(directory: Path) -> dict[str, Path]:
    """Install the packages into ``directory`` (cached: installing unzips ~100 MB)."""
    from workbench import models

    files = build_packages()
    installed = {p.from_code: p.path for p in models.installed_packages(directory)} if directory.exists() else {}
    for code, file in files.items():
        if code not in installed:
            installed[code] = models.install_file(file, directory).path
    return installed


# --------------------------------------------------------------------------- measurements (each run in a child process)


def _project(tmp: Path, docs: Path) -> Path:
    project = tmp / "project"
    shutil.copytree(docs, project / "docs", ignore=shutil.ignore_patterns(".*"))
    shutil.copy(ROOT / "glossary.yaml", project / "glossary.yaml")
    return project


def measure_rerun(args: argparse.Namespace) -> dict[str, Any]:
    """Re-run with nothing changed, on the seeds: the second run must decode nothing."""
    models_dir = CACHE / "models"
    install_packages(models_dir)
    os.environ["WORKBENCH_MODELS_DIR"] = str(models_dir)
    from workbench.engines import argos, copy as copy_engine
    from workbench.translate import translate_documents

    calls = [0]
    for cls in (argos.ArgosEngine, copy_engine.CopyEngine):
        original = cls.translate_batch

        def counting(self: Any, texts: list[str], progress: Any = None, _original: Any = original) -> list[str]:
            calls[0] += len(texts)
            return _original(self, texts, progress)

        cls.translate_batch = counting  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        project = _project(Path(tmp), ROOT / "seeds")
        cwd = os.getcwd()
        os.chdir(project)
        try:
            opts: dict[str, object] = {}
            translate_documents([project / "docs"], out_dir=project / "translations", engine=args.engine, glossary_path=project / "glossary.yaml", download=False, engine_options=opts)
            calls[0] = 0
            start = time.perf_counter()
            result = translate_documents([project / "docs"], out_dir=project / "translations", engine=args.engine, glossary_path=project / "glossary.yaml", download=False, engine_options=opts)
            seconds = time.perf_counter() - start
        finally:
            os.chdir(cwd)
    segments = sum(d.segments for d in result.documents)
    return {"sentences": segments, "tokens": 0, "seconds": seconds, "decoded": calls[0], "translated": sum(d.translated for d in result.documents)}


def _vi_key(text: str) -> str:
    try:
        from workbench.glossary import match_key
    except ImportError:  # pragma: no cover - an older workbench
        return text.lower()
    return match_key(text, "vi")


def synthetic_glossary_entries(n: int, seed: int = 5) -> list[dict[str, object]]:
    """``n`` entries: some real n-grams of the seed text (so they hit), the rest random strings."""
    import unicodedata

    rng = random.Random(seed)
    docs = seed_documents()
    zh_text = "".join(t for _, lang, t in docs if lang == "zh-Hans")
    han = [c for c in zh_text if "\u4e00" <= c <= "\u9fff"]
    vi_words = [w.strip(",.;:()\"“”") for _, lang, t in docs if lang == "vi" for w in t.split()]
    vi_words = [w for w in vi_words if w.isalpha()]
    seen: set[str] = set()
    entries: list[dict[str, object]] = []
    misses = 0
    while len(entries) < n:
        i = len(entries)
        real = i % 4 == 0 and misses < 1000  # a quarter real n-grams, until the text runs out of new ones
        if real:
            k = rng.randint(2, 6)
            start = rng.randrange(len(han) - k)
            zh = "".join(han[start : start + k])
            k = rng.randint(2, 4)
            start = rng.randrange(len(vi_words) - k)
            vi = " ".join(vi_words[start : start + k])
        else:
            zh = "".join(rng.choice(han) for _ in range(rng.randint(3, 6)))
            vi = " ".join(rng.choice(vi_words) for _ in range(rng.randint(2, 4)))
        keys = (zh, _vi_key(unicodedata.normalize("NFC", vi)))  # as the glossary folds it (case, tone placement)
        if keys[0] in seen or keys[1] in seen:
            misses += real
            continue
        seen.update(keys)
        entries.append({"en": f"synthetic term {i}", "zh": [zh], "vi": [vi]})
    return entries


def measure_glossary(args: argparse.Namespace) -> dict[str, Any]:
    """Glossary.from_entries(100k terms), then find() on every line of ``--text-mb`` MB of zh and vi text."""
    from workbench.errors import GlossaryError
    from workbench.glossary import Glossary

    entries = synthetic_glossary_entries(args.terms)
    start = time.perf_counter()
    try:
        glossary = Glossary.from_entries(entries)
    except GlossaryError as exc:  # a folded-variant clash: drop the offenders and retry
        raise SystemExit(f"synthetic glossary rejected: {exc}")
    glossary.find("联合国", "zh-Hans"), glossary.find("Liên hợp quốc", "vi")  # build both automata
    build = time.perf_counter() - start
    documents: list[tuple[str, list[str]]] = []  # (lang, lines): the seeds repeated up to --text-mb
    size = 0
    target = int(args.text_mb * 1_000_000)
    docs = [(lang, text) for _, lang, text in seed_documents()]
    while size < target:
        for lang, text in docs:
            lines = [line for line in text.splitlines() if line.strip()]
            documents.append((lang, lines))
            size += sum(len(line.encode("utf-8")) + 1 for line in lines)
    lines = [line for _, doc in documents for line in doc]
    start = time.perf_counter()
    cpu = time.process_time()
    hits = 0
    find_all = glossary.find_all  # what `workbench translate` does: one call per document
    for lang, doc in documents:
        hits += sum(map(len, find_all(doc, lang)))
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    return {"sentences": len(lines), "tokens": 0, "seconds": seconds, "cpu_seconds": cpu, "build_seconds": build, "hits": hits, "bytes": size}


def measure_align(args: argparse.Namespace) -> dict[str, Any]:
    """Alignment of 20k x 20k sentences, if the workbench has an aligner (workbench.align)."""
    import importlib.util

    if importlib.util.find_spec("workbench.align") is None:
        return {"skipped": "no aligner (workbench.align) yet"}
    import workbench.align as align

    fn = getattr(align, "align_sentences", None) or getattr(align, "align", None)
    if fn is None:
        return {"skipped": "workbench.align has no align()/align_sentences()"}
    sentences = corpus_sentences(build_corpus(args.corpus_bytes))
    src = [s for _, s in sentences]
    src = (src * (20000 // len(src) + 1))[:20000]
    tgt = [f"English sentence number {i} of the parallel text." for i in range(20000)]
    start = time.perf_counter()
    fn(src, tgt)
    return {"sentences": 20000, "tokens": 0, "seconds": time.perf_counter() - start}


MEASURES = {"rerun": measure_rerun, "glossary": measure_glossary, "align": measure_align}


def child(argv: list[str]) -> None:
    """Run one measurement; print its result (with peak RSS) as one JSON line on stdout."""
    parser = argparse.ArgumentParser()
    parser.add_argument("measure", choices=sorted(MEASURES))
    parser.add_argument("--corpus-bytes", type=int, default=1_000_000)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--inter-threads", type=int, default=0)
    parser.add_argument("--intra-threads", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=512)
    parser.add_argument("--batch-type", default="tokens")
    parser.add_argument("--max-batch-tokens", type=int, default=0)
    parser.add_argument("--engine", default="argos")
    parser.add_argument("--terms", type=int, default=100_000)
    parser.add_argument("--text-mb", type=float, default=10.0)
    args = parser.parse_args(argv)
    result = MEASURES[args.measure](args)
    result["peak_mb"] = peak_mb()
    print("RESULT " + json.dumps(result), flush=True)


def run_child(*argv: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--child", *argv], stdout=subprocess.PIPE, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"measurement {' '.join(argv)} failed (exit {proc.returncode})")
    return json.loads(lines[-1][len("RESULT ") :])


# --------------------------------------------------------------------------- the report


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import ctranslate2

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}, CTranslate2 {ctranslate2.__version__}"


def calibration() -> float:
    """Seconds for a fixed pure-Python loop (10 million additions): how fast this (shared,
    virtualised) CPU is right now. ~0.5 s on an idle core here; when neighbours load the
    host it can be 3x that, and every row of the table slows with it."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def row(name: str, r: dict[str, Any]) -> str:
    if "skipped" in r:
        return f"| {name} | - | - | - | - | {r['peak_mb']:.0f} |  {r['skipped']}"
    rate = r["sentences"] / r["seconds"] if r["seconds"] else float("inf")
    tok = f"{r['tokens'] / r['seconds']:,.0f}" if r.get("tokens") else "-"
    return f"| {name} | {r['sentences']:,} | {r['seconds']:.2f} | {rate:,.1f} | {tok} | {r['peak_mb']:.0f} |"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller corpus and subsets (~2-3 minutes)")
    parser.add_argument("--only", default="", help="comma-separated subset of: rerun,glossary,align")
    args = parser.parse_args()
    corpus_bytes = 150_000 if args.quick else 1_000_000
    text_mb = (1.0, 2.0) if args.quick else (5.0, 10.0)
    only = set(args.only.split(",")) if args.only else {"rerun", "glossary", "align"}
    calib_start = calibration()
    common = ["--corpus-bytes", str(corpus_bytes)]

    log("building the packages and the corpus (cached in benchmarks/.cache/)...")
    install_packages(CACHE / "models")
    corpus = build_corpus(corpus_bytes)
    n = len(corpus_sentences(corpus))
    log(f"corpus: {sum(p.stat().st_size for p in corpus.iterdir()) / 1e6:.2f} MB, {n:,} distinct sentences")

    rows: list[tuple[str, dict[str, Any]]] = []
    results: dict[str, dict[str, Any]] = {}

    def record(key: str, name: str, r: dict[str, Any]) -> None:
        results[key] = r
        rows.append((name, r))
        log(row(name, r))

    if "rerun" in only:
        for engine in ("copy", "argos"):
            record(f"rerun-{engine}", f"re-run, nothing changed, seeds ({engine})", run_child("rerun", *common, "--engine", engine))
    if "glossary" in only:
        for mb in text_mb:
            r = run_child("glossary", "--text-mb", str(mb))
            record(f"glossary-{mb}", f"glossary 100k terms, find_all() over {r['bytes'] / 1e6:.0f} MB (per document)", r)
    if "align" in only:
        record("align", "alignment 20k x 20k", run_child("align", *common))

    print(f"\nMachine: {machine()}")
    print(f"CPU speed check (10M-iteration Python loop; ~0.5 s when the host is idle): {calib_start:.2f} s before, {calibration():.2f} s after")
    print(f"Corpus: {n:,} distinct zh/vi sentences ({corpus_bytes / 1e6:.2f} MB target)\n")
    print("| name | sentences | seconds | sentences/s | tokens/s | peak MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(row(name, r))
    for engine in ("copy", "argos"):
        r = results.get(f"rerun-{engine}")
        if r:
            print(f"re-run ({engine}): {r['decoded']} inputs decoded, {r['translated']} translated, {r['seconds']:.2f} s (target: 0 and < 1 s)")
    for mb in text_mb:
        r = results.get(f"glossary-{mb}")
        if r:
            print(f"glossary {r['bytes'] / 1e6:.1f} MB: build {r['build_seconds']:.2f} s, find {r['seconds']:.2f} s wall, {r['cpu_seconds']:.2f} s CPU ({r['bytes'] / 1e6 / r['seconds']:.1f} MB/s), {r['hits']:,} hits (target: find <= 2 s for 10 MB)")


if __name__ == "__main__":
    main()
