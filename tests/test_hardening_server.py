"""The "Reliability and security" issue, continued: the review server and concurrency.

Same rules as ``test_hardening.py`` (whose helpers this module shares): a refusal is a clean
non-zero exit or HTTP error, nothing written half-way, and no human edit is lost when the
page, the command line and a translate run meet.
"""

from __future__ import annotations

import http.client
import shutil
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from cli_helpers import request, serve
from test_hardening import OUT, ROOT, VI, ZH, docs_project, _assert_unchanged, _cli, _first_id, _refused, _segments, _snapshot

__all__ = ["docs_project"]  # a fixture shared with test_hardening.py

from workbench import review, store
from workbench.server import ReviewServer



# ================================================================ the review server


@pytest.fixture
def srv(project: Path) -> Iterator[ReviewServer]:
    with serve() as s:
        yield s


MARKUP = "<script>alert('x')</script><img src=x onerror=alert(1)> &amp; </textarea><b>bold</b>"


def test_markup_in_segments_is_sent_as_json_text_and_inserted_as_text(srv: ReviewServer) -> None:
    path = store.path_for(OUT, ZH)
    doc = store.load(path)
    assert doc is not None
    seg = next(s for s in doc.segments if s.source)
    seg.source += MARKUP
    store.save(doc, path)
    status, page = request(srv, "GET", f"/api/doc/{ZH}")
    assert status == 200 and any(s["source"].endswith(MARKUP) for s in page["segments"])
    status, saved = request(srv, "POST", f"/api/doc/{ZH}/edit", {"digest": page["digest"], "id": seg.id, "text": MARKUP})
    assert status == 200 and next(s for s in saved["segments"] if s["id"] == seg.id)["target"] == MARKUP
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request("GET", f"/api/doc/{ZH}")
    res = conn.getresponse()
    res.read()
    assert res.getheader("Content-Type", "").startswith("application/json") and res.getheader("X-Content-Type-Options") == "nosniff"
    assert "script-src 'self'" in res.getheader("Content-Security-Policy", "")
    conn.close()
    # the page builds its DOM with textContent only: no HTML parsing of anything it receives
    js = "\n".join((ROOT / "workbench" / "web" / name).read_text(encoding="utf-8") for name in ("app.js", "tools.js"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute(\"on"):
        assert sink not in js, sink
    assert "textContent" in js
    # the terminal and the HTML report show it as text too
    shown = _cli("review", "show", ZH, "--status", "edited")
    assert MARKUP in shown.stdout
    assert _cli("export", ZH, "--format", "html").exit_code == 0
    report = (Path("exports") / f"{ZH}.html").read_text(encoding="utf-8")
    assert "<script>alert" not in report and "&lt;script&gt;alert" in report


@pytest.mark.parametrize(
    "host",
    ["evil.com", "evil.com:{port}", "127.0.0.1", "127.0.0.1:1", "localhost.evil.com:{port}", "127.0.0.1.nip.io:{port}", "127.0.0.1:{port}@evil.com", "[::1]:{port}", "0.0.0.0:{port}", "", None],
)
def test_requests_for_another_host_are_refused(srv: ReviewServer, host: str | None) -> None:
    before = _snapshot(OUT)
    hdr = None if host is None else host.replace("{port}", str(srv.port))
    digest = store.file_digest(store.path_for(OUT, ZH))
    sid = _first_id(ZH)
    for method, path, body in [("GET", "/", None), ("GET", "/app.js", None), ("GET", "/api/docs", None), ("GET", f"/api/doc/{ZH}", None),
                               ("POST", f"/api/doc/{ZH}/edit", {"digest": digest, "id": sid, "text": "from elsewhere"})]:
        status, _ = request(srv, method, path, body, headers={"Host": hdr})  # type: ignore[dict-item]
        assert status == 403, (method, path, hdr, status)
    _assert_unchanged(OUT, before, f"Host {hdr}")


@pytest.mark.parametrize(
    "origin",
    ["http://evil.com", "null", "http://127.0.0.1:{port}.evil.com", "https://127.0.0.1:{port}", "http://localhost:1", "http://127.0.0.1", "file://", ""],
)
def test_posts_from_another_origin_are_refused(srv: ReviewServer, origin: str) -> None:
    before = _snapshot(OUT)
    digest = store.file_digest(store.path_for(OUT, ZH))
    sid = _first_id(ZH)
    for action, body in [("edit", {"id": sid, "text": "cross-site"}), ("approve", {"all_clean": True}), ("revert", {"id": sid}), ("merge", {"id": sid})]:
        status, _ = request(srv, "POST", f"/api/doc/{ZH}/{action}", {"digest": digest, **body}, headers={"Origin": origin.replace("{port}", str(srv.port))})
        assert status == 403, (action, origin, status)
    _assert_unchanged(OUT, before, f"Origin {origin}")


def test_cross_site_requests_get_no_cors_and_need_json(srv: ReviewServer) -> None:
    digest = store.file_digest(store.path_for(OUT, ZH))
    # a form post (no preflight possible) is not JSON: refused
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    body = urllib.parse.urlencode({"digest": digest, "id": _first_id(ZH), "text": "x"}).encode()
    conn.request("POST", f"/api/doc/{ZH}/edit", body, {"Content-Type": "application/x-www-form-urlencoded"})
    res = conn.getresponse()
    res.read()
    assert res.status == 415 and res.getheader("Access-Control-Allow-Origin") is None
    conn.request("OPTIONS", f"/api/doc/{ZH}/edit", headers={"Origin": "http://evil.com", "Access-Control-Request-Method": "POST"})
    res = conn.getresponse()
    res.read()
    assert res.status >= 400 and res.getheader("Access-Control-Allow-Origin") is None
    conn.close()
    assert store.file_digest(store.path_for(OUT, ZH)) == digest


TRAVERSALS = [
    "/../glossary.yaml", "/%2e%2e/glossary.yaml", "/%2E%2E%2Fglossary.yaml", "/api/doc/..", "/api/doc/%2e%2e", "/api/doc/..%2F..%2Fglossary",
    "/api/doc/%2e%2e%2f%2e%2e%2fglossary", "/api/doc/..%5C..%5Cglossary", "/api/doc/%2Fetc%2Fpasswd", "/api/doc//etc/passwd", "/api/doc/%2fetc%2fpasswd",
    "/api/doc/C:%5Cwindows%5Cwin.ini", "/api/doc/..%252f..%252fglossary", "/api/doc/%00", "/api/doc/seeds%2F000_093349a39d32f8f2",
    f"/api/doc/..%2Ftranslations%2F{ZH}", "/api/doc/.workbench", "/api/doc/.%2e", "/etc/passwd", "//etc/passwd", "/translations/x.yaml",
    "/web/app.js", "/app.js/..%2F..%2Fcli.py", "/api/doc/link-outside", "/api/doc/link%2Doutside",
]


def test_no_path_outside_translations_is_reachable(srv: ReviewServer, project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    victim = outside / "victim.yaml"
    shutil.copy(store.path_for(OUT, VI), victim)  # a valid translations file, but outside translations/
    (project / OUT / "link-outside.yaml").symlink_to(victim)
    victim_bytes = victim.read_bytes()
    before = _snapshot(project)
    status, listing = request(srv, "GET", "/api/docs")
    assert status == 200 and "link-outside" not in [d["stem"] for d in listing["documents"]]
    digest = store.file_digest(victim)
    sid = _first_id(VI)
    for path in TRAVERSALS:
        assert request(srv, "GET", path)[0] == 404, path
        if path.startswith("/api/doc/"):
            status, _ = request(srv, "POST", f"{path}/edit", {"digest": digest, "id": sid, "text": "escaped"})
            assert status == 404, path
    for absolute in (str(victim), urllib.parse.quote(str(victim), safe=""), urllib.parse.quote(str(victim.with_suffix("")), safe="")):
        assert request(srv, "GET", f"/api/doc/{absolute}")[0] == 404
        assert request(srv, "GET", f"/{absolute}")[0] == 404
    assert victim.read_bytes() == victim_bytes
    _assert_unchanged(project, before, "traversal attempts")


# ================================================================ concurrency


def test_translate_refuses_clearly_while_another_run_holds_the_project(project: Path) -> None:
    from filelock import FileLock

    (project / "seeds" / "new.txt").write_text("Hội đồng Bảo an họp về ASEAN.\n", encoding="utf-8")
    before = _snapshot(project)
    with FileLock(str(project / OUT / ".workbench.lock")):
        _refused(_cli("translate", "--engine", "copy"), 7, "another workbench run is writing translations/", "wait for it to finish and run again")
    _assert_unchanged(project, before, "refused run")
    assert _cli("translate", "--engine", "copy").exit_code == 0
    assert store.path_for(OUT, "new").exists()


@pytest.fixture
def during_decoding(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Hooks run inside `translate`, after planning and before writing (while it decodes)."""
    from workbench.engines.copy import CopyEngine

    hooks: list[Any] = []
    original = CopyEngine.translate_batch

    def translate_batch(self: Any, texts: list[str], progress: Any = None) -> list[str]:
        while hooks:
            hooks.pop(0)()
        return original(self, texts, progress)

    monkeypatch.setattr(CopyEngine, "translate_batch", translate_batch)
    yield hooks


def _add_sentence(project: Path, stem: str, sentence: str) -> None:
    seed = project / "seeds" / f"{stem}.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def test_review_edit_from_the_command_line_during_translate_is_not_lost(project: Path, during_decoding: list[Any]) -> None:
    sid = _first_id(VI)
    _add_sentence(project, VI, "Một câu mới về ASEAN.")
    edits: list[Result] = []
    during_decoding.append(lambda: edits.append(_cli("review", "edit", VI, sid, "Saved by a reviewer during translate.")))
    result = _cli("translate", "--engine", "copy", "--json")
    assert result.exit_code == 0, result.output
    assert edits and edits[0].exit_code == 0, edits
    segs = {s.id: s for s in _segments(VI)}
    assert segs[sid].target == "Saved by a reviewer during translate." and segs[sid].status == "edited"
    assert _segments(VI)[-1].source == "Một câu mới về ASEAN."


def test_review_page_edit_during_translate_is_not_lost(project: Path, during_decoding: list[Any]) -> None:
    sid = _first_id(VI)
    _add_sentence(project, VI, "Một câu mới về ASEAN.")
    answers: list[tuple[int, Any]] = []
    with serve() as srv:
        status, page = request(srv, "GET", f"/api/doc/{VI}")
        assert status == 200

        def post() -> None:
            answers.append(request(srv, "POST", f"/api/doc/{VI}/edit", {"digest": page["digest"], "id": sid, "text": "Saved in the page during translate."}))

        during_decoding.append(post)
        result = _cli("translate", "--engine", "copy")
        assert result.exit_code == 0, result.output
        assert answers and answers[0][0] == 200, answers
        # the page's copy is now stale (translate wrote after the edit): a change from it is refused, then works after a reload
        status, stale = request(srv, "POST", f"/api/doc/{VI}/approve", {"digest": answers[0][1]["digest"], "id": sid})
        assert status == 409 and stale.get("stale") is True
        status, fresh = request(srv, "GET", f"/api/doc/{VI}")
        assert request(srv, "POST", f"/api/doc/{VI}/approve", {"digest": fresh["digest"], "id": sid, "override": True})[0] == 200  # open QA flags: explicit override
    segs = {s.id: s for s in _segments(VI)}
    assert segs[sid].target == "Saved in the page during translate." and segs[sid].status == "approved"
    assert _segments(VI)[-1].source == "Một câu mới về ASEAN."


def test_translate_waits_for_a_review_save_in_progress(project: Path) -> None:
    sid = _first_id(VI)
    _add_sentence(project, VI, "Một câu mới về ASEAN.")
    holding = threading.Event()

    def slow_reviewer() -> None:
        with review.file_lock(OUT, VI):  # what a review save holds around load-change-save
            holding.set()
            time.sleep(1.0)
            review_doc = store.load(store.path_for(OUT, VI))
            assert review_doc is not None
            seg = next(s for s in review_doc.segments if s.id == sid)
            seg.target, seg.status = "Saved while translate waited.", "approved"
            store.save(review_doc, store.path_for(OUT, VI))

    thread = threading.Thread(target=slow_reviewer)
    thread.start()
    assert holding.wait(10)
    result = _cli("translate", "--engine", "copy")
    thread.join(10)
    assert result.exit_code == 0, result.output
    segs = {s.id: s for s in _segments(VI)}
    assert segs[sid].target == "Saved while translate waited." and segs[sid].status == "approved"
    assert _segments(VI)[-1].source == "Một câu mới về ASEAN."


def test_align_does_not_overwrite_a_review_saved_while_it_aligned(docs_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench import align as al

    assert _cli("align", "src.txt", "ref.txt", "--engine", "copy").exit_code == 0  # drafts only: align may redo it
    sid = _first_id("src")
    original = al.align_sentences

    saved: list[bytes] = []

    def align_while_a_reviewer_saves(*args: Any, **kwargs: Any) -> Any:
        assert _cli("review", "edit", "src", sid, "A reviewer's English.").exit_code == 0
        saved.append(store.path_for(OUT, "src").read_bytes())
        return original(*args, **kwargs)

    monkeypatch.setattr(al, "align_sentences", align_while_a_reviewer_saves)
    result = _cli("align", "src.txt", "ref.txt", "--engine", "copy")
    _refused(result, 4, "src.yaml", "edited or approved while align ran", "--translations")
    assert saved and store.path_for(OUT, "src").read_bytes() == saved[0]  # the reviewer's file, byte for byte
    assert next(s for s in _segments("src") if s.id == sid).target == "A reviewer's English."
