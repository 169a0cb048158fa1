"""Glossary administration: edit, validate, check, suggest, import and export.

    from workbench import glossary_admin as ga
    change = ga.add_term(Path("glossary.yaml"), {"en": "confidence-building measures", "zh": ["建立信任措施"]})
    impact = ga.impact(change.old, change.new, Path("translations"))
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

import csv
import difflib
import io
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from workbench import store
from workbench.errors import GlossaryError, StoreError
from workbench.glossary import Glossary, Term, _clean_variant, _slug, contains_term, match_key, normalize_zh

__all__ = [
    "DEFAULT_GLOSSARY",
    "Change",
    "Impact",
    "add_term",
    "apply_change",
    "edit_term",
    "remove_term",
    "resolve_term",
    "validate",
    "impact",
    "check",
    "suggest",
    "read_entries",
    "write_entries",
    "import_entries",
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
    return {
        "en": en,
        "zh": lst(e.get("zh")),
        "vi": lst(e.get("vi")),
        "en_variants": [v for v in lst(e.get("en_variants")) if v != en],
        "note": note.strip() if isinstance(note, str) and note.strip() else None,
        "domain": domain.strip() if isinstance(domain, str) and domain.strip() else None,
    }


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

    def __init__(self, path: Path, text: str, glossary: Glossary) -> None:
        self.path = path
        self.text = text
        self.glossary = glossary
        self.lines = text.splitlines(keepends=True)
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
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
        out = buf.getvalue().split("\n", 1)[1]
        if self.newline != "\n":
            out = out.replace("\n", self.newline)
        return out

    def entry_map(self, index: int) -> Any:
        return self.terms[index]

    def new_map(self, entry: dict[str, Any]) -> Any:
        from ruamel.yaml.comments import CommentedMap
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        flow = self._flow_lists()
        m = CommentedMap()
        m["en"] = entry["en"]
        for k in ("zh", "vi", "en_variants"):
            if entry.get(k):
                m[k] = _seq(entry[k], flow)
        if entry.get("note"):
            m["note"] = DoubleQuotedScalarString(entry["note"])
        if entry.get("domain"):
            m["domain"] = entry["domain"]
        return m

    def _flow_lists(self) -> bool:
        from ruamel.yaml.comments import CommentedSeq

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


def _seq(items: list[str], flow: bool) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    s = CommentedSeq(list(items))
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
    existing = [(term_to_entry(t), f"{path} line {t.line}") for t in g.terms]
    problem = _find_conflict([*existing, (e, "new entry")])
    if problem:
        raise GlossaryError(f"{problem}; nothing was written")
    doc = _GlossaryText(path, text, g)
    after_i = resolve_term(g, after)[0] if after else None
    new_text = doc.inserted(doc.render(doc.new_map(e)), after_i)
    new = _validate_text(new_text, path)
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
    doc = _GlossaryText(path, text, g)
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
        m["en"] = new_en
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
            m[key] = DoubleQuotedScalarString(val) if key == "note" else val
            e[key] = val
    if not e["zh"] and not e["vi"]:
        raise GlossaryError(f"{term.en!r} would have no zh or vi variants left; remove the term instead (workbench glossary remove {term.id})")
    entries = [(term_to_entry(t), f"{path} line {t.line}") for i, t in enumerate(g.terms) if i != index]
    problem = _find_conflict([*entries, (e, f"{term.en!r} as edited")])
    if problem:
        raise GlossaryError(f"{problem}; nothing was written")
    new_text = doc.replaced(index, doc.render(m))
    new = _validate_text(new_text, path)
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
    doc = _GlossaryText(path, text, g)
    new_text = doc.removed(index)
    new = _validate_text(new_text, path)
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
    doc = _GlossaryText(path, text, g)
    if doc.terms is not None and len(doc.spans) != len(g.terms):  # pragma: no cover - defensive
        warnings.append("the entries could not all be located for editing")
    by_domain = Counter(t.domain or "(none)" for t in g.terms)
    return Validation(str(path), len(g.terms), g.hash, dict(sorted(by_domain.items())), warnings)


# --------------------------------------------------------------------------
# Impact of a change on translations/
# --------------------------------------------------------------------------


def _docs(out_dir: Path, docs: list[str] | None) -> list[tuple[Path, store.StoredDocument]]:
    out = []
    for p in store.list_files(out_dir, docs):
        d = store.load(p)
        if d is not None:
            out.append((p, d))
    return out


@dataclass
class Impact:
    """How a glossary change affects the segments in translations/."""

    drafts: int = 0  # draft segments whose glossary hits change (translate re-translates exactly these)
    draft_documents: int = 0
    human_violations: int = 0  # edited/approved segments that newly miss a glossary term
    human_documents: int = 0
    examples: list[str] = field(default_factory=list)  # "doc:segment" of the human violations
    no_translations: bool = False

    def message(self) -> str:
        if self.no_translations:
            return "no translations yet; `workbench translate` will apply the glossary"
        docs = lambda n: f"{n} document{'s' if n != 1 else ''}"  # noqa: E731
        if self.drafts:
            msg = f"affects {self.drafts} draft segment{'s' if self.drafts != 1 else ''} in {docs(self.draft_documents)}; run `workbench translate` to update them"
        else:
            msg = "affects no draft segments"
        if self.human_violations:
            msg += (
                f"; {self.human_violations} edited/approved segment{'s' if self.human_violations != 1 else ''} in "
                f"{docs(self.human_documents)} now miss a glossary term (never changed automatically; see `workbench glossary check`)"
            )
        return msg

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _term_hits(g: Glossary, text: str, lang: str) -> list[tuple[int, int, str, str]]:
    return [(h.start, h.end, h.en, h.term_id or "") for h in g.find(text, lang) if h.kind == "term"]


def impact(old: Glossary, new: Glossary, out_dir: Path, docs: list[str] | None = None) -> Impact:
    """Drafts whose glossary hits change (as ``translate``'s fingerprint sees them) and
    human segments that newly violate the glossary."""
    result = Impact()
    if not out_dir.is_dir():
        result.no_translations = True
        return result
    for path, doc in _docs(out_dir, docs):
        if doc.source_lang == "en":
            continue
        d_hit = h_hit = False
        for seg in doc.segments:
            if not seg.source:
                continue
            before = _term_hits(old, seg.source, doc.source_lang)
            after = _term_hits(new, seg.source, doc.source_lang)
            if before == after:
                continue
            if not store.is_human(seg):
                result.drafts += 1
                d_hit = True
                continue
            was = {(s, e, t) for s, e, _en, t in before if not contains_term(seg.target, old.term(t))}
            now = [(s, e, t) for s, e, _en, t in after if not contains_term(seg.target, new.term(t))]
            if any(x not in was for x in now):
                result.human_violations += 1
                h_hit = True
                if len(result.examples) < 5:
                    result.examples.append(f"{path.stem}:{seg.id}")
        result.draft_documents += d_hit
        result.human_documents += h_hit
    return result


# --------------------------------------------------------------------------
# check: is every glossary hit's English term in the target?
# --------------------------------------------------------------------------


@dataclass
class Violation:
    document: str
    segment: str
    status: str  # draft / edited / approved
    term: str
    en: str
    source: str  # the source surface form

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DocumentCheck:
    document: str
    file: str
    source_lang: str
    segments: int = 0  # segments with at least one glossary hit
    uses: int = 0  # glossary hits checked
    untranslated: int = 0  # segments with hits but an empty target (not counted as violations)
    missing: dict[str, int] = field(default_factory=lambda: {s: 0 for s in store.STATUSES})  # segments by status
    violations: list[Violation] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["violations"] = [v.as_dict() for v in self.violations]
        return d


@dataclass
class TermCheck:
    term: str
    en: str
    uses: int = 0
    missing: dict[str, int] = field(default_factory=lambda: {s: 0 for s in store.STATUSES})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckReport:
    glossary: str
    documents: list[DocumentCheck]
    terms: list[TermCheck]

    @property
    def missing(self) -> dict[str, int]:
        out = {s: 0 for s in store.STATUSES}
        for d in self.documents:
            for k, v in d.missing.items():
                out[k] += v
        return out

    @property
    def ok(self) -> bool:
        """False when an approved segment violates the glossary (a release gate)."""
        return self.missing["approved"] == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "glossary": self.glossary,
            "ok": self.ok,
            "missing": self.missing,
            "documents": [d.as_dict() for d in self.documents],
            "terms": [t.as_dict() for t in self.terms],
        }


def check(glossary: Glossary, out_dir: Path, docs: list[str] | None = None) -> CheckReport:
    """For every glossary hit in a source segment: is the English term (or an accepted
    English variant) in the target?  Counted per document and per term, by status."""
    rows: list[DocumentCheck] = []
    terms: dict[str, TermCheck] = {}
    for path, doc in _docs(out_dir, docs):
        dc = DocumentCheck(doc.document, str(path), doc.source_lang)
        rows.append(dc)
        if doc.source_lang == "en":
            continue
        for seg in doc.segments:
            if not seg.source:
                continue
            hits = [h for h in glossary.find(seg.source, doc.source_lang) if h.kind == "term" and h.term_id]
            if not hits:
                continue
            dc.segments += 1
            if not seg.target.strip():
                dc.untranslated += 1
                continue
            bad = False
            for h in hits:
                term = glossary.term(h.term_id)  # type: ignore[arg-type]
                tc = terms.setdefault(term.id, TermCheck(term.id, term.en))
                tc.uses += 1
                dc.uses += 1
                if not contains_term(seg.target, term):
                    tc.missing[seg.status] += 1
                    dc.violations.append(Violation(path.stem, seg.id, seg.status, term.id, term.en, h.surface))
                    bad = True
            if bad:
                dc.missing[seg.status] += 1
    order = {t.id: i for i, t in enumerate(glossary.terms)}
    return CheckReport(str(glossary.path or ""), rows, sorted(terms.values(), key=lambda t: order.get(t.term, 0)))


# --------------------------------------------------------------------------
# suggest: candidate terms for a terminologist
# --------------------------------------------------------------------------


@dataclass
class SourceSegment:
    """One source sentence (and its English side, if any) to mine for terms."""

    document: str
    id: str
    lang: str  # zh-Hans, zh-Hant, vi, en
    source: str
    target: str = ""
    status: str = "draft"

    @property
    def family(self) -> str:
        return "zh" if self.lang.lower().startswith("zh") else self.lang

    @property
    def human(self) -> bool:
        return self.status in store.HUMAN_STATUSES


def load_sources(out_dir: Path, docs: list[str] | None = None) -> list[SourceSegment]:
    """Segments from translations/ (with targets and statuses); a DOC that has no
    translations file but is a source file (or directory) is read and segmented."""
    from workbench.ingest import discover, read_document
    from workbench.segment import segment_document

    out: list[SourceSegment] = []
    if not docs:
        for path, doc in _docs(out_dir, None):
            out.extend(SourceSegment(path.stem, s.id, doc.source_lang, s.source, s.target, s.status) for s in doc.segments if s.source)
        return out
    for d in docs:
        stored = store.path_for(out_dir, store.document_name(d))  # the one naming rule
        if stored.exists() and not Path(d).is_dir():
            doc = store.load(stored)
            assert doc is not None
            out.extend(SourceSegment(stored.stem, s.id, doc.source_lang, s.source, s.target, s.status) for s in doc.segments if s.source)
            continue
        if not Path(d).exists():
            raise StoreError(f"{d}: no translations file {stored} and no such source file; give a document, a stem or a directory")
        for f in discover([d]):
            src = read_document(f)
            for n, sent in enumerate(s for s in segment_document(src.text, src.lang) if s.text):
                out.append(SourceSegment(src.name, f"#{n + 1}", src.lang, sent.text))
    return out


@dataclass
class Suggestion:
    kind: str  # "abbreviation", "repeated" (n-gram), "reviewed" (consistent in human segments)
    lang: str  # "zh" or "vi"
    source: str  # the candidate source term (the full name for an abbreviation)
    short: str | None = None  # the abbreviation seen in parentheses
    frequency: int = 0  # occurrences in the sources (full name + short form)
    examples: list[str] = field(default_factory=list)  # "document:segment"
    english: str | None = None  # the English rendering seen
    english_from: str | None = None  # where it was seen: "source", "3/3 reviewed segments", "glossary"
    note: str | None = None  # e.g. which part the glossary already covers
    score: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("score")
        return d


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ZH_PAREN_RE = re.compile(f"([0-9{_HAN}]{{3,40}})[(（]([^()（）\\n]{{1,120}})[)）]")
_LATIN_ACRONYM_RE = re.compile(r"\(\s*([A-ZĐ][A-Za-zĐđ0-9&.\-]{1,11})\s*\)")
_WORD_RE = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*")
_CLAUSE_RE = re.compile(r"[.;:!?()\[\]\"“”‘’«»\n,，。；：！？、]")
_ZH_EDGE_STOP = set("的了是在和与及或对为以于从把被将并等之其该这此也都而就但又还已向由给让使如即所各每个年月日时来去到着过得地很更最再")
_VI_STOP = {
    "và", "của", "các", "những", "là", "có", "trong", "với", "cho", "được", "để", "tại", "về", "từ", "đã", "sẽ",
    "này", "đó", "một", "không", "theo", "như", "khi", "thì", "mà", "cũng", "đến", "trên", "giữa", "bị", "vì",
    "nhằm", "hơn", "rất", "nhiều", "lại", "ra", "vào", "đang", "nên", "nếu", "hay", "hoặc", "ông", "bà", "đây",
    "nhất", "còn", "sự", "việc", "nhưng", "do", "qua", "lần", "năm", "ngày", "tháng",
}
_EN_STOP = {"of", "and", "the", "for", "on", "in", "to", "a", "an", "at", "by", "with", "from", "as", "or", "is", "are", "was", "be", "that", "this", "its", "their", "it"}
_ACRO_SKIP = {"of", "and", "the", "for", "on", "in", "to", "và", "của", "về", "các"}


def _fold(text: str, fam: str) -> str:
    return match_key(unicodedata.normalize("NFC", text), fam)


def _initial(word: str) -> str:
    c = word[0]
    if c in "Đđ":
        return "đ"
    return unicodedata.normalize("NFD", c)[0].casefold()


def _acronym_name(words: list[str], acronym: str) -> list[str] | None:
    """The words of ``words`` (ending right before the parenthesis) that the acronym abbreviates.

    Letters match word initials in order (Vietnamese: syllables, Đ/đ kept);
    function words may be skipped; up to four trailing words may follow the
    matched ones ("Hội đồng Bảo an Liên Hợp quốc (HĐBA)")."""
    letters = [("đ" if c in "Đđ" else c.casefold()) for c in acronym if c.isalpha()]
    if len(letters) < 2:
        return None
    for start in range(len(words) - 1, -1, -1):
        w0 = words[start]
        if not w0[0].isupper() or _initial(w0) != letters[0]:
            continue
        li, j = 1, start + 1
        while li < len(letters) and j < len(words):
            w = words[j]
            if _initial(w) == letters[li]:
                li += 1
            elif w.casefold() not in _ACRO_SKIP:
                break
            j += 1
        if li == len(letters) and len(words) - j <= 4 and len(words) - start >= 2:
            return words[start:]
    return None


_ZH_NAME_CUT = set("的是在对把被将向给")


def _trim_zh_name(g: Glossary, run: str) -> str:
    """The name at the end of a Han run: a glossary term ending there, else what follows
    the last function character ("当前的2019冠状病毒病" -> "2019冠状病毒病")."""
    for h in g.find(run, "zh"):
        if h.kind == "term" and h.end == len(run):
            return run[h.start :]
    cut = max((i for i, ch in enumerate(run) if normalize_zh(ch) in _ZH_NAME_CUT), default=-1)
    return run[cut + 1 :]


def _en_from_paren(content: str) -> tuple[str | None, str | None]:
    """(English name, acronym) from a parenthesis after a Chinese name."""
    content = content.strip()
    if not re.fullmatch(r"[A-Za-z0-9 ,，.&'’\-]+", content):
        return None, None
    parts = [p.strip() for p in re.split(r"[,，]", content) if p.strip()]
    acronym = None
    if parts and re.fullmatch(r"[A-Z][A-Z0-9\-]{1,11}", parts[-1]):
        acronym = parts.pop()
    name = " ".join(parts) if parts else None
    if name and (len(name.split()) < 2 or not name[0].isupper()):
        name = None
    return name, acronym


def _covered(g: Glossary, text: str, lang: str) -> tuple[float, list[str]]:
    """Share of ``text`` covered by glossary terms, and their English forms."""
    hits = [h for h in g.find(text, lang) if h.kind == "term"]
    covered = sum(h.end - h.start for h in hits)
    return covered / max(1, len(text)), [h.en for h in hits]


def _exact_term(g: Glossary, text: str, lang: str) -> str | None:
    hits = [h for h in g.find(text, lang) if h.kind == "term"]
    if len(hits) == 1 and hits[0].start == 0 and hits[0].end == len(text):
        return hits[0].en
    return None


def _count_occurrences(segments: list[SourceSegment], needle: str, fam: str) -> tuple[int, list[str]]:
    key = _fold(needle, fam)
    latin = fam != "zh"
    rx = re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)") if latin else None
    n = 0
    examples: list[str] = []
    for s in segments:
        if s.family != fam:
            continue
        text = _fold(s.source, fam)
        c = len(rx.findall(text)) if rx else text.count(key)
        if c:
            n += c
            if len(examples) < 2:
                examples.append(f"{s.document}:{s.id}")
    return n, examples


def _common_english(targets: list[str], exclude: list[str]) -> str | None:
    """The longest English phrase every target contains (not a known glossary rendering)."""
    if len(targets) < 2:
        return None
    grams: list[set[tuple[str, ...]]] = []
    surface: dict[tuple[str, ...], str] = {}
    for t in targets:
        words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", t)
        got: set[tuple[str, ...]] = set()
        for n in range(1, 9):
            for i in range(len(words) - n + 1):
                ws = words[i : i + n]
                key = tuple(w.casefold() for w in ws)
                if key[0] in _EN_STOP or key[-1] in _EN_STOP:
                    continue
                if n == 1 and not ws[0][0].isupper():
                    continue
                got.add(key)
                surface.setdefault(key, " ".join(ws))
        grams.append(got)
    common = set.intersection(*grams) if grams else set()
    excl = [e.casefold() for e in exclude]
    common = {c for c in common if not any(" ".join(c) in x or x in " ".join(c) for x in excl)}
    if not common:
        return None
    best = max(common, key=lambda k: (len(k), sum(w[:1].isupper() for w in surface[k].split())))
    return surface[best]


def _human_english(g: Glossary, segments: list[SourceSegment], needle: str, fam: str) -> tuple[str | None, int, int]:
    """English phrase common to the human (edited/approved) targets of segments containing ``needle``."""
    key = _fold(needle, fam)
    human = [s for s in segments if s.family == fam and s.human and s.target.strip() and key in _fold(s.source, fam)]
    if len(human) < 2:
        return None, 0, len(human)
    exclude = [h.en for s in human for h in g.find(s.source, s.lang) if h.kind == "term"]
    en = _common_english([s.target for s in human], exclude)
    return en, (len(human) if en else 0), len(human)


def _abbreviations(g: Glossary, segments: list[SourceSegment]) -> list[Suggestion]:
    found: dict[tuple[str, str], Suggestion] = {}
    for s in segments:
        fam = s.family
        if fam == "zh":
            for m in _ZH_PAREN_RE.finditer(s.source):
                run, content = m.group(1), m.group(2).strip()
                full = short = en = None
                if re.fullmatch(f"[{_HAN}]{{2,6}}", content):
                    for i in range(len(run) - len(content), -1, -1):
                        if run[i] != content[0]:
                            continue
                        it = iter(run[i:])
                        if all(ch in it for ch in content):
                            full, short = run[i:], content
                            break
                else:
                    en, acronym = _en_from_paren(content)
                    run = _trim_zh_name(g, run)
                    if (en or acronym) and len(run) <= 20 and re.search(f"[{_HAN}]", run):
                        full, short = run, acronym
                if not full or len(full) <= len(short or ""):
                    continue
                _add_abbr(found, g, s, "zh", full, short, en)
        elif fam == "vi":
            for m in _LATIN_ACRONYM_RE.finditer(s.source):
                acronym = m.group(1)
                if sum(c.isupper() for c in acronym) < 2:
                    continue
                before = s.source[: m.start()]
                clause = _CLAUSE_RE.split(before)[-1]
                words = _WORD_RE.findall(clause)[-12:]
                name = _acronym_name(words, acronym)
                if name:
                    _add_abbr(found, g, s, "vi", " ".join(name), acronym, None)
    out = []
    for sug in found.values():
        fam = sug.lang
        lang = "zh" if fam == "zh" else "vi"
        full_en = _exact_term(g, sug.source, lang)
        short_en = _exact_term(g, sug.short, lang) if sug.short else None
        acronym = getattr(sug, "english_acronym", None)
        if full_en and (short_en or not sug.short) and (not acronym or _exact_term(g, acronym, "en")):
            continue  # everything already in the glossary
        n_full, ex_full = _count_occurrences_any(g, sug.source, fam)
        n_short, ex_short = _count_occurrences_any(g, sug.short, fam) if sug.short else (0, [])
        sug.frequency = n_full + n_short
        sug.examples = list(dict.fromkeys(sug.examples + ex_full + ex_short))[:2]
        notes = []
        if full_en:
            notes.append(f"the full name is in the glossary as {full_en!r}: add {sug.short!r} to that entry or give it its own (see the abbreviation policy)")
            sug.english = sug.english or full_en
            sug.english_from = sug.english_from or "glossary"
        if short_en:
            notes.append(f"{sug.short!r} is in the glossary as {short_en!r}")
        acronym = getattr(sug, "english_acronym", None)
        if acronym:
            notes.append(f"English acronym seen: {acronym}" + (f" (in the glossary as {_exact_term(g, acronym, 'en')!r})" if _exact_term(g, acronym, "en") else ""))
        sug.note = "; ".join(notes) or None
        if not sug.english:
            en, support, total = _human_english(g, _SEGMENTS_CACHE, sug.source, fam)
            if en:
                sug.english, sug.english_from = en, f"{support}/{total} reviewed segments"
        sug.score = 100 + sug.frequency
        out.append(sug)
    return out


_SEGMENTS_CACHE: list[SourceSegment] = []


def _count_occurrences_any(g: Glossary, needle: str | None, fam: str) -> tuple[int, list[str]]:
    if not needle:
        return 0, []
    return _count_occurrences(_SEGMENTS_CACHE, needle, fam)


def _add_abbr(found: dict[tuple[str, str], Suggestion], g: Glossary, s: SourceSegment, fam: str, full: str, short: str | None, en: str | None) -> None:
    key = (_fold(full, fam), fam)
    sug = found.get(key)
    latin = bool(short) and fam == "zh" and not re.search(f"[{_HAN}]", short or "")
    if sug is None:
        sug = found[key] = Suggestion("abbreviation", fam, full, None if latin else short)
    elif short and not latin and not sug.short:
        sug.short = short
    if latin and short:
        sug.english_acronym = short  # type: ignore[attr-defined]
    if en and not sug.english:
        sug.english, sug.english_from = en, "source (in parentheses)"
    ex = f"{s.document}:{s.id}"
    if ex not in sug.examples:
        sug.examples.append(ex)


def _closed(counts: Counter, candidates: dict, extend: Any) -> dict:
    """Keep candidates no one-unit extension of which occurs as often (maximal n-grams)."""
    out = {}
    for gram, c in candidates.items():
        if any(counts.get(x, 0) >= c for x in extend(gram)):
            continue
        out[gram] = c
    return out


def _zh_ngrams(g: Glossary, segments: list[SourceSegment], min_count: int) -> list[Suggestion]:
    counts: Counter = Counter()
    human: Counter = Counter()
    where: dict[str, list[str]] = defaultdict(list)
    surface: dict[str, str] = {}
    run_re = re.compile(f"[{_HAN}]+")
    for s in segments:
        if s.family != "zh":
            continue
        src = unicodedata.normalize("NFC", s.source)
        folded = _fold(src, "zh")
        seen_here: set[str] = set()
        for m in run_re.finditer(folded):
            run = m.group()
            for n in range(4, 12):
                for i in range(len(run) - n + 1):
                    gram = run[i : i + n]
                    counts[gram] += 1
                    if gram not in surface:
                        surface[gram] = src[m.start() + i : m.start() + i + n]
                    if gram not in seen_here:
                        seen_here.add(gram)
                        if s.human and s.target.strip():
                            human[gram] += 1
                        if len(where[gram]) < 2:
                            where[gram].append(f"{s.document}:{s.id}")
    cands = {k: c for k, c in counts.items() if 4 <= len(k) <= 10 and (c >= min_count or human[k] >= 2)}
    alphabet = {ch for k in cands for ch in k}

    def extend(gram: str) -> Iterable[str]:
        for ch in alphabet:
            yield ch + gram
            yield gram + ch

    # cheaper closedness: look only at counted one-char extensions
    ext_index: dict[str, list[str]] = defaultdict(list)
    for k in counts:
        if 5 <= len(k) <= 11:
            ext_index[k[1:]].append(k)
            ext_index[k[:-1]].append(k)
    cands = _closed(counts, cands, lambda gram: ext_index.get(gram, ()))
    variants = [_fold(v, "zh") for t in g.terms for v in t.variants["zh"]]
    out = []
    for gram, c in cands.items():
        if gram[0] in _ZH_EDGE_STOP or gram[-1] in _ZH_EDGE_STOP:
            continue
        if any(gram in v for v in variants):
            continue  # a piece of a glossary term
        share, _ens = _covered(g, surface[gram], "zh")
        if share >= 0.5:
            continue
        sug = Suggestion("repeated", "zh", surface[gram], frequency=c, examples=where[gram][:2])
        en, support, total = _human_english(g, segments, gram, "zh")
        if en:
            sug.english, sug.english_from = en, f"{support}/{total} reviewed segments"
            sug.kind = "reviewed" if c < min_count else sug.kind
        elif c < min_count:
            continue
        sug.score = c * len(gram) / 4 + (20 if en else 0)
        out.append(sug)
    return out


def _vi_ngrams(g: Glossary, segments: list[SourceSegment], min_count: int) -> list[Suggestion]:
    counts: Counter = Counter()
    human: Counter = Counter()
    where: dict[tuple[str, ...], list[str]] = defaultdict(list)
    forms: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    inner: dict[tuple[str, ...], Counter] = defaultdict(Counter)  # forms not at the start of a clause
    for s in segments:
        if s.family != "vi":
            continue
        seen_here: set[tuple[str, ...]] = set()
        for chunk in _CLAUSE_RE.split(unicodedata.normalize("NFC", s.source)):
            for run in re.split(r"[\s]*[–—\-/&+]+[\s]*|\s+(?=\S*\d)", chunk):
                # a token that is not a word (a number, a symbol) breaks the n-gram
                words = [t if _WORD_RE.fullmatch(t) else "" for t in run.split()]
                for n in range(2, 7):
                    for i in range(len(words) - n + 1):
                        ws = words[i : i + n]
                        if "" in ws:
                            continue
                        key = tuple(w.casefold() for w in ws)
                        counts[key] += 1
                        forms[key][" ".join(ws)] += 1
                        if i > 0:
                            inner[key][" ".join(ws)] += 1
                        if key not in seen_here:
                            seen_here.add(key)
                            if s.human and s.target.strip():
                                human[key] += 1
                            if len(where[key]) < 2:
                                where[key].append(f"{s.document}:{s.id}")
    cands = {k: c for k, c in counts.items() if 2 <= len(k) <= 5 and (c >= min_count or human[k] >= 2)}
    ext_index: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for k in counts:
        if len(k) >= 3:
            ext_index[k[1:]].append(k)
            ext_index[k[:-1]].append(k)
    cands = _closed(counts, cands, lambda gram: ext_index.get(gram, ()))
    vi_variants = [" ".join(_fold(v, "vi").split()) for t in g.terms for v in t.variants["vi"]]
    out = []
    for key, c in cands.items():
        if key[0] in _VI_STOP or key[-1] in _VI_STOP:
            continue
        text = forms[key].most_common(1)[0][0]
        mid = inner[key].most_common(1)[0][0] if inner[key] else None
        caps = sum(w[0].isupper() for w in text.split())
        capitalised = mid is not None and mid[0].isupper() and caps >= 2
        if any(f" {' '.join(key)} " in f" {v} " for v in vi_variants):
            continue  # a piece of a glossary term
        if not capitalised and len(key) < 3:
            continue
        share, _ens = _covered(g, text, "vi")
        if share >= 0.5:
            continue
        sug = Suggestion("repeated", "vi", text, frequency=c, examples=where[key][:2])
        en, support, total = _human_english(g, segments, text, "vi")
        if en:
            sug.english, sug.english_from = en, f"{support}/{total} reviewed segments"
            sug.kind = "reviewed" if c < min_count else sug.kind
        elif c < min_count:
            continue
        if capitalised:
            sug.note = "capitalised: probably a name (organisation, body, title)"
        sug.score = c * len(key) / 2 + (15 if capitalised else 0) + (20 if en else 0)
        out.append(sug)
    return out


def suggest(glossary: Glossary, segments: list[SourceSegment], *, min_count: int = 3, limit: int | None = 50) -> list[Suggestion]:
    """Candidate new glossary terms from the sources; never writes anything.

    * abbreviations in parentheses after a full name: ``欧洲安全与合作组织(欧安组织)``,
      ``亞洲相互協作與信任措施會議(Conference on ..., CICA)``, ``Hội đồng Bảo an (HĐBA)``;
    * repeated source n-grams (Chinese 4–10 characters, Vietnamese 2–5 syllables,
      capitalised sequences first), maximal, at least ``min_count`` times;
    * for those, the English rendering common to every edited/approved target
      (reviewed n-grams qualify from two reviewed occurrences).

    Anything the glossary already covers is skipped.
    """
    global _SEGMENTS_CACHE
    _SEGMENTS_CACHE = segments
    try:
        abbr = _abbreviations(glossary, segments)
    finally:
        _SEGMENTS_CACHE = segments
    grams = _zh_ngrams(glossary, segments, min_count) + _vi_ngrams(glossary, segments, min_count)
    # an n-gram that is the full name or short form of an abbreviation suggestion is reported there
    taken = {(_fold(s.source, s.lang), s.lang) for s in abbr} | {(_fold(s.short, s.lang), s.lang) for s in abbr if s.short}
    grams = [s for s in grams if (_fold(s.source, s.lang), s.lang) not in taken]
    out = sorted(abbr, key=lambda s: -s.score) + sorted(grams, key=lambda s: (-s.score, s.source))
    _SEGMENTS_CACHE = []
    return out[:limit] if limit else out


# --------------------------------------------------------------------------
# import / export: TBX (translate-toolkit), CSV, OmegaT tab-separated
# --------------------------------------------------------------------------

FORMATS = ("tbx", "csv", "omegat")
CSV_COLUMNS = ("en", "zh", "vi", "en_variants", "note", "domain")
_LIST_SEP = ";"


def detect_format(path: Path, fmt: str | None) -> str:
    """The exchange format: given, or from the extension (.tbx, .csv, .txt/.tab/.utf8 = OmegaT)."""
    if fmt:
        f = fmt.lower()
        if f not in FORMATS:
            raise GlossaryError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
        return f
    ext = path.suffix.lower()
    if ext == ".tbx":
        return "tbx"
    if ext == ".csv":
        return "csv"
    if ext in (".txt", ".tab", ".tsv", ".utf8"):
        return "omegat"
    raise GlossaryError(f"{path}: cannot tell the format from the extension {ext or '(none)'!r}; add --format tbx, csv or omegat")


def _omegat_lang(lang: str | None) -> str:
    fam = {"zh": "zh", "zh-hans": "zh", "zh-hant": "zh", "vi": "vi"}.get((lang or "").lower())
    if fam is None:
        raise GlossaryError("an OmegaT glossary has one source language; add --lang zh or --lang vi")
    return fam


def _tbx_module() -> Any:
    try:
        from translate.storage import tbx
    except ImportError:  # pragma: no cover - dependency missing
        raise GlossaryError("TBX needs translate-toolkit; install it with: pip install translate-toolkit") from None
    return tbx


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(_LIST_SEP) if v.strip()]


def read_entries(path: Path, fmt: str | None = None, lang: str | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Entries (plain dicts) from an exchange file, and warnings for what was skipped."""
    fmt = detect_format(path, fmt)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GlossaryError(f"{path}: no such file; check the path") from None
    except OSError as e:
        raise GlossaryError(f"cannot read {path}: {e.strerror or e}") from None
    warnings: list[str] = []
    entries: list[dict[str, Any]] = []
    if fmt == "tbx":
        entries = _read_tbx(raw, path, warnings)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise GlossaryError(f"{path}: not UTF-8 (byte {e.start}); save it as UTF-8") from None
        entries = _read_csv(text, path) if fmt == "csv" else _read_omegat(text, path, _omegat_lang(lang), warnings)
    out = []
    for i, e in enumerate(entries):
        e = _norm_entry(e)
        if not e["en"] or not (e["zh"] or e["vi"]):
            warnings.append(f"entry {i + 1}: no English term or no zh/vi variant")
            continue
        out.append(e)
    return out, warnings


def _read_csv(text: str, path: Path) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    cols = [c.strip() for c in reader.fieldnames or []]
    if "en" not in cols:
        raise GlossaryError(f"{path}: the first row must name the columns ({','.join(CSV_COLUMNS)}); 'en' is missing")
    unknown = [c for c in cols if c and c not in CSV_COLUMNS and c.lower() not in ("zh-hans", "zh-hant")]
    if unknown:
        raise GlossaryError(f"{path}: unknown column(s) {', '.join(unknown)}; allowed: {', '.join(CSV_COLUMNS)}")
    out = []
    for row in reader:
        row = {(k or "").strip(): (v or "") for k, v in row.items() if k is not None}
        zh = _split_list(row.get("zh", "")) + _split_list(row.get("zh-Hans", row.get("zh-hans", ""))) + _split_list(row.get("zh-Hant", row.get("zh-hant", "")))
        if not any(v.strip() for v in row.values()):
            continue
        out.append({
            "en": row.get("en", ""),
            "zh": zh,
            "vi": _split_list(row.get("vi", "")),
            "en_variants": _split_list(row.get("en_variants", "")),
            "note": row.get("note") or None,
            "domain": row.get("domain") or None,
        })
    return out


def _read_omegat(text: str, path: Path, fam: str, warnings: list[str]) -> list[dict[str, Any]]:
    by_en: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
            warnings.append(f"line {n}: not 'source<TAB>target[<TAB>comment]'")
            continue
        src, en = cols[0].strip(), _clean_variant(cols[1])
        comment = cols[2].strip() if len(cols) > 2 else ""
        e = by_en.setdefault(_slug(en) or en, {"en": en, fam: [], "note": None})
        e[fam].append(src)
        if comment and not e["note"]:
            e["note"] = comment
    return list(by_en.values())


def _fam_of_lang(code: str | None) -> str | None:
    c = (code or "").lower()
    for fam in ("zh", "vi", "en"):
        if c == fam or c.startswith(fam + "-") or c.startswith(fam + "_"):
            return fam
    return None


def _read_tbx(raw: bytes, path: Path, warnings: list[str]) -> list[dict[str, Any]]:
    tbx = _tbx_module()
    try:
        store_ = tbx.tbxfile.parsestring(raw)
    except Exception as exc:  # lxml / toolkit parse errors
        raise GlossaryError(f"{path}: not a TBX file ({' '.join(str(exc).split())[:160]}); check the XML") from None
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    out = []
    other_langs: set[str] = set()
    for unit in store_.units:
        e: dict[str, Any] = {"en": "", "zh": [], "vi": [], "en_variants": [], "note": None, "domain": None}
        en_terms: list[str] = []
        for node in unit.getlanguageNodes():
            code = node.get(xml_lang) or node.get("lang")
            fam = _fam_of_lang(code)
            terms = [t.text for t in unit._get_terms(node) if t.text]
            if fam is None:
                other_langs.add(str(code))
            elif fam == "en":
                en_terms.extend(terms)
            else:
                e[fam].extend(terms)
        if en_terms:
            e["en"], e["en_variants"] = en_terms[0], en_terms[1:]
        notes = unit.getnotes()
        e["note"] = notes or None
        for d in unit.xmlelement.iter(unit.namespaced("descrip")):
            if d.get("type") == "subjectField" and (d.text or "").strip():
                e["domain"] = d.text.strip()
                break
        out.append(e)
    if other_langs:
        warnings.append(f"ignored languages: {', '.join(sorted(other_langs))}")
    return out


def write_entries(glossary: Glossary, path: Path, fmt: str | None = None, lang: str | None = None) -> int:
    """Export every entry; returns how many entries (OmegaT: lines) were written."""
    fmt = detect_format(path, fmt)
    entries = [term_to_entry(t) for t in glossary.terms]
    if fmt == "tbx":
        text, n = _tbx_text(entries), len(entries)
    elif fmt == "csv":
        text, n = _csv_text(entries), len(entries)
    else:
        text, n = _omegat_text(entries, _omegat_lang(lang))
    store.atomic_write_text(path, text)
    return n


def _csv_text(entries: list[dict[str, Any]]) -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for e in entries:
        for k in ("zh", "vi", "en_variants"):
            bad = [v for v in e[k] if _LIST_SEP in v]
            if bad:
                raise GlossaryError(f"{e['en']!r}: the {k} variant {bad[0]!r} contains ';', which separates variants in CSV; export as TBX instead")
        w.writerow([e["en"], "; ".join(e["zh"]), "; ".join(e["vi"]), "; ".join(e["en_variants"]), e["note"] or "", e["domain"] or ""])
    return buf.getvalue()


def _omegat_text(entries: list[dict[str, Any]], fam: str) -> tuple[str, int]:
    lines = [f"# workbench glossary: {fam} -> en (OmegaT tab-separated: source, target, comment)"]
    for e in entries:
        for v in e[fam]:
            cells = [v, e["en"], e["note"] or ""]
            if any("\t" in c or "\n" in c for c in cells):
                raise GlossaryError(f"{e['en']!r}: a tab or line break cannot be written to an OmegaT glossary")
            lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines) + "\n", len(lines) - 1


