"""Our memory TMX in OmegaT itself: a headless OmegaT 3.6 (Debian's `omegat` package) project with the
export in tm/auto/ fills in every reviewed sentence, and logs no warning about the TMX's languages.

Skipped where OmegaT is not installed (`apt-get install -y omegat`, Java, ~80 s).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench import review, store
from workbench.cli import cli

pytestmark = pytest.mark.skipif(shutil.which("omegat") is None, reason="OmegaT is not installed (Debian: apt-get install -y omegat)")

OUT = Path("translations")
PROJECT_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>source</source_dir>
    <target_dir>target</target_dir>
    <tm_dir>tm</tm_dir>
    <glossary_dir>glossary</glossary_dir>
    <glossary_file>glossary/glossary.txt</glossary_file>
    <dictionary_dir>dictionary</dictionary_dir>
    <source_lang>{source}</source_lang>
    <target_lang>en-GB</target_lang>
    <source_tok>{tokenizer}</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def _omegat_project(base: Path, source_lang: str, tokenizer: str, sentences: list[str], tmx: Path) -> Path:
    for d in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (base / d).mkdir(parents=True, exist_ok=True)
    (base / "omegat.project").write_text(PROJECT_XML.format(source=source_lang, tokenizer=tokenizer), encoding="utf-8")
    (base / "source" / "doc.txt").write_text("".join(s + "\n\n" for s in sentences), encoding="utf-8")
    shutil.copy(tmx, base / "tm" / "auto" / tmx.name)
    return base


@pytest.mark.parametrize(
    "stem, lang, omegat_lang, tokenizer",
    [
        ("000_093349a39d32f8f2", "zh-Hans", "zh-CN", "org.omegat.tokenizer.LuceneSmartChineseTokenizer"),
        ("004_c0907f7ee83eb81c", "zh-Hant", "zh-TW", "org.omegat.tokenizer.LuceneSmartChineseTokenizer"),
        ("001_85fdaf6eba83a0b1", "vi", "vi-VN", "org.omegat.tokenizer.LuceneStandardTokenizer"),
    ],
)
def test_omegat_fills_a_project_from_our_memory_tmx(project: Path, stem: str, lang: str, omegat_lang: str, tokenizer: str) -> None:
    doc = store.load(store.path_for(OUT, stem))
    assert doc is not None
    segs = [s for s in doc.segments if s.source and "\n" not in s.source][1:4]
    reviewed = {}
    for i, seg in enumerate(segs):
        english = f"Reviewed sentence {i} of {stem}."
        review.edit(OUT, stem, seg.id, english)
        reviewed[seg.source] = english
    review.approve(OUT, stem, [segs[0].id], override=True)
    r = CliRunner().invoke(cli, ["export", "--format", "tmx", "--memory", "--dest", "exports"])
    assert r.exit_code == 0, r.output
    tmx = Path(f"exports/memory-{lang}.tmx")
    base = _omegat_project(project / "omegat-project", omegat_lang, tokenizer, list(reviewed), tmx)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(base), "JAVA_TOOL_OPTIONS": "-Djava.awt.headless=true"}
    run = subprocess.run(["omegat", "--mode=console-translate", str(base)], capture_output=True, text=True, timeout=300, env=env)
    log = run.stdout + run.stderr
    assert run.returncode == 0, log[-2000:]
    assert "TMXR_WARNING" not in log, [line for line in log.splitlines() if "TMXR_WARNING" in line]
    target = (base / "target" / "doc.txt").read_text(encoding="utf-8")
    assert [line for line in target.split("\n\n") if line.strip()] == list(reviewed.values())
