"""Reliability, second pass (issue 15): model packages are bounded. Downloads stop at the size the
index declares, follow only https/http, and check the index's sha256; package members are read
with a size cap; absurd versions and integers are one-line errors naming the file. Through the CLI
(``workbench models ...``) against a local package index."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from argos_fixture import Server, index_entry, write_index
from workbench.cli import cli


def _cli(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _refused(result: Result, *fragments: str) -> str:
    assert isinstance(result.exception, SystemExit), f"crashed with {result.exception!r}: {result.output}"
    assert result.exit_code == 5, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in result.output, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.fixture
def pkg_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "packages"
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(d))
    return d


def _installed(pkg_dir: Path) -> list[str]:
    return sorted(p.name for p in pkg_dir.iterdir() if not p.name.startswith(".")) if pkg_dir.exists() else []


def _with_metadata(src: Path, dest: Path, metadata: bytes | None = None, extra: dict[str, bytes] | None = None) -> Path:
    """A copy of the package ``src`` with its metadata.json replaced (and members added)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if metadata is not None and info.filename.endswith("/metadata.json") and info.filename.count("/") == 1:
                data = metadata
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dest


def _top(package: Path) -> str:
    with zipfile.ZipFile(package) as zf:
        return zf.namelist()[0].split("/")[0]


# ---------------------------------------------------------------- downloads


def test_a_download_longer_than_the_index_declares_is_refused(server: tuple[Server, Path], tiny_argos_package: Path, pkg_dir: Path) -> None:
    srv, root = server
    srv.httpd.handle_error = lambda *a: None  # type: ignore[method-assign]  # the test server: quiet when we hang up
    (root / "big.argosmodel").write_bytes(tiny_argos_package.read_bytes() + b"\0" * (8 << 20))  # 8 MiB more than declared
    write_index(root, [dict(index_entry("zh", f"{srv.url}/big.argosmodel"), size=1000)])
    _refused(_cli("models", "install", "zh-Hans", "--index", f"{srv.url}/index.json"), "refused", "big.argosmodel", "more than", "nothing was installed")
    assert _installed(pkg_dir) == []
    assert not list(pkg_dir.rglob("*.part"))


def test_a_download_within_the_declared_size_installs(server: tuple[Server, Path], tiny_argos_package: Path, pkg_dir: Path) -> None:
    srv, root = server
    (root / "ok.argosmodel").write_bytes(tiny_argos_package.read_bytes())
    write_index(root, [dict(index_entry("zh", f"{srv.url}/ok.argosmodel"), size=tiny_argos_package.stat().st_size)])
    result = _cli("models", "install", "zh-Hans", "--index", f"{srv.url}/index.json")
    assert result.exit_code == 0, result.output
    assert _installed(pkg_dir) == [_top(tiny_argos_package)]


