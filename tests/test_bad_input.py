"""Bad input through the CLI: a one-line error and a non-zero exit, or a correct result; never a
half-written file."""

from __future__ import annotations

import codecs
import json
import time
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


# ---------------------------------------------------------------- size (from the "Reliability and security" issue)


def _one_error_line(result, code: int, *fragments: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and all(f in lines[0] for f in fragments), result.stderr


def _ten_megabyte_line() -> str:
    """10 MB of Chinese on one line without a sentence end: one 3.3-million-character segment
    with a glossary term every 305 characters (about 11,000 hits)."""
    unit = "各国在区域和次区域各级开展合作" * 20 + "安全理事会"
    return (unit * (10_000_000 // len(unit.encode()) + 1))[: 10_000_000 // 3]


def test_a_10_mb_single_line_through_detect_segment_translate_and_align(here: Path) -> None:
    line = _ten_megabyte_line()
    (here / "huge.txt").write_text(line, encoding="utf-8")
    (here / "ref.txt").write_text("The Security Council met.\n", encoding="utf-8")
    started = time.monotonic()
    runner = CliRunner()
    detected = runner.invoke(cli, ["detect", "huge.txt", "--json"])
    assert detected.exit_code == 0 and json.loads(detected.stdout)[0]["lang"] == "zh-Hans"
    segmented = runner.invoke(cli, ["segment", "huge.txt", "--json"])
    assert segmented.exit_code == 0 and "".join(json.loads(segmented.stdout)) == line
    # Each glossary hit used to re-read the whole target: 11,000 x 3.3 M characters (minutes).
    translated = _translate("huge.txt")
    assert translated.exit_code == 0, translated.output
    doc = store.load(here / "translations" / "huge.yaml")
    assert doc is not None and doc.source_text() == line
    uses = doc.segments[0].terms
    assert len(uses) >= line.count("安全理事会") and all(u.applied for u in uses)
    aligned = runner.invoke(cli, ["align", "--presegmented", "huge.txt", "ref.txt"])
    assert aligned.exit_code == 0 and aligned.stdout.startswith("[0]:[0]")
    assert time.monotonic() - started < 45


def test_ids_of_a_sentence_repeated_100000_times_are_cheap() -> None:
    # A document repeating one line (a separator, a table cell) 100,000 times used to cost
    # 100,000² set lookups in segment_id.
    taken: set[str] = set()
    started = time.monotonic()
    ids = [store.segment_id("", "—", "", taken) for _ in range(100_000)]
    assert time.monotonic() - started < 5
    assert len(set(ids)) == 100_000 and ids[1] == ids[0] + "-2" and ids[99_999] == f"{ids[0]}-100000"


def test_enormous_glossaries(here: Path) -> None:
    (here / "doc.txt").write_text("Hội đồng Bảo an họp về ASEAN.\n", encoding="utf-8")
    # 30 MB that is not a glossary: refused, quickly
    (here / "junk.yaml").write_text("x" * 30_000_000, encoding="utf-8")
    started = time.monotonic()
    runner = CliRunner()
    _one_error_line(runner.invoke(cli, ["glossary", "validate", "--glossary", "junk.yaml"]), 3, "junk.yaml", "top level must be a mapping")
    _one_error_line(_translate("doc.txt", "--glossary", "junk.yaml"), 3, "junk.yaml")
    assert time.monotonic() - started < 20
    # "billion laughs": aliases nest 9**10 strings; refused without expanding them
    laughs = "version: 1\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    laughs += "".join(f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    laughs += "terms:\n  - en: A\n    zh: *a9\n"
    (here / "laughs.yaml").write_text(laughs, encoding="utf-8")
    _one_error_line(runner.invoke(cli, ["glossary", "validate", "--glossary", "laughs.yaml"]), 3, "laughs.yaml", "an alias (*name) repeats a list")
    # 10,000 real terms (1 MB): works (`glossary validate` also parses the file for editing: 11 s here)
    lines = ["version: 1", "terms:"]
    for i in range(10_000):
        lines += [f"  - en: Term number {i}", f"    zh: [术语第{i}号]", f"    vi: [thuật ngữ số {i} đặc biệt]"]
    (here / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (here / "zh.txt").write_text("术语第9999号和术语第42号。\n", encoding="utf-8")
    listed = runner.invoke(cli, ["glossary", "list", "--glossary", "big.yaml", "--json"])
    assert listed.exit_code == 0 and len(json.loads(listed.stdout)["terms"]) == 10_000
    ok = _translate("zh.txt", "--glossary", "big.yaml")
    assert ok.exit_code == 0, ok.output
    doc = store.load(here / "translations" / "zh.yaml")
    assert doc is not None and {u.term for s in doc.segments for u in s.terms} == {"term-number-9999", "term-number-42"}
