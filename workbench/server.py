"""The local review web server: the page in ``workbench/web/`` and a small JSON API over ``translations/``.

    srv = make_server(Path("translations"), port=0)
    print(srv.url); srv.serve_forever()

Standard library only (``http.server``). Bound to 127.0.0.1, never another address;
requests whose ``Host`` is not ``127.0.0.1:PORT`` or ``localhost:PORT`` are refused
with 403 (DNS rebinding), as are POSTs from another origin or without a JSON body.
Only three static files are served, by name; every other path is 404.

API (all JSON):

* ``GET /api/docs`` -> ``{"documents": [{stem, document, source_lang, counts, flags}]}``
* ``GET /api/doc/<stem>`` -> the document: ``digest`` (sha256 of the file's bytes) and
  ``segments`` with glossary spans and translation-memory matches
* ``POST /api/doc/<stem>/<edit|approve|revert|split|merge>`` with ``{"digest": ..., "id": ...,
  "text"?, "ids"?, "all_clean"?, "source_at"?, "target_at"?}`` -> the document as saved;
  409 ``{"error", "stale": true}`` when the file changed since ``digest``; 400 on bad input.
"""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from workbench import review, store
from workbench.errors import InputError, StoreError, WorkbenchError
from workbench.glossary import Glossary

LOOPBACK_NAMES = ("127.0.0.1", "localhost")
STATIC = {"/": ("index.html", "text/html; charset=utf-8"), "/index.html": ("index.html", "text/html; charset=utf-8"), "/app.js": ("app.js", "text/javascript; charset=utf-8"), "/style.css": ("style.css", "text/css; charset=utf-8")}
ACTIONS = ("edit", "approve", "revert", "split", "merge")
MAX_BODY = 1_000_000
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

    def __init__(self, out_dir: Path, docs: list[str] | None, port: int, glossary: Glossary) -> None:
        self.out_dir = out_dir
        self.only = [review.stem_of(d) for d in docs] if docs else None
        self.glossary = glossary
        self.static_cache: dict[str, bytes] = {}
        super().__init__(("127.0.0.1", port), Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stems(self) -> list[str]:
        """The documents served: translations files that really are in ``out_dir`` (a symlink
        to a file elsewhere is not served, so nothing outside translations/ is reachable)."""
        if not self.out_dir.is_dir():
            return []
        if self.only is not None:
            paths = [store.path_for(self.out_dir, stem) for stem in self.only]
        else:
            paths = store.list_files(self.out_dir)
        home = self.out_dir.resolve()
        out = []
        for path in paths:
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError):  # missing, or a symlink loop
                continue
            if real.parent == home and real.is_file():
                out.append(path.stem)
        return out

    def static(self, name: str) -> bytes:
        data = self.static_cache.get(name)
        if data is None:
            data = resources.files("workbench").joinpath("web", name).read_bytes()
            self.static_cache[name] = data
        return data


def make_server(out_dir: Path, docs: list[str] | None = None, *, host: str = "127.0.0.1", port: int = 8765, glossary: Glossary | None = None) -> ReviewServer:
    """A review server on 127.0.0.1:PORT (0: a free port) for DOCS (default: every translations file)."""
    if host not in LOOPBACK_NAMES:
        raise InputError(f"--host {host}: the review page can change your files, so it is served on 127.0.0.1 only; to review from elsewhere use an SSH tunnel")
    if not out_dir.is_dir():
        raise StoreError(f"{out_dir}: no translations directory; run `workbench translate` first")
    for d in docs or []:
        review.path_of(out_dir, d)  # fail now, with the fix, if a DOC has no translations file
    try:
        return ReviewServer(out_dir, docs, port, glossary if glossary is not None else review.load_glossary(None))
    except OSError as exc:
        raise InputError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc}); choose another port with --port N (0 picks a free one)") from None


def doc_summary(path: Path) -> dict[str, Any]:
    doc = store.load(path)
    assert doc is not None
    flags: dict[str, int] = {}
    for seg in doc.segments:
        for kind in review.flag_kinds(seg):
            flags[kind] = flags.get(kind, 0) + 1
    return {"stem": path.stem, "document": doc.document, "source_lang": doc.source_lang, "counts": doc.counts(), "flags": flags}


