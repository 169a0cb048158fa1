"""End to end through a tiny but real Argos package (SentencePiece + CTranslate2, random weights):
`workbench translate --engine argos`, `--engine auto` with installed and downloadable models,
glossary terms guaranteed in the draft, and re-runs that decode nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from argos_fixture import build_tiny_package, index_entry, write_index
from workbench import models, store
from workbench.cli import cli
from workbench.engines.argos import ArgosEngine
from workbench.glossary import Glossary, contains_term

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def tiny_vi_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_package(tmp_path_factory.mktemp("vi-package"), from_code="vi")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def decode_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the sentences the Argos engine is asked to decode."""
    calls: list[int] = []
    original = ArgosEngine.translate_batch

    def counting(self: ArgosEngine, texts: list[str], progress: object = None) -> list[str]:
        calls.append(len(texts))
        return original(self, texts, progress)  # type: ignore[arg-type]

    monkeypatch.setattr(ArgosEngine, "translate_batch", counting)
    return calls


def test_translate_with_argos_end_to_end(project: Path, argos_models_dir: Path, tiny_vi_package: Path, decode_calls: list[int]) -> None:
    models.install_file(tiny_vi_package, argos_models_dir)
    runner = CliRunner()
    result = runner.invoke(cli, ["translate", "--engine", "argos", "--json"])
    assert result.exit_code == 0, result.output
    docs = {Path(d["document"]).stem: d for d in json.loads(result.stdout)["documents"]}
    assert {d["engine"] for k, d in docs.items() if not k.startswith("003")} == {"argos"}
    assert docs["003_48e5bbd035215e94"]["engine"] == "copy"  # English passes through
    assert sum(decode_calls) > 0
    glossary = Glossary.load(project / "glossary.yaml")
    for stem in ("000_093349a39d32f8f2", "001_85fdaf6eba83a0b1", "004_c0907f7ee83eb81c"):
        doc = store.load(project / "translations" / f"{stem}.yaml")
        assert doc is not None
        assert doc.signature["engine"] == "argos"
        assert doc.signature["model"] in {"translate-zh_en", "translate-vi_en"}
        assert doc.signature["model_version"] == "1.0"
        assert doc.signature["glossary"] == glossary.hash
        uses = [u for s in doc.segments for u in s.terms]
        assert uses, stem
        for seg in (s for s in doc.segments if s.source):
            assert seg.mt == seg.target and seg.status == "draft"
            assert seg.origin.startswith("argos:translate-")
            for u in seg.terms:  # every glossary hit is in the draft, whatever the model did
                assert u.applied and (contains_term(seg.target, u.en) or u.source in seg.target), (seg.id, u)
    zh = store.load(project / "translations" / "000_093349a39d32f8f2.yaml")
    assert zh is not None
    numbered = next(s for s in zh.segments if s.prefix.strip() == "1.")  # structure stays out of MT...
    assert not numbered.source.startswith("1.") and "1. " + numbered.target in zh.target_text()  # ...and comes back

    # A reviewer edits one segment; the re-run keeps it and decodes nothing.
    path = project / "translations" / "000_093349a39d32f8f2.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = next(s for s in data["segments"] if s["source"])
    first["target"], first["status"] = "Letter dated 25 March 2021 from the Permanent Representative of Viet Nam.", "edited"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    decode_calls.clear()
    again = runner.invoke(cli, ["translate", "--engine", "argos", "--json"])
    assert again.exit_code == 0, again.output
    assert decode_calls == []
    docs = {Path(d["document"]).stem: d for d in json.loads(again.stdout)["documents"]}
    assert docs["000_093349a39d32f8f2"]["kept"] == 1
    assert all(d["translated"] == 0 for d in docs.values())
    kept = store.load(path)
    assert kept is not None and kept.segments[[s.id for s in kept.segments].index(first["id"])].target.startswith("Letter dated")


def test_auto_uses_installed_models_and_copy_for_the_rest(project: Path, argos_models_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["translate", "--json", "--no-download"])
    assert result.exit_code == 0, result.output
    engines = {d["source_lang"]: d["engine"] for d in json.loads(result.stdout)["documents"]}
    assert engines == {"zh-Hans": "argos", "zh-Hant": "argos", "vi": "copy", "en": "copy"}
    assert "vi -> en" in result.stderr and "workbench models install vi" in result.stderr
    assert "zh-Hans -> en" not in result.stderr


