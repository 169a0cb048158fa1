"""Translate: documents -> segments -> glossary-aware engine output -> store.

    result = translate_documents(["seeds"], out_dir=Path("translations"))
    for doc in result.documents:
        print(doc.document, doc.engine, doc.translated, doc.reused, doc.kept)

The run is planned in full before anything is decoded or written: every document is
read and segmented, every existing translations file is loaded (an invalid one stops
the run with nothing written), and every engine is chosen. Then all pending segments
of a language are decoded in one engine call (the model is loaded once), and each
document is merged with what is on disk *at write time*, so an edit saved while the
run was decoding is kept, not overwritten.

A sentence whose source has a reviewed (edited/approved) translation in any document takes
that translation as its draft (translation memory, flagged ``memory-match``), and while a
document's source is unchanged its stored segmentation is kept, so a reviewer's splits and
merges survive re-runs.

Glossary terms are applied during translation:

1. *inline injection*: each glossary hit in the source is replaced by its English term
   before decoding (NMT models copy Latin-script spans they cannot translate);
2. *verification*: the output must contain every English term and non-translatable;
3. *span assembly*: a segment that fails is decoded again as the pieces between its
   terms, and the English terms are put between the translated pieces. The term is then
   certain to be in the draft, at some cost to fluency, and the segment records the
   method (``inline`` or ``forced``) per term so a reviewer can look harder.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from workbench import __version__, autotrans, engines, qa, store
from workbench.engines import Engine
from workbench.errors import EngineError, LockError, ModelError, WorkbenchError
from workbench.glossary import Glossary, Hit, model as glossary_model
from workbench.ingest import Document, discover, read_document
from workbench.mt_terms import _Job, _join, _pieces, inject, run_jobs  # noqa: F401  (re-exported: the run's glossary steps)
from workbench.segment import SEGMENTER_VERSION, Sentence, segment_document

Notify = Callable[[str], None]
#: progress(done_increment, total) — total is known once planning is over.
ProgressFn = Callable[[int, int], None]
DEFAULT_GLOSSARY = Path("glossary.yaml")
TARGET_LANG = "en"


@dataclass
class DocumentResult:
    """What one run did to one document (the JSON summary's entries)."""

    document: str
    source_lang: str
    engine: str
    segments: int
    translated: int  # produced now (decoded, or copied by the copy engine)
    reused: int  # unchanged drafts kept without decoding
    kept: int  # human edits (edited/approved) left untouched
    memory: int = 0  # drafts taken from the reviewed translation of the same source elsewhere
    output: str = ""
    written: bool = False
    orphans: int = 0
    machine_translated: bool = True
    signature: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class RunResult:
    documents: list[DocumentResult]
    notices: list[str] = field(default_factory=list)
    glossary_hash: str = ""
    #: translations files that cannot be read (one line each): their documents were skipped,
    #: the files left as they are; every other document was translated
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"documents": [d.as_dict() for d in self.documents], "notices": self.notices, "glossary": self.glossary_hash, "errors": self.errors}


# ---------------------------------------------------------------- engines


