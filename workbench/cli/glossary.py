"""The ``workbench glossary`` group: list, show, add, edit, remove, validate, check,
suggest, import and export.

Thin commands over :mod:`workbench.glossary`; library errors become one-line
messages via ``handle_errors``.  Every command that changes ``glossary.yaml`` then
says how many draft segments in translations/ the change affects.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from workbench.cli.base import echo_json, handle_errors, translations_option

_GLOSSARY = click.option("--glossary", "glossary_path", type=click.Path(path_type=Path), default=Path("glossary.yaml"), show_default=True, help="The glossary YAML file.")
_OUT = translations_option
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
_DRY = click.option("--dry-run", is_flag=True, help="Validate and report, but do not write glossary.yaml.")


@click.group()
def glossary() -> None:
    """Maintain glossary.yaml: list, add, edit, remove, validate, check, suggest, import, export.

    Edits keep the curator's comments and formatting; a conflicting variant (one
    source form mapped to two English terms) is refused and nothing is written.

    \b
    Example:
        workbench glossary add --en "confidence-building measures" --zh 建立信任措施 --vi "biện pháp xây dựng lòng tin"
        workbench glossary check              # exit 1 if an approved segment misses a term
        workbench glossary suggest
    """


def _load(path: Path) -> Any:
    from workbench.glossary import Glossary

    return Glossary.load(path)


def _make_change(make: Callable[[bool], Any], glossary_path: Path, out_dir: Path, dry_run: bool, as_json: bool) -> None:
    """Plan the change (a dry run), work out its impact on translations/, then write it.

    The impact is known before glossary.yaml is written, so an invalid translations file
    stops the command with nothing written, not after the glossary has changed.
    """
    from workbench.glossary.check import impact
    from workbench.glossary.edit import apply_change, edit_lock

    with edit_lock(glossary_path):  # from reading to writing: two edits at once both land
        try:
            original: bytes | None = glossary_path.read_bytes()
        except OSError:
            original = None  # `make` says what is wrong with the path
        change = make(True)
        imp = impact(change.old, change.new, out_dir) if change.changed else None
        if not dry_run:
            change = apply_change(change, original)
    _report_change(change, imp, as_json)


def _report_change(change: Any, imp: Any, as_json: bool) -> None:
    if as_json:
        echo_json({
            "action": change.action,
            "glossary": str(change.path),
            "term": change.term_id,
            "changed": change.changed,
            "written": change.written,
            "details": change.details,
            "impact": imp.as_dict() if imp else None,
        })
        return
    prefix = "" if change.written or not change.changed else "(dry run) would have "
    click.echo(prefix + change.summary())
    if imp is not None:
        click.echo(imp.message())


def _fmt_term(t: Any, lang: str | None) -> str:
    parts = [f"{t.id}: {t.en}"]
    fams = [lang] if lang else ["zh", "vi"]
    for fam in fams:
        if t.variants[fam]:
            parts.append(f"{fam}: {', '.join(t.variants[fam])}")
    if t.en_variants and not lang:
        parts.append(f"en_variants: {', '.join(t.en_variants)}")
    return "  |  ".join(parts)


def _source_family(lang: str) -> str:
    """zh or vi for a glossary's source-language filter, from any tag --lang takes elsewhere."""
    from workbench.errors import InputError
    from workbench.ingest import normalize_lang

    code = normalize_lang(lang)
    if code == "en":
        raise InputError(f"--lang {lang}: glossary variants are Chinese or Vietnamese (English is the term itself); use --lang zh or --lang vi")
    return "zh" if code.startswith("zh") else code


@glossary.command("list")
@click.option("--lang", default=None, help="Only terms with variants in this language (zh, zh_CN, zh-TW, vi_VN ...), and only those variants.")
@click.option("--domain", default=None, help="Only terms of this domain (security, regional, ...).")
@_GLOSSARY
@_JSON
@handle_errors
def list_cmd(lang: str | None, domain: str | None, glossary_path: Path, as_json: bool) -> None:
    """List the glossary's terms (id, English, source variants).

    \b
    Example:
        workbench glossary list --lang vi
        workbench glossary list --domain regional --json
    """
    from workbench.glossary.edit import term_to_entry

    fam = _source_family(lang) if lang else None
    g = _load(glossary_path)
    terms = [t for t in g.terms if (not fam or t.variants[fam]) and (not domain or t.domain == domain)]
    if as_json:
        echo_json({"glossary": str(glossary_path), "hash": g.hash, "terms": [{"id": t.id, "line": t.line, **term_to_entry(t)} for t in terms]})
        return
    for t in terms:
        click.echo(_fmt_term(t, fam))
    click.echo(f"{len(terms)} of {len(g.terms)} terms", err=True)


