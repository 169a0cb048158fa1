"""Sentence segmentation for zh-Hans, zh-Hant, vi and en documents.

Two entry points:

* :func:`split_sentences` splits one passage into sentence strings (labels and
  footnote markers stay inside the strings). The CLI's ``segment --jsonl``
  calls it.
* :func:`segment_document` splits a whole document into :class:`Sentence`
  records that keep exact character offsets, so the document can be rebuilt
  byte for byte with :func:`rebuild`. Structural labels ("1. ", "(a) ", "• ",
  "1、", "（一）") go to ``prefix`` and trailing footnote markers ("¹", "[1]")
  to ``suffix``; only ``text`` is meant for machine translation. A sentence
  broken by a page break (``…各种机`` / footnote lines / ``制，以建立信任…``) stays
  two segments marked ``continued`` / ``continues`` with its footnotes kept
  apart; :func:`sentence_units` joins the parts back into one sentence.

Rules, in short (the word lists live in ``workbench/data/segment/*.json``):

* Lines. In :func:`segment_document` every line is its own paragraph and a
  line break always ends a sentence. :func:`split_sentences` does the same,
  except that in en/vi a line that has at least four words and no final
  punctuation, followed directly by a line starting with a lowercase letter,
  is taken as one wrapped sentence (PDF-style line breaks).
* Chinese: a sentence ends after 。！？ (and ｡ ．), and after ASCII ! ? . only
  when they follow a Han character (possibly behind closing quotes/brackets)
  and precede CJK text, a digit, or whitespace + a capital: Latin abbreviations,
  initials, URLs and decimals embedded in Chinese (``U.S. Steel``, ``J.K.罗琳``,
  ``www.un.org``, ``3.5%``, ``Yahoo!``) never split. Closing quotes and
  brackets (”」』）) and footnote markers stay with the sentence before them.
  Nothing inside book-title brackets 《…》 / 〈…〉 (nested in any way) ends a
  sentence. Quotations are split inside: ``他说：“A。B。”C。`` gives
  ``他说：“A。`` / ``B。”`` / ``C。``. After terminator + closing quote a new
  sentence starts unless the next text continues the sentence: ，、；：or a
  ``continuation_words`` entry of zh.json (``“为什么？”的问题``, ``“好！”便走了``;
  ``continuation_exceptions`` such as 一位/后来 open a new sentence anyway).
  An ellipsis (…… … ...) never ends a sentence by itself (``书画……各类文物``,
  ``「唉……」地``); ``……。`` ends one at the 。, and ``……”`` ends one before a
  new sentence (same rule as above). ；and ，never split. Lines without any
  Han character use the English rules.
* Vietnamese and English: a sentence ends at . ! ? … when whitespace and a
  capital letter, a digit, an opening quote/bracket or a dash follow, never
  before a lowercase letter. After a period the preceding token is looked up
  in the language's abbreviation classes (titles such as Mr./TS./TP. never end a
  sentence before a name; No./p./Jan. never before a number; e.g./i.e. never;
  ambiguous ones such as Co., single initials end a sentence only when
  the next word is a typical sentence opener ("The", "He", "Theo"...; in
  Vietnamese also any word with diacritics) and the sentence already has four
  words; a.m./p.m. end one before any capitalised word but days, months and
  time zones, nor before an opening parenthesis (``8 a.m. (New York time)``); U.S./U.K./U.N./D.C./E.U. (``ambiguous_np``) end one before any
  capitalised word that does not continue a noun phrase (``np_continuers``:
  U.S. Army, U.N. Security Council, D.C. Circuit), given two words). A single
  capital letter after a ``unit_words`` entry (``40 độ C.``, ``bảng A.``,
  ``104 degrees F.``) is a unit/designator and ends a sentence like a word.
  Numbers (2.000, 11.61), URLs and
  e-mail addresses contain no break because no whitespace follows their dots.
  Ellipses follow the "golden rules": ``that.... She`` and ``word... She``
  split, `` . . . I`` (an ellipsis with a space before it) does not, a spaced
  four-dot ellipsis `` . . . .`` does, and ``word. . . . The`` splits after
  ``word.``. In-line lists (``1. a 2. b``, ``a. x b. y``, ``• x • y``) split
  before each label when the line starts with the first label.
* Quotations (“…”, "…", «…») are split inside only where a terminator is
  followed by whitespace and a capital letter still inside the quotation:
  ``Ông nói: “A. B.” C.`` gives ``Ông nói: “A.`` / ``B.”`` / ``C.``, while
  ``"This is great." she said`` stays one sentence, and so does a quotation
  followed by a dash and a lowercase attribution (``"…?" - tôi hỏi.``).
* A note reference or an omission mark after the full stop and a space stays
  with the sentence before it (``in Dulwich. [17] Placed``, ``anyway. [...]``).
* A line consisting only of a label (e.g. ``1.``) becomes one
  :class:`Sentence` with ``prefix="1."`` and an empty ``text``; sentences with an
  empty ``text`` are not sent to MT.

Package layout: ``rules`` (language codes, the JSON rule tables), ``chars``
(character classes, terminator regexes, scanning helpers), ``latin`` (en/vi
boundaries), ``zh`` (Chinese boundaries), ``structure`` (labels, footnote
markers, page breaks), ``document`` (the entry points), ``passages`` (the
``workbench segment`` command's helpers). Every regex is linear in its input
(see ``chars``).

Lines ("paragraphs") are separated by any of the characters str.splitlines()
knows (LF, CR, VT, FF, FS, GS, RS, NEL, LS, PS).
"""

from __future__ import annotations

from workbench.segment.document import (
    Sentence,
    rebuild,
    segment_document,
    sentence_units,
    split_sentences,
)
from workbench.segment.passages import segment_passages, segment_text
from workbench.segment.rules import normalize_lang

__all__ = [
    "SEGMENTER_VERSION",
    "Sentence",
    "split_sentences",
    "segment_document",
    "sentence_units",
    "rebuild",
    "normalize_lang",
    "segment_passages",
    "segment_text",
]

#: Bump whenever a rule or a data file changes the segmentation of some text.
SEGMENTER_VERSION = "3"
