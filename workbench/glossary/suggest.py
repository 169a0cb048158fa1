"""``glossary suggest``: candidate terms for a terminologist, ranked."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from workbench import store
from workbench.errors import StoreError
from workbench.glossary.core import Glossary
from workbench.glossary.normalize import match_key, normalize_zh
from workbench.glossary.check import _docs

# --------------------------------------------------------------------------
# suggest: candidate terms for a terminologist
# --------------------------------------------------------------------------


@dataclass
class SourceSegment:
    """One source sentence (and its English side, if any) to mine for terms."""

    document: str
    id: str
    lang: str  # zh-Hans, zh-Hant, vi, en
    source: str
    target: str = ""
    status: str = "draft"

    @property
    def family(self) -> str:
        return "zh" if self.lang.lower().startswith("zh") else self.lang

    @property
    def human(self) -> bool:
        return self.status in store.HUMAN_STATUSES


def load_sources(out_dir: Path, docs: list[str] | None = None) -> list[SourceSegment]:
    """Segments from translations/ (with targets and statuses); a DOC that has no
    translations file but is a source file (or directory) is read and segmented."""
    from workbench.ingest import discover, read_document
    from workbench.segment import segment_document

    out: list[SourceSegment] = []
    if not docs:
        for path, doc in _docs(out_dir, None):
            out.extend(SourceSegment(path.stem, s.id, doc.source_lang, s.source, s.target, s.status) for s in doc.segments if s.source)
        return out
    for d in docs:
        stored = store.path_for(out_dir, store.document_name(d))  # the one naming rule
        if stored.exists() and not Path(d).is_dir():
            doc = store.load(stored)
            assert doc is not None
            out.extend(SourceSegment(stored.stem, s.id, doc.source_lang, s.source, s.target, s.status) for s in doc.segments if s.source)
            continue
        if not Path(d).exists():
            raise StoreError(f"{d}: no translations file {stored} and no such source file; give a document, a stem or a directory")
        for f in discover([d]):
            src = read_document(f)
            for n, sent in enumerate(s for s in segment_document(src.text, src.lang) if s.text):
                out.append(SourceSegment(src.name, f"#{n + 1}", src.lang, sent.text))
    return out


@dataclass
class Suggestion:
    kind: str  # "abbreviation", "repeated" (n-gram), "reviewed" (consistent in human segments)
    lang: str  # "zh" or "vi"
    source: str  # the candidate source term (the full name for an abbreviation)
    short: str | None = None  # the abbreviation seen in parentheses
    frequency: int = 0  # occurrences in the sources (full name + short form)
    examples: list[str] = field(default_factory=list)  # "document:segment"
    english: str | None = None  # the English rendering seen
    english_from: str | None = None  # where it was seen: "source", "3/3 reviewed segments", "glossary"
    note: str | None = None  # e.g. which part the glossary already covers
    score: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("score")
        return d


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ZH_PAREN_RE = re.compile(f"([0-9{_HAN}]{{3,40}})[(（]([^()（）\\n]{{1,120}})[)）]")
_LATIN_ACRONYM_RE = re.compile(r"\(\s*([A-ZĐ][A-Za-zĐđ0-9&.\-]{1,11})\s*\)")
_WORD_RE = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*")
_CLAUSE_RE = re.compile(r"[.;:!?()\[\]\"“”‘’«»\n,，。；：！？、]")
_ZH_EDGE_STOP = set("的了是在和与及或对为以于从把被将并等之其该这此也都而就但又还已向由给让使如即所各每个年月日时来去到着过得地很更最再")
_VI_STOP = {
    "và", "của", "các", "những", "là", "có", "trong", "với", "cho", "được", "để", "tại", "về", "từ", "đã", "sẽ",
    "này", "đó", "một", "không", "theo", "như", "khi", "thì", "mà", "cũng", "đến", "trên", "giữa", "bị", "vì",
    "nhằm", "hơn", "rất", "nhiều", "lại", "ra", "vào", "đang", "nên", "nếu", "hay", "hoặc", "ông", "bà", "đây",
    "nhất", "còn", "sự", "việc", "nhưng", "do", "qua", "lần", "năm", "ngày", "tháng",
}
_EN_STOP = {"of", "and", "the", "for", "on", "in", "to", "a", "an", "at", "by", "with", "from", "as", "or", "is", "are", "was", "be", "that", "this", "its", "their", "it"}
_ACRO_SKIP = {"of", "and", "the", "for", "on", "in", "to", "và", "của", "về", "các"}


def _fold(text: str, fam: str) -> str:
    return match_key(unicodedata.normalize("NFC", text), fam)


def _initial(word: str) -> str:
    c = word[0]
    if c in "Đđ":
        return "đ"
    return unicodedata.normalize("NFD", c)[0].casefold()


def _acronym_name(words: list[str], acronym: str) -> list[str] | None:
    """The words of ``words`` (ending right before the parenthesis) that the acronym abbreviates.

    Letters match word initials in order (Vietnamese: syllables, Đ/đ kept);
    function words may be skipped; up to four trailing words may follow the
    matched ones ("Hội đồng Bảo an Liên Hợp quốc (HĐBA)")."""
    letters = [("đ" if c in "Đđ" else c.casefold()) for c in acronym if c.isalpha()]
    if len(letters) < 2:
        return None
    for start in range(len(words) - 1, -1, -1):
        w0 = words[start]
        if not w0[0].isupper() or _initial(w0) != letters[0]:
            continue
        li, j = 1, start + 1
        while li < len(letters) and j < len(words):
            w = words[j]
            if _initial(w) == letters[li]:
                li += 1
            elif w.casefold() not in _ACRO_SKIP:
                break
            j += 1
        if li == len(letters) and len(words) - j <= 4 and len(words) - start >= 2:
            return words[start:]
    return None


_ZH_NAME_CUT = set("的是在对把被将向给")


def _trim_zh_name(g: Glossary, run: str) -> str:
    """The name at the end of a Han run: a glossary term ending there, else what follows
    the last function character ("当前的2019冠状病毒病" -> "2019冠状病毒病")."""
    for h in g.find(run, "zh"):
        if h.kind == "term" and h.end == len(run):
            return run[h.start :]
    cut = max((i for i, ch in enumerate(run) if normalize_zh(ch) in _ZH_NAME_CUT), default=-1)
    return run[cut + 1 :]


def _en_from_paren(content: str) -> tuple[str | None, str | None]:
    """(English name, acronym) from a parenthesis after a Chinese name."""
    content = content.strip()
    if not re.fullmatch(r"[A-Za-z0-9 ,，.&'’\-]+", content):
        return None, None
    parts = [p.strip() for p in re.split(r"[,，]", content) if p.strip()]
    acronym = None
    if parts and re.fullmatch(r"[A-Z][A-Z0-9\-]{1,11}", parts[-1]):
        acronym = parts.pop()
    name = " ".join(parts) if parts else None
    if name and (len(name.split()) < 2 or not name[0].isupper()):
        name = None
    return name, acronym


def _covered(g: Glossary, text: str, lang: str) -> tuple[float, list[str]]:
    """Share of ``text`` covered by glossary terms, and their English forms."""
    hits = [h for h in g.find(text, lang) if h.kind == "term"]
    covered = sum(h.end - h.start for h in hits)
    return covered / max(1, len(text)), [h.en for h in hits]


def _exact_term(g: Glossary, text: str, lang: str) -> str | None:
    hits = [h for h in g.find(text, lang) if h.kind == "term"]
    if len(hits) == 1 and hits[0].start == 0 and hits[0].end == len(text):
        return hits[0].en
    return None


def _count_occurrences(segments: list[SourceSegment], needle: str, fam: str) -> tuple[int, list[str]]:
    key = _fold(needle, fam)
    latin = fam != "zh"
    rx = re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)") if latin else None
    n = 0
    examples: list[str] = []
    for s in segments:
        if s.family != fam:
            continue
        text = _fold(s.source, fam)
        c = len(rx.findall(text)) if rx else text.count(key)
        if c:
            n += c
            if len(examples) < 2:
                examples.append(f"{s.document}:{s.id}")
    return n, examples


def _common_english(targets: list[str], exclude: list[str]) -> str | None:
    """The longest English phrase every target contains (not a known glossary rendering)."""
    if len(targets) < 2:
        return None
    grams: list[set[tuple[str, ...]]] = []
    surface: dict[tuple[str, ...], str] = {}
    for t in targets:
        words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", t)
        got: set[tuple[str, ...]] = set()
        for n in range(1, 9):
            for i in range(len(words) - n + 1):
                ws = words[i : i + n]
                key = tuple(w.casefold() for w in ws)
                if key[0] in _EN_STOP or key[-1] in _EN_STOP:
                    continue
                if n == 1 and not ws[0][0].isupper():
                    continue
                got.add(key)
                surface.setdefault(key, " ".join(ws))
        grams.append(got)
    common = set.intersection(*grams) if grams else set()
    excl = [e.casefold() for e in exclude]
    common = {c for c in common if not any(" ".join(c) in x or x in " ".join(c) for x in excl)}
    if not common:
        return None
    best = max(common, key=lambda k: (len(k), sum(w[:1].isupper() for w in surface[k].split())))
    return surface[best]


def _human_english(g: Glossary, segments: list[SourceSegment], needle: str, fam: str) -> tuple[str | None, int, int]:
    """English phrase common to the human (edited/approved) targets of segments containing ``needle``."""
    key = _fold(needle, fam)
    human = [s for s in segments if s.family == fam and s.human and s.target.strip() and key in _fold(s.source, fam)]
    if len(human) < 2:
        return None, 0, len(human)
    exclude = [h.en for s in human for h in g.find(s.source, s.lang) if h.kind == "term"]
    en = _common_english([s.target for s in human], exclude)
    return en, (len(human) if en else 0), len(human)


def _abbreviations(g: Glossary, segments: list[SourceSegment]) -> list[Suggestion]:
    found: dict[tuple[str, str], Suggestion] = {}
    for s in segments:
        fam = s.family
        if fam == "zh":
            for m in _ZH_PAREN_RE.finditer(s.source):
                run, content = m.group(1), m.group(2).strip()
                full = short = en = None
                if re.fullmatch(f"[{_HAN}]{{2,6}}", content):
                    for i in range(len(run) - len(content), -1, -1):
                        if run[i] != content[0]:
                            continue
                        it = iter(run[i:])
                        if all(ch in it for ch in content):
                            full, short = run[i:], content
                            break
                else:
                    en, acronym = _en_from_paren(content)
                    run = _trim_zh_name(g, run)
                    if (en or acronym) and len(run) <= 20 and re.search(f"[{_HAN}]", run):
                        full, short = run, acronym
                if not full or len(full) <= len(short or ""):
                    continue
                _add_abbr(found, g, s, "zh", full, short, en)
        elif fam == "vi":
            for m in _LATIN_ACRONYM_RE.finditer(s.source):
                acronym = m.group(1)
                if sum(c.isupper() for c in acronym) < 2:
                    continue
                before = s.source[: m.start()]
                clause = _CLAUSE_RE.split(before)[-1]
                words = _WORD_RE.findall(clause)[-12:]
                name = _acronym_name(words, acronym)
                if name:
                    _add_abbr(found, g, s, "vi", " ".join(name), acronym, None)
    out = []
    for sug in found.values():
        fam = sug.lang
        lang = "zh" if fam == "zh" else "vi"
        full_en = _exact_term(g, sug.source, lang)
        short_en = _exact_term(g, sug.short, lang) if sug.short else None
        acronym = getattr(sug, "english_acronym", None)
        if full_en and (short_en or not sug.short) and (not acronym or _exact_term(g, acronym, "en")):
            continue  # everything already in the glossary
        n_full, ex_full = _count_occurrences_any(g, sug.source, fam)
        n_short, ex_short = _count_occurrences_any(g, sug.short, fam) if sug.short else (0, [])
        sug.frequency = n_full + n_short
        sug.examples = list(dict.fromkeys(sug.examples + ex_full + ex_short))[:2]
        notes = []
        if full_en:
            notes.append(f"the full name is in the glossary as {full_en!r}: add {sug.short!r} to that entry or give it its own (see the abbreviation policy)")
            sug.english = sug.english or full_en
            sug.english_from = sug.english_from or "glossary"
        if short_en:
            notes.append(f"{sug.short!r} is in the glossary as {short_en!r}")
        acronym = getattr(sug, "english_acronym", None)
        if acronym:
            notes.append(f"English acronym seen: {acronym}" + (f" (in the glossary as {_exact_term(g, acronym, 'en')!r})" if _exact_term(g, acronym, "en") else ""))
        sug.note = "; ".join(notes) or None
        if not sug.english:
            en, support, total = _human_english(g, _SEGMENTS_CACHE, sug.source, fam)
            if en:
                sug.english, sug.english_from = en, f"{support}/{total} reviewed segments"
        sug.score = 100 + sug.frequency
        out.append(sug)
    return out


_SEGMENTS_CACHE: list[SourceSegment] = []


def _count_occurrences_any(g: Glossary, needle: str | None, fam: str) -> tuple[int, list[str]]:
    if not needle:
        return 0, []
    return _count_occurrences(_SEGMENTS_CACHE, needle, fam)


def _add_abbr(found: dict[tuple[str, str], Suggestion], g: Glossary, s: SourceSegment, fam: str, full: str, short: str | None, en: str | None) -> None:
    key = (_fold(full, fam), fam)
    sug = found.get(key)
    latin = bool(short) and fam == "zh" and not re.search(f"[{_HAN}]", short or "")
    if sug is None:
        sug = found[key] = Suggestion("abbreviation", fam, full, None if latin else short)
    elif short and not latin and not sug.short:
        sug.short = short
    if latin and short:
        sug.english_acronym = short  # type: ignore[attr-defined]
    if en and not sug.english:
        sug.english, sug.english_from = en, "source (in parentheses)"
    ex = f"{s.document}:{s.id}"
    if ex not in sug.examples:
        sug.examples.append(ex)


def _closed(counts: Counter, candidates: dict, extend: Any) -> dict:
    """Keep candidates no one-unit extension of which occurs as often (maximal n-grams)."""
    out = {}
    for gram, c in candidates.items():
        if any(counts.get(x, 0) >= c for x in extend(gram)):
            continue
        out[gram] = c
    return out


def _zh_ngrams(g: Glossary, segments: list[SourceSegment], min_count: int) -> list[Suggestion]:
    counts: Counter = Counter()
    human: Counter = Counter()
    where: dict[str, list[str]] = defaultdict(list)
    surface: dict[str, str] = {}
    run_re = re.compile(f"[{_HAN}]+")
    for s in segments:
        if s.family != "zh":
            continue
        src = unicodedata.normalize("NFC", s.source)
        folded = _fold(src, "zh")
        seen_here: set[str] = set()
        for m in run_re.finditer(folded):
            run = m.group()
            for n in range(4, 12):
                for i in range(len(run) - n + 1):
                    gram = run[i : i + n]
                    counts[gram] += 1
                    if gram not in surface:
                        surface[gram] = src[m.start() + i : m.start() + i + n]
                    if gram not in seen_here:
                        seen_here.add(gram)
                        if s.human and s.target.strip():
                            human[gram] += 1
                        if len(where[gram]) < 2:
                            where[gram].append(f"{s.document}:{s.id}")
    cands = {k: c for k, c in counts.items() if 4 <= len(k) <= 10 and (c >= min_count or human[k] >= 2)}
    alphabet = {ch for k in cands for ch in k}

    def extend(gram: str) -> Iterable[str]:
        for ch in alphabet:
            yield ch + gram
            yield gram + ch

    # cheaper closedness: look only at counted one-char extensions
    ext_index: dict[str, list[str]] = defaultdict(list)
    for k in counts:
        if 5 <= len(k) <= 11:
            ext_index[k[1:]].append(k)
            ext_index[k[:-1]].append(k)
    cands = _closed(counts, cands, lambda gram: ext_index.get(gram, ()))
    variants = [_fold(v, "zh") for t in g.terms for v in t.variants["zh"]]
    joined = _joined_zh(segments)
    dictionary = _cedict_english(set(cands))
    out = []
    for gram, c in cands.items():
        if gram[0] in _ZH_EDGE_STOP or gram[-1] in _ZH_EDGE_STOP:
            continue
        if any(gram in v for v in variants):
            continue  # a piece of a glossary term
        share, _ens = _covered(g, surface[gram], "zh")
        if share >= 0.5:
            continue
        if gram.endswith(_ZH_HEAD_STOP):
            continue  # "…方面", "…之间": a phrase around a term, not a term
        fragment = _fragment_share(gram, joined)
        if fragment > 0.5:
            continue  # starts or ends inside a word in most of its occurrences: 洲安全与合作, 冲突方面
        sug = Suggestion("repeated", "zh", surface[gram], frequency=c, examples=where[gram][:2])
        en, support, total = _human_english(g, segments, gram, "zh")
        if en:
            sug.english, sug.english_from = en, f"{support}/{total} reviewed segments"
            sug.kind = "reviewed" if c < min_count else sug.kind
        elif c < min_count:
            continue
        if not en and gram in dictionary:
            sug.english, sug.english_from = dictionary[gram], "CC-CEDICT"
        words = _words(gram)
        # a dictionary word, or a phrase of two or three whole words, is a term; a run of many is a clause
        shape = 1.5 if words == 1 else (1.2 if words in (2, 3) else 0.6)
        sug.score = (c * len(gram) / 4) * shape * (1 - fragment) + (20 if en else 0)
        out.append(sug)
    return out


_ZH_HEAD_STOP = ("方面", "之间", "问题", "以来", "期间", "各国", "工作", "领域")


def _joined_zh(segments: list[SourceSegment]) -> str:
    return "\n".join(_fold(unicodedata.normalize("NFC", s.source), "zh") for s in segments if s.family == "zh")


def _fragment_share(gram: str, joined: str, sample: int = 6) -> float:
    """Share of the gram's occurrences whose edges cut a word of the sentence (lexicon verdict)."""
    from workbench.glossary.lexicon import CONTEXT, lexicon

    lex = lexicon()
    seen = doubtful = 0
    pos = joined.find(gram)
    while pos != -1 and seen < sample:
        left = joined[max(0, pos - CONTEXT) : pos].rsplit("\n", 1)[-1]
        right = joined[pos + len(gram) : pos + len(gram) + CONTEXT].split("\n", 1)[0]
        seen += 1
        if lex.doubt(left, gram, right) is not None or lex.cuts_words(left, gram, right):
            doubtful += 1
        pos = joined.find(gram, pos + 1)
    return doubtful / seen if seen else 0.0


