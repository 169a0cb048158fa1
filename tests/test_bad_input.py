"""Bad input through the CLI: a one-line error and a non-zero exit, or a correct result; never a
half-written file."""

from __future__ import annotations

import codecs
import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench import store
from workbench.cli import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "glossary.yaml").write_bytes((ROOT / "glossary.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "models"))
    return tmp_path


def _translate(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["translate", "--engine", "copy", *args])


@pytest.mark.parametrize(
    "name, data, code, message",
    [
        ("empty.txt", b"", 2, "the file is empty"),
        ("blank.txt", b" \n\t\n", 2, "the file is empty"),
        ("binary.txt", bytes(range(256)) * 8, 2, "not a text file"),
        ("utf16-no-bom.txt", "Hội đồng".encode("utf-16-le"), 2, "not a text file"),
        ("bad-bom.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", 2, "not valid utf-16"),
    ],
)
def test_bad_documents(here: Path, name: str, data: bytes, code: int, message: str) -> None:
    (here / name).write_bytes(data)
    result = _translate(name)
    assert result.exit_code == code, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not list((here / "translations").glob("*.yaml")) if (here / "translations").exists() else True


def test_directory_given_as_a_document_to_segment(here: Path) -> None:
    (here / "d").mkdir()
    result = CliRunner().invoke(cli, ["segment", "d"])
    assert result.exit_code == 2 and "is a directory" in result.stderr


@pytest.mark.parametrize(
    "name, data",
    [
        ("gb18030 文件.txt", "越南作为安全理事会主席，建立信任措施。".encode("gb18030")),
        ("big5 檔案.txt", "亞信會議是一個多邊論壇。".encode("big5")),
        ("crlf bom.txt", codecs.BOM_UTF8 + "Hội đồng Bảo an họp.\r\nHĐBA thông qua nghị quyết.\r\n".encode()),
        ("nfd vi.txt", unicodedata.normalize("NFD", "Hội đồng Bảo an họp. HĐBA thông qua nghị quyết.\n").encode()),
    ],
)
def test_legacy_encodings_names_and_nfd_translate_with_glossary(here: Path, name: str, data: bytes) -> None:
    (here / name).write_bytes(data)
    result = _translate(name, "--json")
    assert result.exit_code == 0, result.output
    doc = store.load(here / "translations" / f"{Path(name).stem}.yaml")
    assert doc is not None
    uses = [u for s in doc.segments for u in s.terms]
    assert uses and all(u.applied for u in uses)  # NFD Vietnamese matched the NFC glossary terms
    assert unicodedata.is_normalized("NFC", doc.source_text())
    assert "\r" not in doc.source_text()


def test_a_10_mb_single_line(here: Path) -> None:
    line = ("Hội đồng Bảo an họp về hợp tác với ASEAN. " * 250_000)[: 10 * 1024 * 1024 // 2]
    (here / "huge.txt").write_text(line, encoding="utf-8")
    result = CliRunner().invoke(cli, ["segment", "huge.txt", "--json", "--lang", "vi"])
    assert result.exit_code == 0
    sentences = json.loads(result.stdout)
    assert len(sentences) > 100_000 and " ".join(sentences) == line.strip()


def test_glossary_with_python_tag_is_refused(here: Path) -> None:
    (here / "evil.yaml").write_text("version: 1\nterms:\n  - !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    (here / "doc.txt").write_text("Hội đồng Bảo an họp.\n", encoding="utf-8")
    result = _translate("doc.txt", "--glossary", "evil.yaml")
    assert result.exit_code == 3 and "evil.yaml" in result.stderr
    assert not (here / "translations" / "doc.yaml").exists()


def test_encoding_option_for_undetectable_text(here: Path) -> None:
    (here / "u16.txt").write_bytes("Hội đồng Bảo an họp.\n".encode("utf-16-le"))
    refused = _translate("u16.txt")
    assert refused.exit_code == 2 and "not a text file" in refused.stderr
    ok = _translate("u16.txt", "--encoding", "utf-16-le")
    assert ok.exit_code == 0, ok.output
    doc = store.load(here / "translations" / "u16.yaml")
    assert doc is not None and doc.segments[0].source == "Hội đồng Bảo an họp."
    wrong = _translate("u16.txt", "--encoding", "nope")
    assert wrong.exit_code == 2 and "unknown encoding 'nope'" in wrong.stderr
    seg = CliRunner().invoke(cli, ["segment", "u16.txt", "--encoding", "utf-16-le", "--json"])
    assert json.loads(seg.stdout) == ["Hội đồng Bảo an họp."]
