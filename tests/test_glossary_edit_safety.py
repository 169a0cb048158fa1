"""Glossary edits that never lose a term: a lock around read-modify-write, and strings that
read back as the same strings (PyYAML would read ``no``/``On`` as booleans)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.glossary import Glossary

DATA = Path(__file__).resolve().parent / "data" / "glossary"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(DATA / "small.yaml", tmp_path / "glossary.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "args, en, fam, variant",
    [
        (["--en", "On", "--vi", "no"], "On", "vi", "no"),
        (["--en", "No", "--zh", "否"], "No", "zh", "否"),
        (["--en", "yes sir", "--vi", "Yes"], "yes sir", "vi", "Yes"),
        (["--en", "null", "--vi", "~"], "null", "vi", "~"),
        (["--en", "1e3 plan", "--vi", "1e3"], "1e3 plan", "vi", "1e3"),
        (["--en", "True North", "--vi", "off"], "True North", "vi", "off"),
    ],
)
def test_every_string_written_reads_back_as_the_same_string(project: Path, args: list[str], en: str, fam: str, variant: str) -> None:
    r = CliRunner().invoke(cli, ["glossary", "add", *args])
    assert r.exit_code == 0, r.output
    g = Glossary.load(project / "glossary.yaml")  # PyYAML, YAML 1.1: would refuse a boolean
    term = next(t for t in g.terms if t.en == en)
    assert variant in term.variants[fam]


def test_a_csv_cell_no_is_imported_as_the_string_no(project: Path) -> None:
    (project / "terms.csv").write_text("en,vi\nNo objection,No\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["glossary", "import", "terms.csv"])
    assert r.exit_code == 0, r.output
    term = next(t for t in Glossary.load(project / "glossary.yaml").terms if t.en == "No objection")
    assert term.variants["vi"] == ("No",)


def test_two_adds_at_once_keep_both_terms(project: Path) -> None:
    """Eight `glossary add` processes started together: every term lands, every one exits 0."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "workbench", "glossary", "add", "--en", f"concurrent term {i}", "--zh", f"并发术语{chr(0x4E00 + i)}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(8)
    ]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0] * 8, [p.stderr.read().decode() for p in procs if p.stderr]  # type: ignore[union-attr]
    ens = {t.en for t in Glossary.load(project / "glossary.yaml").terms}
    assert {f"concurrent term {i}" for i in range(8)} <= ens


def test_the_edit_lock_leaves_nothing_beside_the_glossary(project: Path) -> None:
    from workbench.glossary.edit import edit_lock

    before = {p.name for p in project.iterdir()}
    with edit_lock(project / "glossary.yaml"):
        pass
    assert {p.name for p in project.iterdir()} == before
