"""The ``workbench`` command line. Commands stay thin: parse options, call one library
function, print. Library errors become one-line messages with a non-zero exit code.

A package: ``base`` holds the shared helpers; each command group has its own module; this
module only builds the group. Imports go one way: here -> command modules -> base.
"""

from __future__ import annotations

import importlib

import click

from workbench import __version__

#: command name -> (module under workbench.cli, attribute).
#: A command's module is imported when that command runs (or help lists it): ``workbench
#: translate`` does not import the review, alignment and glossary-administration commands.
COMMANDS: dict[str, tuple[str, str]] = {
    "translate": ("documents", "translate"),
    "status": ("documents", "status"),
    "segment": ("documents", "segment"),
    "models": ("models", "models"),
    "detect": ("documents", "detect"),
    "review": ("review", "review"),
    "export": ("review", "export"),
    "align": ("align", "align"),
    "evaluate": ("align", "evaluate"),
    "glossary": ("glossary", "glossary"),
    "build": ("build", "build"),
    "import": ("importer", "import_cmd"),
    "resolve": ("importer", "resolve_cmd"),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})  # as click.Group lists them

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module, attr = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(f"workbench.cli.{module}"), attr)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
def cli() -> None:
    """Translate Chinese and Vietnamese documents into reviewed English, offline.

    \b
    Example:
        workbench translate            # seeds/ -> translations/
        workbench status
    """


def main() -> None:  # pragma: no cover - the console script and ``python -m workbench``
    """Run the command line, then end the process without tearing the interpreter down.

    A command that has returned has written, flushed and closed its files (atomic writes,
    committed index); what a normal exit does after that is free memory object by object: a
    loaded translation model and its threads, the glossary's automaton, every module, ~0.1 s
    of a one-sentence ``translate``. Exit handlers (``atexit``) still run, and standard output
    is flushed; a command that left a non-daemon thread running exits the normal way."""
    import atexit
    import os
    import sys
    import threading

    try:
        cli()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said there
            code = code or 120  # what Python's own exit reports when its final flush fails
    os._exit(code)  # type: ignore[arg-type]