class IndexOnce:
    """The Argos package index, fetched at most once per run (offline: one quick failure)."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self._packages: list | None = None  # type: ignore[type-arg]
        self._error: ModelError | None = None

    def get(self) -> list:  # type: ignore[type-arg]
        from workbench import models

        if self._error is not None:
            raise self._error
        if self._packages is None:
            try:
                self._packages = models.fetch_index(self.url)
            except ModelError as exc:
                self._error = exc
                raise
        return self._packages


def choose_engine(
    lang: str,
    requested: str,
    *,
    download: bool = True,
    index: IndexOnce | None = None,
    engine_options: dict[str, object] | None = None,
    notify: Notify = lambda _m: None,
    download_progress: Callable[[int, int | None], None] | None = None,
) -> Engine:
    """The engine for ``lang -> en``: ``requested`` is auto, argos, copy (or another registered engine).

    ``auto`` takes an installed Argos package, else downloads one when the index
    offers it (saying so, with its size), else falls back to ``copy`` and says how
    to install a model.
    """
    opts = dict(engine_options or {})
    if lang == TARGET_LANG:
        return engines.create("copy", source_lang=lang)
    if requested != "auto":
        return engines.create(requested, source_lang=lang, **opts)
    try:
        return engines.create("argos", source_lang=lang, **opts)
    except EngineError:
        pass
    from workbench import models

    fallback = f"using the copy engine (source with glossary terms in English, for a human to translate); for machine translation: workbench models install {lang} (offline: add --file PKG.argosmodel)"
    if not download:
        notify(f"{lang} -> en: no Argos model installed, downloads off (--no-download); {fallback}")
        return engines.create("copy", source_lang=lang)
    index = index or IndexOnce(None)
    try:
        available = index.get()
    except ModelError:
        notify(f"{lang} -> en: no Argos model installed and the package index at {index.url or models.index_url_default()} cannot be reached; {fallback}")
        return engines.create("copy", source_lang=lang)
    pkg = models.find_available(models.argos_code(lang), "en", available)
    if pkg is None and lang == "zh-Hant":
        pkg = models.find_available("zh", "en", available)
    if pkg is None:
        notify(f"{lang} -> en: no Argos model installed and the package index offers none; {fallback}")
        return engines.create("copy", source_lang=lang)
    pkg = models.with_size(pkg)
    size = f"{pkg.size / 1e6:.1f} MB" if pkg.size else "size unknown"
    notify(f"{lang} -> en: downloading Argos package {pkg.name} {pkg.version} ({size}); --no-download prevents this")
    try:
        models.install([lang], index_url=index.url, progress=download_progress)
        return engines.create("argos", source_lang=lang, **opts)
    except (ModelError, EngineError) as exc:
        notify(f"{lang} -> en: the download failed ({exc}); {fallback}")
        return engines.create("copy", source_lang=lang)


# ---------------------------------------------------------------- merge with the store


#: Bumped when the way terms are put into drafts changes (capitals, spacing, brackets), so
#: stored drafts are made again rather than reused.
DRAFT_RULES = 4


def fingerprint(engine_sig: str, text: str, hits: list[Hit]) -> str:
    data = json.dumps([engine_sig, text, [(h.start, h.end, h.en, h.kind) for h in hits], DRAFT_RULES], ensure_ascii=False)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Plan:
    doc: Document
    sentences: list[Sentence]
    hits: list[list[Hit]]
    engine: Engine
    out_path: Path
    digest: str | None  # the translations file's bytes when planned (None: no file)
    candidates: list[list[str]] = field(default_factory=list)  # per sentence: term ids of doubtful hits


def _decide(prev: store.Segment | None, fp: str, text: str, memory: dict[str, str]) -> str:
    """What to do with one sentence: "kept" (human work), "memory" (reviewed target of the same
    source elsewhere), "reused" (unchanged draft) or "decode"."""
    if prev is not None and store.is_human(prev):
        return "kept"
    if text in memory:
        return "memory"
    if prev is not None and prev.fingerprint == fp and prev.mt is not None and not prev.origin.startswith("memory"):
        return "reused"
    return "decode"


def _sentences(doc: Document, old: store.StoredDocument | None) -> list[Sentence]:
    """The document's sentences: the stored segmentation while the source is unchanged (so a
    reviewer's splits and merges survive re-runs), else a fresh segmentation."""
    same_rules = old is not None and old.signature.get("segmenter") == f"workbench-seg/{SEGMENTER_VERSION}"
    if (
        old is not None
        and old.segments
        and old.source_sha256 == doc.sha256
        and (same_rules or any(store.is_human(s) for s in old.segments))
        and old.source_text() == doc.text
    ):
        out, pos = [], 0
        for seg in old.segments:
            start = pos + len(seg.gap)
            pos = start + len(seg.prefix) + len(seg.source) + len(seg.suffix)
            out.append(Sentence(start=start, end=pos, prefix=seg.prefix, text=seg.source, suffix=seg.suffix, paragraph=seg.paragraph, continued=seg.continued, continues=seg.continues))
        return out
    return segment_document(doc.text, doc.lang)


def _pool(old: store.StoredDocument | None) -> dict[str, list[store.Segment]]:
    """The old file's segments (and orphans) by source text, in order: new sentences take them first come."""
    pool: dict[str, list[store.Segment]] = {}
    for seg in (old.segments + old.orphans) if old else []:
        pool.setdefault(seg.source, []).append(seg)
    return pool


