"""Exports: TMX/XLIFF read back with translate-toolkit (segments, states, languages), CSV, HTML."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner
from lxml import etree
from translate.storage import factory, tmx, xliff

from workbench import export, review, store
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


def test_tmx_round_trip(project: Path) -> None:
    edited, approved = _reviewed()
    paths = export.export_documents(OUT, None, "tmx", out=Path("exports"))
    assert sorted(p.name for p in paths) == sorted(f"{s}.tmx" for s in DOCS)
    for stem, lang in DOCS.items():
        f = tmx.tmxfile.parsefile(f"exports/{stem}.tmx")
        segs = _segments(stem)
        root = etree.parse(f"exports/{stem}.tmx").getroot()
        if lang == "en":  # en -> en: both <tuv>s say en, so translate-toolkit sees no target; read the second
            assert [tu.findall("tuv")[1].findtext("seg") for tu in root.iter("tu")] == [s.target for s in segs]
            assert [u.source for u in f.units] == [s.source for s in segs]
        else:
            assert [(u.source, u.target) for u in f.units] == [(s.source, s.target) for s in segs]
        assert [u.getid() for u in f.units] == [f"{stem}:{s.id}" for s in segs]
        assert root.get("version") == "1.4"
        assert root.find("header").get("srclang") == lang
        langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")}
        assert langs == {lang, "en"}
        statuses = [tu.findtext("prop[@type='x-status']") for tu in root.iter("tu")]
        assert statuses == [s.status for s in segs]
    root = etree.parse(f"exports/{ZH}.tmx").getroot()
    by_id = {tu.findtext("prop[@type='x-segment-id']"): tu for tu in root.iter("tu")}
    assert by_id[edited].findtext("prop[@type='x-status']") == "edited"
    assert by_id[approved].findtext("prop[@type='x-status']") == "approved"
    # translate-toolkit's generic factory reads it too
    assert len(factory.getobject(f"exports/{ZH}.tmx").units) == len(_segments(ZH))


def test_xliff_round_trip_with_review_state(project: Path) -> None:
    edited, approved = _reviewed()
    export.export_documents(OUT, None, "xliff", out=Path("exports"))
    for stem, lang in DOCS.items():
        f = factory.getobject(f"exports/{stem}.xlf")
        assert isinstance(f, xliff.xlifffile)
        segs = _segments(stem)
        units = [u for u in f.units if not u.isheader()]
        assert [(u.source, u.target) for u in units] == [(s.source, s.target) for s in segs]
        assert [u.getid().split("\x04")[-1] for u in units] == [s.id for s in segs]
        assert [u.isapproved() for u in units] == [s.status == "approved" for s in segs]
        assert f.getsourcelanguage() == lang and f.gettargetlanguage() == "en"
        root = etree.parse(f"exports/{stem}.xlf").getroot()
        assert root.tag == f"{{{XLIFF_NS}}}xliff" and root.get("version") == "1.2"
        file_node = root.find(f"{{{XLIFF_NS}}}file")
        assert file_node.get("source-language") == lang and file_node.get("target-language") == "en"
        assert file_node.get("original") == f"{Path(_translated_doc(stem))}"
    f = factory.getobject(f"exports/{ZH}.xlf")
    by_id = {u.getid().split("\x04")[-1]: u for u in f.units}
    assert by_id[edited].target == "Viet Nam <b>&amp;</b> the Security Council"
    state = {u.getid().split("\x04")[-1]: u.xmlelement.find(f"{{{XLIFF_NS}}}target").get("state") for u in f.units}
    assert state[edited] == "translated" and state[approved] == "final"
    assert {v for k, v in state.items() if k not in (edited, approved)} == {"needs-review-translation"}
    assert by_id[approved].get_state_n() >= by_id[edited].get_state_n()
    notes = by_id[edited].getnotes()
    assert "QA:" in notes  # flags travel as notes


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
    r = CliRunner().invoke(cli, ["export", "--format", "csv", "--memory"])
    assert r.exit_code == 2 and "--format tmx" in r.output


def test_csv_one_row_per_segment(project: Path) -> None:
    edited, _ = _reviewed()
    r = CliRunner().invoke(cli, ["export", "--format", "csv"])
    assert r.exit_code == 0, r.output
    for stem in DOCS:
        raw = Path(f"exports/{stem}.csv").read_bytes()
        rows = list(csv.DictReader(raw.decode("utf-8").splitlines(keepends=True)))
        segs = _segments(stem)
        assert list(rows[0]) == export.CSV_COLUMNS
        assert [(r["id"], r["source"], r["target"], r["status"]) for r in rows] == [(s.id, s.source, s.target, s.status) for s in segs]
    rows = {r["id"]: r for r in csv.DictReader(Path(f"exports/{ZH}.csv").read_text(encoding="utf-8").splitlines(keepends=True))}
    assert rows[edited]["status"] == "edited" and "missing-term" in rows[edited]["flags"]


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
