"""Evaluate machine drafts with sacrebleu: BLEU, chrF++ and TER, per document and corpus.

    report = evaluate_documents([], out_dir=Path("translations"))
    report.corpus.bleu, report.signatures["bleu"]

References are, per document, the targets of segments a reviewer edited or approved
(hypothesis = the segment's ``mt``): HTER-style, how much reviewers had to change.
With ``reference=FILE`` (one document), the plain-text human translation is aligned
to the document's sources (bridge = the drafts) and each draft bead is scored
against the aligned reference text; unaligned sentences are counted, not scored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from workbench import store
from workbench.errors import InputError, StoreError


@dataclass
class Scores:
    """Corpus-level scores of some (hypothesis, reference) pairs; None when there are none."""

    pairs: int = 0
    bleu: float | None = None
    chrf: float | None = None  # chrF++ (word_order=2)
    ter: float | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class DocumentEval:
    document: str
    file: str
    references: str  # "reviewed" or the reference file
    scores: Scores
    by_status: dict[str, int]
    terms_total: int
    terms_applied: int
    unaligned: int = 0

    @property
    def term_accuracy(self) -> float | None:
        return self.terms_applied / self.terms_total if self.terms_total else None

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["term_accuracy"] = self.term_accuracy
        return d


@dataclass
class EvalReport:
    documents: list[DocumentEval]
    corpus: Scores
    by_status: dict[str, int]
    terms_total: int
    terms_applied: int
    signatures: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": [d.as_dict() for d in self.documents],
            "corpus": {**self.corpus.as_dict(), "by_status": self.by_status, "terms_total": self.terms_total, "terms_applied": self.terms_applied, "term_accuracy": self.terms_applied / self.terms_total if self.terms_total else None},
            "signatures": self.signatures,
        }


def _metrics(target_lang: str):  # type: ignore[no-untyped-def]
    from sacrebleu.metrics import BLEU, CHRF, TER

    tok = "zh" if target_lang.startswith("zh") else "13a"
    return BLEU(tokenize=tok), CHRF(word_order=2), TER(asian_support=target_lang.startswith("zh"))


def score_pairs(hyps: list[str], refs: list[str], target_lang: str = "en") -> tuple[Scores, dict[str, str]]:
    """Corpus BLEU, chrF++ and TER of ``hyps`` against ``refs`` (one reference each), and signatures."""
    bleu, chrf, ter = _metrics(target_lang)
    if not hyps:
        for metric in (bleu, chrf, ter):  # a signature needs one scoring call (it records nrefs)
            metric.corpus_score(["x"], [["x"]])
        return Scores(), _signatures(bleu, chrf, ter)
    scores = Scores(
        pairs=len(hyps),
        bleu=round(bleu.corpus_score(hyps, [refs]).score, 2),
        chrf=round(chrf.corpus_score(hyps, [refs]).score, 2),
        ter=round(ter.corpus_score(hyps, [refs]).score, 2),
    )
    return scores, _signatures(bleu, chrf, ter)


def _signatures(bleu, chrf, ter) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"bleu": str(bleu.get_signature()), "chrf": str(chrf.get_signature()), "ter": str(ter.get_signature())}


def is_machine_draft(seg: store.Segment) -> bool:
    """Did an MT engine write this segment's ``mt``? (not the copy engine, not translation memory)"""
    return seg.mt is not None and seg.origin not in ("", "copy") and not seg.origin.startswith("memory")


def reviewed_pairs(doc: store.StoredDocument) -> tuple[list[str], list[str]]:
    """(mt, target) of segments a person edited or approved."""
    hyps, refs = [], []
    for seg in doc.segments:
        if seg.source and seg.status in store.HUMAN_STATUSES and is_machine_draft(seg):
            hyps.append(seg.mt)
            refs.append(seg.target)
    return hyps, refs


def reference_pairs(doc: store.StoredDocument, reference: Path) -> tuple[list[str], list[str], int]:
    """Align a plain-text reference translation to ``doc``'s segments; (drafts, reference texts, unaligned).

    Only segments with a machine draft (``mt``) are scored; the drafts are the alignment's bridge.
    """
    from workbench.align import align_sentences
    from workbench.ingest import read_document
    from workbench.segment import segment_document

    ref_doc = read_document(reference, doc.target_lang if doc.target_lang else None)
    ref_sents = [s.text for s in segment_document(ref_doc.text, ref_doc.lang) if s.text]
    segs = [s for s in doc.segments if s.source]
    if not ref_sents:
        raise InputError(f"{reference}: no sentences to score against")
    drafts = [s.mt or "" for s in segs]
    has_mt = [is_machine_draft(s) for s in segs]
    beads = align_sentences([s.source for s in segs], ref_sents, drafts if any(has_mt) else None)
    joiner = "" if ref_doc.lang.startswith("zh") else " "
    hyps, refs, unaligned = [], [], 0
    for b in beads:
        if b.src and b.tgt and all(has_mt[i] for i in b.src):
            hyps.append(joiner.join(drafts[i] for i in b.src))
            refs.append(joiner.join(ref_sents[j] for j in b.tgt))
        else:
            unaligned += len(b.src) + len(b.tgt)
    return hyps, refs, unaligned


