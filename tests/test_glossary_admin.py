"""`workbench glossary …`: round-trip edits that keep the curator's file, conflicts,
check (release gate), suggestions on the seeds, TBX/CSV/OmegaT import and export."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.glossary import check as gcheck, edit as ga, formats as gfmt, suggest as gsug
from workbench import store
from workbench.cli import cli
from workbench.glossary import Glossary

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "glossary"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(DATA / "glossary_edit_fixture.yaml", tmp_path / "glossary.yaml")  # the glossary as it was: edits are tested on a fixed file
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["glossary", *args])


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """Lines removed from / added to ``before`` (difflib opcodes)."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


# ---------------------------------------------------------------- round trip


def test_every_entry_renders_back_byte_for_byte() -> None:
    for path in (ROOT / "glossary.yaml", DATA / "small.yaml"):
        text, g = ga._read(path)
        doc = ga._GlossaryText(path, text, g)
        assert len(doc.spans) == len(g.terms)
        for i, sp in enumerate(doc.spans):
            assert doc.render(doc.entry_map(i)) == "".join(doc.lines[sp.start : sp.body_end]), g.terms[i].en


def test_add_appends_only_the_new_entry(project: Path) -> None:
    before = (project / "glossary.yaml").read_text(encoding="utf-8")
    r = run("add", "--en", "Stockholm International Peace Research Institute", "--zh", "斯德哥尔摩国际和平研究所", "--vi", "Viện Nghiên cứu Hòa bình Quốc tế Stockholm", "--note", "SIPRI")
    assert r.exit_code == 0, r.output
    after = (project / "glossary.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # every original byte kept
    assert after[len(before):] == (
        "\n"
        "  - en: Stockholm International Peace Research Institute\n"
        "    zh: [斯德哥尔摩国际和平研究所]\n"
        "    vi: [Viện Nghiên cứu Hòa bình Quốc tế Stockholm]\n"
        '    note: "SIPRI"\n'
    )
    assert Glossary.load(project / "glossary.yaml").term("stockholm-international-peace-research-institute").variants["zh"] == ("斯德哥尔摩国际和平研究所",)


def test_add_after_keeps_sections(project: Path) -> None:
    before = (project / "glossary.yaml").read_text(encoding="utf-8")
    r = run("add", "--en", "Shanghai Cooperation Organization", "--zh", "上海合作组织", "--domain", "regional", "--after", "World Trade Organization")
    assert r.exit_code == 0, r.output
    after = (project / "glossary.yaml").read_text(encoding="utf-8")
    removed, added = _changed_lines(before, after)
    assert removed == []
    assert "".join(added) == "\n  - en: Shanghai Cooperation Organization\n    zh: [上海合作组织]\n    domain: regional\n" or "".join(added) == "  - en: Shanghai Cooperation Organization\n    zh: [上海合作组织]\n    domain: regional\n\n"
    # it sits before the "peace and security" section comment
    assert after.index("Shanghai Cooperation") < after.index("# ---------------------------------------------------------------- peace and security")


def test_edit_changes_only_that_entry(project: Path) -> None:
    before = (project / "glossary.yaml").read_text(encoding="utf-8")
    r = run("edit", "security-council", "--add-zh", "安理會", "--add-zh", "聯合國安全理事會議", "--remove-vi", "HĐBA", "--note", "")
    assert r.exit_code == 0, r.output
    after = (project / "glossary.yaml").read_text(encoding="utf-8")
    removed, added = _changed_lines(before, after)
    assert removed == [
        "    zh: [安全理事会, 安理会, 联合国安全理事会, 联合国安理会]\n",
        "    vi: [Hội đồng Bảo an, HĐBA, Hội đồng Bảo an Liên hợp quốc, Hội đồng Bảo an LHQ]\n",
        "    note: \"After first mention UN documents often say 'the Council'.\"\n",
    ]
    assert added == [
        "    zh: [安全理事会, 安理会, 联合国安全理事会, 联合国安理会, 聯合國安全理事會議]\n",  # 安理會 = 安理会: no duplicate
        "    vi: [Hội đồng Bảo an, Hội đồng Bảo an Liên hợp quốc, Hội đồng Bảo an LHQ]\n",
    ]


def test_edit_last_key_before_section_comment_keeps_comment(project: Path) -> None:
    before = (project / "glossary.yaml").read_text(encoding="utf-8")
    assert run("edit", "observer", "--domain", "").exit_code == 0
    after = (project / "glossary.yaml").read_text(encoding="utf-8")
    removed, added = _changed_lines(before, after)
    assert removed == ["    domain: un-system\n"] and added == []
    assert "# ---------------------------------------------------------------- regional organizations" in after


def test_edit_keeps_block_lists_comments_and_quotes(tmp_path: Path) -> None:
    p = tmp_path / "g.yaml"
    shutil.copy(DATA / "small.yaml", p)
    before = p.read_text(encoding="utf-8")
    ga.edit_term(p, "confidence-building measures", add={"zh": ["信任措施"], "vi": ["các biện pháp xây dựng lòng tin"]})
    ga.edit_term(p, "Secretary-General", add={"vi": ["TTK"]})
    after = p.read_text(encoding="utf-8")
    removed, added = _changed_lines(before, after)
    assert removed == ["    vi: [Tổng Thư ký]   # the head of the UN\n", "    vi: biện pháp xây dựng lòng tin\n"]
    assert added == [
        "    vi: [Tổng Thư ký, TTK] # the head of the UN\n",  # the end-of-line comment stays (ruamel re-spaces it)
        "      - 信任措施\n",  # a block list stays a block list
        "    vi: [biện pháp xây dựng lòng tin, các biện pháp xây dựng lòng tin]\n",
    ]
    assert "  - en: 'Agenda 2063: The Africa We Want'\n" in after


def test_remove_keeps_neighbours_and_section_comments(project: Path) -> None:
    before = (project / "glossary.yaml").read_text(encoding="utf-8")
    assert run("remove", "world-trade-organization").exit_code == 0
    after = (project / "glossary.yaml").read_text(encoding="utf-8")
    removed, added = _changed_lines(before, after)
    assert added == []
    assert "".join(removed) == "  - en: World Trade Organization\n    zh: [世界贸易组织, 世贸组织]\n    vi: [Tổ chức Thương mại Thế giới]\n    en_variants: [WTO]\n    domain: regional\n\n"
    assert "    domain: un-system\n\n  # ---------------------------------------------------------------- peace and security\n" in after
    # removing the last entry leaves no trailing blank line
    assert run("remove", "South Sudan").exit_code == 0
    assert (project / "glossary.yaml").read_text(encoding="utf-8").endswith("  - en: Guinea-Bissau\n    zh: [几内亚比绍]\n    domain: geography\n")


def test_add_then_remove_restores_the_file(project: Path) -> None:
    before = (project / "glossary.yaml").read_bytes()
    assert run("add", "--en", "Test term", "--zh", "测试术语").exit_code == 0
    assert run("remove", "test-term").exit_code == 0
    assert (project / "glossary.yaml").read_bytes() == before


def test_dry_run_writes_nothing(project: Path) -> None:
    before = (project / "glossary.yaml").read_bytes()
    r = run("add", "--en", "Test term", "--zh", "测试术语", "--dry-run")
    assert r.exit_code == 0 and "would have added" in r.output
    assert (project / "glossary.yaml").read_bytes() == before


# ---------------------------------------------------------------- errors (one line, exit code, nothing written)


@pytest.mark.parametrize(
    "args, text",
    [
        (["add", "--en", "Council of Security", "--zh", "安理会"], "'安理会' already maps to 'Security Council' (glossary.yaml line 61)"),
        (["add", "--en", "Some Council", "--vi", "hội đồng bảo an"], "already maps to 'Security Council'"),
        (["add", "--en", "Security Council", "--zh", "新的"], "'Security Council' is already in the glossary (line 61)"),
        (["add", "--en", "Lonely"], "needs at least one source variant"),
        (["edit", "osce", "--add-zh", "欧洲安全与合作组织"], "already maps to 'Organization for Security and Co-operation in Europe'"),
        (["edit", "securty councel"], "unknown glossary term 'securty councel'; did you mean 'security-council'"),
        (["remove", "no-such-term"], "unknown glossary term 'no-such-term'"),
        (["edit", "osce", "--remove-zh", "欧盟"], "'欧盟' is not a zh variant of 'OSCE'"),
        (["edit", "osce", "--remove-zh", "欧安组织"], "would have no zh or vi variants left"),
        (["edit", "osce", "--en", "European Union"], "'European Union' is already an entry"),
        (["add", "--en", "X", "--zh", "y", "--glossary", "missing.yaml"], "glossary file not found: missing.yaml"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(project: Path, args: list[str], text: str) -> None:
    before = (project / "glossary.yaml").read_bytes()
    r = run(*args)
    assert r.exit_code == 3, r.output
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and text in lines[0], r.output
    assert (project / "glossary.yaml").read_bytes() == before


@pytest.mark.parametrize(
    "content, text",
    [
        ("version: 1\nterms:\n  - en: A\n    zh: [甲\n", "malformed YAML at line"),
        ("version: 1\nterms:\n  - en: A\n    zh: 甲\n  - en: B\n    zh: 甲\n", "conflicting entries: '甲' maps to 'A' (line 3) and to 'B' (line 5)"),
        ("version: 1\nterms:\n  - en: A\n    zh: 甲\n  - en: A\n    zh: 乙\n", "duplicate entries"),
        ("version: 1\nterms:\n  - en: A\n    fr: a\n", "unknown language key 'fr'"),
        ("version: 1\nterms:\n  - !!python/object:os.system {}\n", "unsafe or unknown YAML tag"),
    ],
)
def test_validate_and_edits_refuse_a_malformed_file(tmp_path: Path, content: str, text: str) -> None:
    p = tmp_path / "g.yaml"
    p.write_text(content, encoding="utf-8")
    for args in (["validate"], ["add", "--en", "C", "--zh", "丙"], ["list"]):
        r = run(*args, "--glossary", str(p))
        assert r.exit_code == 3, r.output
        lines = [x for x in r.output.splitlines() if x.strip()]
        assert len(lines) == 1 and text in lines[0], r.output
    assert p.read_text(encoding="utf-8") == content


def test_validate_ok_and_json(project: Path) -> None:
    r = run("validate")
    assert r.exit_code == 0 and "valid, 104 terms" in r.output
    data = json.loads(run("validate", "--json").output)
    assert data["valid"] and data["terms"] == 104 and data["warnings"] == []


def test_list_and_show(project: Path) -> None:
    r = run("list", "--lang", "vi", "--json")
    terms = json.loads(r.stdout)["terms"]
    assert all(t["vi"] for t in terms) and any(t["id"] == "security-council" for t in terms)
    r = run("show", "安理会")  # a variant names its entry
    assert r.exit_code == 0 and r.output.startswith("Security Council  (id security-council, glossary.yaml line 61)")


def test_empty_glossary_add_and_remove(tmp_path: Path) -> None:
    p = tmp_path / "g.yaml"
    p.write_text("# mine\nversion: 1\nterms: []\n", encoding="utf-8")
    ga.add_term(p, {"en": "A b", "zh": ["甲"]})
    assert p.read_text(encoding="utf-8") == "# mine\nversion: 1\nterms:\n  - en: A b\n    zh: [甲]\n"
    ga.remove_term(p, "a-b")
    assert p.read_text(encoding="utf-8") == "# mine\nversion: 1\nterms: []\n"


# ---------------------------------------------------------------- check and impact on translations/


def _seg(sid: str, source: str, target: str, status: str) -> store.Segment:
    return store.Segment(id=sid, source=source, target=target, status=status, mt=target if status == "draft" else "x")


def _translations(root: Path) -> Path:
    out = root / "translations"
    out.mkdir()
    doc = store.StoredDocument(
        document="seeds/a.txt", source_lang="zh-Hans", target_lang="en", signature={}, segments=[
            _seg("s1", "安理会举行会议。", "The Security Council met.", "approved"),
            _seg("s2", "安理会举行会议了。", "The Council met.", "approved"),  # violation
            _seg("s3", "欧安组织发表声明。", "The organization issued a statement.", "edited"),  # violation
            _seg("s4", "欧安组织和安理会。", "OSCE and Council.", "draft"),  # violation (draft)
            _seg("s5", "没有术语。", "No term.", "draft"),
        ],
    )
    store.save(doc, out / "a.yaml")
    vi = store.StoredDocument(
        document="seeds/b.txt", source_lang="vi", target_lang="en", signature={}, segments=[
            _seg("t1", "Hội đồng Bảo an họp.", "The Security Council met.", "approved"),
        ],
    )
    store.save(vi, out / "b.yaml")
    return out


def test_check_reports_by_status_and_gates_on_approved(project: Path) -> None:
    _translations(project)
    r = CliRunner().invoke(cli, ["glossary", "check", "--all"])
    assert r.exit_code == 1, r.output
    assert "a [zh-Hans]: 5 term uses in 4 segments; segments missing a term: 1 draft, 1 edited, 1 approved" in r.stdout
    assert "  s2 [approved] 安理会 -> 'Security Council' missing" in r.stdout
    assert "  security-council (Security Council): 4 uses, missing in 1 draft, 1 approved" in r.stdout
    assert r.stderr.strip() == "glossary check failed: 1 approved segment in 1 document miss glossary terms"
    data = json.loads(CliRunner().invoke(cli, ["glossary", "check", "--json"]).stdout)
    assert data["ok"] is False and data["missing"] == {"draft": 1, "edited": 1, "approved": 1}
    # only the clean document: exit 0
    assert CliRunner().invoke(cli, ["glossary", "check", "b"]).exit_code == 0


def test_check_counts_dismissed_missing_terms_apart_and_passes_the_gate(project: Path) -> None:
    out = _translations(project)
    doc = store.load(out / "a.yaml")
    assert doc is not None
    doc.segments[1].flags = ["missing-term:security-council"]
    doc.segments[1].dismissed = {"missing-term:security-council": "the Council, after first mention"}
    store.save(doc, out / "a.yaml")
    r = CliRunner().invoke(cli, ["glossary", "check", "--all"])
    assert r.exit_code == 0, r.output
    assert "a [zh-Hans]: 5 term uses in 4 segments; segments missing a term: 1 draft, 1 edited, 1 dismissed by a reviewer" in r.stdout
    assert "  s2 [approved] 安理会 -> 'Security Council' missing, dismissed: the Council, after first mention" in r.stdout
    assert "1 missing term dismissed by a reviewer (not counted)" in r.stdout
    data = json.loads(CliRunner().invoke(cli, ["glossary", "check", "--json"]).stdout)
    assert data["ok"] is True and data["missing"] == {"draft": 1, "edited": 1, "approved": 0} and data["dismissed"] == 1
    assert data["documents"][0]["dismissed"][0]["reason"] == "the Council, after first mention"


def test_check_missing_translations_dir(project: Path) -> None:
    r = run("check")
    assert r.exit_code == 4 and "no translations directory" in r.output


def test_edit_reports_impact_on_drafts_and_human_segments(project: Path) -> None:
    _translations(project)
    r = run("edit", "security-council", "--remove-zh", "安理会", "--dry-run")
    assert "affects 1 draft segment in 1 document; run `workbench translate` to update them" in r.output
    r = run("add", "--en", "meeting", "--zh", "举行会议")
    assert r.exit_code == 0
    assert "affects no draft segments; 2 edited/approved segments in 1 document now miss a glossary term" in r.output


def test_propagation_translate_updates_exactly_the_affected_drafts(project: Path) -> None:
    (project / "seeds").mkdir()
    shutil.copy(ROOT / "seeds" / "004_c0907f7ee83eb81c.txt", project / "seeds")
    first = CliRunner().invoke(cli, ["translate", "--engine", "copy", "--json"])
    assert first.exit_code == 0, first.output
    r = run("add", "--en", "Asian security", "--zh", "亞洲安全")
    n = int(r.output.split("affects ")[1].split(" draft")[0])
    assert n > 0
    again = json.loads(CliRunner().invoke(cli, ["translate", "--engine", "copy", "--json"]).stdout)
    assert again["documents"][0]["translated"] == n


# ---------------------------------------------------------------- suggest


def _sugs(glossary: Path, *docs: str) -> list[gsug.Suggestion]:
    return gsug.suggest(Glossary.load(glossary), gsug.load_sources(Path("nowhere"), [str(ROOT / d) for d in docs]), limit=None)


def test_suggest_abbreviations_on_seeds() -> None:
    sugs = {(s.source, s.short): s for s in _sugs(DATA / "small.yaml", "seeds") if s.kind == "abbreviation"}
    assert ("欧洲安全与合作组织", "欧安组织") in sugs
    cica = sugs[("亞洲相互協作與信任措施會議", "亞信會議")]
    assert cica.english == "Conference on Interaction and Confidence Building Measures in Asia" and "CICA" in (cica.note or "")
    assert cica.frequency > 10 and len(cica.examples) == 2 and cica.examples[0].startswith("004_c0907f7ee83eb81c:")
    assert ("Hội đồng Bảo an Liên Hợp quốc", "HĐBA") in sugs
    assert ("Hội đồng Nhân quyền", "HĐNQ") in sugs
    # "Liên hợp quốc (LHQ)" is in the small glossary already
    assert not any(short == "LHQ" for _, short in sugs)


def test_suggest_skips_what_the_glossary_covers() -> None:
    sugs = _sugs(ROOT / "glossary.yaml", "seeds")
    sources = {s.source for s in sugs}
    assert "欧洲安全与合作组织" not in sources and "亞洲相互協作與信任措施會議" not in sources
    assert not any(s.kind == "abbreviation" and s.short in ("HĐBA", "欧安组织", "亞信會議") for s in sugs)
    repeated = {s.source: s for s in sugs if s.kind == "repeated"}
    assert "納扎爾巴耶夫" in repeated and repeated["納扎爾巴耶夫"].frequency >= 3
    assert repeated["Lê Hoài Trung"].note and "capitalised" in repeated["Lê Hoài Trung"].note


def test_suggest_english_from_reviewed_segments(project: Path) -> None:
    out = project / "translations"
    out.mkdir()
    segs = [
        _seg("s1", "上海合作组织成员国举行会议。", "Member States of the Shanghai Cooperation Organisation met.", "approved"),
        _seg("s2", "上海合作组织发表声明。", "The Shanghai Cooperation Organisation issued a statement.", "edited"),
        _seg("s3", "我们欢迎上海合作组织的工作。", "We welcome the work of the Shanghai Cooperation Organisation.", "approved"),
    ]
    store.save(store.StoredDocument("x.txt", "zh-Hans", "en", {}, segs), out / "x.yaml")
    r = run("suggest", "--json")
    assert r.exit_code == 0, r.output
    found = {s["source"]: s for s in json.loads(r.stdout)["suggestions"]}
    sco = found["上海合作组织"]
    assert sco["english"] == "Shanghai Cooperation Organisation" and sco["english_from"] == "3/3 reviewed segments"
    assert sco["frequency"] == 3 and sco["examples"] == ["x:s1", "x:s2"]


def test_suggest_never_writes(project: Path) -> None:
    before = (project / "glossary.yaml").read_bytes()
    r = run("suggest", str(ROOT / "seeds"), "--limit", "5")
    assert r.exit_code == 0 and r.output.count("[") >= 5
    assert (project / "glossary.yaml").read_bytes() == before


# ---------------------------------------------------------------- import / export


@pytest.mark.parametrize("name, extra", [("g.tbx", []), ("g.csv", []), ("g-zh.txt", ["--lang", "zh"]), ("g-vi.txt", ["--lang", "vi"]), ("g.tab", ["--lang", "zh", "--format", "omegat"])])
def test_export_import_export_round_trip(project: Path, name: str, extra: list[str]) -> None:
    r = run("export", name, *extra)
    assert r.exit_code == 0, r.output
    first = (project / name).read_bytes()
    entries, warnings = gfmt.read_entries(project / name, None if "--format" not in extra else "omegat", extra[1] if extra else None)
    assert warnings == []
    if name.endswith((".tbx", ".csv")):  # lossless: every field
        assert entries == [ga.term_to_entry(t) for t in Glossary.load(project / "glossary.yaml").terms]
    # import into an empty glossary, export again: the same file
    (project / "empty.yaml").write_text("version: 1\nterms: []\n", encoding="utf-8")
    r = run("import", name, *extra, "--glossary", "empty.yaml")
    assert r.exit_code == 0, r.output
    again = gfmt.read_entries(project / name, None if "--format" not in extra else "omegat", extra[1] if extra else None)[0]
    assert [ga.term_to_entry(t) for t in Glossary.load(project / "empty.yaml").terms] == again
    assert run("export", "second-" + name, *extra, "--glossary", "empty.yaml").exit_code == 0
    assert (project / ("second-" + name)).read_bytes() == first


def test_import_merge_adds_variants_and_refuses_conflicts(project: Path) -> None:
    (project / "in.csv").write_text(
        "en,zh,vi,en_variants,note,domain\n"
        "Security Council,安理會; 安全理事会; 聯合國安全理事會議,,,,\n"
        "Shanghai Cooperation Organization,上海合作组织,,SCO,\"Founded 2001; Shanghai.\",regional\n",
        encoding="utf-8",
    )
    before = (project / "glossary.yaml").read_text(encoding="utf-8")
    r = run("import", "in.csv")
    assert r.exit_code == 0, r.output
    assert "1 new entries, 1 updated (1 variants added), 0 unchanged" in r.output
    after = (project / "glossary.yaml").read_text(encoding="utf-8")
    removed, added = _changed_lines(before, after)
    assert removed == ["    zh: [安全理事会, 安理会, 联合国安全理事会, 联合国安理会]\n"]
    assert added[0] == "    zh: [安全理事会, 安理会, 联合国安全理事会, 联合国安理会, 聯合國安全理事會議]\n"  # 安理會 = 安理会 already
    assert "".join(added[1:]) == '\n  - en: Shanghai Cooperation Organization\n    zh: [上海合作组织]\n    en_variants: [SCO]\n    note: "Founded 2001; Shanghai."\n    domain: regional\n'
    # importing again changes nothing
    assert "nothing to import" in run("import", "in.csv").output
    (project / "bad.csv").write_text("en,zh\nSomething Else,安理会\n", encoding="utf-8")
    r = run("import", "bad.csv")
    assert r.exit_code == 3 and "'安理会' already maps to 'Security Council'" in r.output and "nothing was written" in r.output
    assert (project / "glossary.yaml").read_text(encoding="utf-8") == after


def test_import_replace_keeps_header(project: Path) -> None:
    (project / "in.csv").write_text("en,zh\nA thing,甲\n", encoding="utf-8")
    assert run("import", "in.csv", "--replace").exit_code == 0
    text = (project / "glossary.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Curated glossary:") and text.endswith("version: 1\nterms:\n  - en: A thing\n    zh: [甲]\n")


@pytest.mark.parametrize(
    "args, code, text",
    [
        (["import", "x.json"], 3, "cannot tell the format from the extension '.json'"),
        (["import", "nope.csv"], 3, "nope.csv: no such file"),
        (["export", "g.txt"], 3, "add --lang zh or --lang vi"),
        (["import", "bad.tbx"], 3, "bad.tbx: not a TBX file"),
        (["import", "cols.csv"], 3, "unknown column(s) fr"),
    ],
)
def test_import_export_errors(project: Path, args: list[str], code: int, text: str) -> None:
    (project / "x.json").write_text("{}", encoding="utf-8")
    (project / "bad.tbx").write_text("<martif><text>", encoding="utf-8")
    (project / "cols.csv").write_text("en,fr\nA,b\n", encoding="utf-8")
    r = run(*args)
    assert r.exit_code == code, r.output
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert len(lines) == 1 and text in lines[0], r.output


def test_help_has_examples() -> None:
    for sub in ["", "list", "show", "add", "edit", "remove", "validate", "check", "suggest", "import", "export"]:
        r = CliRunner().invoke(cli, ["glossary", *([sub] if sub else []), "--help"])
        assert r.exit_code == 0 and "Example" in r.output, sub


@pytest.mark.parametrize("scope, missing", [([], 1), (["ASEAN"], 0), (["CICA"], 1)])
def test_check_uses_the_scopes_a_document_was_translated_with(project: Path, scope: list[str], missing: int) -> None:
    out = project / "translations"
    out.mkdir()
    doc = store.StoredDocument(
        document="seeds/c.txt", source_lang="zh-Hans", target_lang="en", signature={"scope": scope} if scope else {},
        segments=[_seg("s1", "亚信外长会议在北京举行。", "The CICA meeting was held in Beijing.", "approved")],
    )
    store.save(doc, out / "c.yaml")
    data = json.loads(CliRunner().invoke(cli, ["glossary", "check", "--glossary", str(ROOT / "glossary.yaml"), "--json"]).stdout)
    assert data["missing"]["approved"] == missing  # "Ministerial Meeting" is a CICA-only entry
