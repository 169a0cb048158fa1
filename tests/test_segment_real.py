"""Accuracy floor on the real-text sets (from UD dev files; not in this repository).

The sets are read from ``$WB_SEGMENT_REAL``, else ``../shared/segment_real``, else
``~/.cache/workbench-segment/segment_real`` (built by benchmarks/make_segment_real.py, whose
docstring has the recipe); the tests skip when none is there. Floors sit just below today's
figures (benchmarks/segment_accuracy.py --data <that folder> prints them with pySBD and
sentencex beside). EWT (en) is informal web text (no capitals, e-mail headers), hence its low floor.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from workbench.segment import rebuild, segment_document, split_sentences

FLOORS = {"zh-Hans": 0.98, "zh-Hant": 0.97, "vi": 0.96, "en": 0.48}
_CANDIDATES = [os.environ.get("WB_SEGMENT_REAL"), Path(__file__).resolve().parents[2] / "shared" / "segment_real", Path("~/.cache/workbench-segment/segment_real").expanduser()]
REAL_DIR = next((Path(d) for d in _CANDIDATES if d and all((Path(d) / f"{lang}.jsonl").is_file() for lang in FLOORS)), None)

pytestmark = pytest.mark.skipif(
    REAL_DIR is None,
    reason="UD segmentation sets not found ($WB_SEGMENT_REAL, ../shared/segment_real, ~/.cache/workbench-segment/segment_real): build them with benchmarks/make_segment_real.py",
)


def _load(lang: str) -> list[dict]:
    assert REAL_DIR is not None
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
