"""Reading for review: the translation memory formed by reviewed work, a segment as the page
and ``review show --json`` see it, and selecting segments by status, flag or text.

    fuzzy(Path("translations"), "请将本信及其附件作为大会文件分发为荷。")   # closest reviewed sources
    select(doc, status="draft", flag="missing-term", grep="安理会")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench import qa, store
from workbench.errors import StoreError
from workbench.glossary import Glossary, Hit
from workbench.review.opening import doc_glossary, hits_for, target_spans
from workbench.reviewed import memory, memory_errors  # noqa: F401  (re-exported: the one home of the memory a run reads)


def memory_entries(out_dir: Path, strict: bool = True) -> list[Any]:
    """Every edited or approved segment (orphans too) of every document, approved ones first (from the index).
    ``strict``: a translations file that cannot be read raises its error (else it is left out)."""
    if not out_dir.is_dir():
        return []
    from workbench.memory import project_memory

    mem = project_memory(out_dir)
    if strict and (errors := memory_errors(out_dir)):
        raise StoreError(errors[0])
    return mem.entries()


def fuzzy(out_dir: Path, text: str, threshold: float = 0.75, limit: int = 3) -> list[Any]:
    """The closest reviewed sources to ``text`` across all documents, with the differences marked."""
    if not out_dir.is_dir():
        return []
    from workbench.memory import project_memory

    return project_memory(out_dir).matches(text, threshold, limit)


def segment_view(seg: store.Segment, doc: store.StoredDocument, glossary: Glossary | None = None, hits: list[Hit] | None = None) -> dict[str, Any]:
    """A segment as the page and ``review show --json`` see it (with glossary spans when a glossary
    is given; ``hits``: the glossary hits already found for its source)."""
    d = seg.as_dict()
    d.setdefault("mt", None)
    d.setdefault("flags", [])
    d.setdefault("terms", [])
    d.setdefault("prefix", "")
    d.setdefault("suffix", "")
    d.setdefault("note", "")
    d.setdefault("dismissed", {})
    d["flag_levels"] = {f: qa.level(f) for f in seg.flags}
    if glossary is not None or hits is not None:
        if hits is None:
            assert glossary is not None
            hits = hits_for(seg, doc, glossary)
        d["source_hits"] = [[h.start, h.end, h.en, h.kind] for h in hits]
        d["target_hits"] = [[s, e, en] for s, e, en in target_spans(seg.target, hits)]
    if glossary is not None:
        cands = doc_glossary(glossary, doc).match(seg.source, doc.source_lang)[1] if seg.source and doc.source_lang != "en" else []
        d["candidates"] = [[c.start, c.end, c.en, c.term_id, c.reason] for c in cands]
        ids = dict.fromkeys([h.term_id for h in hits or [] if h.term_id] + [c.term_id for c in cands])
        d["term_info"] = {tid: glossary.term(tid).info() for tid in ids if tid in glossary._by_id}  # noqa: SLF001
    return d


def flag_kinds(seg: store.Segment) -> list[str]:
    return sorted({f.split(":", 1)[0] for f in seg.flags})


def select(doc: store.StoredDocument, status: str | None = None, flag: str | None = None, grep: str | None = None) -> list[store.Segment]:
    """Segments with source text, filtered by status and/or flag kind (``missing-term``, ``number``, ...)
    and/or text in the source or English (``grep``: case-insensitive, Traditional/Simplified folded)."""
    from workbench.index import fold

    needle = fold(grep) if grep else None
    out = []
    for seg in doc.segments:
        if not seg.source:
            continue
        if needle and needle not in fold(seg.source) and needle not in seg.target.lower():
            continue
        if status and seg.status != status:
            continue
        if flag and flag not in flag_kinds(seg) and flag not in seg.flags:
            continue
        out.append(seg)
    return out
