"""Sentence alignment: known beads, the links/tsv formats, dev-set F1, CLI errors, document mode."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from workbench.align import align_sentences, parse_links, score_alignments
from workbench.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "align"

EN = [
    "The Security Council met on 19 April 2021 to discuss regional cooperation.",
    "Viet Nam presided over the open debate.",
    "More than forty speakers took the floor, including twelve ministers.",
    "They stressed that prevention is better than cure.",
    "Several delegations called for stronger partnerships with the African Union.",
    "The concept note had been circulated in advance as document S/2021/321.",
    "The President thanked all participants for their contributions.",
    "The meeting rose at 1.15 p.m.",
]
# a noisy "machine translation" of a source, per source sentence, in the target's language
MT = [
    "Security Council meet on 19 April 2021 for discuss the regional cooperation.",
    "Viet Nam chaired open debate.",
    "More forty speakers took floor, with twelve minister.",
    "They stress that the prevention is better as cure.",
    "Several delegation asked stronger partnership with African Union.",
    "Concept note was circulated before as document S/2021/321.",
    "President thanked the participants for the contributions.",
    "Meeting closed at 1.15 p.m.",
]
# the source language itself (pseudo-foreign, same numbers)
SRC = [
    "Der Sicherheitsrat tagte am 19 April 2021 über regionale Zusammenarbeit.",
    "Vietnam leitete die offene Aussprache.",
    "Mehr als vierzig Redner sprachen, darunter zwölf Minister.",
    "Sie betonten, dass Vorbeugen besser ist als Heilen.",
    "Mehrere Delegationen forderten stärkere Partnerschaften mit der Afrikanischen Union.",
    "Das Konzeptpapier war vorab als Dokument S/2021/321 verteilt worden.",
    "Der Präsident dankte allen Teilnehmern für ihre Beiträge.",
    "Die Sitzung endete um 1.15 Uhr.",
]


def _case(kind: str) -> tuple[list[str], list[str], list[str], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """(source, bridge, target, gold beads) for one structural difference."""
    src, mt, tgt = list(SRC), list(MT), list(EN)
    if kind == "1-1":
        gold = [((i,), (i,)) for i in range(8)]
    elif kind == "2-1":  # the translator merged sentences 2 and 3
        tgt = EN[:2] + [EN[2] + " " + EN[3]] + EN[4:]
        gold = [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,))] + [((i,), (i - 1,)) for i in range(4, 8)]
    elif kind == "1-2":  # the source has one sentence where the translation has two
        src = SRC[:4] + [SRC[4] + " " + SRC[5]] + SRC[6:]
        mt = MT[:4] + [MT[4] + " " + MT[5]] + MT[6:]
        gold = [((i,), (i,)) for i in range(4)] + [((4,), (4, 5)), ((5,), (6,)), ((6,), (7,))]
    elif kind == "0-1":  # a sentence only in the translation (a translator's note)
        tgt = EN[:3] + ["Translator's note: the original uses an idiom here."] + EN[3:]
        gold = [((i,), (i,)) for i in range(3)] + [((), (3,))] + [((i,), (i + 1,)) for i in range(3, 8)]
    elif kind == "footnote":  # a footnote and a running header in the source only
        src = SRC[:5] + ["1 Siehe Resolution 2171 (2014) des Sicherheitsrats.", "Seite 2"] + SRC[5:]
        mt = MT[:5] + ["1 See resolution 2171 (2014) of the Security Council.", "Page 2"] + MT[5:]
        gold = [((i,), (i,)) for i in range(5)] + [((5,), ()), ((6,), ())] + [((i,), (i - 2,)) for i in range(7, 10)]
    elif kind == "captions":  # a block of picture captions and scan debris in the translation only
        caps = ["Photo 3 - Fondation suisse .", "Genève , 1956", "Le Palais des Nations", "-", "4 - Photo ONU", "â »"]
        tgt = EN[:4] + caps + EN[4:]
        gold = [((i,), (i,)) for i in range(4)] + [((), (j,)) for j in range(4, 10)] + [((i,), (i + 6,)) for i in range(4, 8)]
    else:
        raise AssertionError(kind)
    return src, mt, tgt, gold


_FOOTNOTE_GAP = pytest.mark.xfail(
    reason="known gap: with the bridge the learned score glues a footnote and a page header to the next sentence (3-1) "
    "instead of leaving them unpaired; the literary/Text+Berg dev data it is fitted on has few such beads",
    strict=True,
)


@pytest.mark.parametrize(
    ("kind", "bridged"),
    [(k, b) for k in ("1-1", "2-1", "1-2", "0-1") for b in (True, False)] + [pytest.param("footnote", True, marks=_FOOTNOTE_GAP), ("footnote", False)],
)
def test_known_beads(kind: str, bridged: bool) -> None:
    src, mt, tgt, gold = _case(kind)
    beads = align_sentences(src, tgt, mt if bridged else None)
    got = [(b.src, b.tgt) for b in beads]
    if not bridged and kind == "footnote":
        # without MT the footnote is still left unaligned; the short header "Seite 2" may
        # be glued to its neighbour (a lax match, not a strict one)
        assert ((5,), ()) in got
        assert score_alignments(gold, got)["f1_lax"] == 1.0
        return
    assert got == gold


def test_long_run_of_one_to_one_with_confidence() -> None:
    src = [f"Satz {i}: " + SRC[i % 8] for i in range(120)]
    mt = [f"Sentence {i}: " + MT[i % 8] for i in range(120)]
    tgt = [f"Sentence {i}: " + EN[i % 8] for i in range(120)]
    beads = align_sentences(src, tgt, mt)
    assert [(b.src, b.tgt) for b in beads] == [((i,), (i,)) for i in range(120)]
    assert all(0.5 < b.confidence <= 1.0 for b in beads)


def test_empty_sides() -> None:
    assert [(b.src, b.tgt) for b in align_sentences(["a", "b"], [])] == [((0,), ()), ((1,), ())]


def test_scorer_strict_and_lax() -> None:
    gold = [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3,))]
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((), (2,)), ((3,), (3,))]
    r = score_alignments(gold, test)
    assert r["precision_strict"] == pytest.approx(3 / 5)  # [0]:[0], []:[2], [3]:[3]
    assert r["recall_strict"] == pytest.approx(2 / 3)  # non-null gold beads found exactly
    assert r["precision_lax"] == pytest.approx(4 / 5)  # [1]:[1] overlaps [1,2]:[1]
    assert r["recall_lax"] == pytest.approx(1.0)
    assert score_alignments(gold, gold)["f1_strict"] == 1.0


def _dev(name: str) -> tuple[Path, Path, Path, Path]:
    return tuple(DEV / f"{name}.{ext}" for ext in ("src", "tgt", "bridge", "gold"))  # type: ignore[return-value]


# Synthetic edge-case sets (tests/data/align/make_devsets.py): floors guard against regressions only; the
# real-data figures are benchmarks/align_bench.py's (the weights are fitted for real data, these sets are
# only part of the training mixture).
@pytest.mark.parametrize(("name", "bridged", "floor"), [("en_manual", True, 0.92), ("en_manual", False, 0.90), ("zh_seeds", True, 0.90), ("vi_seeds", False, 0.85)])
def test_dev_set_links_output_scores(name: str, bridged: bool, floor: float) -> None:
    src, tgt, bridge, gold = _dev(name)
    args = ["align", "--presegmented", str(src), str(tgt), "--format", "links"] + (["--bridge", str(bridge)] if bridged else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    test = parse_links(result.stdout)
    # beads cover every sentence once, in order
    assert [i for s, _ in test for i in s] == list(range(len(src.read_text(encoding="utf-8").splitlines())))
    assert [j for _, t in test for j in t] == list(range(len(tgt.read_text(encoding="utf-8").splitlines())))
    scores = score_alignments(parse_links(gold.read_text(encoding="utf-8")), test)
    assert scores["f1_strict"] >= floor, scores
    assert scores["f1_lax"] >= scores["f1_strict"]


def test_tsv_format(tmp_path: Path) -> None:
    src, mt, tgt, _gold = _case("2-1")
    for name, lines in (("s.txt", src), ("t.txt", tgt), ("b.txt", mt)):
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["align", "--presegmented", str(tmp_path / "s.txt"), str(tmp_path / "t.txt"), "--bridge", str(tmp_path / "b.txt"), "--format", "tsv"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert len(rows) == 7 and all(len(r) == 3 for r in rows)
    assert rows[2][0] == SRC[2] + " " + SRC[3] and rows[2][1] == EN[2] + " " + EN[3]
    assert all(0.0 <= float(r[2]) <= 1.0 for r in rows)


def _one_line_error(result, code: int, *texts: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for t in texts:
        assert t in lines[0], lines[0]


def test_cli_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / "s.txt").write_text("a\nb\nc\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("x\ny\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    s, t = str(tmp_path / "s.txt"), str(tmp_path / "t.txt")
    _one_line_error(runner.invoke(cli, ["align", "--presegmented", str(tmp_path / "missing.txt"), t]), 2, "missing.txt", "no such file")
    _one_line_error(runner.invoke(cli, ["align", "--presegmented", s, str(tmp_path / "empty.txt")]), 2, "empty.txt", "empty")
    _one_line_error(runner.invoke(cli, ["align", "--presegmented", s, t, "--bridge", str(tmp_path / "b.txt")]), 2, "has 1 lines", "has 3", "b.txt", "s.txt")
    assert runner.invoke(cli, ["align", s, t, "--bridge", str(tmp_path / "b.txt")]).exit_code == 2  # usage error


def test_help_has_example() -> None:
    for cmd in ("align", "evaluate"):
        result = CliRunner().invoke(cli, [cmd, "--help"])
        assert result.exit_code == 0 and "Example" in result.output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("WORKBENCH_ARGOS_INDEX", "http://127.0.0.1:9/index.json")
    return tmp_path


ZH = "2021年3月25日越南常驻联合国代表给秘书长的信\n\n越南作为安全理事会2021年4月份主席，打算于2021年4月19日举行公开辩论会。\n\n为引导关于该专题的讨论，越南编写了一份概念说明。\n\n请将本信作为安全理事会文件分发为荷。\n"
ZH_EN = (
    "Letter dated 25 March 2021 from the Permanent Representative of Viet Nam to the United Nations addressed to the Secretary-General\n\n"
    "Viet Nam, in its capacity as President of the Security Council for April 2021, intends to hold an open debate on 19 April 2021.\n\n"
    "To guide the discussion, Viet Nam has prepared a concept note.\n\n"
    "I should be grateful if the present letter could be circulated as a document of the Security Council.\n"
)


def test_document_mode_stores_reviewable_file(project: Path) -> None:
    (project / "letter.txt").write_text(ZH, encoding="utf-8")
    (project / "letter_en.txt").write_text(ZH_EN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["align", "letter.txt", "letter_en.txt", "--engine", "copy", "--json"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((project / "translations" / "letter.yaml").read_text(encoding="utf-8"))
    segs = [s for s in data["segments"] if s["source"]]
    assert len(segs) == 4
    assert [s["target"] for s in segs] == [p for p in ZH_EN.split("\n\n")[:3]] + [ZH_EN.split("\n\n")[3].strip()]
    assert all(s["status"] == "draft" and 0.0 <= s["confidence"] <= 1.0 for s in segs)
    from workbench.align import ALIGNER

    assert data["signature"]["aligner"] == ALIGNER
    from workbench.store import load

    doc = load(project / "translations" / "letter.yaml")
    assert doc is not None and doc.source_text() == ZH
    # the same pair again rewrites nothing a person made: allowed
    assert CliRunner().invoke(cli, ["align", "letter.txt", "letter_en.txt", "--engine", "copy"]).exit_code == 0
    # a reviewer edits a segment: align refuses to overwrite it
    text = (project / "translations" / "letter.yaml").read_text(encoding="utf-8").replace("status: draft", "status: edited", 1)
    (project / "translations" / "letter.yaml").write_text(text, encoding="utf-8")
    again = CliRunner().invoke(cli, ["align", "letter.txt", "letter_en.txt", "--engine", "copy"])
    _one_line_error(again, 4, "letter.yaml", "--translations")
    elsewhere = CliRunner().invoke(cli, ["align", "letter.txt", "letter_en.txt", "--engine", "copy", "--translations", "other"])
    assert elsewhere.exit_code == 0 and (project / "other" / "letter.yaml").exists()


def test_document_mode_never_overwrites_a_hand_changed_draft(project: Path) -> None:
    """A draft whose target a person changed (still status draft) counts as edited: exit 4, file untouched."""
    (project / "letter.txt").write_text(ZH, encoding="utf-8")
    (project / "letter_en.txt").write_text(ZH_EN, encoding="utf-8")
    assert CliRunner().invoke(cli, ["align", "letter.txt", "letter_en.txt", "--engine", "copy"]).exit_code == 0
    out = project / "translations" / "letter.yaml"
    text = out.read_text(encoding="utf-8")
    assert "To guide the discussion" in text
    changed = text.replace("To guide the discussion", "To steer the discussion", 1)
    out.write_text(changed, encoding="utf-8")
    again = CliRunner().invoke(cli, ["align", "letter.txt", "letter_en.txt", "--engine", "copy"])
    _one_line_error(again, 4, "letter.yaml", "edited by a person", "--translations")
    assert out.read_text(encoding="utf-8") == changed
    # a note is a person's work too
    from workbench.store import load, save

    doc = load(out)
    assert doc is not None
    for seg in doc.segments:
        if seg.source:
            seg.target = seg.target.replace("To steer the discussion", "To guide the discussion")
    doc.segments[-1].note = "check the date"
    save(doc, out)
    before = out.read_text(encoding="utf-8")
    _one_line_error(CliRunner().invoke(cli, ["align", "letter.txt", "letter_en.txt", "--engine", "copy"]), 4, "letter.yaml")
    assert out.read_text(encoding="utf-8") == before


# seed 000's page break (…各种机 | footnote | 制，以建立信任…), shortened; the English sentence is whole
PAGE_ZH = (
    "6. 认识到这些优势，联合国机构，特别是安全理事会，与区域组织密切合作。这些区域组织建立了促进建立信任措施的各种机\n\n"
    "¹ 乌普萨拉冲突数据方案，2021年。\n\n"
    "制，以建立信任，避免区域国家之间的紧张关系。非洲联盟一直在发挥核心作用。\n\n"
    "7. 自成立以来，东盟竭尽全力促进信任。\n"
)
PAGE_EN = (
    "6. Recognizing these advantages, United Nations bodies, in particular the Security Council, work closely with regional organizations. "
    "These regional organizations have established various mechanisms for confidence-building measures, in order to build trust "
    "and avoid tensions between the States of the region.\n\n"
    "¹ Uppsala Conflict Data Program, 2021.\n\n"
    "The African Union has played a central role.\n\n"
    "7. Since its establishment, ASEAN has made every effort to promote trust.\n"
)


def test_document_mode_aligns_a_page_broken_sentence_as_one(project: Path) -> None:
    """The two parts of a sentence broken by a page break are aligned as one sentence; the parts stay two
    segments (marked continued/continues, the translation on the first), the footnote its own."""
    (project / "pb.txt").write_text(PAGE_ZH, encoding="utf-8")
    (project / "pb_en.txt").write_text(PAGE_EN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["align", "pb.txt", "pb_en.txt", "--engine", "copy", "--json"])
    assert result.exit_code == 0, result.output
    from workbench.store import load

    doc = load(project / "translations" / "pb.yaml")
    assert doc is not None and doc.source_text() == PAGE_ZH
    got = [(s.source[:6], s.target[:24], s.continued, s.continues) for s in doc.segments if s.source]
    assert got == [
        ("认识到这些优", "Recognizing these advant", False, False),
        ("这些区域组织", "These regional organizat", True, False),
        ("乌普萨拉冲突", "Uppsala Conflict Data Pr", False, False),
        ("制，以建立信", "", False, True),
        ("非洲联盟一直", "The African Union has pl", False, False),
        ("自成立以来，", "Since its establishment,", False, False),
    ]


def test_links_carry_the_confidence_and_read_back() -> None:
    from workbench.align import Bead, format_links

    text = format_links([Bead((0, 1), (0,), 0.9), Bead((), (1,), 0.0)])
    assert text == "[0,1]:[0]:0.900\n[]:[1]:0.000\n"
    assert parse_links(text) == [((0, 1), (0,)), ((), (1,))]
    assert parse_links("[0, 1]:[0]:0.123456\n") == [((0, 1), (0,))]  # Vecalign's own output


@pytest.mark.parametrize(
    ("n", "m", "params"),
    [
        (400, 400, {"full_limit": 50, "max_width": 4, "margin": 1}),  # a band far too narrow
        (400, 40, {"full_limit": 50, "max_width": 8, "margin": 1}),  # ten source sentences per target one
        (40, 400, {"full_limit": 30, "max_width": 8, "margin": 1}),
        (300, 300, {"full_limit": 50, "factor": 4, "margin": 8}),  # coarse to fine with a usable band
    ],
)
def test_search_always_returns_a_complete_alignment(n: int, m: int, params: dict[str, int]) -> None:
    """Widening the band is the search's business: never an error, every sentence once, in order."""
    from workbench.align import AlignParams

    src = [f"Satz {i}: " + SRC[i % 8] for i in range(n)]
    tgt = [f"Sentence {j}: " + EN[j % 8] for j in range(m)]
    beads = align_sentences(src, tgt, None, params=AlignParams(**params))
    assert [i for b in beads for i in b.src] == list(range(n))
    assert [j for b in beads for j in b.tgt] == list(range(m))
    if params.get("margin") == 8:
        assert sum(1 for b in beads if len(b.src) == 1 and b.src == b.tgt) > 0.9 * n


