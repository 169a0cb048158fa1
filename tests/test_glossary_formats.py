"""Glossary exchange formats other tools read and write: TBX 2008 / TBX v3, CSV, OmegaT."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from workbench.cli import cli
from workbench.glossary import Glossary

DATA = Path(__file__).resolve().parent / "data" / "glossary"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")

EXTRA = """
  - en: 2030 Agenda for Sustainable Development
    zh: [2030年可持续发展议程]
    pos: proper noun
    domain: development

  - en: Viet Nam
    zh: [越南]
    vi: [Việt Nam]
    deprecated: [Vietnam]
    forbidden: [Viet-Nam]
    note: "UN spelling."
    definition: "The UN short name of the State."
    source: "UNTERM"
    domain: geography
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(DATA / "small.yaml", tmp_path / "glossary.yaml")
    with open(tmp_path / "glossary.yaml", "a", encoding="utf-8") as fh:
        fh.write(EXTRA)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


@pytest.mark.parametrize("fmt, root, entry, lang_set, term_holder", [("tbx", "martif", "termEntry", "langSet", "tig"), ("tbx3", "tbx", "conceptEntry", "langSec", "termSec")])
def test_tbx_export_structure(project: Path, fmt: str, root: str, entry: str, lang_set: str, term_holder: str) -> None:
    r = CliRunner().invoke(cli, ["glossary", "export", "out.tbx", "--format", fmt])
    assert r.exit_code == 0, r.output
    doc = etree.parse(str(project / "out.tbx"))
    assert local(doc.getroot()) == root and doc.getroot().get("type") == "TBX-Basic"
    entries = [e for e in doc.getroot().iter() if local(e) == entry]
    assert len(entries) == len(Glossary.load(project / "glossary.yaml"))
    assert all(NCNAME.match(e.get("id")) for e in entries)  # "2030 Agenda" too
    assert any(e.get("id") == "t-2030-agenda-for-sustainable-development" for e in entries)
    vn = next(e for e in entries if e.get("id") == "viet-nam")
    langs = [ls.get(XML_LANG) for ls in vn if local(ls) == lang_set]
    assert langs == ["en", "zh-Hans", "zh-Hant", "vi"]
    zh_hant = next(ls for ls in vn if local(ls) == lang_set and ls.get(XML_LANG) == "zh-Hant")
    assert [t.text for t in zh_hant.iter() if local(t) == "term"] == ["越南"]
    statuses = {next(x.text for x in h if local(x) == "term"): next(x.text for x in h if x.get("type") == "administrativeStatus") for h in vn.iter() if local(h) == term_holder}
    assert statuses["Viet Nam"] == "preferredTerm-admn-sts"
    # TBX-Basic has no notRecommended/forbidden values: both are deprecatedTerm, told apart by a term note
    assert statuses["Vietnam"] == statuses["Viet-Nam"] == "deprecatedTerm-admn-sts"
    notes = {next(x.text for x in h if local(x) == "term"): [x.text for x in h if local(x) == "note"] for h in vn.iter() if local(h) == term_holder}
    assert notes["Vietnam"] == ["status: deprecated"] and notes["Viet-Nam"] == ["status: forbidden"] and notes["Viet Nam"] == []
    agenda = next(e for e in entries if e.get("id").startswith("t-2030"))
    assert [x.text for x in agenda.iter() if x.get("type") == "partOfSpeech"][0] == ("properNoun" if fmt == "tbx" else "noun")
    assert [x.text for x in vn if local(x) == "note"] == ["UN spelling."]