def _words(gram: str) -> int:
    """How many lexicon words the best segmentation of ``gram`` has (greedy longest match)."""
    from workbench.glossary.lexicon import MAX_WORD, lexicon

    lex = lexicon()
    i = n = 0
    while i < len(gram):
        j = next((j for j in range(min(len(gram), i + MAX_WORD), i + 1, -1) if gram[i:j] in lex), i + 1)
        i, n = j, n + 1
    return n


def _cedict_english(keys: set[str]) -> dict[str, str]:
    """The first CC-CEDICT gloss of each key that is a dictionary entry (folded Simplified)."""
    import gzip

    from workbench.glossary.lexicon import _cedict

    path = _cedict()
    out: dict[str, str] = {}
    if path is None or not keys:
        return out
    with gzip.open(path, mode="rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ", 2)
            if len(parts) == 3 and (parts[1] in keys or parts[0] in keys) and "/" in parts[2]:
                key = parts[1] if parts[1] in keys else parts[0]
                gloss = parts[2].split("/")[1].strip()
                if key not in out and gloss and not gloss.startswith(("variant of", "see ", "old variant")):
                    out[key] = gloss
    return {k: v for k, v in out.items()}


def _vi_ngrams(g: Glossary, segments: list[SourceSegment], min_count: int) -> list[Suggestion]:
    counts: Counter = Counter()
    human: Counter = Counter()
    where: dict[tuple[str, ...], list[str]] = defaultdict(list)
    forms: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    inner: dict[tuple[str, ...], Counter] = defaultdict(Counter)  # forms not at the start of a clause
    for s in segments:
        if s.family != "vi":
            continue
        seen_here: set[tuple[str, ...]] = set()
        for chunk in _CLAUSE_RE.split(unicodedata.normalize("NFC", s.source)):
            for run in re.split(r"[\s]*[–—\-/&+]+[\s]*|\s+(?=\S*\d)", chunk):
                # a token that is not a word (a number, a symbol) breaks the n-gram
                words = [t if _WORD_RE.fullmatch(t) else "" for t in run.split()]
                for n in range(2, 7):
                    for i in range(len(words) - n + 1):
                        ws = words[i : i + n]
                        if "" in ws:
                            continue
                        key = tuple(w.casefold() for w in ws)
                        counts[key] += 1
                        forms[key][" ".join(ws)] += 1
                        if i > 0:
                            inner[key][" ".join(ws)] += 1
                        if key not in seen_here:
                            seen_here.add(key)
                            if s.human and s.target.strip():
                                human[key] += 1
                            if len(where[key]) < 2:
                                where[key].append(f"{s.document}:{s.id}")
    cands = {k: c for k, c in counts.items() if 2 <= len(k) <= 5 and (c >= min_count or human[k] >= 2)}
    ext_index: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for k in counts:
        if len(k) >= 3:
            ext_index[k[1:]].append(k)
            ext_index[k[:-1]].append(k)
    cands = _closed(counts, cands, lambda gram: ext_index.get(gram, ()))
    vi_variants = [" ".join(_fold(v, "vi").split()) for t in g.terms for v in t.variants["vi"]]
    out = []
    for key, c in cands.items():
        if key[0] in _VI_STOP or key[-1] in _VI_STOP:
            continue
        text = forms[key].most_common(1)[0][0]
        mid = inner[key].most_common(1)[0][0] if inner[key] else None
        caps = sum(w[0].isupper() for w in text.split())
        capitalised = mid is not None and mid[0].isupper() and caps >= 2
        if any(f" {' '.join(key)} " in f" {v} " for v in vi_variants):
            continue  # a piece of a glossary term
        if not capitalised and len(key) < 3:
            continue
        share, _ens = _covered(g, text, "vi")
        if share >= 0.5:
            continue
        sug = Suggestion("repeated", "vi", text, frequency=c, examples=where[key][:2])
        en, support, total = _human_english(g, segments, text, "vi")
        if en:
            sug.english, sug.english_from = en, f"{support}/{total} reviewed segments"
            sug.kind = "reviewed" if c < min_count else sug.kind
        elif c < min_count:
            continue
        if capitalised:
            sug.note = "capitalised: probably a name (organisation, body, title)"
        sug.score = c * len(key) / 2 + (15 if capitalised else 0) + (20 if en else 0)
        out.append(sug)
    return out


