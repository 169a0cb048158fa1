"""`glossary suggest` ranks terms above fragments: word boundaries from the lexicon, CC-CEDICT English."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.glossary import Glossary
from workbench.glossary.suggest import load_sources, suggest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "glossary"


@pytest.fixture(scope="module")
def sugs() -> list:
    """Suggestions for the seeds against a small glossary (as test_glossary_admin does)."""
    return suggest(Glossary.load(DATA / "small.yaml"), load_sources(Path("nowhere"), [str(ROOT / "seeds")]), limit=None)


@pytest.mark.parametrize("fragment", ["洲安全与合作", "冲突方面", "安全合作機", "区域组织之间", "外長級會"])
def test_fragments_are_not_suggested(sugs: list, fragment: str) -> None:
    assert fragment not in {s.source for s in sugs}


@pytest.mark.parametrize("term", ["区域和次区域组织", "外長會議", "副外長級會議", "塔吉克斯坦"])
def test_seed_terms_are_suggested(sugs: list, term: str) -> None:
    assert term in {s.source for s in sugs}


def test_cc_cedict_offers_english_for_dictionary_words(sugs: list) -> None:
    by = {s.source: s for s in sugs}
    assert by["塔吉克斯坦"].english == "Tajikistan" and by["塔吉克斯坦"].english_from == "CC-CEDICT"
