"""Tests of the argos engine against the tiny real Argos package from argos_fixture."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from argos_fixture import rezip_with_metadata
from workbench import models
from workbench.engines import create
from workbench.engines.argos import _LOADED, ArgosEngine, choose_device, cuda_compute_type, default_threads
from workbench.errors import EngineError

TEXTS = [
    "联合国与区域组织的合作。",
    "大会通过了这项决议。",
    "",
    "秘书长的报告载有关于可持续发展目标的建议。安全理事会决定继续处理此案。",
    "合作。",
    "   ",
    "Hợp tác giữa Liên Hợp Quốc và các tổ chức khu vực.",
]


def test_engine_finds_package_and_translates(argos_models_dir: Path) -> None:
    engine = create("argos", source_lang="zh-Hans")
    assert isinstance(engine, ArgosEngine) and engine.is_mt and engine.name == "argos"
    assert engine.package.path.parent == argos_models_dir
    assert engine._translator is None  # creating the engine does not load the model
    done: list[int] = []
    out = engine.translate_batch(TEXTS, progress=done.append)
    assert len(out) == len(TEXTS) and all(isinstance(t, str) for t in out)
    assert out[2] == "" and out[5] == ""
    assert all(out[i] for i in (0, 1, 3, 4, 6))  # random weights, but real output
    assert sum(done) == len(TEXTS)
    assert engine.translate_batch([]) == []


def test_order_preserved_and_deterministic(argos_models_dir: Path) -> None:
    engine = ArgosEngine("zh-Hans", chunk_size=2)  # small chunks: sorting crosses chunk borders
    batched = engine.translate_batch(TEXTS)
    one_by_one = [engine.translate_batch([t])[0] for t in TEXTS]
    assert batched == one_by_one
    assert ArgosEngine("zh-Hans").translate_batch(TEXTS) == batched


class RecordingTranslator:
    """Wraps a ctranslate2.Translator; records each call's source lengths, cap and output lengths."""

    def __init__(self, real: object) -> None:
        self.real = real
        self.calls: list[tuple[list[int], int, list[int]]] = []
        self.kwargs: list[dict[str, object]] = []
        self.outputs: list[list[str]] = []

    def translate_batch(self, source: list[list[str]], **kwargs: object) -> list[object]:
        results = self.real.translate_batch(source, **kwargs)
        done = [r.result() for r in results] if kwargs.get("asynchronous") else results  # waits: fine in a test
        self.calls.append(([len(s) for s in source], kwargs["max_decoding_length"], [len(r.hypotheses[0]) for r in done]))
        self.kwargs.append(kwargs)
        self.outputs.extend(list(r.hypotheses[0]) for r in done)
        return results


def test_length_cap(argos_models_dir: Path) -> None:
    engine = ArgosEngine("zh-Hans", max_length_ratio=1.0, max_length_extra=3, beam_size=2)
    engine._load()
    engine._translator = recorder = RecordingTranslator(engine._translator)
    texts = ["合作。", "联合国与区域组织的合作。", "秘书长的报告载有关于可持续发展目标的建议。" * 3, "合作。" * 40]
    out = engine.translate_batch(texts)
    assert all(out)
    assert len(recorder.calls) == 4  # four length buckets, one cap each
    for sources, cap, outputs in recorder.calls:
        assert cap == engine.max_decoding_length(max(sources)) <= 2 * max(sources) + 3
        assert all(n <= cap for n in outputs)
    # Random weights rarely emit </s>: the cap is what stopped the long ones.
    assert any(n == cap for _, cap, outputs in recorder.calls for n in outputs)
    assert engine.max_decoding_length(5) == 8 + 3  # bucketed up to 8
    assert ArgosEngine("zh-Hans").max_decoding_length(63) == 2 * 64 + 10


def test_length_bucket() -> None:
    from workbench.engines.argos import length_bucket

    assert [length_bucket(n) for n in (1, 8, 9, 64, 65, 128, 129, 256, 257)] == [8, 8, 16, 64, 80, 128, 160, 256, 320]


@pytest.mark.parametrize(
    ("lengths", "budget", "chunk", "sizes"),
    [
        ([17] * 6, 100, 256, [5, 1]),  # 100 // 17, the batch's own longest sentence (its bucket, 24, would give 4)
        ([30, 29, 26, 25, 25], 100, 256, [3, 2]),  # one bucket (32): each batch sized by its own first sentence
        ([70, 12, 12, 12], 100, 256, [1, 3]),  # buckets never share a batch (one decoding cap per batch)
        ([8] * 10, 1000, 4, [4, 4, 2]),  # at most chunk_size sentences
        ([300], 100, 256, [1]),  # a sentence longer than the budget is a batch of its own
    ],
)
def test_batches_are_sized_by_their_longest_sentence(argos_models_dir: Path, lengths: list[int], budget: int, chunk: int, sizes: list[int]) -> None:
    engine = ArgosEngine("zh-Hans", max_batch_tokens=budget, chunk_size=chunk)
    units = [[f"t{i}"] * n for i, n in enumerate(lengths)]
    groups = engine._groups(units)
    assert [len(g) for g in groups] == sizes
    assert sorted(u for g in groups for u in g) == list(range(len(units)))
    assert all(len(g) == 1 or len(g) * max(len(units[u]) for u in g) <= budget for g in groups)


