"""Speed and memory benchmark of the workbench against Argos Translate and raw CTranslate2.

Usage:
    python benchmarks/bench.py            # full run (~10-15 min on 2 cores)
    python benchmarks/bench.py --quick    # smaller corpus and subsets (~2-3 min)
    python benchmarks/bench.py --only raw,workbench --sweep   # also sweep CTranslate2 settings

What it does (everything offline; built once and cached in benchmarks/.cache/):

* A synthetic Argos package per source language (zh, vi) with the shape of a real
  one: Transformer base (6+6 layers, d_model 512, 8 heads, FFN 2048), a shared
  vocabulary of 32,000 entries, int8, random weights. The SentencePiece model
  (BPE) is learned from the seed documents (zh, vi and en) and the glossary's
  English terms, Chinese cut into chunks of 1-4 characters and English repeated
  to the sources' size, so it tokenises like a real vocabulary (about 10,500
  pieces; see ``build_sentencepiece``); the CTranslate2 vocabulary is those pieces followed
  by dummy pieces up to 32,000 (the output projection and softmax, the costliest
  part of beam search, have the real size).
* A corpus of about 1 MB of zh and vi text: the zh-Hans, zh-Hant and vi seed
  documents repeated, every sentence of every copy after the first perturbed
  (one or two characters or words swapped for others of the same document) so
  no sentence is a duplicate the workbench could skip.
* Decoding work is pinned: random weights rarely emit ``</s>``, so every
  system is made to produce exactly ``--output-tokens`` tokens (default 14, as
  in the issue's reference measurement) per sentence with
  ``min_decoding_length == max_decoding_length``.

Measurements (each in its own subprocess, so "peak MB" is that measurement's
own maximum resident set size, model included):

(a) ``argostranslate.translate.translate()`` once per paragraph, Argos defaults
    (inter_threads 1, intra_threads 0, max_batch_size 32 tokens, beam 4), on the
    first ``--argos-sentences`` sentences. Patches, all for an offline and fair
    run: its sentence splitter (MiniSBD, which downloads a model) is replaced
    by a lookup returning the workbench's own sentences of that paragraph; its
    ``ctranslate2.Translator`` is wrapped so ``translate_batch`` also gets
    ``min/max_decoding_length``.
(b) raw ``ctranslate2.Translator.translate_batch`` on pre-tokenised sentences:
    the limit. Best configuration found on this machine (see ``--sweep``):
    one call per language with the sentences sorted by length,
    ``max_batch_size`` in tokens and ``inter_threads`` = cores.
(c) ``workbench.translate.translate_documents`` (engine ``argos``) end to end
    on a temporary project: reading, segmentation, glossary matching with the
    shipped glossary.yaml, decoding, QA flags and writing the YAML files. The
    packages are installed with ``workbench.models.install_file`` into an
    isolated ``WORKBENCH_MODELS_DIR``; the engine gets
    a benchmark-only subclass that decodes exactly ``--output-tokens`` per sentence
    (``pin_output_length``; the product has no such hook). A model with random weights never
    copies an injected glossary term, so every segment with a glossary hit would
    fail verification and be decoded a second time as pieces (span assembly):
    work a real model mostly does not do. Row (c) therefore counts a term as
    applied when it was injected (``qa.hit_applied`` patched to True); row (c*)
    is the unpatched run, whose extra decoding is that artifact.

Also: re-run with nothing changed (seeds, copy and argos engines: must decode
nothing, < 1 s), glossary matching (100k synthetic terms over 5 and 10 MB of
text) and sentence alignment (20k x 20k, when the workbench has an aligner).

Tokens/s counts source tokens (SentencePiece pieces) per second; the output is
fixed at ``--output-tokens`` per sentence.
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


def _tokenize(sentences: list[tuple[str, str]], models_dir: Path) -> tuple[Any, list[list[str]]]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(models_dir / "translate-zh_en-1_0" / "sentencepiece.model"))
    return sp, [sp.encode(s, out_type=str) for _, s in sentences]


def measure_raw(args: argparse.Namespace) -> dict[str, Any]:
    """(b) raw CTranslate2: one translate_batch call per language on pre-tokenised sentences."""
    import ctranslate2

    models_dir = CACHE / "models"
    install_packages(models_dir)
    sentences = corpus_sentences(build_corpus(args.corpus_bytes))
    if args.limit:
        sentences = sentences[: args.limit]
    if args.injected:  # the sources as the workbench decodes them: glossary hits replaced by their English terms
        from workbench.translate import inject, load_glossary

        glossary, _ = load_glossary(ROOT / "glossary.yaml")
        sentences = [(lang, inject(s, glossary.find(s, lang))) for lang, s in sentences]
    _, tokens = _tokenize(sentences, models_dir)
    length = args.output_tokens
    seconds = 0.0
    for code in ("zh", "vi"):
        batch = [t for (lang, _), t in zip(sentences, tokens) if LANG_CODES[lang] == code]
        if not batch:
            continue
        translator = ctranslate2.Translator(
            str(models_dir / f"translate-{code}_en-1_0" / "model"),
            device="cpu",
            compute_type="int8",
            inter_threads=args.inter_threads,
            intra_threads=args.intra_threads,
        )
        start = time.perf_counter()
        results = translator.translate_batch(
            batch,
            max_batch_size=args.batch_size,
            batch_type=args.batch_type,
            beam_size=args.beam,
            length_penalty=0.2,
            replace_unknowns=True,
            max_input_length=0,
            min_decoding_length=length,
            max_decoding_length=length,
        )
        seconds += time.perf_counter() - start
        assert all(len(r.hypotheses[0]) == length for r in results)
        del translator
    return {"sentences": len(sentences), "tokens": sum(map(len, tokens)), "seconds": seconds}


def measure_argos(args: argparse.Namespace) -> dict[str, Any]:
    """(a) argostranslate.translate.translate() per paragraph, Argos's defaults, offline (see the module docstring)."""
    models_dir = CACHE / "models"
    install_packages(models_dir)
    home = CACHE / "argos-home"  # Argos creates config/cache/data directories on import
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        os.environ[var] = str(home / sub)
    os.environ["ARGOS_PACKAGES_DIR"] = str(models_dir)
    os.environ["ARGOS_CHUNK_TYPE"] = "MINISBD"  # the default; its splitter is replaced below
    from workbench.ingest import discover, read_document
    from workbench.segment import segment_document

    # The first `limit` distinct sentences, grouped into their paragraphs.
    corpus = build_corpus(args.corpus_bytes)
    paragraphs: list[tuple[str, str, list[str]]] = []  # (argos code, paragraph text, its sentences)
    seen: set[tuple[str, str]] = set()
    count = 0
    for path in discover([corpus]):
        doc = read_document(path, None)
        current: dict[int, list[str]] = {}
        for s in segment_document(doc.text, doc.lang):
            if not s.text or (doc.lang, s.text) in seen or count >= args.limit:
                continue
            seen.add((doc.lang, s.text))
            current.setdefault(s.paragraph, []).append(s.text)
            count += 1
        joiner = "" if doc.lang.startswith("zh") else " "
        paragraphs += [(LANG_CODES[doc.lang], joiner.join(v), v) for v in current.values()]
        if count >= args.limit:
            break
    split = {text: sents for _, text, sents in paragraphs}

    import ctranslate2
    import argostranslate.sbd
    import argostranslate.translate as at

    class PinnedTranslator:
        """ctranslate2.Translator whose translate_batch decodes exactly --output-tokens tokens."""

        def __init__(self, *a: Any, **kw: Any) -> None:
            self.real = ctranslate2.Translator(*a, **kw)

        def translate_batch(self, source: Any, **kw: Any) -> Any:
            kw.update(min_decoding_length=args.output_tokens, max_decoding_length=args.output_tokens)
            return self.real.translate_batch(source, **kw)

    class Shim:
        Translator = PinnedTranslator

    at.ctranslate2 = Shim  # type: ignore[assignment]
    argostranslate.sbd.MiniSBDSentencizer.split_sentences = lambda self, text: split.get(text, [text])  # type: ignore[method-assign]
    at.translate(paragraphs[0][1][:5], paragraphs[0][0], "en")  # load outside the timing, as (b) does
    at.translate("xin chào", "vi", "en")
    sp_sentences = [(code, s) for code, _, sents in paragraphs for s in sents]
    _, tokens = _tokenize(sp_sentences, models_dir)
    start = time.perf_counter()
    for code, text, _ in paragraphs:
        at.translate(text, code, "en")
    seconds = time.perf_counter() - start
    return {"sentences": count, "tokens": sum(map(len, tokens)), "seconds": seconds}


