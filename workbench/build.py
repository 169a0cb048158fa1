"""Build: the English documents themselves, from the translations files.

    results = build_documents(Path("translations"), ["000_093349a39d32f8f2"], dest=Path("english"))
    results[0].path, results[0].counts     # english/000_093349a39d32f8f2.txt, {'approved': 3, ...}

A plain-text document is written as text with its structure put back (paragraph labels,
footnote markers, line breaks and blank lines, see ``StoredDocument.target_text``). A Word or
HTML document is written as the same file with the text replaced (:mod:`workbench.formats`):
the build reads the source document again and refuses if its text is no longer the text
that was translated.

Untranslated segments (no English, a copy-engine draft of a non-English source, or, with
``status="approved"``, anything not approved) follow a policy: ``source`` keeps the source
text, ``mark`` keeps it behind ``[untranslated]``, ``fail`` writes nothing and lists them.
Every document is built in memory before the first one is written; each write is atomic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workbench import files, formats, store
from workbench.errors import InputError, StoreError

POLICIES = ("source", "mark", "fail")
MARK = "[untranslated] "
#: Placeholders that stay with the sentence before them: objects (a Word footnote reference) and
#: short superscripts or links to them (an HTML footnote mark ``<a2><sup3>1</sup3></a2>``).
_LEADING_OBJECTS = re.compile(r"(?:<x\d+/>|<sup\d+>[^<]{1,4}</sup\d+>|<a\d+><sup\d+>[^<]{1,4}</sup\d+></a\d+>)+")
_CJK = re.compile(r"[\u3000-\u9fff\uf900-\uffef]")
DEFAULT_DEST = Path("english")


@dataclass
class Built:
    """One English document: where it goes and what went into it."""

    document: str  # the source path as stored
    stem: str
    path: Path  # the English document
    format: str  # "text", "docx", "html"
    counts: dict[str, int]  # segments by status
    untranslated: list[str] = field(default_factory=list)  # ids of segments without English
    lost_tags: int = 0  # placeholders missing from the English (their formatting dropped; objects kept)
    data: bytes = b""
    written: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document, "stem": self.stem, "path": str(self.path), "format": self.format,
            "counts": self.counts, "untranslated": self.untranslated, "lost_tags": self.lost_tags,
            "bytes": len(self.data), "written": self.written,
        }


def is_untranslated(seg: store.Segment, doc: store.StoredDocument, status: str | None = None) -> bool:
    """Does ``seg`` lack an English text fit to deliver?"""
    if not seg.source:
        return False
    if not seg.target.strip():
        return True
    if status is not None and seg.status != status:
        return True
    return seg.status == "draft" and seg.origin == "copy" and doc.source_lang != "en"


def english_texts(doc: store.StoredDocument, policy: str = "source", status: str | None = None) -> tuple[list[str], list[str]]:
    """The English text of every segment under ``policy``, and the ids of the untranslated ones."""
    if policy not in POLICIES:
        raise InputError(f"unknown --untranslated policy {policy!r}; use one of: {', '.join(POLICIES)}")
    texts, missing = [], []
    for seg in doc.segments:
        if is_untranslated(seg, doc, status):
            missing.append(seg.id)
            texts.append(MARK + seg.source if policy == "mark" else seg.source)
        else:
            texts.append(seg.target)
    return texts, missing


def block_texts(doc: store.StoredDocument, texts: list[str]) -> list[str]:
    """The English of each line of the source text (a structured document's blocks), from the
    segments' English ``texts``: labels and markers put back, sentences joined by the source's
    spacing (a space where Chinese sentences touched)."""
    lines: list[list[str]] = [[]]
    for seg, text in zip(doc.segments, texts):
        gap = seg.gap
        if "\n" in gap:
            for _ in range(gap.count("\n")):
                lines.append([])
            gap = gap.rsplit("\n", 1)[1]
        cur = lines[-1]
        text = text.replace("\n", " ")
        if cur and gap == "" and text and not cur[-1].endswith((" ", "\t")) and not text.startswith(" "):
            objects = _LEADING_OBJECTS.match(text)  # a footnote reference stays with the sentence before it
            if objects and objects.end() < len(text) and not text[objects.end()].isspace():
                text = text[: objects.end()] + " " + text[objects.end() :]
            elif not objects and not (_CJK.match(cur[-1][-1:]) and _CJK.match(text[:1])):
                gap = " "  # Chinese sentences touch; English ones need a space (kept source text does not)
        cur.append(gap + seg.prefix + text + seg.suffix)
    return ["".join(parts).rstrip() for parts in lines]


def build_one(doc: store.StoredDocument, stem: str, dest: Path, policy: str = "source", status: str | None = None) -> Built:
    """Build one document in memory (nothing is written)."""
    texts, missing = english_texts(doc, policy, status)
    fmt = formats.format_of(doc.document) or "text"
    counts = doc.counts()
    if fmt == "text":
        segments = [replace(s, target=t) for s, t in zip(doc.segments, texts)]
        english = replace(doc, segments=segments).target_text()
        name = Path(doc.document).name if Path(doc.document).suffix else f"{stem}.txt"
        return Built(doc.document, stem, dest / name, fmt, counts, missing, 0, english.encode("utf-8"))
    source = Path(doc.document)
    if not source.is_file():
        raise InputError(f"{source}: the source document is needed to rebuild it as {fmt} and is not there; run from the project directory or restore the file")
    skel = formats.load(source)
    import unicodedata

    original = unicodedata.normalize("NFC", formats.text_of(skel.blocks))
    if original != doc.source_text():
        raise StoreError(f"{source}: the document changed since it was translated; run `workbench translate {source}` again, then build")
    blocks = block_texts(doc, texts)
    if len(blocks) != len(skel.blocks):
        raise StoreError(f"{stem}: {len(blocks)} lines of English for {len(skel.blocks)} blocks of {source}; run `workbench translate {source}` again")
    from workbench.formats.tags import tag_flags

    lost = sum(1 for b, e in zip(skel.blocks, blocks) for f in tag_flags(b.text, e) if f.startswith("tag:lost:"))
    data = skel.render(blocks)
    return Built(doc.document, stem, dest / source.name, fmt, counts, missing, lost, data)


def build_documents(out_dir: Path, docs: list[str] | None = None, dest: Path = DEFAULT_DEST, policy: str = "source", status: str | None = None) -> list[Built]:
    """Build every document of ``docs`` (all by default) into ``dest``; with ``policy="fail"``
    nothing is written if any document has an untranslated segment."""
    if policy not in POLICIES:
        raise InputError(f"unknown --untranslated policy {policy!r}; use one of: {', '.join(POLICIES)}")
    if status is not None and status not in store.STATUSES:
        raise InputError(f"unknown status {status!r}; use one of: {', '.join(store.STATUSES)}")
    built: list[Built] = []
    for path in store.list_files(out_dir, docs):
        doc = store.load(path)
        assert doc is not None
        if doc.signature.get("engine") == "memory":  # a memory imported with `workbench import --memory`: no document
            continue
        built.append(build_one(doc, path.stem, dest, policy, status))
    names: dict[Path, str] = {}
    for b in built:
        if b.path in names:
            raise InputError(f"{names[b.path]} and {b.stem} would both be written to {b.path}; build them into different --dest directories")
        names[b.path] = b.stem
    if policy == "fail":
        missing = [(b.stem, sid) for b in built for sid in b.untranslated]
        if missing:
            shown = ", ".join(f"{stem}:{sid}" for stem, sid in missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
            raise InputError(f"{len(missing)} segments have no English ({shown}); nothing was written; translate or review them, or use --untranslated source|mark")
    for b in built:
        try:
            if b.path.read_bytes() == b.data:
                continue
        except OSError:
            pass
        files.atomic_write_bytes(b.path, b.data)
        b.written = True
    return built
