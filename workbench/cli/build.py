"""The build command: the English documents themselves."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.base import dest_option, echo_json, handle_errors, translations_only


@click.command("build")
@click.argument("docs", nargs=-1)
@click.option("--untranslated", "policy", type=click.Choice(["source", "mark", "fail"]), default="source", show_default=True,
              help="Segments without English: keep the source, keep it marked [untranslated], or write nothing and list them.")
@click.option("--status", type=click.Choice(["approved"]), default=None, help="Only approved segments count as translated.")
@dest_option("english")
@translations_only
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@handle_errors
def build(docs: tuple[str, ...], policy: str, status: str | None, dest: Path, out_dir: Path, as_json: bool) -> None:
    """Write DOCS (all by default) in English into DEST, with their structure.

    A text document keeps its paragraph labels, footnote markers, line breaks and blank
    lines; a .docx or .html document is the same file with the text replaced (styles,
    tables, headers/footers, footnotes and links kept). Run it from the project directory:
    Word and HTML documents are rebuilt from their source files.

    \b
    Example:
        workbench build                                  # translations/ -> english/
        workbench build 000_093349a39d32f8f2 --untranslated mark
        workbench build --status approved --untranslated fail --json
    """
    from workbench.build import build_documents

    built = build_documents(out_dir, list(docs) or None, dest=dest, policy=policy, status=status)
    totals = {"approved": 0, "edited": 0, "draft": 0}
    for b in built:
        for k in totals:
            totals[k] += b.counts.get(k, 0)
    untranslated = sum(len(b.untranslated) for b in built)
    if as_json:
        echo_json({"documents": [b.as_dict() for b in built], "counts": totals, "untranslated": untranslated, "policy": policy, "dest": str(dest)})
        return
    for b in built:
        c = b.counts
        extra = f", {len(b.untranslated)} untranslated ({'marked' if policy == 'mark' else 'source kept'})" if b.untranslated else ""
        lost = f", {b.lost_tags} formatting tags lost (see `workbench review show {b.stem} --flag tag`)" if b.lost_tags else ""
        state = "written" if b.written else "unchanged"
        click.echo(f"{b.path} ({b.format}, {state}): {c['approved']} approved, {c['edited']} edited, {c['draft']} draft{extra}{lost}")
    click.echo(f"{len(built)} documents in {dest}/: {totals['approved']} approved, {totals['edited']} edited, {totals['draft']} draft segments"
               + (f"; {untranslated} untranslated" if untranslated else ""))
