"""`workbench translate --cluster`: decoding on a local Ray cluster (loopback, 2 CPUs, started once
for the module) with the tiny real Argos packages, compared file for file with a plain run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from pathlib import Path
from typing import Iterator

import pytest

from argos_fixture import build_tiny_package
from cli_helpers import refused, run_cli
from workbench import models

ROOT = Path(__file__).resolve().parent.parent


def test_cluster_without_ray_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails as if it were not installed
    line = refused(run_cli("translate", "--cluster", "auto", "--engine", "copy"), 6, "pip install 'workbench[cluster]'")
    assert "--cluster needs Ray" in line
    assert not (tmp_path / "translations").exists() or not list((tmp_path / "translations").glob("*.yaml"))


def _batches(engine, texts: list[str]) -> set[frozenset[tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    """The batches (sets of token sequences) ``engine.translate_batch(texts)`` decodes."""
    from workbench.engines.argos import split_long

    engine._wait_loaded()
    units: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for text in engine.prepare(texts):
        for piece in split_long(engine._sp.encode(text, out_type=str), engine.max_input_tokens) if text.strip() else []:
            if tuple(piece) not in seen:
                seen.add(tuple(piece))
                units.append(piece)
    return {frozenset(tuple(units[u]) for u in batch) for batch in engine._groups(units)}


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
@pytest.mark.parametrize("max_input", [400, 12])  # 12: many inputs cut into pieces, tying batches together
@pytest.mark.parametrize("size", [1, 7, 64])
def test_shards_are_whole_batches_of_the_single_call(argos_models_dir: Path, lang: str, max_input: int, size: int) -> None:
    """Each shard, decoded on its own, forms batches the one-call run forms too (so the same
    arithmetic and the same translations); every sentence is in exactly one shard."""
    from workbench.cluster import plan_shards
    from workbench.engines.argos import ArgosEngine
    from workbench.segment import segment_document

    texts = [s.text for doc in sorted((ROOT / "seeds").glob("00[012]_*.txt")) for s in segment_document(doc.read_text(encoding="utf-8"), lang)]
    texts += texts[:5] + ["", "  "]  # repeats and blanks, as a run may send
    engine = ArgosEngine(lang, max_input_tokens=max_input, max_batch_tokens=128, chunk_size=16)
    shards = plan_shards(engine, texts, size)
    flat = [t for shard in shards for t in shard]
    assert sorted(flat) == sorted(dict.fromkeys(texts))  # nothing lost, nothing twice
    whole = _batches(engine, texts)
    for shard in shards:
        assert _batches(engine, shard) <= whole
    if max_input == 400:
        assert len(shards) >= len(flat) // max(size, 64) and max(map(len, shards)) < size + 40


@pytest.mark.parametrize(("lang", "seeds"), [("zh-Hans", "000"), ("zh-Hant", "004"), ("zh-Hans", "00[0-4]")])  # 00[0-4]: vi and en text too
@pytest.mark.parametrize("size", [1, 8])
def test_shards_decoded_apart_give_the_single_calls_translations(argos_models_dir: Path, lang: str, seeds: str, size: int) -> None:
    """The real tiny model: every shard decoded by its own call (another engine, one thread,
    shards in another order) translates each sentence as the one call on all sentences does."""
    from workbench.cluster import plan_shards
    from workbench.engines.argos import ArgosEngine
    from workbench.segment import segment_document

    docs = sorted((ROOT / "seeds").glob(f"{seeds}_*.txt"))
    texts = [s.text for doc in docs for s in segment_document(doc.read_text(encoding="utf-8"), lang) if s.text]
    whole = dict(zip(texts, ArgosEngine(lang, inter_threads=2, intra_threads=1).translate_batch(texts)))
    worker = ArgosEngine(lang, inter_threads=1, intra_threads=1)
    shards = plan_shards(worker, texts, size)
    apart = {t: o for shard in reversed(shards) for t, o in zip(shard, worker.translate_batch(shard))}
    assert len(shards) > 1 and apart == whole


@pytest.mark.parametrize(
    ("sentences", "slots", "size"),
    [
        (631, [{"num_gpus": 0}] * 2, 40),  # ~8 shards per actor
        (100, [{"num_gpus": 0}], 32),  # at least 32 sentences
        (11_000_000, [{"num_gpus": 0}] * 64, 256),  # at most 256: batches stay full, few checkpoints
        (10_000, [{"num_gpus": 1}] * 2, 625),
        (100, [{"num_gpus": 1}], 256),
    ],
)
def test_default_shard_size(sentences: int, slots: list[dict[str, int]], size: int) -> None:
    from workbench.cluster import default_shard_size

    assert default_shard_size(sentences, slots) == size  # type: ignore[arg-type]


ray = pytest.importorskip("ray")


def test_an_unreachable_cluster_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")

    def refuse(*_a: object, **_k: object) -> None:
        raise ConnectionError("connection refused")

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", refuse)
    refused(run_cli("translate", "--cluster", "ray://127.0.0.1:1", "--engine", "copy"), 6, "cannot reach the Ray cluster at ray://127.0.0.1:1", "ray start --head")
    assert not list(tmp_path.glob("translations/*.yaml"))


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False, logging_level="ERROR")
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A packages directory with the tiny zh and vi -> en packages (WORKBENCH_MODELS_DIR)."""
    base = tmp_path_factory.mktemp("cluster-models")
    models_dir = base / "models"
    for code in ("zh", "vi"):
        models.install_file(build_tiny_package(base / code, from_code=code), models_dir)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKBENCH_MODELS_DIR", str(models_dir))
        yield models_dir


