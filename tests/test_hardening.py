"""The "Reliability and security" issue, item by item, through every command that reads the input.

Each refusal must be clean: a non-zero exit code, exactly one ``Error: ...`` line on stderr that
names the problem (and the file), no traceback, and every file of the project byte-identical
afterwards (nothing written half-way). Items already covered elsewhere are listed in the module
docstrings they live in: kill -9 in ``test_reliability.py``, the review page in a real browser in
``test_review_page.py``, the property tests in ``test_segment``, ``test_glossary``,
``test_store`` and ``test_align``; the review server and concurrency in ``test_hardening_server.py``.
"""

from __future__ import annotations

import codecs
import json
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.parse
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_ingest import _to_cp1258  # Windows-1258 as Vietnamese software writes it

from workbench import store, yaml_guard
from cli_helpers import refused, request, run_cli, serve
from workbench.cli import cli
from workbench.errors import StoreError
from workbench.server import ReviewServer

ROOT = Path(__file__).resolve().parent.parent
ZH = "000_093349a39d32f8f2"
VI = "002_32457efe62ae41e4"
OUT = Path("translations")
#: A file name with spaces, Vietnamese and Chinese in it.
ODD_NAME = "tài liệu xấu 坏 (1).txt"


# ---------------------------------------------------------------- helpers