def suggest(glossary: Glossary, segments: list[SourceSegment], *, min_count: int = 3, limit: int | None = 50) -> list[Suggestion]:
    """Candidate new glossary terms from the sources; never writes anything.

    * abbreviations in parentheses after a full name: ``欧洲安全与合作组织(欧安组织)``,
      ``亞洲相互協作與信任措施會議(Conference on ..., CICA)``, ``Hội đồng Bảo an (HĐBA)``;
    * repeated source n-grams (Chinese 4–10 characters, Vietnamese 2–5 syllables,
      capitalised sequences first), maximal, at least ``min_count`` times;
    * for those, the English rendering common to every edited/approved target
      (reviewed n-grams qualify from two reviewed occurrences).

    Anything the glossary already covers is skipped.
    """
    global _SEGMENTS_CACHE
    _SEGMENTS_CACHE = segments
    try:
        abbr = _abbreviations(glossary, segments)
    finally:
        _SEGMENTS_CACHE = segments
    grams = _zh_ngrams(glossary, segments, min_count) + _vi_ngrams(glossary, segments, min_count)
    # an n-gram that is the full name or short form of an abbreviation suggestion is reported there
    taken = {(_fold(s.source, s.lang), s.lang) for s in abbr} | {(_fold(s.short, s.lang), s.lang) for s in abbr if s.short}
    grams = [s for s in grams if (_fold(s.source, s.lang), s.lang) not in taken]
    out = sorted(abbr, key=lambda s: -s.score) + sorted(grams, key=lambda s: (-s.score, s.source))
    _SEGMENTS_CACHE = []
    return out[:limit] if limit else out


