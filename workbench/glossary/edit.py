"""Glossary edits (add, edit, remove, validate) that keep the curator's file as written.

    from workbench.glossary import edit as ga, check
    change = ga.add_term(Path("glossary.yaml"), {"en": "confidence-building measures", "zh": ["建立信任措施"]})
    impact = check.impact(change.old, change.new, Path("translations"))
    print(impact.message())

Writing ``glossary.yaml`` keeps the curator's file as it is: the file is parsed
with ruamel.yaml (round trip) only to *locate* entries and to *render* the one
entry that changes; every byte outside that entry (the schema comment block,
section comments, blank lines, quoting, flow-style lists ``[a, b]``) is copied
from the original text.  The new content is validated with
:class:`workbench.glossary.Glossary` before anything is written, so a conflict
(one source variant mapped to two English terms) or an invalid entry is refused
and the file is left untouched.  Writes are atomic.

The library raises :class:`workbench.errors.GlossaryError` (one line, says how to
fix) and never prints or exits; ``workbench.cli.glossary`` does the printing.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import difflib
import io
import re
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml
from typing import Any

from workbench import store
from workbench.errors import GlossaryError, LockError
from workbench.glossary import splice
from workbench.glossary.core import Glossary
from workbench.glossary.model import Term, _clean_variant, _slug
from workbench.glossary.normalize import match_key


__all__ = [
    "DEFAULT_GLOSSARY",
    "Change",
    "add_term",
    "apply_change",
    "edit_term",
    "remove_term",
    "resolve_term",
    "validate",
    "term_to_entry",
]

DEFAULT_GLOSSARY = Path("glossary.yaml")
KNOWN_DOMAINS = (
    "un-system", "security", "regional", "title", "development", "human-rights", "geography", "document", "health",
)
_SOURCE_FAMS = ("zh", "vi")
_ENTRY_ORDER = ("en", "zh", "vi", "en_variants", "note", "domain")


# --------------------------------------------------------------------------
# Plain entries
# --------------------------------------------------------------------------


def term_to_entry(term: Term) -> dict[str, Any]:
    """A term as a plain entry dict: en, zh, vi, en_variants (lists), note, domain."""
    return {
        "en": term.en,
        "zh": list(term.variants["zh"]),
        "vi": list(term.variants["vi"]),
        "en_variants": list(term.en_variants),
        "note": term.note,
        "domain": term.domain,
    }


def _norm_entry(e: dict[str, Any]) -> dict[str, Any]:
    """Clean a plain entry (NFC, collapsed spaces, de-duplicated lists, None for empty)."""

    def lst(v: Any) -> list[str]:
        if v is None:
            return []
        items = [v] if isinstance(v, str) else list(v)
        out: list[str] = []
        for x in items:
            c = _clean_variant(str(x))
            if c and c not in out:
                out.append(c)
        return out

    en = _clean_variant(str(e.get("en") or ""))
    note = e.get("note")
    domain = e.get("domain")
    out = {
        "en": en,
        "zh": lst(e.get("zh")),
        "vi": lst(e.get("vi")),
        "en_variants": [v for v in lst(e.get("en_variants")) if v != en],
        "note": note.strip() if isinstance(note, str) and note.strip() else None,
        "domain": domain.strip() if isinstance(domain, str) and domain.strip() else None,
    }
    for key in ("deprecated", "forbidden"):  # a TBX file's deprecated/forbidden English forms (new entries keep them)
        forms = [v for v in lst(e.get(key)) if v != en]
        if forms:
            out[key] = forms
    return out


def _forms(e: dict[str, Any], fam: str) -> list[str]:
    """The strings of entry ``e`` that the glossary matches in language family ``fam``."""
    en_forms = [e["en"], *e.get("en_variants", [])]
    return en_forms if fam == "en" else [*e.get(fam, []), *en_forms]


def _find_conflict(entries: list[tuple[dict[str, Any], str]]) -> str | None:
    """The first variant mapped to two different entries, as a one-line explanation (or None)."""
    for fam in ("zh", "vi", "en"):
        seen: dict[str, tuple[int, str, str]] = {}
        for i, (e, label) in enumerate(entries):
            for v in _forms(e, fam):
                k = match_key(_clean_variant(v), fam)
                prev = seen.get(k)
                if prev is None:
                    seen[k] = (i, v, label)
                elif prev[0] != i and _slug(entries[prev[0]][0]["en"]) != _slug(e["en"]):
                    other = entries[prev[0]][0]
                    return (
                        f"conflict: {v!r} would map to {e['en']!r} ({label}) but {prev[1]!r} already maps to "
                        f"{other['en']!r} ({prev[2]}); a source variant can map to one English term only — "
                        f"remove it from one entry first (workbench glossary edit {_slug(other['en'])} --remove-{_fam_opt(other, prev[1])} {prev[1]!r})"
                    )
    return None


def _conflict(g: Glossary, e: dict[str, Any], label: str, path: Path, skip: int | None = None) -> str | None:
    """:func:`_find_conflict` of the glossary's entries (but entry ``skip``) and ``e``, from the
    glossary's own match-key index: the same answer without folding every variant again."""
    special = [i for i, t in enumerate(g.terms) if t.case_sensitive and i != skip]  # their English is not in the index
    for fam in ("zh", "vi", "en"):
        index = g._keys[fam]  # noqa: SLF001 - the same folded keys _find_conflict computes
        extra: dict[str, int] = {}
        for i in special:
            for v in g.terms[i].variants["en"]:
                extra.setdefault(match_key(_clean_variant(v), fam), i)
        for v in _forms(e, fam):
            k = match_key(_clean_variant(v), fam)
            owners = [x for x in (index.get(k), extra.get(k)) if x is not None and x != skip]
            if not owners:
                continue
            ti = min(owners)
            other_t = g.terms[ti]
            other = term_to_entry(other_t)
            if _slug(other["en"]) == _slug(e["en"]):
                continue
            prev = next((x for x in _forms(other, fam) if match_key(_clean_variant(x), fam) == k), v)
            return (
                f"conflict: {v!r} would map to {e['en']!r} ({label}) but {prev!r} already maps to "
                f"{other['en']!r} ({path} line {other_t.line}); a source variant can map to one English term only — "
                f"remove it from one entry first (workbench glossary edit {_slug(other['en'])} --remove-{_fam_opt(other, prev)} {prev!r})"
            )
    return None


