"""Documents and passages -> sentences: the two public entry points and the rebuild."""

from __future__ import annotations

from dataclasses import dataclass, replace

from workbench.segment.chars import SUPERSCRIPTS, TERMINAL_CHARS, lines, skip_space, strip_span
from workbench.segment.latin import latin_boundaries
from workbench.segment.rules import latin_rules, normalize_lang, zh_rules
from workbench.segment.structure import breaks_off, carries_on, is_interruption, split_label, split_suffix
from workbench.segment.zh import zh_boundaries


@dataclass(frozen=True)
class Sentence:
    """One segment of a document.

    ``text_of_document[start:end] == prefix + text + suffix``; ``text`` has no
    leading or trailing whitespace and may be empty (a label-only line).

    A sentence broken by a page break (its first part, then footnotes or a
    page number, then its second part) stays two segments so that the
    document is still rebuilt from segments and gaps in order; the first part
    has ``continued=True`` and the second ``continues=True``. The segments in
    between (the footnotes) are their own sentences. :func:`sentence_units`
    groups the parts back into one sentence for translation or alignment.
    """

    start: int
    end: int
    prefix: str
    text: str
    suffix: str
    paragraph: int
    continued: bool = False
    continues: bool = False


# --------------------------------------------------------------------------
# Blocks -> spans
# --------------------------------------------------------------------------


def _block_spans(text: str, lo: int, hi: int, family: str) -> list[tuple[int, int]]:
    """Stripped, non-empty sentence spans (absolute offsets) of text[lo:hi]."""
    block = text[lo:hi]
    if not block or block.isspace():
        return []
    if family == "zh":
        bounds = zh_boundaries(block, zh_rules(), latin_rules("en"))
    else:
        bounds = latin_boundaries(block, latin_rules(family))
    spans: list[tuple[int, int]] = []
    prev = 0
    for b in sorted(bounds) + [len(block)]:
        if b <= prev:
            continue
        s, e = strip_span(block, prev, b)
        if s < e:
            spans.append((lo + s, lo + e))
        prev = b
    return spans


def _ends_sentence(line: str) -> bool:
    t = line.rstrip().rstrip("\"'”’)]}」』）" + SUPERSCRIPTS)
    return bool(t) and t[-1] in TERMINAL_CHARS


def _soft_blocks(text: str, family: str) -> list[tuple[int, int]]:
    """Lines, with PDF-style wrapped lines joined (en/vi only).

    A line of at least four words without final punctuation, followed
    directly by a line starting with a lowercase letter, goes on in that line.
    Only the last line of a block is inspected, so the cost is linear.
    """
    all_lines = lines(text)
    if family == "zh":
        return all_lines
    blocks: list[tuple[int, int]] = []
    last_lo = 0  # start of the last physical line of blocks[-1]
    for lo, hi in all_lines:
        if blocks:
            plo, phi = blocks[-1]
            k = skip_space(text, lo, hi)
            last = text[last_lo:phi]
            if phi + 1 == lo and k < hi and text[k].islower() and not _ends_sentence(last) and len(last.split()) >= 4:
                blocks[-1] = (plo, hi)
                last_lo = lo
                continue
        blocks.append((lo, hi))
        last_lo = lo
    return blocks


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def split_sentences(text: str, lang: str) -> list[str]:
    """Split a passage into sentences, each stripped of surrounding whitespace.

    ``lang`` is one of zh-Hans, zh-Hant, zh, zt, vi, en (see :func:`normalize_lang`).
    No empty strings are returned; joining the outputs gives back the passage
    with whitespace removed at the split points only. Labels such as "1. " and
    footnote markers stay inside the sentences. A line break ends a sentence,
    except for wrapped lines in en/vi (see the package docstring).
    """
    family = normalize_lang(lang)
    out: list[str] = []
    for lo, hi in _soft_blocks(text, family):
        for s, e in _block_spans(text, lo, hi, family):
            out.append(text[s:e])
    return out


