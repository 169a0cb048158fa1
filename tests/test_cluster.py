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


ray = pytest.importorskip("ray")


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
    shutil.copytree(ROOT / "seeds", dest / "seeds")
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
    # again, the package now shipped through the object store into a node cache
    with RayExecutor("auto", out_dir=project / "translations", actors=2, shard_size=4, ship="object-store", cache_dir=tmp_path / "node-cache") as executor:
        translate_documents([Path("seeds")], out_dir=Path("translations"), engine="argos", download=False, executor=executor)
    summary = executor.summary()
    assert summary["shards_resumed"] == 3 and summary["sentences_resumed"] == 12
    assert {p for w in summary["workers"] for p in str(w["package"]).split(", ")} <= {"object store", "object store (cached on node)"}  # type: ignore[union-attr, index]
    assert _files(project) == plain
    assert not (project / "translations" / ".cluster").exists()