def _fam_opt(e: dict[str, Any], v: str) -> str:
    if v in e.get("zh", []):
        return "zh"
    if v in e.get("vi", []):
        return "vi"
    return "en-variant"


# --------------------------------------------------------------------------
# Round-trip YAML file
# --------------------------------------------------------------------------


def _yaml(seq_indent: int = 4, offset: int = 2) -> Any:
    try:
        from ruamel.yaml import YAML
    except ImportError:  # pragma: no cover - dependency missing
        raise GlossaryError("editing the glossary needs ruamel.yaml; install it with: pip install ruamel.yaml") from None
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1_000_000
    y.indent(mapping=2, sequence=seq_indent, offset=offset)
    return y


@dataclass
class _Span:
    start: int  # first line (0-based) of the entry ("  - en: ...")
    body_end: int  # one past its last content line
    end: int  # one past its region (trailing blank lines and comments belong to the gap)


class _GlossaryText:
    """``glossary.yaml`` as text plus the line spans of its ``terms`` entries."""

    def __init__(self, path: Path, text: str, glossary: Glossary, fast: bool = False) -> None:
        self.path = path
        self.text = text
        self.glossary = glossary
        self.lines = text.splitlines(keepends=True)
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        #: Entries located from the glossary's line numbers (no ruamel parse of the whole file).
        self.layout = splice.locate(self.lines, glossary) if fast and splice.plain_breaks(text) else None
        if self.layout is not None:
            lay = self.layout
            self.data = self.terms = None
            self.seq_indent, self.offset = lay.seq_indent, lay.offset
            self.spans = [_Span(*sp) for sp in lay.spans]
            self.terms_end, self.terms_line = lay.terms_end, lay.terms_line
            return
        y = _yaml()
        try:
            self.data = y.load(text)
        except Exception as exc:  # pragma: no cover - Glossary.load already parsed it
            raise GlossaryError(f"{path}: cannot parse for editing: {' '.join(str(exc).split())}; fix the YAML") from None
        terms = self.data.get("terms") if hasattr(self.data, "get") else None
        if terms is None:
            terms = None
        self.terms = terms
        if terms is not None and getattr(terms, "fa", None) is not None and terms.fa.flow_style():
            raise GlossaryError(f"{path}: 'terms' is written as a flow list [...]; write it as a block list ('- en: ...') to edit it with workbench")
        self.seq_indent, self.offset = 4, 2
        self.spans: list[_Span] = []
        self.terms_end = len(self.lines)
        self.terms_line = None
        keys = list(self.data.keys()) if hasattr(self.data, "keys") else []
        if "terms" in keys:
            self.terms_line = self.data.lc.key("terms")[0]
            later = [self.data.lc.key(k)[0] for k in keys if self.data.lc.key(k)[0] > self.terms_line]
            if later:
                self.terms_end = min(later)
                while self.terms_end > 0 and self._gap_line(self.terms_end - 1) and self.terms_end - 1 > self.terms_line:
                    self.terms_end -= 1
        if terms:
            starts = []
            for i in range(len(terms)):
                line, col = terms.lc.item(i)
                # "- en:" normally; a lone "-" line before the mapping is also valid YAML
                if "-" not in self.lines[line][:col]:
                    j = line - 1
                    while j > 0 and self._gap_line(j):
                        j -= 1
                    line = j
                starts.append(line)
            first_line, first_col = terms.lc.item(0)
            dash = self.lines[starts[0]].find("-")
            if dash >= 0 and starts[0] == first_line and first_col >= dash + 2:
                self.offset, self.seq_indent = dash, first_col  # columns of "-" and of "en:"
            for i, s in enumerate(starts):
                end = starts[i + 1] if i + 1 < len(starts) else self.terms_end
                b = end
                while b > s + 1 and self._gap_line(b - 1):
                    b -= 1
                self.spans.append(_Span(s, b, end))

    def _gap_line(self, i: int) -> bool:
        s = self.lines[i].strip()
        return not s or s.startswith("#")

    # -- rendering -------------------------------------------------------------

    def render(self, cmap: Any) -> str:
        """YAML text of one entry, indented as in this file, without trailing gap comments."""
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        _strip_trailing_comments(cmap)
        y = _yaml(self.seq_indent, self.offset)
        seq = CommentedSeq([cmap])
        doc = CommentedMap([("terms", seq)])
        buf = io.StringIO()
        y.dump(doc, buf)
        out = buf.getvalue().split("\n", 1)[1].replace("\r\n", "\n")  # a CRLF file's comments keep their \r
        if self.newline != "\n":
            out = out.replace("\n", self.newline)
        return out

    def entry_map(self, index: int) -> Any:
        if self.layout is None:
            return self.terms[index]
        sp = self.spans[index]  # parse this entry's lines only
        try:
            return _yaml().load("".join(self.lines[sp.start : sp.body_end]))[0]
        except Exception as exc:  # pragma: no cover - Glossary.load parsed it
            raise GlossaryError(f"{self.path}: cannot parse the entry at line {sp.start + 1} for editing: {' '.join(str(exc).split())}") from None

    def new_map(self, entry: dict[str, Any]) -> Any:
        from ruamel.yaml.comments import CommentedMap
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        flow = self._flow_lists()
        m = CommentedMap()
        m["en"] = _safe(entry["en"])
        for k in ("zh", "vi", "en_variants", "deprecated", "forbidden"):
            if entry.get(k):
                m[k] = _seq(entry[k], flow)
        if entry.get("note"):
            m["note"] = DoubleQuotedScalarString(entry["note"])
        if entry.get("domain"):
            m["domain"] = _safe(entry["domain"])
        return m

    def _flow_lists(self) -> bool:
        from ruamel.yaml.comments import CommentedSeq

        if self.layout is not None:
            return splice.flow_lists(self.lines, self.layout)
        flow = block = 0
        for e in self.terms or []:
            for v in e.values() if hasattr(e, "values") else []:
                if isinstance(v, CommentedSeq):
                    if v.fa.flow_style():
                        flow += 1
                    else:
                        block += 1
        return flow >= block

    def _blank_between(self) -> bool:
        """Are entries separated by blank lines in this file?"""
        if len(self.spans) < 2:
            return True
        gaps = [any(not self.lines[j].strip() for j in range(sp.body_end, sp.end)) for sp in self.spans[:-1]]
        return sum(gaps) * 2 >= len(gaps)

    # -- edits (each returns the complete new text) -------------------------------

    def replaced(self, index: int, rendered: str) -> str:
        sp = self.spans[index]
        return "".join(self.lines[: sp.start]) + rendered + "".join(self.lines[sp.body_end :])

    def inserted(self, rendered: str, after: int | None = None) -> str:
        """The text with a new entry after entry ``after`` (default: the last one)."""
        sep = self.newline if self._blank_between() else ""
        if self.terms_line is None:
            # no 'terms:' key at all: add one at the end
            text = "".join(self.lines)
            if text and not text.endswith("\n"):
                text += self.newline
            return text + "terms:" + self.newline + rendered
        if not self.spans:
            # 'terms:' or 'terms: []' with no entries: put the list right after the key
            line = self.lines[self.terms_line]
            head = re.sub(r"(terms\s*:).*", r"\1", line.rstrip("\r\n")) + self.newline
            return "".join(self.lines[: self.terms_line]) + head + rendered + "".join(self.lines[self.terms_line + 1 :])
        i = len(self.spans) - 1 if after is None else after
        sp = self.spans[i]
        body = "".join(self.lines[: sp.body_end])
        if not body.endswith("\n"):
            body += self.newline
        return body + sep + rendered + "".join(self.lines[sp.body_end :])

    def removed(self, index: int) -> str:
        """The text without entry ``index``: its lines and the blank lines right after it
        go; comments in the gap (a section heading) stay."""
        sp = self.spans[index]
        lines = self.lines
        if len(self.spans) == 1 and self.terms_line is not None:
            line = lines[self.terms_line]
            head = re.sub(r"(terms\s*:).*", r"\1 []", line.rstrip("\r\n")) + self.newline
            return "".join(lines[: self.terms_line]) + head + "".join(lines[sp.end :])
        start, end = sp.start, sp.body_end
        while end < sp.end and not lines[end].strip():
            end += 1
        if end == sp.end and index == len(self.spans) - 1 and index > 0:
            # the last entry: drop the blank lines that separated it instead, keep the file's ending
            end = sp.body_end
            prev = self.spans[index - 1]
            while start > prev.body_end and not lines[start - 1].strip():
                start -= 1
        return "".join(lines[:start]) + "".join(lines[end:])


