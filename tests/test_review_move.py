"""Alignment review: move one sentence of a segment's English to the neighbouring segment
(library, CLI, HTTP), with history and undo of both segments at once."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from cli_helpers import refused, run_cli, serving
from workbench import review, store
from workbench.errors import InputError
from workbench.server import ReviewServer

ZH = "000_093349a39d32f8f2"
OUT = Path("translations")


def _doc() -> store.StoredDocument:
    doc = store.load(store.path_for(OUT, ZH))
    assert doc is not None
    return doc


def _seg(sid: str) -> store.Segment:
    return next(s for s in _doc().segments if s.id == sid)


def _pair(first: str, second: str) -> tuple[str, str]:
    """Two neighbouring segments of the real seed letter, their English set by a reviewer."""
    segs = [s for s in _doc().segments if s.source]
    a, b = segs[1].id, segs[2].id
    review.edit(OUT, ZH, a, first)
    review.edit(OUT, ZH, b, second)
    return a, b


MOVES = [
    # (English of a, of b, who moves, direction) -> (a, b) afterwards
    pytest.param("One. Two.", "Three.", "a", "down", ("One.", "Two. Three."), id="last sentence down"),
    pytest.param("One.", "Two. Three.", "b", "up", ("One. Two.", "Three."), id="first sentence up"),
    pytest.param("One.", "Two.", "a", "down", ("", "One. Two."), id="the only sentence down (a 1-0 bead)"),
    pytest.param("Dr. Smith met Mr. Jones. They agreed.", "Next.", "a", "down", ("Dr. Smith met Mr. Jones.", "They agreed. Next."), id="abbreviations are not sentence ends"),
]


@pytest.mark.parametrize("first,second,who,direction,expected", MOVES)
def test_move_a_sentence(project: Path, first: str, second: str, who: str, direction: str, expected: tuple[str, str]) -> None:
    a, b = _pair(first, second)
    change = review.move_sentence(OUT, ZH, a if who == "a" else b, direction, who="maria")
    assert sorted(change.segments) == sorted([a, b]) and change.written
    assert (_seg(a).target, _seg(b).target) == expected
    assert _seg(a).status == _seg(b).status == "edited"
    ha, hb = _seg(a).history[-1], _seg(b).history[-1]
    assert ha["action"] == hb["action"] == "move" and ha["by"] == "maria"
    assert (ha.get("to"), ha.get("from"), hb.get("to"), hb.get("from")) in ((b, None, None, a), (None, b, a, None))


@pytest.mark.parametrize("undo_on", ["a", "b"])
def test_undo_on_either_segment_puts_the_sentence_back(project: Path, undo_on: str) -> None:
    a, b = _pair("One. Two.", "Three.")
    review.move_sentence(OUT, ZH, a, "down")
    review.undo(OUT, ZH, a if undo_on == "a" else b)
    assert (_seg(a).target, _seg(b).target) == ("One. Two.", "Three.")
    assert _seg(a).history[-2].get("undone") and _seg(b).history[-2].get("undone")
    # the edits before the move are still there to undo, one at a time
    review.undo(OUT, ZH, a)
    assert _seg(a).status == "draft"


def test_undo_is_refused_when_the_other_segment_changed_since(project: Path) -> None:
    a, b = _pair("One. Two.", "Three.")
    review.move_sentence(OUT, ZH, a, "down")
    review.edit(OUT, ZH, b, "Rewritten.")
    with pytest.raises(InputError, match=f"segment {b} was changed after it"):
        review.undo(OUT, ZH, a)
    assert _seg(a).target == "One."  # nothing written


def test_moving_approved_english_asks_first(project: Path) -> None:
    a, b = _pair("One. Two.", "Three.")
    review.approve(OUT, ZH, [b], override=True)
    with pytest.raises(review.ConfirmError, match=f"{b} approved"):
        review.move_sentence(OUT, ZH, a, "down")
    assert _seg(b).status == "approved"
    review.move_sentence(OUT, ZH, a, "down", force=True)
    assert _seg(b).target == "Two. Three." and _seg(b).status == "edited"


def test_no_neighbour_no_english_bad_direction(project: Path) -> None:
    last = [s for s in _doc().segments if s.source][-1].id
    review.edit(OUT, ZH, last, "One. Two.")
    with pytest.raises(InputError, match="no next segment"):
        review.move_sentence(OUT, ZH, last, "down")
    a, _b = _pair("One.", "Two.")
    review.move_sentence(OUT, ZH, a, "down")
    with pytest.raises(InputError, match="has no English to move"):
        review.move_sentence(OUT, ZH, a, "down")
    with pytest.raises(InputError, match="say up"):
        review.move_sentence(OUT, ZH, a, "sideways")


def test_cli_move_and_its_refusals(project: Path) -> None:
    a, b = _pair("One. Two.", "Three.")
    done = run_cli("review", "move", ZH, a, "down", "--reviewer", "li")
    assert done.exit_code == 0, done.output
    assert f"{ZH}: moved a sentence down: 2 segments" in done.stdout
    assert _seg(b).target == "Two. Three." and _seg(b).history[-1]["by"] == "li"
    review.approve(OUT, ZH, [b], override=True)
    refused(run_cli("review", "move", ZH, b, "up"), 2, "approved", "--force")
    assert run_cli("review", "move", ZH, b, "up", "--force").exit_code == 0
    assert _seg(a).target == "One. Two."
    assert run_cli("review", "move", ZH, a, "left").exit_code == 2  # click's choice check


@pytest.fixture
def server(project: Path) -> Iterator[ReviewServer]:
    with serving(OUT, reviewer="erin") as srv:
        yield srv


def _post(srv: ReviewServer, path: str, body: Any) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request("POST", path, json.dumps(body).encode("utf-8"), {"Host": f"127.0.0.1:{srv.port}", "Content-Type": "application/json"})
    res = conn.getresponse()
    out = json.loads(res.read())
    conn.close()
    return res.status, out


def test_http_move_answers_with_both_segments(server: ReviewServer) -> None:
    a, b = _pair("One. Two.", "Three.")
    digest = store.file_digest(store.path_for(OUT, ZH))
    status, out = _post(server, f"/api/doc/{ZH}/move", {"digest": digest, "id": a, "direction": "down"})
    assert status == 200 and {s["id"]: s["target"] for s in out["segments"]} == {a: "One.", b: "Two. Three."}
    assert "order" not in out and out["digest"] == store.file_digest(store.path_for(OUT, ZH))
    status, err = _post(server, f"/api/doc/{ZH}/move", {"digest": out["digest"], "id": a, "direction": 3})
    assert status == 400 and "`direction` must be text" in err["error"]