def test_lexicon_glosses_chinese_into_english_stems() -> None:
    from workbench.align.lexicon import english_tokens, gloss_tokens

    assert {"friend", "great"} <= set(gloss_tokens("伟大友谊"))
    assert {"friend", "great"} <= set(english_tokens("our great friendship"))
    assert "py:qing" in gloss_tokens("陈清扬") and "py:qing" in english_tokens("She met Chen Qingyang.")


def test_chinese_without_mt_uses_the_lexicon() -> None:
    zh = [s for s in ZH.split("\n") if s]
    en = [s for s in ZH_EN.split("\n") if s]
    # the translator split the second sentence in two
    en = en[:1] + ["Viet Nam, in its capacity as President of the Security Council for April 2021,", "intends to hold an open debate on 19 April 2021."] + en[2:]
    beads = align_sentences(zh, en, None)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,))]


# ---------------------------------------------------------------- property: beads cover every sentence once, in order

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_sentence = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=30)


@settings(max_examples=80, deadline=None)
@given(st.lists(_sentence, max_size=25), st.lists(_sentence, max_size=25), st.booleans())
def test_beads_cover_every_sentence_once_in_order(src: list[str], tgt: list[str], with_bridge: bool) -> None:
    from workbench.align import align_sentences

    bridge = [s[::-1] for s in src] if with_bridge else None
    beads = align_sentences(src, tgt, bridge)
    src_seen = [i for b in beads for i in b.src]
    tgt_seen = [j for b in beads for j in b.tgt]
    assert src_seen == list(range(len(src)))
    assert tgt_seen == list(range(len(tgt)))
    assert all(b.src or b.tgt for b in beads)
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)


