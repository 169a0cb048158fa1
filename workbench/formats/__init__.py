"""Word (.docx) and HTML documents in and out.

    skel = formats.load(Path("report.docx"))       # blocks: paragraphs, headings, cells, captions...
    skel.blocks[0].kind, skel.blocks[0].text         # 'heading', '<b1>安全理事会</b1>的报告'
    data = skel.render(["<b1>Report</b1> of the Security Council", ...])   # the same file, in English

Each block becomes one line of the text the segmenter sees, so segmentation, translation and
the store work on it as on plain text; inline formatting is kept as placeholders
(:mod:`workbench.formats.tags`). The skeleton is not stored: the build reads the source
document again and checks that its text is still the text that was translated.

Other document formats (PDF, .doc, .odt, .rtf...) are refused with the command that converts
them. This package's ``__init__`` imports nothing heavy: :mod:`workbench.qa` imports
:mod:`workbench.formats.tags`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from workbench.errors import InputError

#: Extensions read as structured documents, by format.
STRUCTURED: dict[str, str] = {".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html"}
#: Formats we cannot read, with what to do instead.
_CONVERT_TO_DOCX = (".doc", ".odt", ".rtf", ".wpd", ".pages", ".docm", ".dotx", ".ott")
UNSUPPORTED: dict[str, str] = {
    ".pdf": "PDF",
    **{ext: ext[1:].upper() for ext in _CONVERT_TO_DOCX},
    ".pptx": "PowerPoint", ".ppt": "PowerPoint", ".odp": "OpenDocument presentation",
    ".xlsx": "Excel", ".xls": "Excel", ".ods": "OpenDocument spreadsheet",
}
SUPPORTED_TEXT = "plain text (.txt, .md), Word (.docx) and HTML (.html)"
#: Block kinds: what a line of a structured document is.
KINDS = ("paragraph", "heading", "title", "list", "cell", "caption", "footnote", "endnote", "header", "footer", "quote")


@dataclass(frozen=True)
class Block:
    """One unit of text of a structured document: a line of the text the segmenter sees."""

    kind: str  # one of KINDS
    text: str  # one line (no newline), inline formatting as placeholders


class Skeleton(Protocol):
    """A structured document read into blocks, able to write itself back with new block texts."""

    blocks: list[Block]

    def render(self, texts: list[str]) -> bytes:
        """The document's bytes with block ``i``'s text replaced by ``texts[i]`` (placeholders
        put back as formatting; unknown or unbalanced tags are dropped, objects whose tag was
        lost are put at the block's end)."""
        ...


def format_of(path: str | Path) -> str | None:
    """"docx" or "html" for a structured document, None for plain text; InputError for a format
    we cannot read (with how to convert it)."""
    ext = Path(path).suffix.lower()
    if ext in STRUCTURED:
        return STRUCTURED[ext]
    if ext in UNSUPPORTED:
        what = UNSUPPORTED[ext]
        if ext == ".pdf":
            how = "convert it to Word (`libreoffice --headless --convert-to docx FILE`, keeps paragraphs) or to text (`pdftotext -layout FILE`)"
        elif ext in (".pptx", ".ppt", ".odp", ".xlsx", ".xls", ".ods"):
            how = "save its text as .docx or .txt"
        else:
            how = "convert it with `libreoffice --headless --convert-to docx FILE`"
        raise InputError(f"{path}: {what} documents are not supported (supported: {SUPPORTED_TEXT}); {how}")
    return None


def load_bytes(data: bytes, path: str | Path) -> Skeleton:
    """Read a structured document's bytes (the format from ``path``'s extension)."""
    fmt = format_of(path)
    if fmt == "docx":
        from workbench.formats import docx

        return docx.load(data, str(path))
    if fmt == "html":
        from workbench.formats import html

        return html.load(data, str(path))
    raise InputError(f"{path}: not a structured document ({', '.join(sorted(STRUCTURED))})")


def load(path: str | Path) -> Skeleton:
    """Read a structured document from disk."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read the file ({exc.strerror})") from None
    return load_bytes(data, p)


def text_of(blocks: list[Block]) -> str:
    """The text the segmenter sees: one block a line."""
    return "\n".join(b.text for b in blocks)


def read_document(path: Path, data: bytes, lang: str | None = None):  # type: ignore[no-untyped-def]
    """An :class:`workbench.ingest.Document` from a structured document (the ingest hook)."""
    import hashlib
    import unicodedata

    from workbench.ingest import Document, detect_language, normalize_lang

    skel = load_bytes(data, path)
    text = unicodedata.normalize("NFC", text_of(skel.blocks))
    if not text.strip():
        raise InputError(f"{path}: the document has no text to translate")
    if lang:
        code, detected = normalize_lang(lang), False
    else:
        try:
            from workbench.formats.tags import strip_tags

            code, detected = detect_language(strip_tags(text)), True
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    fmt = format_of(path) or "text"
    return Document(path=path, text=text, lang=code, encoding=fmt, sha256=digest, lang_detected=detected, kinds=tuple(b.kind for b in skel.blocks))
