"""Shared pieces of the command line: error handling, JSON output, common options.

Every command module imports from here; nothing here imports a command module."""

from __future__ import annotations

import functools
import os
import json
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from workbench.errors import FileAccessError, WorkbenchError, describe_os_error

F = TypeVar("F", bound=Callable[..., Any])


class WorkbenchClickError(click.ClickException):
    """A one-line error and its exit code. With ``--json`` it is also printed as
    ``{"error": ..., "exit_code": ...}`` on stdout, where a script reads results; the
    ``Error: ...`` line on stderr stays for the person watching."""

    def __init__(self, message: str, exit_code: int, as_json: bool = False) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.as_json = as_json

    def show(self, file: Any = None) -> None:
        if self.as_json:
            click.echo(json.dumps({"error": self.message, "exit_code": self.exit_code}, ensure_ascii=False))
        super().show(file)


def _one_line(text: str, fallback: str) -> str:
    line = text.splitlines()[0] if text else fallback
    # never let a lone surrogate (from undecodable argv bytes) break the error message itself
    return line.encode("utf-8", "backslashreplace").decode("utf-8")


def handle_errors(fn: F) -> F:
    """Turn the library's exceptions, and the operating system's refusals (disk full, read-only,
    no permission), into one-line ``Error: ...`` messages with the path and the fix and a
    non-zero exit; as JSON when the command has ``--json`` and it was given."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.get("as_json"))

        def fail(message: str, code: int) -> WorkbenchClickError:
            return WorkbenchClickError(_one_line(message, "error"), code, as_json)

        try:
            return fn(*args, **kwargs)
        except WorkbenchError as exc:
            raise fail(str(exc) or type(exc).__name__, exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted; files in translations/ are the old or the new version, never half-written", 130) from None
        except BrokenPipeError:
            # `workbench review history DOC | head`: the reader has what it wanted. Say nothing,
            # as other command-line tools do, and exit as a shell reports SIGPIPE (128 + 13).
            _quiet_stdout()
            raise SystemExit(141) from None
        except click.ClickException as exc:
            if not as_json:
                raise
            raise fail(exc.format_message(), exc.exit_code) from None
        except OSError as exc:
            raise fail(describe_os_error(exc), FileAccessError.exit_code) from None
        except RecursionError:
            raise fail("the input is nested too deeply to read; give plain text or flat JSON", 2) from None

    return wrapper  # type: ignore[return-value]


def _quiet_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def fail_for_broken(errors: list[str]) -> None:
    """Broken translations files break only themselves: after the rest was done, exit 4 naming them."""
    if errors:
        more = f" (and {len(errors) - 1} more unreadable translations file{'s' if len(errors) > 2 else ''}; see `workbench status`)" if len(errors) > 1 else ""
        raise WorkbenchClickError(errors[0] + more, 4)


#: The most a command reads from standard input (a segment's English, a passage list).
MAX_STDIN = 64 * 1024 * 1024


def read_stdin_text(what: str) -> str:
    """Standard input as UTF-8 text, bounded; InputError (one line) if it is not UTF-8."""
    from workbench.errors import InputError

    data = sys.stdin.buffer.read(MAX_STDIN + 1)
    if len(data) > MAX_STDIN:
        raise InputError(f"standard input: more than {MAX_STDIN // (1024 * 1024)} MiB for {what}; give less text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"standard input: {what} is not UTF-8 (byte {exc.start}); send UTF-8 text") from None


def echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))

ENGINE_CHOICES = ["auto", "argos", "copy"]


def download_bar() -> Callable[[int, int | None], None]:
    """A progress bar on stderr for a package download."""
    state: dict[str, Any] = {}

    def cb(done: int, total: int | None) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total or 0, label="Downloading", file=sys.stderr, show_pos=True)
            state["bar"].__enter__()
            state["done"] = 0
        state["bar"].update(done - state["done"])
        state["done"] = done
        if total and done >= total:
            state["bar"].__exit__(None, None, None)

    return cb


#: The one name, everywhere, for the directory that holds ``translations/*.yaml``.
TRANSLATIONS_DIR = Path("translations")


def _renamed(old: str, new: str) -> None:
    click.echo(f"notice: {old} is now called {new}; the old name keeps working for now", err=True)


def _translations(legacy: bool) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, out_dir: Path | None = None, legacy_out: Path | None = None, **kwargs: Any) -> Any:
            if legacy_out is not None:
                _renamed("--out", "--translations")
            return fn(*args, out_dir=out_dir or legacy_out or TRANSLATIONS_DIR, **kwargs)

        if legacy:
            wrapper = click.option("--out", "legacy_out", type=click.Path(path_type=Path), default=None, hidden=True)(wrapper)
        wrapper = click.option(
            "--translations", "out_dir", type=click.Path(path_type=Path), default=None,
            help="The translations directory (the side-by-side YAML files) [default: translations].",
        )(wrapper)
        return wrapper  # type: ignore[return-value]

    return decorate


#: ``--translations DIR`` (the project's translations directory), with the old ``--out`` spelling
#: still accepted (hidden) and a notice on stderr.
translations_option = _translations(legacy=True)
#: ``--translations DIR`` where ``--out`` meant something else (export: the exports folder).
translations_only = _translations(legacy=False)


def dest_option(default: str) -> Callable[[F], F]:
    """``--dest DIR`` for where exported files go (the old ``--out`` spelling still accepted)."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, dest: Path | None = None, legacy_out: Path | None = None, **kwargs: Any) -> Any:
            if legacy_out is not None:
                _renamed("--out", "--dest")
            return fn(*args, dest=dest or legacy_out or Path(default), **kwargs)

        wrapper = click.option("--out", "legacy_out", type=click.Path(path_type=Path), default=None, hidden=True)(wrapper)
        wrapper = click.option("--dest", "dest", type=click.Path(path_type=Path), default=None, help=f"Directory for the exported files [default: {default}].")(wrapper)
        return wrapper  # type: ignore[return-value]

    return decorate
