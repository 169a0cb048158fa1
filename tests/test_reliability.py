"""Crashes and concurrency lose nothing: kill -9 at random points during `translate`,
two runs at once, and a translations file that was edited meanwhile."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from workbench import store

ROOT = Path(__file__).resolve().parent.parent


def _workbench(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WORKBENCH_MODELS_DIR": str(cwd / "models"), "WORKBENCH_ARGOS_INDEX": "http://127.0.0.1:9/index.json"}
    return subprocess.Popen([sys.executable, "-m", "workbench", *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture
def big_project(tmp_path: Path) -> Path:
    """The seeds plus a ~600 KB Vietnamese document, so a run lasts long enough to be killed."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    vi = (ROOT / "seeds" / "001_85fdaf6eba83a0b1.txt").read_text(encoding="utf-8")
    lines = [f"{i}. {line}" for i, line in enumerate(vi.splitlines() * 90) if line.strip()]
    (tmp_path / "seeds" / "big.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def _assert_consistent(project: Path) -> None:
    """Every translations file is a complete, valid version (old or new), never half of one."""
    for path in (project / "translations").glob("*.yaml"):
        doc = store.load(path)
        assert doc is not None and doc.segments
        # complete: the segments rebuild exactly the source text the file says it was made from
        assert hashlib.sha256(doc.source_text().encode("utf-8")).hexdigest() == doc.source_sha256


def test_kill_9_at_random_points_then_rerun_completes(big_project: Path) -> None:
    first = _workbench("translate", "--engine", "copy", cwd=big_project)
    assert first.wait(120) == 0, first.stderr.read()  # type: ignore[union-attr]
    # A human edit that every later run must keep.
    path = big_project / "translations" / "big.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["segments"][3]["target"], data["segments"][3]["status"] = "Approved by a reviewer.", "approved"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    seed = big_project / "seeds" / "big.txt"
    rng = random.Random(7)
    for round_ in range(5):
        # change the document so the run has real work to write
        seed.write_text(seed.read_text(encoding="utf-8") + f"Câu bổ sung số {round_}.\n", encoding="utf-8")
        proc = _workbench("translate", "--engine", "copy", cwd=big_project)
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        _assert_consistent(big_project)
    done = _workbench("translate", "--engine", "copy", "--json", cwd=big_project)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    _assert_consistent(big_project)
    final = store.load(path)
    assert final is not None
    assert any(s.target == "Approved by a reviewer." and s.status == "approved" for s in final.segments)
    assert final.segments[-1].source == "Câu bổ sung số 4."


def test_two_runs_at_once_second_is_refused_clearly(big_project: Path) -> None:
    first = _workbench("translate", "--engine", "copy", cwd=big_project)
    deadline = time.time() + 30
    while not (big_project / "translations" / ".workbench.lock").exists() and time.time() < deadline:
        time.sleep(0.02)
    second = _workbench("translate", "--engine", "copy", cwd=big_project)
    _, err = second.communicate(timeout=60)
    first_rc = first.wait(120)
    assert first_rc == 0
    if second.returncode != 0:  # it started while the first held the lock
        assert second.returncode == 7
        assert b"another workbench run is writing" in err
    _assert_consistent(big_project)