# ---------------------------------------------------------------- the dynamic programme against brute force


def _path_score(path, S, s01, o01, types):  # type: ignore[no-untyped-def]
    index = {t: n for n, t in enumerate(types)}
    total, prev = 0.0, None
    for i0, i1, j0, j1 in path:
        if i1 == i0:
            total += s01[j0] + (o01 if prev is None or prev[0] != prev[1] or prev[0] != i0 else 0.0)
        else:
            total += S[i1, index[(i1 - i0, j1 - j0)], j1]
        prev = (i0, i1, j0, j1)
    return total


def _all_paths(i, j, types):  # type: ignore[no-untyped-def]
    if i == 0 and j == 0:
        yield []
        return
    if j > 0:
        for p in _all_paths(i, j - 1, types):
            yield p + [(i, i, j - 1, j)]
    for k, l in types:
        if i >= k and j >= l:
            for p in _all_paths(i - k, j - l, types):
                yield p + [(i - k, i, j - l, j)]


@pytest.mark.parametrize(("seed", "o01"), [(0, 0.0), (1, -2.0), (2, 1.5), (3, -0.5), (4, -5.0)])
def test_dp_finds_the_best_path_with_a_cost_per_run_of_unpaired_targets(seed: int, o01: float) -> None:
    import numpy as np

    from workbench.align.search import run_dp

    rng = np.random.default_rng(seed)
    n, m = 4, 5
    types = ((1, 1), (1, 0), (1, 2), (2, 1))

    class Band:
        pass

    band = Band()
    band.n, band.m, band.lo, band.W = n, m, np.zeros(n + 1, np.int64), m + 1  # type: ignore[attr-defined]
    S = rng.normal(size=(n + 1, len(types), m + 1)).astype(np.float32)
    for t, (k, l) in enumerate(types):
        for i in range(n + 1):
            for j in range(m + 1):
                if i < k or j < l:
                    S[i, t, j] = -1e18
    sc = Band()
    sc.band, sc.types, sc.S, sc.s01, sc.o01 = band, types, S, rng.normal(size=m), o01  # type: ignore[attr-defined]
    path = run_dp(sc)  # type: ignore[arg-type]
    best = max(_path_score(p, S, sc.s01, o01, types) for p in _all_paths(n, m, types))  # type: ignore[attr-defined]
    assert path is not None
    assert [j for _, _, j0, j1 in path for j in range(j0, j1)] == list(range(m))
    assert _path_score(path, S, sc.s01, o01, types) == pytest.approx(best, abs=1e-4)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("kind", "bridged"), [("2-1", True), ("2-1", False), ("0-1", True), ("0-1", False)])
