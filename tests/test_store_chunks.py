"""A review save reuses each unchanged segment's YAML exactly as it is in the file (no re-dump),
and only when the file has the layout workbench writes; otherwise every segment is dumped."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import review, store

ZH = "000_093349a39d32f8f2"
OUT = Path("translations")


def _raw() -> bytes:
    return store.path_for(OUT, ZH).read_bytes()


def test_a_written_file_is_cut_into_its_segments(project: Path) -> None:
    raw = _raw()
    doc = store.loads(raw.decode("utf-8"), "x")
    chunks = store.segment_chunks(raw, doc)
    assert list(chunks) == [s.id for s in doc.segments]
    assert store.dump_bytes(doc, chunks) == raw == store.dumps(doc).encode("utf-8")


def _first_item_keys_swapped(text: str) -> str:
    head, _, rest = text.partition("segments:\n- id: ")
    first_id, _, rest = rest.partition("\n  status: ")
    status, _, rest = rest.partition("\n")
    return f"{head}segments:\n- status: {status}\n  id: {first_id}\n{rest}"


HAND_EDITS = [  # how a person may have re-saved the file -> are the items reused?
    pytest.param(lambda t: t, True, id="as written"),
    pytest.param(lambda t: "\n- id: ".join(t.split("\n- id: ", 2)[:2]) + "\n# checked by Lan\n- id: " + t.split("\n- id: ", 2)[2], True, id="a comment line between items"),
    pytest.param(lambda t: t.replace("\n", "\r\n"), False, id="CRLF line ends"),
    pytest.param(_first_item_keys_swapped, False, id="keys in another order"),
    pytest.param(lambda t: t.replace("origin: copy", "origin: &o copy", 1).replace("origin: copy", "origin: *o", 1), False, id="an anchor and an alias"),
]


@pytest.mark.parametrize("edit,reused", HAND_EDITS)
def test_hand_edited_layouts(project: Path, edit, reused: bool) -> None:  # type: ignore[no-untyped-def]
    path = store.path_for(OUT, ZH)
    path.write_bytes(edit(path.read_text(encoding="utf-8")).encode("utf-8"))
    raw = path.read_bytes()
    doc = store.loads(raw.decode("utf-8"), "x")
    assert bool(store.segment_chunks(raw, doc)) is reused
    # a review save of one segment keeps every other segment's data, reused or dumped again
    sid = doc.segments[1].id
    review.edit(OUT, ZH, sid, "Changed by the reviewer.")
    after = store.load(path)
    assert after is not None
    assert [s.as_dict() for s in after.segments if s.id != sid] == [s.as_dict() for s in doc.segments if s.id != sid]
    assert next(s for s in after.segments if s.id == sid).target == "Changed by the reviewer."
    if reused:
        assert (b"# checked by Lan" in path.read_bytes()) == (b"# checked by Lan" in raw)