@pytest.mark.parametrize("scheme", ["file", "ftp", "data"])
def test_links_other_than_https_or_http_are_not_followed(server: tuple[Server, Path], tiny_argos_package: Path, pkg_dir: Path, scheme: str) -> None:
    srv, root = server
    link = {"file": tiny_argos_package.resolve().as_uri(), "ftp": "ftp://127.0.0.1/x.argosmodel", "data": "data:application/zip;base64,UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}[scheme]
    write_index(root, [index_entry("zh", link)])
    _refused(_cli("models", "install", "zh-Hans", "--index", f"{srv.url}/index.json"), "refused", "only https/http")
    assert _installed(pkg_dir) == []


def test_the_index_sha256_is_checked(server: tuple[Server, Path], tiny_argos_package: Path, pkg_dir: Path) -> None:
    srv, root = server
    data = tiny_argos_package.read_bytes()
    (root / "p.argosmodel").write_bytes(data)
    write_index(root, [dict(index_entry("zh", f"{srv.url}/p.argosmodel"), sha256="0" * 64)])
    _refused(_cli("models", "install", "zh-Hans", "--index", f"{srv.url}/index.json"), "refused", "sha256")
    assert _installed(pkg_dir) == []
    write_index(root, [dict(index_entry("zh", f"{srv.url}/p.argosmodel"), checksum="sha256:" + hashlib.sha256(data).hexdigest())])
    assert _cli("models", "install", "zh-Hans", "--index", f"{srv.url}/index.json").exit_code == 0
    assert _installed(pkg_dir) == [_top(tiny_argos_package)]


# ---------------------------------------------------------------- package members


def test_a_huge_metadata_json_is_not_read_whole(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    meta = json.loads(zipfile.ZipFile(tiny_argos_package).read(f"{_top(tiny_argos_package)}/metadata.json"))
    # valid JSON that inflates to 64 MiB from a few kilobytes (the same holds for 2 GiB)
    body = json.dumps(meta)[:-1] + "," + " " * (64 << 20) + '"pad": 1}'
    bomb = _with_metadata(tiny_argos_package, tmp_path / "bomb.argosmodel", body.encode())
    assert bomb.stat().st_size < 2 << 20
    tracemalloc.start()
    try:
        result = _cli("models", "install", "zh-Hans", "--file", bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    _refused(result, "bomb.argosmodel", "metadata.json", "larger than")
    assert peak < 32 << 20, f"read {peak / 2**20:.0f} MiB"
    assert _installed(pkg_dir) == []


def test_a_5000_digit_package_version_is_one_line_naming_the_file(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    top = _top(tiny_argos_package)
    meta = json.loads(zipfile.ZipFile(tiny_argos_package).read(f"{top}/metadata.json"))
    meta["package_version"] = "1." + "9" * 5000
    bad = _with_metadata(tiny_argos_package, tmp_path / "v.argosmodel", json.dumps(meta).encode())
    _refused(_cli("models", "install", "zh-Hans", "--file", bad), "v.argosmodel", "package_version")
    # a JSON integer of 5,000 digits
    huge = _with_metadata(tiny_argos_package, tmp_path / "n.argosmodel", ('{"from_code": "zh", "to_code": "en", "package_version": ' + "9" * 5000 + "}").encode())
    _refused(_cli("models", "install", "zh-Hans", "--file", huge), "n.argosmodel", "metadata.json")
    # an installed package whose metadata.json was edited that way: `models list` names the file
    assert _cli("models", "install", "zh-Hans", "--file", tiny_argos_package).exit_code == 0
    installed = pkg_dir / top / "metadata.json"
    meta["package_version"] = "9" * 5000
    installed.write_text(json.dumps(meta), encoding="utf-8")
    _refused(_cli("models", "list"), str(installed), "package_version")


def test_a_5000_digit_version_in_the_index_does_not_crash(server: tuple[Server, Path], pkg_dir: Path) -> None:
    srv, root = server
    write_index(root, [index_entry("zh", f"{srv.url}/a.argosmodel", version="9" * 5000), index_entry("vi", f"{srv.url}/b.argosmodel", version="1." + "9" * 50)])
    result = _cli("models", "list", "--available", "--index", f"{srv.url}/index.json", "--json")
    assert result.exit_code == 0, result.output
    assert [p["from"] for p in json.loads(result.output)["available"]] == ["vi"]
    (root / "index.json").write_text('[{"from_code": "zh", "to_code": "en", "links": ["x"], "size": ' + "9" * 5000 + "}]", encoding="utf-8")
    _refused(_cli("models", "list", "--available", "--index", f"{srv.url}/index.json"), "index", "not valid JSON")


def test_a_download_with_no_content_length_is_cut_off_at_the_declared_size(tiny_argos_package: Path, pkg_dir: Path, tmp_path: Path) -> None:
    """The server does not say how long the body is (HTTP/1.0, no Content-Length): the download
    is stopped once it passes the declared size, not read to the end."""
    import http.server
    import threading

    sent = {"bytes": 0}

    class Endless(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/index.json":
                body = json.dumps([dict(index_entry("zh", f"http://127.0.0.1:{self.server.server_address[1]}/endless.argosmodel"), size=1000)]).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(160 * 16):  # up to 160 MiB, 64 KiB at a time
                    self.wfile.write(b"\0" * 65536)
                    sent["bytes"] += 65536
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endless)
    httpd.handle_error = lambda *a: None  # type: ignore[method-assign]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        result = _cli("models", "install", "zh-Hans", "--index", f"http://127.0.0.1:{httpd.server_address[1]}/index.json")
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
    _refused(result, "refused", "endless.argosmodel", "stopped")
    assert sent["bytes"] < 40 << 20, f"{sent['bytes'] / 2**20:.0f} MiB were sent before the client stopped"
    assert _installed(pkg_dir) == [] and not list(pkg_dir.rglob("*.part"))
