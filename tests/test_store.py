"""Store: YAML round trips, atomic writes, hand-edited files refused with file and segment named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench import files, store
from workbench.errors import StoreError


def _doc(segments: list[store.Segment]) -> store.StoredDocument:
    return store.StoredDocument(
        document="seeds/x.txt", source_lang="vi", target_lang="en", signature={"engine": "copy"}, segments=segments, trailing="\n"
    )


def test_round_trip(tmp_path: Path) -> None:
    seg = store.Segment(
        id="s1", source="Hội đồng Bảo an họp.", target="The Security Council met.", mt="Council met.", status="edited",
        prefix="1. ", suffix="[1]", gap="\n\n", paragraph=2, origin="copy", fingerprint="abc",
        terms=[store.TermUse(term="security-council", source="Hội đồng Bảo an", en="Security Council", applied=True, method="inline")],
        flags=["number:2"], note="check", confidence=0.87,
    )
    path = tmp_path / "x.yaml"
    assert store.save(_doc([seg]), path) is True
    assert store.save(_doc([seg]), path) is False  # unchanged: not rewritten
    back = store.load(path)
    assert back is not None and back.segments == [seg]
    assert back.source_text() == "\n\n1. Hội đồng Bảo an họp.[1]\n"


def test_target_text_spaces_chinese_sentences() -> None:
    segs = [store.Segment(id="a", source="一。", target="One."), store.Segment(id="b", source="二。", target="Two.")]
    assert _doc(segs).target_text() == "One. Two.\n"


@pytest.mark.parametrize(
    "content, message",
    [
        ("segments: [\n  - id: a\n    source: x\n   bad", "invalid YAML at line"),
        ("- just a list", "not a workbench translations file"),
        ("document: x\nsource_lang: vi\n", "missing top-level key `segments`"),
        ("document: x\nsource_lang: vi\nsegments:\n- id: a\n  source: x\n  target: y\n  status: done\n", "segment a has status 'done'; use one of: draft, edited, approved"),
        ("document: x\nsource_lang: vi\nsegments:\n- source: x\n", "segments[0] has no `id`"),
        ("document: x\nsource_lang: vi\nsegments:\n- id: a\n  target: y\n", "segment a has no `source`"),
        ("document: x\nsource_lang: vi\nsegments:\n- id: a\n  source: x\n  target: [1, 2]\n", "segment a target must be text"),
        ("document: x\nsource_lang: vi\nsegments:\n- id: a\n  source: x\n- id: a\n  source: y\n", "segment a appears twice"),
        ("document: x\nsource_lang: vi\nsegments:\n- !!python/object/apply:os.system [echo hi]\n", "invalid YAML"),
    ],
)
def test_invalid_files_are_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError, match=message.replace("[", r"\[").replace("]", r"\]")) as info:
        store.load(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)
    assert path.read_text(encoding="utf-8") == content  # never touched


def test_numbers_typed_by_hand_are_text(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    path.write_text("document: x\nsource_lang: vi\nsegments:\n- id: a\n  source: '2021'\n  target: 2021\n", encoding="utf-8")
    doc = store.load(path)
    assert doc is not None and doc.segments[0].target == "2021"


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("old", encoding="utf-8")

    def boom(*_a: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(OSError):
        store.atomic_write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # no temp file left


def test_segment_ids_are_stable_and_unique() -> None:
    taken: set[str] = set()
    a = store.segment_id("", "同一句。", "", taken)
    b = store.segment_id("", "同一句。", "", taken)
    assert a != b and b.startswith(a)
    assert store.segment_id("", "同一句。", "", set()) == a


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_text, _text, st.sampled_from(store.STATUSES), _text, _text), max_size=5))
def test_write_read_round_trip_property(tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str, str, str]]) -> None:
    segs = [store.Segment(id=f"s{i}", source=s, target=t, status=st_, prefix=p, gap=g) for i, (s, t, st_, p, g) in enumerate(rows)]
    path = tmp_path_factory.mktemp("rt") / "doc.yaml"
    store.save(_doc(segs), path)
    back = store.load(path)
    assert back is not None and back.segments == segs


_SHARED = ["a", 1]


@pytest.mark.parametrize(
    "value",
    [
        {"source": "联合国", "target": "United Nations", "gap": "\n\n", "prefix": " ", "note": "", "approved": True, "n": 3, "mt": None},
        {"reserved": ["yes", "no", "null", "~", "1.5", "0x1F", "-", "#x", "a: b", "'q'", '"q"', "x\ny", "2024-06-01"]},
        {"empty": [], "none": {}, "nested": [[], [{}], {"k": [0, -7, False]}], "float": 1.5, "tuple": ("t",)},
        {"x": _SHARED, "y": _SHARED, "z": {"s": _SHARED}},  # a shared list: an anchor and aliases, as before
        [True, None, 0, "0", " ", "\t"],
    ],
)
def test_the_fast_representation_dumps_the_text_pyyaml_s_own_path_dumps(value: object) -> None:
    class Plain(store._ReadableDumper):  # type: ignore[misc, valid-type]
        represent_data = yaml.representer.BaseRepresenter.represent_data

    plain = yaml.dump(value, Dumper=Plain, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)
    assert store._dump(value) == plain
