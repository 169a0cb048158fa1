"""Writing files people keep: atomic, durable, with the permissions they expect; CSV cells that
spreadsheets cannot run.

    atomic_write_text(path, text)     # readers see the old or the new file, never half of one
    csv_cell("=HYPERLINK(...)")       # -> "'=HYPERLINK(...)"

The mode of a written file is the existing file's, or for a new file what the user's umask
gives (0644 under the usual 022), never mkstemp's 0600.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_umask()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file + ``os.replace``) and durably (fsync),
    keeping the existing file's mode (or the umask's for a new file).

    A refusal by the operating system (disk full, read-only, no permission) is a
    :class:`~workbench.errors.FileAccessError` naming ``path``; the old file is left as it was.
    """
    try:
        _atomic_write_bytes(path, data)
    except OSError as exc:
        from workbench.errors import FileAccessError, describe_os_error

        raise FileAccessError(describe_os_error(exc, path)) from None


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:  # pragma: no cover - e.g. a file system without directory fsync
        pass


def atomic_write_text(path: Path, text: str) -> None:
    """:func:`atomic_write_bytes` of ``text`` as UTF-8, newlines as given."""
    atomic_write_bytes(path, text.encode("utf-8"))


#: OWASP's CSV injection rule: a cell starting with one of these is read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a ``'`` before it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