def _tbx_text(entries: list[dict[str, Any]]) -> str:
    tbx = _tbx_module()
    from lxml import etree

    st = tbx.tbxfile(sourcelanguage="en")
    for e in entries:
        unit = st.addsourceunit(e["en"])
        unit.set_source_terms([e["en"], *e["en_variants"]], lang="en")
        for fam in ("zh", "vi"):
            if e[fam]:
                unit.set_target_terms(list(e[fam]), lang=fam)
        unit.setid(_slug(e["en"]))
        # concept-level data goes before the langSets (TBX order)
        first = unit.xmlelement.find(unit.namespaced("langSet"))
        if e["domain"]:
            d = etree.Element(unit.namespaced("descrip"))
            d.set("type", "subjectField")
            d.text = e["domain"]
            first.addprevious(d)
        if e["note"]:
            n = etree.Element(unit.namespaced("note"))
            n.text = e["note"]
            first.addprevious(n)
    return bytes(st).decode("utf-8")


def import_entries(path: Path, entries: list[dict[str, Any]], *, mode: str = "merge", source: str = "import", dry_run: bool = False) -> Change:
    """Merge entries into the glossary (new entries and variants; conflicts refused) or
    replace its whole list (``mode="replace"``, the header comments are kept)."""
    if mode not in ("merge", "replace"):
        raise GlossaryError(f"unknown import mode {mode!r}; use merge or replace")
    text, g = _read(path)
    original = text.encode("utf-8")
    incoming: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for e in (_norm_entry(x) for x in entries):  # the same term twice in the file: merge the two
        tid = _slug(e["en"])
        if tid in seen:
            prev = incoming[seen[tid]]
            for k in ("zh", "vi", "en_variants"):
                prev[k] += [v for v in e[k] if v not in prev[k]]
            prev["note"] = prev["note"] or e["note"]
            prev["domain"] = prev["domain"] or e["domain"]
        else:
            seen[tid] = len(incoming)
            incoming.append(e)
    details: dict[str, Any] = {"mode": mode, "new": 0, "updated": 0, "unchanged": 0, "variants_added": 0}
    doc = _GlossaryText(path, text, g)
    if mode == "replace":
        problem = _find_conflict([(e, f"{source} entry {i + 1}") for i, e in enumerate(incoming)])
        if problem:
            raise GlossaryError(f"{problem}; nothing was written")
        header_end = doc.data.lc.key("version")[0] if "version" in doc.data else 0
        parts = ["".join(doc.lines[:header_end]), "version: 1", doc.newline, "terms:", doc.newline if incoming else " []" + doc.newline]
        blank = doc.newline if doc._blank_between() else ""
        parts.append(blank.join(doc.render(doc.new_map(e)) for e in incoming))
        new_text = "".join(parts)
        details["new"] = len(incoming)
    else:
        by_id = {t.id: i for i, t in enumerate(g.terms)}
        current = [term_to_entry(t) for t in g.terms]
        labels = [f"{path} line {t.line}" for t in g.terms]
        replacements: dict[int, Any] = {}
        added: list[dict[str, Any]] = []
        flow = doc._flow_lists()
        for n, e in enumerate(incoming):
            i = by_id.get(_slug(e["en"]))
            if i is None:
                added.append(e)
                current.append(e)
                labels.append(f"{source} entry {n + 1}")
                continue
            m = doc.entry_map(i)
            _strip_trailing_comments(m)
            cur = current[i]
            before = sum(len(cur[k]) for k in ("zh", "vi", "en_variants"))
            for k in ("zh", "vi", "en_variants"):
                for v in e[k]:
                    _add_variant(m, cur, k, v, flow)
            changed = sum(len(cur[k]) for k in ("zh", "vi", "en_variants")) - before
            from ruamel.yaml.scalarstring import DoubleQuotedScalarString

            for k in ("note", "domain"):
                if e[k] and not cur[k]:
                    m[k] = DoubleQuotedScalarString(e[k]) if k == "note" else e[k]
                    cur[k] = e[k]
                    changed += 1
            if changed:
                replacements[i] = m
                details["updated"] += 1
                details["variants_added"] += sum(len(cur[k]) for k in ("zh", "vi", "en_variants")) - before
            else:
                details["unchanged"] += 1
        problem = _find_conflict(list(zip(current, labels)))
        if problem:
            raise GlossaryError(f"{problem}; nothing was written")
        new_text = text
        for i in sorted(replacements, reverse=True):  # bottom-up: earlier spans stay valid
            sp = doc.spans[i]
            lines = new_text.splitlines(keepends=True)
            new_text = "".join(lines[: sp.start]) + doc.render(replacements[i]) + "".join(lines[sp.body_end :])
        if added:
            doc2 = _GlossaryText(path, new_text, g)
            sep = doc2.newline if doc2._blank_between() else ""
            new_text = doc2.inserted(sep.join(doc2.render(doc2.new_map(e)) for e in added))
        details["new"] = len(added)
    new = _validate_text(new_text, path)
    change = Change("import", path, g, new, None, new_text, details=details)
    return _finish(change, original, dry_run)