def doc_payload(out_dir: Path, stem: str, glossary: Glossary, opened: review.Opened | None = None) -> dict[str, Any]:
    opened = opened or review.open_doc(out_dir, stem)
    doc = opened.doc
    entries = review.memory_entries(out_dir)
    segments = []
    for seg in doc.segments:
        view = review.segment_view(seg, doc, glossary)
        view["fuzzy"] = [m.as_dict() for m in review.fuzzy_in(entries, seg.source, exclude=(stem, seg.id))] if seg.source else []
        segments.append(view)
    kinds = sorted({k for seg in doc.segments for k in review.flag_kinds(seg)})
    return {
        "stem": stem,
        "document": doc.document,
        "source_lang": doc.source_lang,
        "target_lang": doc.target_lang,
        "digest": opened.digest,
        "counts": doc.counts(),
        "flag_kinds": kinds,
        "segments": segments,
    }


class Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "workbench-review"
    sys_version = ""
    protocol_version = "HTTP/1.1"

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
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

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
        path = urlsplit(self.path).path
        try:
            if path in STATIC:
                name, ctype = STATIC[path]
                return self._send(HTTPStatus.OK, self.server.static(name), ctype)
            if path == "/api/docs":
                docs = [doc_summary(store.path_for(self.server.out_dir, s)) for s in self.server.stems()]
                return self._json(HTTPStatus.OK, {"documents": docs})
            m = re.fullmatch(r"/api/doc/([^/]+)", path)
            if m:
                stem = self._stem(m.group(1))
                if stem is None:
                    return self._error(HTTPStatus.NOT_FOUND, "no such document")
                return self._json(HTTPStatus.OK, doc_payload(self.server.out_dir, stem, self.server.glossary))
            return self._error(HTTPStatus.NOT_FOUND, "not found")
        except WorkbenchError as exc:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc).splitlines()[0])

    # ------------------------------------------------------------ POST

    def do_POST(self) -> None:
        if not self._host_ok() or not self._origin_ok():
            return self._error(HTTPStatus.FORBIDDEN, "forbidden host or origin")
        m = re.fullmatch(r"/api/doc/([^/]+)/([a-z]+)", urlsplit(self.path).path)
        stem = self._stem(m.group(1)) if m else None
        if m is None or stem is None or m.group(2) not in ACTIONS:
            return self._error(HTTPStatus.NOT_FOUND, "not found")
        if (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON (Content-Type: application/json)")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return self._error(HTTPStatus.BAD_REQUEST, "missing or too large request body")
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            if not isinstance(body, dict):
                raise ValueError
        except (ValueError, UnicodeDecodeError):
            return self._error(HTTPStatus.BAD_REQUEST, "the request body is not a JSON object")
        try:
            change = self._apply(stem, m.group(2), body)
        except StoreError as exc:
            msg = str(exc).splitlines()[0]
            if msg.startswith("stale:"):
                return self._error(HTTPStatus.CONFLICT, msg, stale=True)
            return self._error(HTTPStatus.CONFLICT, msg)
        except InputError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc).splitlines()[0])
        except WorkbenchError as exc:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc).splitlines()[0])
        payload = doc_payload(self.server.out_dir, stem, self.server.glossary)
        payload["changed"] = change.segments
        self._json(HTTPStatus.OK, payload)

    def _apply(self, stem: str, action: str, body: dict[str, Any]) -> review.Change:
        digest = body.get("digest")
        if not isinstance(digest, str) or not digest:
            raise InputError("send the digest of the version you are changing (reload the page)")
        out, gl = self.server.out_dir, self.server.glossary

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
            return review.edit(out, stem, text("id"), text("text"), expected_digest=digest, glossary=gl)
        if action == "approve":
            ids = body.get("ids")
            if ids is None and "id" in body:
                ids = [text("id")]
            if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) for i in ids)):
                raise InputError("`ids` must be a list of segment ids")
            return review.approve(out, stem, ids or [], all_clean=bool(body.get("all_clean")), expected_digest=digest, glossary=gl, override=bool(body.get("override")))
        if action == "revert":
            return review.revert(out, stem, text("id"), expected_digest=digest, glossary=gl)
        if action == "split":
            return review.split(out, stem, text("id"), number("source_at"), number("target_at"), expected_digest=digest, glossary=gl)
        return review.merge(out, stem, text("id"), expected_digest=digest, glossary=gl)
