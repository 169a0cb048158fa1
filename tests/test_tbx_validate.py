"""The TBX export against the public schemas and TBXChecker.

The schemas are not in this repository: ``schemas.tbx_dir()`` finds them (``$WORKBENCH_TBX_SCHEMAS``,
``$WORKBENCH_SCHEMAS``, ``../shared/tbx-schemas/``, ``../shared/schemas/``; the files, and where each
comes from, are listed in SCHEMA_FILES below); a test whose schema is missing is skipped and says which file.
TBX-Basic 2008: the ISO 30042:2008 core structure DTD and LISA's TBX-Basic DTD (lxml), LISA's
integrated TBX-Basic RNG (lxml and jing), and the XCS constraints (languages, data categories,
picklists, levels: what TBXChecker checks beyond the DTD), which always run.
TBX v3: LTAC's TBX core RNG (lxml and jing) and the TBX-Basic DCA Schematron (XPath 2: jing from
Debian, which .ci/run installs). Each validator must also refuse a broken copy, so a test cannot
pass because a validator checks nothing. TBXChecker (tbxcheck-1.2.9.jar, not redistributed here)
runs when ``TBXCHECKER_JAR`` names a copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import schemas
from workbench.cli import cli

ROOT = Path(__file__).resolve().parent.parent
#: file -> where it is published (public GitHub repositories; the commit we validated with).
SCHEMA_FILES = {
    "TBXcoreStructV02.dtd": "ISO 30042:2008 core structure DTD: byutrg/TBX-Checker t/corpus/ (the copy inside tbxcheck-1.2.9.jar)",
    "TBXBasiccoreStructV02.dtd": "LISA TBX-Basic package: byutrg/TBX-Basic-Package @ d56aae6247f0",
    "TBXBasicRNGV02.rng": "LISA TBX-Basic package: byutrg/TBX-Basic-Package @ d56aae6247f0",
    "TBXcoreStructV03.rng": "LTAC-Global/TBX_Core_RNG @ 14eb02ba5e16",
    "TBX-Basic_DCA.sch": "LTAC-Global/TBX-Basic_dialect DCA/ @ 317fb299eac5 (v1.2.1)",
}
SCHEMAS = schemas.tbx_dir()
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JING = shutil.which("jing")

# Statuses, part of speech, note, definition, source and a digit-first id beside the project's real glossary.
EXTRA = """
  - en: 2030 Agenda for Sustainable Development
    zh: [2030年可持续发展议程]
    pos: proper noun
    domain: development

  - en: Viet Nam (test)
    zh: [越南（测试）]
    vi: [Việt Nam (thử)]
    deprecated: [Vietnam (test)]
    forbidden: [Viet-Nam (test)]
    pos: noun
    note: "UN spelling."
    definition: "The UN short name of the State."
    source: "UNTERM"
    domain: geography
"""


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("tbx")
    text = (ROOT / "glossary.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n" + EXTRA
    (d / "glossary.yaml").write_text(text, encoding="utf-8")
    out = {}
    for fmt in ("tbx", "tbx3"):
        (d / fmt).mkdir()
        r = CliRunner().invoke(cli, ["glossary", "export", str(d / f"{fmt}" / "g.tbx"), "--format", fmt, "--glossary", str(d / "glossary.yaml"), "--json"])
        assert r.exit_code == 0, r.output
        out[fmt] = d / fmt / "g.tbx"
    return out


def schema(name: str) -> Path:
    path = SCHEMAS / name
    if not path.is_file():
        pytest.skip(f"{name} not found (set WORKBENCH_TBX_SCHEMAS to a folder with it; from {SCHEMA_FILES[name]})")
    return path


def _rng(name: str) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(schema(name))))


def _broken(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    bad = path.with_name("broken-" + path.name)
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    return bad


# ------------------------------------------------------------------ TBX-Basic 2008


def test_export_names_the_core_dtd_and_writes_the_xcs_it_names(exports: dict[str, Path]) -> None:
    tbx2 = exports["tbx"]
    doc = etree.parse(str(tbx2))
    assert (doc.docinfo.public_id, doc.docinfo.system_url) == ("ISO 30042:2008A//DTD TBX core//EN", "TBXcoreStructV02.dtd")
    xcs = doc.getroot().find("martifHeader/encodingDesc/p[@type='XCSURI']").text
    assert xcs == "workbench-TBXBasic.xcs"
    assert sorted(p.name for p in tbx2.parent.iterdir()) == ["g.tbx", xcs]
    assert sorted(p.name for p in exports["tbx3"].parent.iterdir()) == ["g.tbx"]  # v3 names public URLs, writes nothing beside


def test_export_json_reports_what_it_wrote(tmp_path: Path) -> None:
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    r = CliRunner().invoke(cli, ["glossary", "export", str(tmp_path / "out.tbx"), "--glossary", str(tmp_path / "glossary.yaml"), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    entries = len(etree.parse(str(tmp_path / "out.tbx")).getroot().findall("text/body/termEntry"))
    assert entries > 200  # the curated glossary
    assert data["action"] == "export" and data["format"] == "tbx" and data["entries"] == entries
    assert [Path(p).name for p in data["companions"]] == ["workbench-TBXBasic.xcs"]


@pytest.mark.parametrize("name", ["TBXcoreStructV02.dtd", "TBXBasiccoreStructV02.dtd", "TBXBasicRNGV02.rng"])
def test_tbx2008_is_valid_against_the_core_and_tbx_basic_schemas(exports: dict[str, Path], name: str) -> None:
    validator = etree.DTD(str(schema(name))) if name.endswith(".dtd") else _rng(name)
    good = etree.parse(str(exports["tbx"]))
    assert validator.validate(good), validator.error_log
    bad = etree.parse(str(_broken(exports["tbx"], "</tig>", "<bogus/></tig>")))
    assert not validator.validate(bad)


def xcs_errors(tbx: Path) -> list[str]:
    """TBXChecker's XCS adherence rules: declared languages, data categories, picklists, levels."""
    root = etree.parse(str(tbx)).getroot()
    xcs = etree.parse(str(tbx.parent / root.find("martifHeader/encodingDesc/p[@type='XCSURI']").text)).getroot()
    langs = {x.text.strip() for x in xcs.iter("langCode")}
    specs = {(el.tag[: -len("Spec")], el.get("name")): el for el in xcs.find("datCatSet")}
    errors = [f"language {ls.get(XML_LANG)} not declared" for ls in root.iter("langSet") if ls.get(XML_LANG) not in langs]
    levels = {"termEntry": "termEntry", "langSet": "langSet", "tig": "term"}
    for el in root.iter("descrip", "admin", "termNote", "ref", "xref", "transac", "transacNote"):
        spec = specs.get((el.tag, el.get("type")))
        if spec is None:
            errors.append(f"{el.tag} type {el.get('type')!r} not in the XCS")
            continue
        contents = spec.find("contents")
        if contents is not None and contents.get("datatype") == "picklist" and el.text not in (contents.text or "").split():
            errors.append(f"{el.tag} {el.get('type')}: {el.text!r} not in the picklist")
        allowed = spec.findtext("levels")
        level = levels.get(el.getparent().tag)
        if allowed and level not in allowed.split():
            errors.append(f"{el.tag} {el.get('type')} at {el.getparent().tag}, allowed at {allowed}")
    return errors


