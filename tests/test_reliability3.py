"""Reliability, second pass (issue 15): hostile input is bounded and every failure of the disk or
the operating system is one line with the path and the fix, files intact. At the level a user
meets each: the CLI through CliRunner or a subprocess, the review server through HTTP."""

from __future__ import annotations

import errno
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from workbench import server as server_mod
from workbench import store
from cli_helpers import refused, request, run_cli, serve
from workbench.server import ReviewServer

ROOT = Path(__file__).resolve().parent.parent
OUT = Path("translations")
ZH_TEXT = "越南常驻联合国代表给秘书长的信。请将本信作为安全理事会文件分发。"

_cli, _refused = run_cli, refused


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "glossary.yaml").write_bytes((ROOT / "glossary.yaml").read_bytes())
    (tmp_path / "doc.txt").write_text(ZH_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "models"))
    assert _cli("translate", "--engine", "copy", "doc.txt").exit_code == 0
    return tmp_path


def _first_id() -> str:
    doc = store.load(OUT / "doc.yaml")
    assert doc is not None
    return next(s.id for s in doc.segments if s.source)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock") and not p.name.startswith(".workbench-index.sqlite3")  # the project index: a cache
    }


# ---------------------------------------------------------------- the disk says no

#: The commands that write: (arguments, the file they write).
WRITERS: dict[str, tuple[Callable[[], list[str]], str]] = {
    "review edit": (lambda: ["review", "edit", "doc", _first_id(), "Letter from the Permanent Representative"], "translations/doc.yaml"),
    "translate": (lambda: ["translate", "--engine", "copy", "doc.txt", "--glossary", "glossary2.yaml"], "translations/doc.yaml"),
    "export": (lambda: ["export", "--format", "csv"], "exports"),
    "glossary add": (lambda: ["glossary", "add", "--en", "Letter", "--zh", "信件"], "glossary.yaml"),
}


def _prepare(here: Path) -> None:
    # translate must have something new to write: a second glossary that changes the drafts
    (here / "glossary2.yaml").write_text("version: 1\nterms:\n  - en: Secretary-General\n    zh: [秘书长]\n", encoding="utf-8")


@pytest.mark.parametrize("command", list(WRITERS))
@pytest.mark.parametrize(
    "err, words",
    [
        (errno.ENOSPC, "disk is full"),
        (errno.EROFS, "read-only"),
        (errno.EACCES, "permission denied"),
        (errno.EDQUOT, "quota"),
    ],
)
def test_a_write_the_disk_refuses_is_one_line_with_the_path_and_files_stay_intact(here: Path, monkeypatch: pytest.MonkeyPatch, command: str, err: int, words: str) -> None:
    _prepare(here)
    make_args, target = WRITERS[command]
    args = make_args()
    before = _snapshot(here)

    if err in (errno.ENOSPC, errno.EDQUOT):  # the data does not fit: the write (here its fsync) fails
        def fsync(fd: int) -> None:
            raise OSError(err, os.strerror(err))

        monkeypatch.setattr(os, "fsync", fsync)
    else:  # the directory cannot take a new file (as root, chmod cannot show this: simulate it)
        def mkstemp(*a: Any, **k: Any) -> Any:
            name = os.path.join(str(k.get("dir", ".")), str(k.get("prefix", "")) + "XXXX" + str(k.get("suffix", "")))
            raise OSError(err, os.strerror(err), name)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    result = _cli(*args)
    monkeypatch.undo()
    line = _refused(result, None, words, target)
    assert "Traceback" not in line
    after = _snapshot(here)
    assert {k: v for k, v in after.items() if not k.startswith("exports")} == {k: v for k, v in before.items() if not k.startswith("exports")}
    assert not [p for p in here.rglob("*.tmp")]


