"""Helpers for the ``workbench segment`` command (JSON-lines passages, whole files)."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.errors import InputError
from workbench.segment.document import split_sentences


def _guess_lang(passage: str) -> str:
    from workbench.ingest import detect_language

    try:
        return detect_language(passage)
    except InputError:  # no words at all: any rules will do
        return "en"


def segment_passages(lines: list[str], lang: str | None = None) -> list[list[str]]:
    """``segment --jsonl``: each non-blank line is a JSON string (a passage).

    Returns one list of sentences (:func:`split_sentences`) per line, in order
    (an empty list for a blank line, so output lines match input lines).
    Raises :class:`InputError` for a line that is not a JSON string.
    """
    if lang:
        from workbench.ingest import normalize_lang

        lang = normalize_lang(lang)  # an unknown tag fails before any line is read
    out: list[list[str]] = []
    for no, line in enumerate(lines, 1):
        if not line.strip():
            out.append([])  # keep output lines aligned with input lines
            continue
        try:
            passage = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {no}: not JSON ({exc.msg}); give one JSON string per line") from None
        if not isinstance(passage, str):
            raise InputError(f"line {no}: expected a JSON string, got {type(passage).__name__}")
        out.append(split_sentences(passage, lang or _guess_lang(passage)))
    return out


def segment_text(
    file: Path | str, data: bytes | None = None, lang: str | None = None, encoding: str | None = None
) -> list[str]:
    """``segment FILE``: the sentences of a document (``data`` if given, else ``file``'s bytes).

    Reads it as :mod:`workbench.ingest` does (encoding, NFC, LF, language
    detection unless ``lang``) and returns :func:`split_sentences` of the whole
    text (labels and footnote markers included).
    """
    from workbench.ingest import document_from_bytes, read_document

    doc = (
        read_document(file, lang, encoding)
        if data is None
        else document_from_bytes(data, Path(str(file)), lang, encoding)
    )
    return split_sentences(doc.text, doc.lang)
