"""The project index: incremental, deletable, a cache only; search with Chinese character n-grams
and Traditional/Simplified folding; broken files and symlinks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench import index, review, store
from workbench.cli import cli

ZH = "000_093349a39d32f8f2"
VI = "001_85fdaf6eba83a0b1"
ZH_HANT = "004_c0907f7ee83eb81c"
OUT = Path("translations")


def _fresh() -> index.Index:
    index.forget(OUT)
    return index.open_index(OUT, refresh=False)


def test_refresh_reads_only_files_that_changed(project: Path) -> None:
    idx = _fresh()
    idx.refresh()
    assert idx.refresh() == []  # nothing changed: no file read again
    path = store.path_for(OUT, VI)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000))
    assert idx.refresh() == []  # touched, same bytes: the hash says unchanged
    review.edit(OUT, VI, store.load(path).segments[1].id, "Changed by hand elsewhere.")  # type: ignore[union-attr]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Changed by hand elsewhere.", "Changed again, by an editor."), encoding="utf-8")
    assert idx.refresh() == [VI]
    assert any(r["target"] == "Changed again, by an editor." for r in idx.search("Changed again", "target"))


def test_the_index_can_be_deleted_and_is_rebuilt_the_same(project: Path) -> None:
    idx = _fresh()
    idx.refresh()
    before = [(e.stem, e.summary) for e in idx.documents()]
    index.forget(OUT)
    for p in OUT.glob(index.INDEX_NAME + "*"):
        p.unlink()
    rebuilt = index.open_index(OUT)
    assert [(e.stem, e.summary) for e in rebuilt.documents()] == before


def test_a_corrupt_index_is_rebuilt_not_an_error(project: Path) -> None:
    index.forget(OUT)
    for p in OUT.glob(index.INDEX_NAME + "*"):
        p.unlink()
    (OUT / index.INDEX_NAME).write_bytes(b"this is not an sqlite database" * 100)
    idx = index.open_index(OUT)
    assert {e.stem for e in idx.documents()} == {p.stem for p in store.list_files(OUT)}


@pytest.mark.parametrize(
    ("query", "where", "expect_in_source"),
    [
        ("安全理事会", "source", "安全理事会"),  # Simplified, inside a longer run of characters
        ("安全理事會", "source", "安全理事会"),  # Traditional query finds the Simplified text
        ("理事", "source", "理事"),  # two characters: a character n-gram, not a word
        ("viet nam", "target", None),  # English: case-insensitive words
    ],
)
def test_search_finds_chinese_by_characters_and_folds_scripts(project: Path, query: str, where: str, expect_in_source: str | None) -> None:
    rows = index.open_index(OUT).search(query, where)
    assert rows
    for r in rows:
        if expect_in_source:
            assert expect_in_source in index.fold(r["source"])
        else:
            assert "viet nam" in r["target"].lower()


def test_search_by_traditional_text_finds_the_traditional_document_too(project: Path) -> None:
    hant = store.load(store.path_for(OUT, ZH_HANT))
    assert hant is not None
    word = next(s.source for s in hant.segments if len(s.source) > 8)[2:6]
    rows = index.open_index(OUT).search(index._t2s().convert(word), "source")
    assert any(r["stem"] == ZH_HANT for r in rows)


def test_unparseable_queries_are_no_match_not_a_crash(project: Path) -> None:
    idx = index.open_index(OUT)
    for q in ['"', "AND", "*", "NEAR(", "a:b", "   "]:
        assert isinstance(idx.search(q), list)


def test_a_broken_file_is_recorded_with_its_error_and_others_stay(project: Path) -> None:
    path = store.path_for(OUT, VI)
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: finished", 1), encoding="utf-8")
    docs = {e.stem: e for e in index.open_index(OUT).documents()}
    assert docs[VI].error is not None and f"{VI}.yaml" in docs[VI].error and "'finished'" in docs[VI].error
    assert docs[ZH].error is None and docs[ZH].summary["segments"] > 0
    r = CliRunner().invoke(cli, ["status", "--json"])
    assert r.exit_code == 4 and f"{VI}.yaml" in r.stderr
    import json

    data, _end = json.JSONDecoder().raw_decode(r.stdout)  # then the error as JSON too (--json errors)
    assert {d["file"] for d in data["errors"]} == {str(path)} and len(data["documents"]) == len(docs) - 1
    # other documents still review, show and translate
    assert CliRunner().invoke(cli, ["review", "show", ZH]).exit_code == 0


def test_a_symlink_to_a_file_elsewhere_is_neither_a_document_nor_memory(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    doc = store.load(store.path_for(OUT, VI))
    assert doc is not None
    doc.segments[1].target, doc.segments[1].status = "SECRET FROM OUTSIDE", "approved"
    store.save(doc, outside / "secret.yaml")
    (OUT / "link-outside.yaml").symlink_to(outside / "secret.yaml")
    idx = index.open_index(OUT)
    assert "link-outside" not in {e.stem for e in idx.documents()}
    assert idx.search("SECRET FROM OUTSIDE") == []
    assert all(e.target != "SECRET FROM OUTSIDE" for e in review.memory_entries(OUT))
    assert review.fuzzy(OUT, doc.segments[1].source) == []


def test_status_reads_the_index_not_the_files(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index.open_index(OUT)  # built
    calls: list[str] = []
    real = store.loads

    def spy(raw: str, name: str) -> store.StoredDocument:
        calls.append(name)
        return real(raw, name)

    monkeypatch.setattr(store, "loads", spy)
    r = CliRunner().invoke(cli, ["status"])
    assert r.exit_code == 0 and ZH in r.stdout and calls == []


@pytest.mark.parametrize("run_later", [True, False])
def test_an_index_update_left_for_later_never_hides_the_saved_file(project: Path, run_later: bool) -> None:
    """``review.index_later``: the file is saved at once; the index is updated when the collected
    functions run (the server does so after replying) or, if they never run, by the next refresh."""
    idx = index.open_index(OUT)
    opened = review.open_doc(OUT, VI)
    sid = opened.doc.segments[1].id
    with review.index_later() as later:
        review.edit(OUT, VI, sid, "Saved before the index knew.", expected_digest=opened.digest)
    assert store.load(store.path_for(OUT, VI)).segments[1].target == "Saved before the index knew."  # type: ignore[union-attr]
    assert later and not idx.search("Saved before the index knew", "target")
    if run_later:
        for run in later:
            run()
        assert idx.refresh() == []  # recorded with the file's state after the write: nothing to read again
    else:
        assert idx.refresh() == [VI]
    assert [r["id"] for r in idx.search("Saved before the index knew", "target")] == [sid]


@pytest.mark.parametrize(
    "action",
    [
        lambda sid, seg: ("edit", [sid, "Edited: the index's copy follows."], {}),
        lambda sid, seg: ("approve", [[sid]], {"override": True}),
        lambda sid, seg: ("add_note", [sid, "A note."], {}),
        lambda sid, seg: ("split", [sid, len(seg.source) // 2, len(seg.target) // 2], {}),
        lambda sid, seg: ("merge", [sid], {}),
    ],
    ids=["edit", "approve", "note", "split", "merge"],
)
@pytest.mark.parametrize("run_later", [True, False])
def test_a_review_save_leaves_the_index_a_json_copy_of_the_new_bytes_only(project: Path, action: object, run_later: bool) -> None:
    """The index's JSON copy of a document (what a cold open reads instead of the YAML) is of
    the file's current bytes after a review save, never of the bytes before it."""
    idx = _fresh()
    idx.refresh()
    path = store.path_for(OUT, ZH)
    opened = review.view_doc(OUT, ZH)  # as the review server opens it (the JSON copy is there)
    assert idx.cached_doc(ZH, opened.digest, str(path)) is not None
    segs = opened.doc.segments
    seg = next(s for s, n in zip(segs, segs[1:]) if len(s.source) > 8 and n.paragraph == s.paragraph and "\n\n" not in n.gap)  # one merge can take
    name, args, options = action(seg.id, seg)  # type: ignore[operator]
    with review.index_later() as later:
        change = getattr(review, name)(OUT, ZH, *args, expected_digest=opened.digest, **options)
    if run_later:
        for run in later:
            run()
    else:
        idx.refresh()
    assert change.digest != opened.digest and idx.cached_doc(ZH, opened.digest, str(path)) is None
    copy = idx.cached_doc(ZH, store.file_digest(path) or "", str(path))
    assert copy is not None and copy.as_dict() == store.load(path).as_dict()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text, spaced",
    [
        ("", ""),
        ("abc 12", "abc 12"),
        ("联合国", " 联  合  国 "),
        ("联合国abc合作", " 联  合  国 abc 合  作 "),
        ("a联b", "a 联 b"),
        ("𠀀𠀁x", " 𠀀  𠀁 x"),
        ("大會，第75屆", " 大  會 ， 第 75 屆 "),
    ],
)
def test_han_characters_are_set_off_by_spaces_one_token_each(text: str, spaced: str) -> None:
    assert index.space_han(text) == spaced
    assert index.space_han(text) == index._HAN.sub(r" \1 ", text)  # the per-character rule it replaces