def test_an_unreadable_translations_file_is_one_line(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = (OUT / "doc.yaml").resolve()
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.resolve() == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    _refused(_cli("review", "edit", "doc", "s0", "Letter"), 8, "translations/doc.yaml", "permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes everything: chmod shows nothing")
def test_a_read_only_translations_directory_is_one_line(here: Path) -> None:  # pragma: no cover - not root
    os.chmod(OUT, 0o555)
    try:
        _refused(_cli("review", "edit", "doc", _first_id(), "Letter"), None, "translations")
    finally:
        os.chmod(OUT, 0o755)


# ---------------------------------------------------------------- modes


def test_saves_and_exports_keep_0644_or_the_existing_mode(here: Path) -> None:
    old = os.umask(0o022)
    try:
        assert _cli("export", "--format", "csv").exit_code == 0
        assert (here / "exports" / "doc.csv").stat().st_mode & 0o777 == 0o644
        os.chmod(OUT / "doc.yaml", 0o664)
        assert _cli("review", "edit", "doc", _first_id(), "Letter").exit_code == 0
        assert (OUT / "doc.yaml").stat().st_mode & 0o777 == 0o664
        os.chmod(here / "exports" / "doc.csv", 0o640)
        assert _cli("export", "--format", "csv").exit_code == 0
        assert (here / "exports" / "doc.csv").stat().st_mode & 0o777 == 0o640
        assert _cli("glossary", "add", "--en", "Letter", "--zh", "信件").exit_code == 0
        assert (here / "glossary.yaml").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


# ---------------------------------------------------------------- --json errors


@pytest.mark.parametrize(
    "args, code, fragment",
    [
        (["status", "nope", "--json"], 4, "no translations file"),
        (["review", "show", "nope", "--json"], 4, "no translations file"),
        (["translate", "missing.txt", "--engine", "copy", "--json"], 2, "no such file"),
        (["export", "nope", "--format", "csv", "--json"], 4, "no translations file"),
        (["segment", "doc.txt", "--json", "--jsonl"], 2, "choose one of --json and --jsonl"),
    ],
)
def test_json_errors_are_json(here: Path, args: list[str], code: int, fragment: str) -> None:
    result = _cli(*args)
    assert result.exit_code == code, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"error", "exit_code"} and data["exit_code"] == code and fragment in data["error"]


# ---------------------------------------------------------------- hostile input on the command line


def test_lone_surrogates_in_review_edit_argv_are_one_line(here: Path) -> None:
    before = (OUT / "doc.yaml").read_bytes()
    _refused(_cli("review", "edit", "doc", _first_id(), "Letter \udcff dated"), 2, "lone surrogate", "U+DCFF")
    assert (OUT / "doc.yaml").read_bytes() == before


def test_bytes_that_are_not_utf8_on_review_edit_stdin_are_one_line(here: Path) -> None:
    before = (OUT / "doc.yaml").read_bytes()
    _refused(_cli("review", "edit", "doc", _first_id(), "-", input=b"Letter \xff\xfe dated"), 2, "standard input", "not UTF-8")
    assert (OUT / "doc.yaml").read_bytes() == before


@pytest.mark.parametrize(
    "line, fragment",
    [
        ('"Letter \\ud800 dated"', "lone surrogate"),
        ('"\\udfff"', "lone surrogate"),
        ("[" * 100_000 + "]" * 100_000, "got a JSON list"),
        ('{"a":' * 50_000 + "1" + "}" * 50_000, "got a JSON object"),
    ],
)
def test_segment_jsonl_hostile_lines_are_one_line(here: Path, line: str, fragment: str) -> None:
    _refused(_cli("segment", "-", "--jsonl", "--lang", "zh-Hans", input='"第一句。第二句！"\n' + line + "\n"), 2, "line 2", fragment)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_not_read_forever(here: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    for args in (["segment", device], ["translate", "--engine", "copy", device], ["detect", device], ["segment", device, "--jsonl"]):
        _refused(_cli(*args), 2, device, "not a regular file")


def test_a_fifo_is_refused_without_waiting_for_a_writer(here: Path) -> None:
    fifo = here / "pipe.txt"
    os.mkfifo(fifo)
    for args in (["segment", str(fifo)], ["translate", "--engine", "copy", str(fifo)]):
        proc = subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, timeout=60, cwd=here)
        assert proc.returncode == 2, proc.stderr
        assert "not a regular file" in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- the review server




