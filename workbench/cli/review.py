"""The ``workbench review`` group (the review page and its command-line twins) and ``workbench export``.

Thin commands over :mod:`workbench.review`, :mod:`workbench.export` and
:mod:`workbench.server`; library errors become one-line messages via ``handle_errors``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from workbench.cli.base import (
    dest_option,
    echo_json,
    handle_errors,
    translations_only,
    translations_option,
)

_TRANSLATIONS = translations_option
_GLOSSARY = click.option("--glossary", "glossary_path", type=click.Path(path_type=Path), default=None, help="Glossary YAML for terms and QA flags [default: ./glossary.yaml].")
_DIGEST = click.option("--digest", default=None, help="Refuse the change unless the file's sha256 is still this (from `review show --json`).")


class _ReviewGroup(click.Group):
    """``workbench review [DOCS…]`` serves the page; ``workbench review CMD …`` runs a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_ReviewGroup)
def review() -> None:
    """Review translations: a side-by-side page in the browser, or commands.

    `workbench review [DOCS…]` starts the local review page (same as `review serve`).

    \b
    Example:
        workbench review                      # open the review page
        workbench review --port 8765 --no-browser
        workbench review show 000_093349a39d32f8f2 --status draft
        workbench review edit 000_093349a39d32f8f2 s6021765e "Letter dated 25 March 2021 ..."
        workbench review approve 000_093349a39d32f8f2 --all-clean
    """


def _glossary(path: Path | None) -> Any:
    from workbench.review import load_glossary

    return load_glossary(path)


@review.command("serve")
@click.argument("docs", nargs=-1)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Only 127.0.0.1 / localhost are accepted: the page is never exposed to the network.")
@click.option("--no-browser", is_flag=True, help="Print the URL but do not open a browser.")
@_TRANSLATIONS
@_GLOSSARY
@handle_errors
def serve_cmd(docs: tuple[str, ...], port: int, host: str, no_browser: bool, out_dir: Path, glossary_path: Path | None) -> None:
    """Serve the review page for DOCS (default: all) on 127.0.0.1 until Ctrl+C.

    \b
    Example:
        workbench review serve seeds/000_093349a39d32f8f2.txt --port 0 --no-browser
    """
    from workbench.server import make_server

    srv = make_server(out_dir, list(docs) or None, host=host, port=port, glossary=_glossary(glossary_path))
    url = srv.url
    click.echo(f"Review page: {url}  (Ctrl+C to stop)")
    if not no_browser:
        import webbrowser

        try:
            webbrowser.open(url)
        except Exception:  # pragma: no cover - no browser is not an error
            pass
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        srv.server_close()


@review.command("show")
@click.argument("doc")
@click.option("--status", type=click.Choice(["draft", "edited", "approved"]), default=None, help="Only segments with this status.")
@click.option("--flag", default=None, help="Only segments with this QA flag kind (missing-term, number, lost-nt, no-mt) or exact flag.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts (with the file's digest for --digest).")
@_TRANSLATIONS
@_GLOSSARY
@handle_errors
def show_cmd(doc: str, status: str | None, flag: str | None, as_json: bool, out_dir: Path, glossary_path: Path | None) -> None:
    """Show DOC's segments side by side (DOC: source path or stem).

    \b
    Example:
        workbench review show seeds/000_093349a39d32f8f2.txt --status draft
        workbench review show 000_093349a39d32f8f2 --flag missing-term --json
    """
    from workbench import review as rv

    opened = rv.open_doc(out_dir, doc)
    d = opened.doc
    segs = rv.select(d, status, flag)
    if as_json:
        glossary = _glossary(glossary_path)
        echo_json({
            "document": d.document,
            "stem": opened.stem,
            "file": str(opened.path),
            "digest": opened.digest,
            "source_lang": d.source_lang,
            "target_lang": d.target_lang,
            "counts": d.counts(),
            "segments": [rv.segment_view(s, d, glossary) for s in segs],
        })
        return
    counts = ", ".join(f"{v} {k}" for k, v in d.counts().items())
    click.echo(f"{opened.stem} [{d.source_lang}] {d.document}: {counts}")
    for s in segs:
        flags = f"  [{', '.join(s.flags)}]" if s.flags else ""
        click.echo(f"\n{s.id}  {s.status}  ¶{s.paragraph}{flags}")
        click.echo(f"  {d.source_lang}: {s.prefix}{s.source}{s.suffix}")
        click.echo(f"  en: {s.prefix}{s.target}{s.suffix}")
    if not segs:
        click.echo("(no segments match)")