def _merge(plan: _Plan, old: store.StoredDocument | None, glossary: Glossary, jobs: dict[str, _Job], result: DocumentResult, memory: dict[str, str]) -> store.StoredDocument:
    """Build the new stored document from the sentences, the old file and the decoded jobs."""
    sig = plan.engine.signature
    sig_short = _origin(plan.engine)
    pool = _pool(old)
    taken: set[str] = set()
    segments: list[store.Segment] = []
    translated = reused = kept = from_memory = 0
    pos = 0
    cands_of = plan.candidates or [[] for _ in plan.sentences]
    for sent, hits, cands in zip(plan.sentences, plan.hits, cands_of):
        gap = plan.doc.text[pos : sent.start]
        pos = sent.end
        fp = fingerprint(sig_short, sent.text, hits)
        candidates = pool.get(sent.text) or []
        prev = candidates.pop(0) if candidates else None
        if prev is not None and prev.id not in taken:
            sid = prev.id
            taken.add(sid)
        else:
            sid = store.segment_id(sent.prefix, sent.text, sent.suffix, taken)
        base = dict(id=sid, source=sent.text, prefix=sent.prefix, suffix=sent.suffix, gap=gap, paragraph=sent.paragraph, continued=sent.continued, continues=sent.continues)
        base["kind"] = plan.doc.kinds[sent.paragraph] if sent.paragraph < len(plan.doc.kinds) else ""  # .docx/.html block type
        base["conflicts"] = list(prev.conflicts) if prev is not None else []  # imported targets waiting for the reviewer
        if not sent.text:
            segments.append(store.Segment(target="", **base))
            continue
        action = _decide(prev, fp, sent.text, memory)
        if action == "kept":
            assert prev is not None
            status = prev.status if prev.status in store.HUMAN_STATUSES else "edited"
            uses = qa.term_uses(hits, prev.target, "kept", glossary)
            flags = qa.flags_for(sent.text, prev.target, uses, source_lang=plan.doc.lang, is_mt=prev.origin != "copy", candidates=cands, glossary=glossary, human=True)
            segments.append(
                store.Segment(target=prev.target, status=status, mt=prev.mt, origin=prev.origin, fingerprint=prev.fingerprint, terms=uses, flags=flags, note=prev.note, notes=prev.notes, history=prev.history, **base)
            )
            kept += 1
            continue
        if action == "memory":
            target = memory[sent.text]
            uses = qa.term_uses(hits, target, "memory", glossary)
            flags = qa.flags_for(sent.text, target, uses, source_lang=plan.doc.lang, is_mt=True, candidates=cands, glossary=glossary) + ["memory-match"]
            segments.append(
                store.Segment(target=target, status="draft", mt=target, origin="memory", fingerprint=fp, terms=uses, flags=flags, note=prev.note if prev else "", **_kept(prev), **base)
            )
            from_memory += 1
            continue
        if action == "reused":
            assert prev is not None
            flags = qa.flags_for(sent.text, prev.target, prev.terms, source_lang=plan.doc.lang, is_mt=plan.engine.is_mt, candidates=cands, glossary=glossary)
            segments.append(
                store.Segment(target=prev.target, status="draft", mt=prev.mt, origin=prev.origin, fingerprint=fp, terms=prev.terms, flags=flags, note=prev.note, **_kept(prev), **base)
            )
            reused += 1
            continue
        job = jobs[fp]
        assert job.result is not None, "every pending segment is decoded before merging"
        flags = qa.flags_for(sent.text, job.result, job.uses, source_lang=plan.doc.lang, is_mt=plan.engine.is_mt, candidates=cands, glossary=glossary)
        segments.append(
            store.Segment(target=job.result, status="draft", mt=job.result, origin=sig_short, fingerprint=fp, terms=list(job.uses), flags=flags, note=prev.note if prev else "", **_kept(prev), **base)
        )
        translated += 1
    # Human work whose source is gone stays in the file, under `orphans`.
    orphans = [s for segs in pool.values() for s in segs if store.is_human(s)]
    result.translated, result.reused, result.kept, result.orphans = translated, reused, kept, len(orphans)
    result.memory = from_memory
    result.segments = sum(1 for s in segments if s.source)
    signature = {
        **sig.as_dict(),
        "glossary": glossary.hash,
        "segmenter": f"workbench-seg/{SEGMENTER_VERSION}",
        "workbench": __version__,
    }
    signature.update({"scope": list(glossary.scopes)} if glossary.scopes else {})  # translate --scope, kept by later runs
    signature["string"] = _signature_string(plan.engine, glossary)
    return store.StoredDocument(
        document=str(plan.doc.path),
        source_lang=plan.doc.lang,
        target_lang=TARGET_LANG,
        signature=signature,
        segments=segments,
        source_sha256=plan.doc.sha256,
        trailing=plan.doc.text[pos:],
        orphans=orphans,
    )


