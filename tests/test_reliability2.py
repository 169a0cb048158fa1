"""Reliability, second pass (issue 15): human work lands in the right file, hand-edited files are
refused rather than misread, and every failure is one line. Each test meets the problem where a user
does: the CLI through CliRunner, the review server through HTTP."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from workbench import store
from cli_helpers import refused, request, run_cli, serve

ROOT = Path(__file__).resolve().parent.parent
OUT = Path("translations")
ZH_TEXT = "越南常驻联合国代表给秘书长的信。请将本信作为安全理事会文件分发。"

_cli, _refused = run_cli, refused


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "glossary.yaml").write_bytes((ROOT / "glossary.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "models"))
    return tmp_path


def _translate(here: Path, *names: str) -> None:
    docs = here / "docs"
    docs.mkdir(exist_ok=True)
    for name in names:
        (docs / name).write_text(ZH_TEXT, encoding="utf-8")
    result = _cli("translate", "--engine", "copy", *[docs / n for n in names])
    assert result.exit_code == 0, result.output


def _first_id(stem: str) -> str:
    doc = store.load(store.path_for(OUT, stem))
    assert doc is not None
    return next(s.id for s in doc.segments if s.source)


# ---------------------------------------------------------------- HTTP helpers




# ---------------------------------------------------------------- document names


@pytest.mark.parametrize(
    "file, name",
    [
        ("Report.1.txt", "Report.1"),
        ("A.RES.75.1.txt", "A.RES.75.1"),
        ("report.v2.txt", "report.v2"),
        ("notes.2021.md", "notes.2021"),
        ("Report.1", "Report.1"),  # no document extension: every dot belongs to the name
    ],
)
def test_names_with_dots_work_in_every_command(here: Path, file: str, name: str) -> None:
    _translate(here, file, "Report.txt")
    assert (OUT / f"{name}.yaml").is_file()
    status = _cli("status", "--json")
    assert name in {Path(d["file"]).name[:-5] for d in json.loads(status.output)["documents"]}
    shown = _cli("review", "show", name, "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["file"] == str(OUT / f"{name}.yaml")
    before = (OUT / "Report.yaml").read_bytes()
    sid = _first_id(name)
    assert _cli("review", "edit", name, sid, "Letter from the Permanent Representative").exit_code == 0
    doc = store.load(OUT / f"{name}.yaml")
    assert doc is not None and next(s for s in doc.segments if s.id == sid).status == "edited"
    assert (OUT / "Report.yaml").read_bytes() == before  # the other document is untouched
    exported = _cli("export", name, "--format", "xliff", "--json")
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.output)["written"] == [str(Path("exports") / f"{name}.xlf")]


def test_the_review_page_opens_and_saves_the_dotted_document_not_its_cut_stem(here: Path) -> None:
    _translate(here, "Report.1.txt", "Report.txt")
    other = (OUT / "Report.yaml").read_bytes()
    with serve() as srv:
        status, docs = request(srv, "GET", "/api/docs")
        assert status == 200 and {d["stem"] for d in docs["documents"]} == {"Report", "Report.1"}
        status, page = request(srv, "GET", "/api/doc/Report.1")
        assert status == 200 and page["stem"] == "Report.1", page
        sid = page["segments"][0]["id"]
        status, saved = request(srv, "POST", "/api/doc/Report.1/edit", {"digest": page["digest"], "id": sid, "text": "Letter"})
        assert status == 200, saved
    assert (OUT / "Report.yaml").read_bytes() == other
    doc = store.load(OUT / "Report.1.yaml")
    assert doc is not None and doc.segments[0].target == "Letter" and doc.segments[0].status == "edited"


def test_the_review_page_serves_a_dotted_document_named_on_the_command_line(here: Path) -> None:
    _translate(here, "A.RES.75.1.txt", "A.txt")
    with serve(["docs/A.RES.75.1.txt"]) as srv:
        status, docs = request(srv, "GET", "/api/docs")
        assert status == 200 and [d["stem"] for d in docs["documents"]] == ["A.RES.75.1"]


def test_a_unique_prefix_names_a_document_and_an_ambiguous_one_is_refused(here: Path) -> None:
    _translate(here, "000_alpha.txt", "001_beta.txt", "001_gamma.txt")
    shown = _cli("review", "show", "000", "--json")
    assert shown.exit_code == 0 and json.loads(shown.output)["stem"] == "000_alpha"
    assert _cli("status", "001_b").exit_code == 0
    _refused(_cli("review", "show", "001"), 2, "2 documents start with '001'", "001_beta", "001_gamma", "give more of the name")


def test_an_unknown_document_gets_did_you_mean(here: Path) -> None:
    _translate(here, "A.RES.75.1.txt")
    _refused(_cli("review", "show", "A.RES.75.2"), 4, "no translations file", "did you mean A.RES.75.1?")
    _refused(_cli("export", "B.RES", "--format", "csv"), 4, "no translations file")


def test_a_document_starting_with_a_dot_is_refused_never_invisible(here: Path) -> None:
    (here / ".hidden.txt").write_text(ZH_TEXT, encoding="utf-8")
    _refused(_cli("translate", "--engine", "copy", ".hidden.txt"), 2, ".hidden.txt", "cannot start with a dot", "rename")
    assert not (OUT / ".hidden.yaml").exists()
    (here / "docs").mkdir()
    (here / "docs" / ".hidden.txt").write_text(ZH_TEXT, encoding="utf-8")
    (here / "docs" / "seen.txt").write_text(ZH_TEXT, encoding="utf-8")
    result = _cli("translate", "--engine", "copy", "docs")
    assert result.exit_code == 0, result.output
    assert "skipped docs/.hidden.txt" in result.stderr and "rename" in result.stderr
    assert [p.name for p in OUT.glob("*.yaml")] == ["seen.yaml"]
    _refused(_cli("review", "show", ".hidden"), 2, "cannot start with a dot")


def test_a_document_called_workbench_does_not_share_the_project_lock(here: Path) -> None:
    started = time.monotonic()
    _translate(here, "workbench.txt")
    assert time.monotonic() - started < 8  # the per-file lock used to be the project lock: a 10 s wait, then an error
    assert (OUT / "workbench.yaml").is_file()
    assert _cli("review", "edit", "workbench", _first_id("workbench"), "Letter").exit_code == 0
    _translate(here, "workbench.txt")  # and again, with the file present
    assert store.load(OUT / "workbench.yaml").segments[0].status == "edited"  # type: ignore[union-attr]


# ---------------------------------------------------------------- hand-edited files


def test_duplicate_keys_in_a_translations_file_are_refused_with_line_and_column(here: Path) -> None:
    _translate(here, "doc.txt")
    path = OUT / "doc.yaml"
    text = path.read_text(encoding="utf-8")
    sid = _first_id("doc")
    # a reviewer approved by hand, but the old `status: draft` line stayed below (PyYAML: last one wins)
    broken = text.replace(f"- id: {sid}\n  status: draft\n", f"- id: {sid}\n  status: approved\n  target: Letter\n  status: draft\n", 1)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    line = next(i for i, ln in enumerate(broken.splitlines(), 1) if ln == "  status: draft" and broken.splitlines()[i - 3] == "  status: approved")
    for args in (["status"], ["review", "show", "doc"], ["translate", "--engine", "copy", "docs/doc.txt"], ["export", "--format", "tmx"]):
        msg = _refused(_cli(*args), 4, str(path), f"line {line}, column 3", "'status' appears twice")
        assert "nothing was overwritten" in msg
    assert path.read_text(encoding="utf-8") == broken  # never rewritten


def test_duplicate_keys_in_the_glossary_are_refused_with_line(here: Path) -> None:
    (here / "glossary.yaml").write_text("version: 1\nterms:\n  - en: Security Council\n    en: General Assembly\n    zh: [安理会]\n", encoding="utf-8")
    (here / "doc.txt").write_text(ZH_TEXT, encoding="utf-8")
    _refused(_cli("translate", "--engine", "copy", "doc.txt"), 3, "glossary.yaml", "'en' appears twice", "line 4")


@pytest.mark.parametrize("where", ["paragraph", "target", "confidence", "new-key"])
def test_a_5000_digit_integer_in_a_translations_file_is_one_line_naming_the_file(here: Path, where: str) -> None:
    _translate(here, "doc.txt")
    path = OUT / "doc.yaml"
    text = path.read_text(encoding="utf-8")
    huge = "9" * 5000
    if where == "paragraph":
        text = text.replace("  paragraph: 0\n", f"  paragraph: {huge}\n", 1)
    elif where == "target":
        text = text.replace("  target: ", f"  target: {huge}\n  x_old_target: ", 1)
    elif where == "confidence":
        text = text.replace("  paragraph: 0\n", f"  paragraph: 0\n  confidence: {huge}\n", 1)
    else:
        text = text.replace("format: 1\n", f"format: 1\nextra: {huge}\n", 1)
    path.write_text(text, encoding="utf-8")
    for args in (["status"], ["review", "show", "doc"], ["translate", "--engine", "copy", "docs/doc.txt"]):
        _refused(_cli(*args), 4, str(path), "5000 characters long")


def test_a_5000_digit_integer_in_the_glossary_is_one_line_naming_the_file(here: Path) -> None:
    (here / "glossary.yaml").write_text(f"version: 1\nterms:\n  - en: Security Council\n    zh: [安理会]\n    rank: {'9' * 5000}\n", encoding="utf-8")
    (here / "doc.txt").write_text(ZH_TEXT, encoding="utf-8")
    _refused(_cli("translate", "--engine", "copy", "doc.txt"), 3, "glossary.yaml", "5000 characters long", "line 5")


def test_merge_keys_may_still_be_overridden(here: Path) -> None:
    from workbench.yaml_guard import StrictLoader
    import yaml

    assert yaml.load("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  a: 3\n", Loader=StrictLoader)["x"] == {"a": 3, "b": 2}


# ---------------------------------------------------------------- a reviewer saves while translate runs


@pytest.mark.parametrize("action", ["split", "merge"])
def test_a_split_or_merge_saved_in_the_page_while_translate_runs_wins(here: Path, monkeypatch: pytest.MonkeyPatch, action: str) -> None:
    _translate(here, "doc.txt")
    import workbench.translate as tr

    real_run_jobs = tr.run_jobs
    saved: dict[str, Any] = {}

    with serve() as srv:
        def reviewer_saves_meanwhile(*args: Any, **kwargs: Any) -> None:
            # translate has planned (read the file, segmented, chosen engines) and is decoding now
            if not saved:
                status, page = request(srv, "GET", "/api/doc/doc")
                first = page["segments"][0]
                if action == "split":
                    body = {"digest": page["digest"], "id": first["id"], "source_at": 4, "target_at": len(first["target"]) // 2}
                else:
                    body = {"digest": page["digest"], "id": first["id"]}
                status, after = request(srv, "POST", f"/api/doc/doc/{action}", body)
                assert status == 200, after
                status, after = request(srv, "GET", "/api/doc/doc")  # a change answers with the changed segments only
                saved["segments"] = [(s["id"], s["source"], s["target"], s["status"]) for s in after["segments"] if s["source"]]
            return real_run_jobs(*args, **kwargs)

        monkeypatch.setattr(tr, "run_jobs", reviewer_saves_meanwhile)
        result = _cli("translate", "--engine", "copy", "docs/doc.txt", "--json")
    assert result.exit_code == 0, result.output
    assert saved, "the hook ran during the translate run"
    doc = store.load(OUT / "doc.yaml")
    assert doc is not None
    assert [(s.id, s.source, s.target, s.status) for s in doc.segments if s.source] == saved["segments"]
    assert doc.orphans == []
    assert doc.source_text() == ZH_TEXT
    assert json.loads(result.output)["documents"][0]["orphans"] == 0


def test_status_says_when_a_hidden_translations_file_is_not_listed(here: Path) -> None:
    _translate(here, "doc.txt")
    (OUT / "doc.yaml").rename(OUT / ".old.yaml")  # as an older workbench wrote `.old.txt`
    _translate(here, "doc.txt")
    result = _cli("status")
    assert result.exit_code == 0
    assert "translations/.old.yaml is not listed" in result.stderr and "rename it to translations/old.yaml" in result.stderr
