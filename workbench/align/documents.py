"""Document mode: segment both documents, machine-translate the source as a bridge, align, store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from workbench import align as _align
from workbench.align import ALIGNER, AlignParams
from workbench import store
from workbench.errors import InputError


@dataclass
class AlignResult:
    """What ``workbench align`` did to one document pair (its JSON summary)."""

    document: str
    translation: str
    source_lang: str
    target_lang: str
    engine: str
    bridged: bool
    output: str
    source_sentences: int
    target_sentences: int
    beads: dict[str, int]
    segments: int
    mean_confidence: float
    written: bool = True

    def as_dict(self) -> dict[str, object]:
        from dataclasses import asdict

        return asdict(self)


def align_documents(
    source: str | Path,
    translation: str | Path,
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
    engine: str = "auto",
    glossary_path: Path | None = None,
    out_dir: Path = Path("translations"),
    download: bool = True,
    index_url: str | None = None,
    notify: Callable[[str], None] = lambda _m: None,
    params: AlignParams | None = None,
) -> AlignResult:
    """Segment both documents, machine-translate the source as a bridge, align, store.

    The stored segments carry the human translation as ``target``, the bridge MT as
    ``mt``, status ``draft`` and the bead's ``confidence``. A
    translations file that already holds edited/approved segments is never overwritten.
    """
    from workbench import __version__, store
    from workbench.ingest import read_document
    from workbench.qa import flags_for, term_uses
    from workbench.segment import SEGMENTER_VERSION, segment_document, sentence_units
    from workbench.translate import TARGET_LANG, _Job, _origin, choose_engine, load_glossary, run_jobs
    from workbench.errors import StoreError

    src_doc = read_document(source, source_lang)
    tgt_doc = read_document(translation, target_lang)
    out_path = store.path_for(out_dir, src_doc.name)
    digest = store.file_digest(out_path)
    old = store.load(out_path)
    if old is not None:
        human = sum(1 for s in old.segments + old.orphans if s.status in store.HUMAN_STATUSES)
        if human:
            raise StoreError(f"{out_path}: holds {human} edited/approved segments that align would overwrite; write elsewhere with --translations DIR (nothing was written)")
    glossary, notices = load_glossary(glossary_path)
    for n in notices:
        notify(n)
    all_src = segment_document(src_doc.text, src_doc.lang)
    src_sents = [s for s in all_src if s.text]
    labels = [s for s in all_src if not s.text]  # label-only lines ("1."): own empty segments, as in translate
    tgt_sents = [s for s in segment_document(tgt_doc.text, tgt_doc.lang) if s.text]
    if not src_sents:
        raise InputError(f"{source}: no sentences to align")
    if not tgt_sents:
        raise InputError(f"{translation}: no sentences to align")
    # A sentence broken across a page break (parts marked continued/continues, footnotes between) is aligned
    # as one unit; its parts stay their own segments (the document is rebuilt from segments in order).
    src_units = sentence_units(src_sents, src_doc.lang)
    tgt_units = sentence_units(tgt_sents, tgt_doc.lang)
    src_texts = [t for _, t in src_units]
    tgt_texts = [t for _, t in tgt_units]
    src_hits = glossary.find_all(src_texts, src_doc.lang)
    tgt_hits = glossary.find_all(tgt_texts, tgt_doc.lang)
    # The bridge: MT of the source into the translation's language (engines translate into English).
    eng = None
    bridge: list[str] | None = None
    if src_doc.lang == tgt_doc.lang:
        bridge = list(src_texts)
    elif tgt_doc.lang == TARGET_LANG:
        from workbench.translate import IndexOnce

        eng = choose_engine(src_doc.lang, engine, download=download, index=IndexOnce(index_url), notify=notify)
        if eng.is_mt:
            jobs: dict[str, _Job] = {}
            for t, h in zip(src_texts, src_hits):
                jobs.setdefault(t, _Job(text=t, hits=h))
            run_jobs(eng, list(jobs.values()), glossary=glossary)
            bridge = [jobs[t].result or "" for t in src_texts]
    else:
        notify(f"no machine translation into {tgt_doc.lang}; aligning on length, numbers and glossary terms only")
    anchors = lambda hits: [h.term_id or h.surface for h in hits]  # noqa: E731
    beads = _align.align_sentences(
        src_texts,
        tgt_texts,
        bridge,
        src_anchors=[anchors(h) for h in src_hits],
        tgt_anchors=[anchors(h) for h in tgt_hits],
        params=params,
    )
    joiner = "" if tgt_doc.lang.startswith("zh") else " "
    origin = _origin(eng) if eng is not None else ("identity" if bridge is not None else "none")
    mt_is_real = bridge is not None and eng is not None
    # Target sentences of 0-1 beads join the previous segment (or the next, at the start).
    extra: dict[int, list[int]] = {}
    owner = None
    pending: list[int] = []
    for n, b in enumerate(beads):
        if b.src:
            owner = n
            if pending:
                extra.setdefault(n, []).extend(pending)
                pending = []
        elif owner is None:
            pending.extend(b.tgt)
        else:
            extra.setdefault(owner, []).extend(b.tgt)
    segments: list[store.Segment] = []
    taken: set[str] = set()
    pos = 0
    counts: dict[str, int] = {}
    confs: list[float] = []
    li = 0

    def emit_labels(before: int) -> None:
        nonlocal li, pos
        while li < len(labels) and labels[li].start < before:
            lab = labels[li]
            li += 1
            if lab.start < pos:
                continue  # inside a multi-sentence bead's span
            sid = store.segment_id(lab.prefix, "", lab.suffix, taken)
            segments.append(store.Segment(id=sid, source="", target="", prefix=lab.prefix, suffix=lab.suffix, gap=src_doc.text[pos : lab.start], paragraph=lab.paragraph))
            pos = lab.end

    # Each bead becomes one segment per run of consecutive source sentences (more than one only when a
    # page-broken sentence's parts have footnotes between them); emitted in document order.
    pieces: list[tuple[int, list[int], int, int, int]] = []  # (first sentence, run, bead, part number, parts)
    for n, b in enumerate(beads):
        kind = f"{len(b.src)}-{len(b.tgt)}"
        counts[kind] = counts.get(kind, 0) + 1
        if not b.src:
            continue
        confs.append(b.confidence)
        runs = _runs(sorted(i for u in b.src for i in src_units[u][0]))
        pieces += [(run[0], run, n, q, len(runs)) for q, run in enumerate(runs)]
    for _first, run, n, q, parts in sorted(pieces):
        b = beads[n]
        first, last = src_sents[run[0]], src_sents[run[-1]]
        emit_labels(first.start)
        start = first.start + len(first.prefix)
        end = last.end - len(last.suffix)
        text = src_doc.text[start:end]
        gap = src_doc.text[pos : first.start]
        pos = last.end
        if q == 0:  # the bead's target, MT and checks go with its first part
            tgt_ids = sorted(set(b.tgt) | set(extra.get(n, [])))
            target = joiner.join(tgt_texts[j] for j in tgt_ids)
            mt = joiner.join(bridge[i] for i in b.src) if mt_is_real and bridge is not None else None
            whole = joiner.join(src_texts[u] for u in b.src) if parts > 1 else text
            hits = glossary.find(whole, src_doc.lang)
            uses = term_uses(hits, target, "kept", glossary) if tgt_doc.lang == TARGET_LANG else []
            flags = flags_for(whole, target, uses, source_lang=src_doc.lang, is_mt=True) if tgt_doc.lang == TARGET_LANG else []
            if extra.get(n):
                flags.append("align-extra-target")
            if not b.tgt:
                flags.append("align-unaligned")
        else:  # a later part of a page-broken sentence: its translation is in the first part
            target, mt, uses, flags = "", None, [], []
        sid = store.segment_id(first.prefix, text, last.suffix, taken)
        segments.append(
            store.Segment(
                id=sid, source=text, target=target, status="draft", mt=mt, prefix=first.prefix, suffix=last.suffix,
                gap=gap, paragraph=first.paragraph, origin=origin, fingerprint="", terms=uses, flags=flags, confidence=round(b.confidence, 3),
                continued=q < parts - 1, continues=q > 0,
            )
        )
    emit_labels(len(src_doc.text) + 1)
    sig_base = eng.signature.as_dict() if eng is not None else {"engine": "none" if bridge is None else "identity", "model": None, "model_version": None}
    signature = {
        **sig_base,
        "aligner": ALIGNER,
        "reference": str(translation),
        "reference_sha256": tgt_doc.sha256,
        "glossary": glossary.hash,
        "segmenter": f"workbench-seg/{SEGMENTER_VERSION}",
        "workbench": __version__,
    }
    short = eng.signature.short() if eng is not None else f"engine:{sig_base['engine']}|model:none"
    signature["string"] = "|".join([short, f"aligner:{ALIGNER}", f"glossary:{glossary.hash}", f"seg:{SEGMENTER_VERSION}", f"wb:{__version__}"])
    doc = store.StoredDocument(
        document=str(source),
        source_lang=src_doc.lang,
        target_lang=tgt_doc.lang,
        signature=signature,
        segments=segments,
        source_sha256=src_doc.sha256,
        trailing=src_doc.text[pos:],
    )
    from workbench.review import file_lock

    out_dir.mkdir(parents=True, exist_ok=True)
    # the per-file lock every writer takes; a review saved while we aligned is never overwritten
    with file_lock(out_dir, out_path.stem):
        now = store.load(out_path) if store.file_digest(out_path) != digest else old  # an invalid file is refused, not overwritten
        lost = would_lose(now, segments) if now is not None else 0
        if lost and now is not old:
            raise StoreError(
                f"{out_path}: {lost} segments were edited or approved while align ran, and align would overwrite them; "
                "write elsewhere with --translations DIR (nothing was written)"
            )
        if lost:
            raise StoreError(
                f"{out_path}: holds {lost} segments edited by a person (a target that differs from its machine draft, or a note) "
                "that align would overwrite; write elsewhere with --translations DIR (nothing was written)"
            )
        written = store.save(doc, out_path)
    return AlignResult(
        document=str(source),
        translation=str(translation),
        source_lang=src_doc.lang,
        target_lang=tgt_doc.lang,
        engine=str(sig_base.get("engine")),
        bridged=mt_is_real,
        output=str(out_path),
        source_sentences=len(src_sents),
        target_sentences=len(tgt_sents),
        beads=dict(sorted(counts.items())),
        segments=sum(1 for s in segments if s.source),
        mean_confidence=round(sum(confs) / len(confs), 3) if confs else 0.0,
        written=written,
    )


def _runs(idx: list[int]) -> list[list[int]]:
    """Sorted indices cut into runs of consecutive numbers ([3, 4, 7] -> [[3, 4], [7]])."""
    out: list[list[int]] = []
    for i in idx:
        if out and i == out[-1][-1] + 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def would_lose(old: "store.StoredDocument", new: list["store.Segment"]) -> int:
    """How many of ``old``'s human-touched segments (``store.is_human`` or a note) ``new`` does not keep as they are.

    A segment is kept when ``new`` has one with the same id, source, target, status and
    note (re-running align on the same pair rewrites nothing a person made).
    """
    fresh = {(s.id, s.source, s.target, s.status, s.note) for s in new}
    return sum(
        1
        for s in old.segments + old.orphans
        if (store.is_human(s) or s.note) and (s.id, s.source, s.target, s.status, s.note) not in fresh
    )