def test_tbx_round_trip_keeps_terms_and_statuses(project: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt in ("tbx", "tbx3"):
        assert runner.invoke(cli, ["glossary", "export", f"g-{fmt}.tbx", "--format", fmt]).exit_code == 0
        other = tmp_path / f"other-{fmt}"
        other.mkdir()
        (other / "glossary.yaml").write_text("version: 1\nterms: []\n", encoding="utf-8")
        r = runner.invoke(cli, ["glossary", "import", str(project / f"g-{fmt}.tbx"), "--glossary", str(other / "glossary.yaml")])
        assert r.exit_code == 0, r.output
        g = Glossary.load(other / "glossary.yaml")
        vn = next(t for t in g.terms if t.en == "Viet Nam")
        assert "越南" in vn.variants["zh"] and "Việt Nam" in vn.variants["vi"]
        assert "Vietnam" not in vn.en_variants  # a deprecated form never comes back as accepted
        assert vn.deprecated == ("Vietnam",) and vn.forbidden == ("Viet-Nam",)


MS_TBX = """<?xml version="1.0" encoding="utf-8"?>
<martif type="TBX" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>Microsoft Terminology Collection (excerpt layout)</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="MS_1">
      <langSet xml:lang="en-US">
        <descripGrp><descrip type="definition">A body of the United Nations.</descrip></descripGrp>
        <ntig><termGrp><term>Security Council</term><termNote type="partOfSpeech">noun</termNote></termGrp></ntig>
      </langSet>
      <langSet xml:lang="zh-CN"><ntig><termGrp><term>安全理事会</term></termGrp></ntig></langSet>
      <langSet xml:lang="zh-TW"><ntig><termGrp><term>安全理事會</term></termGrp></ntig></langSet>
    </termEntry>
    <termEntry id="MS_2">
      <langSet xml:lang="en-US"><ntig><termGrp><term>regional organization</term></termGrp></ntig></langSet>
      <langSet xml:lang="fr-FR"><ntig><termGrp><term>organisation régionale</term></termGrp></ntig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_microsoft_ntig_termgrp_tbx_imports_and_reports_skips(project: Path) -> None:
    (project / "ms.tbx").write_text(MS_TBX, encoding="utf-8")
    r = CliRunner().invoke(cli, ["glossary", "import", "ms.tbx"])
    assert r.exit_code == 0, r.output
    assert "entry 2 (id MS_2) ('regional organization'): skipped, no Chinese or Vietnamese term" in r.output
    sc = next(t for t in Glossary.load(project / "glossary.yaml").terms if t.en == "Security Council")
    assert "安全理事会" in sc.variants["zh"]


def test_nothing_importable_exits_non_zero(project: Path) -> None:
    (project / "fr.tbx").write_text(MS_TBX.replace('xml:lang="zh-CN"', 'xml:lang="fr"').replace('xml:lang="zh-TW"', 'xml:lang="de"'), encoding="utf-8")
    before = (project / "glossary.yaml").read_bytes()
    r = CliRunner().invoke(cli, ["glossary", "import", "fr.tbx"])
    assert r.exit_code != 0 and "nothing could be imported" in r.output
    assert (project / "glossary.yaml").read_bytes() == before


def test_csv_with_other_tools_headers(project: Path) -> None:
    (project / "t.csv").write_text("en,zh_CN,pos,description\nceasefire,停火,noun,a halt to fighting\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["glossary", "import", "t.csv"])
    assert r.exit_code == 0, r.output
    t = next(t for t in Glossary.load(project / "glossary.yaml").terms if t.en == "ceasefire")
    assert t.variants["zh"] == ("停火",) and t.note == "a halt to fighting"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-8"])
def test_omegat_tab_glossary_in_any_encoding_omegat_writes(project: Path, encoding: str) -> None:
    (project / "g.txt").write_bytes("停火\tceasefire\tnoun\n维持和平\tpeacekeeping\n".encode(encoding))
    r = CliRunner().invoke(cli, ["glossary", "import", "g.txt", "--lang", "zh"])
    assert r.exit_code == 0, r.output
    ens = {t.en for t in Glossary.load(project / "glossary.yaml").terms}
    assert {"ceasefire", "peacekeeping"} <= ens


def test_omegat_csv_layout(project: Path) -> None:
    (project / "g.txt").write_text('停火,ceasefire,"a halt, to fighting"\n', encoding="utf-8")
    r = CliRunner().invoke(cli, ["glossary", "import", "g.txt", "--lang", "zh"])
    assert r.exit_code == 0, r.output
    assert any(t.en == "ceasefire" for t in Glossary.load(project / "glossary.yaml").terms)


def test_csv_export_has_bom_and_neutralises_formulas(project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["glossary", "add", "--en", "=1+1 plan", "--zh", "计划一"]).exit_code == 0
    assert runner.invoke(cli, ["glossary", "export", "g.csv"]).exit_code == 0
    raw = (project / "g.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "'=1+1 plan" in raw.decode("utf-8-sig")