def test_auto_downloads_from_the_index_and_says_so(project: Path, argos_models_dir: Path, tiny_vi_package: Path, server) -> None:  # type: ignore[no-untyped-def]
    srv, root = server
    shutil.copy(tiny_vi_package, root / "translate-vi_en.argosmodel")
    write_index(root, [index_entry("vi", f"{srv.url}/translate-vi_en.argosmodel")])
    result = CliRunner().invoke(cli, ["translate", "seeds/001_85fdaf6eba83a0b1.txt", "--json", "--index", f"{srv.url}/index.json"])
    assert result.exit_code == 0, result.output
    assert "vi -> en: downloading Argos package translate-vi_en 1.0 (" in result.stderr
    assert "MB)" in result.stderr  # the size is said before downloading
    assert json.loads(result.stdout)["documents"][0]["engine"] == "argos"
    assert models.find_installed("vi", "en") is not None


def test_models_cli_install_from_file_and_index(project: Path, tmp_path: Path, tiny_vi_package: Path, monkeypatch: pytest.MonkeyPatch, server) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "models"))
    runner = CliRunner()
    result = runner.invoke(cli, ["models", "install", "vi", "--file", str(tiny_vi_package)])
    assert result.exit_code == 0, result.output
    assert "installed translate-vi_en 1.0" in result.stdout
    listing = json.loads(runner.invoke(cli, ["models", "list", "--json"]).stdout)
    assert [p["name"] for p in listing["installed"]] == ["translate-vi_en"]
    srv, root = server
    shutil.copy(tiny_vi_package, root / "zh.argosmodel")
    zh_pkg = build_tiny_package(tmp_path / "zhpkg", from_code="zh")
    shutil.copy(zh_pkg, root / "zh.argosmodel")
    write_index(root, [index_entry("zh", f"{srv.url}/zh.argosmodel")])
    result = runner.invoke(cli, ["models", "install", "zh-Hans", "--index", f"{srv.url}/index.json", "--json"])
    assert result.exit_code == 0, result.output
    installed = json.loads(result.stdout)["installed"]
    assert [(p["name"], p["from"], p["to"]) for p in installed] == [("translate-zh_en", "zh", "en")]
    assert "/zh.argosmodel" in srv.served


@pytest.mark.parametrize("engine", ["argos", "auto"])
def test_the_model_starts_loading_before_the_glossary_is_read(project: Path, argos_models_dir: Path, monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    events: list[str] = []
    engines: set[int] = set()
    real_preload, real_load = ArgosEngine.preload, Glossary.load
    monkeypatch.setattr(ArgosEngine, "preload", lambda self: (events.append("preload"), engines.add(id(self)), real_preload(self))[2])
    monkeypatch.setattr(Glossary, "load", classmethod(lambda cls, path: (events.append("glossary"), real_load.__func__(cls, path))[1]))
    result = CliRunner().invoke(cli, ["translate", "seeds/000_093349a39d32f8f2.txt", "--engine", engine, "--no-download"])
    assert result.exit_code == 0, result.output
    assert events[:2] == ["preload", "glossary"]
    assert len(engines) == 1  # the engine that preloaded is the one that translates


@pytest.mark.parametrize("engine", ["copy", "argos"])
def test_a_translate_run_imports_no_review_export_or_interchange_code(project: Path, argos_models_dir: Path, engine: str) -> None:
    import os
    import subprocess
    import sys

    code = (
        "import sys, runpy\n"
        f"sys.argv = ['workbench', 'translate', 'seeds/000_093349a39d32f8f2.txt', '--engine', '{engine}', '--no-download']\n"
        "try:\n    runpy.run_module('workbench', run_name='__main__')\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(' '.join(sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ, WORKBENCH_MODELS_DIR=str(argos_models_dir)))
    assert proc.returncode == 0, proc.stderr
    loaded = set(proc.stdout.split())
    unwanted = ("translate", "ruamel", "sacrebleu", "lxml", "docx", "scipy", "rapidfuzz", "urllib.request", "workbench.review", "workbench.export", "workbench.server", "workbench.align", "workbench.evaluate")
    # start-up: a usual language tag needs no langcodes, a document of this size no numpy, a CPU-only machine no CUDA probe
    unwanted += ("langcodes", "numpy") + (("ctranslate2",) if engine == "copy" else ())
    assert sorted(m for m in loaded if m.split(".")[0] in unwanted or m in unwanted or any(m.startswith(u + ".") for u in unwanted)) == []
