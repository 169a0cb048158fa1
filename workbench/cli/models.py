"""Argos model package commands: models list, models install."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.base import download_bar, echo_json, handle_errors


@click.group()
def models() -> None:
    """Argos Translate model packages: list and install.

    \b
    Example:
        workbench models list
        workbench models install zh-Hans vi
        workbench models install zh-Hans --file translate-zh_en-1_9.argosmodel
    """


@models.command("list")
@click.option("--available", is_flag=True, help="Also list what the package index offers (needs the network).")
@click.option("--index", "index_url", default=None, help="Argos package index URL.")
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def models_list(available: bool, index_url: str | None, as_json: bool) -> None:
    """List installed Argos packages (and, with --available, the index's).

    \b
    Example:
        workbench models list --available
    """
    from workbench import models as m

    installed = m.installed_packages()
    offered = m.fetch_index(index_url) if available else []
    if as_json:
        echo_json({
            "directory": str(m.packages_dir()),
            "installed": [{"name": p.name, "from": p.from_code, "to": p.to_code, "version": p.version, "size": p.size, "path": str(p.path)} for p in installed],
            "available": [{"name": p.name, "from": p.from_code, "to": p.to_code, "version": p.version, "size": p.size} for p in offered],
        })
        return
    click.echo(f"Installed in {m.packages_dir()}:")
    for p in installed:
        click.echo(f"  {p.name} {p.version}  {p.from_code} -> {p.to_code}  {p.size / 1e6:.1f} MB")
    if not installed:
        click.echo("  (none) — install with: workbench models install zh-Hans zh-Hant vi")
    if available:
        click.echo("Available:")
        for p in offered:
            size = f"{p.size / 1e6:.0f} MB" if p.size else "size unknown"
            click.echo(f"  {p.name} {p.version}  {p.from_code} -> {p.to_code}  {size}")


@models.command("install")
@click.argument("langs", nargs=-1, required=True)
@click.option("--file", "file", type=click.Path(path_type=Path), default=None, help="Install from a local .argosmodel file instead of downloading.")
@click.option("--index", "index_url", default=None, help="Argos package index URL.")
@click.option("--json", "as_json", is_flag=True, help="Print the installed packages as JSON.")
@handle_errors
def models_install(langs: tuple[str, ...], file: Path | None, index_url: str | None, as_json: bool) -> None:
    """Install Argos packages for LANGS -> en, from the index or from --file.

    \b
    Example:
        workbench models install zh-Hans vi
        workbench models install vi --file translate-vi_en-1_9.argosmodel
    """
    from workbench import models as m
    from workbench.ingest import normalize_lang

    codes = [normalize_lang(lang) for lang in langs]
    if file is not None:
        if len(codes) != 1:
            raise click.UsageError("--file installs one package: give the one language it translates (e.g. workbench models install vi --file PKG.argosmodel)")
        done = [m.install_file(file, lang=codes[0])]
    else:
        show_bar = sys.stderr.isatty() and not as_json
        done = m.install(codes, index_url=index_url, progress=download_bar() if show_bar else None)
    if as_json:
        echo_json({"installed": [{"name": p.name, "from": p.from_code, "to": p.to_code, "version": p.version, "size": p.size, "path": str(p.path)} for p in done]})
        return
    for pkg in done:
        click.echo(f"installed {pkg.name} {pkg.version} ({pkg.from_code} -> {pkg.to_code}, {pkg.size / 1e6:.0f} MB) in {pkg.path}")
