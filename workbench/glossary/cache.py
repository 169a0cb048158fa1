"""The glossary's on-disk cache: a parsed, validated glossary and its compiled matchers.

A glossary file is parsed and validated once; the result (its terms and match-key index) and
each language family's leftmost-longest automaton (daachorse, serialised) are kept in
``$XDG_CACHE_HOME/workbench/glossary/`` (default ``~/.cache/workbench/glossary/``), keyed by
the SHA-256 of the file's bytes and of the code that parses and folds it, so any change to the
file, or to the workbench's glossary code, is a new key.  A 100k-term glossary then loads in a
fraction of a second instead of several seconds.

The cache is an optimisation only: an unreadable, corrupt or stale entry is ignored (the file is
parsed again), and a read-only or full disk just means no cache.  ``WORKBENCH_NO_CACHE=1``
turns it off.  Only the most recent entries are kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

#: Bump when the cached payload's layout changes.
_FORMAT = 3
#: How many glossary versions are kept (each with up to three automata).
KEEP = 6
_CODE_STAMP: bytes | None = None


def _code_stamp() -> bytes:
    """A digest of the modules whose code decides what a glossary file parses and folds to (and the
    lexicon's, which derives the tables kept beside it: :func:`save_extra`)."""
    global _CODE_STAMP
    if _CODE_STAMP is None:
        h = hashlib.sha256(f"format {_FORMAT}".encode())
        here = Path(__file__).parent
        for name in ("core.py", "model.py", "normalize.py", "text.py", "lexicon.py"):
            try:
                h.update((here / name).read_bytes())
            except OSError:  # pragma: no cover - an installed package always has them
                h.update(name.encode())
        _CODE_STAMP = h.digest()
    return _CODE_STAMP


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("WORKBENCH_NO_CACHE", "").strip() not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "workbench" / "glossary"


def key_for(data: bytes) -> str:
    """The cache key of a glossary file's bytes (with the code that reads them)."""
    return hashlib.sha256(_code_stamp() + data).hexdigest()[:32]


def key_for_scoped(key: str, scopes: tuple[str, ...]) -> str:
    """The cache key of a glossary file's entries narrowed to ``scopes`` (``Glossary.scoped``)."""
    return hashlib.sha256(f"{key}\0scope\0{'+'.join(scopes)}".encode()).hexdigest()[:32]


def _path(key: str, suffix: str) -> Path | None:
    d = cache_dir()
    return None if d is None else d / f"{key}{suffix}"


def load(key: str) -> Any | None:
    """The cached payload of this key, or None (missing, unreadable or corrupt)."""
    p = _path(key, ".pickle")
    if p is None:
        return None
    try:
        data = p.read_bytes()
    except OSError:
        return None
    try:
        payload = pickle.loads(data)  # our own cache folder, written by save()
    except Exception:  # noqa: BLE001 - any corrupt or stale pickle means: parse again
        return None
    if not (isinstance(payload, dict) and payload.get("format") == _FORMAT):
        return None
    return payload


def save(key: str, payload: dict[str, Any]) -> None:
    """Store the payload (best effort) and drop the oldest entries."""
    p = _path(key, ".pickle")
    if p is None:
        return
    _write(p, pickle.dumps({**payload, "format": _FORMAT}, protocol=pickle.HIGHEST_PROTOCOL))
    _prune(p.parent)


def load_family(key: str, family: str) -> dict[str, int] | None:
    """A family's match keys (match key -> term index), or None."""
    got = _load_pickle(_path(key, f".{family}.keys"))
    return got if isinstance(got, dict) else None


def load_pattern_info(key: str, family: str) -> tuple | None:
    """A family's automaton's (values, plain, longest), or None."""
    got = _load_pickle(_path(key, f".{family}.pre"))
    return got if isinstance(got, tuple) and len(got) == 3 and isinstance(got[0], list) else None


def save_family(key: str, family: str, keys: dict[str, int], pattern_info: tuple) -> None:
    for suffix, data in ((".keys", keys), (".pre", pattern_info)):
        p = _path(key, f".{family}{suffix}")
        if p is not None:
            _write(p, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def _load_pickle(p: Path | None) -> Any:
    if p is None:
        return None
    try:
        return pickle.loads(p.read_bytes())  # our own cache folder
    except Exception:  # noqa: BLE001 - missing or corrupt: the caller builds it again
        return None


def load_automaton(key: str, family: str) -> bytes | None:
    p = _path(key, f".{family}.daac")
    if p is None:
        return None
    try:
        return p.read_bytes()
    except OSError:
        return None


def save_automaton(key: str, family: str, blob: bytes) -> None:
    p = _path(key, f".{family}.daac")
    if p is not None:
        _write(p, blob)


def load_extra(key: str, name: str) -> Any:
    """A derived table kept beside a glossary's entry (``name``: what it is and what it was made
    from, e.g. the lexicon's stamp), or None."""
    return _load_pickle(_path(key, f".{name}.extra"))


def save_extra(key: str, name: str, data: Any) -> None:
    p = _path(key, f".{name}.extra")
    if p is not None:
        _write(p, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def _write(p: Path, data: bytes) -> None:
    from workbench.errors import FileAccessError
    from workbench.files import atomic_write_bytes

    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(p, data)
    except (OSError, FileAccessError):  # a read-only or full disk: no cache this time
        pass


def _prune(d: Path) -> None:
    """Keep the KEEP most recently written glossary versions."""
    try:
        entries = sorted(d.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in entries[KEEP:]:
        key = old.name.split(".", 1)[0]
        for f in d.glob(f"{key}.*"):
            try:
                f.unlink()
            except OSError:
                pass
