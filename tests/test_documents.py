"""Documents in and out (issue 16): Word and HTML kept intact, the English documents, imports
from other CAT tools. The .docx and .html files are built here, in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench import store
from workbench.cli import cli
from workbench.formats.tags import tag_flags, tag_list

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 见第2475（2019）号决议。</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def run(*args: str, ok: bool = True):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


def make_docx(path: Path) -> None:
    """A small UN-style Word document: heading, formatted runs, a link, a footnote, a list,
    a table, a caption, a header and a footer."""
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_heading("安全理事会的报告", level=1)
    p = d.add_paragraph("安全理事会")
    p.add_run("举行").bold = True
    p.add_run("了第8000次会议。")
    ref = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    va = OxmlElement("w:vertAlign")
    va.set(qn("w:val"), "superscript")
    rpr.append(va)
    ref.append(rpr)
    fr = OxmlElement("w:footnoteReference")
    fr.set(qn("w:id"), "1")
    ref.append(fr)
    p._p.append(ref)
    p.add_run("会议")
    p.add_run("继续").italic = True
    p.add_run("。")
    link = d.add_paragraph("详见")
    rid = d.part.relate_to("https://www.un.org/securitycouncil/", RT.HYPERLINK, is_external=True)
    h = OxmlElement("w:hyperlink")
    h.set(qn("r:id"), rid)
    hr = OxmlElement("w:r")
    hr.text = "安理会网站"
    h.append(hr)
    link._p.append(h)
    link.add_run("。")
    d.add_paragraph("第一项", style="List Number")
    t = d.add_table(rows=2, cols=2)
    t.style = "Table Grid"
    for (i, j), text in {(0, 0): "国家", (0, 1): "代表", (1, 0): "越南", (1, 1): "大使"}.items():
        t.cell(i, j).text = text
    t.cell(0, 0).paragraphs[0].runs[0].bold = True
    d.add_paragraph("表1：成员", style="Caption")
    d.add_paragraph("")
    d.sections[0].header.paragraphs[0].text = "S/2021/300"
    d.sections[0].footer.paragraphs[0].text = "21-04123 (C)"
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, FOOTNOTES_XML.encode("utf-8"), d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    d.save(str(path))


def docx_structure(path: Path) -> dict:
    """What must survive a round trip: paragraphs and their styles, run formatting, tables,
    header/footer, footnote references and hyperlinks."""
    import zipfile

    import docx

    d = docx.Document(str(path))
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return {
        "paragraphs": len(d.paragraphs),
        "styles": [p.style.name for p in d.paragraphs],
        "run_formats": [[(bool(r.bold), bool(r.italic), r.font.superscript) for r in p.runs if r.text.strip()] for p in d.paragraphs],
        "tables": [(len(t.rows), len(t.columns), t.style.name if t.style else None) for t in d.tables],
        "header_paragraphs": len(d.sections[0].header.paragraphs),
        "footer_paragraphs": len(d.sections[0].footer.paragraphs),
        "footnote_refs": xml.count("<w:footnoteReference"),
        "hyperlinks": xml.count("<w:hyperlink"),
        "footnotes_part": "word/footnotes.xml" in zipfile.ZipFile(path).namelist(),
    }


HTML = """<!DOCTYPE html>
<html lang="zh-Hans">
<head><meta charset="utf-8"><title>安全理事会报告</title></head>
<body>
<h1>安全理事会的<em>报告</em></h1>
<p class="body">安全理事会<b>举行</b>了第8000次会议。<a href="#fn1" id="r1"><sup>1</sup></a>会议继续。<br>
下一行。</p>
<ul><li>第一项</li><li>第二项<ul><li>子项</li></ul></li></ul>
<table><caption>表1</caption><tr><th>国家</th><td>越南</td></tr></table>
<script>var x = "<p>不翻译</p>";</script>
<p id="fn1">1 见第2475（2019）号决议。</p>
</body></html>
"""


def html_structure(data: bytes) -> list[tuple[str, tuple]]:
    import lxml.html

    root = lxml.html.document_fromstring(data)
    return [(el.tag, tuple(sorted((k, v) for k, v in el.attrib.items() if k != "lang"))) for el in root.iter() if isinstance(el.tag, str)]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "no-models"))
    return tmp_path


def segments_by_source(stem: str) -> dict[str, store.Segment]:
    doc = store.load(Path("translations") / f"{stem}.yaml")
    assert doc is not None
    return {s.source: s for s in doc.segments}


# ---------------------------------------------------------------- refused formats


@pytest.mark.parametrize("name", ["report.pdf", "report.doc", "report.odt", "report.rtf", "report.PDF"])
def test_other_formats_get_one_line_with_how_to_convert(workdir: Path, name: str) -> None:
    (workdir / name).write_bytes(b"%PDF-1.4 binary \x00\x01 stuff")
    result = run("translate", name, "--engine", "copy", ok=False)
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    line = errors[0]
    assert ".docx" in line and ".html" in line
    assert "libreoffice --headless --convert-to docx" in line or "pdftotext" in line


def test_a_broken_docx_is_a_clear_error(workdir: Path) -> None:
    (workdir / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = run("translate", "broken.docx", "--engine", "copy", ok=False)
    assert result.exit_code == 2
    assert "not a readable Word (.docx) document" in result.output and "save it as .docx again" in result.output
    assert not (workdir / "translations" / "broken.yaml").exists()


# ---------------------------------------------------------------- Word


def test_docx_blocks_kinds_and_placeholders(workdir: Path) -> None:
    from workbench import formats

    make_docx(workdir / "report.docx")
    blocks = formats.load(workdir / "report.docx").blocks
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["安全理事会的报告"] == "heading"
    assert kinds["国家"] == kinds["大使"] == "cell"
    assert kinds["表1：成员"] == "caption"
    assert kinds["第一项"] == "list"
    assert kinds["S/2021/300"] == "header" and kinds["21-04123 (C)"] == "footer"
    assert kinds["<x1/> 见第2475（2019）号决议。"] == "footnote"
    body = next(b.text for b in blocks if b.text.startswith("安全理事会<"))
    assert body == "安全理事会<b1>举行</b1>了第8000次会议。<x2/>会议<i3>继续</i3>。"
    assert "详见<a1>安理会网站</a1>。" in kinds
    assert "" not in kinds  # the empty paragraph is no block


def test_docx_round_trip_keeps_structure_and_formatting(workdir: Path) -> None:
    make_docx(workdir / "report.docx")
    run("translate", "report.docx", "--engine", "copy", "--lang", "zh-Hans")
    before = docx_structure(workdir / "report.docx")
    run("build", "report.docx")
    assert docx_structure(workdir / "english" / "report.docx") == before


def test_docx_english_lands_in_the_runs(workdir: Path) -> None:
    import docx

    make_docx(workdir / "report.docx")
    run("translate", "report.docx", "--engine", "copy", "--lang", "zh-Hans")
    segs = segments_by_source("report")
    english = {
        "安全理事会的报告": "Report of the Security Council",
        "安全理事会<b1>举行</b1>了第8000次会议。": "The Security Council <b1>held</b1> its 8000th meeting.",
        "<x2/>会议<i3>继续</i3>。": "<x2/>The meeting <i3>continued</i3>.",
        "国家": "Country",
        "详见<a1>安理会网站</a1>。": "See <a1>the Council's website</a1>.",
    }
    for source, text in english.items():
        run("review", "edit", "report", segs[source].id, text)
    run("review", "approve", "report", segs["国家"].id, "--override")
    result = run("build", "report", "--json")
    data = json.loads(result.output)
    assert data["counts"]["approved"] == 1 and data["counts"]["edited"] == 4
    assert data["documents"][0]["written"] is True
    d = docx.Document(str(workdir / "english" / "report.docx"))
    assert d.paragraphs[0].text == "Report of the Security Council" and d.paragraphs[0].style.name == "Heading 1"
    runs = [(r.text, bool(r.bold), bool(r.italic)) for r in d.paragraphs[1].runs if r.text]
    assert runs == [("The Security Council ", False, False), ("held", True, False), (" its 8000th meeting.", False, False),
                    (" The meeting ", False, False), ("continued", False, True), (".", False, False)]
    assert "w:footnoteReference" in d.paragraphs[1]._p.xml  # between the two sentences, where the English puts it
    assert d.paragraphs[2].text == "See the Council's website." and "w:hyperlink" in d.paragraphs[2]._p.xml
    assert d.tables[0].cell(0, 0).text == "Country" and d.tables[0].cell(0, 0).paragraphs[0].runs[0].bold
    assert d.sections[0].header.paragraphs[0].text == "S/2021/300"


def test_lost_tag_is_flagged_and_the_footnote_survives(workdir: Path) -> None:
    import docx

    make_docx(workdir / "report.docx")
    run("translate", "report.docx", "--engine", "copy", "--lang", "zh-Hans")
    seg = segments_by_source("report")["<x2/>会议<i3>继续</i3>。"]
    run("review", "edit", "report", seg.id, "The meeting continued.")
    after = segments_by_source("report")["<x2/>会议<i3>继续</i3>。"]
    assert {"tag:lost:<x2/>", "tag:lost:<i3>", "tag:lost:</i3>"} <= set(after.flags)
    result = run("build", "report")
    assert "formatting tags lost" in result.output
    d = docx.Document(str(workdir / "english" / "report.docx"))
    assert "w:footnoteReference" in d.paragraphs[1]._p.xml  # put at the paragraph's end, never dropped
    shown = run("review", "show", "report", "--flag", "tag")
    assert seg.id in shown.output


def test_build_refuses_a_changed_source_document(workdir: Path) -> None:
    import docx

    make_docx(workdir / "report.docx")
    run("translate", "report.docx", "--engine", "copy", "--lang", "zh-Hans")
    d = docx.Document(str(workdir / "report.docx"))
    d.add_paragraph("新增的段落。")
    d.save(str(workdir / "report.docx"))
    result = run("build", "report", ok=False)
    assert result.exit_code != 0 and "changed since it was translated" in result.output
    assert not (workdir / "english").exists()


# ---------------------------------------------------------------- HTML


def test_html_blocks_and_round_trip(workdir: Path) -> None:
    from workbench import formats

    (workdir / "page.html").write_text(HTML, encoding="utf-8")
    blocks = formats.load(workdir / "page.html").blocks
    assert [(b.kind, b.text) for b in blocks][:3] == [
        ("title", "安全理事会报告"),
        ("heading", "安全理事会的<i1>报告</i1>"),
        ("paragraph", "安全理事会<b1>举行</b1>了第8000次会议。<a2><sup3>1</sup3></a2>会议继续。<x4/> 下一行。"),
    ]
    assert ("list", "子项") in [(b.kind, b.text) for b in blocks] and ("caption", "表1") in [(b.kind, b.text) for b in blocks]
    assert not any("不翻译" in b.text for b in blocks)  # scripts are not text
    run("translate", "page.html", "--engine", "copy", "--lang", "zh-Hans")
    run("build", "page.html")
    built = (workdir / "english" / "page.html").read_bytes()
    assert html_structure(built) == html_structure(HTML.encode("utf-8"))
    assert b'<html lang="en">' in built and '不翻译'.encode() in built


def test_html_english_keeps_inline_elements(workdir: Path) -> None:
    (workdir / "page.html").write_text(HTML, encoding="utf-8")
    run("translate", "page.html", "--engine", "copy", "--lang", "zh-Hans")
    segs = segments_by_source("page")
    run("review", "edit", "page", segs["安全理事会<b1>举行</b1>了第8000次会议。"].id, "The Security Council <b1>held</b1> its 8000th meeting.")
    run("review", "edit", "page", segs["<a2><sup3>1</sup3></a2>会议继续。"].id, "<a2><sup3>1</sup3></a2>The meeting continued.")
    run("build", "page", "--untranslated", "mark")
    built = (workdir / "english" / "page.html").read_text(encoding="utf-8")
    assert '<p class="body">The Security Council <b>held</b> its 8000th meeting.<a href="#fn1" id="r1"><sup>1</sup></a> The meeting continued.' in built
    assert "<h1>[untranslated] 安全理事会的<em>报告</em></h1>" in built


# ---------------------------------------------------------------- the seeds in English


def test_seeds_build_in_english(project: Path) -> None:
    stem = "000_093349a39d32f8f2"
    doc = store.load(Path("translations") / f"{stem}.yaml")
    assert doc is not None
    segs = [s for s in doc.segments if s.source][:3]
    for i, s in enumerate(segs):
        run("review", "edit", stem, s.id, f"English sentence number {i}.")
    run("review", "approve", stem, segs[0].id, segs[1].id, "--override")
    result = run("build", stem)
    assert result.output.strip().splitlines()[-1] == "1 documents in english/: 2 approved, 1 edited, %d draft segments; %d untranslated" % (
        doc.counts()["draft"] - 3, doc.counts()["draft"] - 3)
    english = (project / "english" / f"{stem}.txt").read_text(encoding="utf-8")
    source = (project / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")
    for i in range(3):
        assert f"English sentence number {i}." in english
    # the same lines: blank lines and line breaks where the source has them, labels kept
    assert [bool(line.strip()) for line in english.split("\n")] == [bool(line.strip()) for line in source.split("\n")]
    for seg in doc.segments:
        if seg.prefix:
            assert seg.prefix.strip() in english


def test_untranslated_fail_writes_nothing_and_lists_them(project: Path) -> None:
    result = run("build", "--untranslated", "fail", ok=False)
    assert result.exit_code == 2
    assert "nothing was written" in result.output and "000_093349a39d32f8f2:" in result.output
    assert not (project / "english").exists()


def test_status_approved_marks_the_rest(project: Path) -> None:
    stem = "001_85fdaf6eba83a0b1"
    doc = store.load(Path("translations") / f"{stem}.yaml")
    assert doc is not None
    first = next(s for s in doc.segments if s.source)
    run("review", "edit", stem, first.id, "An edited but unapproved sentence.")
    result = run("build", stem, "--status", "approved", "--untranslated", "mark", "--json")
    data = json.loads(result.output)
    assert first.id in data["documents"][0]["untranslated"]
    english = Path(data["documents"][0]["path"]).read_text(encoding="utf-8")
    assert "An edited but unapproved sentence." not in english and "[untranslated] " + first.source in english


# ---------------------------------------------------------------- import


def _edit_xliff(path: Path, out: Path, changes: dict[str, str]) -> None:
    from translate.storage import xliff

    f = xliff.xlifffile.parsefile(str(path))
    for u in f.units:
        sid = u.xmlelement.get("id")
        if sid in changes:
            u.settarget(changes[sid])
    out.write_bytes(bytes(f))


def test_xliff_round_trip_lands_edits_and_keeps_approved(project: Path) -> None:
    stem = "000_093349a39d32f8f2"
    doc = store.load(Path("translations") / f"{stem}.yaml")
    assert doc is not None
    draft, approved = [s for s in doc.segments if s.source][:2]
    run("review", "approve", stem, approved.id, "--override")
    run("export", stem, "--format", "xliff")
    _edit_xliff(project / "exports" / f"{stem}.xlf", project / "back.xlf", {draft.id: "Edited in another tool.", approved.id: "A different approved text."})
    path = Path("translations") / f"{stem}.yaml"
    before = path.read_bytes()
    dry = run("import", "back.xlf", "--dry-run")
    assert "dry run: nothing written" in dry.output and "1 applied" in dry.output and "1 conflicts" in dry.output
    assert path.read_bytes() == before
    data = json.loads(run("import", "back.xlf", "--json").output)
    assert data["counts"] == {"applied": 1, "status": 0, "conflict": 1}
    segs = {s.id: s for s in store.load(path).segments}  # type: ignore[union-attr]
    assert segs[draft.id].target == "Edited in another tool." and segs[draft.id].status == "edited"
    assert segs[approved.id].target == approved.target and segs[approved.id].status == "approved"
    assert segs[approved.id].conflicts == [{"target": "A different approved text.", "status": "approved", "from": f"back.xlf#{approved.id}"}]
    shown = run("review", "show", stem, "--status", "approved")
    assert "conflict (back.xlf" in shown.output and "A different approved text." in shown.output
    again = json.loads(run("import", "back.xlf", "--json").output)  # nothing new the second time
    assert again["counts"] == {"applied": 0, "status": 0, "conflict": 0}


@pytest.mark.parametrize(
    "state, approved, expected",
    [("final", "yes", "approved"), ("translated", "yes", "edited"), ("needs-review-translation", "no", "edited"), ("signed-off", "no", "approved"), (None, "yes", "approved"), (None, None, "edited")],
)
def test_xliff_states(project: Path, state: str | None, approved: str | None, expected: str) -> None:
    stem = "002_32457efe62ae41e4"
    seg = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.source)  # type: ignore[union-attr]
    attrs = f' approved="{approved}"' if approved else ""
    st = f' state="{state}"' if state else ""
    xlf = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="other.txt" source-language="zh-CN" target-language="en" datatype="plaintext"><body>
<trans-unit id="{seg.id}"{attrs}><source>{seg.source}</source><target{st}>New English.</target></trans-unit></body></file></xliff>"""
    Path("in.xlf").write_text(xlf, encoding="utf-8")
    run("import", "in.xlf", "--document", stem)
    got = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.id == seg.id)  # type: ignore[union-attr]
    assert (got.target, got.status) == ("New English.", expected)


