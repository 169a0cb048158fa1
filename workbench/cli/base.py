"""Shared pieces of the command line: error handling, JSON output, common options.

Every command module imports from here; nothing here imports a command module."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
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


def fail_for_broken(errors: list[str]) -> None:
    """Broken translations files break only themselves: after the rest was done, exit 4 naming them."""
    if errors:
        more = f" (and {len(errors) - 1} more unreadable translations file{'s' if len(errors) > 2 else ''}; see `workbench status`)" if len(errors) > 1 else ""
        raise WorkbenchClickError(errors[0] + more, 4)


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
