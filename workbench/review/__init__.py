"""Review: show, approve, edit, revert, split and merge segments of a translations file, move
a sentence of the English to the neighbouring segment, and look up the translation memory
formed by reviewed work.

    opened = open_doc(Path("translations"), "000_093349a39d32f8f2")
    change = edit(Path("translations"), "000_093349a39d32f8f2", opened.doc.segments[0].id,
                  "Letter dated 25 March 2021 ...", expected_digest=opened.digest)
    change.digest  # sha256 of the file now on disk; send it with the next change

Every change loads the file (a parse is reused while the file's bytes are unchanged), checks
that it is still the version the caller saw (``expected_digest``, the sha256 of its bytes; a
mismatch raises a ``StoreError`` starting with ``stale:``), applies the change, recomputes the
touched segments' glossary terms and QA flags, appends to each touched segment's ``history``
(old and new English and status, who — ``who``, else $WORKBENCH_REVIEWER, else the OS user —
and when), saves atomically and durably (re-dumping only the touched segments; the others'
YAML is the file's own text) and updates the project
index — all under a short per-file lock ``translations/.locks/<stem>.lock``. Inside
:func:`index_later` the index update is handed back to run later instead (the review server
replies once the file is saved, then updates the index under the document's lock).

Nothing a person did is lost: :func:`undo` restores the version before the last change (a
split is joined again, a merge split again); changes that replace an edited or approved
English (revert, merge, split of an approved segment, reattaching an orphan over one) raise
:class:`ConfirmError` saying what would be lost unless ``force=True``.

Translation memory (:mod:`workbench.memory`): edited and approved segments of every document,
read from the project index; :func:`fuzzy` finds the closest reviewed sources (rapidfuzz
similarity ≥ 0.75 by default) with the differences marked.

The package, imports going one way: :mod:`~workbench.review.opening` (names, the parsed-file
cache, locks, one segment's glossary hits and QA) <- :mod:`~workbench.review.apply` (how a
change is checked, recorded and saved) <- :mod:`~workbench.review.actions` (the changes);
:mod:`~workbench.review.show` (memory, views, selection) reads through ``opening`` only.
"""

from __future__ import annotations

from typing import Any

from workbench.review.actions import (
    add_note,
    approve,
    discard_orphan,
    dismiss_flag,
    edit,
    merge,
    move_sentence,
    reattach,
    replace_all,
    revert,
    split,
    undo,
)
from workbench.review.apply import HISTORY_LIMIT, STRUCTURAL, Change, ConfirmError, index_later, reviewer
from workbench.review.opening import (
    LOCK_DIR,
    LOCK_TIMEOUT,
    Opened,
    check_text,
    engine_is_mt,
    file_lock,
    find_segment,
    hits_and_candidates,
    hits_for,
    load_glossary,
    lock_path,
    open_doc,
    open_path,
    path_of,
    prime,
    recheck,
    stem_of,
    target_spans,
    view_doc,
)
from workbench.review.show import flag_kinds, fuzzy, memory, memory_entries, memory_errors, segment_view, select
from workbench.review.actions import _last_undoable  # noqa: F401  (the page asks whether undo can act)

__all__ = [
    "HISTORY_LIMIT", "LOCK_DIR", "LOCK_TIMEOUT", "STRUCTURAL", "Change", "ConfirmError", "Opened", "add_note", "approve",
    "check_text", "discard_orphan", "dismiss_flag", "edit", "engine_is_mt", "file_lock", "find_segment", "flag_kinds",
    "fuzzy", "hits_and_candidates", "hits_for", "index_later", "load_glossary", "lock_path", "memory", "memory_entries", "memory_errors",
    "merge", "move_sentence", "open_doc", "open_path", "path_of", "prime", "reattach", "recheck", "replace_all", "revert",
    "reviewer", "segment_view", "select", "split", "stem_of", "target_spans", "undo", "view_doc",
]


def __getattr__(name: str) -> Any:  # FuzzyMatch, MemoryEntry, diff_chunks, fuzzy_in: re-exported, imported when asked
    if name in ("FuzzyMatch", "MemoryEntry", "diff_chunks", "fuzzy_in"):
        from workbench import memory as _memory

        return getattr(_memory, name)
    raise AttributeError(name)