@pytest.mark.parametrize(
    ("lengths", "groups", "queued"),
    [
        ([5, 9, 9, 2], [[0], [1, 3], [2]], [[1, 3], [2], [0]]),  # 11, 9, 5 source tokens
        ([4, 4, 4], [[0], [1], [2]], [[0], [1], [2]]),  # ties keep their order
    ],
)
def test_batches_are_queued_most_tokens_first(lengths: list[int], groups: list[list[int]], queued: list[list[int]]) -> None:
    from workbench.engines.argos import _largest_first

    assert _largest_first(groups, [["a"] * n for n in lengths]) == queued


def test_large_batch_is_fast(argos_models_dir: Path) -> None:
    engine = ArgosEngine("zh-Hans")
    texts = [TEXTS[i % len(TEXTS)] for i in range(500)]
    done: list[int] = []
    start = time.monotonic()
    out = engine.translate_batch(texts, progress=done.append)
    assert time.monotonic() - start < 10
    assert len(out) == 500 and sum(done) == 500 and len(done) >= 2
    assert out[: len(TEXTS)] == out[len(TEXTS) : 2 * len(TEXTS)]


def test_zh_hant_falls_back_to_zh_with_opencc(argos_models_dir: Path) -> None:
    engine = ArgosEngine("zh-Hant")
    assert engine.package.from_code == "zh" and engine.conversion == "t2s"
    assert engine.prepare(["聯合國與區域組織的合作。", ""]) == ["联合国与区域组织的合作。", ""]
    assert engine.signature.options["opencc"] == "t2s"
    simplified = ArgosEngine("zh-Hans")
    assert simplified.conversion is None and simplified.prepare(["聯合國"]) == ["聯合國"]
    assert engine.translate_batch(["聯合國與區域組織的合作。"]) == simplified.translate_batch(["联合国与区域组织的合作。"])


def test_zh_hant_prefers_zt_package(argos_models_dir: Path, tiny_argos_package: Path, tmp_path: Path) -> None:
    zt = rezip_with_metadata(tiny_argos_package, tmp_path / "zt.argosmodel", top="translate-zt_en-1_0", from_code="zt")
    models.install_file(zt, argos_models_dir)
    engine = ArgosEngine("zh-Hant")
    assert engine.package.name == "translate-zt_en" and engine.conversion is None
    assert engine.prepare(["聯合國"]) == ["聯合國"]
    assert "opencc" not in engine.signature.options


def test_missing_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "empty"))
    with pytest.raises(EngineError) as info:
        create("argos", source_lang="zh-Hans")
    assert str(info.value) == "no Argos model for zh-Hans -> en; install one with: workbench models install zh-Hans (or --file PKG.argosmodel)"
    with pytest.raises(EngineError, match=r"^no Argos model for vi -> en; install one with: workbench models install vi "):
        create("argos", source_lang="vi")
    with pytest.raises(EngineError, match="unknown language 'fr'"):
        create("argos", source_lang="fr")
    with pytest.raises(EngineError, match="use the copy engine"):
        create("argos", source_lang="en")


def test_missing_model_in_other_dir(argos_models_dir: Path, tmp_path: Path) -> None:
    # An explicit models_dir wins over the environment.
    with pytest.raises(EngineError, match="no Argos model for zh-Hans"):
        ArgosEngine("zh-Hans", models_dir=tmp_path / "elsewhere")


def test_explicit_package(argos_models_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pkg = models.find_installed("zh", "en", argos_models_dir)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "empty"))
    engine = ArgosEngine("zh-Hans", package=pkg)
    assert engine.package == pkg
    assert engine.translate_batch(["合作。"])[0]


def test_broken_model_gives_engine_error(argos_models_dir: Path) -> None:
    pkg = models.find_installed("zh", "en", argos_models_dir)
    (pkg.path / "model" / "model.bin").write_bytes(b"garbage")
    engine = ArgosEngine("zh-Hans")
    with pytest.raises(EngineError, match=r"cannot load the Argos model in .*; reinstall with: workbench models install zh-Hans"):
        engine.translate_batch(["合作。"])


