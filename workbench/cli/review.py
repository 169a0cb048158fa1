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
    fail_for_broken,
    handle_errors,
    read_stdin_text,
    translations_only,
    translations_option,
)

_TRANSLATIONS = translations_option
_GLOSSARY = click.option("--glossary", "glossary_path", type=click.Path(path_type=Path), default=None, help="Glossary YAML for terms and QA flags [default: ./glossary.yaml].")
_DIGEST = click.option("--digest", default=None, help="Refuse the change unless the file's sha256 is still this (from `review show --json`).")
_REVIEWER = click.option("--reviewer", default=None, help="Your name in the segment's history [default: $WORKBENCH_REVIEWER or the OS user].")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print what changed as JSON (the segments touched, the file's new digest).")
_FORCE = click.option("--force", is_flag=True, help="Do it even though it replaces edited or approved work (it stays in the history; `review undo` restores it).")


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
@_REVIEWER
@handle_errors
def serve_cmd(docs: tuple[str, ...], port: int, host: str, no_browser: bool, out_dir: Path, glossary_path: Path | None, reviewer: str | None) -> None:
    """Serve the review page for DOCS (default: all) on 127.0.0.1 until Ctrl+C.

    \b
    Example:
        workbench review serve seeds/000_093349a39d32f8f2.txt --port 0 --no-browser
    """
    from workbench.server import make_server

    srv = make_server(out_dir, list(docs) or None, host=host, port=port, glossary=_glossary(glossary_path), glossary_path=glossary_path, reviewer=reviewer)
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
@click.option("--grep", "grep", default=None, help="Only segments whose source or English contains this text (case-insensitive; Traditional/Simplified folded).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts (with the file's digest for --digest).")
@_TRANSLATIONS
@_GLOSSARY
@handle_errors
def show_cmd(doc: str, status: str | None, flag: str | None, grep: str | None, as_json: bool, out_dir: Path, glossary_path: Path | None) -> None:
    """Show DOC's segments side by side (DOC: source path or stem).

    \b
    Example:
        workbench review show seeds/000_093349a39d32f8f2.txt --status draft
        workbench review show 000_093349a39d32f8f2 --flag missing-term --json
        workbench review show 000_093349a39d32f8f2 --grep 安全理事会
    """
    from workbench import review as rv

    opened = rv.open_doc(out_dir, doc)
    d = opened.doc
    segs = rv.select(d, status, flag, grep)
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
        click.echo(f"\n{s.id}  {s.status}  ¶{s.paragraph}{' ' + s.kind if s.kind else ''}{flags}")
        click.echo(f"  {d.source_lang}: {s.prefix}{s.source}{s.suffix}")
        click.echo(f"  en: {s.prefix}{s.target}{s.suffix}")
        for c in s.conflicts:  # imported by `workbench import`, not applied over human work
            click.echo(f"  conflict ({c.get('from', '?')}, {c.get('status', '?')}): {c.get('target', '')}")
    if not segs:
        click.echo("(no segments match)")


def _done(change: Any, verb: str, as_json: bool = False) -> None:
    if as_json:
        by_id = {seg.id: seg for seg in change.doc.segments}
        touched = [by_id[i] for i in change.segments if i in by_id]
        echo_json({
            "action": verb.split()[0], "stem": change.stem, "file": str(change.path), "digest": change.digest, "written": change.written,
            "segments": [{"id": seg.id, "status": seg.status, "target": seg.target, "flags": list(seg.flags), "dismissed": dict(seg.dismissed), "notes": len(seg.notes)} for seg in touched],
            "removed": list(change.removed), "counts": change.doc.counts(),
        })
        return
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
@_REVIEWER
@_JSON
@handle_errors
def approve_cmd(doc: str, segment_ids: tuple[str, ...], all_clean: bool, override: bool, digest: str | None, out_dir: Path, glossary_path: Path | None, reviewer: str | None, as_json: bool) -> None:
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
    change = rv.approve(out_dir, doc, segment_ids, all_clean=all_clean, expected_digest=digest, glossary=_glossary(glossary_path), override=override, who=reviewer)
    _done(change, "approved", as_json)


@review.command("dismiss")
@click.argument("doc")
@click.argument("segment_id")
@click.argument("flag")
@click.option("--reason", required=True, help="Why the flag does not apply (stored with the segment).")
@_DIGEST
@_TRANSLATIONS
@_GLOSSARY
@_JSON
@handle_errors
def dismiss_cmd(doc: str, segment_id: str, flag: str, reason: str, digest: str | None, out_dir: Path, glossary_path: Path | None, as_json: bool) -> None:
    """Dismiss FLAG (exact, or its kind) of SEGMENT_ID in DOC with a reason.

    \b
    Example:
        workbench review dismiss 000_093349a39d32f8f2 sc9c6862e number:2021 --reason "year given in the heading"
    """
    from workbench import review as rv

    change = rv.dismiss_flag(out_dir, doc, segment_id, flag, reason, expected_digest=digest, glossary=_glossary(glossary_path))
    _done(change, "dismissed a flag of", as_json)


@review.command("edit")
@click.argument("doc")
@click.argument("segment_id")
@click.argument("text")
@_DIGEST
@_TRANSLATIONS
@_GLOSSARY
@_REVIEWER
@_JSON
@handle_errors
def edit_cmd(doc: str, segment_id: str, text: str, digest: str | None, out_dir: Path, glossary_path: Path | None, reviewer: str | None, as_json: bool) -> None:
    """Set the English of SEGMENT_ID in DOC to TEXT (- reads standard input); status becomes edited.

    \b
    Example:
        workbench review edit 000_093349a39d32f8f2 s6021765e "Letter dated 25 March 2021"
        echo "Letter dated 25 March 2021" | workbench review edit 000_093349a39d32f8f2 s6021765e -
    """
    from workbench import review as rv

    if text == "-":
        text = read_stdin_text("the new English")
    change = rv.edit(out_dir, doc, segment_id, text, expected_digest=digest, glossary=_glossary(glossary_path), who=reviewer)
    seg = change.doc.segments[rv.find_segment(change.doc, segment_id)]
    _done(change, "edited", as_json)
    if seg.flags and not as_json:
        click.echo(f"  QA flags: {', '.join(seg.flags)}")


@review.command("revert")
@click.argument("doc")
@click.argument("segment_id")
@_DIGEST
@_FORCE
@_TRANSLATIONS
@_GLOSSARY
@_REVIEWER
@_JSON
@handle_errors
def revert_cmd(doc: str, segment_id: str, digest: str | None, force: bool, out_dir: Path, glossary_path: Path | None, reviewer: str | None, as_json: bool) -> None:
    """Put the machine draft back as SEGMENT_ID's English; status becomes draft.

    On an edited or approved segment this says what would be replaced and needs --force.

    \b
    Example:
        workbench review revert 000_093349a39d32f8f2 s6021765e
        workbench review revert 000_093349a39d32f8f2 s6021765e --force
    """
    from workbench import review as rv

    _done(rv.revert(out_dir, doc, segment_id, expected_digest=digest, glossary=_glossary(glossary_path), force=force, who=reviewer), "reverted", as_json)


@review.command("split")
@click.argument("doc")
@click.argument("segment_id")
@click.option("--source-at", type=int, required=True, help="Character offset in the source where the second segment starts.")
@click.option("--target-at", type=int, required=True, help="Character offset in the English where the second segment starts.")
@_DIGEST
@_FORCE
@_TRANSLATIONS
@_GLOSSARY
@_REVIEWER
@_JSON
@handle_errors
def split_cmd(doc: str, segment_id: str, source_at: int, target_at: int, digest: str | None, force: bool, out_dir: Path, glossary_path: Path | None, reviewer: str | None, as_json: bool) -> None:
    """Split SEGMENT_ID in two (n:m alignment): the source and the English each at a character offset.

    \b
    Example:
        workbench review split 000_093349a39d32f8f2 sc9c6862e --source-at 20 --target-at 45
    """
    from workbench import review as rv

    _done(rv.split(out_dir, doc, segment_id, source_at, target_at, expected_digest=digest, glossary=_glossary(glossary_path), force=force, who=reviewer), "split into", as_json)


@review.command("merge")
@click.argument("doc")
@click.argument("segment_id")
@_DIGEST
@_FORCE
@_TRANSLATIONS
@_GLOSSARY
@_REVIEWER
@_JSON
@handle_errors
def merge_cmd(doc: str, segment_id: str, digest: str | None, force: bool, out_dir: Path, glossary_path: Path | None, reviewer: str | None, as_json: bool) -> None:
    """Merge SEGMENT_ID with the next segment of its paragraph.

    \b
    Example:
        workbench review merge 000_093349a39d32f8f2 sc9c6862e
    """
    from workbench import review as rv

    _done(rv.merge(out_dir, doc, segment_id, expected_digest=digest, glossary=_glossary(glossary_path), force=force, who=reviewer), "merged into", as_json)


@review.command("move")
@click.argument("doc")
@click.argument("segment_id")
@click.argument("direction", type=click.Choice(["up", "down"]))
@_DIGEST
@_FORCE
@_TRANSLATIONS
@_GLOSSARY
@_REVIEWER
@handle_errors
def move_cmd(doc: str, segment_id: str, direction: str, digest: str | None, force: bool, out_dir: Path, glossary_path: Path | None, reviewer: str | None) -> None:
    """Move one sentence of SEGMENT_ID's English to the neighbouring segment (alignment review).

    down: its last sentence starts the next segment's English; up: its first sentence ends the
    previous one's. Both become edited; `review undo` on either puts the sentence back.

    \b
    Example:
        workbench review move 000_093349a39d32f8f2 sc9c6862e down
    """
    from workbench import review as rv

    _done(rv.move_sentence(out_dir, doc, segment_id, direction, expected_digest=digest, glossary=_glossary(glossary_path), force=force, who=reviewer), f"moved a sentence {direction}:")


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

    from workbench.memory import project_memory

    entries = rv.memory_entries(out_dir, strict=False)
    errors = rv.memory_errors(out_dir) if out_dir.is_dir() else []
    if text is None:
        if as_json:
            echo_json({"entries": [e.as_dict() for e in entries], "errors": errors})
        else:
            approved = sum(1 for e in entries if e.status == "approved")
            click.echo(f"{len(entries)} reviewed segments in the memory ({approved} approved, {len(entries) - approved} edited)")
        fail_for_broken(errors)
        return
    matches = project_memory(out_dir).matches(text, threshold, limit) if out_dir.is_dir() else []
    if as_json:
        echo_json({"query": text, "matches": [m.as_dict() for m in matches], "errors": errors})
    else:
        for m in matches:
            click.echo(f"{m.score:.0%}  {m.entry.stem}:{m.entry.segment} ({m.entry.status})\n  {m.source}\n  en: {m.target}")
        if not matches:
            click.echo(f"no reviewed segment is {threshold:.0%} similar or more")
    fail_for_broken(errors)


@review.command("undo")
@click.argument("doc")
@click.argument("segment_id")
@_DIGEST
@_FORCE
@_TRANSLATIONS
@_GLOSSARY
@_REVIEWER
@_JSON
@handle_errors
def undo_cmd(doc: str, segment_id: str, digest: str | None, force: bool, out_dir: Path, glossary_path: Path | None, reviewer: str | None, as_json: bool) -> None:
    """Restore SEGMENT_ID's version before its last change (run again for the one before).

    An undone split joins the parts again; an undone merge brings the merged segment back.

    \b
    Example:
        workbench review undo 000_093349a39d32f8f2 s6021765e
    """
    from workbench import review as rv

    change = rv.undo(out_dir, doc, segment_id, expected_digest=digest, glossary=_glossary(glossary_path), force=force, who=reviewer)
    seg = change.doc.segments[rv.find_segment(change.doc, segment_id)]
    _done(change, "restored", as_json)
    if not as_json:
        click.echo(f"  now {seg.status}: {seg.target}")


@review.command("history")
@click.argument("doc")
@click.argument("segment_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@_TRANSLATIONS
@handle_errors
def history_cmd(doc: str, segment_id: str | None, as_json: bool, out_dir: Path) -> None:
    """Show who changed SEGMENT_ID (default: every segment of DOC) and when, oldest first.

    \b
    Example:
        workbench review history 000_093349a39d32f8f2 s6021765e
        workbench review history 000_093349a39d32f8f2 --json
    """
    from workbench import review as rv

    d = rv.open_doc(out_dir, doc).doc
    segs = [d.segments[rv.find_segment(d, segment_id, doc)]] if segment_id else [s for s in d.segments if s.history]
    if as_json:
        echo_json({"segments": [{"id": s.id, "history": s.history, "notes": s.notes} for s in segs]})
        return
    for s in segs:
        click.echo(f"{s.id}  {s.status}: {s.target}")
        for h in s.history:
            undone = "  (undone)" if h.get("undone") else ""
            old = f"{h.get('old_status')} \"{h.get('old_target')}\" -> " if "old_target" in h else ""
            click.echo(f"  {h.get('at')}  {h.get('by')}  {h.get('action')}{undone}: {old}{h.get('status')} \"{h.get('target')}\"")
        for n in s.notes:
            click.echo(f"  note {n.get('at', '')}  {n.get('by', '')}: {n.get('text', '')}")
        if not s.history:
            click.echo("  (no recorded changes)")
    if not segs:
        click.echo("(no segment of this document has recorded changes)")


@review.command("note")
@click.argument("doc")
@click.argument("segment_id")
@click.argument("text")
@_DIGEST
@_TRANSLATIONS
@_REVIEWER
@_JSON
@handle_errors
def note_cmd(doc: str, segment_id: str, text: str, digest: str | None, out_dir: Path, reviewer: str | None, as_json: bool) -> None:
    """Add a note to SEGMENT_ID (- reads standard input); notes go to XLIFF exports as <note>.

    \b
    Example:
        workbench review note 000_093349a39d32f8f2 s6021765e "Check the date against the original"
    """
    from workbench import review as rv

    if text == "-":
        text = sys.stdin.read()
    _done(rv.add_note(out_dir, doc, segment_id, text, expected_digest=digest, who=reviewer), "noted", as_json)


@review.command("orphans")
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@_TRANSLATIONS
@handle_errors
def orphans_cmd(doc: str, as_json: bool, out_dir: Path) -> None:
    """List DOC's orphans: human work whose source sentence left the document.

    Give one back to a segment with `review reattach`, or drop it with `review discard`.

    \b
    Example:
        workbench review orphans 000_093349a39d32f8f2
    """
    from workbench import review as rv

    d = rv.open_doc(out_dir, doc).doc
    if as_json:
        echo_json({"orphans": [rv.segment_view(o, d) for o in d.orphans]})
        return
    for o in d.orphans:
        click.echo(f"{o.id}  {o.status}\n  {d.source_lang}: {o.source}\n  en: {o.target}")
    if not d.orphans:
        click.echo("(no orphans)")


@review.command("reattach")
@click.argument("doc")
@click.argument("orphan_id")
@click.argument("segment_id")
@_DIGEST
@_FORCE
@_TRANSLATIONS
@_GLOSSARY
@_REVIEWER
@_JSON
@handle_errors
def reattach_cmd(doc: str, orphan_id: str, segment_id: str, digest: str | None, force: bool, out_dir: Path, glossary_path: Path | None, reviewer: str | None, as_json: bool) -> None:
    """Give orphan ORPHAN_ID's English (status, notes) to SEGMENT_ID.

    \b
    Example:
        workbench review reattach 000_093349a39d32f8f2 s1a2b3c4d s6021765e
    """
    from workbench import review as rv

    _done(rv.reattach(out_dir, doc, orphan_id, segment_id, expected_digest=digest, glossary=_glossary(glossary_path), force=force, who=reviewer), "reattached to", as_json)


@review.command("discard")
@click.argument("doc")
@click.argument("orphan_id")
@_DIGEST
@_TRANSLATIONS
@_JSON
@handle_errors
def discard_cmd(doc: str, orphan_id: str, digest: str | None, out_dir: Path, as_json: bool) -> None:
    """Drop orphan ORPHAN_ID of DOC for good (see `review orphans`).

    \b
    Example:
        workbench review discard 000_093349a39d32f8f2 s1a2b3c4d
    """
    from workbench import review as rv

    change = rv.discard_orphan(out_dir, doc, orphan_id, expected_digest=digest)
    if as_json:
        echo_json({"action": "discarded", "stem": change.stem, "file": str(change.path), "digest": change.digest, "written": change.written, "orphan": orphan_id, "orphans": len(change.doc.orphans)})
        return
    click.echo(f"dismissed orphan {orphan_id}")


@review.command("search")
@click.argument("text")
@click.option("--in", "where", type=click.Choice(["both", "source", "target"]), default="both", show_default=True, help="Search the source, the English, or both.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@_TRANSLATIONS
@handle_errors
def search_cmd(text: str, where: str, limit: int, as_json: bool, out_dir: Path) -> None:
    """Concordance: segments of every document containing TEXT (Traditional/Simplified folded).

    \b
    Example:
        workbench review search 安全理事会
        workbench review search "Security Council" --in target --json
    """
    from workbench.index import open_index

    rows = open_index(out_dir).search(text, where, limit)
    if as_json:
        echo_json({"query": text, "matches": rows})
        return
    for r in rows:
        click.echo(f"{r['stem']}:{r['id']}  {r['status']}\n  {r['source_lang']}: {r['source']}\n  en: {r['target']}")
    if not rows:
        click.echo("(no segment contains it)")


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