def _kept(prev: store.Segment | None) -> dict[str, list]:  # type: ignore[type-arg]
    """A segment's notes and history go with it into the new file, whatever happens to its draft."""
    return {"notes": list(prev.notes), "history": list(prev.history)} if prev is not None else {}


def _origin(engine: Engine) -> str:
    sig = engine.signature
    return f"{sig.engine}:{sig.model}@{sig.model_version}" if sig.model else sig.engine


def _pending(plan: _Plan, old: store.StoredDocument | None, jobs: dict[str, _Job], memory: dict[str, str]) -> list[str]:
    """Fingerprints of this document's segments that need decoding (adds them to ``jobs``)."""
    sig_short = _origin(plan.engine)
    pool = _pool(old)
    need = []
    for sent, hits in zip(plan.sentences, plan.hits):
        if not sent.text:
            continue
        candidates = pool.get(sent.text) or []
        prev = candidates.pop(0) if candidates else None
        fp = fingerprint(sig_short, sent.text, hits)
        if _decide(prev, fp, sent.text, memory) != "decode":
            continue
        if fp not in jobs:
            jobs[fp] = _Job(text=sent.text, hits=hits)
            need.append(fp)
    return need


# ---------------------------------------------------------------- the run


def find_hits(glossary: Glossary, texts: list[str], lang: str) -> tuple[list[list[Hit]], list[list[str]]]:
    """Per text: the hits to apply (glossary terms, non-translatables and auto-translatables
    -- dates, amounts, session ordinals -- where no term is) and the term ids of doubtful
    glossary hits (candidates: shown and counted, never inserted)."""
    if lang == TARGET_LANG:
        return [[] for _ in texts], [[] for _ in texts]
    hits, cands = glossary.match_all(texts, lang)
    return [with_auto(t, h, lang) for t, h in zip(texts, hits)], [list(dict.fromkeys(c.term_id for c in cs)) for cs in cands]


def with_auto(text: str, hits: list[Hit], lang: str) -> list[Hit]:
    """``hits`` plus the auto-translatables of ``text`` that overlap none of them (kind ``auto``)."""
    autos = autotrans.find(text, lang)
    if not autos:
        return hits
    from bisect import bisect_left

    starts = [h.start for h in hits]  # hits are sorted and disjoint
    dropped: set[int] = set()
    extra: list[Hit] = []
    for a in autos:
        i = bisect_left(starts, a.start)
        if i > 0 and hits[i - 1].end > a.start:
            i -= 1
        over = []
        while i < len(hits) and hits[i].start < a.end:
            over.append(i)
            i += 1
        # a longer auto-translatable that holds whole terms wins ("第47届联合国代表大会" is one session)
        if over and not all(hits[k].kind == "term" and a.start <= hits[k].start and hits[k].end <= a.end and hits[k].end - hits[k].start < a.end - a.start for k in over):
            continue
        dropped.update(over)
        extra.append(Hit(a.start, a.end, a.surface, a.en, None, "auto"))
    if not extra:
        return hits
    kept = [h for k, h in enumerate(hits) if k not in dropped]
    return sorted([*kept, *extra], key=lambda h: h.start)


def load_glossary(path: Path | None) -> tuple[Glossary, list[str]]:
    """The glossary at ``path`` (default ./glossary.yaml; missing default = empty, with a notice)."""
    if path is None:
        if DEFAULT_GLOSSARY.exists():
            return Glossary.load(DEFAULT_GLOSSARY), []
        return Glossary.empty(), [f"no {DEFAULT_GLOSSARY} here; translating without a glossary"]
    return Glossary.load(path), []


