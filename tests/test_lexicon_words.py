"""The lexicon answered from its word automaton (no load of the 378,000-word dictionary) gives the
verdicts, containing words and membership of the loaded dictionary."""

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
    ("斯里兰卡民主社会", "主义", "共和国"),
    ("", "安理会", ""),
]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[lx.Lexicon, lx.Lexicon]:
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
    mp.setattr(lx, "_LEXICON", None)
    built = lx.lexicon()  # built, then the marshal cache and the word automaton written
    mp.setattr(lx, "_LEXICON", None)
    fast = lx.lexicon()
    yield built, fast
    mp.undo()


def test_the_word_automaton_is_what_a_new_process_reads_first(fresh: tuple[lx.Lexicon, lx.Lexicon]) -> None:
    built, fast = fresh
    assert fast._words is not None and fast._logp is None and built._logp is not None
    assert fast.log_total == built.log_total and len(fast) == len(built)


@pytest.mark.parametrize("left,hit,right", CASES)
def test_automaton_verdicts_are_the_loaded_ones(fresh: tuple[lx.Lexicon, lx.Lexicon], left: str, hit: str, right: str) -> None:
    built, fast = fresh
    assert fast._verdict(left, hit, right, frozenset()) == built._verdict(left, hit, right, frozenset())
    assert fast.cuts_words(left, hit, right) == built.cuts_words(left, hit, right)


@pytest.mark.parametrize("word", ["联合国", "大使馆", "白俄罗斯", "俄", "大使x", "联合国秘书长安东尼奥", "", "斯里兰卡民主社会主义共和国"])
def test_membership_is_the_dictionarys(fresh: tuple[lx.Lexicon, lx.Lexicon], word: str) -> None:
    built, fast = fresh
    assert (word in fast) == (word in built.logp)


def test_long_words_are_the_dictionarys(fresh: tuple[lx.Lexicon, lx.Lexicon]) -> None:
    built, fast = fresh
    keys = {"斯里兰卡", "主义", "联合国"}
    assert fast.containers(keys) == built.containers(keys) and fast.containers(keys)["斯里兰卡"]


def test_the_whole_dictionary_loads_when_asked(fresh: tuple[lx.Lexicon, lx.Lexicon]) -> None:
    built, fast = fresh
    assert fast.logp == built.logp and fast._logp is not None


@pytest.mark.parametrize("damage", [b"", b"WBLEXAC1", b"not a lexicon", "truncate"])
def test_a_damaged_automaton_falls_back_to_the_marshal_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: tuple[lx.Lexicon, lx.Lexicon], damage: object) -> None:
    built, _ = fresh
    path = lx._words_path(lx._cache_path())  # type: ignore[arg-type]
    data = path.read_bytes()
    try:
        path.write_bytes(data[: len(data) // 2] if damage == "truncate" else damage)  # type: ignore[arg-type]
        monkeypatch.setattr(lx, "_LEXICON", None)
        again = lx.lexicon()
        assert again._logp is not None and again.doubt("白", "俄罗斯", "") == built.doubt("白", "俄罗斯", "")
        assert lx._Words.read(path) is not None  # written again, whole
    finally:
        monkeypatch.setattr(lx, "_LEXICON", None)
