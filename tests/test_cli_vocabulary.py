"""One CLI vocabulary: --json on every command that changes something (and JSON errors), one
language-tag function for every --lang, and each document's title in the document lists."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest

from cli_helpers import refused, run_cli
from workbench.cli import cli
from workbench.errors import InputError

ROOT = Path(__file__).resolve().parent.parent

#: Commands that only read (or serve): everything else changes a file and must have --json.
READ_ONLY = {
    "status", "segment", "detect", "models list", "align", "evaluate",
    "review serve", "review show", "review memory", "review history", "review orphans", "review search",
    "glossary list", "glossary show", "glossary validate", "glossary check", "glossary suggest",
}


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, click.Command]]:
    out = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # (the CLI loads its command modules lazily)
        cmd = group.get_command(ctx, name)
        assert cmd is not None, name
        if isinstance(cmd, click.Group):
            out += _commands(cmd, path + (name,))
        else:
            out.append((" ".join(path + (name,)), cmd))
    return out


@pytest.mark.parametrize("name, cmd", [c for c in _commands(cli) if c[0] not in READ_ONLY], ids=lambda x: x if isinstance(x, str) else "")
def test_every_changing_command_has_json(name: str, cmd: click.Command) -> None:
    assert any(p.name == "as_json" and "--json" in p.opts for p in cmd.params), f"`workbench {name}` has no --json"


def test_read_only_list_names_real_commands() -> None:
    assert READ_ONLY <= {n for n, _ in _commands(cli)}


DOC = "安全理事会的报告\n\n安全理事会审议了这个问题。大会通过了决议。\n\n秘书长提交了报告。\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "no-models"))
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    (tmp_path / "report.v2.txt").write_text(DOC, encoding="utf-8")
    r = run_cli("translate", "report.v2.txt", "--engine", "copy")
    assert r.exit_code == 0, r.output
    return tmp_path


def _segments() -> list[dict]:
    r = run_cli("review", "show", "report.v2", "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["segments"]


def test_review_changes_report_as_json(project: Path) -> None:
    seg = _segments()[1]["id"]
    r = run_cli("review", "edit", "report.v2", seg, "The Security Council considered the question.", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["action"] == "edited" and data["stem"] == "report.v2" and data["written"] is True
    assert [(s["id"], s["status"], s["target"]) for s in data["segments"]] == [(seg, "edited", "The Security Council considered the question.")]
    assert data["counts"]["edited"] == 1 and len(data["digest"]) == 64
    r = run_cli("review", "note", "report.v2", seg, "check the date", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["segments"][0]["notes"] == 1
    r = run_cli("review", "approve", "report.v2", seg, "--override", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["segments"][0]["status"] == "approved"
    r = run_cli("review", "undo", "report.v2", seg, "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["segments"][0]["status"] == "edited"


@pytest.mark.parametrize("args, code, text", [
    (["review", "edit", "report.v2", "nosuch", "x"], 2, "no segment 'nosuch' in report.v2"),
    (["review", "approve", "report.v2", "nosuch"], 2, "no segment 'nosuch' in report.v2"),
    (["review", "discard", "report.v2", "nosuch"], 2, "no orphan 'nosuch' in report.v2"),
    (["review", "note", "nosuch-doc", "s1", "x"], None, "nosuch-doc"),
    (["resolve", "report.v2", "nosuch"], 2, "nosuch"),
])
def test_json_errors_are_json(project: Path, args: list[str], code: int | None, text: str) -> None:
    before = (project / "translations" / "report.v2.yaml").read_bytes()
    r = run_cli(*args, "--json")
    err = json.loads(r.stdout)
    assert set(err) == {"error", "exit_code"} and err["exit_code"] == r.exit_code != 0 and text in err["error"]
    if code is not None:
        assert r.exit_code == code
    refused(r, r.exit_code, text)
    assert (project / "translations" / "report.v2.yaml").read_bytes() == before


# ------------------------------------------------------------------ document titles


@pytest.mark.parametrize("text, title", [
    (DOC, "安全理事会的报告"),
    ("The Council met on 3 May and adopted the report.\n\nAnnual report of the Council\n\nIt met twice.\n", "Annual report of the Council"),
    ("Lần đầu thảo luận hợp tác Liên Hợp quốc - ASEAN\n\nHội đồng Bảo an đã họp.\n", "Lần đầu thảo luận hợp tác Liên Hợp quốc - ASEAN"),
    ("The Council met. It adopted the report.\n", "The Council met."),  # no heading: the first sentence
])
def test_status_shows_each_documents_title(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, title: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    assert run_cli("translate", "doc.txt", "--engine", "copy").exit_code == 0
    r = run_cli("status", "--json")
    assert [d["title"] for d in json.loads(r.stdout)["documents"]] == [title]
    r = run_cli("status")
    assert r.stdout.startswith(f"doc  \u201c{title}\u201d [")


def test_html_title_is_its_first_heading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    html = '<!DOCTYPE html><html lang="zh-Hans"><body><p>安全理事会审议了这个问题。</p><h1>年度报告</h1><p>大会通过了决议。</p></body></html>'
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    assert run_cli("translate", "page.html", "--engine", "copy").exit_code == 0
    assert [d["title"] for d in json.loads(run_cli("status", "--json").stdout)["documents"]] == ["年度报告"]


# ------------------------------------------------------------------ --lang: one function everywhere


@pytest.mark.parametrize("tag, fam", [("zh", "zh"), ("zh_CN", "zh"), ("zh-TW", "zh"), ("zh-Hant-TW", "zh"), ("vi_VN", "vi"), ("vi-VN", "vi")])
def test_glossary_lang_takes_every_tag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tag: str, fam: str) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    assert json.loads(run_cli("glossary", "list", "--lang", tag, "--json").stdout) == json.loads(run_cli("glossary", "list", "--lang", fam, "--json").stdout)
    r = run_cli("glossary", "export", "g.txt", "--lang", tag, "--json")
    assert r.exit_code == 0, r.output
    shutil.copy("g.txt", "first.txt")
    assert run_cli("glossary", "export", "g.txt", "--lang", fam).exit_code == 0
    assert Path("g.txt").read_bytes() == Path("first.txt").read_bytes()


@pytest.mark.parametrize("args", [["glossary", "list"], ["glossary", "export", "g.txt"], ["segment", "-", "--jsonl"]])
@pytest.mark.parametrize("tag", ["fr", "zh-Latn"])
def test_unknown_tag_is_the_same_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], tag: str) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    r = run_cli(*args, "--lang", tag, input='"第一句。第二句！"\n')
    refused(r, InputError.exit_code, f"unknown language {tag!r}", "zh-Hans", "zh-TW", "vi_VN")
    assert not Path("g.txt").exists()


@pytest.mark.parametrize("args, text", [(["glossary", "list", "--lang", "en-GB"], "--lang en-GB"), (["glossary", "export", "g.txt", "--lang", "en"], "--lang en")])
def test_english_is_not_a_glossary_source_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], text: str) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    refused(run_cli(*args), None, text, "--lang zh or --lang vi")


@pytest.mark.parametrize("tag", ["zh_CN", "zh-TW", "zh-Hant-TW", "cmn", "zt"])
def test_segment_jsonl_takes_every_tag(tag: str) -> None:
    r = run_cli("segment", "-", "--jsonl", "--lang", tag, input='"第一句。第二句！"\n')
    assert r.exit_code == 0, r.output
    assert [json.loads(line) for line in r.stdout.splitlines()] == [["第一句。", "第二句！"]]