def test_confidences_are_graded_not_all_zero_or_one(kind: str, bridged: bool) -> None:
    # the Platt mapping of the mt and plain weights is fitted regularised: a stored mapping that diverged
    # (slope -1.4e7) turned every confidence into 0.000 or 1.000
    src, mt, tgt, _gold = _case(kind)
    beads = align_sentences(src, tgt, mt if bridged else None)
    paired = [b.confidence for b in beads if b.src and b.tgt]
    assert any(0.01 < c < 0.99 for c in paired), paired
    assert all(0.0 <= c <= 1.0 for c in paired)


# ---------------------------------------------------------------- zh modes: dialogue boundaries, meaningful confidences


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("“你好吗？”", (1, 1, 1)),  # opens, closes, a question
        ("韦小宝道：“今儿我赌了钱回来。", (0, 0, 0)),  # the quotation opens inside and stays open
        ("所以连饭也赶不及回来吃。”", (0, 1, 0)),
        ("Go out and rob?'", (0, 1, 1)),
        ("'It's easy for you,' said Gou-er.", (1, 0, 0)),
        ("That should fix the little bugger!'", (0, 1, 2)),
        ("He took the boys' sweets", (0, 0, 0)),
        ("the boys'", (0, 0, 0)),  # a possessive, not a closing quote
        ("", (0, 0, 0)),
    ],
)
def test_punctuation_codes(text: str, codes: tuple[int, int, int]) -> None:
    from workbench.align.features import punctuation_codes

    assert tuple(int(x) for x in punctuation_codes([text])[0][:3]) == codes