@glossary.command("show")
@click.argument("term")
@_GLOSSARY
@_OUT
@_JSON
@handle_errors
def show_cmd(term: str, glossary_path: Path, out_dir: Path, as_json: bool) -> None:
    """Show one term (by id, English form or a variant) and where translations use it.

    \b
    Example:
        workbench glossary show security-council
        workbench glossary show 安理会
    """
    from workbench.glossary.check import check
    from workbench.glossary.edit import resolve_term, term_to_entry

    g = _load(glossary_path)
    _i, t = resolve_term(g, term)
    uses = None
    if out_dir.is_dir():
        rep = check(g, out_dir)
        uses = next((x for x in rep.terms if x.term == t.id), None)
    if as_json:
        echo_json({"id": t.id, "line": t.line, **term_to_entry(t), "uses": uses.as_dict() if uses else None})
        return
    click.echo(f"{t.en}  (id {t.id}, {glossary_path} line {t.line})")
    for key, vals in (("zh", t.variants["zh"]), ("vi", t.variants["vi"]), ("en_variants", t.en_variants)):
        if vals:
            click.echo(f"  {key}: {', '.join(vals)}")
    for key in ("note", "domain"):
        if getattr(t, key):
            click.echo(f"  {key}: {getattr(t, key)}")
    if uses is not None:
        miss = ", ".join(f"{v} {k}" for k, v in uses.missing.items() if v) or "none"
        click.echo(f"  used {uses.uses} times in {out_dir}/; missing from the target: {miss}")


@glossary.command("add")
@click.option("--en", required=True, help="The established UN English form (its slug is the term id).")
@click.option("--zh", multiple=True, help="A Chinese variant (either script); repeat for more.")
@click.option("--vi", multiple=True, help="A Vietnamese variant; repeat for more.")
@click.option("--en-variant", "en_variants", multiple=True, help="Another English form accepted in targets; repeat for more.")
@click.option("--note", default=None, help="Usage note for translators and reviewers.")
@click.option("--domain", default=None, help="un-system, security, regional, title, development, human-rights, geography, document, health.")
@click.option("--after", default=None, help="Insert after this term (default: at the end).")
@_GLOSSARY
@_OUT
@_DRY
@_JSON
@handle_errors
def add_cmd(en: str, zh: tuple[str, ...], vi: tuple[str, ...], en_variants: tuple[str, ...], note: str | None, domain: str | None, after: str | None, glossary_path: Path, out_dir: Path, dry_run: bool, as_json: bool) -> None:
    """Add a term; refuses a duplicate or a variant that another term already has.

    \b
    Example:
        workbench glossary add --en "confidence-building measures" --zh 建立信任措施 --vi "biện pháp xây dựng lòng tin"
        workbench glossary add --en OSCE --zh 欧安组织 --domain regional --after organization-for-security-and-co-operation-in-europe
    """
    from workbench.glossary.edit import add_term

    entry = {"en": en, "zh": list(zh), "vi": list(vi), "en_variants": list(en_variants), "note": note, "domain": domain}
    _make_change(lambda dry: add_term(glossary_path, entry, after=after, dry_run=dry), glossary_path, out_dir, dry_run, as_json)


@glossary.command("edit")
@click.argument("term")
@click.option("--en", default=None, help="Rename: the new English form (the id changes with it).")
@click.option("--add-zh", multiple=True, help="Add a Chinese variant; repeatable.")
@click.option("--remove-zh", multiple=True, help="Remove a Chinese variant; repeatable.")
@click.option("--add-vi", multiple=True, help="Add a Vietnamese variant; repeatable.")
@click.option("--remove-vi", multiple=True, help="Remove a Vietnamese variant; repeatable.")
@click.option("--add-en-variant", multiple=True, help="Add an accepted English variant; repeatable.")
@click.option("--remove-en-variant", multiple=True, help="Remove an English variant; repeatable.")
@click.option("--note", default=None, help='Set the note ("" removes it).')
@click.option("--domain", default=None, help='Set the domain ("" removes it).')
@_GLOSSARY
@_OUT
@_DRY
@_JSON
@handle_errors
def edit_cmd(term: str, en: str | None, add_zh: tuple[str, ...], remove_zh: tuple[str, ...], add_vi: tuple[str, ...], remove_vi: tuple[str, ...], add_en_variant: tuple[str, ...], remove_en_variant: tuple[str, ...], note: str | None, domain: str | None, glossary_path: Path, out_dir: Path, dry_run: bool, as_json: bool) -> None:
    """Change one term (by id or English form); only its lines in the file change.

    \b
    Example:
        workbench glossary edit security-council --add-zh 安理會 --remove-vi HĐBA
        workbench glossary edit "Viet Nam" --note "UN spelling is 'Viet Nam'."
    """
    from workbench.glossary.edit import edit_term

    def make(dry: bool) -> Any:
        return edit_term(
            glossary_path, term, en=en,
            add={"zh": list(add_zh), "vi": list(add_vi), "en_variants": list(add_en_variant)},
            remove={"zh": list(remove_zh), "vi": list(remove_vi), "en_variants": list(remove_en_variant)},
            note=note, domain=domain, dry_run=dry,
        )

    _make_change(make, glossary_path, out_dir, dry_run, as_json)


