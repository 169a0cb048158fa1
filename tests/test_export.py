"""Exports: TMX/XLIFF read back with translate-toolkit (segments, states, languages), CSV, HTML."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from translate.storage import factory, tmx, xliff

import schemas
from workbench import export, files, review, store
from workbench.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = {
    "000_093349a39d32f8f2": "zh-Hans",
    "001_85fdaf6eba83a0b1": "vi",
    "002_32457efe62ae41e4": "vi",
    "003_48e5bbd035215e94": "en",
    "004_c0907f7ee83eb81c": "zh-Hant",
}
ZH = "000_093349a39d32f8f2"
OUT = Path("translations")
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"




def _reviewed(stem: str = ZH) -> tuple[str, str]:
    """Edit segment 1 (with markup in it) and approve segment 2; return their ids."""
    doc = review.open_doc(OUT, stem).doc
    ids = [s.id for s in doc.segments if s.source]
    review.edit(OUT, stem, ids[1], "Viet Nam <b>&amp;</b> the Security Council")
    review.approve(OUT, stem, [ids[2]], override=True)  # a copy draft: approving it needs an explicit override
    return ids[1], ids[2]


def _segments(stem: str) -> list[store.Segment]:
    doc = store.load(store.path_for(OUT, stem))
    assert doc is not None
    return [s for s in doc.segments if s.source]


def _xliff_schema() -> etree.XMLSchema:
    """The OASIS XLIFF 1.2 strict schema (see tests/schemas.py for where it is found); skips when missing."""
    schema = schemas.xliff_schema()
    if schema is None:
        pytest.skip(f"XLIFF 1.2 schema not found (xliff-core-1.2-strict.xsd + xml.xsd): {schemas.HOW}")
    return schema


def _tmx_dtd() -> etree.DTD:
    """The TMX 1.4 DTD (see tests/schemas.py); skips when missing."""
    dtd = schemas.tmx_dtd()
    if dtd is None:
        pytest.skip(f"TMX 1.4 DTD not found (tmx14.dtd): {schemas.HOW}")
    return dtd


TMX_DATE = re.compile(r"^\d{8}T\d{6}Z$")


def test_tmx_round_trip(project: Path) -> None:
    edited, approved = _reviewed()
    paths = export.export_documents(OUT, None, "tmx", out=Path("exports"))
    assert sorted(p.name for p in paths) == sorted(f"{s}.tmx" for s in DOCS)
    dtd = _tmx_dtd()
    for stem, lang in DOCS.items():
        f = tmx.tmxfile.parsefile(f"exports/{stem}.tmx")
        segs = _segments(stem)
        tree = etree.parse(f"exports/{stem}.tmx")
        assert dtd.validate(tree), dtd.error_log.filter_from_errors()
        root = tree.getroot()
        if lang == "en":  # en -> en: both <tuv>s say en, so translate-toolkit sees no target; read the second
            assert [tu.findall("tuv")[1].findtext("seg") for tu in root.iter("tu")] == [s.target for s in segs]
            assert [u.source for u in f.units] == [s.source for s in segs]
        else:
            assert [(u.source, u.target) for u in f.units] == [(s.source, s.target) for s in segs]
        assert [u.getid() for u in f.units] == [f"{stem}:{s.id}" for s in segs]
        assert root.get("version") == "1.4"
        header = root.find("header")
        assert header.get("srclang") == export.TMX_LANGS[lang]
        assert (header.get("creationtool"), header.get("o-tmf"), header.get("segtype")) == ("workbench", "workbench-yaml", "sentence")
        assert TMX_DATE.match(header.get("creationdate")) and TMX_DATE.match(header.get("changedate"))
        mtime = store.path_for(OUT, stem).stat().st_mtime
        assert {tu.get("changedate") for tu in root.iter("tu")} == {export.tmx_date(mtime)}
        assert {tu.findall("tuv")[1].get("changedate") for tu in root.iter("tu")} == {export.tmx_date(mtime)}  # as OmegaT writes it
        assert {tu.findall("tuv")[0].get("changedate") for tu in root.iter("tu")} == {None}
        langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")}
        assert langs == {export.TMX_LANGS[lang], "en"}
        statuses = [tu.findtext("prop[@type='x-status']") for tu in root.iter("tu")]
        assert statuses == [s.status for s in segs]
    root = etree.parse(f"exports/{ZH}.tmx").getroot()
    by_id = {tu.findtext("prop[@type='x-segment-id']"): tu for tu in root.iter("tu")}
    assert by_id[edited].findtext("prop[@type='x-status']") == "edited"
    assert by_id[approved].findtext("prop[@type='x-status']") == "approved"
    # translate-toolkit's generic factory reads it too
    assert len(factory.getobject(f"exports/{ZH}.tmx").units) == len(_segments(ZH))


@pytest.mark.parametrize("code, tag", [("zh-Hans", "zh-CN"), ("zh-Hant", "zh-TW"), ("vi", "vi-VN"), ("en", "en")])
def test_tmx_language_tags_are_the_ones_omegat_projects_use(code: str, tag: str) -> None:
    assert export.tmx_lang(code) == tag


def test_tmx_dates() -> None:
    assert export.tmx_date(0) == "19700101T000000Z"
    assert export.tmx_date(1_700_000_000) == "20231114T221320Z"


def _tu(f: xliff.xlifffile, sid: str) -> xliff.xliffunit:
    return next(u for u in f.units if u.getid().split("\x04")[-1] == sid)


def _target(unit: xliff.xliffunit) -> etree._Element:
    return unit.xmlelement.find(f"{{{XLIFF_NS}}}target")


def test_xliff_round_trip_with_review_state(project: Path) -> None:
    edited, approved = _reviewed()
    export.export_documents(OUT, None, "xliff", out=Path("exports"))
    schema = _xliff_schema()
    for stem, lang in DOCS.items():
        tree = etree.parse(f"exports/{stem}.xlf")
        assert schema.validate(tree), schema.error_log.filter_from_errors()
        f = factory.getobject(f"exports/{stem}.xlf")
        assert isinstance(f, xliff.xlifffile)
        segs = _segments(stem)
        units = [u for u in f.units if not u.isheader()]
        assert [(u.source, u.target) for u in units] == [(s.source, s.target) for s in segs]
        assert [u.getid().split("\x04")[-1] for u in units] == [s.id for s in segs]
        assert [u.isapproved() for u in units] == [s.status == "approved" for s in segs]
        assert f.getsourcelanguage() == lang and f.gettargetlanguage() == "en"
        root = tree.getroot()
        assert root.tag == f"{{{XLIFF_NS}}}xliff" and root.get("version") == "1.2"
        file_node = root.find(f"{{{XLIFF_NS}}}file")
        assert file_node.get("source-language") == lang and file_node.get("target-language") == "en"
        assert file_node.get("original") == f"{Path(_translated_doc(stem))}"
    f = factory.getobject(f"exports/{ZH}.xlf")
    assert _tu(f, edited).target == "Viet Nam <b>&amp;</b> the Security Council"
    assert _target(_tu(f, edited)).get("state") == "translated" and not _tu(f, edited).isapproved()
    assert _target(_tu(f, approved)).get("state") == "final" and _tu(f, approved).isapproved()
    # the copy engine made every other draft: a copy of the source, still to be translated
    others = {_target(u).get("state") for u in f.units if u.getid().split("\x04")[-1] not in (edited, approved)}
    assert others == {"needs-translation"}
    assert "QA:" in _tu(f, edited).getnotes()  # flags travel as notes


# status, origin, flags, target -> state, state-qualifier, approved, translate-toolkit state, Weblate (fuzzy, translated, approved)
STATE_CASES = [
    ("draft", "argos:translate-zh_en@1.9", [], "The Council", "needs-review-translation", "mt-suggestion", False, "S_NEEDS_REVIEW", (False, True, False)),
    ("draft", "memory", ["memory-match"], "The Council", "needs-review-translation", "leveraged-tm", False, "S_NEEDS_REVIEW", (False, True, False)),
    ("draft", "copy", ["no-mt"], "安理会", "needs-translation", None, False, "S_NEEDS_TRANSLATION", (True, True, False)),
    ("draft", "argos:translate-zh_en@1.9", [], "", "needs-translation", None, False, "S_NEEDS_TRANSLATION", (False, False, False)),
    ("edited", "argos:translate-zh_en@1.9", [], "The Council", "translated", None, False, "S_TRANSLATED", (False, True, False)),
    ("edited", "copy", ["no-mt"], "The Council", "translated", None, False, "S_TRANSLATED", (False, True, False)),
    ("draft", "copy", [], "The Council.", "needs-review-translation", None, False, "S_NEEDS_REVIEW", (False, True, False)),  # English source
    ("draft", "identity", [], "The Council (aligned)", "needs-review-translation", "leveraged-inherited", False, "S_NEEDS_REVIEW", (False, True, False)),
    ("approved", "memory", ["memory-match"], "The Council", "final", None, True, "S_SIGNED_OFF", (False, True, True)),
]

#: Weblate's XLIFF rules (weblate/formats/ttkit.py, XliffUnit): fuzzy = a target whose state is one of
#: these; translated = has a target; approved = approved="yes".
WEBLATE_FUZZY_STATES = {"new", "needs-translation", "needs-adaptation", "needs-l10n"}


def _one_segment_doc(status: str, origin: str, flags: list[str], target: str, **extra: object) -> store.StoredDocument:
    english = target == "The Council." and origin == "copy"
    confidence = 0.9 if target.endswith("(aligned)") else None  # what `workbench align` stores
    seg = store.Segment(id="s1", source="The Council." if english else "安理会", target=target, status=status, mt=target, origin=origin, flags=list(flags), paragraph=0, gap="", confidence=confidence)
    for key, value in extra.items():
        setattr(seg, key, value)
    return store.StoredDocument(document="doc.txt", source_lang="en" if english else "zh-Hans", target_lang="en", signature={"string": "engine:argos"}, segments=[seg])


@pytest.mark.parametrize("status, origin, flags, target, state, qualifier, approved, tt_state, weblate", STATE_CASES)
def test_xliff_states(tmp_path: Path, status: str, origin: str, flags: list[str], target: str, state: str, qualifier: str | None, approved: bool, tt_state: str, weblate: tuple[bool, bool, bool]) -> None:
    data = export.xliff_document(_one_segment_doc(status, origin, flags, target), "doc")
    assert _xliff_schema().validate(etree.fromstring(data))
    path = tmp_path / "doc.xlf"
    path.write_bytes(data)
    unit = next(iter(factory.getobject(str(path)).units))
    node = _target(unit)
    assert (node.get("state"), node.get("state-qualifier"), unit.isapproved()) == (state, qualifier, approved)
    # translate-toolkit's own state reading (what its converters and Weblate build on)
    assert unit.get_state_id() == getattr(unit, tt_state)
    has_translation = bool(unit.target)
    assert (has_translation and node.get("state") in WEBLATE_FUZZY_STATES, has_translation, unit.isapproved()) == weblate


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({}, []),
        ({"note": "check the date"}, ["check the date"]),
        ({"notes": ["first", {"text": "second", "author": "rev"}]}, ["first", "second"]),
        ({"note": "first", "notes": ["first", "third"]}, ["first", "third"]),
    ],
)
def test_xliff_translator_notes(tmp_path: Path, extra: dict[str, object], expected: list[str]) -> None:
    doc = _one_segment_doc("edited", "copy", [], "The Council", **extra)
    path = tmp_path / "doc.xlf"
    path.write_bytes(export.xliff_document(doc, "doc"))
    unit = next(iter(factory.getobject(str(path)).units))
    assert [n.text for n in unit.xmlelement.iterfind(f"{{{XLIFF_NS}}}note[@from='translator']")] == expected
    if expected:
        assert unit.getnotes(origin="translator").split("\n") == expected
    tmx_root = etree.fromstring(export.tmx_document(doc, "doc"))
    assert [n.text for n in tmx_root.iter("note")] == expected


def test_xliff_rebuilds_every_document(project: Path) -> None:
    export.export_documents(OUT, None, "xliff", out=Path("exports"))
    for stem in DOCS:
        doc = store.load(store.path_for(OUT, stem))
        assert doc is not None
        original = Path(doc.document).read_text(encoding="utf-8")
        assert export.rebuild_source(Path(f"exports/{stem}.xlf").read_bytes()) == doc.source_text() == original


def test_xliff_layout_contexts() -> None:
    segs = [
        store.Segment(id="a", source="", target="", prefix="1.", gap=""),  # a label-only line
        store.Segment(id="b", source="第一句。", target="First.", prefix="(a) ", suffix="¹", gap="\n"),
        store.Segment(id="c", source="第二句。", target="Second.", gap=""),
    ]
    doc = store.StoredDocument(document="d.txt", source_lang="zh-Hans", target_lang="en", signature={}, segments=segs, trailing="\n")
    data = export.xliff_document(doc, "d")
    assert _xliff_schema().validate(etree.fromstring(data))
    ctx = {
        tu.get("id"): {c.get("context-type"): c.text for c in tu.iter(f"{{{XLIFF_NS}}}context")}
        for tu in etree.fromstring(data).iter(f"{{{XLIFF_NS}}}trans-unit")
    }
    assert ctx == {"b": {"x-gap": "1.\n", "x-prefix": "(a) ", "x-suffix": "¹"}, "c": {"x-trailing": "\n"}}
    assert export.rebuild_source(data) == doc.source_text() == "1.\n(a) 第一句。¹第二句。\n"


def _translated_doc(stem: str) -> str:
    doc = store.load(store.path_for(OUT, stem))
    assert doc is not None
    return doc.document


def test_status_filter(project: Path) -> None:
    _edited, approved = _reviewed()
    export.export_documents(OUT, [ZH], "xliff", out=Path("exports"), statuses=["approved"])
    f = factory.getobject(f"exports/{ZH}.xlf")
    assert [u.getid().split("\x04")[-1] for u in f.units] == [approved]
    r = CliRunner().invoke(cli, ["export", f"seeds/{ZH}.txt", "--format", "tmx", "--status", "approved", "--status", "edited", "--dest", "x", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {"written": [f"x/{ZH}.tmx"]}
    assert len(tmx.tmxfile.parsefile(f"x/{ZH}.tmx").units) == 2


def test_memory_tmx(project: Path) -> None:
    r = CliRunner().invoke(cli, ["export", "--format", "tmx", "--memory"])
    assert r.exit_code == 2 and "memory is empty" in r.output
    _reviewed(ZH)
    _reviewed("001_85fdaf6eba83a0b1")
    r = CliRunner().invoke(cli, ["export", "--format", "tmx", "--memory"])
    assert r.exit_code == 0, r.output
    assert sorted(r.output.split()) == ["exports/memory-vi.tmx", "exports/memory-zh-Hans.tmx"]
    f = tmx.tmxfile.parsefile("exports/memory-zh-Hans.tmx")
    mem = review.memory(OUT)
    assert len(f.units) == 2 and all(mem[u.source] == u.target for u in f.units)
    root = etree.parse("exports/memory-zh-Hans.tmx").getroot()
    assert _tmx_dtd().validate(root.getroottree())
    assert root.find("header").get("srclang") == "zh-CN"
    assert {tu.findtext("prop[@type='x-status']") for tu in root.iter("tu")} == {"edited", "approved"}  # no draft
    r = CliRunner().invoke(cli, ["export", "--format", "tmx", "--memory", "--status", "draft"])
    assert r.exit_code == 2 and "memory is empty" in r.output  # a machine draft is never memory
    r = CliRunner().invoke(cli, ["export", "--format", "csv", "--memory"])
    assert r.exit_code == 2 and "--format tmx" in r.output


def _csv_rows(path: str) -> list[dict[str, str]]:
    raw = Path(path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel and LibreOffice open it right
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_one_row_per_segment(project: Path) -> None:
    edited, _ = _reviewed()
    r = CliRunner().invoke(cli, ["export", "--format", "csv"])
    assert r.exit_code == 0, r.output
    for stem, lang in DOCS.items():
        rows = _csv_rows(f"exports/{stem}.csv")
        segs = _segments(stem)
        assert list(rows[0]) == export.CSV_COLUMNS
        assert [(r["id"], r["source"], r["target"], r["status"]) for r in rows] == [(s.id, files.csv_cell(s.source), files.csv_cell(s.target), s.status) for s in segs]
        assert {r["source_lang"] for r in rows} == {lang}
        assert b"\r\n" in Path(f"exports/{stem}.csv").read_bytes()
    rows = {r["id"]: r for r in _csv_rows(f"exports/{ZH}.csv")}
    assert rows[edited]["status"] == "edited" and "missing-term" in rows[edited]["flags"]


@pytest.mark.parametrize(
    "target, cell",
    [
        ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
        ("+1 for the Council", "'+1 for the Council"),
        ("-5 degrees", "'-5 degrees"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("The Council", "The Council"),
        ("a=b", "a=b"),
    ],
)
def test_csv_cells_cannot_run_as_formulas(project: Path, target: str, cell: str) -> None:
    path = store.path_for(OUT, ZH)
    doc = store.load(path)
    assert doc is not None
    seg = next(s for s in doc.segments if s.source)
    seg.target, seg.status, seg.note = target, "edited", target
    store.save(doc, path)
    export.export_documents(OUT, [ZH], "csv", out=Path("exports"))
    row = {r["id"]: r for r in _csv_rows(f"exports/{ZH}.csv")}[seg.id]
    assert row["target"] == cell
    if target.strip():
        assert row["note"] == files.csv_cell(target.strip())  # notes too: every cell


def test_exports_get_the_usual_file_mode(project: Path) -> None:
    old = os.umask(0o022)
    try:
        export.export_documents(OUT, [ZH], "xliff", out=Path("exports"))
        assert Path(f"exports/{ZH}.xlf").stat().st_mode & 0o777 == 0o644
        os.chmod(f"exports/{ZH}.xlf", 0o664)
        export.export_documents(OUT, [ZH], "xliff", out=Path("exports"))
        assert Path(f"exports/{ZH}.xlf").stat().st_mode & 0o777 == 0o664  # an existing file keeps its mode
    finally:
        os.umask(old)


def test_html_report_escapes_everything(project: Path) -> None:
    doc = review.open_doc(OUT, ZH).doc
    sid = doc.segments[1].id
    review.edit(OUT, ZH, sid, '<script>alert("x")</script> & <img src=x onerror=alert(1)>')
    r = CliRunner().invoke(cli, ["export", ZH, "--format", "html"])
    assert r.exit_code == 0, r.output
    page = Path(f"exports/{ZH}.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in page
    assert '<mark title="Viet Nam">越南</mark>' in page  # glossary terms highlighted, English on hover
    assert "missing-term:" in page and 'class="flag"' in page
    assert page.count("<tr") == len(_segments(ZH)) + 1
    etree.fromstring(page.encode("utf-8"), etree.HTMLParser())  # parses


def test_export_errors(project: Path) -> None:
    r = CliRunner().invoke(cli, ["export", "nope", "--format", "csv"])
    assert r.exit_code == 4 and "no translations file" in r.output
    r = CliRunner().invoke(cli, ["export", "--format", "po"])
    assert r.exit_code == 2
