"""Opening a translations file for review: names, the parsed-file cache, the per-file lock,
and one segment's glossary hits and QA flags.

    opened = view_doc(Path("translations"), "000_093349a39d32f8f2")   # shared, do not modify
    with file_lock(Path("translations"), opened.stem):
        ...                                                          # load-check-save

A parsed file is reused while its inode, size and mtime are the ones last seen (else re-read,
hashed, and parsed, or taken from the project index's JSON copy of those bytes); the cache also
keeps every segment's YAML as written, so a save re-dumps only the segments it changed.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench import qa, store
from workbench.errors import InputError, StoreError, WorkbenchError
from workbench.glossary import Glossary, Hit
from workbench.ingest import document_name
from workbench.reviewed import LOCK_DIR, LOCK_TIMEOUT, file_lock, lock_path  # noqa: F401  (the one home of the per-file lock)


# ---------------------------------------------------------------- opening


@dataclass
class Opened:
    """A translations file as read: its document, path and the digest of its bytes."""

    stem: str
    path: Path
    doc: store.StoredDocument
    digest: str


def stem_of(doc: str | Path) -> str:
    """The document name of a DOC given as a source path (seeds/x.txt), a yaml path or a name
    (the one rule: :func:`workbench.ingest.document_name`; a prefix is resolved by :func:`path_of`)."""
    name = Path(str(doc)).name
    stem = name[:-5] if name.lower().endswith(".yaml") and len(name) > 5 else document_name(name)
    if not stem or stem.startswith("."):
        raise InputError(f"{doc}: not a document name; give a source path or its stem (see `workbench status`)")
    return stem


def path_of(out_dir: Path, doc: str | Path) -> Path:
    """DOC's translations file (DOC: source path, yaml path, name or unique prefix of a name)."""
    return store.find_document(out_dir, doc)


def open_doc(out_dir: Path, doc: str | Path) -> Opened:
    """Read DOC's translations file (DOC: source path or stem) with the digest of the bytes read."""
    return open_path(path_of(out_dir, doc))


def open_path(path: Path) -> Opened:
    """Read the translations file ``path`` with the digest of the bytes read."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StoreError(f"{path}: not UTF-8 text; restore it from version control or delete it to start over") from None
    return Opened(stem=path.name[:-5], path=path, doc=store.loads(text, str(path)), digest=hashlib.sha256(raw).hexdigest())


def check_text(text: str, what: str) -> None:
    """InputError unless ``text`` is valid Unicode: a lone surrogate (undecodable bytes in a
    command line, ``"\\ud800"`` in JSON) cannot be stored in a UTF-8 file."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{what} is not valid text: a lone surrogate (U+{ord(text[exc.start]):04X}) at character {exc.start + 1}; "
            "send UTF-8 (check the terminal's encoding, e.g. LANG=C.UTF-8)"
        ) from None


def find_segment(doc: store.StoredDocument, seg_id: str, name: str = "") -> int:
    for i, seg in enumerate(doc.segments):
        if seg.id == seg_id:
            return i
    where = f" in {name}" if name else ""
    raise InputError(f"no segment {seg_id!r}{where}; list the ids with `workbench review show {name or 'DOC'}`")


# ---------------------------------------------------------------- glossary and QA

_GLOSSARY_CACHE: dict[tuple[str, float], Glossary] = {}
_GLOSSARY_LOCK = threading.Lock()


def load_glossary(path: Path | None = None) -> Glossary:
    """The glossary at ``path`` (default ./glossary.yaml; none there: empty), cached by mtime."""
    if path is None:
        path = Path("glossary.yaml")
        if not path.exists():
            return Glossary.empty()
    try:
        key = (str(path.resolve()), path.stat().st_mtime)
    except FileNotFoundError:
        from workbench.errors import GlossaryError

        raise GlossaryError(f"{path}: no such glossary file; give an existing --glossary or omit it") from None
    with _GLOSSARY_LOCK:
        g = _GLOSSARY_CACHE.get(key)
        if g is None:
            g = Glossary.load(path)
            _GLOSSARY_CACHE.clear()
            _GLOSSARY_CACHE[key] = g
    return g