def _done(change: Any, verb: str) -> None:
    n = len(change.segments)
    ids = " ".join(change.segments[:10]) + (" …" if n > 10 else "")
    click.echo(f"{change.stem}: {verb} {n} segment{'s' if n != 1 else ''}{': ' + ids if ids else ''}")


@review.command("approve")
@click.argument("doc")
@click.argument("segment_ids", nargs=-1)
@click.option("--all-clean", is_flag=True, help="Approve every segment that has English and no open QA flag.")
@click.option("--override", is_flag=True, help="Approve even with open error-level QA flags (they stay on the segment).")
@_DIGEST
@_TRANSLATIONS
@_GLOSSARY
@handle_errors
def approve_cmd(doc: str, segment_ids: tuple[str, ...], all_clean: bool, override: bool, digest: str | None, out_dir: Path, glossary_path: Path | None) -> None:
    """Approve SEGMENT_IDS of DOC, or every clean segment with --all-clean.

    A segment with an open error-level flag (missing-term, number, no-mt, ...) is refused
    unless its flag is dismissed (review dismiss) or --override is given; approval never
    clears a flag.

    \b
    Example:
        workbench review approve 000_093349a39d32f8f2 s6021765e sc9c6862e
        workbench review approve seeds/000_093349a39d32f8f2.txt --all-clean
        workbench review approve 000_093349a39d32f8f2 s6021765e --override
    """
    from workbench import review as rv

    if segment_ids and all_clean:
        raise click.UsageError("give SEGMENT_IDS or --all-clean, not both")
    change = rv.approve(out_dir, doc, segment_ids, all_clean=all_clean, expected_digest=digest, glossary=_glossary(glossary_path), override=override)
    _done(change, "approved")


@review.command("dismiss")
@click.argument("doc")
@click.argument("segment_id")
@click.argument("flag")
@click.option("--reason", required=True, help="Why the flag does not apply (stored with the segment).")
@_DIGEST
@_TRANSLATIONS
@_GLOSSARY
@handle_errors
def dismiss_cmd(doc: str, segment_id: str, flag: str, reason: str, digest: str | None, out_dir: Path, glossary_path: Path | None) -> None:
    """Dismiss FLAG (exact, or its kind) of SEGMENT_ID in DOC with a reason.

    \b
    Example:
        workbench review dismiss 000_093349a39d32f8f2 sc9c6862e number:2021 --reason "year given in the heading"
    """
    from workbench import review as rv

    change = rv.dismiss(out_dir, doc, segment_id, flag, reason, expected_digest=digest, glossary=_glossary(glossary_path))
    _done(change, "dismissed a flag of")


@review.command("edit")
@click.argument("doc")
@click.argument("segment_id")
@click.argument("text")
@_DIGEST
@_TRANSLATIONS
@_GLOSSARY
@handle_errors
def edit_cmd(doc: str, segment_id: str, text: str, digest: str | None, out_dir: Path, glossary_path: Path | None) -> None:
    """Set the English of SEGMENT_ID in DOC to TEXT (- reads standard input); status becomes edited.

    \b
    Example:
        workbench review edit 000_093349a39d32f8f2 s6021765e "Letter dated 25 March 2021"
        echo "Letter dated 25 March 2021" | workbench review edit 000_093349a39d32f8f2 s6021765e -
    """
    from workbench import review as rv

    if text == "-":
        text = sys.stdin.read()
    change = rv.edit(out_dir, doc, segment_id, text, expected_digest=digest, glossary=_glossary(glossary_path))
    seg = change.doc.segments[rv.find_segment(change.doc, segment_id)]
    _done(change, "edited")
    if seg.flags:
        click.echo(f"  QA flags: {', '.join(seg.flags)}")


@review.command("revert")
@click.argument("doc")
@click.argument("segment_id")
@_DIGEST
@_TRANSLATIONS
@_GLOSSARY
@handle_errors
def revert_cmd(doc: str, segment_id: str, digest: str | None, out_dir: Path, glossary_path: Path | None) -> None:
    """Put the machine draft back as SEGMENT_ID's English; status becomes draft.

    \b
    Example:
        workbench review revert 000_093349a39d32f8f2 s6021765e
    """
    from workbench import review as rv

    _done(rv.revert(out_dir, doc, segment_id, expected_digest=digest, glossary=_glossary(glossary_path)), "reverted")