def test_xliff2_import(project: Path) -> None:
    stem = "003_48e5bbd035215e94"
    seg = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.source)  # type: ignore[union-attr]
    xlf = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN" trgLang="en"><file id="f1">
<unit id="u1"><segment state="final"><source>{seg.source}</source><target>Final from XLIFF 2.</target></segment></unit></file></xliff>"""
    Path("in2.xlf").write_text(xlf, encoding="utf-8")
    data = json.loads(run("import", "in2.xlf", "--json").output)
    assert data["format"] == "xliff2" and data["counts"]["applied"] >= 1
    got = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.id == seg.id)  # type: ignore[union-attr]
    assert (got.target, got.status) == ("Final from XLIFF 2.", "approved")


def test_tmx_import_by_source_and_into_memory(project: Path) -> None:
    from translate.storage import tmx

    from workbench import review

    stem = "004_c0907f7ee83eb81c"
    seg = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.source)  # type: ignore[union-attr]
    f = tmx.tmxfile(sourcelanguage="zh-CN", targetlanguage="en")
    f.addtranslation(seg.source, "zh-CN", "From OmegaT's memory.", "en")
    f.addtranslation("一个不在任何文件里的句子。", "zh-CN", "Nowhere.", "en")
    Path("project_save.tmx").write_bytes(bytes(f))
    result = run("import", "project_save.tmx", "--memory")
    assert "1 unmatched" in result.output and "memory: translations/tm-project_save.yaml" in result.output
    got = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.id == seg.id)  # type: ignore[union-attr]
    assert (got.target, got.status) == ("From OmegaT's memory.", "edited")
    assert review.memory(Path("translations"))["一个不在任何文件里的句子。"] == "Nowhere."
    built = json.loads(run("build", "--json").output)
    assert all(not d["stem"].startswith("tm-") for d in built["documents"])  # a memory is no document


@pytest.mark.parametrize("content, message", [("not xml at all", "not well-formed XML"), ("<?xml version='1.0'?><root/>", "not XLIFF or TMX")])
def test_import_bad_files(project: Path, content: str, message: str) -> None:
    Path("bad.xlf").write_text(content, encoding="utf-8")
    result = run("import", "bad.xlf", ok=False)
    assert result.exit_code == 2 and message in result.output


# ---------------------------------------------------------------- tags and the store


@pytest.mark.parametrize(
    "source, target, flags",
    [
        ("a <b1>b</b1> c", "A <b1>B</b1> C", []),
        ("a <b1>b</b1> c", "A B C", ["tag:lost:<b1>", "tag:lost:</b1>"]),
        ("a<x2/>", "A<x2/><x2/>", ["tag:extra:<x2/>"]),
        ("plain", "plain <b1>", ["tag:extra:<b1>"]),
        ("1 < 2 > 0", "1 < 2 > 0", []),
    ],
)
def test_tag_flags(source: str, target: str, flags: list[str]) -> None:
    assert tag_flags(source, target) == flags


def test_tag_list_reads_only_our_placeholders() -> None:
    assert tag_list("<b1>x</b1><x2/></b3/><p>") == ["<b1>", "</b1>", "<x2/>"]


def test_new_segment_fields_are_optional_and_backwards_compatible(tmp_path: Path) -> None:
    seg = store.Segment(id="s1", source="一。", target="One.")
    assert "kind" not in seg.as_dict() and "conflicts" not in seg.as_dict()
    seg.kind, seg.conflicts = "cell", [{"target": "Uno.", "status": "edited", "from": "x.xlf#s1"}]
    doc = store.StoredDocument(document="d.docx", source_lang="zh-Hans", target_lang="en", signature={}, segments=[seg])
    store.save(doc, tmp_path / "d.yaml")
    back = store.load(tmp_path / "d.yaml")
    assert back is not None and back.segments[0].kind == "cell" and back.segments[0].conflicts == seg.conflicts


# ---------------------------------------------------------------- OmegaT (Debian's omegat, console mode)

OMEGAT_PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat><project version="1.0">
<source_dir>__DEFAULT__</source_dir><target_dir>__DEFAULT__</target_dir><tm_dir>__DEFAULT__</tm_dir>
<glossary_dir>__DEFAULT__</glossary_dir><glossary_file>__DEFAULT__</glossary_file><dictionary_dir>__DEFAULT__</dictionary_dir>
<source_lang>zh-CN</source_lang><target_lang>en-US</target_lang>
<source_tok>org.omegat.tokenizer.DefaultTokenizer</source_tok><target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
<sentence_seg>true</sentence_seg><support_default_translations>true</support_default_translations><remove_tags>false</remove_tags>
</project></omegat>
"""