@glossary.command("remove")
@click.argument("term")
@_GLOSSARY
@_OUT
@_DRY
@_JSON
@handle_errors
def remove_cmd(term: str, glossary_path: Path, out_dir: Path, dry_run: bool, as_json: bool) -> None:
    """Remove one term (by id or English form); comments around it are kept.

    \b
    Example:
        workbench glossary remove new-york-time
    """
    from workbench.glossary.edit import remove_term

    _make_change(lambda dry: remove_term(glossary_path, term, dry_run=dry), glossary_path, out_dir, dry_run, as_json)


@glossary.command("validate")
@_GLOSSARY
@_JSON
@handle_errors
def validate_cmd(glossary_path: Path, as_json: bool) -> None:
    """Validate the whole file: YAML, schema, duplicates, conflicts (exit 3 if invalid).

    \b
    Example:
        workbench glossary validate --glossary glossary.yaml
    """
    from workbench.glossary.edit import validate

    v = validate(glossary_path)
    if as_json:
        echo_json({"valid": True, **v.as_dict()})
        return
    click.echo(f"{v.path}: valid, {v.terms} terms ({v.hash})")
    for w in v.warnings:
        click.echo(f"warning: {w}", err=True)


@glossary.command("check")
@click.argument("docs", nargs=-1)
@_GLOSSARY
@_OUT
@click.option("--all", "show_all", is_flag=True, help="List draft violations too (default: only edited/approved ones).")
@_JSON
@handle_errors
def check_cmd(docs: tuple[str, ...], glossary_path: Path, out_dir: Path, show_all: bool, as_json: bool) -> None:
    """QA: is every glossary term of a source segment rendered in its target?

    Reports per document and per term, drafts apart from edited/approved segments.
    Exits 1 when an approved segment violates the glossary (a release gate). A missing
    term whose flag a reviewer dismissed with a reason (`workbench review dismiss`) is
    counted as dismissed, not open, and never fails the gate. Each document is checked
    with the glossary scopes it was translated with (`translate --scope`).

    \b
    Example:
        workbench glossary check
        workbench glossary check 000_093349a39d32f8f2 --json
    """
    from workbench.glossary.check import check

    rep = check(_load(glossary_path), out_dir, list(docs) or None)
    if as_json:
        echo_json(rep.as_dict())
    else:
        for d in rep.documents:
            miss = ", ".join(f"{v} {k}" for k, v in d.missing.items() if v) or "none"
            extra = f", {d.untranslated} untranslated" if d.untranslated else ""
            extra += f", {len(d.dismissed)} dismissed by a reviewer" if d.dismissed else ""
            click.echo(f"{Path(d.file).stem} [{d.source_lang}]: {d.uses} term uses in {d.segments} segments; segments missing a term: {miss}{extra}")
            for v in d.violations:
                if show_all or v.status != "draft":
                    click.echo(f"  {v.segment} [{v.status}] {v.source} -> {v.en!r} missing")
            for v, why in d.dismissed:
                if show_all or v.status != "draft":
                    click.echo(f"  {v.segment} [{v.status}] {v.source} -> {v.en!r} missing, dismissed: {why}")
        bad_terms = [t for t in rep.terms if any(t.missing.values())]
        if bad_terms:
            click.echo("by term:")
            for t in bad_terms:
                miss = ", ".join(f"{v} {k}" for k, v in t.missing.items() if v)
                click.echo(f"  {t.term} ({t.en}): {t.uses} uses, missing in {miss}")
        total = rep.missing
        click.echo(f"segments missing a glossary term: {total['draft']} draft, {total['edited']} edited, {total['approved']} approved" + (f"; {rep.dismissed} missing term{'s' if rep.dismissed != 1 else ''} dismissed by a reviewer (not counted)" if rep.dismissed else ""))
    if not rep.ok:
        n = rep.missing["approved"]
        docs_n = sum(1 for d in rep.documents if d.missing["approved"])
        click.echo(f"glossary check failed: {n} approved segment{'s' if n != 1 else ''} in {docs_n} document{'s' if docs_n != 1 else ''} miss glossary terms", err=True)
        sys.exit(1)