@review.command("split")
@click.argument("doc")
@click.argument("segment_id")
@click.option("--source-at", type=int, required=True, help="Character offset in the source where the second segment starts.")
@click.option("--target-at", type=int, required=True, help="Character offset in the English where the second segment starts.")
@_DIGEST
@_TRANSLATIONS
@_GLOSSARY
@handle_errors
def split_cmd(doc: str, segment_id: str, source_at: int, target_at: int, digest: str | None, out_dir: Path, glossary_path: Path | None) -> None:
    """Split SEGMENT_ID in two (n:m alignment): the source and the English each at a character offset.

    \b
    Example:
        workbench review split 000_093349a39d32f8f2 sc9c6862e --source-at 20 --target-at 45
    """
    from workbench import review as rv

    _done(rv.split(out_dir, doc, segment_id, source_at, target_at, expected_digest=digest, glossary=_glossary(glossary_path)), "split into")


@review.command("merge")
@click.argument("doc")
@click.argument("segment_id")
@_DIGEST
@_TRANSLATIONS
@_GLOSSARY
@handle_errors
def merge_cmd(doc: str, segment_id: str, digest: str | None, out_dir: Path, glossary_path: Path | None) -> None:
    """Merge SEGMENT_ID with the next segment of its paragraph.

    \b
    Example:
        workbench review merge 000_093349a39d32f8f2 sc9c6862e
    """
    from workbench import review as rv

    _done(rv.merge(out_dir, doc, segment_id, expected_digest=digest, glossary=_glossary(glossary_path)), "merged into")


@review.command("memory")
@click.argument("text", required=False)
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=0.75, show_default=True, help="Lowest similarity for a fuzzy match.")
@click.option("--limit", type=click.IntRange(1, 100), default=3, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@_TRANSLATIONS
@handle_errors
def memory_cmd(text: str | None, threshold: float, limit: int, as_json: bool, out_dir: Path) -> None:
    """The translation memory of reviewed work: its size, or the closest matches to TEXT.

    \b
    Example:
        workbench review memory
        workbench review memory "请将本信及其附件作为安全理事会文件分发为荷。" --json
    """
    from workbench import review as rv

    entries = rv.memory_entries(out_dir)
    if text is None:
        if as_json:
            echo_json({"entries": [e.as_dict() for e in entries]})
        else:
            approved = sum(1 for e in entries if e.status == "approved")
            click.echo(f"{len(entries)} reviewed segments in the memory ({approved} approved, {len(entries) - approved} edited)")
        return
    matches = rv.fuzzy_in(entries, text, threshold, limit)
    if as_json:
        echo_json({"query": text, "matches": [m.as_dict() for m in matches]})
        return
    for m in matches:
        click.echo(f"{m.score:.0%}  {m.entry.stem}:{m.entry.segment} ({m.entry.status})\n  {m.source}\n  en: {m.target}")
    if not matches:
        click.echo(f"no reviewed segment is {threshold:.0%} similar or more")


@click.command("export")
@click.argument("docs", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["tmx", "xliff", "csv", "html"]), required=True, help="TMX 1.4b, XLIFF 1.2, CSV (UTF-8) or a static HTML report.")
@click.option("--status", "statuses", type=click.Choice(["draft", "edited", "approved"]), multiple=True, help="Only segments with this status (repeatable).")
@dest_option("exports")
@click.option("--memory", is_flag=True, help="Export the translation memory (edited and approved segments of all documents) as TMX.")
@click.option("--json", "as_json", is_flag=True, help="Print the written paths as JSON.")
@translations_only
@_GLOSSARY
@handle_errors
def export(docs: tuple[str, ...], fmt: str, statuses: tuple[str, ...], dest: Path, memory: bool, as_json: bool, out_dir: Path, glossary_path: Path | None) -> None:
    """Export DOCS (default: all) as TMX, XLIFF, CSV or an HTML report, one file per document.

    \b
    Example:
        workbench export --format xliff
        workbench export seeds/000_093349a39d32f8f2.txt --format tmx --status approved --dest exports
        workbench export --format tmx --memory
        workbench export --format html
    """
    from workbench.export import export_documents

    if memory and docs:
        raise click.UsageError("--memory exports all documents' reviewed segments; give no DOCS with it")
    glossary = _glossary(glossary_path) if fmt == "html" else None
    paths = export_documents(out_dir, list(docs) or None, fmt, out=dest, statuses=statuses, memory=memory, glossary=glossary)
    if as_json:
        echo_json({"written": [str(p) for p in paths]})
        return
    for p in paths:
        click.echo(str(p))
