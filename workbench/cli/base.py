"""Shared pieces of the command line: error handling, JSON output, common options.

Every command module imports from here; nothing here imports a command module."""

from __future__ import annotations

import functools
import json
import sys
from typing import Any, Callable, TypeVar

import click

from workbench.errors import WorkbenchError

F = TypeVar("F", bound=Callable[..., Any])


class WorkbenchClickError(click.ClickException):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def handle_errors(fn: F) -> F:
    """Turn the library's exceptions into one-line ``Error: ...`` messages."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WorkbenchError as exc:
            raise WorkbenchClickError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, exc.exit_code) from None
        except KeyboardInterrupt:
            raise WorkbenchClickError("interrupted; files in translations/ are the old or the new version, never half-written", 130) from None

    return wrapper  # type: ignore[return-value]


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