def engine_is_mt(doc: store.StoredDocument) -> bool:
    return str(doc.signature.get("engine", "")) not in ("copy", "") or doc.source_lang == "en"


def hits_for(seg: store.Segment, doc: store.StoredDocument, glossary: Glossary) -> list[Hit]:
    return hits_and_candidates(seg, doc, glossary)[0]


def hits_and_candidates(seg: store.Segment, doc: store.StoredDocument, glossary: Glossary) -> tuple[list[Hit], list[str]]:
    """The segment's hits (terms, non-translatables, auto-translatables) and candidate term ids."""
    if not seg.source or doc.source_lang == "en":
        return [], []
    from workbench.translate import find_hits

    hits, cands = find_hits(doc_glossary(glossary, doc), [seg.source], doc.source_lang)
    return hits[0], cands[0]


def doc_glossary(glossary: Glossary, doc: store.StoredDocument) -> Glossary:
    """``glossary`` narrowed to the scopes the document was translated with (``translate --scope``)."""
    scopes = store.signature_scopes(doc.signature)
    return glossary.scoped(scopes) if scopes else glossary


def recheck(seg: store.Segment, doc: store.StoredDocument, glossary: Glossary) -> None:
    """Recompute a segment's glossary uses and QA flags for its current target."""
    if not seg.source:
        seg.terms, seg.flags = [], []
        return
    hits, cands = hits_and_candidates(seg, doc, glossary)
    human = seg.status in store.HUMAN_STATUSES
    method = "kept" if human else ("inline" if engine_is_mt(doc) else "copy")
    seg.terms = qa.term_uses(hits, seg.target, method, glossary)
    # a copy draft keeps `no-mt` while its target is still mostly source, approved or not
    is_mt = engine_is_mt(doc) or (seg.origin not in ("copy", "") and not seg.origin.startswith("copy"))
    seg.flags = qa.flags_for(seg.source, seg.target, seg.terms, source_lang=doc.source_lang, is_mt=is_mt, candidates=cands, glossary=glossary, human=human)
    # a dismissal lasts while its flag does
    seg.dismissed = {f: why for f, why in seg.dismissed.items() if f in seg.flags}


def target_spans(target: str, hits: list[Hit]) -> list[tuple[int, int, str]]:
    """Where each hit's English rendering (or a non-translatable) occurs in ``target``: (start, end, en)."""
    spans: list[tuple[int, int, str]] = []
    lowered = target.lower()
    for h in hits:
        needle = (h.surface if h.kind == "nt" else h.en).lower()
        if not needle:
            continue
        start = 0
        while True:
            i = lowered.find(needle, start)
            if i < 0:
                break
            spans.append((i, i + len(needle), h.en))
            start = i + len(needle)
    spans.sort()
    out: list[tuple[int, int, str]] = []
    for s in spans:  # non-overlapping, leftmost first
        if not out or s[0] >= out[-1][1]:
            out.append(s)
    return out


@dataclass
class _Cached:
    digest: str
    doc: store.StoredDocument
    _chunks: dict[str, bytes] | None  # segment id -> its YAML list item as written (store.dump_bytes); None: not split out of ``raw`` yet
    raw: bytes  # the file's bytes
    stat: tuple[int, int, int] | None = None  # (inode, size, mtime_ns) of the file when it had ``digest``
    summary: dict[str, Any] | None = None
    pos: dict[str, int] | None = None  # segment id -> index in doc.segments (None: to be rebuilt)
    items: list[bytes] | None = None  # every segment's YAML item, in order (None: to be rebuilt from chunks)

    @property
    def chunks(self) -> dict[str, bytes]:
        """Segment id -> its YAML list item as written, split out of ``raw`` when first asked
        for (a save, or :func:`prime` ahead of it: opening a document for the page needs none)."""
        if self._chunks is None:
            self._chunks = store.segment_chunks(self.raw, self.doc)
        return self._chunks

    def positions(self) -> dict[str, int]:
        """Segment id -> its index in ``doc.segments`` (kept until a change moves segments)."""
        if self.pos is None:
            self.pos = {s.id: i for i, s in enumerate(self.doc.segments)}
            self.items = None
        return self.pos


