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