def _sentence(text: str, s: int, e: int, first_in_line: bool, para: int) -> Sentence:
    seg = text[s:e]
    p = split_label(seg, first_in_line)
    body = seg[p:]
    sfx = split_suffix(body) if body else 0
    core = body[: len(body) - sfx] if sfx else body
    prefix = seg[:p]
    suffix = body[len(core) :]
    # keep text stripped: move whitespace between core and suffix into suffix
    stripped = core.rstrip()
    if len(stripped) != len(core):
        suffix = core[len(stripped) :] + suffix
        core = stripped
    return Sentence(s, e, prefix, core, suffix, para)


def _join_page_breaks(text: str, family: str, per_line: list[tuple[int, int, list[int]]], out: list[Sentence]) -> None:
    """Mark sentences broken by a page break (see :class:`Sentence`), in place.

    ``per_line`` holds (line start, line end, indices into ``out``) for every
    line with sentences. A line that breaks off in mid-sentence, then one or
    more footnote or page-number lines, then a line that carries on in
    mid-sentence: the last sentence of the first line and the first of the
    last line are one sentence. Without a footnote or page number between, a
    line without final punctuation is more often a heading or a truncated
    paragraph (seed 004: "…交予新任主席國塔吉克斯坦" / "橫跨亞洲各區域,…"), so
    nothing is joined.
    """
    n = len(per_line)
    # after[k]: the first line at or after k that is not a footnote/page number (n if none)
    after = [n] * (n + 1)
    for k in range(n - 1, -1, -1):
        lo, hi, _ = per_line[k]
        after[k] = after[k + 1] if is_interruption(text[lo:hi]) else k
    for a, (lo, hi, idx) in enumerate(per_line):
        b = after[a + 1]
        if after[a] != a or b == a + 1 or b >= n or not idx or out[idx[-1]].suffix or not breaks_off(text[lo:hi], family):
            continue
        nlo, nhi, nidx = per_line[b]
        if not nidx or not carries_on(text[nlo:nhi], family):
            continue
        out[idx[-1]] = replace(out[idx[-1]], continued=True)
        out[nidx[0]] = replace(out[nidx[0]], continues=True)


def segment_document(text: str, lang: str) -> list[Sentence]:
    """Split a document into paragraphs (lines) and sentences, losslessly.

    Every line is a paragraph; whitespace-only lines produce nothing and the
    paragraph index counts the lines that produce sentences (0-based). The
    document is rebuilt exactly by :func:`rebuild`; every gap between
    sentences is whitespace. A sentence broken by a page break is marked
    (``continued`` / ``continues``) and kept in document order.
    """
    family = normalize_lang(lang)
    out: list[Sentence] = []
    per_line: list[tuple[int, int, list[int]]] = []
    para = 0
    for lo, hi in lines(text):
        spans = _block_spans(text, lo, hi, family)
        if not spans:
            continue
        first = len(out)
        for i, (s, e) in enumerate(spans):
            out.append(_sentence(text, s, e, i == 0, para))
        per_line.append((lo, hi, list(range(first, len(out)))))
        para += 1
    _join_page_breaks(text, family, per_line, out)
    return out


def rebuild(text: str, sentences: list[Sentence]) -> str:
    """Rebuild the document from its sentences and the gaps between them."""
    out: list[str] = []
    pos = 0
    for s in sentences:
        out.append(text[pos : s.start])
        out.append(s.prefix + s.text + s.suffix)
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def sentence_units(sentences: list[Sentence], lang: str) -> list[tuple[list[int], str]]:
    """Group the parts of page-broken sentences: (indices into ``sentences``, joined text).

    Every sentence belongs to exactly one unit; a unit of several indices is
    one sentence whose parts are separated by other segments (its footnotes),
    its text the parts' texts joined ("" for Chinese, " " otherwise). Units are
    ordered by their first index.
    """
    joiner = "" if normalize_lang(lang) == "zh" else " "
    units: list[list[int]] = []
    open_unit: list[int] | None = None
    for i, s in enumerate(sentences):
        if s.continues and open_unit is not None:
            open_unit.append(i)
            if not s.continued:
                open_unit = None
            continue
        unit = [i]
        units.append(unit)
        if s.continued:
            open_unit = unit
    return [(u, joiner.join(sentences[i].text for i in u)) for u in units]
