"""Ingest: language detection, encodings, normalisation, bad input."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from workbench.errors import InputError
from workbench.ingest import decode_bytes, detect_language, discover, normalize_lang, read_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.mark.parametrize(
    "name, lang",
    [
        ("000_093349a39d32f8f2.txt", "zh-Hans"),
        ("001_85fdaf6eba83a0b1.txt", "vi"),
        ("002_32457efe62ae41e4.txt", "vi"),
        ("003_48e5bbd035215e94.txt", "en"),
        ("004_c0907f7ee83eb81c.txt", "zh-Hant"),
    ],
)
def test_seed_languages(name: str, lang: str) -> None:
    doc = read_document(SEEDS / name)
    assert doc.lang == lang
    assert doc.encoding == "utf-8"
    assert doc.lang_detected


@pytest.mark.parametrize(
    "text, lang",
    [
        ("联合国安全理事会今天举行会议。", "zh-Hans"),
        ("聯合國安全理事會今天舉行會議。", "zh-Hant"),
        ("亞洲相互協作與信任措施會議是一個多邊論壇。", "zh-Hant"),
        ("Hội đồng Bảo an Liên hợp quốc họp phiên thảo luận về hợp tác với ASEAN.", "vi"),
        ("The Security Council met in New York on Tuesday.", "en"),
        ("Nguyễn Quốc Dũng, Vice Foreign Minister of Việt Nam, spoke at the opening in Hà Nội.", "en"),
        ("Theo Bộ Ngoại giao, ASEAN và LHQ đã hợp tác chặt chẽ.", "vi"),
        ("Hội đồng Bảo an họp. HĐBA thông qua nghị quyết.", "vi"),  # "an" is also an English word
        ("Phó Tổng Thư ký", "vi"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "seed, encoding",
    [
        ("000_093349a39d32f8f2.txt", "gb18030"),
        ("004_c0907f7ee83eb81c.txt", "gb18030"),
        ("001_85fdaf6eba83a0b1.txt", "cp1258"),
    ],
)
def test_legacy_encodings_decode_to_the_same_text(tmp_path: Path, seed: str, encoding: str) -> None:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    if encoding == "cp1258":  # Windows-1258 stores Vietnamese tones as combining marks
        data = _to_cp1258(text)
    else:
        data = text.encode(encoding)
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.text == unicodedata.normalize("NFC", text)
    assert doc.encoding.replace("_", "").lower() in {encoding.replace("_", ""), "gb18030", "cp1258"}


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese software writes it: base letters precomposed, tones combining."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out).encode("cp1258")


def test_big5(tmp_path: Path) -> None:
    text = "亞洲相互協作與信任措施會議是一個有關安全問題的多邊論壇。峰會和外長會議均為每四年舉行一次。\n" * 5
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    doc = read_document(path)
    assert doc.text == text
    assert doc.lang == "zh-Hant"


@pytest.mark.parametrize(
    "data, expected",
    [
        (codecs.BOM_UTF8 + "越南。\r\n第二行。\r\n".encode(), "越南。\n第二行。\n"),
        ("a\rb\r\nc\n".encode(), "a\nb\nc\n"),
        (unicodedata.normalize("NFD", "Hội đồng Bảo an").encode(), "Hội đồng Bảo an"),
        (codecs.BOM_UTF16_LE + "Hội đồng".encode("utf-16-le"), "Hội đồng"),
    ],
)
def test_normalisation(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    assert read_document(path, lang="vi").text == expected


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty"),
        (b"  \n\n ", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file"),
        (bytes(range(256)) * 4, "not a text file"),
    ],
)
def test_bad_input(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_document(path)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)
    with pytest.raises(InputError, match="no documents"):
        discover([tmp_path])


def test_lang_override_and_aliases(tmp_path: Path) -> None:
    path = tmp_path / "名字 with space.txt"
    path.write_text("联合国。", encoding="utf-8")
    doc = read_document(path, lang="zh-TW")
    assert doc.lang == "zh-Hant" and not doc.lang_detected
    assert doc.name == "名字 with space"
    assert normalize_lang("ZT") == "zh-Hant"
    with pytest.raises(InputError, match="unknown language 'fr'; use one of: zh-Hans, zh-Hant, vi, en"):
        normalize_lang("fr")


def test_discover_rejects_clashing_stems(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "doc.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b" / "doc.txt").write_text("y", encoding="utf-8")
    with pytest.raises(InputError, match="would share translations/doc.yaml"):
        discover([tmp_path / "a" / "doc.txt", tmp_path / "b" / "doc.txt"])


def test_decode_error_names_the_fix() -> None:
    with pytest.raises(InputError, match="--encoding"):
        decode_bytes(b"\xfa\xfe\xfa" * 3 + b"\x81\x30" * 2 + bytes([0x80, 0x81, 0x82, 0x83]) * 50, "x")


@pytest.mark.parametrize(
    "text",
    ["联合国安全理事会审议了这个问题。", "聯合國安全理事會審議了這個問題。", "联合国與安理會", "著作和发展", "后来", "乾坤"],
)
def test_chinese_script_needs_s2t_only_when_t2s_changes_something(text: str) -> None:
    from workbench.ingest import _chinese_script, _opencc

    han = "".join(c for c in text if "\u4e00" <= c <= "\u9fff")
    to_simp, to_trad = _opencc("t2s").convert(han), _opencc("s2t").convert(han)
    trad_only = sum(a != b for a, b in zip(han, to_simp)) if len(to_simp) == len(han) else 0
    simp_only = sum(a != b for a, b in zip(han, to_trad)) if len(to_trad) == len(han) else 0
    assert _chinese_script(han) == ("zh-Hant" if trad_only > simp_only else "zh-Hans")
