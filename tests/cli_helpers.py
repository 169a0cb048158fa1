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