@pytest.mark.parametrize(("bridged", "mode"), [(True, "mt-lex"), (False, "lex")])
def test_zh_confidences_are_graded_and_lowest_for_a_wrong_translation(bridged: bool, mode: str) -> None:
    from workbench.align import build_inputs
    from workbench.align.model import load

    model = load(mode)
    assert model.trained_on != "hand-set fall-back"
    assert 0.01 < abs(model.conf_a) < 100  # a Platt slope, not a step function
    zh = [s for s in ZH.split("\n") if s]
    en = [s for s in ZH_EN.split("\n") if s]
    en[2] = EN[3]  # the third "translation" is an unrelated sentence
    bridge = [s for s in ZH_EN.split("\n") if s] if bridged else None  # stand-in for an MT of the source
    assert build_inputs(zh, en, bridge)[2] == mode
    beads = align_sentences(zh, en, bridge)
    assert [(b.src, b.tgt) for b in beads] == [((i,), (i,)) for i in range(4)]
    conf = [b.confidence for b in beads]
    assert all(0.02 < c < 0.98 for c in conf), conf  # not all 0/1
    assert conf[2] == min(conf) and conf[2] < max(conf) - 0.05, conf


@pytest.mark.parametrize(("n", "m", "bridged"), [(1, 1, False), (1, 2, False), (2, 1, True), (1, 5, True), (5, 1, False), (3, 7, True)])
def test_zh_modes_align_documents_shorter_than_the_largest_bead(n: int, m: int, bridged: bool) -> None:
    zh = (["“你好吗？”", "我很好。", "安全理事会。"] * 3)[:n]
    en = (["'How are you?'", "I am fine.", "The Security Council."] * 3)[:m]
    beads = align_sentences(zh, en, ["How are you?", "I'm fine.", "Security Council."][:1] * n if bridged else None)
    assert [i for b in beads for i in b.src] == list(range(n))
    assert [j for b in beads for j in b.tgt] == list(range(m))
