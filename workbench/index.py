"""The project index: an SQLite database beside the readable files in ``translations/``.

    idx = open_index(Path("translations"))
    idx.refresh()                       # re-reads only files whose size/mtime (then hash) changed
    idx.documents()                     # per-document summaries (and the files that failed to load)
    idx.search("安全理事会", where="source")   # concordance across documents

``translations/*.yaml`` stay the record a person reads and edits; the index is a cache of
them and never the only copy of anything: delete ``translations/.workbench-index.sqlite3``
(and its ``-wal``/``-shm``) at any time and the next command rebuilds it. It holds, per
document, a summary (counts by status, QA flags, orphans, engine, signature, title) or the
one-line error that file gave; per segment its source, target and status (the translation
memory and full-text search read these); a JSON copy of each document, one row per segment
(a cold open reads it instead of parsing the YAML; a review save rewrites the rows of the
segments it changed, so the copy is always of the file's current bytes, or absent); and the
translation memory's search arrays (:mod:`workbench.memory_arrays`, as BLOBs: a new process
reads them back instead of building them), built again when a refresh or a save has changed
enough reviewed segments since (:func:`rebuild_due`). Full-text search is FTS5 over a folded form of the
text: Traditional Chinese folded to Simplified (OpenCC ``t2s``), lower case, and every Han
character a token of its own, so a phrase query is a character n-gram match (Chinese has no
spaces to split words at).

Only regular files that really live in ``translations/`` are read (a symlink to a file
elsewhere is skipped, as the review server refuses it): the memory reads only what a document
read may read.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from workbench import store
from workbench.errors import StoreError

INDEX_NAME = ".workbench-index.sqlite3"
#: characters of a segment that search and the memory see (a "sentence" longer than this is a
#: run-on line no memory match or concordance needs whole)
MAX_INDEXED = 4000
#: 4: summaries carry the title (first heading); 5: the JSON copy of a document kept per segment
#: (a review save updates the segments it changed), the memory's search arrays, rowids never reused
#: and versions from one clock (a stem's (version) names one content for ever)
SCHEMA_VERSION = 5
_HAN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff])")
#: Runs of Han characters: spacing them run by run is the same text as ``_HAN.sub(r" \1 ", ...)``
#: (" 联  合  国 ") at one Python call per run instead of one template expansion per character.
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")


def _spaced(match: re.Match[str]) -> str:
    return " " + "  ".join(match.group()) + " "


def space_han(text: str) -> str:
    """``text`` with every Han character set off by one space on each side (one FTS token each)."""
    return _HAN_RUN.sub(_spaced, text)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (
    stem TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT,
    error TEXT, summary TEXT, version INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS segs (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT, stem TEXT NOT NULL, id TEXT NOT NULL, pos INTEGER, orphan INTEGER,
    status TEXT, source TEXT, target TEXT, fold TEXT, source_lang TEXT, document TEXT);
CREATE INDEX IF NOT EXISTS segs_stem ON segs (stem, id);
CREATE INDEX IF NOT EXISTS segs_status ON segs (status);
CREATE INDEX IF NOT EXISTS segs_stem_status ON segs (stem, status);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(src, tgt, tokenize = 'unicode61');
CREATE TABLE IF NOT EXISTS docjson (stem TEXT PRIMARY KEY, sha256 TEXT, data TEXT, shape TEXT);
CREATE TABLE IF NOT EXISTS docorder (stem TEXT PRIMARY KEY, data TEXT);
CREATE TABLE IF NOT EXISTS docsegs (stem TEXT NOT NULL, kind INTEGER NOT NULL, id TEXT NOT NULL, data TEXT, PRIMARY KEY (stem, kind, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS memory (k INTEGER PRIMARY KEY CHECK (k = 1), stamp TEXT NOT NULL, meta TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS memblobs (name TEXT PRIMARY KEY, data BLOB);
"""
#: the rows of :meth:`Index.reviewed`
_REVIEWED = "SELECT {cols} FROM segs WHERE status IN ('edited','approved') AND trim(target) != ''"
_ROW = "stem, id, source, target, status, fold, source_lang, document"


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    try:
        return opencc.OpenCC("t2s")
    except Exception:  # pragma: no cover - older opencc packages want the .json name
        return opencc.OpenCC("t2s.json")


