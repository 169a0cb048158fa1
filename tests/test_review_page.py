"""The review page end to end in headless Chromium (Debian's chromium + chromium-driver, via Selenium),
and the server's guards (Host header, origin, path traversal, stale writes)."""

from __future__ import annotations

import http.client
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest

from cli_helpers import request, serving
from workbench import review, store
from workbench.server import ReviewServer, make_server

ROOT = Path(__file__).resolve().parent.parent
ZH = "000_093349a39d32f8f2"
OUT = Path("translations")
CHROMIUM = Path(os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("WORKBENCH_CHROMEDRIVER", "/usr/bin/chromedriver"))
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,1000"]


def _browser_missing() -> str | None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    return ", ".join(missing) or None




@pytest.fixture
def server(project: Path) -> Iterator[ReviewServer]:
    with serving(OUT) as srv:
        yield srv


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    reason = _browser_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need {reason}: apt-get install chromium chromium-driver; pip install selenium")
        pytest.skip(f"browser tests need {reason} (apt-get install chromium chromium-driver; pip install selenium)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="wb-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*BROWSER_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    drv.set_page_load_timeout(30)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


# ---------------------------------------------------------------- helpers


def _wait(drv: Any, predicate: Any, timeout: float = 10.0) -> Any:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # rows are re-rendered as saves land (a virtualised list): a row found a moment ago may be replaced
    return WebDriverWait(drv, timeout, ignored_exceptions=[StaleElementReferenceException]).until(lambda d: predicate(d))


def _alert(drv: Any) -> Any:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        return drv.switch_to.alert
    except NoAlertPresentException:
        return None


def _row(drv: Any, sid: str) -> Any:
    from selenium.webdriver.common.by import By

    return drv.find_element(By.CSS_SELECTOR, f'#rows tr.seg[data-id="{sid}"]')


def _open(drv: Any, srv: ReviewServer, stem: str = ZH) -> None:
    from selenium.webdriver.common.by import By

    drv.get(f"{srv.url}#{stem}")
    _wait(drv, lambda d: d.find_elements(By.CSS_SELECTOR, "#rows tr.seg"))


def _keys(drv: Any, *keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    chain = ActionChains(drv)
    for k in keys:
        chain.send_keys(k)
    chain.perform()


def _segments() -> list[store.Segment]:
    doc = store.load(store.path_for(OUT, ZH))
    assert doc is not None
    return doc.segments


def _disk(sid: str) -> store.Segment:
    return next(s for s in _segments() if s.id == sid)




# ---------------------------------------------------------------- the page


def test_edit_approve_split_merge_and_reload(driver: Any, server: ReviewServer) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(driver, server)
    segs = [s for s in _segments() if s.source]
    original = store.load(store.path_for(OUT, ZH)).source_text()  # type: ignore[union-attr]
    first, second = segs[0], segs[1]
    # keyboard: the first row is selected; j moves down, k back up
    assert "selected" in _row(driver, first.id).get_attribute("class")
    _keys(driver, "j")
    assert "selected" in _row(driver, second.id).get_attribute("class")
    _keys(driver, "k", "e")  # edit the first
    area = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, f'#rows tr[data-id="{first.id}"] textarea.editor'))
    area.send_keys(Keys.CONTROL, "a")
    area.send_keys("Letter dated 25 March 2021 from the Permanent Representative of Viet Nam")
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    _wait(driver, lambda d: _row(d, first.id).get_attribute("data-status") == "edited")
    assert _disk(first.id).status == "edited"
    assert _disk(first.id).target == "Letter dated 25 March 2021 from the Permanent Representative of Viet Nam"
    flags = [f.text for f in _row(driver, first.id).find_elements(By.CSS_SELECTOR, ".flag")]
    assert "missing-term:secretary-general" in flags
    # approve with the keyboard: open error-level flags ask for a confirmation (the override)
    _keys(driver, "a")
    alert = _wait(driver, lambda d: d.switch_to.alert)
    assert "missing-term:secretary-general" in alert.text
    alert.accept()
    _wait(driver, lambda d: _row(d, first.id).get_attribute("data-status") == "approved")
    assert _disk(first.id).status == "approved"
    # split the second segment at its first comma (source) and in the middle of the English (target)
    target_seg = next(s for s in segs if "，" in s.source)
    at = target_seg.source.index("，") + 1
    t_at = target_seg.target.index(" ", len(target_seg.target) // 2)
    _row(driver, target_seg.id).find_element(By.CSS_SELECTOR, 'button[data-action="split"]').click()
    src_area = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#rows textarea.split-source"))
    tgt_area = driver.find_element(By.CSS_SELECTOR, "#rows textarea.split-target")
    driver.execute_script("arguments[0].setSelectionRange(arguments[1], arguments[1]);", src_area, at)
    driver.execute_script("arguments[0].setSelectionRange(arguments[1], arguments[1]);", tgt_area, t_at)
    driver.find_element(By.CSS_SELECTOR, "#rows button.split-save").click()
    n = len(segs)
    _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#rows tr.seg")) == n + 1)
    doc = store.load(store.path_for(OUT, ZH))
    assert doc is not None and doc.source_text() == original
    i = [s.id for s in doc.segments].index(target_seg.id)
    a, b = doc.segments[i], doc.segments[i + 1]
    assert a.source == target_seg.source[:at] and b.source == target_seg.source[at:]
    assert a.target == target_seg.target[:t_at].strip() and b.target == target_seg.target[t_at:].strip()
    assert a.status == b.status == "edited"
    # merge them back with the button
    _row(driver, target_seg.id).find_element(By.CSS_SELECTOR, 'button[data-action="merge"]').click()
    _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#rows tr.seg")) == n)
    doc = store.load(store.path_for(OUT, ZH))
    assert doc is not None and doc.source_text() == original
    merged = doc.segments[i]
    assert merged.id == target_seg.id and merged.source == target_seg.source and b.id not in {s.id for s in doc.segments}
    # revert the approved first segment, then reload: the page shows what is on disk
    _row(driver, first.id).find_element(By.CSS_SELECTOR, 'button[data-action="revert"]').click()
    alert = _wait(driver, lambda d: _alert(d))  # reverting approved English asks first, saying what would be lost
    assert "Letter dated 25 March 2021" in alert.text
    alert.accept()
    _wait(driver, lambda d: _row(d, first.id).get_attribute("data-status") == "draft")
    assert _disk(first.id).target == first.mt
    driver.refresh()
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#rows tr.seg"))
    assert _row(driver, first.id).get_attribute("data-status") == "draft"
    assert _row(driver, target_seg.id).get_attribute("data-status") == "edited"
    assert _row(driver, target_seg.id).find_element(By.CSS_SELECTOR, "td.c-src").text == target_seg.source
    counts = driver.find_element(By.CSS_SELECTOR, f'#docs li[data-stem="{ZH}"] .doc-meta').text
    assert "1 edited" in counts


def test_markup_in_a_segment_shows_as_text(driver: Any, server: ReviewServer) -> None:
    from selenium.webdriver.common.by import By

    sid = [s for s in _segments() if s.source][1].id
    evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> <b>bold</b>'
    review.edit(OUT, ZH, sid, evil)
    _open(driver, server)
    cell = _row(driver, sid).find_element(By.CSS_SELECTOR, "td.c-tgt")
    assert evil in cell.text
    assert cell.find_elements(By.CSS_SELECTOR, "script, img, b") == []
    assert driver.execute_script("return window.__pwned === undefined")


def test_glossary_marks_flags_filters_and_memory(driver: Any, server: ReviewServer) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    segs = [s for s in _segments() if s.source]
    review.edit(OUT, ZH, segs[0].id, "Letter dated 25 March 2021 from the Permanent Representative of Viet Nam to the United Nations addressed to the Secretary-General")
    _open(driver, server)
    marks = _row(driver, segs[0].id).find_elements(By.CSS_SELECTOR, "td.c-src mark")
    pr = "Permanent Representative of Viet Nam to the United Nations"
    assert {m.get_attribute("title") for m in marks} >= {pr, "Secretary-General"}
    assert any(m.text == "越南常驻联合国代表" and m.get_attribute("title") == pr for m in marks)
    assert any(m.text == pr for m in _row(driver, segs[0].id).find_elements(By.CSS_SELECTOR, "td.c-tgt mark"))
    # the near-identical heading of the annex gets the reviewed English as a fuzzy match, differences marked
    annex = next(s for s in segs if s.source == segs[0].source + "的附件")
    # memory matches are computed for the current segment (and the next few) on demand
    _row(driver, annex.id).find_element(By.CSS_SELECTOR, "td.c-src").click()
    tm = _wait(driver, lambda d: (_row(d, annex.id).find_elements(By.CSS_SELECTOR, ".tm") or [None])[0])
    assert "%" in tm.find_element(By.CSS_SELECTOR, ".tm-score").text
    assert tm.find_element(By.CSS_SELECTOR, "del").text == "的附件"
    assert "Letter dated 25 March 2021" in tm.find_element(By.CSS_SELECTOR, ".tm-target").text
    # filters
    Select(driver.find_element(By.ID, "filter-status")).select_by_value("edited")
    visible = [r for r in driver.find_elements(By.CSS_SELECTOR, "#rows tr.seg") if r.is_displayed()]
    assert [r.get_attribute("data-id") for r in visible] == [segs[0].id]
    Select(driver.find_element(By.ID, "filter-status")).select_by_value("")
    Select(driver.find_element(By.ID, "filter-flag")).select_by_value("no-mt")
    visible = [r for r in driver.find_elements(By.CSS_SELECTOR, "#rows tr.seg") if r.is_displayed()]
    assert len(visible) == len(segs) - 1
    # paragraph structure: a paragraph's first row is marked
    assert driver.find_elements(By.CSS_SELECTOR, "#rows tr.para-start")


def test_stale_write_from_a_second_tab_is_refused(driver: Any, server: ReviewServer) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(driver, server)  # tab 1 has the file's current digest
    segs = [s for s in _segments() if s.source]
    sid = segs[1].id
    # tab 2 (an API client with the same digest) saves first
    status, doc = request(server, "GET", f"/api/doc/{ZH}")
    assert status == 200
    status, after = request(server, "POST", f"/api/doc/{ZH}/edit", {"digest": doc["digest"], "id": sid, "text": "Tab two's English."})
    assert status == 200 and after["digest"] != doc["digest"]
    # tab 2 again with its old digest: 409, not merged
    status, err = request(server, "POST", f"/api/doc/{ZH}/approve", {"digest": doc["digest"], "ids": [sid]})
    assert status == 409 and err["stale"] is True and "reload" in err["error"]
    # tab 1 edits the same segment: refused, and the page says so
    _row(driver, sid).find_element(By.CSS_SELECTOR, 'button[data-action="edit"]').click()
    area = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#rows textarea.editor"))
    area.send_keys(Keys.CONTROL, "a")
    area.send_keys("Tab one's English.")
    driver.find_element(By.CSS_SELECTOR, "#rows button.save").click()
    banner = _wait(driver, lambda d: d.find_element(By.ID, "banner") if d.find_element(By.ID, "banner").is_displayed() else None)
    assert banner.get_attribute("data-kind") == "stale"
    assert "changed elsewhere" in banner.text
    assert _disk(sid).target == "Tab two's English." and _disk(sid).status == "edited"
    # reload shows tab two's work
    driver.find_element(By.ID, "banner-reload").click()
    _wait(driver, lambda d: "Tab two's English." in _row(d, sid).find_element(By.CSS_SELECTOR, "td.c-tgt").text)


# ---------------------------------------------------------------- the server's guards (no browser needed)


def test_foreign_host_and_origin_are_refused(server: ReviewServer) -> None:
    assert request(server, "GET", "/")[0] == 200
    assert request(server, "GET", "/", headers={"Host": f"localhost:{server.port}"})[0] == 200
    assert request(server, "GET", "/", headers={"Host": "evil.com"})[0] == 403
    assert request(server, "GET", "/api/docs", headers={"Host": f"evil.com:{server.port}"})[0] == 403
    digest = store.file_digest(store.path_for(OUT, ZH))
    sid = _segments()[0].id
    body = {"digest": digest, "id": sid, "text": "x"}
    assert request(server, "POST", f"/api/doc/{ZH}/edit", body, headers={"Host": "evil.com"})[0] == 403
    assert request(server, "POST", f"/api/doc/{ZH}/edit", body, headers={"Origin": "http://evil.com"})[0] == 403
    assert store.file_digest(store.path_for(OUT, ZH)) == digest


@pytest.mark.parametrize(
    "path",
    ["/../glossary.yaml", "/..%2fglossary.yaml", "/web/../../glossary.yaml", "/api/doc/..", "/api/doc/..%2Fglossary", "/api/doc/%2e%2e%2fseeds", "/translations/000_093349a39d32f8f2.yaml", "/app.js/../../cli.py", "/etc/passwd", "/api/doc/.workbench", "/__init__.py", "//etc/passwd"],
)
def test_path_traversal_gets_404(server: ReviewServer, path: str) -> None:
    status, _ = request(server, "GET", path)
    assert status == 404


def test_post_guards(server: ReviewServer) -> None:
    digest = store.file_digest(store.path_for(OUT, ZH))
    sid = _segments()[0].id
    status, _ = request(server, "POST", f"/api/doc/{ZH}/edit", None, headers={"Content-Type": "text/plain", "Content-Length": "2"})
    assert status in (400, 415)
    assert request(server, "POST", f"/api/doc/{ZH}/delete", {"digest": digest, "id": sid})[0] == 404
    assert request(server, "POST", "/api/doc/nope/edit", {"digest": digest, "id": sid, "text": "x"})[0] == 404
    status, err = request(server, "POST", f"/api/doc/{ZH}/edit", {"id": sid, "text": "x"})
    assert status == 400 and "digest" in err["error"]
    status, err = request(server, "POST", f"/api/doc/{ZH}/split", {"digest": digest, "id": sid, "source_at": 0, "target_at": 0})
    assert status == 400 and "outside" in err["error"]
    assert store.file_digest(store.path_for(OUT, ZH)) == digest


@pytest.mark.parametrize("path", ["/", "/app.js", "/tools.js", "/style.css"])
def test_static_files_have_a_strict_content_security_policy(server: ReviewServer, path: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", path)
    res = conn.getresponse()
    body = res.read()
    assert res.status == 200 and body
    csp = res.getheader("Content-Security-Policy") or ""
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert res.getheader("X-Content-Type-Options") == "nosniff"
    conn.close()


def test_make_server_refuses_other_hosts(project: Path) -> None:
    from workbench.errors import InputError

    with pytest.raises(InputError, match="127.0.0.1 only"):
        make_server(OUT, host="0.0.0.0", port=0)
    srv = make_server(OUT, host="localhost", port=0)
    try:
        assert srv.server_address[0] == "127.0.0.1" and srv.url.startswith("http://127.0.0.1:")
    finally:
        srv.server_close()
