"""workbench evaluate: sacrebleu numbers equal sacrebleu called directly; JSON and table output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sacrebleu.metrics import BLEU, CHRF, TER

from workbench import store
from workbench.cli import cli
from workbench.evaluate import evaluate_documents, score_pairs

HYPS = ["The cat sat on the mat.", "Security Council met on Monday.", "He read the book"]
REFS = ["The cat sat on a mat.", "The Security Council met on Monday.", "He has read the book."]


def test_score_pairs_equals_sacrebleu() -> None:
    scores, sigs = score_pairs(HYPS, REFS)
    assert scores.bleu == round(BLEU().corpus_score(HYPS, [REFS]).score, 2)
    assert scores.chrf == round(CHRF(word_order=2).corpus_score(HYPS, [REFS]).score, 2)
    assert scores.ter == round(TER().corpus_score(HYPS, [REFS]).score, 2)
    assert sigs["chrf"].startswith("nrefs:1") and "nw:2" in sigs["chrf"]
    assert "tok:13a" in sigs["bleu"] and "tok:tercom" in sigs["ter"]


def _doc(name: str, rows: list[tuple[str, str, str | None, str]]) -> store.StoredDocument:
    segs = []
    for n, (source, target, mt, status) in enumerate(rows):
        terms = [store.TermUse(term="security-council", source="安理会", en="Security Council", applied="Security Council" in target)] if "Security" in (mt or "") else []
        segs.append(store.Segment(id=f"s{n}", source=source, target=target, status=status, mt=mt, terms=terms, origin="argos:translate-zh_en@1.9"))
    return store.StoredDocument(document=f"seeds/{name}.txt", source_lang="zh-Hans", target_lang="en", signature={"engine": "argos"}, segments=segs)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    d = tmp_path / "translations"
    store.save(_doc("a", [("甲", REFS[0], HYPS[0], "edited"), ("乙", REFS[1], HYPS[1], "approved"), ("丙", "draft text", "draft text", "draft")]), d / "a.yaml")
    store.save(_doc("b", [("丁", REFS[2], HYPS[2], "edited"), ("戊", "x", "y", "draft")]), d / "b.yaml")
    return d


def test_reviewed_segments_are_references(out_dir: Path) -> None:
    report = evaluate_documents([], out_dir=out_dir)
    a, b = report.documents
    assert a.scores.pairs == 2 and b.scores.pairs == 1
    assert a.scores.bleu == round(BLEU().corpus_score(HYPS[:2], [REFS[:2]]).score, 2)
    assert b.scores.ter == round(TER().corpus_score(HYPS[2:], [REFS[2:]]).score, 2)
    assert report.corpus.chrf == round(CHRF(word_order=2).corpus_score(HYPS, [REFS]).score, 2)
    assert report.by_status == {"draft": 2, "edited": 2, "approved": 1}
    assert a.terms_total == 1 and a.term_accuracy == 1.0


def test_copy_engine_and_memory_drafts_are_not_scored_as_mt(tmp_path: Path) -> None:
    doc = _doc("c", [("甲", REFS[0], HYPS[0], "edited"), ("乙", REFS[1], HYPS[1], "approved")])
    doc.segments[0].origin, doc.segments[1].origin = "copy", "memory"
    store.save(doc, tmp_path / "c.yaml")
    report = evaluate_documents([], out_dir=tmp_path)
    assert report.documents[0].scores.pairs == 0


def test_cli_json_and_table(out_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["evaluate", "--translations", str(out_dir), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["corpus"]["bleu"] == round(BLEU().corpus_score(HYPS, [REFS]).score, 2)
    assert set(data["signatures"]) == {"bleu", "chrf", "ter"}
    table = runner.invoke(cli, ["evaluate", "--translations", str(out_dir), "a"])
    assert table.exit_code == 0 and "chrF++" in table.output and "nrefs:1" in table.output and "corpus" in table.output


def test_reference_file_is_aligned_and_scored(out_dir: Path, tmp_path: Path) -> None:
    ref = tmp_path / "ref_en.txt"
    ref.write_text("A page header\n" + "\n".join(REFS[:2]) + "\nA sentence only the reference has, a long one.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", "--translations", str(out_dir), "a", "--reference", str(ref), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)["documents"][0]
    assert doc["scores"]["pairs"] >= 2


def test_errors(out_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["evaluate", "--translations", str(out_dir), "nope"])
    assert missing.exit_code == 4 and missing.output.startswith("Error: ") and "nope" in missing.output
    ref = tmp_path / "r.txt"
    ref.write_text("x\n", encoding="utf-8")
    two = runner.invoke(cli, ["evaluate", "--translations", str(out_dir), "--reference", str(ref)])
    assert two.exit_code == 2 and "one document" in two.output


def _tmx(path: Path, pairs: list[tuple[str, str]]) -> Path:
    units = "".join(f'<tu><tuv xml:lang="zh-CN"><seg>{s}</seg></tuv><tuv xml:lang="en"><seg>{t}</seg></tuv></tu>' for s, t in pairs)
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="zh-CN" datatype="plaintext"/><body>{units}</body></tmx>', encoding="utf-8")
    return path


def test_a_tmx_reference_is_matched_by_source_across_documents(out_dir: Path, tmp_path: Path) -> None:
    ref = _tmx(tmp_path / "ref.tmx", [("甲", REFS[0]), (" 乙 ", REFS[1]), ("丁", REFS[2]), ("无关", "Unrelated.")])
    result = CliRunner().invoke(cli, ["evaluate", "--translations", str(out_dir), "--reference", str(ref), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    a, b = data["documents"]
    assert a["scores"]["pairs"] == 2 and b["scores"]["pairs"] == 1  # 丙 and 戊 are not in the TMX
    assert data["corpus"]["bleu"] == round(BLEU().corpus_score(HYPS, [REFS]).score, 2)


def test_a_tmx_reference_without_targets_is_one_line(out_dir: Path, tmp_path: Path) -> None:
    ref = _tmx(tmp_path / "empty.tmx", [("甲", "")])
    result = CliRunner().invoke(cli, ["evaluate", "--translations", str(out_dir), "--reference", str(ref)])
    assert result.exit_code == 2 and "no translation units with a target" in result.stderr and len(result.stderr.splitlines()) == 1
