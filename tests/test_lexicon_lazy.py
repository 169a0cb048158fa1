"""The lexicon answered from its SQLite table (no load of the word list) gives the verdicts of
the loaded one, and swaps in the whole list once a command looks up many words."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.glossary import lexicon as lx

CASES = [  # (left, hit, right): the lexicon's verdicts on real glossary hits
    ("白", "俄罗斯", ""),
    ("协", "调解", "决"),
    ("维护", "国际和平与安全", ""),
    ("", "大使", "馆"),
    ("越南", "常驻联合国代表", "给"),
]


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[lx.Lexicon, lx.Lexicon]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(lx, "_LEXICON", None)
    built = lx.lexicon()  # built, then the marshal cache and its SQLite copy written
    monkeypatch.setattr(lx, "_LEXICON", None)
    lazy = lx.lexicon()
    return built, lazy


def test_the_sqlite_copy_is_what_a_new_process_reads_first(fresh: tuple[lx.Lexicon, lx.Lexicon]) -> None:
    built, lazy = fresh
    assert isinstance(lazy.logp, lx._LazyWords) and isinstance(built.logp, dict)
    assert lazy.log_total == built.log_total


@pytest.mark.parametrize("left,hit,right", CASES)
def test_lazy_verdicts_are_the_loaded_ones(fresh: tuple[lx.Lexicon, lx.Lexicon], left: str, hit: str, right: str) -> None:
    built, lazy = fresh
    assert lazy.doubt(left, hit, right) == built.doubt(left, hit, right)


def test_many_lookups_swap_in_the_whole_word_list(fresh: tuple[lx.Lexicon, lx.Lexicon], monkeypatch: pytest.MonkeyPatch) -> None:
    built, lazy = fresh
    monkeypatch.setattr(lx, "LAZY_LOOKUPS", 3)
    for left, hit, right in CASES:
        assert lazy.doubt(left, hit, right) == built.doubt(left, hit, right)
    assert isinstance(lazy.logp, dict) and lazy.logp == built.logp