#: Reference files read as translation units (source + target) rather than as plain text.
UNIT_FILES = (".tmx", ".xlf", ".xliff")


def unit_reference(path: Path) -> dict[str, str]:
    """A TMX or XLIFF file as {source sentence key: reference English} (first target wins)."""
    from workbench.importer import read_units, source_key

    _, units, _ = read_units(path)
    refs: dict[str, str] = {}
    for unit in units:
        if unit.source.strip() and unit.target.strip():
            refs.setdefault(source_key(unit.source), unit.target)
    if not refs:
        raise InputError(f"{path}: no translation units with a target to score against")
    return refs


def unit_pairs(doc: store.StoredDocument, refs: dict[str, str]) -> tuple[list[str], list[str], int]:
    """(drafts, references, unmatched) for the machine drafts whose source the TMX/XLIFF holds."""
    from workbench.importer import source_key

    hyps, out, unmatched = [], [], 0
    for seg in doc.segments:
        if not seg.source or not is_machine_draft(seg):
            continue
        ref = refs.get(source_key(seg.source))
        if ref is None:
            unmatched += 1
        else:
            hyps.append(seg.mt or "")
            out.append(ref)
    return hyps, out, unmatched


def evaluate_documents(docs: list[str], *, out_dir: Path = Path("translations"), reference: Path | None = None) -> EvalReport:
    """Score every translations file of ``docs`` (all of ``out_dir`` if empty).

    ``reference``: a plain-text human translation of one document (aligned to it), or a TMX /
    XLIFF file whose units are matched to the segments by source text (any number of documents).
    """
    files = store.list_files(out_dir, docs or None)
    units = unit_reference(reference) if reference is not None and reference.suffix.lower() in UNIT_FILES else None
    if reference is not None and units is None and len(files) != 1:
        raise InputError(f"--reference scores one document, but {len(files)} were selected; name the document: workbench evaluate DOC --reference {reference}")
    if not files:
        raise StoreError(f"{out_dir}: no translations files; run `workbench translate` or `workbench align` first")
    results: list[DocumentEval] = []
    all_h: list[str] = []
    all_r: list[str] = []
    total_status = {s: 0 for s in store.STATUSES}
    terms_total = terms_applied = 0
    sigs: dict[str, str] = {}
    lang = "en"
    for path in files:
        doc = store.load(path)
        assert doc is not None
        lang = doc.target_lang or "en"
        unaligned = 0
        if units is not None:
            hyps, refs, unaligned = unit_pairs(doc, units)
            label = str(reference)
        elif reference is not None:
            hyps, refs, unaligned = reference_pairs(doc, reference)
            label = str(reference)
        else:
            hyps, refs = reviewed_pairs(doc)
            label = "reviewed"
        scores, sigs = score_pairs(hyps, refs, lang)
        all_h += hyps
        all_r += refs
        uses = [t for s in doc.segments if s.source for t in s.terms]
        applied = sum(1 for t in uses if t.applied)
        counts = doc.counts()
        for k, v in counts.items():
            total_status[k] += v
        terms_total += len(uses)
        terms_applied += applied
        results.append(DocumentEval(doc.document, str(path), label, scores, counts, len(uses), applied, unaligned))
    corpus, sigs = score_pairs(all_h, all_r, lang)
    return EvalReport(results, corpus, total_status, terms_total, terms_applied, sigs)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def format_table(report: EvalReport) -> str:
    """A readable table: one row per document, the corpus, then sacrebleu's signatures."""
    head = f"{'document':<28} {'scored':>6} {'BLEU':>6} {'chrF++':>6} {'TER':>6} {'terms':>7} {'draft':>5} {'edited':>6} {'approved':>8}"
    lines = [head, "-" * len(head)]

    def row(name: str, s: Scores, total: int, applied: int, by_status: dict[str, int]) -> str:
        terms = f"{100 * applied / total:.0f}%" if total else "-"
        return (
            f"{name[:28]:<28} {s.pairs:>6} {_fmt(s.bleu):>6} {_fmt(s.chrf):>6} {_fmt(s.ter):>6} {terms:>7} "
            f"{by_status.get('draft', 0):>5} {by_status.get('edited', 0):>6} {by_status.get('approved', 0):>8}"
        )

    for d in report.documents:
        lines.append(row(Path(d.file).stem, d.scores, d.terms_total, d.terms_applied, d.by_status))
    lines.append("-" * len(head))
    lines.append(row("corpus", report.corpus, report.terms_total, report.terms_applied, report.by_status))
    if report.corpus.pairs == 0:
        refs = report.documents[0].references if report.documents else "reviewed"
        lines.append("no scored segments: " + ("edit or approve segments in review first" if refs == "reviewed" else "nothing aligned"))
    unaligned = sum(d.unaligned for d in report.documents)
    if unaligned:
        lines.append(f"{unaligned} sentences without a counterpart in the reference were not scored")
    lines.append("")
    for k, v in report.signatures.items():
        lines.append(f"{ {'bleu': 'BLEU', 'chrf': 'chrF++', 'ter': 'TER'}[k]:<7} {v}")
    return "\n".join(lines)
