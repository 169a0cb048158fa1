"""The ``argos`` engine: offline neural MT with an installed Argos Translate package.

It drives CTranslate2 and SentencePiece directly instead of calling
``argostranslate.translate.translate``, which re-splits sentences, batches only
32 tokens at a time, cannot cap the output length and tries to download a
sentence-boundary model when offline. Our inputs are already single sentences.

How a batch is translated:

1. ``prepare``: for ``zh-Hant`` without a ``zt`` package, convert the input to
   Simplified Chinese with OpenCC (``t2s``) and use the ``zh`` package.
2. Tokenize with SentencePiece (pieces). Blank inputs give ``""`` without
   decoding; identical inputs are translated once; an input longer than
   ``max_input_tokens`` (400) is cut at punctuation into pieces translated
   separately and joined with spaces (CTranslate2 would silently truncate it).
3. Group by length bucket (one decoding cap per group), longest bucket first, and
   cut each group (sorted longest first) into batches of ``max_batch_tokens // n``
   sentences, ``n`` the tokens of the batch's first (longest) sentence (at most
   ``chunk_size``): explicit batches, so that a shard of whole batches decoded
   elsewhere (``workbench.cluster``) gives the same batches and the same
   translations. Every batch is queued at once as an asynchronous
   ``translate_batch`` call that CTranslate2 does not cut again, most source tokens
   first; its ``inter_threads`` workers take them in that order, so no core waits on
   Python between batches and the batches left for the end are the cheapest (longest
   processing time first: the workers finish together). ``progress`` is called as
   batches finish, in order.
4. The decoding length is capped per sentence at
   ``int(length_bucket(source tokens) * max_length_ratio) + max_length_extra``:
   a real translation into English is rarely more than twice as long in
   SentencePiece tokens, while a model stuck in a repetition loop (a known Argos
   zh -> en failure) or one that never emits ``</s>`` would otherwise run to
   CTranslate2's default of 256 tokens. Because the cap depends only on the
   sentence's own (bucketed) length, it does not depend on which other
   sentences share its batch (the arithmetic can, in its last bits, and so a
   beam search's choice: 4 of 120 sentences of the benchmark model changed when
   decoded in other batches, hence the explicit batches of step 3).
5. Decode the pieces with SentencePiece, dropping the package's target prefix
   token if it has one, and restore the input order.

Decoding choices (exposed as options and recorded in the signature):
``beam_size=4`` and ``length_penalty=0.2`` as Argos uses; ``replace_unknowns``
as Argos does; ``repetition_penalty=1.0`` and ``no_repeat_ngram_size=0`` (off)
by default, because blocking repeated n-grams also blocks legitimate repeats in
long UN sentences ("... of the United Nations ... of the United Nations"), and
the length cap already bounds the damage of a loop. Pass
``no_repeat_ngram_size=4`` to trade that for loop suppression.

Speed (``benchmarks/mt_speed.py``: 2-core AMD EPYC, a Transformer-base int8 model with
a 32k vocabulary whose random weights end each sentence by themselves at ~1.33x the
source length, beam 4): ``inter_threads=2, intra_threads=1`` decoded faster than
(1, 2) and much faster than CTranslate2's default (1, 0). One worker decoding one
length range, a batch of fewer than ~16 sentences is slower per sentence (24-32-token
sentences, CPU seconds: 8 per batch 3.9, 16 3.3, 32 3.2, 64 3.4), so batches are sized
by their own longest sentence, not by their bucket's full length (which made them up
to a third smaller); end to end, 512, 768 and 1,024-token batches were within the
noise of each other, and the smallest uses the least memory: ``max_batch_tokens=512``.
Queuing the batches most tokens first leaves cheap ones for the end: on 200 sentences
the last worker finishes ~1% after the other instead of ~6% for one raw call's
length-sorted order (a simulation with cost = source tokens). The earlier scheme (our own 512-token batches submitted
synchronously from ``inter_threads`` Python threads) was measured ~10% slower than one
raw ``translate_batch`` call on the same sources. Engines with the same
package and settings share the loaded model (``zh-Hans`` and ``zh-Hant`` both use
the ``zh`` package).

Devices: ``device="auto"`` (the default) uses a CUDA GPU when CTranslate2 sees one
(``ctranslate2.get_cuda_device_count()``; the PyPI wheel includes CUDA), else the CPU.
On a GPU the compute type is ``int8_float16`` (or ``float16``) where supported, one
translation at a time per device and larger batches (4,096 padded tokens); on the CPU
``int8`` with the thread defaults above. ``preload()`` starts loading the model in a
background thread, so that a run reads, segments and matches its documents meanwhile.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

from workbench import models
from workbench.engines import EngineSignature, Progress, register
from workbench.errors import EngineError, ModelError
from workbench.models import InstalledPackage

#: Loaded (SentencePiece, Translator, compute type) by (package path, model.bin identity,
#: compute type, threads), shared by engines in this process; the oldest beyond
#: ``_LOADED_MAX`` are dropped.
_LOADED: dict[tuple[object, ...], tuple[Any, Any, str]] = {}
_LOADED_MAX = 4
_LOADED_LOCK = threading.Lock()

#: Default padded source tokens per batch. 512, 768 and 1,024 were within the noise of each
#: other end to end (``workbench translate``, 200 sentences, CPU seconds 12.6 / 12.7 / 13.0),
#: while the peak memory grows with the batch (450 / 560 / 670 MB; 1,160 MB at 3,200 sentences
#: with 1,024).
CPU_BATCH_TOKENS = 512
GPU_BATCH_TOKENS = 4096


def default_threads(cpu_count: int | None = None) -> tuple[int, int]:
    """Default (inter_threads, intra_threads) for CTranslate2 on this machine.

    Many small sentences parallelize better across batches (inter) than inside
    one matrix product (intra): on a 2-core machine ``inter=2, intra=1`` was
    measured faster than CTranslate2's default. So: 1 core -> (1, 1);
    2-3 cores -> (2, 1); 4 or more -> inter = min(4, cores // 2), intra = cores // inter.
    """
    cpus = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    if cpus <= 1:
        return 1, 1
    if cpus < 4:
        return 2, 1
    inter = min(4, cpus // 2)
    return inter, max(1, cpus // inter)


_PREWARM: threading.Thread | None = None


def import_ctranslate2() -> Any:
    """``import ctranslate2`` (one place, so the import can be measured and changed).

    Tried and not kept: a stand-in for ``asyncio`` in ``sys.modules`` during the import
    (ctranslate2.extensions imports it at the top) saved ~16 ms, but the prewarm thread
    imports CTranslate2 while the main thread imports the workbench, so the swap would be
    visible to the main thread's imports: a race."""
    import ctranslate2

    return ctranslate2


def prewarm(paths: list[Path] | None = None, lang: str | None = None, engine_options: dict[str, object] | None = None, encoding: str | None = None) -> None:
    """Start loading the Argos model of the run in a background thread, when one is installed:
    ``workbench translate`` calls this first, before its own imports, so that importing
    CTranslate2 and SentencePiece and loading the model (which CTranslate2 does without
    holding the GIL) overlap the workbench's imports and the reading, segmenting and
    matching of the documents instead of coming after them.

    The model is the one for the language of the first document of ``paths`` (``lang``:
    given, else detected); it is loaded into the shared cache (``_LOADED``) that the run's engine takes
    it from. Any failure here is silent: the run's own engine choice says what is wrong."""
    global _PREWARM
    if _PREWARM is not None:
        return
    try:
        if not any(models.packages_dir().glob("*/model")):
            return
    except OSError:
        return

    def run() -> None:
        try:
            import_ctranslate2()
            import sentencepiece  # noqa: F401

            from workbench.ingest import discover, normalize_lang, read_document

            if lang:
                source_lang: str | None = normalize_lang(lang)
            else:
                first = discover(list(paths or []))[:1]
                source_lang = read_document(first[0], None, encoding).lang if first else None
            if source_lang is None or source_lang == "en":
                return
            ArgosEngine(source_lang, **dict(engine_options or {}))._load()  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - the run's own engine says what is wrong
            pass

    _PREWARM = threading.Thread(target=run, name="workbench-prewarm", daemon=True)
    _PREWARM.start()


DEVICES = ("auto", "cpu", "cuda")


#: Device files a CUDA driver makes (Linux; WSL 2 has /dev/dxg): without any, CTranslate2 sees no GPU.
_CUDA_DEVICE_FILES = ("/dev/nvidiactl", "/dev/nvidia0", "/proc/driver/nvidia/version", "/dev/dxg")


def cuda_possible(platform: str | None = None, exists: Any = os.path.exists) -> bool:
    """Could CTranslate2 see a CUDA device here? False on macOS and on a Linux without NVIDIA
    device files, so that the question does not import CTranslate2 (and numpy) on the main thread."""
    platform = platform or sys.platform
    if platform == "darwin":
        return False
    if platform.startswith("linux"):
        return any(exists(f) for f in _CUDA_DEVICE_FILES)
    return True  # elsewhere: ask CTranslate2


def cuda_devices() -> int:
    """How many CUDA devices CTranslate2 sees (0 without a GPU or a CUDA runtime)."""
    if not cuda_possible():
        return 0
    try:
        return int(import_ctranslate2().get_cuda_device_count())
    except Exception:  # noqa: BLE001 - no CUDA runtime at all
        return 0


def choose_device(requested: str, count: int | None = None) -> str:
    """``cpu`` or ``cuda`` for a requested ``auto``/``cpu``/``cuda`` (``count``: CUDA devices, probed if None)."""
    if requested not in DEVICES:
        raise EngineError(f"unknown device {requested!r}; use one of: {', '.join(DEVICES)}")
    if requested == "cpu":
        return "cpu"
    n = cuda_devices() if count is None else count
    if requested == "cuda" and n == 0:
        raise EngineError("--device cuda: CTranslate2 sees no CUDA device here; use --device cpu (or auto)")
    return "cuda" if n > 0 else "cpu"


def cuda_compute_type(supported: set[str] | None = None) -> str:
    """The fastest compute type for an int8 Argos model on a GPU: int8_float16, else float16, else auto."""
    if supported is None:
        try:
            supported = set(import_ctranslate2().get_supported_compute_types("cuda"))
        except Exception:  # noqa: BLE001
            supported = set()
    for kind in ("int8_float16", "float16"):
        if kind in supported:
            return kind
    return "auto"


@register("argos")
class ArgosEngine:
    """Translate ``source_lang`` -> English with an installed Argos package."""

    name = "argos"
    is_mt = True

    def __init__(
        self,
        source_lang: str,
        *,
        package: InstalledPackage | None = None,
        beam_size: int = 4,
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        max_batch_tokens: int | None = None,
        compute_type: str = "int8",
        max_length_ratio: float = 2.0,
        max_length_extra: int = 10,
        length_penalty: float = 0.2,
        repetition_penalty: float = 1.0,
        no_repeat_ngram_size: int = 0,
        chunk_size: int = 256,
        max_input_tokens: int = 400,
        device: str = "auto",
        models_dir: Path | None = None,
        **_: object,
    ) -> None:
        self.source_lang = source_lang
        self.beam_size = int(beam_size)
        self.device = choose_device(device)
        default_inter, default_intra = default_threads() if self.device == "cpu" else (1, 1)
        self.inter_threads = int(inter_threads) if inter_threads else default_inter
        self.intra_threads = int(intra_threads) if intra_threads else default_intra
        self.max_batch_tokens = int(max_batch_tokens) if max_batch_tokens else CPU_BATCH_TOKENS if self.device == "cpu" else GPU_BATCH_TOKENS
        self.compute_type = compute_type if self.device == "cpu" or compute_type != "int8" else cuda_compute_type()
        self.max_length_ratio = float(max_length_ratio)
        self.max_length_extra = int(max_length_extra)
        self.length_penalty = float(length_penalty)
        self.repetition_penalty = float(repetition_penalty)
        self.no_repeat_ngram_size = int(no_repeat_ngram_size)
        self.chunk_size = max(1, int(chunk_size))
        self.max_input_tokens = int(max_input_tokens)

        try:
            code = models.argos_code(source_lang)
        except ModelError as exc:
            raise EngineError(str(exc)) from None
        if code == "en":
            raise EngineError("the source language is already en; use the copy engine for English documents")
        if package is None:
            package = models.find_installed(code, "en", models_dir)
            if package is None and code == "zt":
                package = models.find_installed("zh", "en", models_dir)
        if package is None:
            raise EngineError(
                f"no Argos model for {source_lang} -> en; install one with: "
                f"workbench models install {source_lang} (or --file PKG.argosmodel)"
            )
        self.package = package
        #: OpenCC conversion applied to the input, if any ("t2s": Traditional -> Simplified).
        self.conversion: str | None = "t2s" if code == "zt" and package.from_code == "zh" else None
        self._converter: Any = None
        self._translator: Any = None
        self._sp: Any = None
        self._loaded_compute_type: str | None = None
        self._preloading: threading.Thread | None = None
        self._preload_error: BaseException | None = None

    # ----------------------------------------------------------------- info

    @property
    def signature(self) -> EngineSignature:
        options = {
            "beam": str(self.beam_size),
            "length_penalty": str(self.length_penalty),
            "max_length": f"{self.max_length_ratio:g}x+{self.max_length_extra}",
            "repetition_penalty": str(self.repetition_penalty),
            "no_repeat_ngram": str(self.no_repeat_ngram_size),
            "max_input": str(self.max_input_tokens),
            "compute_type": self.compute_type,  # as requested, so the signature is the same before and after loading
        }
        if self.conversion:
            options["opencc"] = self.conversion
        if self.device != "cpu":
            options["device"] = self.device
        return EngineSignature(engine="argos", model=self.package.name, model_version=self.package.version, options=options)

    # ----------------------------------------------------------------- loading

    def preload(self) -> None:
        """Start loading the model in a background thread (errors surface at the first translation)."""
        if self._translator is not None or self._preloading is not None:
            return

        def run() -> None:
            try:
                self._load()
            except BaseException as exc:  # noqa: BLE001 - re-raised by the first translate_batch
                self._preload_error = exc

        self._preloading = threading.Thread(target=run, name="workbench-model-load", daemon=True)
        self._preloading.start()

    def _wait_loaded(self) -> None:
        thread = self._preloading
        if thread is not None:
            thread.join()
            self._preloading = None
            if self._preload_error is not None:
                error, self._preload_error = self._preload_error, None
                raise error
        self._load()

    def _load(self) -> None:
        """Load SentencePiece and the CTranslate2 translator, once per process.

        Engines with the same package files and thread settings share one loaded
        model (``zh-Hans`` and ``zh-Hant`` documents both use the ``zh`` package):
        it is loaded once per run and held in memory once.
        """
        if self._translator is not None:
            return
        pkg = self.package
        model_bin = Path(pkg.path) / "model" / "model.bin"
        try:
            stat = model_bin.stat()
            stamp: tuple[object, ...] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        except OSError:
            stamp = ()
        key = (str(Path(pkg.path).resolve()), stamp, self.device, self.compute_type, self.inter_threads, self.intra_threads)
        with _LOADED_LOCK:
            loaded = _LOADED.get(key)
            if loaded is None:
                loaded = self._load_files()
                if stamp:  # only models we can tell apart from a later replacement
                    _LOADED[key] = loaded
                    while len(_LOADED) > _LOADED_MAX:
                        del _LOADED[next(iter(_LOADED))]
        self._sp, self._translator, self._loaded_compute_type = loaded

    def _load_files(self) -> tuple[Any, Any, str]:
        """Load SentencePiece and the CTranslate2 translator from the package files."""
        import sentencepiece as spm

        ctranslate2 = import_ctranslate2()

        pkg = self.package
        sp_path = Path(pkg.path) / "sentencepiece.model"
        if not sp_path.is_file():
            raise EngineError(
                f"the Argos package {pkg.path} has no sentencepiece.model (old BPE packages are not supported); "
                f"install a current one with: workbench models install {self.source_lang}"
            )
        try:
            sp = spm.SentencePieceProcessor(model_file=str(sp_path))
        except (OSError, RuntimeError) as exc:
            raise EngineError(f"cannot load {sp_path} ({exc}); reinstall with: workbench models install {self.source_lang}") from None
        compute_type = self.compute_type
        try:
            if compute_type not in ("auto", "default") and compute_type not in ctranslate2.get_supported_compute_types(self.device):
                compute_type = "auto"
        except (RuntimeError, ValueError):
            compute_type = "auto"
        model_dir = str(Path(pkg.path) / "model")
        kwargs = dict(device=self.device, inter_threads=self.inter_threads, intra_threads=self.intra_threads)
        try:
            try:
                translator = ctranslate2.Translator(model_dir, compute_type=compute_type, **kwargs)
            except ValueError:
                if compute_type == "auto":
                    raise
                compute_type = "auto"  # the model's weights cannot be converted to the requested type
                translator = ctranslate2.Translator(model_dir, compute_type=compute_type, **kwargs)
        except (RuntimeError, ValueError, OSError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise EngineError(
                f"cannot load the Argos model in {model_dir} ({message}); reinstall with: workbench models install {self.source_lang}"
            ) from None
        return sp, translator, compute_type

    # ----------------------------------------------------------------- translating

    def prepare(self, texts: list[str]) -> list[str]:
        """The inputs as the model sees them: OpenCC ``t2s`` when a zh package serves zh-Hant."""
        if not self.conversion:
            return list(texts)
        if self._converter is None:
            import opencc

            try:
                self._converter = opencc.OpenCC(self.conversion)
            except Exception:  # older opencc packages want the .json name
                self._converter = opencc.OpenCC(f"{self.conversion}.json")
        return [self._converter.convert(t) if t else t for t in texts]

    def max_decoding_length(self, source_length: int) -> int:
        """The decoding cap (target tokens, excluding any target prefix) for a source of this many tokens.

        The length is first rounded up to its bucket (``length_bucket``), so the
        cap of a sentence does not depend on which
        other sentences share its batch.
        """
        return int(length_bucket(source_length) * self.max_length_ratio) + self.max_length_extra

    def translate_batch(self, texts: list[str], progress: Progress | None = None) -> list[str]:
        """Translate every text, in order; one output per input (``""`` for blank inputs).

        Identical inputs are translated once. An input longer than
        ``max_input_tokens`` is cut into pieces at punctuation, translated piece
        by piece and joined with spaces (CTranslate2 would otherwise silently
        truncate it).
        """
        if not texts:
            return []
        prepared = self.prepare(texts)
        self._wait_loaded()
        sp = self._sp

        # Units: distinct token sequences to translate; parts[i]: the units of input i.
        unit_ids: dict[tuple[str, ...], int] = {}
        units: list[list[str]] = []
        parts: list[list[int]] = []
        for text in prepared:
            ids = []
            for piece in split_long(sp.encode(text, out_type=str), self.max_input_tokens) if text.strip() else []:
                key = tuple(piece)
                if key not in unit_ids:
                    unit_ids[key] = len(units)
                    units.append(piece)
                ids.append(unit_ids[key])
            parts.append(ids)
        users: list[list[int]] = [[] for _ in units]
        remaining = [len(set(ids)) for ids in parts]
        for i, ids in enumerate(parts):
            for u in set(ids):
                users[u].append(i)
        if progress and remaining.count(0):
            progress(remaining.count(0))

        outputs = [""] * len(units)
        prefix = [self.package.target_prefix] if self.package.target_prefix else []
        try:
            # Every group is queued at once (asynchronous calls): CTranslate2 cuts each into
            # token batches and its ``inter_threads`` workers take them in order, longest first,
            # so no core waits for Python between batches and the last to finish are short.
            pending = [(group, self._submit([units[u] for u in group], prefix)) for group in _largest_first(self._groups(units), units)]
            for group, results in pending:
                finished = 0
                for u, result in zip(group, results):
                    outputs[u] = sp.decode(_strip_prefix(list(result.result().hypotheses[0]), prefix)).strip()
                    for i in users[u]:
                        remaining[i] -= 1
                        finished += remaining[i] == 0
                if progress and finished:
                    progress(finished)
        except (RuntimeError, ValueError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise EngineError(
                f"Argos translation failed ({message}); reinstall the model with: workbench models install {self.source_lang}"
            ) from None
        return [" ".join(outputs[u] for u in ids if outputs[u]) for ids in parts]

    def _groups(self, units: list[list[str]]) -> list[list[int]]:
        """The batches to decode: unit indices by length bucket (one decoding cap per batch),
        longest bucket first, each bucket sorted longest first (ties in input order) and cut
        into batches of ``batch_capacity(n)`` sentences, ``n`` the length of the batch's first
        (longest) sentence: ``max_batch_tokens`` padded source tokens per batch, as many
        sentences as fit, not as many as would fit sentences of the bucket's full length.

        Every batch but a bucket's last is full (its size follows from its first sentence
        alone), so any union of whole batches, listed in input order, is cut into the same
        batches again: the cluster's shards (``workbench.cluster.plan_shards``) decode exactly
        the batches of one call on all sentences, hence the same arithmetic and the same
        translations (a beam search's choice can depend, in the last bits, on the other
        sentences of its batch)."""
        by_bucket: dict[int, list[int]] = {}
        for u in sorted(range(len(units)), key=lambda u: -len(units[u])):
            by_bucket.setdefault(length_bucket(len(units[u])), []).append(u)
        groups = []
        for bucket in sorted(by_bucket, reverse=True):
            members, k = by_bucket[bucket], 0
            while k < len(members):
                size = self.batch_capacity(len(units[members[k]]))
                groups.append(members[k : k + size])
                k += size
        return groups

    def batch_capacity(self, length: int) -> int:
        """Sentences per batch whose longest sentence has ``length`` tokens: ``max_batch_tokens``
        padded source tokens, at most ``chunk_size`` sentences, at least one."""
        return max(1, min(self.chunk_size, self.max_batch_tokens // max(1, length)))

    def _submit(self, batch: list[list[str]], prefix: list[str]) -> list[Any]:
        """Queue one batch of token lists (same length bucket) for translation, as one
        CTranslate2 batch (it does not cut it again). Returns async results."""
        max_length = self.max_decoding_length(max(map(len, batch))) + len(prefix)
        return self._translator.translate_batch(
            batch,
            target_prefix=[prefix] * len(batch) if prefix else None,
            max_batch_size=len(batch),
            batch_type="examples",
            asynchronous=True,
            beam_size=self.beam_size,
            num_hypotheses=1,
            length_penalty=self.length_penalty,
            repetition_penalty=self.repetition_penalty,
            no_repeat_ngram_size=self.no_repeat_ngram_size,
            max_decoding_length=max_length,
            max_input_length=0,  # split_long already bounds the input
            replace_unknowns=True,
        )


def _largest_first(groups: list[list[int]], units: list[list[str]]) -> list[list[int]]:
    """The batches in the order they are queued: most source tokens first (ties: as given).

    Decoding time grows with a batch's tokens, and the ``inter_threads`` workers take
    queued batches in order, so the batches left for the end are the cheapest (a
    bucket's partial last batch, short sentences): the workers finish close together,
    instead of one decoding a full batch while the others wait (longest processing time
    first). The batches themselves are the same, so are the translations."""
    cost = [sum(len(units[u]) for u in g) for g in groups]
    return [groups[i] for i in sorted(range(len(groups)), key=lambda i: -cost[i])]


def _strip_prefix(hyp: list[str], prefix: list[str]) -> list[str]:
    return hyp[len(prefix) :] if prefix and hyp[: len(prefix)] == prefix else hyp


#: SentencePiece pieces after which a long input may be cut.
_BREAK_CHARS = set("。．.!?！？;；:：,，、)）]】」』\"'”’")


def split_long(tokens: list[str], limit: int) -> list[list[str]]:
    """Cut ``tokens`` into pieces of at most ``limit`` tokens, preferring to cut after
    punctuation in the second half of each window, else at a word start (``▁``),
    else anywhere."""
    if limit <= 0 or len(tokens) <= limit:
        return [tokens] if tokens else []
    pieces = []
    start = 0
    while len(tokens) - start > limit:
        window = range(start + limit, start + limit // 2, -1)  # candidate cut positions
        cut = next((c for c in window if tokens[c - 1] and tokens[c - 1][-1] in _BREAK_CHARS), None)
        if cut is None:
            cut = next((c for c in window if tokens[c].startswith("▁")), start + limit)
        pieces.append(tokens[start:cut])
        start = cut
    pieces.append(tokens[start:])
    return pieces


def length_bucket(n: int) -> int:
    """Round a source length (tokens) up to its bucket: multiples of 8 up to 64, of 16 up
    to 128, of 32 up to 256, then of 64. Few buckets keep batches large; the rounding
    loosens the decoding cap by at most a few tokens."""
    step = 8 if n <= 64 else 16 if n <= 128 else 32 if n <= 256 else 64
    return max(step, -(-n // step) * step)
