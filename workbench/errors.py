"""The library's exceptions. The library raises these and never exits; only
``workbench.cli`` turns them into one-line messages and exit codes.

Every message is one line and, where there is one, says how to fix the problem.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code = 1


class InputError(WorkbenchError):
    """A document cannot be read: missing, not text, undecodable, empty."""

    exit_code = 2


class GlossaryError(WorkbenchError):
    """The glossary file is malformed or inconsistent."""

    exit_code = 3


class StoreError(WorkbenchError):
    """A file in translations/ is unreadable or was edited into an invalid state."""

    exit_code = 4


class ModelError(WorkbenchError):
    """An Argos model package is missing, malformed or cannot be downloaded."""

    exit_code = 5


class EngineError(WorkbenchError):
    """A translation engine failed or is not available for a language pair."""

    exit_code = 6


class LockError(WorkbenchError):
    """Another workbench process holds the project lock."""

    exit_code = 7


class FileAccessError(WorkbenchError, OSError):
    """The operating system refused to read or write a file: disk full, read-only, no permission
    (still an ``OSError``, for callers that catch those)."""

    exit_code = 8


def describe_os_error(exc: OSError, path: object = None) -> str:
    """One line for an ``OSError``: the path, what went wrong in words, and the fix.

    ``path`` names the file when the error itself does not (a failed ``write`` or ``fsync`` has
    no file name). A temporary file of an atomic write is reported as its directory, the place
    the user can do something about.
    """
    import errno as _errno
    import os as _os

    name = exc.filename if exc.filename is not None else path
    where = str(name) if name is not None else "a file"
    base = _os.path.basename(where)
    if base.startswith(".") and base.endswith((".tmp", ".part")):  # our temporary file: name what it was for
        where = str(path) if path is not None else (_os.path.dirname(where) or ".")
    directory = _os.path.dirname(where) or "."
    code = exc.errno
    if code == _errno.ENOSPC:
        return f"{where}: the disk is full (no space left on device); free some space and run the command again (files already there were left as they were)"
    if code == _errno.EDQUOT:
        return f"{where}: your disk quota is used up; free some space and run the command again (files already there were left as they were)"
    if code == _errno.EROFS:
        return f"{where}: the file system is read-only; work on a writable copy of the project (files were left as they were)"
    if code in (_errno.EACCES, _errno.EPERM):
        return f"{where}: permission denied; check that you may read and write it and its directory {directory} (e.g. chmod u+rw) and run the command again (files were left as they were)"
    if code == _errno.ENOENT:
        return f"{where}: no such file or directory; check the path"
    if code == _errno.EISDIR:
        return f"{where}: is a directory; give a file"
    if code == _errno.ENOTDIR:
        return f"{where}: a part of the path is not a directory; check the path"
    if code == _errno.ENAMETOOLONG:
        return f"{where}: the file name is too long; use a shorter name"
    if code in (_errno.EMFILE, _errno.ENFILE):
        return f"{where}: too many open files; close other programs or raise the limit (ulimit -n) and run again"
    if code == _errno.EPIPE:
        return "the output was closed before everything was written (broken pipe); files were left as they were"
    if code == _errno.EIO:
        return f"{where}: input/output error (the disk or network share failed); check the device and run again (files were left as they were)"
    reason = exc.strerror or type(exc).__name__
    return f"{where}: {reason}; check the file and its directory and run the command again"