def test_target_prefix_is_forced_and_stripped(argos_models_dir: Path, tiny_argos_package: Path, tmp_path: Path) -> None:
    sp = ArgosEngine("zh-Hans")
    sp._load()
    token = next(p for p in (sp._sp.id_to_piece(i) for i in range(10, 200)) if p.startswith("▁") and len(p) > 2)
    prefixed = rezip_with_metadata(tiny_argos_package, tmp_path / "p.argosmodel", top="translate-zh_en-2_0", package_version="2.0", target_prefix=token)
    pkg = models.install_file(prefixed, argos_models_dir)
    assert pkg.target_prefix == token
    engine = ArgosEngine("zh-Hans")
    assert engine.package.version == "2.0"
    engine._load()
    engine._translator = spy = RecordingTranslator(engine._translator)
    out = engine.translate_batch(["合作。"])[0]
    assert spy.kwargs[0]["target_prefix"] == [[token]]
    assert spy.outputs[0][0] == token  # CTranslate2 returns the forced prefix...
    assert out == engine._sp.decode(spy.outputs[0][1:]).strip()  # ...and the engine drops it
    assert len(spy.outputs[0]) <= spy.calls[0][1]


def test_signature(argos_models_dir: Path) -> None:
    engine = ArgosEngine("zh-Hans", beam_size=2, no_repeat_ngram_size=4)
    sig = engine.signature
    assert (sig.engine, sig.model, sig.model_version) == ("argos", "translate-zh_en", "1.0")
    assert sig.options["beam"] == "2" and sig.options["no_repeat_ngram"] == "4"
    assert sig.options["max_length"] == "2x+10"
    assert sig.short() == "engine:argos|model:translate-zh_en@1.0"


def test_default_threads() -> None:
    assert default_threads(1) == (1, 1)
    assert default_threads(2) == (2, 1)
    assert default_threads(4) == (2, 2)
    assert default_threads(8) == (4, 2)
    assert default_threads(16) == (4, 4)
    inter, intra = default_threads()
    assert inter >= 1 and intra >= 1


def test_identical_inputs_translated_once(argos_models_dir: Path) -> None:
    engine = ArgosEngine("zh-Hans")
    engine._load()
    engine._translator = spy = RecordingTranslator(engine._translator)
    done: list[int] = []
    texts = ["合作。", "大会通过了这项决议。", "合作。", "", "合作。"]
    out = engine.translate_batch(texts, progress=done.append)
    assert sum(len(sources) for sources, _, _ in spy.calls) == 2
    assert out[0] == out[2] == out[4] and out[3] == ""
    assert sum(done) == len(texts)


def test_long_input_is_split_not_truncated(argos_models_dir: Path) -> None:
    engine = ArgosEngine("zh-Hans", max_input_tokens=20)
    engine._load()
    engine._translator = spy = RecordingTranslator(engine._translator)
    sentence = "秘书长的报告载有关于可持续发展目标的建议，"
    long_text = sentence * 6
    n = len(engine._sp.encode(long_text, out_type=str))
    assert n > 60
    done: list[int] = []
    out = engine.translate_batch([long_text, "合作。"], progress=done.append)
    sources = [length for lengths, _, _ in spy.calls for length in lengths]
    assert max(sources) <= 20 and sum(sources) == n + len(engine._sp.encode("合作。", out_type=str))
    assert all(kw["max_input_length"] == 0 for kw in spy.kwargs)  # CTranslate2 must not truncate
    assert out[0] and out[1] and sum(done) == 2


def test_split_long() -> None:
    from workbench.engines.argos import split_long

    assert split_long([], 10) == []
    assert split_long(["a"] * 5, 10) == [["a"] * 5]
    assert split_long(["a"] * 5, 0) == [["a"] * 5]
    # Cuts after punctuation in the second half of the window...
    tokens = ["▁x", "y", "z", "，", "▁a", "b", "c", "d", "e", "f"]
    assert split_long(tokens, 6) == [tokens[:4], tokens[4:]]
    # ...else before a word start...
    tokens = ["▁x", "y", "z", "w", "▁a", "b", "c", "d", "e", "f"]
    assert split_long(tokens, 6) == [tokens[:4], tokens[4:]]
    # ...else anywhere, every piece within the limit, nothing lost.
    tokens = [str(i) for i in range(25)]
    pieces = split_long(tokens, 6)
    assert all(len(p) <= 6 for p in pieces) and sum(pieces, []) == tokens


def test_parallel_batches_match_serial(argos_models_dir: Path) -> None:
    texts = [TEXTS[i % len(TEXTS)] + str(i) for i in range(60)]
    serial = ArgosEngine("zh-Hans", inter_threads=1, intra_threads=1, max_batch_tokens=64).translate_batch(texts)
    parallel = ArgosEngine("zh-Hans", inter_threads=2, intra_threads=1, max_batch_tokens=64).translate_batch(texts)
    assert parallel == serial