def fold(text: str) -> str:
    """Text as matched: Traditional folded to Simplified, lower case (same length as ``text``
    for almost every input; OpenCC's t2s maps character to character)."""
    if _HAN.search(text):
        text = _t2s().convert(text)
    return text.lower()


def fts_text(text: str) -> str:
    """The folded text with every Han character set off by spaces (one FTS token each)."""
    return space_han(fold(text))


def fts_query(text: str) -> str:
    """An FTS5 phrase query for ``text`` (every token in order, adjacent)."""
    return '"' + fts_text(text).replace('"', '""').strip() + '"'


def served_files(out_dir: Path) -> list[Path]:
    """The translations files a read may open: ``*.yaml`` regular files really inside ``out_dir``
    (no dot files, no symlink to elsewhere, no loop)."""
    if not out_dir.is_dir():
        return []
    home = out_dir.resolve()
    out = []
    for path in sorted(out_dir.glob("*.yaml")):
        if path.name.startswith("."):
            continue
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if real.parent == home and real.is_file():
            out.append(path)
    return out


@dataclass
class DocEntry:
    """A document as the index knows it: its summary, or the error its file gave."""

    stem: str
    file: str
    error: str | None
    summary: dict[str, Any]
    version: int

    def as_dict(self) -> dict[str, Any]:
        return {"stem": self.stem, "file": self.file, "error": self.error, **self.summary}


def summarize(doc: store.StoredDocument) -> dict[str, Any]:
    """The per-document summary `status` and the page's document list show."""
    flags: dict[str, int] = {}
    counts = {s: 0 for s in store.STATUSES}
    for seg in doc.segments:
        if seg.source:
            counts[seg.status] += 1
        fl = seg.flags
        if fl:
            kinds = {f.split(":", 1)[0] for f in fl} if len(fl) > 1 else (fl[0].split(":", 1)[0],)
            for kind in kinds:
                flags[kind] = flags.get(kind, 0) + 1
    flags = dict(sorted(flags.items()))
    engine = str(doc.signature.get("engine", "?"))
    title = store.document_title(doc)
    return {
        "document": doc.document,
        "source_lang": doc.source_lang,
        "target_lang": doc.target_lang,
        "source_sha256": doc.source_sha256,
        "engine": engine,
        "machine_translated": engine != "copy" or doc.source_lang == "en",
        "segments": sum(counts.values()),
        "counts": counts,
        "flags": flags,
        "orphans": len(doc.orphans),
        "signature": str(doc.signature.get("string", "")),
        "glossary": str(doc.signature.get("glossary", "")),
        "title": title,
    }


