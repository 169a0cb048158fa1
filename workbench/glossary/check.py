"""``glossary check`` and the impact of a glossary change on translations/."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench import store
from workbench.glossary.core import Glossary
from workbench.glossary.text import contains_term

# --------------------------------------------------------------------------
# Impact of a change on translations/
# --------------------------------------------------------------------------


def _docs(out_dir: Path, docs: list[str] | None) -> list[tuple[Path, store.StoredDocument]]:
    out = []
    for p in store.list_files(out_dir, docs):
        d = store.load(p)
        if d is not None:
            out.append((p, d))
    return out


@dataclass
class Impact:
    """How a glossary change affects the segments in translations/."""

    drafts: int = 0  # draft segments whose glossary hits change (translate re-translates exactly these)
    draft_documents: int = 0
    human_violations: int = 0  # edited/approved segments that newly miss a glossary term
    human_documents: int = 0
    examples: list[str] = field(default_factory=list)  # "doc:segment" of the human violations
    no_translations: bool = False

    def message(self) -> str:
        if self.no_translations:
            return "no translations yet; `workbench translate` will apply the glossary"
        docs = lambda n: f"{n} document{'s' if n != 1 else ''}"  # noqa: E731
        if self.drafts:
            msg = f"affects {self.drafts} draft segment{'s' if self.drafts != 1 else ''} in {docs(self.draft_documents)}; run `workbench translate` to update them"
        else:
            msg = "affects no draft segments"
        if self.human_violations:
            msg += (
                f"; {self.human_violations} edited/approved segment{'s' if self.human_violations != 1 else ''} in "
                f"{docs(self.human_documents)} now miss a glossary term (never changed automatically; see `workbench glossary check`)"
            )
        return msg

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _term_hits(g: Glossary, text: str, lang: str) -> list[tuple[int, int, str, str]]:
    return [(h.start, h.end, h.en, h.term_id or "") for h in g.find(text, lang) if h.kind == "term"]


def impact(old: Glossary, new: Glossary, out_dir: Path, docs: list[str] | None = None) -> Impact:
    """Drafts whose glossary hits change (as ``translate``'s fingerprint sees them) and
    human segments that newly violate the glossary."""
    result = Impact()
    if not out_dir.is_dir():
        result.no_translations = True
        return result
    for path, doc in _docs(out_dir, docs):
        if doc.source_lang == "en":
            continue
        d_hit = h_hit = False
        for seg in doc.segments:
            if not seg.source:
                continue
            before = _term_hits(old, seg.source, doc.source_lang)
            after = _term_hits(new, seg.source, doc.source_lang)
            if before == after:
                continue
            if not store.is_human(seg):
                result.drafts += 1
                d_hit = True
                continue
            was = {(s, e, t) for s, e, _en, t in before if not contains_term(seg.target, old.term(t))}
            now = [(s, e, t) for s, e, _en, t in after if not contains_term(seg.target, new.term(t))]
            if any(x not in was for x in now):
                result.human_violations += 1
                h_hit = True
                if len(result.examples) < 5:
                    result.examples.append(f"{path.stem}:{seg.id}")
        result.draft_documents += d_hit
        result.human_documents += h_hit
    return result


# --------------------------------------------------------------------------
# check: is every glossary hit's English term in the target?
# --------------------------------------------------------------------------


@dataclass
class Violation:
    document: str
    segment: str
    status: str  # draft / edited / approved
    term: str
    en: str
    source: str  # the source surface form

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DocumentCheck:
    document: str
    file: str
    source_lang: str
    segments: int = 0  # segments with at least one glossary hit
    uses: int = 0  # glossary hits checked
    untranslated: int = 0  # segments with hits but an empty target (not counted as violations)
    missing: dict[str, int] = field(default_factory=lambda: {s: 0 for s in store.STATUSES})  # segments by status
    violations: list[Violation] = field(default_factory=list)
    #: missing terms a reviewer dismissed (``review dismiss``): counted, not open, never fail the gate
    dismissed: list[tuple[Violation, str]] = field(default_factory=list)  # with the reviewer's reason

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["violations"] = [v.as_dict() for v in self.violations]
        d["dismissed"] = [{**v.as_dict(), "reason": r} for v, r in self.dismissed]  # type: ignore[misc]
        return d


@dataclass
class TermCheck:
    term: str
    en: str
    uses: int = 0
    missing: dict[str, int] = field(default_factory=lambda: {s: 0 for s in store.STATUSES})
    dismissed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckReport:
    glossary: str
    documents: list[DocumentCheck]
    terms: list[TermCheck]

    @property
    def missing(self) -> dict[str, int]:
        out = {s: 0 for s in store.STATUSES}
        for d in self.documents:
            for k, v in d.missing.items():
                out[k] += v
        return out

    @property
    def dismissed(self) -> int:
        """Missing terms a reviewer dismissed with a reason (not open)."""
        return sum(len(d.dismissed) for d in self.documents)

    @property
    def ok(self) -> bool:
        """False when an approved segment violates the glossary (a release gate)."""
        return self.missing["approved"] == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "glossary": self.glossary,
            "ok": self.ok,
            "missing": self.missing,
            "dismissed": self.dismissed,
            "documents": [d.as_dict() for d in self.documents],
            "terms": [t.as_dict() for t in self.terms],
        }


def check(glossary: Glossary, out_dir: Path, docs: list[str] | None = None) -> CheckReport:
    """For every glossary hit in a source segment: is the English term (or an accepted
    English variant) in the target?  Counted per document and per term, by status.

    Each document is checked with the glossary scopes it was translated with (its
    signature's ``scope``). A missing term whose ``missing-term:<id>`` flag a reviewer
    dismissed (with a reason) is counted under ``dismissed``, not as open."""
    rows: list[DocumentCheck] = []
    terms: dict[str, TermCheck] = {}
    for path, doc in _docs(out_dir, docs):
        dc = DocumentCheck(doc.document, str(path), doc.source_lang)
        rows.append(dc)
        if doc.source_lang == "en":
            continue
        scopes = store.signature_scopes(doc.signature)
        g = glossary.scoped(scopes) if scopes else glossary
        for seg in doc.segments:
            if not seg.source:
                continue
            hits = [h for h in g.find(seg.source, doc.source_lang) if h.kind == "term" and h.term_id]
            if not hits:
                continue
            dc.segments += 1
            if not seg.target.strip():
                dc.untranslated += 1
                continue
            bad = False
            for h in hits:
                term = glossary.term(h.term_id)  # type: ignore[arg-type]
                tc = terms.setdefault(term.id, TermCheck(term.id, term.en))
                tc.uses += 1
                dc.uses += 1
                if not contains_term(seg.target, term):
                    v = Violation(path.stem, seg.id, seg.status, term.id, term.en, h.surface)
                    reason = seg.dismissed.get(f"missing-term:{term.id}")
                    if reason is not None:
                        tc.dismissed += 1
                        dc.dismissed.append((v, reason))
                        continue
                    tc.missing[seg.status] += 1
                    dc.violations.append(v)
                    bad = True
            if bad:
                dc.missing[seg.status] += 1
    order = {t.id: i for i, t in enumerate(glossary.terms)}
    return CheckReport(str(glossary.path or ""), rows, sorted(terms.values(), key=lambda t: order.get(t.term, 0)))


