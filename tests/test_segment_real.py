"""Accuracy floor on the real-text sets (tests/data/segment_real, from UD dev files).

Floors sit just below today's figures (benchmarks/segment_accuracy.py --data
tests/data/segment_real prints them with pySBD and sentencex beside). EWT (en)
is informal web text (no capitals, e-mail headers), hence its low floor.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.segment import rebuild, segment_document, split_sentences

REAL_DIR = Path(__file__).resolve().parent / "data" / "segment_real"
FLOORS = {"zh-Hans": 0.98, "zh-Hant": 0.97, "vi": 0.96, "en": 0.48}


def _load(lang: str) -> list[dict]:
    return [json.loads(line) for line in (REAL_DIR / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_real_text_accuracy(lang: str) -> None:
    recs = _load(lang)
    assert len(recs) >= 100 and all(len(r["sentences"]) > 1 and r["source"] for r in recs)
    hits = sum(split_sentences(r["text"], lang) == r["sentences"] for r in recs)
    assert hits / len(recs) >= FLOORS[lang], f"{hits}/{len(recs)}"


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_real_text_rebuilds(lang: str) -> None:
    for r in _load(lang):
        joiner = "" if lang.startswith("zh") else " "
        assert joiner.join(r["sentences"]) == r["text"]
        assert rebuild(r["text"], segment_document(r["text"], lang)) == r["text"]
