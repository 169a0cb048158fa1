"""The pipeline: seeds -> segments -> glossary-aware engine -> store, and what re-runs keep."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from workbench import engines, store
from workbench.engines import EngineSignature
from workbench.errors import EngineError, LockError
from workbench.glossary import Glossary, contains_term
from workbench.translate import inject, run_jobs, _Job, translate_documents

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GLOSSARY = ROOT / "glossary.yaml"


class Counting:
    """A fake MT engine: upper-cases Latin text, drops every Latin term it is given
    with probability 1 when `drop` is set (to exercise span assembly), counts calls."""

    name = "counting"
    is_mt = True
    calls: list[list[str]] = []
    drop = False

    def __init__(self, source_lang: str = "", **_: object) -> None:
        self.source_lang = source_lang

    @property
    def signature(self) -> EngineSignature:
        return EngineSignature(engine="counting", model="fake", model_version="1")

    def translate_batch(self, texts: list[str], progress: object = None) -> list[str]:
        Counting.calls.append(list(texts))
        if Counting.drop:
            return [f"<{len(t)}>" for t in texts]  # loses every term
        return [f"EN[{t}]" for t in texts]


engines.register("counting")(Counting)


@pytest.fixture(autouse=True)
def _reset_counting() -> None:
    Counting.calls = []
    Counting.drop = False


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copy(GLOSSARY, tmp_path / "glossary.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "no-models"))
    return tmp_path


def _run(project: Path, **kw: object):  # type: ignore[no-untyped-def]
    kw.setdefault("engine", "copy")
    return translate_documents([project / "seeds"], out_dir=project / "translations", **kw)


def _load(project: Path, stem: str) -> store.StoredDocument:
    doc = store.load(project / "translations" / f"{stem}.yaml")
    assert doc is not None
    return doc


def test_copy_engine_on_seeds(project: Path) -> None:
    result = _run(project)
    assert [d.source_lang for d in result.documents] == ["zh-Hans", "vi", "vi", "en", "zh-Hant"]
    glossary = Glossary.load(project / "glossary.yaml")
    for d in result.documents:
        assert d.translated == d.segments > 0 and d.reused == d.kept == 0
        stored = _load(project, Path(d.document).stem)
        # non-destructive: the source document is rebuilt exactly from the store
        assert stored.source_text() == (project / d.document).read_text(encoding="utf-8")
        sig = stored.signature
        assert sig["engine"] == "copy" and sig["glossary"] == glossary.hash and sig["segmenter"].startswith("workbench-seg/")
        for seg in stored.segments:
            for use in seg.terms:
                if d.source_lang != "en":
                    assert use.applied and contains_term(seg.target, glossary.term(use.term) if use.term else use.en), (seg.id, use)
    zh = _load(project, "000_093349a39d32f8f2")
    assert any("confidence" in s.target.lower() for s in zh.segments)
    assert all("no-mt" in s.flags for s in zh.segments if s.source)


def test_rerun_reuses_everything_and_rewrites_nothing(project: Path) -> None:
    _run(project, engine="counting")
    before = {p.name: p.read_bytes() for p in (project / "translations").glob("*.yaml")}
    Counting.calls = []
    result = _run(project, engine="counting")
    assert Counting.calls == []  # nothing decoded
    assert all(d.translated == 0 and d.reused == d.segments and not d.written for d in result.documents)
    assert {p.name: p.read_bytes() for p in (project / "translations").glob("*.yaml")} == before


def test_human_edits_are_kept_even_when_segments_move(project: Path) -> None:
    _run(project, engine="counting")
    path = project / "translations" / "001_85fdaf6eba83a0b1.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["segments"][1]["target"] = "A reviewer's sentence."
    data["segments"][1]["status"] = "approved"
    data["segments"][2]["target"] = "Edited without changing the status."
    edited_ids = [data["segments"][1]["id"], data["segments"][2]["id"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    seed = project / "seeds" / "001_85fdaf6eba83a0b1.txt"
    seed.write_text("Câu mới ở đầu văn bản.\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    Counting.calls = []
    result = _run(project, engine="counting")
    doc = next(d for d in result.documents if "001_" in d.document)
    assert doc.translated == 1 and doc.kept == 2
    assert Counting.calls == [["Câu mới ở đầu văn bản."]]
    stored = _load(project, "001_85fdaf6eba83a0b1")
    by_id = {s.id: s for s in stored.segments}
    assert by_id[edited_ids[0]].target == "A reviewer's sentence." and by_id[edited_ids[0]].status == "approved"
    assert by_id[edited_ids[1]].target == "Edited without changing the status." and by_id[edited_ids[1]].status == "edited"
    assert stored.segments[0].source == "Câu mới ở đầu văn bản."


def test_edits_whose_source_is_deleted_become_orphans_and_come_back(project: Path) -> None:
    _run(project)
    path = project / "translations" / "003_48e5bbd035215e94.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    victim = next(s for s in data["segments"] if s["source"])
    victim["target"], victim["status"] = "Kept forever.", "edited"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    seed = project / "seeds" / "003_48e5bbd035215e94.txt"
    original = seed.read_text(encoding="utf-8")
    seed.write_text(original.replace(victim["source"], "", 1), encoding="utf-8")
    result = _run(project)
    assert next(d for d in result.documents if "003_" in d.document).orphans == 1
    assert _load(project, "003_48e5bbd035215e94").orphans[0].target == "Kept forever."
    seed.write_text(original, encoding="utf-8")
    _run(project)
    back = _load(project, "003_48e5bbd035215e94")
    assert not back.orphans
    assert any(s.target == "Kept forever." and s.status == "edited" for s in back.segments)


def test_glossary_change_retranslates_only_affected_drafts(project: Path) -> None:
    _run(project, engine="counting")
    g = project / "glossary.yaml"
    g.write_text(g.read_text(encoding="utf-8") + "\n  - en: speakers\n    zh: [发言者]\n", encoding="utf-8")
    Counting.calls = []
    result = _run(project, engine="counting")
    changed = {Path(d.document).stem: d.translated for d in result.documents if d.translated}
    assert set(changed) == {"000_093349a39d32f8f2"}
    decoded = [t for call in Counting.calls for t in call]
    assert decoded and all("speakers" in t for t in decoded)


def test_terms_are_forced_when_the_engine_loses_them(project: Path) -> None:
    Counting.drop = True
    _run(project, engine="counting")
    stored = _load(project, "002_32457efe62ae41e4")
    forced = [u for s in stored.segments for u in s.terms]
    assert forced and all(u.applied and u.method == "forced" for u in forced)
    for s in stored.segments:
        for u in s.terms:
            assert contains_term(s.target, u.en)


def test_inject_puts_english_terms_into_the_source() -> None:
    g = Glossary.load(GLOSSARY)
    text = "越南作为安全理事会2021年4月份主席，在预防和解决冲突方面增强建立信任与对话(见 S/2015/446-A/70/95)。"
    injected = inject(text, g.find(text, "zh-Hans"))
    assert "Security Council" in injected
    assert "S/2015/446-A/70/95" in injected
    assert "安全理事会" not in injected


def test_run_jobs_records_inline_terms() -> None:
    g = Glossary.load(GLOSSARY)
    text = "HĐBA họp."
    job = _Job(text=text, hits=g.find(text, "vi"))
    run_jobs(Counting("vi"), [job])
    assert job.result == "EN[Security Council họp.]"
    assert [(u.en, u.method, u.applied) for u in job.uses] == [("Security Council", "inline", True)]


def test_engine_argos_without_model_writes_nothing(project: Path) -> None:
    with pytest.raises(EngineError, match="workbench models install"):
        _run(project, engine="argos")
    assert not list((project / "translations").glob("*.yaml")) if (project / "translations").exists() else True


def test_auto_falls_back_to_copy_and_says_how_to_install(project: Path) -> None:
    notes: list[str] = []
    result = _run(project, engine="auto", index_url="http://127.0.0.1:9/index.json", notify=notes.append)
    assert {d.engine for d in result.documents} == {"copy"}
    assert any("vi -> en" in n and "workbench models install vi" in n for n in notes)
    assert any("zh-Hant -> en" in n for n in notes)
    assert not any(d.machine_translated for d in result.documents if d.source_lang != "en")


def test_no_download_says_so(project: Path) -> None:
    notes: list[str] = []
    _run(project, engine="auto", download=False, notify=notes.append)
    assert any("--no-download" in n for n in notes)


def test_second_run_is_refused_while_one_holds_the_lock(project: Path) -> None:
    from filelock import FileLock

    (project / "translations").mkdir()
    with FileLock(str(project / "translations" / ".workbench.lock")):
        with pytest.raises(LockError, match="another workbench run"):
            _run(project)


def test_an_edit_saved_during_decoding_is_not_lost(project: Path) -> None:
    _run(project, engine="counting")
    path = project / "translations" / "002_32457efe62ae41e4.yaml"
    seed = project / "seeds" / "002_32457efe62ae41e4.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")

    class EditsWhileDecoding(Counting):
        def translate_batch(self, texts: list[str], progress: object = None) -> list[str]:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["segments"][0]["target"], data["segments"][0]["status"] = "Saved by a reviewer meanwhile.", "approved"
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            return super().translate_batch(texts, progress)

    engines.register("edits-while-decoding")(EditsWhileDecoding)
    _run(project, engine="edits-while-decoding")
    stored = _load(project, "002_32457efe62ae41e4")
    assert stored.segments[0].target == "Saved by a reviewer meanwhile." and stored.segments[0].status == "approved"
    assert stored.segments[-1].source == "Một câu mới."


@pytest.mark.parametrize(
    "source, target, flags",
    [
        ("2019冠状病毒病大流行。", "the COVID-19 pandemic.", []),
        ("2021年4月19日举行。", "Held on 19 April 2021.", []),
        ("2021年4月19日举行。", "Held on 19 April.", ["number:2021"]),
        ("Có 2.000 người.", "There were 2,000 people.", []),
        ("Tăng 11,6%.", "Up 11.6%.", []),
        ("Ngày 30/1, tại New York.", "On 30 January, in New York.", []),
        ("Trong tháng 4/2021.", "In April 2021.", []),
    ],
)
def test_number_flags(source: str, target: str, flags: list[str]) -> None:
    from workbench import qa

    g = Glossary.load(GLOSSARY)
    lang = "zh-Hans" if "年" in source or "病" in source else "vi"
    uses = qa.term_uses(g.find(source, lang), target, "inline", g)
    assert qa.flags_for(source, target, uses, source_lang=lang, is_mt=True) == flags


def test_translation_memory_reuses_reviewed_targets_as_drafts(project: Path) -> None:
    (project / "seeds" / "copy_of_001.txt").write_text("Tại cuộc họp, đại diện các nước phát biểu.\n", encoding="utf-8")
    (project / "seeds" / "other.txt").write_text("Một câu khác.\nTại cuộc họp, đại diện các nước phát biểu.\n", encoding="utf-8")
    _run(project, engine="counting")
    path = project / "translations" / "copy_of_001.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["segments"][0]["target"], data["segments"][0]["status"] = "At the meeting, the representatives spoke.", "approved"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    Counting.calls = []
    result = _run(project, engine="counting")
    other = next(d for d in result.documents if d.document.endswith("other.txt"))
    assert other.memory == 1 and Counting.calls == []
    seg = _load(project, "other").segments[1]
    assert (seg.target, seg.status, seg.origin) == ("At the meeting, the representatives spoke.", "draft", "memory")
    assert "memory-match" in seg.flags


def test_a_reviewers_split_survives_a_rerun(project: Path) -> None:
    from workbench import review

    _run(project, engine="counting")
    doc = _load(project, "001_85fdaf6eba83a0b1")
    seg = next(s for s in doc.segments if s.source and "," in s.source)
    cut = seg.source.index(",") + 1
    review.split(project / "translations", "001_85fdaf6eba83a0b1", seg.id, cut, len(seg.target) // 2)
    split_doc = _load(project, "001_85fdaf6eba83a0b1")
    Counting.calls = []
    result = _run(project, engine="counting")
    assert Counting.calls == []
    assert next(d for d in result.documents if "001_" in d.document).kept == 2
    assert [s.source for s in _load(project, "001_85fdaf6eba83a0b1").segments] == [s.source for s in split_doc.segments]


def _cica_doc(project: Path) -> Path:
    doc = project / "cica.txt"
    doc.write_text("亚信外长会议在北京举行。\n", encoding="utf-8")
    return doc


@pytest.mark.parametrize(
    "scopes,applied",
    [
        (None, True),  # no selection: every entry
        (["CICA"], True),
        (["asean"], False),  # the CICA-only "Ministerial Meeting" is not applied to an ASEAN document
        (["ASEAN", "CICA"], True),
    ],
)
def test_scope_selects_the_entries_a_document_uses(project: Path, scopes: list[str] | None, applied: bool) -> None:
    result = translate_documents([_cica_doc(project)], out_dir=project / "translations", engine="copy", scopes=scopes)
    stored = _load(project, "cica")
    assert ("Ministerial Meeting" in stored.segments[0].target) is applied
    expected = tuple(sorted(s.upper() if s.lower() == "asean" else s for s in scopes or []))
    assert store.signature_scopes(stored.signature) == expected
    assert (f"scope:{'+'.join(expected)}" in result.documents[0].signature) is bool(expected)


def test_a_documents_scope_is_kept_by_later_runs_until_all_resets_it(project: Path) -> None:
    doc = _cica_doc(project)
    translate_documents([doc], out_dir=project / "translations", engine="copy", scopes=["ASEAN"])
    again = translate_documents([doc], out_dir=project / "translations", engine="copy")
    assert again.documents[0].reused == again.documents[0].segments and not again.documents[0].written
    assert store.signature_scopes(_load(project, "cica").signature) == ("ASEAN",)
    translate_documents([doc], out_dir=project / "translations", engine="copy", scopes=["all"])
    stored = _load(project, "cica")
    assert store.signature_scopes(stored.signature) == () and "Ministerial Meeting" in stored.segments[0].target


def test_unknown_scope_is_refused_before_anything_is_written(project: Path) -> None:
    from click.testing import CliRunner

    from workbench.cli import cli

    r = CliRunner().invoke(cli, ["translate", str(_cica_doc(project)), "--engine", "copy", "--scope", "Mars"])
    assert r.exit_code == 2
    assert "unknown glossary scope 'Mars'; use UN, ASEAN, CICA, mainland, Taiwan (or all: every entry)" in r.output
    assert not (project / "translations").exists()
