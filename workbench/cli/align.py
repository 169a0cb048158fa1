"""``workbench align`` and ``workbench evaluate`` (wired into workbench.cli by the lead)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workbench.cli.base import (
    ENGINE_CHOICES,
    echo_json,
    handle_errors,
    translations_option,
)


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("translation", type=click.Path(path_type=Path))
@click.option("--presegmented", is_flag=True, help="SOURCE and TRANSLATION hold one sentence a line; print beads instead of storing.")
@click.option("--bridge", "bridge", type=click.Path(path_type=Path), default=None, help="With --presegmented: machine translation of SOURCE into TRANSLATION's language, line-parallel to SOURCE.")
@click.option("--format", "fmt", type=click.Choice(["links", "tsv", "json"]), default=None, help="links: [i,...]:[j,...]:confidence beads (0-based, as Vecalign writes them); tsv: source, target, confidence. Default: links with --presegmented, a summary otherwise.")
@click.option("--source-lang", default=None, help="zh-Hans, zh-Hant, vi or en; detected if omitted.")
@click.option("--target-lang", default=None, help="Language of TRANSLATION; detected if omitted.")
@click.option("--engine", type=click.Choice(ENGINE_CHOICES), default="auto", show_default=True, help="MT engine for the bridge; copy: no bridge (length, numbers and glossary terms only).")
@click.option("--glossary", "glossary_path", type=click.Path(path_type=Path), default=None, help="Glossary YAML [default: ./glossary.yaml]; its terms are alignment anchors.")
@translations_option
@click.option("--no-download", is_flag=True, help="Never download a model.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary (document mode).")
@handle_errors
def align(source: Path, translation: Path, presegmented: bool, bridge: Path | None, fmt: str | None, source_lang: str | None, target_lang: str | None, engine: str, glossary_path: Path | None, out_dir: Path, no_download: bool, as_json: bool) -> None:
    """Align TRANSLATION (a human translation of SOURCE) sentence by sentence.

    Document mode segments both files, machine-translates SOURCE as a bridge and
    stores OUT/<source stem>.yaml: the human translation as each segment's target,
    status draft, the bead's confidence (0..1), so review tools work on it.
    A file holding edited/approved segments is never overwritten.

    Pre-segmented mode prints one bead a line: [i,...]:[j,...] with 0-based line
    numbers, [i]:[] and []:[j] for sentences without a counterpart.

    \b
    Example:
        workbench align seeds/000_093349a39d32f8f2.txt official_en.txt --translations aligned/
        workbench align --presegmented src.txt tgt.txt --bridge mt.txt --format links
        workbench align --presegmented src.txt tgt.txt --format tsv
    """
    from workbench import align as al

    if presegmented:
        beads, src, tgt = al.align_files(source, translation, bridge)
        fmt = fmt or "links"
        if fmt == "links":
            sys.stdout.write(al.format_links(beads))
        elif fmt == "tsv":
            sys.stdout.write(al.format_tsv(beads, src, tgt))
        else:
            echo_json([{"src": list(b.src), "tgt": list(b.tgt), "confidence": b.confidence} for b in beads])
        return
    if bridge is not None:
        raise click.UsageError("--bridge needs --presegmented (in document mode the bridge is machine-translated with --engine)")
    if fmt is not None:
        raise click.UsageError("--format needs --presegmented; document mode stores the alignment in --translations (use --json for a summary)")
    result = al.align_documents(
        source,
        translation,
        source_lang=source_lang,
        target_lang=target_lang,
        engine=engine,
        glossary_path=glossary_path,
        out_dir=out_dir,
        download=not no_download,
        notify=lambda m: click.echo(m, err=True),
    )
    if as_json:
        echo_json(result.as_dict())
        return
    beads = ", ".join(f"{v} {k}" for k, v in result.beads.items())
    bridge_note = f"bridge: {result.engine}" if result.bridged else "no MT bridge (length, numbers, glossary terms)"
    click.echo(
        f"{result.document} [{result.source_lang}] + {result.translation} [{result.target_lang}] -> {result.output}: "
        f"{result.segments} segments ({beads}); mean confidence {result.mean_confidence:.2f}; {bridge_note}"
    )


@click.command()
@click.argument("docs", nargs=-1)
@click.option("--reference", "reference", type=click.Path(path_type=Path), default=None, help="A plain-text human translation of the one DOC (aligned to it), or a TMX/XLIFF file matched by source text, scored against instead of the reviewed targets.")
@translations_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@handle_errors
def evaluate(docs: tuple[str, ...], reference: Path | None, out_dir: Path, as_json: bool) -> None:
    """Score machine drafts: BLEU, chrF++ and TER with sacrebleu, per document and corpus.

    Without --reference the references are the reviewed targets of edited and
    approved segments (HTER-style: how much reviewers changed the drafts). Also
    glossary term accuracy and segment counts by status; sacrebleu's signatures
    are printed with the scores.

    \b
    Example:
        workbench evaluate
        workbench evaluate 000_093349a39d32f8f2 --json
        workbench evaluate seeds/000_093349a39d32f8f2.txt --reference official_en.txt
        workbench evaluate --reference omegat/project_save.tmx
    """
    from workbench.evaluate import evaluate_documents, format_table

    report = evaluate_documents(list(docs), out_dir=out_dir, reference=reference)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(format_table(report))
