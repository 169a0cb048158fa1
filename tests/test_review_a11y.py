"""Keyboard and accessibility of the review page in headless Chromium: axe-core (npm, injected into
the page) finds no serious or critical violation; Tab reaches the document list and the rows; the
selected row is never hidden under the header; Enter on a button does not open another row's
editor; the layout stacks below 700 px; an unsaved edit survives Esc (asks) and a conflict."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from cli_helpers import request
from test_review_page import OUT, ZH, _alert, _browser_missing, _disk, _keys, _open, _row, _segments, _wait, driver, server  # noqa: F401

AXE = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"


def _axe_missing() -> str | None:
    """Why axe-core is not there (after trying tests/js/install.sh once when npm is), or None."""
    import shutil
    import subprocess

    if AXE.exists():
        return None
    if not shutil.which("npm") or not shutil.which("node"):
        return "node/npm not found (apt-get install nodejs npm), so axe-core cannot be installed: accessibility test skipped"
    try:
        subprocess.run(["sh", str(AXE.parents[2] / "install.sh")], capture_output=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired):
        pass
    return None if AXE.exists() else f"axe-core is not installed ({AXE}) and tests/js/install.sh could not install it (npm registry unreachable?)"


def _violations(drv: Any) -> list[dict[str, Any]]:
    drv.execute_script(AXE.read_text(encoding="utf-8"))
    result = drv.execute_async_script("const done = arguments[arguments.length - 1]; axe.run(document, {resultTypes: ['violations']}).then((r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes[0] && v.nodes[0].target}))));")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_or_critical_violation(driver: Any, server: Any) -> None:
    reason = _axe_missing()
    if reason:
        if os.environ.get("CI") and "node/npm not found" not in reason:
            pytest.fail(reason)
        pytest.skip(reason)
    _open(driver, server)
    assert _violations(driver) == []
    _keys(driver, "e")  # with the editor open too
    _wait(driver, lambda d: d.find_elements("css selector", "#rows textarea.editor"))
    assert _violations(driver) == []


def test_tab_reaches_documents_and_rows_and_the_selected_row_stays_visible(driver: Any, server: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    _open(driver, server)
    active = []
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    for _ in range(40):
        _keys(driver, Keys.TAB)
        active.append(driver.execute_script("const a = document.activeElement; return a.closest('#docs') ? 'doc' : a.closest('#rows tr.seg') ? 'row' : a.tagName"))
    assert "doc" in active and ("row" in active or "BUTTON" in active)
    # k/j never leave the selected row under the header
    driver.find_element("css selector", "#rows tr.seg td.c-src").click()
    for key in ["j"] * 12 + ["k"] * 12:
        _keys(driver, key)
        hidden = driver.execute_script(
            "const r = document.querySelector('#rows tr.selected').getBoundingClientRect();"
            "const h = document.getElementById('thead-row').getBoundingClientRect();"
            "const s = document.getElementById('scroller').getBoundingClientRect();"
            "return r.top < h.bottom - 1 || r.bottom > s.bottom + 1;"
        )
        assert not hidden, key


def test_enter_on_a_button_acts_on_its_own_row(driver: Any, server: Any) -> None:
    segs = [s for s in _segments() if s.source]
    _open(driver, server)
    button = _row(driver, segs[3].id).find_element("css selector", 'button[data-action="approve"]')
    driver.execute_script("arguments[0].focus()", button)
    from selenium.webdriver.common.keys import Keys

    _keys(driver, Keys.ENTER)
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    try:  # a copy draft has open error-level flags: the page asks before approving over them
        WebDriverWait(driver, 5).until(expected_conditions.alert_is_present())
        driver.switch_to.alert.accept()
    except TimeoutException:
        pass
    _wait(driver, lambda d: _row(d, segs[3].id).get_attribute("data-status") == "approved")
    assert driver.find_elements("css selector", "#rows textarea.editor") == []
    assert _disk(segs[3].id).status == "approved"


def test_escape_asks_before_dropping_typed_text_and_a_conflict_keeps_it(driver: Any, server: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    segs = [s for s in _segments() if s.source]
    sid = segs[1].id
    _open(driver, server)
    _wait(driver, lambda d: _row(d, sid).find_element("css selector", 'button[data-action="edit"]').click() or True)
    area = _wait(driver, lambda d: d.find_element("css selector", "#rows textarea.editor"))
    area.send_keys(" and more words I typed")
    area.send_keys(Keys.ESCAPE)
    alert = _wait(driver, _alert)
    alert.dismiss()  # keep editing
    assert _wait(driver, lambda d: d.find_element("css selector", "#rows textarea.editor").get_attribute("value").endswith("and more words I typed"))
    # someone else saves meanwhile: our save is refused, and the typed text stays beside the segment
    status, doc = request(server, "GET", f"/api/doc/{ZH}")
    assert request(server, "POST", f"/api/doc/{ZH}/edit", {"digest": doc["digest"], "id": segs[2].id, "text": "Another tab."})[0] == 200
    _wait(driver, lambda d: d.find_element("css selector", "#rows textarea.editor").send_keys(Keys.CONTROL, Keys.ENTER) or True)
    _wait(driver, lambda d: d.find_element("id", "banner").get_attribute("data-kind") == "stale")
    driver.find_element("id", "banner-reload").click()
    box = _wait(driver, lambda d: (_row(d, sid).find_elements("css selector", ".unsaved") or [None])[0])
    assert "and more words I typed" in box.text


def test_narrow_windows_stack_source_over_english(driver: Any, server: Any) -> None:
    _open(driver, server)
    driver.set_window_size(414, 900)
    try:
        sid = [s for s in _segments() if s.source][1].id
        src = _row(driver, sid).find_element("css selector", "td.c-src").rect
        tgt = _row(driver, sid).find_element("css selector", "td.c-tgt").rect
        assert src["width"] > 250 and tgt["y"] >= src["y"] + src["height"] - 1
    finally:
        driver.set_window_size(1400, 1000)
