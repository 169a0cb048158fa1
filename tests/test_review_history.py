"""Nothing a reviewer did is lost: history per segment, undo, confirmation before destructive
changes, notes, orphans (library, CLI and HTTP)."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner

from cli_helpers import serving
from workbench import review, store
from workbench.cli import cli
from workbench.errors import InputError
from workbench.server import ReviewServer
from workbench.translate import translate_documents

ZH = "000_093349a39d32f8f2"
VI = "001_85fdaf6eba83a0b1"
OUT = Path("translations")


def _doc(stem: str = ZH) -> store.StoredDocument:
    doc = store.load(store.path_for(OUT, stem))
    assert doc is not None
    return doc


def _seg(sid: str, stem: str = ZH) -> store.Segment:
    return next(s for s in _doc(stem).segments if s.id == sid)


def _pair(stem: str) -> tuple[store.Segment, store.Segment]:
    doc = _doc(stem)
    for a, b in zip(doc.segments, doc.segments[1:]):
        if a.source and b.source and a.paragraph == b.paragraph and "\n\n" not in b.gap:
            return a, b
    raise AssertionError("no two sentences in one paragraph")


# ---------------------------------------------------------------- history and undo


def test_every_change_appends_who_when_old_and_new(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = _doc().segments[1].id
    before = _seg(sid)
    review.edit(OUT, ZH, sid, "First English.", who="alice")
    monkeypatch.setenv("WORKBENCH_REVIEWER", "bob")
    review.approve(OUT, ZH, [sid], override=True)
    h = _seg(sid).history
    assert [(e["action"], e["by"], e["status"], e["target"]) for e in h] == [("edit", "alice", "edited", "First English."), ("approve", "bob", "approved", "First English.")]
    assert h[0]["old_target"] == before.target and h[0]["old_status"] == "draft"
    assert h[0]["at"].endswith("Z") and h[0]["at"][:4].isdigit()
    # approving an approved segment again changes nothing and records nothing
    review.approve(OUT, ZH, [sid], override=True)
    assert len(_seg(sid).history) == 2


@pytest.mark.parametrize("steps", [1, 2, 3])
def test_undo_walks_back_one_change_at_a_time(project: Path, steps: int) -> None:
    sid = _doc().segments[1].id
    versions = [(_seg(sid).target, _seg(sid).status)]
    for text in ("One.", "Two.", "Three."):
        review.edit(OUT, ZH, sid, text)
        versions.append((_seg(sid).target, _seg(sid).status))
    for _ in range(steps):
        review.undo(OUT, ZH, sid)
    seg = _seg(sid)
    assert (seg.target, seg.status) == versions[-1 - steps]
    assert sum(1 for e in seg.history if e.get("undone")) == steps and seg.history[-1]["action"] == "undo"


def test_undo_with_nothing_to_undo_says_so(project: Path) -> None:
    sid = _doc().segments[1].id
    with pytest.raises(InputError, match="no change to undo"):
        review.undo(OUT, ZH, sid)


def test_undo_of_a_merge_brings_both_segments_back_exactly(project: Path) -> None:
    a, b = _pair(VI)
    original = _doc(VI)
    review.merge(OUT, VI, a.id)
    assert b.id not in {s.id for s in _doc(VI).segments}
    review.undo(OUT, VI, a.id)
    after = _doc(VI)
    assert [s.id for s in after.segments] == [s.id for s in original.segments]
    assert after.source_text() == original.source_text()
    ra, rb = _seg(a.id, VI), _seg(b.id, VI)
    assert (ra.source, ra.target, ra.mt, ra.status) == (a.source, a.target, a.mt, a.status)
    assert (rb.source, rb.target, rb.mt, rb.status, rb.gap) == (b.source, b.target, b.mt, b.status, b.gap)


def test_undo_of_a_split_joins_the_parts(project: Path) -> None:
    seg = next(s for s in _doc().segments if "，" in s.source)
    original = _doc()
    review.split(OUT, ZH, seg.id, seg.source.index("，") + 1, 3)
    assert len(_doc().segments) == len(original.segments) + 1
    review.undo(OUT, ZH, seg.id)
    after = _doc()
    assert [s.id for s in after.segments] == [s.id for s in original.segments] and after.source_text() == original.source_text()
    back = _seg(seg.id)
    assert (back.source, back.target, back.mt, back.status) == (seg.source, seg.target, seg.mt, seg.status)


def test_merge_keeps_the_machine_drafts_and_notes(project: Path) -> None:
    a, b = _pair(VI)
    review.add_note(OUT, VI, b.id, "Check the second sentence.")
    review.merge(OUT, VI, a.id)
    merged = _seg(a.id, VI)
    assert merged.mt == f"{a.mt.strip()} {b.mt.strip()}"  # type: ignore[union-attr]
    assert [n["text"] for n in merged.notes] == ["Check the second sentence."]


# ---------------------------------------------------------------- destructive changes ask first


@pytest.mark.parametrize("action", ["revert", "merge", "split"])
def test_destructive_changes_on_approved_work_need_force_and_write_nothing(project: Path, action: str) -> None:
    a, b = _pair(VI)
    review.edit(OUT, VI, a.id, "Reviewed English, approved.")
    review.approve(OUT, VI, [a.id], override=True)
    path = store.path_for(OUT, VI)
    before = path.read_bytes()
    call = {
        "revert": lambda **kw: review.revert(OUT, VI, a.id, **kw),
        "merge": lambda **kw: review.merge(OUT, VI, a.id, **kw),
        "split": lambda **kw: review.split(OUT, VI, a.id, 3, 2, **kw),
    }[action]
    with pytest.raises(review.ConfirmError, match="approved"):
        call()
    assert path.read_bytes() == before
    call(force=True)
    assert path.read_bytes() != before
    # and whatever it replaced is one undo away
    review.undo(OUT, VI, a.id)
    assert _seg(a.id, VI).target == "Reviewed English, approved." and _seg(a.id, VI).status == "approved"


def test_cli_revert_shows_what_would_be_lost_and_force_does_it(project: Path) -> None:
    runner = CliRunner()
    sid = _doc().segments[1].id
    assert runner.invoke(cli, ["review", "edit", ZH, sid, "Careful human English.", "--reviewer", "carol"]).exit_code == 0
    r = runner.invoke(cli, ["review", "revert", ZH, sid])
    assert r.exit_code == 2 and "Careful human English." in r.stderr and "--force" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert _seg(sid).target == "Careful human English."
    assert runner.invoke(cli, ["review", "revert", ZH, sid, "--force", "--reviewer", "carol"]).exit_code == 0
    hist = runner.invoke(cli, ["review", "history", ZH, sid])
    assert hist.exit_code == 0 and "carol  edit" in hist.stdout and "carol  revert" in hist.stdout
    r = runner.invoke(cli, ["review", "undo", ZH, sid])
    assert r.exit_code == 0 and "Careful human English." in r.stdout and _seg(sid).status == "edited"
    data = json.loads(runner.invoke(cli, ["review", "history", ZH, sid, "--json"]).stdout)
    assert [h["action"] for h in data["segments"][0]["history"]] == ["edit", "revert", "undo"]


# ---------------------------------------------------------------- notes and file format


def test_notes_are_stored_per_segment_with_who_and_when(project: Path) -> None:
    runner = CliRunner()
    sid = _doc().segments[2].id
    r = runner.invoke(cli, ["review", "note", ZH, sid, "Ask the author about the date.", "--reviewer", "dana"])
    assert r.exit_code == 0, r.output
    notes = _seg(sid).notes
    assert notes[0]["text"] == "Ask the author about the date." and notes[0]["by"] == "dana" and notes[0]["at"].endswith("Z")
    assert runner.invoke(cli, ["review", "note", ZH, sid, "  "]).exit_code == 2
    # notes and history survive a translate re-run
    review.edit(OUT, ZH, sid, "Human English.")
    translate_documents([Path("seeds")], out_dir=OUT, engine="copy", glossary_path=Path("glossary.yaml"), download=False)
    seg = _seg(sid)
    assert seg.notes == notes and [h["action"] for h in seg.history] == ["edit"]


def test_old_files_without_history_or_notes_still_load_and_a_legacy_note_stays(project: Path) -> None:
    path = store.path_for(OUT, ZH)
    text = path.read_text(encoding="utf-8")
    assert "history:" not in text and "notes:" not in text  # the fixture files are the old format
    doc = _doc()
    doc.segments[1].note = "legacy single note"
    store.save(doc, path)
    seg = _doc().segments[1]
    assert seg.note == "legacy single note" and seg.notes == [] and seg.history == []
    bad = text.replace("  paragraph: 0\n", "  paragraph: 0\n  history: 3\n", 1)
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(Exception, match="`history` must be a list of mappings"):
        store.load(path)


def test_chunked_dump_is_the_same_text_as_a_whole_dump(project: Path) -> None:
    for path in store.list_files(OUT):
        doc = store.load(path)
        assert doc is not None
        chunks: dict[str, str] = {}
        assert store.dumps(doc, chunks) == store.dumps(doc) == store.dumps(doc, chunks)


# ---------------------------------------------------------------- orphans


def _make_orphan(project: Path) -> tuple[store.Segment, str]:
    seg = _doc().segments[2]
    review.edit(OUT, ZH, seg.id, "Reviewed English of a sentence that will leave.")
    src = project / "seeds" / f"{ZH}.txt"
    src.write_text(src.read_text(encoding="utf-8").replace(seg.source, "新的一句话。"), encoding="utf-8")
    translate_documents([src], out_dir=OUT, engine="copy", glossary_path=Path("glossary.yaml"), download=False)
    doc = _doc()
    assert [o.id for o in doc.orphans] == [seg.id]
    new = next(s for s in doc.segments if s.source == "新的一句话。")
    return seg, new.id


def test_orphans_are_listed_reattached_and_dismissed(project: Path) -> None:
    runner = CliRunner()
    seg, new_id = _make_orphan(project)
    st = runner.invoke(cli, ["status"])
    assert "1 orphaned human edits kept" in st.stdout and f"review orphans {ZH}" in st.stdout
    listed = runner.invoke(cli, ["review", "orphans", ZH])
    assert seg.id in listed.stdout and "Reviewed English of a sentence that will leave." in listed.stdout
    r = runner.invoke(cli, ["review", "reattach", ZH, seg.id, new_id])
    assert r.exit_code == 0, r.output
    doc = _doc()
    assert doc.orphans == [] and _seg(new_id).target == "Reviewed English of a sentence that will leave." and _seg(new_id).status == "edited"
    assert _seg(new_id).history[-1]["action"] == "reattach"


def test_dismissing_an_orphan_drops_it(project: Path) -> None:
    seg, _new = _make_orphan(project)
    r = CliRunner().invoke(cli, ["review", "discard", ZH, seg.id])
    assert r.exit_code == 0 and _doc().orphans == []
    assert CliRunner().invoke(cli, ["review", "discard", ZH, seg.id]).exit_code == 2


# ---------------------------------------------------------------- the HTTP API sends what changed


@pytest.fixture
def server(project: Path) -> Iterator[ReviewServer]:
    with serving(OUT, reviewer="erin") as srv:
        yield srv


def _req(srv: ReviewServer, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    headers = {"Host": f"127.0.0.1:{srv.port}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    conn.request(method, path, data, headers)
    res = conn.getresponse()
    out = json.loads(res.read())
    conn.close()
    return res.status, out


def test_an_edit_answers_with_the_changed_segments_only(server: ReviewServer) -> None:
    status, doc = _req(server, "GET", f"/api/doc/{ZH}")
    assert status == 200 and "fuzzy" not in doc["segments"][0] and "history" not in doc["segments"][0]
    sid = doc["segments"][1]["id"]
    status, saved = _req(server, "POST", f"/api/doc/{ZH}/edit", {"digest": doc["digest"], "id": sid, "text": "Changed."})
    assert status == 200 and [s["id"] for s in saved["segments"]] == [sid] and saved["digest"] != doc["digest"]
    assert saved["digest"] == store.file_digest(store.path_for(OUT, ZH)) and saved["segments"][0]["undo"] is True
    assert _seg(sid).history[-1]["by"] == "erin"
    # revert asks (409 confirm, nothing written), then force does it
    status, err = _req(server, "POST", f"/api/doc/{ZH}/revert", {"digest": saved["digest"], "id": sid})
    assert status == 409 and err["confirm"] is True and "Changed." in err["error"]
    status, reverted = _req(server, "POST", f"/api/doc/{ZH}/revert", {"digest": saved["digest"], "id": sid, "force": True})
    assert status == 200 and reverted["segments"][0]["status"] == "draft"
    status, undone = _req(server, "POST", f"/api/doc/{ZH}/undo", {"digest": reverted["digest"], "id": sid})
    assert status == 200 and undone["segments"][0]["target"] == "Changed." and undone["order"][1] == sid
    status, hist = _req(server, "GET", f"/api/doc/{ZH}/history?id={sid}")
    assert status == 200 and [h["action"] for h in hist["history"]] == ["edit", "revert", "undo"]


def test_matches_are_computed_for_the_segments_asked(server: ReviewServer) -> None:
    doc = _doc()
    first = next(s for s in doc.segments if s.source)
    annex = next(s for s in doc.segments if s.source == first.source + "的附件")
    review.edit(OUT, ZH, first.id, "Letter dated 25 March 2021")
    status, got = _req(server, "GET", f"/api/doc/{ZH}/matches?ids={annex.id},{first.id}")
    assert status == 200 and set(got["matches"]) == {annex.id, first.id}
    assert got["matches"][annex.id][0]["target"] == "Letter dated 25 March 2021"
    assert got["matches"][first.id] == []  # never the segment itself


def test_search_and_find_replace(server: ReviewServer) -> None:
    from urllib.parse import quote

    status, found = _req(server, "GET", "/api/search?in=source&q=" + quote("安全理事会"))
    assert status == 200 and found["matches"] and all("安全理事会" in m["source"] for m in found["matches"])
    status, doc = _req(server, "GET", f"/api/doc/{ZH}")
    status, preview = _req(server, "POST", f"/api/doc/{ZH}/replace", {"find": "Viet Nam", "replace": "Vietnam", "preview": True})
    assert status == 200 and preview["count"] >= 1 and all("Vietnam" in p["after"] for p in preview["preview"])
    assert store.file_digest(store.path_for(OUT, ZH)) == doc["digest"]  # a preview writes nothing
    status, done = _req(server, "POST", f"/api/doc/{ZH}/replace", {"digest": doc["digest"], "find": "Viet Nam", "replace": "Vietnam", "preview": False})
    assert status == 200 and done["count"] == preview["count"] and len(done["segments"]) == preview["segments_count"]
    assert all(s["status"] == "edited" and "Viet Nam" not in s["target"] for s in done["segments"])


def test_the_summary_kept_after_each_save_matches_a_full_recount(project: Path) -> None:
    from workbench.index import open_index, summarize

    doc = _doc()
    ids = [s.id for s in doc.segments if s.source]
    changes = [
        lambda: review.edit(OUT, ZH, ids[1], "Letter dated 25 March 2021 from Viet Nam"),
        lambda: review.approve(OUT, ZH, [ids[1], ids[2]], override=True),
        lambda: review.revert(OUT, ZH, ids[2], force=True),
        lambda: review.add_note(OUT, ZH, ids[3], "a note"),
        lambda: review.undo(OUT, ZH, ids[2]),
    ]
    for change in changes:
        c = change()
        assert c.summary == summarize(_doc())
        assert next(e for e in open_index(OUT).documents() if e.stem == ZH).summary == summarize(_doc())