def _project(dest: Path) -> Path:
    """The five seed documents (zh-Hans, zh-Hant, vi, en), each cut after its first ~800
    characters at a line break (a few dozen sentences each keeps the module fast), and the glossary."""
    (dest / "seeds").mkdir(parents=True)
    for doc in sorted((ROOT / "seeds").glob("*.txt")):
        text = doc.read_text(encoding="utf-8")
        cut = text.find("\n", 800)
        (dest / "seeds" / doc.name).write_text(text if cut < 0 else text[: cut + 1], encoding="utf-8")
    shutil.copy(ROOT / "glossary.yaml", dest / "glossary.yaml")
    return dest


def _files(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "translations").glob("*.yaml"))}


@pytest.fixture(scope="module")
def plain(packages: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The translations files of a plain single-machine run of the seeds."""
    from workbench.translate import translate_documents

    project = _project(tmp_path_factory.mktemp("plain"))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        translate_documents([Path("seeds")], out_dir=Path("translations"), engine="argos", download=False)
    files = _files(project)
    assert len(files) == 5
    return files


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return _project(tmp_path)


def _run(project: Path, **kw: object):  # type: ignore[no-untyped-def]
    from workbench.cluster import cluster_run

    return cluster_run("auto", [Path("seeds")], out_dir=Path("translations"), engine="argos", download=False, **kw)


def test_cli_cluster_run_gives_the_plain_runs_files(ray_cluster: None, packages: Path, plain: dict[str, bytes], project: Path) -> None:
    result = run_cli("translate", "--cluster", "auto", "--cluster-actors", "2", "--shard-size", "8", "--engine", "argos", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert _files(project) == plain  # same targets, same signatures, byte for byte
    cluster = data["cluster"]
    assert cluster["actors"] == 2 and cluster["dead_workers"] == 0
    assert cluster["shards_done"] == cluster["shards"] > 2
    workers = cluster["workers"]
    assert len(workers) == 2 and sum(w["sentences"] for w in workers) == cluster["sentences"]
    assert all(w["package"] == "shared path" and w["sentences_per_s"] > 0 for w in workers if w["sentences"])
    assert sum(d["translated"] for d in data["documents"]) > 0
    assert not (project / "translations" / ".cluster").exists()  # checkpoints go once the store is written
    again = run_cli("translate", "--cluster", "auto", "--engine", "argos", "--json")  # nothing to decode
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["cluster"]["shards"] == 0 and _files(project) == plain


def test_a_killed_worker_loses_nothing(ray_cluster: None, packages: Path, plain: dict[str, bytes], project: Path) -> None:
    from workbench.cluster import RayExecutor
    from workbench.translate import translate_documents

    killed: list[int] = []
    executor: RayExecutor

    def progress(done: int, total: int) -> None:
        if done == 1 and not killed:  # mid-run: one shard back, many to go
            pids = [int(w["pid"]) for w in executor.summary()["workers"] if w["pid"]]  # type: ignore[union-attr, index, call-overload]
            os.kill(pids[-1], signal.SIGKILL)
            killed.append(pids[-1])

    with RayExecutor("auto", out_dir=project / "translations", actors=2, shard_size=4, progress=progress) as executor:
        result = translate_documents([Path("seeds")], out_dir=Path("translations"), engine="argos", download=False, executor=executor)
    summary = executor.summary()
    assert killed and summary["dead_workers"] == 1
    assert summary["shards_done"] == summary["shards"]  # every shard once...
    assert summary["duplicate_results_ignored"] == 0
    assert sum(w["sentences"] for w in summary["workers"]) == summary["sentences"]  # type: ignore[union-attr, index, misc]
    assert len(summary["workers"]) == 3  # type: ignore[arg-type]  # the dead one and its replacement
    assert _files(project) == plain  # ...and nothing lost
    assert all(d.written for d in result.documents)


def test_an_interrupted_run_resumes_from_its_checkpoints(ray_cluster: None, packages: Path, plain: dict[str, bytes], project: Path, tmp_path: Path) -> None:
    from workbench.cluster import RayExecutor
    from workbench.translate import translate_documents

    def stop(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run(project, actors=2, shard_size=4, progress=stop)
    checkpoints = list((project / "translations" / ".cluster").rglob("*.json"))
    assert len(checkpoints) == 3 and not _files(project)  # nothing in the store yet
    checkpoints[0].write_text("{", encoding="utf-8")  # a damaged checkpoint is decoded again
    kept = sum(len(json.loads(p.read_text(encoding="utf-8"))["outputs"]) for p in checkpoints[1:])
    # again, the package now shipped through the object store into a node cache
    with RayExecutor("auto", out_dir=project / "translations", actors=2, shard_size=4, ship="object-store", cache_dir=tmp_path / "node-cache") as executor:
        translate_documents([Path("seeds")], out_dir=Path("translations"), engine="argos", download=False, executor=executor)
    summary = executor.summary()
    assert summary["shards_resumed"] == 2 and summary["sentences_resumed"] == kept >= 2  # the first shards are the longest sentences: few each
    assert {p for w in summary["workers"] for p in str(w["package"]).split(", ")} <= {"object store", "object store (cached on node)"}  # type: ignore[union-attr, index]
    assert _files(project) == plain
    assert not (project / "translations" / ".cluster").exists()


@pytest.mark.parametrize(
    ("actors", "actor_cpus", "planned"),
    [
        (None, None, [2.0]),  # one actor per node, all its cores
        (None, 1, [1.0, 1.0]),  # one per core
        (1, 1, [1.0]),
        (2, None, [1.0, 1.0]),  # sharing the cluster's CPUs
        (1, None, [2.0]),
    ],
)
def test_actor_slots(ray_cluster: None, actors: int | None, actor_cpus: int | None, planned: list[float]) -> None:
    from workbench.cluster import RayExecutor

    executor = RayExecutor("auto", actors=actors, actor_cpus=actor_cpus)
    executor.connect()
    slots = executor._plan_slots()
    assert [s["num_cpus"] for s in slots] == planned and {s["device"] for s in slots} == {"cpu"}
    assert [executor._concurrency(s) for s in slots] == [2 if c > 1 else 1 for c in planned]