def _post(srv: ReviewServer, path: str, data: bytes) -> tuple[int, Any]:
    return request(srv, "POST", path, raw=data)


def _digest() -> str:
    return store.file_digest(OUT / "doc.yaml") or ""


@pytest.mark.parametrize(
    "make",
    [
        lambda d, sid: ("[" * 100_000 + "]" * 100_000).encode(),
        lambda d, sid: ('{"digest": "%s", "id": "%s", "text": ' % (d, sid) + '{"a":' * 100_000 + "1" + "}" * 100_000 + "}").encode(),
        lambda d, sid: ('{"digest": "%s", "id": "%s", "text": "Letter \\ud800 dated"}' % (d, sid)).encode(),
        lambda d, sid: ('{"digest": "%s", "id": "%s", "text": "ok", "\\udc00": 1}' % (d, sid)).encode(),
    ],
    ids=["nested-100000-list", "nested-100000-object", "lone-surrogate-text", "lone-surrogate-key"],
)
def test_hostile_post_bodies_get_400_not_a_dropped_connection(here: Path, make: Callable[[str, str], bytes]) -> None:
    before = (OUT / "doc.yaml").read_bytes()
    with serve() as srv:
        status, body = _post(srv, "/api/doc/doc/edit", make(_digest(), _first_id()))
        assert status == 400 and "error" in body, body
        # and the server still answers
        status, ok = _post(srv, "/api/doc/doc/edit", json.dumps({"digest": _digest(), "id": _first_id(), "text": "Letter"}).encode())
        assert status == 200, ok
    assert (OUT / "doc.yaml").read_bytes() != before  # only the good edit landed


def test_idle_connections_are_closed(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = server_mod.Handler.timeout
    assert isinstance(default, (int, float)) and 0 < default <= 120  # by default, not only when a test asks
    monkeypatch.setattr(server_mod.Handler, "timeout", 0.5)  # the same mechanism, quicker
    with serve() as srv:
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        sock.sendall(b"GET /api/docs HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % srv.port)  # never finished
        started = time.monotonic()
        data = sock.recv(65536)
        while data:
            data = sock.recv(65536)
        assert time.monotonic() - started < 8  # closed by the server, not by our 10 s timeout
        sock.close()


def test_a_client_that_disconnects_prints_no_traceback(here: Path, capfd: pytest.CaptureFixture[str]) -> None:
    big = store.load(OUT / "doc.yaml")
    assert big is not None
    seg = next(s for s in big.segments if s.source)
    seg.note = "x" * 3_000_000  # a response bigger than any socket buffer
    store.save(big, OUT / "doc.yaml")
    with serve() as srv:
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # close = reset
            sock.sendall(b"GET /api/doc/doc HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % srv.port)
            sock.recv(100)
            sock.close()
        time.sleep(1.0)
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=20)
        conn.request("GET", "/api/docs", headers={"Host": f"127.0.0.1:{srv.port}"})
        assert conn.getresponse().status == 200
        conn.close()
    err = capfd.readouterr().err
    assert "Traceback" not in err, err


@pytest.mark.parametrize("command", [["translate", "--engine", "copy"], ["glossary", "validate"]])
@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_glossary_that_is_not_a_regular_file_is_refused_in_one_line(project: Path, command: list[str], kind: str) -> None:
    target = "/dev/zero"
    if kind == "fifo":
        target = str(project / "gloss.fifo")
        os.mkfifo(target)
    done = subprocess.run([sys.executable, "-m", "workbench", *command, "--glossary", target], cwd=project, capture_output=True, timeout=60, check=False)
    err = done.stderr.decode().strip().splitlines()
    assert done.returncode == 3 and len(err) == 1 and "not a regular file" in err[0], (done.returncode, err)