def _safe(value: str) -> Any:
    """A string as a YAML scalar that every loader reads back as the same string.

    ruamel writes YAML 1.2, where ``no``/``On``/``~``/``1e3`` are plain strings, but the
    glossary is read with PyYAML (YAML 1.1), where they are booleans, null or numbers:
    such strings are double-quoted.
    """
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if not isinstance(value, str):
        return value
    try:
        back = yaml.safe_load(value) if value.strip() == value and value else None
    except yaml.YAMLError:
        return DoubleQuotedScalarString(value)
    if back != value or not value:
        return DoubleQuotedScalarString(value)
    return value


@contextmanager
def edit_lock(path: Path, timeout: float = 10.0) -> Iterator[None]:
    """One glossary edit at a time: held from reading the file to writing it, so two
    ``glossary add`` at once both land. The lock file lives in the system temporary
    directory, named after the glossary's absolute path (``workbench-glossary-<hash>.lock``):
    nothing appears beside the glossary, and no document or per-document lock can take it."""
    import hashlib
    import tempfile

    from filelock import FileLock, Timeout

    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    lock = FileLock(str(Path(tempfile.gettempdir()) / f"workbench-glossary-{digest}.lock"), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise LockError(f"{path}: another glossary edit is being saved (lock {lock.lock_file}); try again") from None
    try:
        yield
    finally:
        lock.release()


def _seq(items: list[str], flow: bool) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    s = CommentedSeq([_safe(x) for x in items])
    if flow:
        s.fa.set_flow_style()
    else:
        s.fa.set_block_style()
    return s


def _strip_trailing_comments(node: Any) -> None:
    """Drop the blank lines / full-line comments ruamel attaches to an entry's last node.

    Those lines are the gap between this entry and the next one (a section
    comment, a blank line); the text splicing keeps them from the original file.
    An end-of-line comment on the last line is kept.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    ca = getattr(node, "ca", None)
    if ca is None:
        return
    last: Any = None
    if isinstance(node, CommentedMap) and node:
        last = list(node.keys())[-1]
    elif isinstance(node, CommentedSeq) and node:
        last = len(node) - 1
    if last is not None:
        slots = ca.items.get(last)
        if slots:
            for i in range(len(slots)):
                tok = slots[i]
                if tok is None or i < 2:
                    continue
                toks = tok if isinstance(tok, list) else [tok]
                kept = []
                for t in toks:
                    v = getattr(t, "value", None)
                    if not isinstance(v, str):
                        continue
                    if v.startswith("\n") or v.lstrip(" ").startswith("\n"):
                        continue
                    first = v.split("\n", 1)[0]
                    if first.strip().startswith("#"):
                        t.value = first + "\n"
                        kept.append(t)
                slots[i] = (kept if isinstance(tok, list) else kept[0]) if kept else None
        child = node[last]
        if isinstance(child, (CommentedMap, CommentedSeq)):
            _strip_trailing_comments(child)
    # comments after the node itself (end of a flow collection)
    if getattr(ca, "end", None):
        ca.end = [t for t in ca.end if not str(getattr(t, "value", "")).lstrip(" ").startswith("\n")]


# --------------------------------------------------------------------------
# Loading, validating, writing
# --------------------------------------------------------------------------


def _read(path: Path) -> tuple[str, Glossary]:
    g = Glossary.load(path)  # the file's own errors (malformed, conflicts) come first, with lines
    try:
        raw = path.read_bytes()
    except OSError as e:  # pragma: no cover - it was just read
        raise GlossaryError(f"cannot read glossary {path}: {e.strerror or e}") from None
    return raw.decode("utf-8"), g


def _validate_text(text: str, path: Path) -> Glossary:
    """Load ``text`` as the glossary would be loaded from ``path``; GlossaryError if invalid."""
    with tempfile.TemporaryDirectory(prefix="wb-glossary-") as d:
        tmp = Path(d) / path.name
        tmp.write_text(text, encoding="utf-8", newline="")
        try:
            g = Glossary.load(tmp)
        except GlossaryError as exc:
            msg = str(exc).replace(str(tmp), str(path))
            raise GlossaryError(f"{msg} (after the change; nothing was written)") from None
    return Glossary(g.terms, path)


def _write(path: Path, text: str, original: bytes | None) -> None:
    """Atomic write; refuse if someone changed the file since it was read."""
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        current = None
    if original is not None and current != original:
        raise GlossaryError(f"{path} changed on disk while it was being edited; run the command again")
    store.atomic_write_text(path, text)


@dataclass
class Change:
    """The result of a glossary edit (``written`` is False on a dry run or when nothing changed)."""

    action: str  # "add", "edit", "remove", "import"
    path: Path
    old: Glossary
    new: Glossary
    term_id: str | None = None
    text: str = ""
    written: bool = False
    changed: bool = True
    details: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        if not self.changed:
            if self.action == "import":
                return f"{self.path}: nothing to import ({self.details.get('unchanged', 0)} entries already there)"
            return f"{self.path}: nothing changed"
        what = {"add": "added", "edit": "updated", "remove": "removed", "import": "imported into"}[self.action]
        if self.action == "import":
            d = self.details
            return (
                f"{what} {self.path}: {d.get('new', 0)} new entries, {d.get('updated', 0)} updated "
                f"({d.get('variants_added', 0)} variants added), {d.get('unchanged', 0)} unchanged"
                + (f", {d['skipped']} skipped ({d['skipped_reason']})" if d.get("skipped") else "")
                + (" (replaced the whole list)" if d.get("mode") == "replace" else "")
            )
        return f"{what} {self.term_id!r} in {self.path} ({len(self.new)} terms)"


def apply_change(change: Change, original: bytes | None) -> Change:
    """Write a change planned with ``dry_run=True`` (after, say, checking its impact).

    ``original`` is the file's bytes as read before planning: if the file changed since,
    nothing is written (GlossaryError), as for a change made in one go.
    """
    if change.changed and not change.written:
        _write(change.path, change.text, original)
        change.written = True
    return change


def _finish(change: Change, original: bytes, dry_run: bool) -> Change:
    change.changed = change.text.encode("utf-8") != original
    if change.changed and not dry_run:
        _write(change.path, change.text, original)
        change.written = True
    return change


def resolve_term(g: Glossary, name: str) -> tuple[int, Term]:
    """The entry for a term id or English form (case-insensitive); unknown: error with close matches."""
    name_c = _clean_variant(name)
    for i, t in enumerate(g.terms):
        if t.id == name_c or t.en == name_c:
            return i, t
    by_slug = _slug(name_c)
    for i, t in enumerate(g.terms):
        if t.id == by_slug or t.en.casefold() == name_c.casefold():
            return i, t
    # a source variant or English variant also names its entry, when unambiguous
    for fam in ("zh", "vi", "en"):
        k = match_key(name_c, fam)
        owners = {i for i, t in enumerate(g.terms) for v in _forms(term_to_entry(t), fam) if match_key(v, fam) == k}
        if len(owners) == 1:
            i = owners.pop()
            return i, g.terms[i]
    choices = [t.id for t in g.terms] + [t.en for t in g.terms]
    close = difflib.get_close_matches(name_c, choices, n=3, cutoff=0.6) or difflib.get_close_matches(by_slug, [t.id for t in g.terms], n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in dict.fromkeys(close))}?" if close else "; see `workbench glossary list`"
    raise GlossaryError(f"unknown glossary term {name!r}{hint}")


def add_term(path: Path, entry: dict[str, Any], *, after: str | None = None, dry_run: bool = False) -> Change:
    """Add one entry to the glossary file (refuses duplicates and conflicts; writes nothing then)."""
    text, g = _read(path)
    original = text.encode("utf-8")
    e = _norm_entry(entry)
    if not e["en"]:
        raise GlossaryError("the new term needs an English form: --en \"...\"")
    if not e["zh"] and not e["vi"]:
        raise GlossaryError(f"the new term {e['en']!r} needs at least one source variant: --zh ... and/or --vi ...")
    tid = _slug(e["en"])
    if not tid:
        raise GlossaryError(f"the English form {e['en']!r} has no letters or digits to make an id from")
    for t in g.terms:
        if t.id == tid:
            raise GlossaryError(
                f"{path}: {t.en!r} is already in the glossary (line {t.line}); use `workbench glossary edit {t.id} --add-zh ... --add-vi ...` to add variants"
            )
    problem = _conflict(g, e, "new entry", path)
    if problem:
        raise GlossaryError(f"{problem}; nothing was written")
    doc = _GlossaryText(path, text, g, fast=True)
    after_i = resolve_term(g, after)[0] if after else None
    rendered = doc.render(doc.new_map(e))
    new_text = doc.inserted(rendered, after_i)
    if doc.layout is None:
        new = _validate_text(new_text, path)
    else:
        i = len(doc.spans) - 1 if after_i is None else after_i
        line = doc.spans[i].body_end + (1 if doc._blank_between() else 0) + 1
        new = splice.changed_glossary(g, path, new_text, text.count("\n"), "add", i + 1, rendered, line)
    return _finish(Change("add", path, g, new, tid, new_text), original, dry_run)


def edit_term(
    path: Path,
    name: str,
    *,
    en: str | None = None,
    add: dict[str, list[str]] | None = None,
    remove: dict[str, list[str]] | None = None,
    note: str | None = None,
    domain: str | None = None,
    dry_run: bool = False,
) -> Change:
    """Change one entry in place; only that entry's lines change in the file.

    ``add``/``remove`` map ``zh``, ``vi`` and ``en_variants`` to variants; ``note``
    and ``domain`` set the value ("" removes it); ``en`` renames the term.
    """
    text, g = _read(path)
    original = text.encode("utf-8")
    index, term = resolve_term(g, name)
    doc = _GlossaryText(path, text, g, fast=True)
    m = doc.entry_map(index)
    _strip_trailing_comments(m)
    e = term_to_entry(term)
    add = {k: [_clean_variant(v) for v in vs if _clean_variant(v)] for k, vs in (add or {}).items()}
    remove = {k: [_clean_variant(v) for v in vs if _clean_variant(v)] for k, vs in (remove or {}).items()}
    flow = doc._flow_lists()
    for fam, values in remove.items():
        for v in values:
            _remove_variant(m, e, fam, v, term, path)
    for fam, values in add.items():
        for v in values:
            _add_variant(m, e, fam, v, flow)
    if en is not None:
        new_en = _clean_variant(en)
        if not new_en or not _slug(new_en):
            raise GlossaryError(f"--en {en!r} is not a usable English form; write letters or digits")
        m["en"] = _safe(new_en)
        e["en"] = new_en
        e["en_variants"] = [v for v in e["en_variants"] if v != new_en]
        for t in g.terms:
            if t.id == _slug(new_en) and t.id != term.id:
                raise GlossaryError(f"{path}: {t.en!r} is already an entry (line {t.line}); merge the two entries by hand or pick another English form")
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    for key, val in (("note", note), ("domain", domain)):
        if val is None:
            continue
        val = val.strip()
        if not val:
            if key in m:
                del m[key]
            e[key] = None
        else:
            m[key] = DoubleQuotedScalarString(val) if key == "note" else _safe(val)
            e[key] = val
    if not e["zh"] and not e["vi"]:
        raise GlossaryError(f"{term.en!r} would have no zh or vi variants left; remove the term instead (workbench glossary remove {term.id})")
    problem = _conflict(g, e, f"{term.en!r} as edited", path, skip=index)
    if problem:
        raise GlossaryError(f"{problem}; nothing was written")
    rendered = doc.render(m)
    new_text = doc.replaced(index, rendered)
    if doc.layout is None:
        new = _validate_text(new_text, path)
    else:
        new = splice.changed_glossary(g, path, new_text, text.count("\n"), "edit", index, rendered, doc.spans[index].start + 1)
    return _finish(Change("edit", path, g, new, _slug(e["en"]), new_text), original, dry_run)


_FAM_KEYS = {"zh": ("zh", "zh-hans", "zh-hant"), "vi": ("vi",), "en_variants": ("en_variants",)}


def _keys_for(m: Any, fam: str) -> list[str]:
    return [k for k in m if isinstance(k, str) and k.lower() in _FAM_KEYS[fam]]


def _same(a: str, b: str, fam: str) -> bool:
    f = "en" if fam == "en_variants" else fam
    return match_key(a, f) == match_key(b, f)


def _add_variant(m: Any, e: dict[str, Any], fam: str, v: str, flow: bool) -> None:
    if fam == "en_variants" and _same(v, e["en"], "en"):
        return
    if any(_same(v, x, fam) for x in e[fam]):
        return  # already there (same after case/script folding)
    keys = _keys_for(m, fam)
    if keys:
        k = keys[0]
        cur = m[k]
        if isinstance(cur, str):
            m[k] = _seq([cur, v], flow)
        else:
            cur.append(v)
    else:
        # new key: keep the canonical order en, zh, vi, en_variants, note, domain
        want = _ENTRY_ORDER.index(fam)
        pos = len(m)
        for i, k in enumerate(m):
            kk = "zh" if isinstance(k, str) and k.lower() in _FAM_KEYS["zh"] else k
            if kk in _ENTRY_ORDER and _ENTRY_ORDER.index(kk) > want:
                pos = i
                break
        m.insert(pos, fam, _seq([v], flow))
    e[fam].append(v)


def _remove_variant(m: Any, e: dict[str, Any], fam: str, v: str, term: Term, path: Path) -> None:
    for k in _keys_for(m, fam):
        cur = m[k]
        items = [cur] if isinstance(cur, str) else list(cur)
        hit = [x for x in items if isinstance(x, str) and _same(x, v, fam)]
        if not hit:
            continue
        if isinstance(cur, str) or len(hit) == len(items):
            del m[k]
        else:
            for x in hit:
                cur.remove(x)
        e[fam] = [x for x in e[fam] if not _same(x, v, fam)]
        return
    have = ", ".join(e[fam]) or "none"
    label = {"zh": "zh variant", "vi": "vi variant", "en_variants": "English variant"}[fam]
    raise GlossaryError(f"{v!r} is not a {label} of {term.en!r} ({path} line {term.line}); its {fam} variants are: {have}")


def remove_term(path: Path, name: str, *, dry_run: bool = False) -> Change:
    """Remove one entry; the blank line and comments around it are kept tidy."""
    text, g = _read(path)
    original = text.encode("utf-8")
    index, term = resolve_term(g, name)
    doc = _GlossaryText(path, text, g, fast=True)
    new_text = doc.removed(index)
    if doc.layout is None or len(doc.spans) < 2:
        new = _validate_text(new_text, path)
    else:
        new = splice.changed_glossary(g, path, new_text, text.count("\n"), "remove", index, None, None)
    return _finish(Change("remove", path, g, new, term.id, new_text), original, dry_run)


@dataclass
class Validation:
    path: str
    terms: int
    hash: str
    by_domain: dict[str, int]
    warnings: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def validate(path: Path) -> Validation:
    """Validate the whole file (errors raise); return counts and non-fatal warnings."""
    text, g = _read(path)
    warnings: list[str] = []
    for t in g.terms:
        if t.domain and t.domain not in KNOWN_DOMAINS:
            warnings.append(f"line {t.line}: {t.en!r} has domain {t.domain!r}, not one of the schema's ({', '.join(KNOWN_DOMAINS)})")
    # the editor must be able to locate every entry (otherwise add/edit/remove would refuse)
    doc = _GlossaryText(path, text, g, fast=True)
    if doc.terms is not None and len(doc.spans) != len(g.terms):  # pragma: no cover - defensive
        warnings.append("the entries could not all be located for editing")
    by_domain = Counter(t.domain or "(none)" for t in g.terms)
    return Validation(str(path), len(g.terms), g.hash, dict(sorted(by_domain.items())), warnings)


