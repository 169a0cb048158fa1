"""Translation memory: bigram candidates + rapidfuzz scoring agree with scoring every entry;
Traditional/Simplified folded; kept current as documents are saved."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from workbench import index, memory, memory_arrays, review, store

ZH = "000_093349a39d32f8f2"
VI = "001_85fdaf6eba83a0b1"
ZH_HANT = "004_c0907f7ee83eb81c"
OUT = Path("translations")
ROOT = Path(__file__).resolve().parent.parent


def _real_sentences() -> list[tuple[str, str]]:
    """Source sentences of the seed documents (real UN text), with their language."""
    from workbench.ingest import read_document
    from workbench.segment import segment_document

    out = []
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        d = read_document(p)
        out += [(s.text, d.lang) for s in segment_document(d.text, d.lang) if len(s.text) > 6]
    return out


def _variant(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 12)):
        i = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.4:
            chars[i] = rng.choice("的是了在和有与对为")
        elif op < 0.7:
            del chars[i]
        else:
            chars.insert(i, rng.choice("年月日国会议"))
    return "".join(chars)


@pytest.mark.parametrize("big", [False, True])
def test_bigram_candidates_find_the_same_best_match_as_scoring_everything(big: bool) -> None:
    """``big``: the real sentences again and again, each numbered (（第N号）), past
    COMMON_MIN_ENTRIES: the bigrams of that boilerplate are in every entry and left uncounted."""
    rng = random.Random(7)
    sentences = _real_sentences()
    if big:
        copies = memory_arrays.COMMON_MIN_ENTRIES // len(sentences) + 1
        sentences = [(f"{s}（第{k}号）", lang) for k in range(copies) for s, lang in sentences]
    entries = [memory.MemoryEntry(s, f"T{i}", "approved", lang, "d", "x", f"s{i}") for i, (s, lang) in enumerate(sentences)]
    base = memory_arrays.build(range(len(entries)), [e.stem for e in entries], [index.fold(e.source) for e in entries])
    agree = total = 0
    for s, _lang in rng.sample(sentences, 60):
        q = _variant(s, rng)
        brute = memory.fuzzy_in(entries, q, threshold=0.6, limit=1)
        cands = [entries[i] for i in base.candidates(index.fold(q), memory.CANDIDATES)]
        fast = memory.fuzzy_in(cands, q, threshold=0.6, limit=1)
        if brute:
            total += 1
            agree += bool(fast) and fast[0].score == brute[0].score
    assert total >= 40 and agree == total


def test_traditional_and_simplified_are_folded(project: Path) -> None:
    entries = [memory.MemoryEntry("请将本信及其附件作为安全理事会文件分发为荷。", "I should be grateful…", "approved", "zh-Hans", "d", "x", "s1")]
    got = memory.fuzzy_in(entries, "請將本信及其附件作為安全理事會文件分發為荷。")
    assert got and got[0].score == 1.0
    # the diff is against the text as the reviewer sees it
    assert "".join(t for op, t in got[0].diff if op != "delete") == entries[0].source


def test_the_project_memory_follows_saves_without_a_rebuild(project: Path) -> None:
    doc = store.load(store.path_for(OUT, ZH))
    assert doc is not None
    seg = next(s for s in doc.segments if s.source == "请将本信及其附件作为安全理事会文件分发为荷。")
    tm = memory.project_memory(OUT)
    assert tm.matches("请将本信及其附件作为大会文件分发为荷。") == []
    review.edit(OUT, ZH, seg.id, "I should be grateful if the present letter could be circulated.")
    got = tm.matches("请将本信及其附件作为大会文件分发为荷。")
    assert len(got) == 1 and got[0].entry.segment == seg.id and got[0].score >= 0.75
    assert tm.matches(seg.source, exclude=(ZH, seg.id)) == []
    review.revert(OUT, ZH, seg.id, force=True)
    assert tm.matches("请将本信及其附件作为大会文件分发为荷。") == []


@pytest.mark.parametrize(("threshold", "limit", "expect"), [(0.75, 3, ["T1", "T2"]), (0.5, 3, ["T1", "T2", "T3"]), (0.5, 1, ["T1"]), (0.99, 3, ["T1"])])
def test_threshold_and_limit(threshold: float, limit: int, expect: list[str]) -> None:
    entries = [
        memory.MemoryEntry("abcdefghij", "T1", "approved", "vi", "d", "x", "s1"),
        memory.MemoryEntry("abcdefghiX", "T2", "edited", "vi", "d", "x", "s2"),
        memory.MemoryEntry("abcdeXXXXX", "T3", "edited", "vi", "d", "x", "s3"),
        memory.MemoryEntry("a", "T4", "edited", "vi", "d", "x", "s4"),
    ]
    base = memory_arrays.build(range(len(entries)), [e.stem for e in entries], [e.source for e in entries])
    assert [m.target for m in memory.fuzzy_in(entries, "abcdefghij", threshold, limit)] == expect
    cands = [entries[i] for i in base.candidates("abcdefghij", 10)]
    assert [m.target for m in memory.fuzzy_in(cands, "abcdefghij", threshold, limit)] == expect


def _approve_some(n: int = 6) -> list[str]:
    """Approve (override) the first ``n`` segments with source of every zh document; their ids."""
    done = []
    for stem in (ZH, ZH_HANT):
        doc = store.load(store.path_for(OUT, stem))
        assert doc is not None
        ids = [s.id for s in doc.segments if s.source and s.target.strip()][:n]
        review.approve(OUT, stem, ids, override=True)
        done += ids
    return done


def _queries() -> list[str]:
    docs = [store.load(store.path_for(OUT, s)) for s in (ZH, ZH_HANT)]
    return [s.source.replace("的", "之", 1) + "。" for d in docs if d is not None for s in d.segments[:8] if s.source] + ["请", "安全理事会"]


def _all_matches(tm: memory.Memory) -> list[list[dict[str, object]]]:
    return [[m.as_dict() for m in tm.matches(q, threshold=0.5)] for q in _queries()]


def _fresh_memory(monkeypatch: pytest.MonkeyPatch) -> list[list[dict[str, object]]]:
    """The matches of a memory built from the index now (the kept arrays not read)."""
    idx = index.open_index(OUT)
    with monkeypatch.context() as m:
        m.setattr(idx, "memory_snapshot", lambda: None)
        return _all_matches(memory.Memory(idx))


def test_a_new_process_reads_the_arrays_the_index_keeps_and_matches_the_same(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _approve_some()  # the first save with reviewed rows and no arrays kept: built and kept
    kept = index.open_index(OUT).memory_snapshot()
    assert kept is not None and kept[1]["n"] >= 6
    fresh = _fresh_memory(monkeypatch)
    assert any(fresh)

    def no_build(*args: object) -> None:
        raise AssertionError("built again")

    monkeypatch.setattr(memory_arrays, "build", no_build)
    index.forget(OUT)  # as a new process
    tm = memory.Memory(index.open_index(OUT))
    assert _all_matches(tm) == fresh


@pytest.mark.parametrize("change", ["edit", "revert", "delete-file"])
def test_arrays_kept_from_before_a_change_give_the_matches_of_a_fresh_build(project: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    """The documents changed since the kept arrays were built are read again alone: the
    matches are those of arrays built from the index as it is now."""
    ids = _approve_some()
    index.open_index(OUT)
    if change == "edit":
        review.edit(OUT, ZH, ids[1], "A new English for the kept arrays to miss.")
    elif change == "revert":
        review.revert(OUT, ZH, ids[0], force=True)
    else:
        store.path_for(OUT, ZH_HANT).unlink()
    index.forget(OUT)
    idx = index.open_index(OUT)
    kept = idx.memory_snapshot()
    assert kept is not None and kept[0] != idx.versions()  # the kept arrays are of before the change
    assert _all_matches(memory.Memory(idx)) == _fresh_memory(monkeypatch)


def test_the_memory_survives_deleting_the_index(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _approve_some()
    before = _fresh_memory(monkeypatch)
    index.forget(OUT)
    for p in OUT.glob(index.INDEX_NAME + "*"):
        p.unlink()
    assert _all_matches(memory.Memory(index.open_index(OUT))) == before


def test_a_review_server_builds_the_memory_arrays_in_a_thread_saves_do_not_wait(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that makes a build due (here: the first reviewed segment, no arrays kept) answers
    and updates the index while the build, in a thread of its own, is still under way."""
    import threading

    from cli_helpers import request, serve
    from workbench.server import ReviewServer

    started, release = threading.Event(), threading.Event()
    real = index.Index.build_memory

    def held(self: index.Index) -> object:
        started.set()
        release.wait(30)
        return real(self)

    index.forget(OUT)
    for p in OUT.glob(index.INDEX_NAME + "*"):
        p.unlink()
    assert index.open_index(OUT).memory_snapshot() is None and not index.open_index(OUT).reviewed()
    monkeypatch.setattr(index.Index, "build_memory", held)
    monkeypatch.setattr(ReviewServer, "after_open", lambda *args: None)  # (it would read the memory, so build it, too)
    try:
        with serve(warm=False) as srv:
            status, doc = request(srv, "GET", f"/api/doc/{ZH}")
            sid = next(s["id"] for s in doc["segments"] if s.get("source"))
            status, change = request(srv, "POST", f"/api/doc/{ZH}/approve", {"digest": doc["digest"], "ids": [sid], "override": True})
            assert status == 200, change
            assert started.wait(30)  # due, and started in a thread
            status, again = request(srv, "POST", f"/api/doc/{ZH}/edit", {"digest": change["digest"], "id": sid, "text": "Saved while the memory builds."})
            assert status == 200 and not release.is_set(), again  # answered while the build waits
            assert [r[1] for r in index.open_index(OUT).reviewed([ZH])] == [sid]  # and the index is current
    finally:
        release.set()
