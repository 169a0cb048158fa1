"""The lexicon answered from its caches without loading the 378,000-word dictionary (first the
SQLite copy, one look-up at a time; after many look-ups the word automaton, one window at a time)
gives the verdicts, containing words and membership of the loaded dictionary."""

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
KINDS = ["sqlite", "sqlite, then automaton", "automaton"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> lx.Lexicon:
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
    mp.setattr(lx, "_LEXICON", None)
    lex = lx.lexicon()  # built, then the marshal cache, the word automaton and the SQLite copy written
    mp.setattr(lx, "_LEXICON", None)
    yield lex
    mp.undo()


def _answered(kind: str, monkeypatch: pytest.MonkeyPatch) -> lx.Lexicon:
    cache = lx._cache_path()
    assert cache is not None
    if kind == "automaton":
        lex = lx._from_words(cache)
    else:
        lex = lx._lazy(cache)
        if kind == "sqlite, then automaton":
            monkeypatch.setattr(lx, "LAZY_LOOKUPS", 3)
    assert lex is not None
    return lex


def test_a_new_process_reads_the_sqlite_copy_first(built: lx.Lexicon) -> None:
    lex = lx.lexicon()
    assert lex._lazy is not None and lex._words is None and lex._logp is None and built._logp is not None
    assert lex.log_total == built.log_total


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("left,hit,right", CASES)
def test_verdicts_are_the_loaded_dictionarys(built: lx.Lexicon, monkeypatch: pytest.MonkeyPatch, kind: str, left: str, hit: str, right: str) -> None:
    lex = _answered(kind, monkeypatch)
    assert lex._verdict(left, hit, right, frozenset()) == built._verdict(left, hit, right, frozenset())
    assert lex.cuts_words(left, hit, right) == built.cuts_words(left, hit, right)
    assert lex._logp is None  # never the whole dictionary


def test_many_look_ups_hand_over_to_the_word_automaton(built: lx.Lexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    lex = _answered("sqlite, then automaton", monkeypatch)
    for left, hit, right in CASES:
        assert lex.doubt(left, hit, right) == built.doubt(left, hit, right)
    assert lex._words is not None and lex._logp is None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("word", ["联合国", "大使馆", "白俄罗斯", "俄", "大使x", "联合国秘书长安东尼奥", "", "斯里兰卡民主社会主义共和国"])
def test_membership_is_the_dictionarys(built: lx.Lexicon, monkeypatch: pytest.MonkeyPatch, kind: str, word: str) -> None:
    lex = _answered(kind, monkeypatch)
    assert (word in lex) == (word in built.logp)


@pytest.mark.parametrize("kind", KINDS)
def test_long_words_are_the_dictionarys(built: lx.Lexicon, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    keys = {"斯里兰卡", "主义", "联合国"}
    got = _answered(kind, monkeypatch).containers(keys)
    assert got == built.containers(keys) and got["斯里兰卡"]


def test_the_whole_dictionary_loads_when_asked(built: lx.Lexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    lex = _answered("automaton", monkeypatch)
    assert len(lex) == len(built) and lex._logp is None
    assert lex.logp == built.logp and lex._logp is not None


@pytest.mark.parametrize("damage", [b"", b"WBLEXAC1", b"not a lexicon", "truncate"])
def test_a_damaged_automaton_falls_back_to_the_marshal_cache(monkeypatch: pytest.MonkeyPatch, built: lx.Lexicon, damage: object) -> None:
    path = lx._words_path(lx._cache_path())  # type: ignore[arg-type]
    data = path.read_bytes()
    try:
        path.write_bytes(data[: len(data) // 2] if damage == "truncate" else damage)  # type: ignore[arg-type]
        assert lx._from_words(lx._cache_path()) is None and lx._lazy(lx._cache_path()) is None  # type: ignore[arg-type]
        monkeypatch.setattr(lx, "_LEXICON", None)
        again = lx.lexicon()
        assert again._logp is not None and again.doubt("白", "俄罗斯", "") == built.doubt("白", "俄罗斯", "")
        assert lx._Words.read(path) is not None  # written again, whole
    finally:
        if lx._Words.read(path) is None:
            path.write_bytes(data)
        monkeypatch.setattr(lx, "_LEXICON", None)