@pytest.mark.skipif(__import__("shutil").which("omegat") is None, reason="OmegaT is not installed (Debian: apt-get install omegat)")
def test_omegat_console_round_trip(project: Path) -> None:
    """Our memory TMX as an OmegaT project's memory; OmegaT (console-translate) translates the seed
    and writes its own TMX; we import that: the OmegaT translation lands, the approved segment is
    kept and the different OmegaT text becomes a conflict."""
    import shutil
    import subprocess

    from translate.storage import tmx

    stem = "000_093349a39d32f8f2"
    doc = store.load(Path("translations") / f"{stem}.yaml")
    assert doc is not None
    edited, approved, draft = [s for s in doc.segments if s.source][:3]
    run("review", "edit", stem, edited.id, "Letter, edited here.")
    run("review", "edit", stem, approved.id, "Approved here.")
    run("review", "approve", stem, approved.id, "--override")
    run("export", "--format", "tmx", "--memory")
    proj = project / "omegat-project"
    for d in ("source", "target", "tm", "omegat", "glossary", "dictionary"):
        (proj / d).mkdir(parents=True)
    (proj / "omegat.project").write_text(OMEGAT_PROJECT, encoding="utf-8")
    shutil.copy(project / "seeds" / f"{stem}.txt", proj / "source")
    memory = tmx.tmxfile.parsestring((project / "exports" / "memory-zh-Hans.tmx").read_bytes())
    memory.addtranslation(draft.source, "zh-Hans", "Translated in OmegaT.", "en")  # the translator's work in OmegaT
    memory.addtranslation(approved.source, "zh-Hans", "OmegaT's other version.", "en")
    (proj / "omegat" / "project_save.tmx").write_bytes(bytes(memory))
    done = subprocess.run(["omegat", "--mode=console-translate", f"--config-dir={project / 'omegat-config'}", "--disable-project-locking", "--no-team", str(proj)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    english = (proj / "target" / f"{stem}.txt").read_text(encoding="utf-8")
    assert "Translated in OmegaT." in english and "Letter, edited here." in english
    omegat_tmx = proj / f"{proj.name}-level1.tmx"  # written by OmegaT, named after the project (TMX 1.1, srclang zh-CN)
    assert "OmegaT" in omegat_tmx.read_text(encoding="utf-8")
    data = json.loads(run("import", str(omegat_tmx), "--json").output)
    assert data["counts"] == {"applied": 1, "status": 0, "conflict": 1}
    segs = {s.id: s for s in store.load(Path("translations") / f"{stem}.yaml").segments}  # type: ignore[union-attr]
    assert (segs[draft.id].target, segs[draft.id].status) == ("Translated in OmegaT.", "edited")
    assert (segs[approved.id].target, segs[approved.id].status) == ("Approved here.", "approved")
    assert [c["target"] for c in segs[approved.id].conflicts] == ["OmegaT's other version."]
    assert segs[edited.id].target == "Letter, edited here."


@pytest.mark.parametrize(
    "extra_ns, unit_attrs, inner, expected",
    [
        ('xmlns:mq="MQXliff"', 'mq:status="Proofread"', "", "approved"),
        ('xmlns:mq="MQXliff"', 'mq:status="ManuallyConfirmed"', "", "edited"),
        ('xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"', "", '<sdl:seg-defs><sdl:seg id="1" conf="ApprovedSignOff"/></sdl:seg-defs>', "approved"),
        ('xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"', "", '<sdl:seg-defs><sdl:seg id="1" conf="Translated"/></sdl:seg-defs>', "edited"),
    ],
)
def test_memoq_and_trados_statuses(project: Path, extra_ns: str, unit_attrs: str, inner: str, expected: str) -> None:
    stem = "002_32457efe62ae41e4"
    seg = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.source)  # type: ignore[union-attr]
    xlf = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" {extra_ns} version="1.2"><file original="x" source-language="zh-CN" target-language="en" datatype="plaintext"><body>
<trans-unit id="1" {unit_attrs}><source>{seg.source}</source><target state="needs-review-translation">From the other tool.</target>{inner}</trans-unit></body></file></xliff>"""
    Path("tool.xlf").write_text(xlf, encoding="utf-8")
    run("import", "tool.xlf")
    got = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.id == seg.id)  # type: ignore[union-attr]
    assert (got.target, got.status) == ("From the other tool.", expected)


def test_conflicts_survive_a_translate_run(project: Path) -> None:
    stem = "000_093349a39d32f8f2"
    seg = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.source)  # type: ignore[union-attr]
    run("review", "edit", stem, seg.id, "Ours.")
    xlf = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="x" source-language="zh-CN" target-language="en" datatype="plaintext"><body>
<trans-unit id="{seg.id}"><source>{seg.source}</source><target state="translated">Theirs.</target></trans-unit></body></file></xliff>"""
    Path("theirs.xlf").write_text(xlf, encoding="utf-8")
    run("import", "theirs.xlf")
    run("translate", "seeds", "--engine", "copy")
    got = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.id == seg.id)  # type: ignore[union-attr]
    assert got.target == "Ours." and [c["target"] for c in got.conflicts] == ["Theirs."]


@pytest.mark.parametrize("take, expected", [(None, ("Ours.", "approved")), ("1", ("Theirs.", "edited"))])
def test_resolve_a_conflict(project: Path, take: str | None, expected: tuple[str, str]) -> None:
    stem = "001_85fdaf6eba83a0b1"
    seg = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.source)  # type: ignore[union-attr]
    run("review", "edit", stem, seg.id, "Ours.")
    run("review", "approve", stem, seg.id, "--override")
    xlf = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="x" source-language="zh-CN" target-language="en" datatype="plaintext"><body>
<trans-unit id="{seg.id}"><source>{seg.source}</source><target state="final">Theirs.</target></trans-unit></body></file></xliff>"""
    Path("theirs.xlf").write_text(xlf, encoding="utf-8")
    run("import", "theirs.xlf")
    run("resolve", stem, seg.id, *(["--take", take] if take else []))
    got = next(s for s in store.load(Path("translations") / f"{stem}.yaml").segments if s.id == seg.id)  # type: ignore[union-attr]
    assert (got.target, got.status) == expected and got.conflicts == []
    again = run("resolve", stem, seg.id, ok=False)
    assert again.exit_code == 2 and "no imported conflict" in again.output
