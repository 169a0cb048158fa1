"""What a translate run needs from the review side, without importing the review code:
the per-file lock every writer of ``translations/<stem>.yaml`` takes, and the reviewed
translations of the project (translation memory, from the index).

``workbench.review`` re-exports all of these; ``workbench.translate`` imports this module
only, so a translate run loads none of the review page's code.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from workbench.errors import StoreError

LOCK_TIMEOUT = 10.0  # seconds; a change is a load + save, so this only waits out another change
#: Per-file locks live in their own hidden directory, so no document name (``workbench.txt``
#: included) can collide with a lock, the project lock ``.workbench.lock`` among them.
LOCK_DIR = ".locks"


def lock_path(out_dir: Path, stem: str) -> Path:
    """The lock file guarding ``translations/<stem>.yaml`` (created with its directory)."""
    directory = out_dir / LOCK_DIR
    directory.mkdir(exist_ok=True)
    return directory / f"{stem}.lock"


@contextmanager
def file_lock(out_dir: Path, stem: str) -> Iterator[None]:
    """The short per-file lock every writer of ``translations/<stem>.yaml`` takes around load-check-save."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(out_dir, stem)), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise StoreError(f"{out_dir / (stem + '.yaml')}: another change is being saved (lock {lock.lock_file}); try again") from None
    try:
        yield
    finally:
        lock.release()


def memory_errors(out_dir: Path) -> list[str]:
    """The translations files the memory could not read (one line each)."""
    from workbench.index import open_index

    return [e.error for e in open_index(out_dir).documents() if e.error is not None]


def memory(out_dir: Path, strict: bool = True) -> dict[str, str]:
    """Source sentence -> reviewed English, across all documents (approved wins over edited), from the index."""
    if not out_dir.is_dir():
        return {}
    from workbench.index import open_index

    idx = open_index(out_dir)
    if strict and (errors := memory_errors(out_dir)):
        raise StoreError(errors[0])
    out: dict[str, str] = {}
    for _stem, _sid, source, target, _status, _f, _l, _d in idx.reviewed():
        out.setdefault(source, target)
    return out