class Index:
    """One project's index (thread-safe: one connection, one lock)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        self.shown = out_dir  # how paths are named in messages (as the user gave the directory)
        self.path = self.out_dir / INDEX_NAME
        self._lock = threading.RLock()
        self._in_memory = False  # True when translations/ is read-only: the index lives in this connection only
        self.building = False  # a memory build is under way in a thread (see _memory_after)
        self._conn = self._connect()

    def _connect(self) -> sqlite3.Connection:
        for attempt in range(2):
            try:
                conn = sqlite3.connect(str(self.path), timeout=10, check_same_thread=False, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                row = conn.execute("PRAGMA user_version").fetchone()
                if row[0] not in (0, SCHEMA_VERSION):
                    raise sqlite3.DatabaseError("old schema")
                conn.executescript(_SCHEMA)
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                return conn
            except sqlite3.OperationalError:  # read-only translations/: an index in memory, same answers
                conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
                conn.executescript(_SCHEMA)
                self._in_memory = True
                return conn
            except sqlite3.DatabaseError:
                if attempt:
                    raise StoreError(f"{self.path}: the project index cannot be opened; delete it (it is rebuilt from translations/*.yaml)") from None
                self._remove()  # a cache: a broken or old one is rebuilt
        raise AssertionError("unreachable")

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(str(self.path) + suffix)
            except FileNotFoundError:
                pass

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # ------------------------------------------------------------ keeping it current

    def refresh(self, stems: Iterable[str] | None = None) -> list[str]:
        """Bring the index up to date with the files (only ``stems`` if given); the stems re-read."""
        wanted = None if stems is None else set(stems)
        paths = {p.stem: p for p in served_files(self.out_dir)}
        changed: list[str] = []
        with self._lock:
            known = {r[0]: r[1:] for r in self._conn.execute("SELECT stem, size, mtime_ns, sha256, error FROM files")}
            for stem, path in paths.items():
                if wanted is not None and stem not in wanted:
                    continue
                try:
                    st = path.stat()
                except OSError:
                    continue
                row = known.get(stem)
                if row is not None and row[0] == st.st_size and row[1] == st.st_mtime_ns:
                    continue
                name = store.path_for(self.shown, stem)
                try:
                    raw = path.read_bytes()
                except OSError as exc:
                    self._put_error(stem, st, "", f"{name}: cannot be read ({exc.strerror or exc}); check its permissions")
                    changed.append(stem)
                    continue
                sha = hashlib.sha256(raw).hexdigest()
                if row is not None and row[2] == sha:
                    self._conn.execute("UPDATE files SET size=?, mtime_ns=? WHERE stem=?", (st.st_size, st.st_mtime_ns, stem))
                    continue
                try:
                    doc = store.loads(raw.decode("utf-8"), str(name))
                except UnicodeDecodeError:
                    self._put_error(stem, st, sha, f"{name}: not UTF-8 text; restore it from version control or delete it to start over")
                except StoreError as exc:
                    self._put_error(stem, st, sha, str(exc).splitlines()[0])
                else:
                    self.put(stem, doc, st.st_size, st.st_mtime_ns, sha)
                changed.append(stem)
            if wanted is None:
                for stem in set(known) - set(paths):
                    self._drop(stem)
                    changed.append(stem)
        if changed:
            self._memory_after(changed)
        return changed

    def _tick(self) -> int:
        """The next version (one clock for every stem, inside the caller's transaction): a stem
        dropped and indexed again gets a new one, so (stem, version) names one content for ever."""
        self._conn.execute("INSERT INTO meta (key, value) VALUES ('clock', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")
        return int(self._conn.execute("SELECT value FROM meta WHERE key = 'clock'").fetchone()[0])

    def _put_error(self, stem: str, st: os.stat_result, sha: str, error: str) -> None:
        with self._lock:
            self._conn.execute("BEGIN")
            self._delete_segs(stem)
            self._drop_json(stem)
            self._conn.execute(
                "INSERT INTO files (stem, size, mtime_ns, sha256, error, summary, version) VALUES (?,?,?,?,?,?,?) "
                "ON CONFLICT(stem) DO UPDATE SET size=excluded.size, mtime_ns=excluded.mtime_ns, sha256=excluded.sha256, "
                "error=excluded.error, summary=excluded.summary, version=excluded.version",
                (stem, st.st_size, st.st_mtime_ns, sha, error, "{}", self._tick()),
            )
            self._conn.execute("COMMIT")

    def _drop(self, stem: str) -> None:
        self._conn.execute("BEGIN")
        self._delete_segs(stem)
        self._drop_json(stem)
        self._conn.execute("DELETE FROM files WHERE stem=?", (stem,))
        self._conn.execute("COMMIT")

    def _delete_segs(self, stem: str, ids: Iterable[str] | None = None) -> None:
        if ids is None:
            rows = [r[0] for r in self._conn.execute("SELECT rowid FROM segs WHERE stem=?", (stem,))]
        else:
            rows = [r[0] for sid in ids for r in self._conn.execute("SELECT rowid FROM segs WHERE stem=? AND id=?", (stem, sid))]
        self._conn.executemany("DELETE FROM fts WHERE rowid=?", [(r,) for r in rows])
        self._conn.executemany("DELETE FROM segs WHERE rowid=?", [(r,) for r in rows])

    def _insert(self, stem: str, doc: store.StoredDocument, segs: Iterable[tuple[int, int, store.Segment]]) -> None:
        rows = []
        fts = []
        for pos, orphan, seg in segs:
            if not seg.source:
                continue
            folded = fold(seg.source[:MAX_INDEXED])
            cur = self._conn.execute(
                "INSERT INTO segs (stem, id, pos, orphan, status, source, target, fold, source_lang, document) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (stem, seg.id, pos, orphan, seg.status, seg.source, seg.target, folded, doc.source_lang, doc.document),
            )
            rows.append(cur.lastrowid)
            fts.append((cur.lastrowid, space_han(folded), fts_text(seg.target[:MAX_INDEXED])))
        self._conn.executemany("INSERT INTO fts (rowid, src, tgt) VALUES (?,?,?)", fts)

    def put(
        self, stem: str, doc: store.StoredDocument, size: int, mtime_ns: int, sha: str, touched: Iterable[str] | None = None,
        summary_data: dict[str, Any] | None = None, base: str | None = None,
    ) -> None:
        """Record ``doc`` as the content of ``<stem>.yaml`` (with the file's size, mtime and hash).
        ``touched``: only these segment ids changed (a review save) since the bytes whose sha256 is
        ``base`` (default: the ones indexed), the rest of the rows stay."""
        summary = json.dumps(summary_data if summary_data is not None else summarize(doc), ensure_ascii=False)
        if touched is not None:
            touched = list(touched)
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                self._keep_json(stem, sha, doc, touched, base)
                if touched is None:
                    self._delete_segs(stem)
                    items = [(i, 0, s) for i, s in enumerate(doc.segments)] + [(len(doc.segments) + i, 1, s) for i, s in enumerate(doc.orphans)]
                else:
                    ids = set(touched)
                    self._delete_segs(stem, ids)
                    items = [(i, 0, s) for i, s in enumerate(doc.segments) if s.id in ids] + [(len(doc.segments) + i, 1, s) for i, s in enumerate(doc.orphans) if s.id in ids]
                self._insert(stem, doc, items)
                self._conn.execute(
                    "INSERT INTO files (stem, size, mtime_ns, sha256, error, summary, version) VALUES (?,?,?,?,NULL,?,?) "
                    "ON CONFLICT(stem) DO UPDATE SET size=excluded.size, mtime_ns=excluded.mtime_ns, sha256=excluded.sha256, "
                    "error=NULL, summary=excluded.summary, version=excluded.version",
                    (stem, size, mtime_ns, sha, summary, self._tick()),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def saved(
        self, stem: str, doc: store.StoredDocument, path: Path, text: str | None, touched: Iterable[str] | None = None, *,
        sha: str | None = None, summary: dict[str, Any] | None = None, stat: tuple[int, int] | None = None, base: str | None = None,
    ) -> None:
        """A writer just saved ``doc`` (as ``text``, or bytes whose sha256 is ``sha``) into ``path``:
        record it without reading the file again. ``stat``: the file's (size, mtime_ns) right after
        that write (else it is read now: give it when recording later, so that a file changed
        since by someone else does not look indexed)."""
        if stat is None:
            try:
                st = path.stat()
            except OSError:
                return
            stat = (st.st_size, st.st_mtime_ns)
        digest = sha if sha is not None else hashlib.sha256((text or "").encode("utf-8")).hexdigest()
        self.put(stem, doc, stat[0], stat[1], digest, touched, summary, base)
        self._memory_after([stem])

    # ------------------------------------------------------------ the JSON copy of each document

    def _drop_json(self, stem: str) -> None:
        self._conn.execute("DELETE FROM docjson WHERE stem=?", (stem,))
        self._conn.execute("DELETE FROM docorder WHERE stem=?", (stem,))
        self._conn.execute("DELETE FROM docsegs WHERE stem=?", (stem,))

    def _keep_json(self, stem: str, sha: str, doc: store.StoredDocument, touched: list[str] | None = None, base: str | None = None) -> None:
        """The JSON copy of ``doc`` (the bytes whose sha256 is ``sha``), inside the caller's
        transaction: a head (the document's fields, its segment ids in order) and one row per
        segment. ``touched``: only these segments changed since ``base`` (else since the bytes the
        index has): their rows are written, the others kept — when the copy is of those bytes;
        else the copy is dropped (never a copy that is not of the file's current bytes)."""
        seg_json = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
        order = [s.id for s in doc.segments]
        orphan_order = [s.id for s in doc.orphans]
        shape = hashlib.sha1("\x00".join(order + ["\x01"] + orphan_order).encode("utf-8")).hexdigest()
        if touched is not None:
            row = self._conn.execute("SELECT d.sha256, f.sha256, d.shape FROM docjson d LEFT JOIN files f ON f.stem = d.stem WHERE d.stem=?", (stem,)).fetchone()
            if row is None or row[0] != (base if base is not None else row[1]):
                self._drop_json(stem)
                return
            ids = set(touched)
            self._conn.executemany("DELETE FROM docsegs WHERE stem=? AND kind IN (0, 1) AND id=?", [(stem, i) for i in ids])
            pick: Iterable[tuple[int, store.Segment]] = [(k, s) for k, group in ((0, doc.segments), (1, doc.orphans)) for s in group if s.id in ids]
        else:
            self._conn.execute("DELETE FROM docsegs WHERE stem=?", (stem,))
            pick = [(0, s) for s in doc.segments] + [(1, s) for s in doc.orphans]
        self._conn.executemany("INSERT OR REPLACE INTO docsegs (stem, kind, id, data) VALUES (?,?,?,?)", [(stem, k, s.id, seg_json(s.as_dict())) for k, s in pick])
        if touched is not None and row[2] == shape:  # the same segments in the same order: the head stays (a review save never changes the rest)
            self._conn.execute("UPDATE docjson SET sha256=? WHERE stem=?", (sha, stem))
            return
        self._conn.execute("INSERT OR REPLACE INTO docjson (stem, sha256, data, shape) VALUES (?,?,?,?)", (stem, sha, seg_json(doc.as_dict(segments=False)), shape))
        self._conn.execute("INSERT OR REPLACE INTO docorder (stem, data) VALUES (?,?)", (stem, seg_json([order, orphan_order])))

    def cached_doc(self, stem: str, sha: str, name: str) -> store.StoredDocument | None:
        """The parsed document whose file had this sha256, from the index's JSON copy (no YAML parse)."""
        with self._lock:
            row = self._conn.execute("SELECT data FROM docjson WHERE stem=? AND sha256=?", (stem, sha)).fetchone()
            if row is None:
                return None
            order_row = self._conn.execute("SELECT data FROM docorder WHERE stem=?", (stem,)).fetchone()
            segs = dict(self._conn.execute("SELECT id, data FROM docsegs WHERE stem=? AND kind=0", (stem,)).fetchall())
            orphans = dict(self._conn.execute("SELECT id, data FROM docsegs WHERE stem=? AND kind=1", (stem,)).fetchall())
        collect = gc.isenabled()
        gc.disable()  # thousands of new objects, no cycles: the collector would only re-scan them (~half the time)
        try:
            data = json.loads(row[0])
            order, orphan_order = json.loads(order_row[0])
            data["segments"] = json.loads("[" + ",".join([segs[i] for i in order]) + "]")
            data["orphans"] = json.loads("[" + ",".join([orphans[i] for i in orphan_order]) + "]")
            return store.from_copy(data, name)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        finally:
            if collect:
                gc.enable()

    def keep_doc(self, stem: str, sha: str, doc: store.StoredDocument) -> None:
        """Keep a JSON copy of a document just parsed from YAML (for the next process's cold open)."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                self._keep_json(stem, sha, doc)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    # ------------------------------------------------------------ reading

    def documents(self) -> list[DocEntry]:
        """Every indexed document, by stem (call :meth:`refresh` first to be current)."""
        with self._lock:
            rows = self._conn.execute("SELECT stem, error, summary, version FROM files ORDER BY stem").fetchall()
        return [DocEntry(stem, str(store.path_for(self.shown, stem)), err, json.loads(summ or "{}"), ver) for stem, err, summ, ver in rows]

    def versions(self) -> dict[str, int]:
        with self._lock:
            return {s: v for s, v in self._conn.execute("SELECT stem, version FROM files")}

    def file_state(self, stem: str) -> tuple[int, int, str] | None:
        with self._lock:
            row = self._conn.execute("SELECT size, mtime_ns, sha256 FROM files WHERE stem=? AND error IS NULL", (stem,)).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def reviewed(self, stems: Iterable[str] | None = None) -> list[tuple[str, str, str, str, str, str, str, str]]:
        """Edited and approved segments with English (orphans too): (stem, id, source, target,
        status, fold, source_lang, document), approved first, then by document and position."""
        sql = _REVIEWED.format(cols=_ROW)
        args: list[Any] = []
        if stems is not None:
            wanted = list(stems)
            if not wanted:
                return []
            sql += f" AND stem IN ({','.join('?' * len(wanted))})"
            args = wanted
        sql += " ORDER BY status = 'approved' DESC, stem, pos"
        if stems is None:
            # the whole memory (a second or so for 100,000 rows): on a connection of its own, a
            # WAL reader, so that saves meanwhile (which update the index) do not wait for it
            conn = self._reader()
            if conn is not None:
                try:
                    return conn.execute(sql, args).fetchall()
                except sqlite3.Error:
                    pass
                finally:
                    conn.close()
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def _reader(self) -> sqlite3.Connection | None:
        """A read-only connection of its own (a WAL reader: writers do not wait for it), or None."""
        if self._in_memory:
            return None
        try:
            return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10, check_same_thread=False, isolation_level=None)
        except sqlite3.Error:
            return None

    # ------------------------------------------------------------ the memory's search arrays

    def reviewed_snapshot(self) -> tuple[dict[str, int], list[tuple[Any, ...]]]:
        """Every document's version and :meth:`reviewed`'s rows, each with its rowid first, read
        in one transaction (the rows are those of exactly these versions)."""
        sql = _REVIEWED.format(cols="rowid, " + _ROW) + " ORDER BY status = 'approved' DESC, stem, pos"
        conn = self._reader()
        if conn is not None:
            try:
                conn.execute("BEGIN")
                versions = dict(conn.execute("SELECT stem, version FROM files").fetchall())
                rows = conn.execute(sql).fetchall()
                conn.execute("COMMIT")
                return versions, rows
            except sqlite3.Error:
                pass
            finally:
                conn.close()
        with self._lock:
            return dict(self._conn.execute("SELECT stem, version FROM files").fetchall()), self._conn.execute(sql).fetchall()

    def rows(self, rowids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
        """:meth:`reviewed`'s rows by rowid (a rowid is never used again: a row read is the row
        that had it, or there is none because its document changed since)."""
        wanted = list(rowids)
        out: dict[int, tuple[Any, ...]] = {}
        with self._lock:
            for i in range(0, len(wanted), 500):
                part = wanted[i : i + 500]
                sql = f"SELECT rowid, {_ROW} FROM segs WHERE rowid IN ({','.join('?' * len(part))})"
                out.update((r[0], r[1:]) for r in self._conn.execute(sql, part))
        return out

    def memory_snapshot(self) -> tuple[dict[str, int], dict[str, Any], dict[str, bytes]] | None:
        """The memory's search arrays kept by :meth:`build_memory`: the versions they were built
        from, their description and their BLOBs (None: none kept)."""
        def read(conn: sqlite3.Connection) -> tuple[Any, ...] | None:
            conn.execute("BEGIN")  # the description and the BLOBs of one build
            try:
                row = conn.execute("SELECT stamp, meta FROM memory WHERE k = 1").fetchone()
                return None if row is None else (*row, dict(conn.execute("SELECT name, data FROM memblobs").fetchall()))
            finally:
                conn.execute("COMMIT")

        conn = self._reader()
        try:
            if conn is not None:
                got = read(conn)
            else:
                with self._lock:
                    got = read(self._conn)
            if got is None:
                return None
            return json.loads(got[0]), json.loads(got[1]), got[2]
        except (sqlite3.Error, ValueError):
            return None
        finally:
            if conn is not None:
                conn.close()

    def build_memory(self) -> tuple[dict[str, int], Any, list[tuple[Any, ...]]]:
        """Build the memory's search arrays from the reviewed rows and keep them in the index:
        (the versions they are of, the :class:`workbench.memory_arrays.Arrays`, the rows)."""
        from workbench import memory_arrays

        versions, rows = self.reviewed_snapshot()
        arrays = memory_arrays.build([r[0] for r in rows], [r[1] for r in rows], [r[6].replace(memory_arrays.SEP, " ") for r in rows])
        blobs = arrays.blobs()
        try:
            with self._lock:
                self._conn.execute("BEGIN")
                try:
                    self._conn.execute("DELETE FROM memblobs")
                    self._conn.executemany("INSERT INTO memblobs (name, data) VALUES (?, ?)", list(blobs.items()))
                    self._conn.execute("INSERT OR REPLACE INTO memory (k, stamp, meta) VALUES (1, ?, ?)", (json.dumps(versions), json.dumps(arrays.meta(), ensure_ascii=False)))
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
        except sqlite3.Error:  # a cache: built again next time
            pass
        return versions, arrays, rows

    def memory_due(self) -> bool:
        """Are the kept search arrays missing, or so far behind the documents (see
        :func:`rebuild_due`) that they should be built again?"""
        with self._lock:
            row = self._conn.execute("SELECT stamp, meta FROM memory WHERE k = 1").fetchone()
            if row is None:
                return self._conn.execute(_REVIEWED.format(cols="count(*)")).fetchone()[0] > 0
            files = self._conn.execute("SELECT stem, version, summary FROM files").fetchall()
        try:
            stamp, meta = json.loads(row[0]), json.loads(row[1])
            # the reviewed segments of the documents changed since, as their summaries count them
            extra = 0
            for stem, version, summary in files:
                if stamp.get(stem) != version:
                    s = json.loads(summary or "{}")
                    counts = s.get("counts") or {}
                    extra += int(counts.get("edited", 0)) + int(counts.get("approved", 0)) + int(s.get("orphans", 0))
        except (ValueError, TypeError, AttributeError):
            return True
        return rebuild_due(extra, int(meta.get("n", 0)))

    def _memory_after(self, changed: list[str]) -> None:
        """After a refresh that changed documents: build the memory's arrays again if due (in a
        thread of its own for a review server: its requests do not wait)."""
        try:
            if not self.memory_due():
                return
        except sqlite3.Error:
            return
        if str(self.out_dir) not in _BACKGROUND:
            self.build_memory()
            return
        with self._lock:
            if self.building:
                return
            self.building = True

        def run() -> None:
            try:
                self.build_memory()
            except Exception:  # a cache (and the index may be gone meanwhile)
                pass
            finally:
                self.building = False

        threading.Thread(target=run, daemon=True, name="workbench-memory-build").start()

    def search(self, query: str, where: str = "both", limit: int = 200, stems: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Segments whose source and/or target contain ``query`` (folded; Chinese by characters)."""
        q = fts_query(query)
        if q == '""':
            return []
        column = {"source": "src", "target": "tgt"}.get(where)
        match = f"{column} : {q}" if column else q
        sql = ("SELECT s.stem, s.id, s.pos, s.orphan, s.status, s.source, s.target, s.source_lang, s.document "
               "FROM fts JOIN segs s ON s.rowid = fts.rowid WHERE fts MATCH ?")
        args: list[Any] = [match]
        if stems is not None:
            wanted = list(stems)
            sql += f" AND s.stem IN ({','.join('?' * len(wanted))})"
            args += wanted
        sql += " ORDER BY s.stem, s.pos LIMIT ?"
        args.append(limit)
        keys = ("stem", "id", "pos", "orphan", "status", "source", "target", "source_lang", "document")
        with self._lock:
            try:
                rows = self._conn.execute(sql, args).fetchall()
            except sqlite3.OperationalError:  # a query FTS cannot parse: no match, not a crash
                return []
        return [dict(zip(keys, r)) for r in rows]


def rebuild_due(extra: int, base: int) -> bool:
    """Should search arrays over ``base`` entries be built again, ``extra`` entries having
    changed since (those are scored one by one beside them until then)?"""
    return extra > max(2000, base // 5)


_OPEN: dict[str, Index] = {}
_OPEN_LOCK = threading.Lock()
#: translations directories whose memory builds run in a thread: how many review servers say so
_BACKGROUND: dict[str, int] = {}


def build_in_background(out_dir: Path, on: bool = True) -> None:
    """Make the memory builds a refresh or a save in ``out_dir`` makes due run in a thread (a
    review server, while it runs: ``on=False`` when it stops)."""
    key = str(out_dir.resolve())
    with _OPEN_LOCK:
        n = _BACKGROUND.get(key, 0) + (1 if on else -1)
        if n > 0:
            _BACKGROUND[key] = n
        else:
            _BACKGROUND.pop(key, None)


def open_index(out_dir: Path, refresh: bool = True) -> Index:
    """The index of ``out_dir`` (one per process and directory), refreshed unless told not to."""
    if not out_dir.is_dir():
        raise StoreError(f"{out_dir}: no translations directory; run `workbench translate` first")
    key = str(out_dir.resolve())
    with _OPEN_LOCK:
        idx = _OPEN.get(key)
        if idx is None or not idx.path.exists():
            if idx is not None:
                idx.close()
            idx = _OPEN[key] = Index(out_dir)
    if refresh:
        idx.refresh()
    return idx


def forget(out_dir: Path) -> None:
    """Close this process's handle on ``out_dir``'s index (tests; before deleting it)."""
    with _OPEN_LOCK:
        idx = _OPEN.pop(str(out_dir.resolve()), None)
    if idx is not None:
        idx.close()
