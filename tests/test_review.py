"""Review library and commands: edit/approve/revert/split/merge, stale writes, translation memory."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench import review, store
from workbench.cli import cli
from workbench.errors import InputError, StoreError
from workbench.glossary import Glossary
from workbench.translate import translate_documents

ROOT = Path(__file__).resolve().parent.parent
ZH = "000_093349a39d32f8f2"  # zh-Hans
VI = "001_85fdaf6eba83a0b1"
EN = "003_48e5bbd035215e94"
ZH_HANT = "004_c0907f7ee83eb81c"




OUT = Path("translations")


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load(ROOT / "glossary.yaml")


def _seg(stem: str, sid: str) -> store.Segment:
    doc = store.load(store.path_for(OUT, stem))
    assert doc is not None
    return next(s for s in doc.segments if s.id == sid)


def _first_multi_paragraph_pair(doc: store.StoredDocument) -> int:
    """Index i of a segment whose next segment is in the same paragraph."""
    for i in range(len(doc.segments) - 1):
        a, b = doc.segments[i], doc.segments[i + 1]
        if a.source and b.source and a.paragraph == b.paragraph and "\n\n" not in b.gap:
            return i
    raise AssertionError("no two sentences in one paragraph")


# ---------------------------------------------------------------- open


def test_open_doc_by_source_path_stem_or_yaml(project: Path) -> None:
    a = review.open_doc(OUT, f"seeds/{ZH}.txt")
    b = review.open_doc(OUT, ZH)
    c = review.open_doc(OUT, f"translations/{ZH}.yaml")
    assert a.stem == b.stem == c.stem == ZH
    assert a.digest == b.digest == store.file_digest(store.path_for(OUT, ZH))
    with pytest.raises(StoreError, match="run `workbench translate nope.txt` first"):
        review.open_doc(OUT, "nope.txt")


# ---------------------------------------------------------------- edit / approve / revert


def test_edit_sets_status_recomputes_flags_and_returns_the_new_digest(project: Path, glossary: Glossary) -> None:
    opened = review.open_doc(OUT, ZH)
    seg = opened.doc.segments[0]  # 2021年3月25日越南常驻联合国代表给秘书长的信
    assert "no-mt" in seg.flags
    change = review.edit(OUT, ZH, seg.id, "Letter dated 25 March 2021 from the Permanent Representative of Viet Nam", expected_digest=opened.digest, glossary=glossary)
    assert change.digest == store.file_digest(store.path_for(OUT, ZH)) != opened.digest
    after = _seg(ZH, seg.id)
    assert after.status == "edited"
    assert after.target.startswith("Letter dated 25 March 2021")
    assert after.mt == seg.mt  # the machine draft is kept for revert
    assert "no-mt" not in after.flags  # a human wrote it
    assert "missing-term:secretary-general" in after.flags  # QA recomputed on the new text
    assert "missing-term:permanent-representative-of-viet-nam-to-the-united-nations" in after.flags
    assert any(t.term == "coronavirus-disease-covid-19" or (t.term is None and t.applied) or t.method == "missing" for t in after.terms)
    review.edit(OUT, ZH, seg.id, "Letter dated 25 March 2021 from the Permanent Representative of Viet Nam to the United Nations addressed to the Secretary-General", glossary=glossary)
    assert _seg(ZH, seg.id).flags == []


def test_edit_refuses_empty_text_and_unknown_segment(project: Path) -> None:
    before = store.file_digest(store.path_for(OUT, ZH))
    with pytest.raises(InputError, match="empty"):
        review.edit(OUT, ZH, review.open_doc(OUT, ZH).doc.segments[0].id, "   ")
    with pytest.raises(InputError, match="review show"):
        review.edit(OUT, ZH, "s00000000", "x")
    assert store.file_digest(store.path_for(OUT, ZH)) == before


def test_stale_digest_is_refused_and_nothing_is_written(project: Path) -> None:
    first = review.open_doc(OUT, ZH)  # tab 1 loads
    second = review.open_doc(OUT, ZH)  # tab 2 loads the same version
    sid = first.doc.segments[1].id
    review.edit(OUT, ZH, sid, "Tab one's English.", expected_digest=first.digest)
    on_disk = store.path_for(OUT, ZH).read_bytes()
    with pytest.raises(StoreError, match=r"^stale: .*reload"):
        review.edit(OUT, ZH, sid, "Tab two's English.", expected_digest=second.digest)
    with pytest.raises(StoreError, match="stale"):
        review.approve(OUT, ZH, [sid], expected_digest=second.digest)
    assert store.path_for(OUT, ZH).read_bytes() == on_disk
    assert _seg(ZH, sid).target == "Tab one's English."


def test_concurrent_changes_with_the_same_digest_one_wins(project: Path) -> None:
    opened = review.open_doc(OUT, ZH)
    ids = [s.id for s in opened.doc.segments if s.source][:6]
    results: list[object] = []

    def worker(sid: str) -> None:
        try:
            results.append(review.edit(OUT, ZH, sid, f"English of {sid}.", expected_digest=opened.digest))
        except StoreError as exc:
            results.append(exc)

    threads = [threading.Thread(target=worker, args=(sid,)) for sid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wins = [r for r in results if isinstance(r, review.Change)]
    assert len(wins) == 1 and all("stale" in str(r) for r in results if r not in wins)
    doc = review.open_doc(OUT, ZH).doc
    assert sum(1 for s in doc.segments if s.status == "edited") == 1


def test_approve_ids_all_clean_and_revert(project: Path) -> None:
    en = review.open_doc(OUT, EN)
    assert all(not s.flags for s in en.doc.segments if s.source)
    change = review.approve(OUT, EN, all_clean=True)
    assert len(change.segments) == en.doc.counts()["draft"]
    assert review.open_doc(OUT, EN).doc.counts()["approved"] == len(change.segments)
    zh = review.open_doc(OUT, ZH)
    assert review.approve(OUT, ZH, all_clean=True).segments == []  # every copy draft is flagged no-mt
    sid = zh.doc.segments[2].id
    with pytest.raises(InputError, match=r"open QA flags \(no-mt\).*--override"):
        review.approve(OUT, ZH, [sid])  # a copy draft still in Chinese is not approved silently
    review.approve(OUT, ZH, [sid], override=True)
    assert _seg(ZH, sid).status == "approved" and "no-mt" in _seg(ZH, sid).flags  # approval never clears a flag
    review.edit(OUT, ZH, sid, "Something else.")
    with pytest.raises(review.ConfirmError, match="Something else"):  # revert now asks first
        review.revert(OUT, ZH, sid)
    assert _seg(ZH, sid).target == "Something else."
    review.revert(OUT, ZH, sid, force=True)
    seg = _seg(ZH, sid)
    assert seg.status == "draft" and seg.target == seg.mt and "no-mt" in seg.flags
    with pytest.raises(InputError, match="SEGMENT_IDS or --all-clean"):
        review.approve(OUT, ZH)


# ---------------------------------------------------------------- split / merge


def test_split_keeps_source_text_exact_and_ids_unique(project: Path) -> None:
    opened = review.open_doc(OUT, ZH)
    original = opened.doc.source_text()
    i = next(i for i, s in enumerate(opened.doc.segments) if "，" in s.source)
    seg = opened.doc.segments[i]
    at = seg.source.index("，") + 1
    t_at = len(seg.target) // 2
    change = review.split(OUT, ZH, seg.id, at, t_at, expected_digest=opened.digest)
    doc = review.open_doc(OUT, ZH).doc
    assert doc.source_text() == original
    a, b = doc.segments[i], doc.segments[i + 1]
    assert change.segments == [seg.id, b.id]
    assert a.id == seg.id and b.id != a.id and len({s.id for s in doc.segments}) == len(doc.segments)
    assert a.source + b.gap + b.source == seg.source
    assert (a.target + b.target).replace(" ", "") == seg.target.replace(" ", "")
    assert a.status == b.status == "edited" and a.paragraph == b.paragraph == seg.paragraph
    assert a.mt is None and b.mt is None
    assert [t.source for t in a.terms + b.terms] != [] or not seg.terms


def test_split_moves_white_space_into_the_gap(project: Path) -> None:
    opened = review.open_doc(OUT, EN)
    original = opened.doc.source_text()
    i = next(i for i, s in enumerate(opened.doc.segments) if s.source.count(" ") > 4)
    seg = opened.doc.segments[i]
    at = seg.source.index(" ") + 1  # just after a space: "word |rest"
    review.split(OUT, EN, seg.id, at, 0)
    doc = review.open_doc(OUT, EN).doc
    a, b = doc.segments[i], doc.segments[i + 1]
    assert b.gap == " " and not a.source.endswith(" ") and not b.source.startswith(" ")
    assert a.target == "" and b.target == seg.target.strip()
    assert doc.source_text() == original


@pytest.mark.parametrize("at", [0, -1, 10_000])
def test_split_refuses_points_outside_the_text(project: Path, at: int) -> None:
    seg = review.open_doc(OUT, ZH).doc.segments[1]
    with pytest.raises(InputError, match="outside"):
        review.split(OUT, ZH, seg.id, at, 0)


def test_merge_joins_with_the_gap_and_split_merge_round_trips(project: Path) -> None:
    opened = review.open_doc(OUT, VI)
    original = opened.doc.source_text()
    i = _first_multi_paragraph_pair(opened.doc)
    a, b = opened.doc.segments[i], opened.doc.segments[i + 1]
    change = review.merge(OUT, VI, a.id, expected_digest=opened.digest)
    doc = review.open_doc(OUT, VI).doc
    merged = doc.segments[i]
    assert change.segments == [a.id] and merged.id == a.id
    assert merged.source == a.source + a.suffix + b.gap + b.prefix + b.source
    assert merged.target == f"{a.target.strip()} {b.target.strip()}"
    assert merged.mt == f"{a.mt.strip()} {b.mt.strip()}"  # type: ignore[union-attr]
    assert merged.status == "edited" and b.id not in {s.id for s in doc.segments}
    assert doc.source_text() == original
    # split it back where it was merged: the same sources and gaps again
    review.split(OUT, VI, a.id, len(a.source + a.suffix) + len(b.gap), len(a.target.strip()) + 1)
    doc = review.open_doc(OUT, VI).doc
    assert doc.source_text() == original
    assert [doc.segments[i].source, doc.segments[i + 1].gap, doc.segments[i + 1].source] == [a.source + a.suffix, b.gap, b.prefix + b.source]


def test_split_then_merge_at_every_offset_rebuilds_the_source(project: Path) -> None:
    opened = review.open_doc(OUT, ZH_HANT)
    original = opened.doc.source_text()
    seg = max(opened.doc.segments, key=lambda s: len(s.source))
    i = opened.doc.segments.index(seg)
    for at in range(1, len(seg.source), max(1, len(seg.source) // 7)):
        if not seg.source[:at].strip() or not seg.source[at:].strip():
            continue
        review.split(OUT, ZH_HANT, seg.id, at, 0)
        assert review.open_doc(OUT, ZH_HANT).doc.source_text() == original
        review.merge(OUT, ZH_HANT, seg.id)
        doc = review.open_doc(OUT, ZH_HANT).doc
        assert doc.source_text() == original and doc.segments[i].source == seg.source


def test_merge_refuses_across_paragraphs_and_at_the_end(project: Path) -> None:
    doc = review.open_doc(OUT, ZH).doc
    with pytest.raises(InputError, match="different paragraphs"):
        review.merge(OUT, ZH, doc.segments[0].id)  # the title and the first paragraph
    with pytest.raises(InputError, match="last one"):
        review.merge(OUT, ZH, doc.segments[-1].id)


def test_translate_rerun_keeps_review_work(project: Path) -> None:
    opened = review.open_doc(OUT, ZH)
    sid = opened.doc.segments[1].id
    review.edit(OUT, ZH, sid, "Reviewed English.")
    review.approve(OUT, ZH, [opened.doc.segments[2].id], override=True)
    translate_documents([Path("seeds")], out_dir=OUT, engine="copy", glossary_path=Path("glossary.yaml"), download=False)
    doc = review.open_doc(OUT, ZH).doc
    assert _seg(ZH, sid).target == "Reviewed English." and _seg(ZH, sid).status == "edited"
    assert doc.segments[2].status == "approved"


# ---------------------------------------------------------------- translation memory


def test_memory_and_fuzzy_matches(project: Path) -> None:
    doc = review.open_doc(OUT, ZH).doc
    seg = next(s for s in doc.segments if s.source == "请将本信及其附件作为安全理事会文件分发为荷。")
    assert review.memory(OUT) == {}
    review.edit(OUT, ZH, seg.id, "I should be grateful if the present letter and its annex could be circulated as a document of the Security Council.")
    mem = review.memory(OUT)
    assert mem == {seg.source: _seg(ZH, seg.id).target}
    matches = review.fuzzy(OUT, "请将本信及其附件作为大会文件分发为荷。")
    assert len(matches) == 1 and matches[0].score >= 0.75
    m = matches[0].as_dict()
    assert m["segment"] == seg.id and m["stem"] == ZH
    assert {op for op, _ in m["diff"]} == {"equal", "delete", "insert"}
    assert "".join(t for op, t in m["diff"] if op != "delete") == seg.source
    assert "".join(t for op, t in m["diff"] if op != "insert") == "请将本信及其附件作为大会文件分发为荷。"
    assert review.fuzzy(OUT, "完全不同的一句话。") == []
    # approved beats edited for the same source
    review.approve(OUT, ZH, [seg.id], override=True)
    assert review.memory_entries(OUT)[0].status == "approved"


def test_fuzzy_respects_threshold_limit_and_exclude(project: Path) -> None:
    entries = [
        review.MemoryEntry("abcdefghij", "T1", "approved", "vi", "d", "x", "s1"),
        review.MemoryEntry("abcdefghiX", "T2", "edited", "vi", "d", "x", "s2"),
        review.MemoryEntry("abcdeXXXXX", "T3", "edited", "vi", "d", "x", "s3"),
        review.MemoryEntry("a", "T4", "edited", "vi", "d", "x", "s4"),
    ]
    got = review.fuzzy_in(entries, "abcdefghij")
    assert [m.target for m in got] == ["T1", "T2"]
    assert [m.target for m in review.fuzzy_in(entries, "abcdefghij", threshold=0.5, limit=3)] == ["T1", "T2", "T3"]
    assert [m.target for m in review.fuzzy_in(entries, "abcdefghij", exclude=("x", "s1"))] == ["T2"]


# ---------------------------------------------------------------- commands


def test_review_show_json_and_text(project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["review", "show", f"seeds/{ZH}.txt", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stem"] == ZH and data["source_lang"] == "zh-Hans"
    assert data["digest"] == store.file_digest(store.path_for(OUT, ZH))
    seg = data["segments"][0]
    assert {"id", "status", "source", "target", "mt", "flags", "terms", "source_hits", "target_hits", "paragraph", "gap"} <= set(seg)
    assert seg["source_hits"] and all(len(h) == 4 for h in seg["source_hits"])
    text = runner.invoke(cli, ["review", "show", ZH, "--status", "approved"])
    assert text.exit_code == 0 and "(no segments match)" in text.output
    flagged = json.loads(runner.invoke(cli, ["review", "show", ZH, "--flag", "no-mt", "--json"]).stdout)
    assert len(flagged["segments"]) == data["counts"]["draft"]


def test_review_commands_edit_approve_stale(project: Path) -> None:
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["review", "show", ZH, "--json"]).stdout)
    sid = data["segments"][1]["id"]
    r = runner.invoke(cli, ["review", "edit", ZH, sid, "Viet Nam, as President of the Security Council", "--digest", data["digest"]])
    assert r.exit_code == 0, r.output
    assert f"edited 1 segment: {sid}" in r.output and "QA flags:" in r.output
    r = runner.invoke(cli, ["review", "approve", ZH, sid, "--digest", data["digest"]])  # old digest: stale
    assert r.exit_code == 4
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: stale:")
    r = runner.invoke(cli, ["review", "approve", ZH, sid, "--override"])
    assert r.exit_code == 0 and _seg(ZH, sid).status == "approved"
    r = runner.invoke(cli, ["review", "edit", ZH, sid, "-"], input="From standard input.\n")
    assert r.exit_code == 0 and _seg(ZH, sid).target == "From standard input."
    r = runner.invoke(cli, ["review", "revert", ZH, sid])  # would replace edited English: asks for --force
    assert r.exit_code == 2 and "From standard input." in r.output and "--force" in r.output
    assert _seg(ZH, sid).target == "From standard input."
    r = runner.invoke(cli, ["review", "revert", ZH, sid, "--force"])
    assert r.exit_code == 0 and _seg(ZH, sid).status == "draft"
    r = runner.invoke(cli, ["review", "approve", EN, "--all-clean"])
    assert r.exit_code == 0 and "approved 24 segments" in r.output
    r = runner.invoke(cli, ["review", "memory"])
    assert "24 reviewed segments" in r.output
    r = runner.invoke(cli, ["review", "approve", ZH])
    assert r.exit_code == 2 and "SEGMENT_IDS or --all-clean" in r.output
    r = runner.invoke(cli, ["review", "edit", "nope", "s1", "x"])
    assert r.exit_code == 4 and "run `workbench translate nope` first" in r.output


def test_review_split_and_merge_commands(project: Path) -> None:
    runner = CliRunner()
    doc = review.open_doc(OUT, ZH).doc
    original = doc.source_text()
    seg = doc.segments[1]
    r = runner.invoke(cli, ["review", "split", ZH, seg.id, "--source-at", "5", "--target-at", "3"])
    assert r.exit_code == 0, r.output
    assert "split into 2 segments" in r.output
    r = runner.invoke(cli, ["review", "merge", ZH, seg.id])
    assert r.exit_code == 0, r.output
    assert review.open_doc(OUT, ZH).doc.source_text() == original


@pytest.mark.parametrize("command", [["review"], ["review", "serve"], ["review", "show"], ["review", "approve"], ["review", "edit"], ["review", "revert"], ["review", "split"], ["review", "merge"], ["review", "memory"], ["export"]])
def test_help_has_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_review_serve_refuses_a_non_loopback_host(project: Path) -> None:
    r = CliRunner().invoke(cli, ["review", "--host", "0.0.0.0", "--no-browser", "--port", "0"])
    assert r.exit_code != 0 and "127.0.0.1" in r.output
