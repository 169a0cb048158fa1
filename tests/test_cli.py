"""The command line: exit codes, one-line errors, JSON outputs, --help examples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("WORKBENCH_ARGOS_INDEX", "http://127.0.0.1:9/index.json")
    return CliRunner()


def _one_line_error(result, code: int, text: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, result.output
    err = result.stderr if hasattr(result, "stderr") else result.output
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and text in lines[0], err


@pytest.mark.parametrize("command", [[], ["translate"], ["status"], ["segment"], ["models"], ["models", "list"], ["models", "install"], ["detect"]])
def test_help_has_an_example(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_translate_json_then_status(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["translate", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    docs = data["documents"]
    assert len(docs) == 5
    for d in docs:
        assert {"document", "source_lang", "engine", "segments", "translated", "reused", "kept"} <= set(d)
        assert d["translated"] == d["segments"]
    assert "workbench models install vi" in result.stderr  # the copy fallback is said plainly
    again = json.loads(runner.invoke(cli, ["translate", "--json"]).stdout)
    assert all(d["translated"] == 0 and d["reused"] == d["segments"] for d in again["documents"])
    status = runner.invoke(cli, ["status", "--json"])
    assert status.exit_code == 0
    rows = json.loads(status.stdout)["documents"]
    assert [r["source_lang"] for r in rows] == ["zh-Hans", "vi", "vi", "en", "zh-Hant"]
    assert all(r["by_status"]["draft"] == r["segments"] for r in rows)
    text = runner.invoke(cli, ["status"]).output
    assert "NO MACHINE TRANSLATION" in text


def test_translate_text_output(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["translate", "seeds/003_48e5bbd035215e94.txt"])
    assert result.exit_code == 0
    assert "003_48e5bbd035215e94.txt [en]" in result.stdout


@pytest.mark.parametrize(
    "args, code, text",
    [
        (["translate", "nope.txt"], 2, "nope.txt: no such file or directory"),
        (["translate", "--lang", "fr"], 2, "unknown language 'fr'"),
        (["translate", "--glossary", "missing.yaml"], 3, "missing.yaml"),
        (["translate", "--engine", "argos"], 6, "workbench models install"),
        (["status"], 4, "run `workbench translate` first"),
        (["segment", "nope.txt"], 2, "no such file"),
        (["models", "install", "zh-Hans", "--file", "nope.argosmodel"], 5, "nope.argosmodel"),
        (["models", "install", "xx"], 2, "unknown language 'xx'"),
    ],
)
def test_errors_are_one_line_with_exit_codes(runner: CliRunner, args: list[str], code: int, text: str) -> None:
    _one_line_error(runner.invoke(cli, args), code, text)


def test_empty_and_binary_documents(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 10)
    _one_line_error(runner.invoke(cli, ["translate", "empty.txt"]), 2, "empty")
    _one_line_error(runner.invoke(cli, ["translate", "bin.txt"]), 2, "not a text file")
    assert not (tmp_path / "translations" / "empty.yaml").exists()


def test_invalid_translations_file_is_named_and_untouched(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["translate", "seeds/003_48e5bbd035215e94.txt"]).exit_code == 0
    path = tmp_path / "translations" / "003_48e5bbd035215e94.yaml"
    broken = path.read_text(encoding="utf-8").replace("status: draft", "status: finished", 1)
    path.write_text(broken, encoding="utf-8")
    # one broken file breaks only itself: the other documents are translated, the run exits 4 naming it
    result = runner.invoke(cli, ["translate", "--no-download"])
    assert result.exit_code == 4
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "003_48e5bbd035215e94.yaml: segment" in errors[0] and "Traceback" not in result.output
    assert path.read_text(encoding="utf-8") == broken
    assert (tmp_path / "translations" / "000_093349a39d32f8f2.yaml").exists()
    status = runner.invoke(cli, ["status"])
    assert status.exit_code == 4 and "000_093349a39d32f8f2  \u201c2021年3月25日越南常驻联合国代表给秘书长的信\u201d [zh-Hans]" in status.stdout and "003_48e5bbd035215e94: CANNOT BE READ" in status.stdout


def test_segment_outputs(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["segment", "-", "--json", "--lang", "zh-Hans"], input="第一句。第二句！第三句？")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == ["第一句。", "第二句！", "第三句？"]
    lines = '"Ông A đến. Bà B đi."\n"第一句。第二句。"\n'
    result = runner.invoke(cli, ["segment", "-", "--jsonl"], input=lines)
    assert result.exit_code == 0
    assert [json.loads(x) for x in result.stdout.splitlines()] == [["Ông A đến.", "Bà B đi."], ["第一句。", "第二句。"]]
    plain = runner.invoke(cli, ["segment", "seeds/001_85fdaf6eba83a0b1.txt"])
    assert plain.exit_code == 0 and len(plain.stdout.splitlines()) > 20
    bad = runner.invoke(cli, ["segment", "-", "--jsonl"], input="not json\n")
    _one_line_error(bad, 2, "line 1")


def test_detect(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["detect", "seeds/004_c0907f7ee83eb81c.txt", "--json"])
    assert json.loads(result.stdout)[0]["lang"] == "zh-Hant"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], {}),
        (["--beam", "2", "--inter-threads", "1", "--intra-threads", "2"], {"beam_size": 2, "inter_threads": 1, "intra_threads": 2}),
        (["--batch-tokens", "1024", "--batch-sentences", "32"], {"max_batch_tokens": 1024, "chunk_size": 32}),
    ],
)
def test_translate_passes_engine_options(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str], expected: dict[str, int]) -> None:
    import workbench.translate as translate_mod

    seen: dict[str, object] = {}

    def fake(*a: object, **kw: object) -> object:
        seen.update(kw)
        raise InputError("stop here")

    monkeypatch.setattr(translate_mod, "translate_documents", fake)
    result = runner.invoke(cli, ["translate", "--engine", "copy", *args])
    assert result.exit_code == 2 and "stop here" in result.output
    assert seen["engine_options"] == expected


@pytest.mark.parametrize("args", [["--batch-sentences", "0"], ["--batch-tokens", "8"], ["--inter-threads", "0"], ["--beam", "17"]])
def test_translate_refuses_bad_engine_options(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, ["translate", *args])
    assert result.exit_code == 2 and "Invalid value" in result.output
    assert not Path("translations").exists()
