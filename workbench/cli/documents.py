"""Document commands: translate, status, segment, detect."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from workbench.cli.base import (
    ENGINE_CHOICES,
    fail_for_broken as _fail_for_broken,
    download_bar,
    echo_json,
    handle_errors,
    translations_option,
)


@click.command()
@click.argument("docs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="auto", show_default=True, help="auto: Argos where a model is installed or downloadable, else copy.")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path), default=None, help="Glossary YAML [default: ./glossary.yaml].")
@translations_option
@click.option("--lang", default=None, help="Source language of all DOCS (zh-Hans, zh-Hant, vi, en); detected if omitted.")
@click.option("--encoding", default=None, help="The documents' text encoding (e.g. big5, gb18030, cp1258, utf-16); detected if omitted.")
@click.option("--no-download", is_flag=True, help="Never download a model (auto then uses copy where none is installed).")
@click.option("--index", "index_url", default=None, help="Argos package index URL for downloads.")
@click.option("--beam", type=click.IntRange(1, 16), default=None, help="Beam size for Argos [default: 4].")
@click.option("--inter-threads", type=click.IntRange(1, 64), default=None, help="Argos: batches decoded in parallel [default: 2 on 2-3 cores, cores/2 up to 4].")
@click.option("--intra-threads", type=click.IntRange(0, 64), default=None, help="Argos: threads per batch [default: cores/inter].")
@click.option("--batch-tokens", type=click.IntRange(16, 1_000_000), default=None, help="Argos: max padded source tokens per batch [default: 512 on the CPU, 4096 on a GPU].")
@click.option("--batch-sentences", type=click.IntRange(1, 100_000), default=None, help="Argos: max sentences per batch [default: 256].")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True, help="Argos: a CUDA GPU when one is present (auto), or force cpu/cuda.")
@click.option("--scope", "scopes", multiple=True, metavar="SCOPE", help="Glossary scope of these documents: UN, ASEAN, CICA, mainland or Taiwan (repeatable); entries of other scopes are not applied. Stored with each document and kept by later runs; --scope all selects every entry again.")
@click.option("--cluster", "cluster", default=None, metavar="ray://HOST:PORT|auto", help="Decode on a Ray cluster (auto: ray.init() on this machine); needs pip install 'workbench[cluster]'.")
@click.option("--cluster-actors", type=click.IntRange(1, 100_000), default=None, help="--cluster: this many actors sharing the CPUs [default: one per node, or one per GPU].")
@click.option("--cluster-actor-cpus", type=click.IntRange(1, 100_000), default=None, help="--cluster: CPUs per actor (one actor per this many cores of each node) [default: all of the node's].")
@click.option("--shard-size", type=click.IntRange(1, 1_000_000), default=None, help="--cluster: sentences per shard [default: ~8 shards per actor, 32-256 on CPUs, 256-2048 on GPUs].")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary for scripts.")
@handle_errors
def translate(docs: tuple[Path, ...], engine: str, glossary_path: Path | None, out_dir: Path, lang: str | None, encoding: str | None, no_download: bool, index_url: str | None, beam: int | None, inter_threads: int | None, intra_threads: int | None, batch_tokens: int | None, batch_sentences: int | None, device: str, scopes: tuple[str, ...], cluster: str | None, cluster_actors: int | None, cluster_actor_cpus: int | None, shard_size: int | None, as_json: bool) -> None:
    """Machine-translate DOCS (files or directories; default seeds/) into OUT.

    Human edits (status edited/approved) are never overwritten; unchanged drafts
    are reused without decoding; only new or changed segments are translated.

    \b
    Example:
        workbench translate
        workbench translate seeds/000_093349a39d32f8f2.txt --engine copy --json
        workbench translate --inter-threads 2 --intra-threads 1 --batch-tokens 512
        workbench translate --device cuda          # on a machine with an NVIDIA GPU
        workbench translate seeds/004_c0907f7ee83eb81c.txt --engine copy --scope CICA
        workbench translate archive/ --cluster ray://head:10001 --json   # on a Ray cluster

    The Argos defaults (threads, batch size) are the fastest measured on
    2 cores; see README, Performance.
    """
    options: dict[str, object] = {"device": device} if device != "auto" else {}
    for key, value in (("beam_size", beam), ("inter_threads", inter_threads), ("intra_threads", intra_threads), ("max_batch_tokens", batch_tokens), ("chunk_size", batch_sentences)):
        if value is not None:
            options[key] = value
    paths: list[Path] = list(docs) or [Path("seeds")]
    if engine in ("auto", "argos") and cluster is None:
        from workbench.engines.argos import prewarm

        # the model loads while the workbench imports itself and reads the documents
        prewarm(paths, lang, options, encoding)
    from workbench.translate import translate_documents
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

    if cluster:  # the same run, decoded by Ray actors; a bar over shards
        from workbench.cluster import cluster_run

        def shards(done: int, total: int) -> None:
            progress(0, total)
            if bar is not None:
                bar.length = total
                bar.update(done - bar.pos)

        try:
            result, summary = cluster_run(
                cluster, paths, actors=cluster_actors, actor_cpus=cluster_actor_cpus, shard_size=shard_size, progress=shards, notify=notify,
                out_dir=out_dir, engine=engine, glossary_path=glossary_path, lang=lang, encoding=encoding, download=not no_download, index_url=index_url, engine_options=options, scopes=scopes or None,
            )
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
        if as_json:
            echo_json({**result.as_dict(), "cluster": summary})
        else:
            for d in result.documents:
                mt = "" if d.machine_translated else "  (no machine translation: copy engine)"
                click.echo(f"{d.document} [{d.source_lang}] -> {d.output}: {d.segments} segments, {d.translated} translated, {d.reused} reused, {d.kept} kept{mt}")
        _fail_for_broken(result.errors)
        return
    try:
        result = translate_documents(
            paths,
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
            download_progress=download_bar() if sys.stderr.isatty() else None,
            scopes=scopes or None,
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if as_json:
        echo_json(result.as_dict())
    else:
        for d in result.documents:
            mt = "" if d.machine_translated else "  (no machine translation: copy engine)"
            click.echo(f"{d.document} [{d.source_lang}] -> {d.output}: {d.segments} segments, {d.translated} translated, {d.reused} reused, {d.kept} kept{mt}")
    _fail_for_broken(result.errors)






@click.command()
@click.argument("docs", nargs=-1)
@translations_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@handle_errors
def status(docs: tuple[str, ...], out_dir: Path, as_json: bool) -> None:
    """Per document: segments by status, QA flags, orphans and the engine used (from the project index).

    A translations file that cannot be read is listed with its error (exit code 4); the others
    are shown as usual.

    \b
    Example:
        workbench status
        workbench status 000_093349a39d32f8f2 --json
    """
    from workbench.store import status_rows

    rows, errors = status_rows(out_dir, list(docs) or None)
    for hidden in sorted(out_dir.glob(".*.yaml")) if not docs else []:  # e.g. written by an older workbench
        click.echo(f"notice: {hidden} is not listed: a name starting with a dot is hidden; rename it to {out_dir / hidden.name.lstrip('.')} to review it", err=True)
    if as_json:
        echo_json({"documents": [r.as_dict() for r in rows], "errors": [{"file": f, "error": e} for f, e in errors]})
    else:
        for r in rows:
            counts = ", ".join(f"{v} {k}" for k, v in r.by_status.items())
            flags = ", ".join(f"{v} {k}" for k, v in sorted(r.flags.items())) or "none"
            mt = "" if r.machine_translated else "  NO MACHINE TRANSLATION (copy engine)"
            title = f"  \u201c{r.title}\u201d" if r.title else ""
            click.echo(f"{Path(r.file).stem}{title} [{r.source_lang}] {r.engine}: {r.segments} segments ({counts}); flags: {flags}{mt}")
            if r.orphans:
                click.echo(f"  {r.orphans} orphaned human edits kept (their source left the document); see `workbench review orphans {Path(r.file).stem}`")
        for f, _e in errors:
            click.echo(f"{Path(f).stem}: CANNOT BE READ (see the error below)")
    _fail_for_broken([e for _f, e in errors])


@click.command()
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
    from workbench.ingest import read_stream_bytes

    data = read_stream_bytes(sys.stdin.buffer) if str(file) == "-" else None
    if as_jsonl:
        raw = data if data is not None else _read_bytes(file)
        try:
            lines = raw.decode(encoding or "utf-8").splitlines()
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"{file}: cannot decode the JSON lines ({exc}); give UTF-8 or pass --encoding") from None
        _check_jsonl(lines, file)
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
    from workbench.ingest import read_file_bytes

    return read_file_bytes(file)  # regular files only, bounded


def _check_jsonl(lines: list[str], file: Path) -> None:
    """Refuse, one line each, what JSON allows but a passage cannot be: a list or object (which
    may also nest deep enough to exhaust the parser) and a string with a lone surrogate."""
    from workbench.errors import InputError

    for no, line in enumerate(lines, 1):
        head = line.lstrip()[:1]
        if head in ("[", "{"):
            raise InputError(f"{file}: line {no}: expected a JSON string (a passage), got a JSON {'list' if head == '[' else 'object'}")
        if head != '"':
            continue  # blank, or not JSON at all: segment_passages says which
        try:
            passage = json.loads(line)
        except ValueError:
            continue  # segment_passages reports it with the JSON error
        if isinstance(passage, str):
            try:
                passage.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise InputError(
                    f"{file}: line {no}: the string holds a lone surrogate (U+{ord(passage[exc.start]):04X}) at character {exc.start + 1}, "
                    "which is not text; fix the producer's escaping"
                ) from None



@click.command()
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
        echo_json([{"document": str(d.path), "lang": d.lang, "encoding": d.encoding} for d in docs])
        return
    for d in docs:
        click.echo(f"{d.path}\t{d.lang}\t{d.encoding}")
