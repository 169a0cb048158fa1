"""The matching loop (workbench/glossary/scan.py) and the judging it does as it goes
(workbench/glossary/judge.py): a batch gives each text what the text alone gives, judged hits are
the plain matcher's hits split into kept ones and candidates, and a verdict read from the memo is the
verdict made the first time."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from workbench.glossary import Glossary
from workbench.glossary import normalize as N

ROOT = Path(__file__).resolve().parents[1]
REAL = Glossary.load(ROOT / "glossary.yaml")

TEXTS = {
    "zh-Hans": [
        "斯里兰卡民主社会主义共和国代表团支持安全理事会。",
        "为了建立信任，各方以建立信任措施为基础；建立信任是关键。",
        "大使级会晤在大使馆举行，特命全权大使和大使出席。",
        "白俄罗斯和俄罗斯在联合国大会上发言（见A/70/95和S/2015/446）。",
        "",
        "安全理事会\n联合国大会",
        "协调解决调解问题，请写信至 info@un.org 或访问 www.un.org/zh。",
    ],
    "zh-Hant": [
        "斯里蘭卡民主社會主義共和國代表團支持安全理事會。",
        "白俄羅斯和俄羅斯在聯合國大會上發言（見A/70/95）。",
        "大使級會晤在大使館舉行。",
    ],
    "vi": [
        "Đại sứ quán và Đại sứ Đặc mệnh Toàn quyền của Liên hợp quốc.",
        unicodedata.normalize("NFD", "Hội đồng Bảo an và Hội đồng Nhân quyền Quốc gia họp tại Liên hợp quốc."),
        "Xây dựng lòng tin để xây dựng lòng tin (A/70/95); HĐBA, UNESCO, UN.",
        "",
    ],
}


def _plain(g: Glossary) -> Glossary:
    """The same entries, matched without the lexicon or entry contexts."""
    import dataclasses

    return Glossary([dataclasses.replace(t, not_after=(), not_before=(), not_in=()) for t in g.terms], word_check=False)


def _spans(hs) -> set[tuple[int, int, str]]:  # noqa: ANN001
    return {(h.start, h.end, h.en) for h in hs}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_a_batch_gives_each_text_what_it_gives_alone(lang: str) -> None:
    texts = TEXTS[lang]
    hits, cands = REAL.match_all(texts, lang)
    for text, hs, cs in zip(texts, hits, cands):
        alone = REAL.match(text, lang)
        assert (hs, cs) == (alone[0], alone[1])


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_judged_hits_and_candidates_are_plain_hits(lang: str) -> None:
    plain = _plain(REAL)
    hits, cands = REAL.match_all(TEXTS[lang], lang)
    for text, hs, cs, ps in zip(TEXTS[lang], hits, cands, plain.find_all(TEXTS[lang], lang)):
        kept = _spans(h for h in hs if h.kind == "term")
        doubted = {(c.start, c.end, c.en) for c in cs}
        assert not kept & doubted
        assert kept | doubted <= _spans(h for h in ps if h.kind == "term"), text
        assert all(text[c.start : c.end] == c.surface for c in cs)


@pytest.mark.parametrize(
    ("lang", "text", "surface", "reason"),
    [
        ("zh-Hans", "斯里兰卡民主社会主义共和国代表团", "斯里兰卡", "inside the word 斯里兰卡民主社会主义共和国"),
        ("zh-Hant", "斯里蘭卡民主社會主義共和國代表團", "斯里蘭卡", "inside the word 斯里兰卡民主社会主义共和国"),
        ("zh-Hans", "白俄罗斯人", "白俄罗斯", "inside the word 白俄罗斯人"),
    ],
)
def test_a_doubted_hit_is_a_candidate_with_its_reason(lang: str, text: str, surface: str, reason: str) -> None:
    hits, cands = REAL.match(text, lang)
    assert surface not in [h.surface for h in hits]
    assert [(c.surface, c.reason) for c in cands if c.surface == surface] == [(surface, reason)]


@pytest.mark.parametrize(
    ("lang", "text", "surface"),
    [("zh-Hans", "以建立信任", "建立信任"), ("zh-Hans", "旨在建立信任", "建立信任"), ("zh-Hant", "為了建立信任", "建立信任")],
)
def test_an_excluded_context_is_neither_a_hit_nor_a_candidate(lang: str, text: str, surface: str) -> None:
    hits, cands = REAL.match(text, lang)
    assert surface not in [h.surface for h in hits] + [c.surface for c in cands]
    assert surface in [h.surface for h in _plain(REAL).find(text, lang)]


def test_a_verdict_from_the_memo_is_the_first_verdict() -> None:
    rng = random.Random(5)
    pieces = [t for ts in TEXTS.values() for t in ts if t] + ["俄罗斯", "大使", "建立信任", "调解", "斯里兰卡", "以", "级", "馆"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(200)]
    for lang in ("zh-Hans", "zh-Hant"):
        fresh = Glossary.load(ROOT / "glossary.yaml")  # its own, empty memo
        first = fresh.match_all(texts, lang)
        assert fresh.match_all(texts, lang) == first
        assert any(first[1]), "the sample must have candidates"


@pytest.mark.parametrize("numpy_loaded", [False, True])
def test_zh_match_keys_fold_like_the_per_text_table(numpy_loaded: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The growing translate table (and numpy's, once numpy is imported) folds as a table made for each text."""
    import sys

    if not numpy_loaded:
        monkeypatch.delitem(sys.modules, "numpy", raising=False)
    else:
        import numpy  # noqa: F401
    rng = random.Random(11)
    pool = list("聯合國安全理事會联合国－—–‐ ＵＮａｂ１（）　UNESCO Đại sứ") + ["\U00020000", "\u9fa5", "\u2e80", "\ud800"]
    for n in (1, 50, 5000):
        text = "".join(rng.choice(pool) for _ in range(n))
        expected = N._lower_same_length(text.translate(N._zh_table(set(text), with_width=True)))
        assert N.match_key(text, "zh") == expected