def _project(tmp: Path, docs: Path) -> Path:
    project = tmp / "project"
    shutil.copytree(docs, project / "docs", ignore=shutil.ignore_patterns(".*"))
    shutil.copy(ROOT / "glossary.yaml", project / "glossary.yaml")
    return project


def measure_workbench(args: argparse.Namespace) -> dict[str, Any]:
    """(c) workbench translate_documents end to end (engine argos) on a temporary project."""
    models_dir = CACHE / "models"
    install_packages(models_dir)
    os.environ["WORKBENCH_MODELS_DIR"] = str(models_dir)
    corpus = ROOT / "seeds" if args.seeds else build_corpus(args.corpus_bytes)
    from workbench import qa
    from workbench.engines.argos import ArgosEngine
    from workbench.translate import translate_documents

    if not args.forced:
        qa.hit_applied = lambda *a, **k: True  # type: ignore[assignment]  # a real model copies injected terms
    decoded = [0, 0]  # engine calls, inputs
    original = ArgosEngine.translate_batch

    def counting(self: ArgosEngine, texts: list[str], progress: Any = None) -> list[str]:
        decoded[0] += 1
        decoded[1] += len(texts)
        return original(self, texts, progress)

    ArgosEngine.translate_batch = counting  # type: ignore[method-assign]
    pin_output_length(args.output_tokens)
    options: dict[str, object] = {}
    for key in ("inter_threads", "intra_threads", "max_batch_tokens"):
        if getattr(args, key, None):
            options[key] = getattr(args, key)
    with tempfile.TemporaryDirectory() as tmp:
        project = _project(Path(tmp), corpus)
        docs = [p for p in sorted((project / "docs").iterdir()) if not p.name.startswith("003_")] if args.seeds else [project / "docs"]
        sentences = corpus_sentences(project / "docs") if not args.seeds else [x for x in corpus_sentences(project / "docs") if x[0] in LANG_CODES]
        _, tokens = _tokenize(sentences, models_dir)
        cwd = os.getcwd()
        os.chdir(project)
        try:
            if args.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.enable()
            start = time.perf_counter()
            result = translate_documents(docs, out_dir=project / "translations", engine="argos", glossary_path=project / "glossary.yaml", download=False, engine_options=options)
            seconds = time.perf_counter() - start
            if args.profile:
                profiler.disable()
                pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
        finally:
            os.chdir(cwd)
    translated = sum(d.translated for d in result.documents)
    return {"sentences": len(sentences), "tokens": sum(map(len, tokens)), "seconds": seconds, "translated": translated, "engine_calls": decoded[0], "engine_inputs": decoded[1]}


