"""The ``workbench`` command line. Commands stay thin: parse options, call one library
function, print. Library errors become one-line messages with a non-zero exit code."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from workbench import __version__
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


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
def cli() -> None:
    """Translate Chinese and Vietnamese documents into reviewed English, offline.

    \b
    Example:
        workbench translate            # seeds/ -> translations/
        workbench status
    """


ENGINE_CHOICES = ["auto", "argos", "copy"]


@cli.command()
@click.argument("docs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="auto", show_default=True, help="auto: Argos where a model is installed or downloadable, else copy.")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path), default=None, help="Glossary YAML [default: ./glossary.yaml].")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("translations"), show_default=True, help="Where the side-by-side YAML files go.")
@click.option("--lang", default=None, help="Source language of all DOCS (zh-Hans, zh-Hant, vi, en); detected if omitted.")
@click.option("--encoding", default=None, help="The documents' text encoding (e.g. big5, gb18030, cp1258, utf-16); detected if omitted.")
@click.option("--no-download", is_flag=True, help="Never download a model (auto then uses copy where none is installed).")
@click.option("--index", "index_url", default=None, help="Argos package index URL for downloads.")
@click.option("--beam", type=click.IntRange(1, 16), default=None, help="Beam size for Argos [default: 4].")
@click.option("--inter-threads", type=click.IntRange(1, 64), default=None, help="Argos: batches decoded in parallel [default: 2 on 2-3 cores, cores/2 up to 4].")
@click.option("--intra-threads", type=click.IntRange(0, 64), default=None, help="Argos: threads per batch [default: cores/inter].")
@click.option("--batch-tokens", type=click.IntRange(16, 1_000_000), default=None, help="Argos: max padded source tokens per batch [default: 512].")
@click.option("--batch-sentences", type=click.IntRange(1, 100_000), default=None, help="Argos: max sentences per batch [default: 256].")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary for scripts.")
@handle_errors
def translate(docs: tuple[Path, ...], engine: str, glossary_path: Path | None, out_dir: Path, lang: str | None, encoding: str | None, no_download: bool, index_url: str | None, beam: int | None, inter_threads: int | None, intra_threads: int | None, batch_tokens: int | None, batch_sentences: int | None, as_json: bool) -> None:
    """Machine-translate DOCS (files or directories; default seeds/) into OUT.

    Human edits (status edited/approved) are never overwritten; unchanged drafts
    are reused without decoding; only new or changed segments are translated.

    \b
    Example:
        workbench translate
        workbench translate seeds/000_093349a39d32f8f2.txt --engine copy --json
        workbench translate --inter-threads 2 --intra-threads 1 --batch-tokens 512

    The Argos defaults (threads, batch size) are the fastest measured on
    2 cores; see README, Performance.
    """
    from workbench.translate import translate_documents

    options: dict[str, object] = {}
    for key, value in (("beam_size", beam), ("inter_threads", inter_threads), ("intra_threads", intra_threads), ("max_batch_tokens", batch_tokens), ("chunk_size", batch_sentences)):
        if value is not None:
            options[key] = value
    show_bar = sys.stderr.isatty() and not as_json
    bar: Any = None

    def progress(n: int, total: int) -> None:
        nonlocal bar
        if not show_bar:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Translating", file=sys.stderr)
            bar.__enter__()
        bar.update(n)

    def notify(msg: str) -> None:
        click.echo(msg, err=True)

    try:
        result = translate_documents(
            list(docs) or [Path("seeds")],
            out_dir=out_dir,
            engine=engine,
            glossary_path=glossary_path,
            lang=lang,
            encoding=encoding,
            download=not no_download,
            index_url=index_url,
            engine_options=options,
            notify=notify,
            progress=progress,
            download_progress=_download_bar() if sys.stderr.isatty() else None,
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if as_json:
        _echo_json(result.as_dict())
        return
    for d in result.documents:
        mt = "" if d.machine_translated else "  (no machine translation: copy engine)"
        click.echo(f"{d.document} [{d.source_lang}] -> {d.output}: {d.segments} segments, {d.translated} translated, {d.reused} reused, {d.kept} kept{mt}")


def _download_bar() -> Callable[[int, int | None], None]:
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


@cli.command()
@click.argument("docs", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("translations"), show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@handle_errors
def status(docs: tuple[str, ...], out_dir: Path, as_json: bool) -> None:
    """Per document: segments by status, QA flags, and the engine used.

    \b
    Example:
        workbench status
        workbench status 000_093349a39d32f8f2 --json
    """
    from workbench.store import summary

    rows = summary(out_dir, list(docs) or None)
    if as_json:
        _echo_json({"documents": [r.as_dict() for r in rows]})
        return
    for r in rows:
        counts = ", ".join(f"{v} {k}" for k, v in r.by_status.items())
        flags = ", ".join(f"{v} {k}" for k, v in sorted(r.flags.items())) or "none"
        mt = "" if r.machine_translated else "  NO MACHINE TRANSLATION (copy engine)"
        click.echo(f"{Path(r.file).stem} [{r.source_lang}] {r.engine}: {r.segments} segments ({counts}); flags: {flags}{mt}")
        if r.orphans:
            click.echo(f"  {r.orphans} orphaned human edits kept (their source left the document)")


@cli.command()
@click.argument("file", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--lang", default=None, help="zh-Hans, zh-Hant, vi or en; detected if omitted.")
@click.option("--encoding", default=None, help="The documents' text encoding (e.g. big5, gb18030, cp1258, utf-16); detected if omitted.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list of sentences.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Read one JSON string (a passage) per line; print one JSON list per line.")
@handle_errors
def segment(file: Path, lang: str | None, encoding: str | None, as_json: bool, as_jsonl: bool) -> None:
    """Split FILE (or - for standard input) into sentences, one a line.

    \b
    Example:
        workbench segment seeds/001_85fdaf6eba83a0b1.txt
        echo '"第一句。第二句！"' | workbench segment - --jsonl --lang zh-Hans
    """
    from workbench.errors import InputError
    from workbench.segment import segment_passages, segment_text

    if as_json and as_jsonl:
        raise click.UsageError("choose one of --json and --jsonl")
    data = sys.stdin.buffer.read() if str(file) == "-" else None
    if as_jsonl:
        raw = data if data is not None else _read_bytes(file)
        try:
            lines = raw.decode(encoding or "utf-8").splitlines()
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"{file}: cannot decode the JSON lines ({exc}); give UTF-8 or pass --encoding") from None
        out = sys.stdout
        for result in segment_passages(lines, lang):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    sentences = segment_text(file, data, lang, encoding)
    if as_json:
        click.echo(json.dumps(sentences, ensure_ascii=False))
    else:
        for s in sentences:
            click.echo(s)


def _read_bytes(file: Path) -> bytes:
    from workbench.errors import InputError

    try:
        return file.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise InputError(f"{file}: no such file") from None


@cli.group()
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
        _echo_json({
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
@handle_errors
def models_install(langs: tuple[str, ...], file: Path | None, index_url: str | None) -> None:
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
        pkg = m.install_file(file, lang=codes[0])
        click.echo(f"installed {pkg.name} {pkg.version} ({pkg.from_code} -> {pkg.to_code}) in {pkg.path}")
        return
    done = m.install(codes, index_url=index_url, progress=_download_bar() if sys.stderr.isatty() else None)
    for pkg in done:
        click.echo(f"installed {pkg.name} {pkg.version} ({pkg.from_code} -> {pkg.to_code}, {pkg.size / 1e6:.0f} MB) in {pkg.path}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@handle_errors
def detect(files: tuple[Path, ...], as_json: bool) -> None:
    """Show each document's detected language and encoding.

    \b
    Example:
        workbench detect seeds/*.txt
    """
    from workbench.ingest import read_document

    docs = [read_document(f) for f in files]
    if as_json:
        _echo_json([{"document": str(d.path), "lang": d.lang, "encoding": d.encoding} for d in docs])
        return
    for d in docs:
        click.echo(f"{d.path}\t{d.lang}\t{d.encoding}")


# Command groups that live in their own modules (imported here, after handle_errors exists).
from workbench.cli_review import export as _export_cmd  # noqa: E402
from workbench.cli_review import review as _review_group  # noqa: E402

from workbench.cli_align import align as _align_cmd  # noqa: E402
from workbench.cli_align import evaluate as _evaluate_cmd  # noqa: E402
from workbench.cli_glossary import glossary as _glossary_group  # noqa: E402

cli.add_command(_review_group)
cli.add_command(_export_cmd)
cli.add_command(_align_cmd)
cli.add_command(_evaluate_cmd)
cli.add_command(_glossary_group)


def main() -> None:  # pragma: no cover
    cli()