@glossary.command("suggest")
@click.argument("docs", nargs=-1)
@_GLOSSARY
@_OUT
@click.option("--min-count", type=click.IntRange(2, 1000), default=3, show_default=True, help="Minimum occurrences of a repeated n-gram.")
@click.option("--limit", type=click.IntRange(1, 10000), default=40, show_default=True, help="At most this many suggestions.")
@_JSON
@handle_errors
def suggest_cmd(docs: tuple[str, ...], glossary_path: Path, out_dir: Path, min_count: int, limit: int, as_json: bool) -> None:
    """Suggest new terms from the sources; never writes the glossary.

    Abbreviations in parentheses after a full name, repeated source n-grams
    (names first), and the English rendering reviewers used consistently.
    DOCS are translations (stems) or source files/directories (default: all of OUT).

    \b
    Example:
        workbench glossary suggest
        workbench glossary suggest seeds/ --min-count 4 --json
    """
    from workbench.glossary.suggest import load_sources, suggest

    g = _load(glossary_path)
    sugs = suggest(g, load_sources(out_dir, list(docs) or None), min_count=min_count, limit=limit)
    if as_json:
        echo_json({"suggestions": [s.as_dict() for s in sugs]})
        return
    if not sugs:
        click.echo("no suggestions: the glossary covers what recurs in these sources")
        return
    for s in sugs:
        name = f"{s.source} ({s.short})" if s.short else s.source
        click.echo(f"[{s.kind}] {s.lang}: {name}  ×{s.frequency}  e.g. {', '.join(s.examples)}")
        if s.english:
            click.echo(f"    English seen: {s.english}  ({s.english_from})")
        if s.note:
            click.echo(f"    note: {s.note}")
    click.echo(f"{len(sugs)} suggestions; add one with: workbench glossary add --en \"...\" --zh ... / --vi ...", err=True)


_FORMAT = click.option("--format", "fmt", type=click.Choice(["tbx", "tbx3", "csv", "omegat"], case_sensitive=False), default=None, help="Default: from the extension (.tbx = TBX-Basic 2008, .csv, .txt/.tab = OmegaT); tbx3 = TBX v3 (ISO 30042:2019).")
_LANG = click.option("--lang", default=None, help="Source language of an OmegaT glossary (required for OmegaT): any tag --lang takes elsewhere (zh, zh_CN, zh-TW, vi_VN ...).")


@glossary.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@_FORMAT
@_LANG
@click.option("--merge/--replace", default=True, help="Merge (default): add new entries and variants, refuse conflicts. Replace: the file's entries replace the whole list.")
@_GLOSSARY
@_OUT
@_DRY
@_JSON
@handle_errors
def import_cmd(file: Path, fmt: str | None, lang: str | None, merge: bool, glossary_path: Path, out_dir: Path, dry_run: bool, as_json: bool) -> None:
    """Import terms from TBX, CSV (en,zh,vi,en_variants,note,domain) or an OmegaT glossary.

    \b
    Example:
        workbench glossary import terms.tbx
        workbench glossary import omegat-glossary.txt --lang vi --dry-run
    """
    from workbench.glossary.formats import import_entries, read_entries

    from workbench.errors import GlossaryError

    entries, warnings = read_entries(file, fmt, lang)
    if not entries:
        shown = "; ".join(warnings[:5]) + (f"; ... ({len(warnings) - 5} more)" if len(warnings) > 5 else "")
        raise GlossaryError(f"{file}: nothing could be imported ({shown or 'no entries'}); check the file's languages and columns")

    def make(dry: bool) -> Any:
        change = import_entries(glossary_path, entries, mode="merge" if merge else "replace", source=str(file), dry_run=dry)
        if warnings:
            change.details["skipped"] = sum(1 for w in warnings if w.startswith("entry "))
            change.details["skipped_reason"] = "see the warnings: no English term, or no zh/vi term"
            change.details["warnings"] = warnings
        return change

    _make_change(make, glossary_path, out_dir, dry_run, as_json)
    if not as_json:
        for w in warnings[:10]:
            click.echo(f"warning: {file}: {w}", err=True)


@glossary.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@_FORMAT
@_LANG
@_GLOSSARY
@_JSON
@handle_errors
def export_cmd(file: Path, fmt: str | None, lang: str | None, glossary_path: Path, as_json: bool) -> None:
    """Export the glossary as TBX, CSV or an OmegaT glossary (one source language).

    A TBX-Basic 2008 file gets the XCS it names (workbench-TBXBasic.xcs: its languages
    and data categories) written beside it, so TBXChecker validates it as it is.

    \b
    Example:
        workbench glossary export glossary.tbx
        workbench glossary export glossary-v3.tbx --format tbx3 --json
        workbench glossary export glossary-vi.txt --lang vi
    """
    from workbench.glossary.formats import write_entries

    result = write_entries(_load(glossary_path), file, fmt, lang)
    if as_json:
        echo_json({"action": "export", **result.to_dict()})
        return
    also = f" (and {', '.join(p.name for p in result.companions)} beside it)" if result.companions else ""
    click.echo(f"wrote {result.count} {result.unit} to {file}{also}")
