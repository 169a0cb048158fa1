"""The ``workbench`` command line. Commands stay thin: parse options, call one library
function, print. Library errors become one-line messages with a non-zero exit code.

A package: ``base`` holds the shared helpers; each command group has its own module; this
module only builds the group. Imports go one way: here -> command modules -> base.
"""

from __future__ import annotations

import click

from workbench import __version__
from workbench.cli.align import align, evaluate
from workbench.cli.build import build
from workbench.cli.importer import import_cmd, resolve_cmd
from workbench.cli.documents import detect, segment, status, translate
from workbench.cli.glossary import glossary
from workbench.cli.models import models
from workbench.cli.review import export, review


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
def cli() -> None:
    """Translate Chinese and Vietnamese documents into reviewed English, offline.

    \b
    Example:
        workbench translate            # seeds/ -> translations/
        workbench status
    """



for _command in (translate, status, segment, models, detect, review, export, align, evaluate, glossary, build, import_cmd, resolve_cmd):
    cli.add_command(_command)


def main() -> None:  # pragma: no cover
    cli()