def pin_output_length(tokens: int) -> None:
    """Benchmarks only: make the ``argos`` engine decode exactly ``tokens`` per sentence.

    A random-weight model never emits ``</s>``; pinning the length on every path (a, b, c)
    makes them do the same work. The product's engine has no such option."""
    from workbench import engines
    from workbench.engines.argos import ArgosEngine

    class PinnedLength(ArgosEngine):
        def max_decoding_length(self, source_length: int) -> int:
            return tokens

        def min_decoding_length(self, max_length: int) -> int:
            return max_length

    engines.register("argos")(PinnedLength)


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
            if args.engine == "argos":
                pin_output_length(args.output_tokens)
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


MEASURES = {"argos": measure_argos, "raw": measure_raw, "workbench": measure_workbench, "rerun": measure_rerun, "glossary": measure_glossary, "align": measure_align}


def child(argv: list[str]) -> None:
    """Run one measurement; print its result (with peak RSS) as one JSON line on stdout."""
    parser = argparse.ArgumentParser()
    parser.add_argument("measure", choices=sorted(MEASURES))
    parser.add_argument("--corpus-bytes", type=int, default=1_000_000)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--output-tokens", type=int, default=14)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--inter-threads", type=int, default=0)
    parser.add_argument("--intra-threads", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=512)
    parser.add_argument("--batch-type", default="tokens")
    parser.add_argument("--max-batch-tokens", type=int, default=0)
    parser.add_argument("--engine", default="argos")
    parser.add_argument("--seeds", action="store_true")
    parser.add_argument("--forced", action="store_true")
    parser.add_argument("--injected", action="store_true")
    parser.add_argument("--profile", action="store_true")
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
    parser.add_argument("--output-tokens", type=int, default=14, help="tokens decoded per sentence (default 14)")
    parser.add_argument("--only", default="", help="comma-separated subset of: argos,raw,injected,workbench,forced,rerun,glossary,align")
    parser.add_argument("--sweep", action="store_true", help="also time raw CTranslate2 settings on a subset (threads, batch size and type)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of (c) to stderr")
    args = parser.parse_args()
    corpus_bytes = 150_000 if args.quick else 1_000_000
    argos_limit = 100 if args.quick else 200
    text_mb = (1.0, 2.0) if args.quick else (5.0, 10.0)
    cores = os.cpu_count() or 1
    only = set(args.only.split(",")) if args.only else {"argos", "raw", "injected", "workbench", "forced", "rerun", "glossary", "align"}
    calib_start = calibration()
    common = ["--corpus-bytes", str(corpus_bytes), "--output-tokens", str(args.output_tokens)]

    log("building the packages and the corpus (cached in benchmarks/.cache/)...")
    install_packages(CACHE / "models")
    corpus = build_corpus(corpus_bytes)
    n = len(corpus_sentences(corpus))
    log(f"corpus: {sum(p.stat().st_size for p in corpus.iterdir()) / 1e6:.2f} MB, {n:,} distinct sentences; output fixed at {args.output_tokens} tokens, beam 4")

    rows: list[tuple[str, dict[str, Any]]] = []
    results: dict[str, dict[str, Any]] = {}

    def record(key: str, name: str, r: dict[str, Any]) -> None:
        results[key] = r
        rows.append((name, r))
        log(row(name, r))

    if args.sweep:
        sub = ["--limit", "400"]
        configs = [(1, 0, 32, "tokens"),  # (1, 0, 0, "examples"), one padded batch of everything: 3-9 sentences/s
                   (1, cores, 512, "tokens"), (cores, 1, 256, "tokens"), (cores, 1, 512, "tokens"), (cores, 1, 1024, "tokens"), (cores, 1, 2048, "tokens"), (cores, 1, 16, "examples"), (cores, 1, 32, "examples"), (cores, 1, 64, "examples")]
        for inter, intra, size, kind in configs:
            r = run_child("raw", *common, *sub, "--inter-threads", str(inter), "--intra-threads", str(intra), "--batch-size", str(size), "--batch-type", kind)
            record(f"sweep-{inter}-{intra}-{size}-{kind}", f"sweep: raw inter={inter} intra={intra} max_batch_size={size} {kind}", r)
    if "argos" in only:
        record("a", f"(a) argostranslate translate() per paragraph, first {argos_limit}", run_child("argos", *common, "--limit", str(argos_limit)))
    if "raw" in only:
        record("b", f"(b) raw CTranslate2 translate_batch (inter={cores} intra=1, 512 tokens)", run_child("raw", *common, "--inter-threads", str(cores), "--intra-threads", "1"))
    if "injected" in only:
        record("b'", "(b') raw CTranslate2 as (b), on the glossary-injected sources", run_child("raw", *common, "--inter-threads", str(cores), "--intra-threads", "1", "--injected"))
    if "workbench" in only:
        extra = ["--profile"] if args.profile else []
        record("c", "(c) workbench translate, end to end", run_child("workbench", *common, *extra))
    if "forced" in only:
        record("c*", "(c*) workbench translate, seeds, random-weight span re-decoding", run_child("workbench", *common, "--seeds", "--forced"))
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
    print(f"Corpus: {n:,} distinct zh/vi sentences ({corpus_bytes / 1e6:.2f} MB target); beam 4; output fixed at {args.output_tokens} tokens per sentence; tokens/s = source tokens\n")
    print("| name | sentences | seconds | sentences/s | tokens/s | peak MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(row(name, r))
    rate = {k: r["sentences"] / r["seconds"] for k, r in results.items() if "seconds" in r and r["seconds"]}
    print()
    if "c" in rate and "a" in rate:
        print(f"c/a = {rate['c'] / rate['a']:.1f}x  (workbench vs Argos translate(), sentences/s)")
    if "c" in rate and "b" in rate:
        print(f"c/b = {rate['c'] / rate['b']:.2f}  (workbench vs raw CTranslate2; target >= 0.9)")
    injected = rate.get("b'")
    if "c" in rate and injected:
        print(f"c/b' = {rate['c'] / injected:.2f}  (workbench vs raw CTranslate2 on the same injected sources: the workbench's own overhead)")
    if "b" in rate and "a" in rate:
        print(f"b/a = {rate['b'] / rate['a']:.1f}x  (raw CTranslate2 vs Argos translate())")
    for key in ("c", "c*"):
        if key in results:
            r = results[key]
            print(f"{key}: {r['translated']:,} segments translated, {r['engine_calls']} engine calls, {r['engine_inputs']:,} engine inputs")
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