def translate_documents(
    paths: list[str | Path],
    *,
    out_dir: Path = Path("translations"),
    engine: str = "auto",
    glossary_path: Path | None = None,
    lang: str | None = None,
    encoding: str | None = None,
    download: bool = True,
    index_url: str | None = None,
    engine_options: dict[str, object] | None = None,
    notify: Notify = lambda _m: None,
    progress: ProgressFn | None = None,
    download_progress: Callable[[int, int | None], None] | None = None,
    scopes: Sequence[str] | None = None,
    executor: object | None = None,
) -> RunResult:
    """Translate every document in ``paths`` into ``out_dir``, keeping human edits. ``scopes``
    (UN, ASEAN, CICA, mainland, Taiwan; ``all``: every entry) narrows the glossary and is stored
    in the documents' signatures; ``None`` keeps each document's stored scopes.

    ``executor``: decode elsewhere, e.g. a ``workbench.cluster.RayExecutor`` (its ``wrap(engine,
    engine_options)`` gives the engine to use); the store is written here as always."""
    from filelock import FileLock, Timeout

    chosen_scopes = None if scopes is None else glossary_model.parse_scopes(scopes)  # bad names fail before anything is read
    hidden: list[Path] = []
    files = discover(paths, hidden)
    docs = []
    early: dict[str, Engine | None] = {}  # models start loading as soon as a document needs them
    for p in files:
        docs.append(read_document(p, lang, encoding))
        if docs[-1].lang not in early:
            early[docs[-1].lang] = _preloaded(docs[-1].lang, engine, engine_options)
    glossary, notices = load_glossary(glossary_path)
    notices += [f"skipped {h}: a name starting with a dot is a hidden file, not a document; rename it without the dot to translate it" for h in hidden]
    for n in notices:
        notify(n)
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(out_dir / ".workbench.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise LockError(f"another workbench run is writing {out_dir}/ (lock {out_dir / '.workbench.lock'}); wait for it to finish and run again") from None
    try:
        return _run(docs, glossary, out_dir, engine, download, index_url, engine_options, notify, progress, download_progress, notices, chosen_scopes, executor, early)
    finally:
        lock.release()


def _preloaded(lang: str, requested: str, engine_options: dict[str, object] | None) -> Engine | None:
    """The installed Argos engine ``choose_engine`` will pick for ``lang``, its model already
    loading in the background (None when there is none to load: copy, en, no package)."""
    if lang == TARGET_LANG or requested not in ("auto", "argos"):
        return None
    try:
        engine = engines.create("argos", source_lang=lang, **dict(engine_options or {}))
    except EngineError:
        return None  # choose_engine says why (or falls back), in order
    getattr(engine, "preload", lambda: None)()
    return engine


def _run(docs, glossary, out_dir, engine_name, download, index_url, engine_options, notify, progress, download_progress, notices, scopes=None, executor=None, early=None) -> RunResult:  # type: ignore[no-untyped-def]
    def note(msg: str) -> None:
        notices.append(msg)
        notify(msg)

    def glossary_for(stored: tuple[str, ...]) -> Glossary:  # the run's scopes, else the document's
        key = stored if scopes is None else scopes
        return glossary.scoped(key) if key else glossary

    # Everything that can fail on bad input fails here, before any download or write.
    # The project index says which translations files are unchanged since they were last read:
    # a document whose source, glossary and engine are the ones its file was made with is not
    # read, planned or written again (a nothing-changed re-run reads no YAML).
    from workbench.index import open_index
    from workbench.reviewed import memory as reviewed_memory

    idx = open_index(out_dir)
    entries = {e.stem: e for e in idx.documents()}
    paths = [store.path_for(out_dir, doc.name) for doc in docs]
    errors: list[str] = []
    keep: list[int] = []
    olds: list[store.StoredDocument | None] = []
    digests: list[str | None] = []
    maybe_same: set[int] = set()
    for i, (doc, path) in enumerate(zip(docs, paths)):
        entry = entries.get(path.stem)
        if entry is not None and entry.error is not None and path.exists():
            errors.append(entry.error)
            continue
        keep.append(i)
        doc_glossary = glossary_for(store.signature_scopes(entry.summary.get("signature")) if entry is not None else ())
        if entry is not None and entry.summary.get("source_sha256") == doc.sha256 and entry.summary.get("glossary") == doc_glossary.hash and _index_current(idx, path):
            maybe_same.add(i)
            olds.append(None)
            digests.append(None)
            continue
        try:
            digests.append(store.file_digest(path))
            olds.append(store.load(path))
        except WorkbenchError as exc:
            keep.pop()
            errors.append(str(exc).splitlines()[0])
    docs = [docs[i] for i in keep]
    paths = [paths[i] for i in keep]
    maybe_same = {keep.index(i) for i in maybe_same}
    memory = reviewed_memory(out_dir, strict=False)  # reviewed targets across all documents (translation memory), from the index
    index = IndexOnce(index_url)
    chosen: dict[str, Engine] = {}
    for lang in dict.fromkeys(d.lang for d in docs):
        preloaded = (early or {}).get(lang)
        chosen[lang] = preloaded if preloaded is not None else choose_engine(
            lang, engine_name, download=download, index=index, engine_options=engine_options, notify=note, download_progress=download_progress
        )
    if executor is not None:  # decoding elsewhere (workbench.cluster): same engines, same store writes
        chosen = {lang: executor.wrap(e, engine_options) for lang, e in chosen.items()}  # type: ignore[attr-defined]
    for chosen_engine in chosen.values():  # load models while the documents are segmented and matched
        getattr(chosen_engine, "preload", lambda: None)()
    results_by: dict[int, DocumentResult] = {}
    for i in sorted(maybe_same):
        doc, path = docs[i], paths[i]
        entry = entries[path.stem]
        if entry.summary.get("signature") == _signature_string(chosen[doc.lang], glossary_for(store.signature_scopes(entry.summary.get("signature")))) and not _memory_would_change(idx, path.stem, memory):
            results_by[i] = _unchanged_result(doc, path, chosen[doc.lang], entry.summary, idx, path.stem, bool(memory))
            continue
        digests[i] = store.file_digest(path)  # the file was indexed without error: it loads
        olds[i] = store.load(path)
    plans: list[_Plan] = []
    plan_olds: list[store.StoredDocument | None] = []
    plan_glossaries: list[Glossary] = []
    for i, (doc, out_path, digest, old) in enumerate(zip(docs, paths, digests, olds)):
        if i in results_by:
            continue
        sentences = _sentences(doc, old)
        doc_glossary = glossary_for(store.signature_scopes(old.signature) if old is not None else ())
        hits, cands = find_hits(doc_glossary, [s.text for s in sentences], doc.lang)
        plans.append(_Plan(doc, sentences, hits, chosen[doc.lang], out_path, digest, cands))
        plan_olds.append(old)
        plan_glossaries.append(doc_glossary)
    olds = plan_olds
    # Decode everything pending, one engine call per language.
    jobs_by_lang: dict[str, dict[str, _Job]] = {lang: {} for lang in chosen}
    for plan, old in zip(plans, olds):
        _pending(plan, old, jobs_by_lang[plan.doc.lang], memory)
    total = sum(len(j) for j in jobs_by_lang.values())
    tick = (lambda n: progress(n, total)) if progress else None
    for lang, jobs in jobs_by_lang.items():
        run_jobs(chosen[lang], list(jobs.values()), tick, glossary)
    written = iter([_write(plan, old, g, jobs_by_lang[plan.doc.lang], memory, idx) for plan, old, g in zip(plans, olds, plan_glossaries)])
    results = [results_by[i] if i in results_by else next(written) for i in range(len(docs))]
    return RunResult(documents=results, notices=notices, glossary_hash=glossary.hash, errors=errors)


def _index_current(idx, path: Path) -> bool:  # type: ignore[no-untyped-def]
    """Is the index's record of this translations file the file on disk now (size and mtime)?"""
    state = idx.file_state(path.stem)
    if state is None:
        return False
    try:
        st = path.stat()
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == (state[0], state[1])


def _signature_string(engine: Engine, glossary: Glossary) -> str:
    sig = engine.signature
    scope = [f"scope:{'+'.join(glossary.scopes)}"] if glossary.scopes else []
    # the draft rules are part of it: a re-run after they change is not taken for "nothing changed"
    return "|".join([sig.short(), f"glossary:{glossary.hash}", *scope, f"seg:{SEGMENTER_VERSION}", f"drafts:{DRAFT_RULES}", f"wb:{__version__}"])


def _memory_would_change(idx, stem: str, memory: dict[str, str]) -> bool:  # type: ignore[no-untyped-def]
    """Would the memory give one of this document's drafts another English now?"""
    if not memory:
        return False
    with idx._lock:
        rows = idx._conn.execute("SELECT source, target, status FROM segs WHERE stem=? AND orphan=0 AND status='draft'", (stem,)).fetchall()
    return any(src in memory and memory[src] != tgt for src, tgt, _st in rows)


def _unchanged_result(doc: Document, path: Path, engine: Engine, summary: dict, idx, stem: str, has_memory: bool = True) -> DocumentResult:  # type: ignore[no-untyped-def, type-arg]
    counts = summary.get("counts", {})
    human = int(counts.get("edited", 0)) + int(counts.get("approved", 0))
    segments = int(summary.get("segments", 0))
    with idx._lock:
        from_memory = 0 if not has_memory else idx._conn.execute(
            "SELECT COUNT(*) FROM segs s WHERE s.stem=? AND s.orphan=0 AND s.status='draft' AND EXISTS (SELECT 1 FROM segs m WHERE m.source = s.source AND m.status IN ('edited','approved'))",
            (stem,),
        ).fetchone()[0]
    return DocumentResult(
        document=str(doc.path), source_lang=doc.lang, engine=engine.name, segments=segments, translated=0,
        reused=segments - human - from_memory, kept=human, memory=from_memory, output=str(path), written=False,
        orphans=int(summary.get("orphans", 0)), machine_translated=engine.is_mt or doc.lang == TARGET_LANG, signature=str(summary.get("signature", "")),
    )


def _replan(plan: _Plan, old: store.StoredDocument | None, glossary: Glossary) -> None:
    """Segment ``plan``'s document again against ``old`` (the file as it is now on disk)."""
    plan.sentences = _sentences(plan.doc, old)
    plan.hits, plan.candidates = find_hits(glossary, [s.text for s in plan.sentences], plan.doc.lang)


def _write(plan: _Plan, old: store.StoredDocument | None, glossary: Glossary, jobs: dict[str, _Job], memory: dict[str, str], idx=None) -> DocumentResult:  # type: ignore[no-untyped-def]
    """Merge and write one document; if someone saved the file meanwhile, merge again with theirs."""
    result = DocumentResult(
        document=str(plan.doc.path),
        source_lang=plan.doc.lang,
        engine=plan.engine.name,
        segments=0,
        translated=0,
        reused=0,
        kept=0,
        output=str(plan.out_path),
        machine_translated=plan.engine.is_mt or plan.doc.lang == TARGET_LANG,
    )
    digest = plan.digest
    from workbench.reviewed import file_lock

    for _attempt in range(10):
        new = _merge(plan, old, glossary, jobs, result, memory)
        # the same short per-file lock the review page and `review` commands take to save
        with file_lock(plan.out_path.parent, plan.out_path.stem):
            if store.file_digest(plan.out_path) == digest:
                text = store.dumps(new)
                try:
                    same = plan.out_path.read_text(encoding="utf-8") == text
                except (FileNotFoundError, UnicodeDecodeError):
                    same = False
                if not same:
                    store.atomic_write_text(plan.out_path, text)
                result.written = not same
                result.signature = str(new.signature.get("string", ""))
                if idx is not None:
                    try:
                        idx.saved(plan.out_path.stem, new, plan.out_path, text)
                    except WorkbenchError:  # the index is a cache: the next command re-reads the file
                        pass
                return result
            digest = store.file_digest(plan.out_path)  # a reviewer saved meanwhile: merge with that
            old = store.load(plan.out_path)
        # Whatever the reviewer saved wins, their segmentation included: the sentences were planned
        # from the file as it was, so a split or merge saved since would not match them, and the
        # reviewer's segments would go to `orphans` with a fresh draft of the old sentence in their place.
        _replan(plan, old, glossary)
        fresh = [jobs[fp] for fp in _pending(plan, old, jobs, memory)]
        run_jobs(plan.engine, fresh, glossary=glossary)
    raise WorkbenchError(f"{plan.out_path}: the file kept changing while it was being written; run translate again")