def test_tbx2008_adheres_to_its_xcs(exports: dict[str, Path]) -> None:
    assert xcs_errors(exports["tbx"]) == []
    langs = {ls.get(XML_LANG) for ls in etree.parse(str(exports["tbx"])).getroot().iter("langSet")}
    assert langs == {"en", "zh-Hans", "zh-Hant", "vi"}
    bad = _broken(exports["tbx"], "deprecatedTerm-admn-sts", "notRecommendedTerm-admn-sts")
    assert xcs_errors(bad) == ["termNote administrativeStatus: 'notRecommendedTerm-admn-sts' not in the picklist"]
    bad = _broken(exports["tbx"], 'xml:lang="vi"', 'xml:lang="fr"')
    assert xcs_errors(bad) == ["language fr not declared"]


@pytest.mark.skipif(not os.environ.get("TBXCHECKER_JAR"), reason="TBXCHECKER_JAR (tbxcheck-1.2.9.jar) not set")
def test_tbxchecker_says_valid(exports: dict[str, Path]) -> None:
    def check(path: Path) -> str:
        r = subprocess.run(["java", "-cp", os.environ["TBXCHECKER_JAR"], "org.ttt.salt.Main", str(path)], capture_output=True, text=True, timeout=300)
        return r.stdout

    assert check(exports["tbx"]).startswith("Valid file:")
    assert check(_broken(exports["tbx"], "deprecatedTerm-admn-sts", "notRecommendedTerm-admn-sts")).startswith("INVALID FILE:")


# ------------------------------------------------------------------ TBX v3 (ISO 30042:2019), TBX-Basic dialect


def test_tbx3_is_valid_against_the_core_rng(exports: dict[str, Path]) -> None:
    schema = _rng("TBXcoreStructV03.rng")
    assert schema.validate(etree.parse(str(exports["tbx3"]))), schema.error_log
    assert not schema.validate(etree.parse(str(_broken(exports["tbx3"], "</termSec>", "<bogus/></termSec>"))))


def test_tbx3_names_ltacs_schemas(exports: dict[str, Path]) -> None:
    head = exports["tbx3"].read_text(encoding="utf-8")[:1000]
    assert "TBX_Core_RNG/master/TBXcoreStructV03.rng" in head and "TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch" in head


@pytest.mark.skipif(JING is None, reason="jing not installed (apt-get install jing; .ci/run installs it)")
@pytest.mark.parametrize("name, fmt", [("TBX-Basic_DCA.sch", "tbx3"), ("TBXcoreStructV03.rng", "tbx3"), ("TBXBasicRNGV02.rng", "tbx")])
def test_jing_accepts_the_export_and_refuses_a_broken_one(exports: dict[str, Path], name: str, fmt: str) -> None:
    def jing(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(JING), str(sch), str(path)], capture_output=True, text=True, timeout=300)

    sch = schema(name)
    if fmt == "tbx":  # jing reads the DTD the DOCTYPE names (by its system path: no catalog here)
        shutil.copy(schema("TBXcoreStructV02.dtd"), exports[fmt].parent / "TBXcoreStructV02.dtd")

    r = jing(exports[fmt])
    assert r.returncode == 0, r.stdout + r.stderr
    if name.endswith(".sch"):  # the dialect's picklists: TBX-Basic has no notRecommended, no properNoun in v3
        for old, new in (("deprecatedTerm-admn-sts", "notRecommendedTerm-admn-sts"), (">noun<", ">properNoun<")):
            r = jing(_broken(exports[fmt], old, new))
            assert r.returncode == 1 and "assertion failed" in r.stdout
    else:
        tag = "termSec" if fmt == "tbx3" else "tig"
        assert jing(_broken(exports[fmt], f"</{tag}>", f"<bogus/></{tag}>")).returncode == 1
