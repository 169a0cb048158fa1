"""Shared helpers for CLI-level tests: run a command, check a clean one-line refusal."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from click.testing import CliRunner, Result

from workbench.cli import cli


def run_cli(*args: object, input: str | bytes | None = None) -> Result:
    """``workbench ARGS`` through CliRunner (stdout and stderr kept apart)."""
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def refused(result: Result, code: int | None, *fragments: str) -> str:
    """A clean refusal: a non-zero ``code``, one ``Error:`` line naming every fragment, no traceback."""
    assert isinstance(result.exception, SystemExit), f"crashed with {result.exception!r}: {result.output}"
    assert result.exit_code != 0, result.output
    if code is not None:
        assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and "Traceback" not in result.output, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@contextmanager
def serving(out: Path, **options: Any) -> Iterator[Any]:
    """The review server on an ephemeral loopback port, in a thread, shut down afterwards."""
    import threading

    from workbench.server import make_server

    srv = make_server(out, port=0, **options)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def request(srv: Any, method: str, path: str, body: Any = None, headers: dict[str, str | None] | None = None, raw: bytes | None = None, timeout: float = 20) -> tuple[int, Any]:
    """One HTTP request to the review server ``srv``: ``body`` sent as JSON (or ``raw`` bytes, as
    JSON), ``headers`` added (a None value leaves that header out, e.g. ``Host``); the status and
    the answer, parsed as JSON when it is JSON."""
    import http.client
    import json

    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=timeout)
    hdrs: dict[str, str | None] = {"Host": f"127.0.0.1:{srv.port}"}
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode("utf-8"))
    if data is not None:
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for k, v in hdrs.items():
        if v is not None:
            conn.putheader(k, v)
    if data is not None:
        conn.putheader("Content-Length", str(len(data)))
    conn.endheaders(data)
    res = conn.getresponse()
    answer = res.read()
    conn.close()
    try:
        return res.status, json.loads(answer)
    except ValueError:
        return res.status, answer


class serve:
    """The review server of ``out`` (default ./translations) on a free port, in a thread, for a
    ``with`` block (``docs``: only these documents); shut down and closed afterwards."""

    def __init__(self, docs: list[str] | None = None, out: Path = Path("translations"), **options: Any) -> None:
        self.docs, self.out, self.options = docs, out, options

    def __enter__(self) -> Any:
        import threading

        from workbench.server import make_server

        self.srv = make_server(self.out, self.docs, port=0, **self.options)
        self.thread = threading.Thread(target=self.srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self.srv

    def __exit__(self, *exc: object) -> None:
        self.srv.shutdown()
        self.srv.server_close()
        self.thread.join(5)