_cli, _refused = run_cli, refused  # tests/cli_helpers.py


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` and its bytes (lock files hold nothing; the index cache is a cache)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and not p.name.endswith(".lock") and p.name != ".workbench-index.json"
        and not p.name.startswith(".workbench-index.sqlite3")  # the project index: a cache of translations/*.yaml
    }


def _assert_unchanged(root: Path, before: dict[str, bytes], what: str) -> None:
    after = _snapshot(root)
    assert after.keys() == before.keys(), f"{what}: files appeared or vanished: {sorted(after.keys() ^ before.keys())}"
    changed = [k for k in before if before[k] != after[k]]
    assert not changed, f"{what}: changed {changed}"


def _segments(stem: str) -> list[store.Segment]:
    doc = store.load(store.path_for(OUT, stem))
    assert doc is not None
    return doc.segments


def _first_id(stem: str = VI) -> str:
    return next(s.id for s in _segments(stem) if s.source)




# the review server, over HTTP (shared with test_hardening_server.py)




# ================================================================ documents

BAD_DOCUMENTS: dict[str, tuple[bytes | None, tuple[str, ...]]] = {
    # kind: (bytes, or None for "the path is a directory"; fragments of the message)
    "empty": (b"", ("empty",)),
    "only-white-space": (b" \r\n\t\n", ("empty",)),
    "binary": (bytes(range(256)) * 64, ("not a text file",)),
    "binary-without-nul": (bytes(range(0x80, 0x100)) * 32, ("cannot tell the text encoding", "--encoding")),
    "utf-16-without-bom": ("Hội đồng Bảo an họp về ASEAN.\n".encode("utf-16-le"), ("not a text file", "--encoding")),
    "bad-bom": (codecs.BOM_UTF16_LE + b"\x00\xd8", ("not valid utf-16",)),
    "directory": (None, ("is a directory",)),
    "missing": (b"", ("no such file",)),
}

#: Every command that reads a document, with the document in the place of {doc}.
DOCUMENT_COMMANDS: dict[str, list[str]] = {
    "translate": ["translate", "--engine", "copy", "{doc}"],
    "segment": ["segment", "{doc}"],
    "detect": ["detect", "{doc}"],
    "align-source": ["align", "{doc}", "ref.txt", "--engine", "copy"],
    "align-translation": ["align", "src.txt", "{doc}", "--engine", "copy"],
    "align-presegmented": ["align", "--presegmented", "{doc}", "ref.txt"],
    "align-bridge": ["align", "--presegmented", "src.txt", "ref.txt", "--bridge", "{doc}"],
}


@pytest.fixture
def docs_project(project: Path) -> Path:
    """The project, with a good source and reference for align."""
    (project / "src.txt").write_text("Hội đồng Bảo an họp về ASEAN.\nHĐBA thông qua nghị quyết.\n", encoding="utf-8")
    (project / "ref.txt").write_text("The Security Council met on ASEAN.\nThe Security Council adopted a resolution.\n", encoding="utf-8")
    return project


@pytest.mark.parametrize("command", sorted(DOCUMENT_COMMANDS))
@pytest.mark.parametrize("kind", sorted(BAD_DOCUMENTS))
def test_bad_document_is_refused_by_every_command(docs_project: Path, kind: str, command: str) -> None:
    data, fragments = BAD_DOCUMENTS[kind]
    path = docs_project / ODD_NAME
    if data is None:
        path.mkdir()
        if command == "translate":  # translate takes directories: it reads the documents in them
            fragments = ("no documents (*.txt) in this directory",)
    elif kind != "missing":
        path.write_bytes(data)
    before = _snapshot(docs_project)
    args = [a.replace("{doc}", ODD_NAME) for a in DOCUMENT_COMMANDS[command]]
    _refused(_cli(*args), 2, ODD_NAME, *fragments)
    _assert_unchanged(docs_project, before, f"{command} on {kind}")


_VI = "Hội đồng Bảo an họp về hợp tác với ASEAN. HĐBA thông qua nghị quyết.\nCuộc họp có sự tham dự của Phó Tổng Thư ký Liên hợp quốc.\n"
_ZH = "越南作为安全理事会主席，建立信任措施。联合国与东盟的合作。\n"
_ZT = "亞信會議是一個多邊論壇。安全理事會開會討論建立信任措施。\n"

#: name: (bytes, the text once decoded and normalised, language, encodings detect may name)
GOOD_DOCUMENTS: dict[str, tuple[bytes, str, str, tuple[str, ...]]] = {
    "gb18030": (_ZH.encode("gb18030"), _ZH, "zh-Hans", ("gb18030",)),
    "big5": (_ZT.encode("big5"), _ZT, "zh-Hant", ("big5",)),
    "windows-1258": (_to_cp1258(_VI * 3), _VI * 3, "vi", ("cp1258", "windows-1258")),
    "utf-8-bom-crlf": (codecs.BOM_UTF8 + _VI.replace("\n", "\r\n").encode(), _VI, "vi", ("utf-8-sig",)),
    "nfd-vietnamese": (unicodedata.normalize("NFD", _VI).encode(), _VI, "vi", ("utf-8",)),
    "utf-16-bom": (_ZH.encode("utf-16"), _ZH, "zh-Hans", ("utf-16",)),
    "utf-32-bom": (_VI.encode("utf-32"), _VI, "vi", ("utf-32",)),
}


@pytest.mark.parametrize("kind", sorted(GOOD_DOCUMENTS))
def test_encodings_bom_crlf_nfd_and_odd_names_through_every_command(docs_project: Path, kind: str) -> None:
    data, text, lang, encodings = GOOD_DOCUMENTS[kind]
    name = f"{kind} {ODD_NAME}"
    stem = Path(name).stem
    (docs_project / name).write_bytes(data)

    detected = _cli("detect", name, "--json")
    assert detected.exit_code == 0, detected.output
    (info,) = json.loads(detected.stdout)
    assert info["lang"] == lang and info["encoding"].replace("_", "-") in encodings

    segmented = _cli("segment", name, "--json")
    assert segmented.exit_code == 0, segmented.output
    sentences = json.loads(segmented.stdout)
    assert sentences and all(unicodedata.is_normalized("NFC", s) and "\r" not in s and "\ufeff" not in s for s in sentences)
    assert "".join(sentences).replace(" ", "") == text.replace("\n", "").replace(" ", "")

    translated = _cli("translate", "--engine", "copy", name, "--json")
    assert translated.exit_code == 0, translated.output
    doc = store.load(store.path_for(OUT, stem))
    assert doc is not None and doc.source_text() == text  # decoded, NFC, LF, no BOM
    uses = [u for s in doc.segments for u in s.terms]
    assert uses and all(u.applied for u in uses)  # the (NFC) glossary terms matched, NFD or not

    aligned = _cli("align", name, "ref.txt", "--engine", "copy", "--translations", "aligned", "--json")
    assert aligned.exit_code == 0, aligned.output
    doc = store.load(Path("aligned") / f"{stem}.yaml")
    assert doc is not None and doc.source_text() == text
    assert any(s.terms for s in doc.segments)  # glossary anchors found in the decoded text


def test_a_document_named_with_spaces_and_non_ascii_through_review_and_the_server(docs_project: Path) -> None:
    name = "tên tài liệu 文件 (bản 2).txt"
    stem = Path(name).stem
    shutil.copy(docs_project / "seeds" / f"{VI}.txt", docs_project / name)
    assert _cli("translate", "--engine", "copy", name).exit_code == 0
    sid = _first_id(stem)
    assert _cli("review", "edit", name, sid, "The Security Council met.").exit_code == 0
    assert _cli("review", "show", stem, "--status", "edited").exit_code == 0
    assert _cli("status", stem).exit_code == 0
    exported = _cli("export", stem, "--format", "xliff", "--json")
    assert exported.exit_code == 0 and Path(json.loads(exported.stdout)["written"][0]).name == f"{stem}.xlf"
    with serve() as srv:
        quoted = urllib.parse.quote(stem, safe="")  # as the page's encodeURIComponent sends it
        status, listing = request(srv, "GET", "/api/docs")
        assert status == 200 and stem in [d["stem"] for d in listing["documents"]]
        status, page = request(srv, "GET", f"/api/doc/{quoted}")
        assert status == 200 and page["stem"] == stem, page
        status, saved = request(srv, "POST", f"/api/doc/{quoted}/edit", {"digest": page["digest"], "id": sid, "text": "Edited in the page."})
        assert status == 200, saved
    assert {s.id: s for s in _segments(stem)}[sid].target == "Edited in the page."


def test_undetectable_encoding_names_the_option_and_the_option_works(docs_project: Path) -> None:
    (docs_project / "u16.txt").write_bytes("Hội đồng Bảo an họp về ASEAN.\n".encode("utf-16-be"))
    for command in (["translate", "--engine", "copy"], ["segment"], ["detect"]):
        _refused(_cli(*command, "u16.txt"), 2, "u16.txt", "--encoding")
    ok = _cli("segment", "u16.txt", "--encoding", "utf-16-be", "--json")
    assert ok.exit_code == 0 and json.loads(ok.stdout) == ["Hội đồng Bảo an họp về ASEAN."]
    wrong = _cli("translate", "--engine", "copy", "u16.txt", "--encoding", "big5")
    _refused(wrong, 2, "u16.txt", "not valid big5", "--encoding")


def test_a_bad_document_among_good_ones_stops_translate_before_anything_is_written(project: Path) -> None:
    for seed in (project / "seeds").glob("*.txt"):  # every document changed: a run would rewrite every file
        seed.write_text(seed.read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")
    before = _snapshot(project)
    for name, data, fragment in [("zz empty.txt", b"", "empty"), ("zz binary.txt", bytes(range(256)) * 4, "not a text file")]:
        (project / "seeds" / name).write_bytes(data)
        _refused(_cli("translate", "--engine", "copy"), 2, name, fragment)
        (project / "seeds" / name).unlink()
        _assert_unchanged(project, before, name)


@pytest.mark.parametrize(
    "args, data, fragments",
    [
        (["segment", "-"], b"", ("-: the file is empty",)),
        (["segment", "-"], bytes(range(256)) * 4, ("not a text file", "--encoding")),
        (["segment", "-", "--lang", "vi"], bytes(range(0x80, 0x100)) * 8, ("cannot tell the text encoding", "--encoding")),
        (["segment", "-", "--jsonl"], b'"ok"\n\xff\xfe\n', ("cannot decode the JSON lines", "--encoding")),
        (["segment", "-", "--jsonl"], b'"ok"\n{"not": "a string"}\n', ("line 2", "expected a JSON string")),
    ],
)
def test_bad_standard_input_to_segment(args: list[str], data: bytes, fragments: tuple[str, ...]) -> None:
    _refused(CliRunner().invoke(cli, args, input=data), 2, *fragments)


# ================================================================ glossary

BROKEN_GLOSSARIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "malformed-yaml": ("version: 1\nterms:\n  - en: Security Council\n    zh: [安理会\n  - en: ASEAN\n", ("malformed YAML at line", "column")),
    "python-tag": (
        "version: 1\nterms:\n  - en: !!python/object/apply:os.system ['touch PWNED']\n    zh: [安理会]\n",
        ("unsafe or unknown YAML tag", "python/object/apply:os.system", "line 3"),
    ),
    "python-object": ("version: 1\nterms:\n  - !!python/object:workbench.glossary.Term {id: x}\n", ("unsafe or unknown YAML tag",)),
    "duplicate-entries": (
        "version: 1\nterms:\n  - en: Security Council\n    zh: [安理会]\n  - en: security council\n    vi: [HĐBA]\n",
        ("duplicate entries", "line 3", "line 5"),
    ),
    "conflicting-entries": (
        "version: 1\nterms:\n  - en: Security Council\n    zh: [安理会]\n  - en: Trusteeship Council\n    zh: [安理會]\n",
        ("conflicting entries", "line 3", "line 5"),
    ),
    "empty-term": ("version: 1\nterms:\n  - en: ''\n    zh: [安理会]\n", ("empty 'en'", "line 3")),
    "empty-variant": ("version: 1\nterms:\n  - en: Security Council\n    zh: ['', 安理会]\n", ("empty variant", "line 3")),
    "empty-file": ("", ("empty",)),
}

#: Every command that reads the glossary; the broken one is bad.yaml.
GLOSSARY_COMMANDS: dict[str, list[str]] = {
    "translate": ["translate", "--engine", "copy", f"seeds/{VI}.txt", "--glossary", "bad.yaml"],
    "align": ["align", f"seeds/{VI}.txt", "ref.txt", "--engine", "copy", "--translations", "aligned", "--glossary", "bad.yaml"],
    "glossary list": ["glossary", "list", "--glossary", "bad.yaml"],
    "glossary show": ["glossary", "show", "security-council", "--glossary", "bad.yaml"],
    "glossary add": ["glossary", "add", "--en", "Peacebuilding Commission", "--zh", "建设和平委员会", "--glossary", "bad.yaml"],
    "glossary edit": ["glossary", "edit", "security-council", "--note", "x", "--glossary", "bad.yaml"],
    "glossary remove": ["glossary", "remove", "security-council", "--glossary", "bad.yaml"],
    "glossary validate": ["glossary", "validate", "--glossary", "bad.yaml"],
    "glossary check": ["glossary", "check", "--glossary", "bad.yaml"],
    "glossary suggest": ["glossary", "suggest", "--glossary", "bad.yaml"],
    "glossary import": ["glossary", "import", "terms.csv", "--glossary", "bad.yaml"],
    "glossary export": ["glossary", "export", "out.tbx", "--glossary", "bad.yaml"],
    "review show": ["review", "show", VI, "--json", "--glossary", "bad.yaml"],
    "review edit": ["review", "edit", VI, "{sid}", "New English.", "--glossary", "bad.yaml"],
    "review approve": ["review", "approve", VI, "--all-clean", "--glossary", "bad.yaml"],
    "review serve": ["review", "serve", "--port", "0", "--no-browser", "--glossary", "bad.yaml"],
    "export html": ["export", "--format", "html", "--glossary", "bad.yaml"],
}


@pytest.fixture
def never_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    """`review serve` returns at once instead of serving until Ctrl+C (if it got that far)."""
    monkeypatch.setattr(ReviewServer, "serve_forever", lambda self, poll_interval=0.5: None)


@pytest.mark.parametrize("kind", sorted(BROKEN_GLOSSARIES))
def test_broken_glossary_is_refused_by_every_command(docs_project: Path, never_serve: None, kind: str) -> None:
    content, fragments = BROKEN_GLOSSARIES[kind]
    (docs_project / "bad.yaml").write_text(content, encoding="utf-8")
    (docs_project / "terms.csv").write_text("en,zh\nPeacebuilding Commission,建设和平委员会\n", encoding="utf-8")
    sid = _first_id()
    before = _snapshot(docs_project)
    for name, args in GLOSSARY_COMMANDS.items():
        result = _cli(*[a.replace("{sid}", sid) for a in args])
        _refused(result, 3, "bad.yaml", *fragments)
        _assert_unchanged(docs_project, before, name)
    assert not (docs_project / "PWNED").exists()


def _deeply_nested(depth: int = 100_000) -> str:
    return "version: 1\nterms: " + "[" * depth + "]" * depth + "\n"


def test_a_deeply_nested_glossary_is_refused_not_a_crash(project: Path) -> None:
    (project / "deep.yaml").write_text(_deeply_nested(), encoding="utf-8")
    for command in (["glossary", "validate"], ["translate", "--engine", "copy", f"seeds/{VI}.txt"]):  # in a subprocess: a segfault would kill pytest
        done = subprocess.run([sys.executable, "-m", "workbench", *command, "--glossary", "deep.yaml"], cwd=project, capture_output=True, timeout=120, check=False)
        assert done.returncode == 3, (command, done.returncode)
        assert done.stderr.decode().startswith("Error: deep.yaml") and len(done.stderr.decode().splitlines()) == 1


def _laughs(n: int, where: str) -> str:
    """Nested aliases: ``*a{n-1}`` stands for 9**n strings, in the few lines given."""
    defs = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, n)]
    if where == "version":
        return "terms: [" + ", ".join(defs) + f"]\nversion: *a{n - 1}\n"
    return "version: 1\nterms:\n  - en: A\n    note: [" + ", ".join(defs) + f"]\n    zh: [*a{n - 1}]\n"


@pytest.mark.parametrize("where", ["version", "variant"])
def test_billion_laughs_in_the_glossary_give_a_short_error(project: Path, where: str) -> None:
    (project / "laughs.yaml").write_text(_laughs(7, where), encoding="utf-8")
    result = _cli("glossary", "validate", "--glossary", "laughs.yaml")
    assert result.exit_code == 3
    assert len(result.stderr) < 1000, f"a {len(result.stderr):,}-character error line"


def test_billion_laughs_in_a_translations_file_are_refused(project: Path) -> None:
    path = store.path_for(OUT, VI)
    text = path.read_text(encoding="utf-8")
    defs = "".join(f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 12))
    path.write_text(text + "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + defs + "orphans: *a11\n", encoding="utf-8")
    before = _snapshot(project)
    started = time.monotonic()
    for command in (["status"], ["review", "show", VI], ["translate", "--engine", "copy"]):
        _refused(_cli(*command), 4, f"{VI}.yaml", "an alias (*name) repeats a list or mapping")
    assert time.monotonic() - started < 10
    _assert_unchanged(project, before, "billion laughs")

# ================================================================ translations files edited by hand


def _broken(text: str, sid: str, other: str) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """Ways to break a translations file by hand: kind -> (bytes, fragments of the message)."""
    data = yaml.safe_load(text)

    def dump(d: Any) -> bytes:
        return yaml.safe_dump(d, allow_unicode=True, sort_keys=False).encode()

    def with_segment(**changes: Any) -> bytes:
        d = yaml.safe_load(text)
        seg = next(s for s in d["segments"] if s["id"] == sid)
        for key, value in changes.items():
            if value is KeyError:
                del seg[key]
            else:
                seg[key] = value
        return dump(d)

    head = text.index(f"- id: {sid}\n  status: draft\n")
    quoted = text.index('gap: "', head) + len('gap: "')
    broken = {
        "unknown-status": (text.replace(f"- id: {sid}\n  status: draft", f"- id: {sid}\n  status: finished").encode(), (f"segment {sid}", "'finished'", "draft, edited, approved")),
        "duplicate-id": (text.replace(f"- id: {other}\n", f"- id: {sid}\n").encode(), (f"segment {sid} appears twice",)),
        "no-source": (with_segment(source=KeyError), (f"segment {sid} has no `source`",)),
        "target-not-text": (with_segment(target=["a", "b"]), (f"segment {sid} target must be text",)),
        "bad-indentation": ((text[:head] + "   bad: [\n" + text[head:]).encode(), ("invalid YAML at line", "column")),
        "cut-mid-string": (text[:quoted].encode() + b"\n", ("invalid YAML at line", "column")),
        "python-tag": (text.replace(f"- id: {sid}\n", f"- id: {sid}\n  target: !!python/object/apply:os.system ['touch PWNED']\n", 1).encode(), ("invalid YAML",)),
        "not-utf-8": (text.encode()[:200] + b"\xff\xfe\xfa" + text.encode()[200:], ("not UTF-8",)),
        "empty": (b"", ("not a workbench translations file",)),
        "orphans-not-a-list": (dump({**data, "orphans": 5}), ("`orphans` must be a list",)),
        "unknown-language": (dump({**data, "source_lang": "fr"}), ("source_lang 'fr'", "zh-Hans, zh-Hant, vi, en")),
    }
    assert list(broken) == BROKEN_KINDS
    return broken


#: Every command that reads translations/ (the broken file is VI's).
STORE_COMMANDS: dict[str, list[str]] = {
    "translate": ["translate", "--engine", "copy"],
    "status": ["status"],
    "review show": ["review", "show", VI],
    "review edit": ["review", "edit", VI, "{sid}", "New English."],
    "review approve": ["review", "approve", VI, "--all-clean"],
    "review revert": ["review", "revert", VI, "{sid}"],
    "review split": ["review", "split", VI, "{sid}", "--source-at", "3", "--target-at", "2"],
    "review merge": ["review", "merge", VI, "{sid}"],
    "review memory": ["review", "memory"],
    "export xliff": ["export", "--format", "xliff"],
    "export tmx": ["export", "--format", "tmx"],
    "export csv": ["export", "--format", "csv"],
    "export html": ["export", "--format", "html"],
    "export memory": ["export", "--format", "tmx", "--memory"],
    "glossary check": ["glossary", "check"],
    "glossary show": ["glossary", "show", "security-council"],
    "glossary suggest": ["glossary", "suggest"],
    "glossary add": ["glossary", "add", "--en", "Peacebuilding Commission", "--zh", "建设和平委员会"],
    "evaluate": ["evaluate"],
    "align": ["align", f"seeds/{VI}.txt", "ref.txt", "--engine", "copy"],
}


BROKEN_KINDS = ["unknown-status", "duplicate-id", "no-source", "target-not-text", "bad-indentation", "cut-mid-string", "python-tag", "not-utf-8", "empty", "orphans-not-a-list", "unknown-language"]


#: Kinds also run through every command (the others through the main ones, to keep this file fast).
EVERY_COMMAND = {"unknown-status", "bad-indentation", "not-utf-8", "orphans-not-a-list", "unknown-language", "python-tag"}
MAIN_COMMANDS = ["translate", "status", "review show", "review edit", "export xliff", "glossary check", "glossary add", "align"]


@pytest.mark.parametrize("kind", BROKEN_KINDS)
def test_hand_broken_translations_file_is_refused_by_every_command_and_never_overwritten(docs_project: Path, kind: str) -> None:
    path = store.path_for(OUT, VI)
    segs = _segments(VI)
    sid, other = segs[1].id, segs[2].id
    data, fragments = _broken(path.read_text(encoding="utf-8"), sid, other)[kind]
    path.write_bytes(data)
    before = _snapshot(docs_project)
    commands = STORE_COMMANDS if kind in EVERY_COMMAND else {name: STORE_COMMANDS[name] for name in MAIN_COMMANDS}
    for name, args in commands.items():
        result = _cli(*[a.replace("{sid}", sid) for a in args])
        _refused(result, 4, f"{VI}.yaml", *fragments)
        _assert_unchanged(docs_project, before, name)
    with serve() as srv:
        digest = store.file_digest(path)
        # the document list names the broken file with its error; the other documents stay listed
        status, listing = request(srv, "GET", "/api/docs")
        assert status == 200
        bad = [d for d in listing["documents"] if d["stem"] == VI]
        assert bad and f"{VI}.yaml" in bad[0]["error"] and "\n" not in bad[0]["error"]
        assert any(d["error"] is None for d in listing["documents"])
        for method, url, body in [
            ("GET", f"/api/doc/{VI}", None),
            ("POST", f"/api/doc/{VI}/edit", {"digest": digest, "id": sid, "text": "New English."}),
            ("POST", f"/api/doc/{VI}/approve", {"digest": digest, "all_clean": True}),
        ]:
            status, answer = request(srv, method, url, body)
            assert status >= 400 and f"{VI}.yaml" in answer["error"] and "\n" not in answer["error"], (url, answer)
    _assert_unchanged(docs_project, before, "the review server")
    assert not (docs_project / "PWNED").exists()


def test_a_deeply_nested_translations_file_is_refused_not_a_crash(project: Path) -> None:
    path = store.path_for(OUT, VI)
    path.write_text(path.read_text(encoding="utf-8") + "orphans: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    before = path.read_bytes()
    for command in (["status"], ["translate", "--engine", "copy"]):  # in a subprocess: a segfault would kill pytest
        done = subprocess.run([sys.executable, "-m", "workbench", *command], cwd=project, capture_output=True, timeout=120, check=False)
        err = done.stderr.decode()
        assert done.returncode == 4 and len(err.splitlines()) == 1, (done.returncode, err[-500:])
        assert f"{VI}.yaml: invalid YAML at line" in err and f"nested more than {yaml_guard.MAX_DEPTH} levels deep" in err
    assert path.read_bytes() == before


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=8),
    st.lists(st.one_of(st.integers(), st.text(max_size=4), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=4), st.one_of(st.integers(), st.text(max_size=4)), max_size=2),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    where=st.sampled_from(["top", "segment", "orphan", "term"]),
    key=st.sampled_from(["document", "source_lang", "target_lang", "segments", "orphans", "signature", "trailing", "source_sha256",
                         "id", "status", "source", "target", "mt", "prefix", "suffix", "gap", "paragraph", "terms", "flags", "note",
                         "confidence", "term", "en", "applied", "method"]),
    value=_VALUES,
)
def test_any_hand_edit_loads_or_is_refused_with_a_store_error(where: str, key: str, value: Any) -> None:
    """Fuzzing hand edits: whatever a person types into a valid file, loading it either works
    or raises StoreError naming the file, never another exception."""
    seg = {"id": "s1", "status": "draft", "source": "Hội đồng Bảo an họp.", "target": "The Council met.", "mt": "The Council met.", "gap": "",
           "paragraph": 0, "terms": [{"term": "security-council", "source": "Hội đồng Bảo an", "en": "Security Council", "applied": False, "method": "copy"}]}
    data: dict[str, Any] = {"format": 1, "document": "seeds/x.txt", "source_lang": "vi", "target_lang": "en", "signature": {"engine": "copy"},
                            "segments": [seg, {**seg, "id": "s2"}], "trailing": "\n", "orphans": [{**seg, "id": "s3", "status": "edited"}]}
    target = {"top": data, "segment": data["segments"][0], "orphan": data["orphans"][0], "term": data["segments"][0]["terms"][0]}[where]
    target[key] = value
    try:
        raw = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return
    try:
        doc = store.loads(raw, "hand.yaml")
    except StoreError as exc:
        assert str(exc).startswith("hand.yaml: ") and "\n" not in str(exc)
        return
    doc.source_text(), doc.target_text(), doc.counts()  # and what loads, works
    store.dumps(doc)


_NUMBERY = st.lists(st.sampled_from([*"0123456789 .,/月", "tháng ", "April ", "may ", "2021", "12月", "4/2021"]), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(source=_NUMBERY, target=_NUMBERY)
def test_number_check_is_linear_and_total(source: str, target: str) -> None:
    """The normalised number check (workbench.qa, tables in tests/test_qa.py) never crashes, reports
    only numbers of the source, and a long segment costs a linear pass."""
    import re as _re

    from workbench.qa import _missing_numbers

    missing = _missing_numbers(source, target)
    assert all(_re.sub(r"\D", "", m) and _re.sub(r"\D", "", m)[0] in source for m in missing)
    assert _missing_numbers(source * 200, target * 200) is not None


def test_term_check_cache_follows_the_target_and_the_glossary() -> None:
    from workbench.glossary import Glossary
    from workbench.qa import hit_applied

    g = Glossary.load(ROOT / "glossary.yaml")
    other = Glossary.from_entries([{"en": "The Council", "vi": ["Hội đồng Bảo an"]}])
    hit = g.find("Hội đồng Bảo an họp.", "vi")[0]
    hit2 = other.find("Hội đồng Bảo an họp.", "vi")[0]
    target = "The Security Council met."
    assert hit_applied(hit, target, g) is True
    assert hit_applied(hit2, target, other) is False  # same target, another glossary
    assert hit_applied(hit, "The Council met.", g) is False  # another target
    assert hit_applied(hit2, "The Council met.", other) is True
    answers: list[bool] = []
    threads = [threading.Thread(target=lambda t=t: answers.append(hit_applied(hit, t, g))) for t in [target, "Nothing."] * 20]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(answers) == [False] * 20 + [True] * 20


# ================================================================ model packages


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _bad_packages(tiny: Path, where: Path) -> dict[str, tuple[Path, str]]:
    """Broken .argosmodel files: kind -> (file, fragment of the message)."""
    where.mkdir(parents=True, exist_ok=True)
    members = {}
    with zipfile.ZipFile(tiny) as zf:
        for info in zf.infolist():
            members[info.filename] = zf.read(info)
    top = next(iter(members)).split("/")[0]
    raw = tiny.read_bytes()
    (where / "not-a-zip.argosmodel").write_bytes(b"<html>404 Not Found</html>\n")
    (where / "truncated.argosmodel").write_bytes(raw[: len(raw) // 2])
    (where / "empty.argosmodel").write_bytes(b"")
    no_meta = {k: v for k, v in members.items() if not k.endswith("metadata.json")}
    bad_meta = {**members, f"{top}/metadata.json": b"{not json"}
    return {
        "not-a-zip": (where / "not-a-zip.argosmodel", "not a zip archive"),
        "truncated": (where / "truncated.argosmodel", "not a zip archive"),
        "empty": (where / "empty.argosmodel", "not a zip archive"),
        "zip-slip": (_zip(where / "slip.argosmodel", {**members, f"{top}/../../../evil.txt": b"owned"}), "unsafe path"),
        "zip-slip-top": (_zip(where / "slip-top.argosmodel", {**members, "../evil.txt": b"owned"}), "unsafe path"),
        "absolute-path": (_zip(where / "absolute.argosmodel", {**members, "/tmp/workbench-evil.txt": b"owned"}), "unsafe path"),
        "missing-metadata": (_zip(where / "no-meta.argosmodel", no_meta), "metadata.json"),
        "metadata-not-json": (_zip(where / "bad-meta.argosmodel", bad_meta), "not valid JSON"),
    }


BAD_PACKAGE_KINDS = ["not-a-zip", "truncated", "empty", "zip-slip", "zip-slip-top", "absolute-path", "missing-metadata", "metadata-not-json"]


@pytest.fixture
def models_dir(tiny_argos_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A packages directory holding a good zh -> en package already (a failed install must keep it)."""
    from workbench.models import install_file

    directory = tmp_path / "models"
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(directory))
    install_file(tiny_argos_package, directory)
    return directory


@pytest.mark.parametrize("kind", BAD_PACKAGE_KINDS)
def test_bad_package_file_installs_nothing(models_dir: Path, tiny_argos_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.chdir(tmp_path)
    file, fragment = _bad_packages(tiny_argos_package, tmp_path / "pkgs")[kind]
    before = _snapshot(models_dir)
    _refused(_cli("models", "install", "zh-Hans", "--file", file), 5, file.name, fragment)
    _assert_unchanged(models_dir, before, kind)
    assert sorted(p.name for p in models_dir.iterdir()) == sorted(before_dirs(before))  # no temporary left either
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/workbench-evil.txt").exists()
    assert not list(tmp_path.rglob("evil.txt"))


def test_package_file_for_another_language_is_refused(models_dir: Path, tiny_argos_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = _snapshot(models_dir)
    # the tiny package translates zh -> en: asked for as Vietnamese, it is refused
    _refused(_cli("models", "install", "vi", "--file", tiny_argos_package), 5, tiny_argos_package.name, "is a zh -> en package, not vi -> en")
    result = _cli("models", "install", "vi", "zh-Hans", "--file", tiny_argos_package)
    assert result.exit_code == 2 and "--file installs one package" in result.stderr
    _assert_unchanged(models_dir, before, "wrong language")


def before_dirs(snapshot: dict[str, bytes]) -> set[str]:
    return {k.split("/")[0] for k in snapshot}


def test_bad_packages_from_an_index_on_127_0_0_1_install_nothing(models_dir: Path, tiny_argos_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: Any) -> None:
    from argos_fixture import index_entry, write_index

    srv, www = server
    monkeypatch.chdir(tmp_path)
    before = _snapshot(models_dir)
    for kind, (file, fragment) in _bad_packages(tiny_argos_package, www / "pkgs").items():
        write_index(www, [index_entry("vi", f"{srv.url}/pkgs/{file.name}")])
        result = _cli("models", "install", "vi", "--index", f"{srv.url}/index.json")
        _refused(result, 5, file.name, fragment)
        _assert_unchanged(models_dir, before, kind)
        assert sorted(p.name for p in models_dir.iterdir() if p.name != ".workbench-index.json") == sorted(before_dirs(before)), kind
    # a missing file on the index's server
    write_index(www, [index_entry("vi", f"{srv.url}/pkgs/gone.argosmodel")])
    _refused(_cli("models", "install", "vi", "--index", f"{srv.url}/index.json"), 5, "cannot download", "--file")
    _assert_unchanged(models_dir, before, "404")
    assert not list(tmp_path.rglob("evil.txt"))


def test_translate_auto_falls_back_to_copy_when_the_index_offers_a_broken_package(docs_project: Path, models_dir: Path, tiny_argos_package: Path, server: Any) -> None:
    from argos_fixture import index_entry, write_index

    srv, www = server
    file, _ = _bad_packages(tiny_argos_package, www / "pkgs")["zip-slip"]
    write_index(www, [index_entry("vi", f"{srv.url}/pkgs/{file.name}")])
    before = _snapshot(models_dir)
    result = _cli("translate", f"seeds/{VI}.txt", "--index", f"{srv.url}/index.json", "--json")
    assert result.exit_code == 0, result.output
    assert "the download failed" in result.stderr and "unsafe path" in result.stderr
    assert json.loads(result.stdout)["documents"][0]["engine"] == "copy"
    _assert_unchanged(models_dir, before, "translate --engine auto")
    assert not list(docs_project.rglob("evil.txt")) and not list(models_dir.parent.rglob("evil.txt"))