#: Parsed files by path, reused while the file is unchanged (a 5,000-segment file is parsed once,
#: and a save re-dumps only the segments it changed).
_DOCS: dict[str, _Cached] = {}
_DOCS_LOCK = threading.Lock()


def _stat(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _cached(path: Path) -> _Cached:
    """The parsed file (from the cache while its inode, size and mtime are the ones we last saw;
    else read, hashed, and parsed — or taken from the index's JSON copy of those bytes)."""
    key = str(path.resolve())
    with _DOCS_LOCK:
        hit = _DOCS.get(key)
    try:
        now = _stat(path)
    except FileNotFoundError:
        raise StoreError(f"{path}: the translations file is gone; run `workbench translate` again") from None
    if hit is not None and hit.stat == now:
        return hit
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if hit is not None and hit.digest == digest:
        hit.stat = now
        return hit
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StoreError(f"{path}: not UTF-8 text; restore it from version control or delete it to start over") from None
    idx = _index_for(path.parent)
    doc = idx.cached_doc(path.stem, digest, str(path)) if idx is not None else None
    if doc is None:
        doc = store.loads(text, str(path))
        if idx is not None:
            try:
                idx.keep_doc(path.stem, digest, doc)
            except Exception:  # the index is a cache
                pass
    # the file's own text of each segment (a save dumps only the segments it changes): when first needed
    entry = _Cached(digest, doc, None, raw, now)
    with _DOCS_LOCK:
        _DOCS[key] = entry
    return entry


def _index_for(out_dir: Path):  # type: ignore[no-untyped-def]
    from workbench.index import open_index

    try:
        return open_index(out_dir, refresh=False)
    except WorkbenchError:
        return None


def prime(out_dir: Path, doc: str | Path, lock: Any, step: int = 250, glossary: Glossary | None = None) -> None:
    """Dump the cached document's segments that have no YAML text yet ahead of its first save,
    ``step`` at a time under ``lock`` (the lock every change to it takes), so that the first save
    re-dumps only what it changed. A file in the layout workbench writes has every segment's text
    from its own bytes already (:func:`workbench.store.segment_chunks`): nothing to do."""
    path = path_of(out_dir, doc)
    key = str(path.resolve())
    with _DOCS_LOCK:
        entry = _DOCS.get(key)
    if entry is None:
        return
    _warm(entry.doc, glossary or Glossary.empty())
    if entry.summary is None:  # the first save adjusts it rather than summarising all segments
        from workbench.index import summarize

        with lock:
            if entry.summary is None:
                entry.summary = summarize(entry.doc)
    ids = [s.id for s in entry.doc.segments]
    for i in range(0, len(ids), step):
        with lock:
            with _DOCS_LOCK:
                if _DOCS.get(key) is not entry:
                    return
            pos = entry.positions()
            for sid in ids[i : i + step]:
                k = pos.get(sid)
                if k is not None and sid not in entry.chunks:
                    entry.chunks[sid] = store.dump_segment_bytes(entry.doc.segments[k])


def _warm(doc: store.StoredDocument, glossary: Glossary) -> None:
    """Load what the first save needs (the glossary matcher and QA code, the lock library) ahead
    of it, so the first approve costs what the others do (the imports alone are ~0.2 s)."""
    import filelock  # noqa: F401  (file_lock imports it when first called)

    seg = next((s for s in doc.segments if s.source), None)
    if seg is None:
        return
    probe = store.Segment(id=seg.id, source=seg.source, target=seg.target, status=seg.status, mt=seg.mt, origin=seg.origin)
    try:
        recheck(probe, doc, glossary)  # on a copy: the document is not touched
    except WorkbenchError:
        pass


def view_doc(out_dir: Path, doc: str | Path) -> Opened:
    """Like :func:`open_doc` but shared with later calls while the file is unchanged: do not modify it."""
    path = path_of(out_dir, doc)
    entry = _cached(path)
    return Opened(stem=path.stem, path=path, doc=entry.doc, digest=entry.digest)
