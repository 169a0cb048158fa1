"""The import command: translations from other CAT tools (XLIFF, TMX) come home."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.base import echo_json, handle_errors, translations_option


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--document", "document", default=None, help="Only this document (source path or stem); units are then matched in it alone.")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--memory", is_flag=True, help="Also add the file's translations to the translation memory (translations/tm-NAME.yaml).")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path), default=None, help="Glossary YAML for the QA recheck [default: ./glossary.yaml].")
@translations_option
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@handle_errors
def import_cmd(file: Path, document: str | None, dry_run: bool, memory: bool, glossary_path: Path | None, out_dir: Path, as_json: bool) -> None:
    """Bring translations back from FILE (XLIFF 1.2/2.0 or TMX from OmegaT, memoQ, Trados...).

    Units are matched to segments by id (our exports' ids), then by source text. A new
    target lands as edited (approved if the file says final/approved); a target that
    differs from an edited or approved segment is never applied: it is kept on the segment
    as a conflict for the reviewer (`workbench review show DOC` lists it; `workbench resolve DOC SEG [--take N]` settles it).

    \b
    Example:
        workbench import omegat/target/000_093349a39d32f8f2.xlf --dry-run
        workbench import project_save.tmx --document 000_093349a39d32f8f2
        workbench import memoq-export.tmx --memory --json
    """
    from workbench.importer import import_file

    result = import_file(out_dir, file, document, dry_run=dry_run, memory=memory, glossary_path=glossary_path)
    if as_json:
        echo_json(result.as_dict())
        return
    verb = {"applied": "would apply" if dry_run else "applied", "status": "status", "conflict": "CONFLICT (kept for the reviewer)"}
    for c in result.changes:
        if c.action == "status":
            click.echo(f"{c.stem} {c.segment}: {c.old_status} -> {c.new_status} ({'would raise' if dry_run else 'raised'}; same text)")
        else:
            click.echo(f"{c.stem} {c.segment}: {verb[c.action]} [{c.old_status} -> {c.new_status}, by {c.matched_by}]")
            click.echo(f"  ours:   {c.old_target}")
            click.echo(f"  theirs: {c.new_target}")
    d = result.as_dict()["counts"]
    head = "dry run: nothing written; " if dry_run else ""
    click.echo(f"{head}{result.file} ({result.format}, {result.units} units): {d['applied']} applied, {d['status']} status raised, "
               f"{d['conflict']} conflicts, {result.unchanged} unchanged, {len(result.unmatched)} unmatched"
               + (f"; memory: {result.memory_file}" if result.memory_file and not dry_run else ""))


@click.command("resolve")
@click.argument("doc")
@click.argument("segment_id")
@click.option("--take", type=click.IntRange(1, 1000), default=None, help="Use imported conflict N (1 = the first listed by `review show`); without it ours is kept.")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path), default=None, help="Glossary YAML for the QA recheck [default: ./glossary.yaml].")
@translations_option
@click.option("--json", "as_json", is_flag=True, help="Print what changed as JSON.")
@handle_errors
def resolve_cmd(doc: str, segment_id: str, take: int | None, glossary_path: Path | None, out_dir: Path, as_json: bool) -> None:
    """Settle the imported conflicts of SEGMENT_ID in DOC: keep ours, or --take N of theirs.

    \b
    Example:
        workbench review show 000_093349a39d32f8f2     # lists "conflict (...): ..." lines
        workbench resolve 000_093349a39d32f8f2 sc9c6862e --take 1
        workbench resolve 000_093349a39d32f8f2 sc9c6862e --json  # keep ours, report as JSON
    """
    from workbench.importer import resolve

    seg = resolve(out_dir, doc, segment_id, take, glossary_path)
    if as_json:
        echo_json({"action": "resolve", "document": doc, "segment": segment_id, "took": "theirs" if take else "ours", "conflict": take, "status": seg.status, "target": seg.target, "flags": list(seg.flags), "conflicts_left": len(seg.conflicts)})
        return
    click.echo(f"{segment_id}: {'took theirs' if take else 'kept ours'} ({seg.status}): {seg.target}")