@pytest.mark.parametrize(
    ("requested", "gpus", "device"),
    [("auto", 0, "cpu"), ("auto", 1, "cuda"), ("cpu", 2, "cpu"), ("cuda", 1, "cuda"), ("cuda", 0, None), ("tpu", 0, None)],
)
def test_device_choice(requested: str, gpus: int, device: str | None) -> None:
    if device is None:
        with pytest.raises(EngineError) as err:
            choose_device(requested, gpus)
        assert "--device" in str(err.value) or "use one of" in str(err.value)
    else:
        assert choose_device(requested, gpus) == device


@pytest.mark.parametrize(
    ("supported", "compute"),
    [({"int8_float16", "float16", "float32"}, "int8_float16"), ({"float16", "float32"}, "float16"), ({"float32"}, "auto"), (set(), "auto")],
)
def test_gpu_compute_type(supported: set[str], compute: str) -> None:
    assert cuda_compute_type(supported) == compute


def test_a_gpu_engine_batches_larger_and_decodes_one_batch_at_a_time(argos_models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.engines import argos

    monkeypatch.setattr(argos, "cuda_devices", lambda: 1)
    monkeypatch.setattr(argos, "cuda_compute_type", lambda supported=None: "int8_float16")
    engine = ArgosEngine("zh-Hans")
    assert (engine.device, engine.inter_threads, engine.max_batch_tokens, engine.compute_type) == ("cuda", 1, 4096, "int8_float16")
    assert engine.signature.options["device"] == "cuda"
    assert "device" not in ArgosEngine("zh-Hans", device="cpu").signature.options


def test_preload_loads_in_the_background_and_translates_the_same(argos_models_dir: Path) -> None:
    texts = ["合作。", "秘书长的报告载有关于可持续发展目标的建议。"]
    plain = ArgosEngine("zh-Hans", beam_size=2).translate_batch(texts)
    _LOADED.clear()
    engine = ArgosEngine("zh-Hans", beam_size=2)
    engine.preload()
    assert engine.translate_batch(texts) == plain and engine._translator is not None


def test_a_preload_failure_surfaces_at_the_first_translation(argos_models_dir: Path, tmp_path: Path) -> None:
    engine = ArgosEngine("zh-Hans")
    engine.package = dataclasses.replace(engine.package, path=tmp_path)  # no model files there
    engine.preload()
    with pytest.raises(EngineError):
        engine.translate_batch(["合作。"])


def test_engines_share_the_loaded_model(argos_models_dir: Path) -> None:
    """zh-Hans and zh-Hant use the same zh package: it is loaded once."""
    hans, hant = ArgosEngine("zh-Hans"), ArgosEngine("zh-Hant")
    hans._load()
    hant._load()
    assert hans._translator is hant._translator and hans._sp is hant._sp
    other = ArgosEngine("zh-Hans", inter_threads=1, intra_threads=1)
    other._load()
    assert other._translator is not hans._translator  # different thread settings: its own translator


@pytest.mark.parametrize(
    ("platform", "files", "possible"),
    [
        ("linux", set(), False),
        ("linux", {"/dev/nvidiactl"}, True),
        ("linux", {"/proc/driver/nvidia/version"}, True),
        ("linux", {"/dev/dxg"}, True),  # WSL 2
        ("darwin", {"/dev/nvidiactl"}, False),
        ("win32", set(), True),  # no cheap answer there: CTranslate2 is asked
    ],
)
def test_cuda_is_probed_only_where_a_driver_could_be(platform: str, files: set[str], possible: bool) -> None:
    from workbench.engines.argos import cuda_possible

    assert cuda_possible(platform, exists=files.__contains__) is possible


@pytest.mark.parametrize(
    ("text", "lang", "loaded"),
    [
        ("联合国与区域组织的合作。\n", None, True),  # language detected from the first document
        ("合作。\n", "zh-Hans", True),  # language given
        ("Cooperation between the United Nations and regional organizations.\n", None, False),  # en: nothing to load
    ],
)
def test_prewarm_loads_the_runs_model_for_its_engine(argos_models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, lang: str | None, loaded: bool) -> None:
    from workbench.engines import argos

    monkeypatch.setattr(argos, "_PREWARM", None)
    _LOADED.clear()
    doc = tmp_path / "docs" / "a.txt"
    doc.parent.mkdir()
    doc.write_text(text, encoding="utf-8")
    argos.prewarm([doc.parent], lang, {"beam_size": 2})
    assert argos._PREWARM is not None
    argos._PREWARM.join()
    assert bool(_LOADED) == loaded
    if loaded:
        engine = ArgosEngine("zh-Hans", beam_size=2)
        translator = next(iter(_LOADED.values()))[1]
        engine._load()
        assert engine._translator is translator  # the run's engine takes the prewarmed model
