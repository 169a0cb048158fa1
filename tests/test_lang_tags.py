"""Language tags: every --lang (translate, segment, models install) goes through ingest.normalize_lang (langcodes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.errors import InputError
from workbench.ingest import LANGS, normalize_lang

TAGS = [
    ("zh_CN", "zh-Hans"),
    ("zh-CN", "zh-Hans"),
    ("zh-cn", "zh-Hans"),
    ("zh", "zh-Hans"),
    ("zh-SG", "zh-Hans"),
    ("zh-Hans", "zh-Hans"),
    ("zh-Hans-HK", "zh-Hans"),  # an explicit script wins over the region's usual one
    ("cmn-Hans", "zh-Hans"),
    ("zh_CN.UTF-8", "zh-Hans"),  # a POSIX locale
    ("zh-TW", "zh-Hant"),
    ("zh-Hant-TW", "zh-Hant"),
    ("zh-MO", "zh-Hant"),
    ("zh-HK", "zh-Hant"),
    ("zh-Hant", "zh-Hant"),
    ("zt", "zh-Hant"),  # Argos Translate's code
    ("vi_VN", "vi"),
    ("vi-VN", "vi"),
    ("vie", "vi"),
    ("en-GB", "en"),
    ("en_US", "en"),
    ("EN", "en"),
    ("ZH-HANS", "zh-Hans"),  # our own tags, any case (answered without langcodes)
    ("zh-hant", "zh-Hant"),
    (" vi ", "vi"),
    ("en", "en"),
]
UNSUPPORTED = ["fr", "yue", "zh-Latn", "en-Cyrl", "", "not a tag", "ja-JP"]


@pytest.mark.parametrize("tag, code", TAGS)
def test_normalize_lang(tag: str, code: str) -> None:
    assert normalize_lang(tag) == code


@pytest.mark.parametrize("tag", UNSUPPORTED)
def test_unsupported_tags_list_what_is_supported(tag: str) -> None:
    with pytest.raises(InputError) as info:
        normalize_lang(tag)
    msg = str(info.value)
    assert "\n" not in msg and repr(tag) in msg
    assert all(code in msg for code in LANGS) and "zh-TW" in msg and "vi-VN" in msg


ZH_TEXT = "安全理事会审议了这个问题。大会通过了决议。\n"
VI_TEXT = "Hội đồng Bảo an đã xem xét vấn đề này. Đại hội đồng đã thông qua nghị quyết.\n"
EN_TEXT = "The Security Council considered the question. The General Assembly adopted the resolution.\n"
TEXT_FOR = {"zh-Hans": ZH_TEXT, "zh-Hant": ZH_TEXT, "vi": VI_TEXT, "en": EN_TEXT}


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "no-models"))
    return CliRunner()


@pytest.mark.parametrize("tag, code", TAGS)
def test_translate_lang(runner: CliRunner, tag: str, code: str) -> None:
    Path("doc.txt").write_text(TEXT_FOR[code], encoding="utf-8")
    r = runner.invoke(cli, ["translate", "doc.txt", "--engine", "copy", "--lang", tag, "--translations", "tr", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [d["source_lang"] for d in data["documents"]] == [code]


@pytest.mark.parametrize("tag, code", TAGS)
def test_segment_lang(runner: CliRunner, tag: str, code: str) -> None:
    Path("doc.txt").write_text(TEXT_FOR[code], encoding="utf-8")
    r = runner.invoke(cli, ["segment", "doc.txt", "--lang", tag, "--json"])
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.stdout)) == 2


@pytest.mark.parametrize("tag, code", TAGS)
def test_models_install_lang(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tag: str, code: str) -> None:
    from workbench import models

    asked: list[list[str]] = []
    monkeypatch.setattr(models, "install", lambda codes, **kw: asked.append(list(codes)) or [])
    r = runner.invoke(cli, ["models", "install", tag])
    assert r.exit_code == 0, r.output
    assert asked == [[code]]


@pytest.mark.parametrize("command", [["translate", "doc.txt", "--engine", "copy"], ["segment", "doc.txt"], ["models", "install"]])
@pytest.mark.parametrize("tag", ["fr", "zh-Latn"])
def test_unknown_tag_is_a_one_line_error(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: list[str], tag: str) -> None:
    from workbench import models

    monkeypatch.setattr(models, "install", lambda codes, **kw: pytest.fail("install must not be reached"))
    Path("doc.txt").write_text(ZH_TEXT, encoding="utf-8")
    args = command + [tag] if command[0] == "models" else command + ["--lang", tag]
    r = runner.invoke(cli, args)
    assert r.exit_code == InputError.exit_code
    lines = [line for line in r.output.splitlines() if line.startswith("Error")]
    assert len(lines) == 1 and repr(tag) in lines[0] and "zh-Hans" in lines[0] and "zh-TW" in lines[0]
    assert not Path("translations").exists()


@pytest.mark.parametrize("tag", sorted(__import__("workbench.ingest", fromlist=["_COMMON_TAGS"])._COMMON_TAGS))
def test_the_usual_tags_answered_without_langcodes_are_langcodes_answers(tag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.ingest as ingest

    fast = normalize_lang(tag)
    monkeypatch.setattr(ingest, "_COMMON_TAGS", {})
    assert normalize_lang(tag) == normalize_lang(tag.upper()) == fast
