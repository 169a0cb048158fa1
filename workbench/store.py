"""Store: one YAML file per document in ``translations/``, readable side by side.

    doc = load(Path("translations/000_093349a39d32f8f2.yaml"))
    doc.segments[0].source, doc.segments[0].target, doc.segments[0].status

Human edits are sacred: every write is atomic (temp file + ``os.replace``), a file
edited by hand into an invalid state is refused with the file and segment named
(never overwritten), and segments whose source disappeared from the document but
carry human work are kept under ``orphans``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workbench import files
from workbench.errors import InputError, StoreError
from workbench.ingest import LANGS, document_name, is_hidden_name
from workbench.yaml_guard import NoAliasLoader, StrictLoader, shown

STATUSES: tuple[str, ...] = ("draft", "edited", "approved")
HUMAN_STATUSES: frozenset[str] = frozenset({"edited", "approved"})
FORMAT_VERSION = 1

try:  # the C loader/dumper are ~10x faster; same safe semantics
    _Loader: type = yaml.CSafeLoader
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - pyyaml built without libyaml
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


@dataclass
class TermUse:
    """One glossary hit in a segment's source and what became of it in the target."""

    term: str | None  # glossary term id; None for a non-translatable
    source: str  # the source surface form
    en: str  # the English rendering required in the target
    applied: bool  # is it in the target now?
    method: str = ""  # "inline" (survived MT), "forced" (placed by span assembly), "copy", "kept" (human target)

    def as_dict(self) -> dict[str, Any]:
        return {"term": self.term, "source": self.source, "en": self.en, "applied": self.applied, "method": self.method}


@dataclass
class Segment:
    """One sentence of the document with its English side."""

    id: str
    source: str
    target: str
    status: str = "draft"
    mt: str | None = None  # the machine draft as produced; None if never machine-produced
    prefix: str = ""  # structure kept out of MT ("1. ", "(a) ", "• ")
    suffix: str = ""  # footnote markers kept out of MT ("¹", "[1]")
    gap: str = ""  # the source's white space before this segment
    paragraph: int = 0
    continued: bool = False  # the sentence goes on in a later segment (broken by a page break)
    continues: bool = False  # this segment goes on with the last `continued` one (footnotes between)
    origin: str = ""  # short signature of what produced `mt` ("argos:translate-zh_en@1.9", "copy", "memory")
    fingerprint: str = ""  # hash of (engine, glossary hits, source): a draft is reused while it matches
    terms: list[TermUse] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    note: str = ""  # a reviewer's comment (legacy single note; new notes go to `notes`)
    confidence: float | None = None  # alignment confidence (0..1) of a human translation aligned by `workbench align`
    kind: str = ""  # .docx/.html block type: heading, cell, caption, list, footnote... ("" = plain text)
    conflicts: list[dict[str, str]] = field(default_factory=list)  # imported targets not applied over human work (workbench import)
    #: reviewers' notes, oldest first: {"text", "by", "at"} (exported as XLIFF <note from="translator">)
    notes: list[dict[str, str]] = field(default_factory=list)
    #: every change a person made, oldest first: {"at", "by", "action", "status", "target",
    #: "old_status", "old_target"} and, for split/merge, what undo needs ("old", "removed", "added")
    history: list[dict[str, Any]] = field(default_factory=list)
    dismissed: dict[str, str] = field(default_factory=dict)  # QA flag -> the reviewer's reason for dismissing it

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "status": self.status, "source": self.source, "target": self.target}
        if self.mt is not None:
            d["mt"] = self.mt
        for key in ("prefix", "suffix"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        d["gap"] = self.gap
        d["paragraph"] = self.paragraph
        for key in ("continued", "continues"):
            if getattr(self, key):
                d[key] = True
        d["origin"] = self.origin
        d["fingerprint"] = self.fingerprint
        if self.terms:
            d["terms"] = [t.as_dict() for t in self.terms]
        if self.flags:
            d["flags"] = list(self.flags)
        if self.note:
            d["note"] = self.note
        if self.confidence is not None:
            d["confidence"] = round(float(self.confidence), 3)
        if self.kind:
            d["kind"] = self.kind
        if self.conflicts:
            d["conflicts"] = [dict(c) for c in self.conflicts]
        if self.notes:
            d["notes"] = [dict(n) for n in self.notes]
        if self.history:
            d["history"] = [dict(h) for h in self.history]
        if self.dismissed:
            d["dismissed"] = dict(self.dismissed)
        return d


@dataclass
class StoredDocument:
    """The contents of one ``translations/<stem>.yaml``."""

    document: str  # the source path as given
    source_lang: str
    target_lang: str
    signature: dict[str, Any]
    segments: list[Segment]
    source_sha256: str = ""
    trailing: str = ""  # the source's white space after the last segment
    orphans: list[Segment] = field(default_factory=list)  # human work whose source left the document

    def as_dict(self, segments: bool = True) -> dict[str, Any]:
        """The document as its file holds it (``segments=False``: its fields without the segments and orphans)."""
        d: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "document": self.document,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "source_sha256": self.source_sha256,
            "signature": self.signature,
        }
        if segments:
            d["segments"] = [s.as_dict() for s in self.segments]
        d["trailing"] = self.trailing
        if self.orphans and segments:
            d["orphans"] = [s.as_dict() for s in self.orphans]
        return d

    def counts(self) -> dict[str, int]:
        """Segments by status (only segments with source text count)."""
        out = {s: 0 for s in STATUSES}
        for seg in self.segments:
            if seg.source:
                out[seg.status] += 1
        return out

    def source_text(self) -> str:
        """The source document rebuilt from the segments (non-destructive segmentation)."""
        return "".join(s.gap + s.prefix + s.source + s.suffix for s in self.segments) + self.trailing

    def target_text(self) -> str:
        """The English draft with the document's structure put back."""
        out: list[str] = []
        for s in self.segments:
            gap = s.gap
            if out and gap == "" and not out[-1].endswith((" ", "\n")):
                gap = " "  # Chinese sentences touch; English ones need a space
            out.append(gap + s.prefix + s.target + s.suffix)
        return "".join(out) + self.trailing


class _ReadableDumper(_Dumper):  # type: ignore[misc, valid-type]
    """Dumps white-space strings with escapes ("\\n\\n") instead of as blank lines.

    Strings, booleans, integers and None (nearly every node of a translations file) are made
    into nodes here directly, as the representers registered for them would make them (no
    aliases: PyYAML never aliases these); everything else takes PyYAML's usual path. Same
    text, ~15% less time to dump a file."""

    def represent_data(self, data: Any) -> yaml.Node:
        kind = type(data)
        if kind is str:
            return yaml.ScalarNode(_STR_TAG, data, style='"' if (data and not data.strip() or "\n" in data) else None)
        if kind is bool:
            return yaml.ScalarNode(_BOOL_TAG, "true" if data else "false")
        if kind is int:
            return yaml.ScalarNode(_INT_TAG, str(data))
        if data is None:
            return yaml.ScalarNode(_NULL_TAG, "null")
        return super().represent_data(data)


_STR_TAG, _BOOL_TAG, _INT_TAG, _NULL_TAG = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:null"


def _represent_str(dumper: yaml.BaseDumper, value: str) -> yaml.Node:
    if value and not value.strip() or "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_ReadableDumper.add_representer(str, _represent_str)


def is_human(seg: Segment) -> bool:
    """Has a person touched this target? (status says so, or the target differs from the machine draft)"""
    if seg.status in HUMAN_STATUSES:
        return True
    if seg.mt is None:
        return bool(seg.target)
    return seg.target != seg.mt


def path_for(out_dir: Path, stem: str) -> Path:
    """The translations file of the document named ``stem`` (see :func:`workbench.ingest.document_name`)."""
    return out_dir / f"{stem}.yaml"


def stems(out_dir: Path) -> list[str]:
    """The names of the documents in ``out_dir`` (its ``*.yaml`` files; hidden ones are not documents)."""
    return sorted(p.name[:-5] for p in out_dir.glob("*.yaml") if not is_hidden_name(p.name) and p.is_file())


def find_document(out_dir: Path, doc: str | Path) -> Path:
    """The translations file a user means by DOC: a source path (``seeds/A.RES.75.1.txt``), a
    translations file (``translations/x.yaml``), a document name, or a unique prefix of one
    (``000``). The one naming rule of every command, the review page and exports.

    Raises InputError for a hidden name or an ambiguous prefix, StoreError (with "did you
    mean ...") when nothing matches.
    """
    raw = str(doc)
    name = Path(raw).name
    if not name or raw.endswith(("/", "\\")):
        raise InputError(f"{doc!r}: not a document name; give a source path, its name or a prefix of it (see `workbench status`)")
    if is_hidden_name(name):
        raise InputError(f"{doc}: a document name cannot start with a dot (hidden files are not documents); rename the file without the leading dot")
    if not out_dir.is_dir():
        raise StoreError(f"{out_dir}: no translations directory; run `workbench translate` first")
    base = name[:-5] if name.lower().endswith(".yaml") and len(name) > 5 else document_name(name)
    for candidate in dict.fromkeys((name, base)):
        path = path_for(out_dir, candidate)
        if path.is_file():
            return path
    known = stems(out_dir)
    matches = [s for s in known if s.startswith(base)]
    if len(matches) == 1:
        return path_for(out_dir, matches[0])
    if len(matches) > 1:
        shown_ = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
        raise InputError(f"{doc}: {len(matches)} documents start with {base!r} ({shown_}); give more of the name")
    import difflib

    close = difflib.get_close_matches(base, known, n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(close)}? Or run" if close else "run"
    raise StoreError(f"{doc}: no translations file {path_for(out_dir, base)}; {hint} `workbench translate {doc}` first (`workbench status` lists the documents)")


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_ReadableDumper, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)


def dumps(doc: StoredDocument, chunks: dict[str, str] | None = None) -> str:
    """The file's text. ``chunks`` (segment id -> its YAML list item) lets a caller that knows
    which segments it changed re-dump only those; it is filled as it goes. The text is the same
    with or without ``chunks`` (the review page uses the bytes twin, :func:`dump_bytes`)."""
    if chunks is None:
        return _dump(doc.as_dict())
    items = []
    for seg in doc.segments:
        item = chunks.get(seg.id)
        if item is None:
            item = chunks[seg.id] = _dump([seg.as_dict()])
        items.append(item.encode("utf-8"))
    return assemble(doc, items).decode("utf-8")


def dump_bytes(doc: StoredDocument, chunks: dict[str, bytes]) -> bytes:
    """``dumps(doc).encode("utf-8")``, with ``chunks`` (segment id -> its YAML list item as
    UTF-8) re-used and filled as it goes: a save that changed one segment of 5,000 dumps and
    encodes that one only."""
    return assemble(doc, segment_items(doc, chunks))


def segment_items(doc: StoredDocument, chunks: dict[str, bytes]) -> list[bytes]:
    """Every segment's YAML list item in order (from ``chunks``, dumping and adding the missing ones)."""
    out = []
    get = chunks.get
    for seg in doc.segments:
        item = get(seg.id)
        if item is None:
            item = chunks[seg.id] = dump_segment_bytes(seg)
        out.append(item)
    return out


def assemble(doc: StoredDocument, items: list[bytes]) -> bytes:
    """The file's bytes from the segments' YAML items (:func:`segment_items`) and the rest of ``doc``."""
    dump = lambda v: _dump(v).encode("utf-8")  # noqa: E731
    head = {k: v for k, v in (("format", FORMAT_VERSION), ("document", doc.document), ("source_lang", doc.source_lang),
                              ("target_lang", doc.target_lang), ("source_sha256", doc.source_sha256), ("signature", doc.signature))}
    parts = [dump(head), b"segments:\n" if items else b"segments: []\n", *items, dump({"trailing": doc.trailing})]
    if doc.orphans:
        parts.append(dump({"orphans": [s.as_dict() for s in doc.orphans]}))
    return b"".join(parts)


def dump_segment_bytes(seg: Segment) -> bytes:
    """One segment as the YAML list item :func:`dump_bytes` writes for it."""
    return _dump([seg.as_dict()]).encode("utf-8")


_TOP_LEVEL = re.compile(rb"\n[^-\s#]")  # a line at column 0 that is not a list item, a comment or blank


def segment_chunks(raw: bytes, doc: StoredDocument) -> dict[str, bytes]:
    """Each segment's YAML list item as it is in ``raw`` (the bytes ``doc`` was parsed from), for
    :func:`dump_bytes` to reuse: a file written by workbench (or edited by hand in the same
    layout) is then saved again without dumping its unchanged segments. Empty (nothing reused)
    when the layout is not the one we write: an item not starting ``- id: <its id>``, a different
    number of items, anchors (``&``) that a re-dumped item could leave dangling, CRLF lines."""
    if b"&" in raw or b"\r" in raw:
        return {}
    head = raw.find(b"\nsegments:\n")
    if head < 0:
        return {}
    pos = head + len(b"\nsegments:")
    end_m = _TOP_LEVEL.search(raw, pos)
    block = raw[pos : end_m.start() + 1 if end_m else len(raw)]  # from the newline before the first item
    if not block.startswith(b"\n- "):
        return {}
    parts = [b"- " + p for p in block[3:].split(b"\n- ")]
    for k in range(len(parts) - 1):
        parts[k] += b"\n"
    if len(parts) != len(doc.segments):
        return {}
    out: dict[str, bytes] = {}
    for seg, part in zip(doc.segments, parts):
        if not part.startswith(b"- id: " + seg.id.encode("utf-8") + b"\n") or not part.endswith(b"\n") or seg.id in out:
            return {}
        out[seg.id] = part
    return out


def file_digest(path: Path) -> str | None:
    """sha256 of a file's bytes, or None if it does not exist (to detect writes by others)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old or the new file, never half of one
    (the file keeps its mode; see :mod:`workbench.files`)."""
    files.atomic_write_text(path, text)


def save(doc: StoredDocument, path: Path, chunks: dict[str, str] | None = None) -> bool:
    """Write ``doc`` atomically; return False (and write nothing) if the file already holds it."""
    text = dumps(doc, chunks)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    atomic_write_text(path, text)
    return True


def load(path: Path) -> StoredDocument | None:
    """Read a translations file; None if it does not exist; StoreError if it is invalid."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise StoreError(f"{path}: not UTF-8 text; restore it from version control or delete it to start over") from None
    return loads(raw, str(path))


def loads(raw: str, name: str) -> StoredDocument:
    from workbench.yaml_guard import MAX_DEPTH, too_deep

    deep = too_deep(raw)
    if deep is not None:  # libyaml would overflow the C stack (a crash, not an error) on this
        raise StoreError(
            f"{name}: invalid YAML at line {deep[0]}, column {deep[1]}: nested more than {MAX_DEPTH} levels deep; "
            "restore the file from version control or delete it to start over (nothing was overwritten)"
        )
    try:
        # no "&" anywhere: no anchor, so no alias either, and the plain loader is faster
        # StrictLoader: a key given twice or an absurdly long integer is an error, not "last one wins"
        data = yaml.load(raw, Loader=NoAliasLoader if "&" in raw else StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise StoreError(f"{name}: invalid YAML{where}: {problem}; fix the file by hand (nothing was overwritten)") from None
    except (ValueError, RecursionError, MemoryError) as exc:  # a value no YAML error covers
        raise StoreError(f"{name}: invalid value ({type(exc).__name__}); fix the file by hand (nothing was overwritten)") from None
    return from_data(data, name)


def from_data(data: Any, name: str) -> StoredDocument:
    """A stored document from its parsed mapping (YAML, or the index's JSON copy), validated."""
    if not isinstance(data, dict):
        raise StoreError(f"{name}: not a workbench translations file (expected a mapping with `segments`); restore it from version control or delete it to start over")
    for key in ("document", "source_lang", "segments"):
        if key not in data:
            raise StoreError(f"{name}: missing top-level key `{key}`; fix the file by hand (nothing was overwritten)")
    if not isinstance(data["segments"], list):
        raise StoreError(f"{name}: `segments` must be a list of segments; fix the file by hand (nothing was overwritten)")
    orphans_raw = data.get("orphans") or []
    if not isinstance(orphans_raw, list):
        raise StoreError(f"{name}: `orphans` must be a list of segments (or absent); fix the file by hand (nothing was overwritten)")
    for key, default in (("source_lang", None), ("target_lang", "en")):
        lang = data.get(key, default)
        if lang not in LANGS:
            raise StoreError(f"{name}: {key} {shown(lang)} is not one of {', '.join(LANGS)}; fix the file by hand (nothing was overwritten)")
    if not isinstance(data["document"], str) or not data["document"]:
        raise StoreError(f"{name}: `document` must be the source document's path; fix the file by hand (nothing was overwritten)")
    segments = [_segment_from_dict(s, name, i) for i, s in enumerate(data["segments"])]
    orphans = [_segment_from_dict(s, name, i, "orphans") for i, s in enumerate(orphans_raw)]
    seen: dict[str, int] = {}
    for i, seg in enumerate(segments):
        if seg.id in seen:
            raise StoreError(f"{name}: segment {seg.id} appears twice (entries {seen[seg.id] + 1} and {i + 1}); give one a new id")
        seen[seg.id] = i
    sig = data.get("signature") or {}
    if not isinstance(sig, dict):
        raise StoreError(f"{name}: `signature` must be a mapping; fix the file by hand (nothing was overwritten)")
    return StoredDocument(
        document=str(data["document"]),
        source_lang=str(data["source_lang"]),
        target_lang=str(data.get("target_lang", "en")),
        signature=sig,
        segments=segments,
        source_sha256=str(data.get("source_sha256", "")),
        trailing=_str(data.get("trailing", ""), name, "trailing"),
        orphans=orphans,
    )


def from_copy(data: dict[str, Any], name: str) -> StoredDocument:
    """A document from the project index's JSON copy of it (:meth:`StoredDocument.as_dict` of a
    document :func:`from_data` checked when its file was read), without checking every value
    again (~3x faster); ValueError, KeyError or TypeError for a copy not of that shape."""
    def text(v: Any) -> str:
        if type(v) is not str:
            raise ValueError(f"{name}: the index's copy is not of a checked document")
        return v

    def seg(d: dict[str, Any]) -> Segment:
        if d["status"] not in STATUSES:
            raise ValueError(f"{name}: the index's copy is not of a checked document")
        terms = d.get("terms")
        conf = d.get("confidence")
        return Segment(
            id=text(d["id"]), source=text(d["source"]), target=text(d["target"]), status=d["status"], mt=d.get("mt"),
            prefix=d.get("prefix", ""), suffix=d.get("suffix", ""), gap=d["gap"], paragraph=int(d["paragraph"]),
            continued=d.get("continued", False), continues=d.get("continues", False), origin=d["origin"], fingerprint=d["fingerprint"],
            terms=[TermUse(t["term"], t["source"], t["en"], t["applied"], t["method"]) for t in terms] if terms else [],
            flags=d.get("flags") or [], note=d.get("note", ""), confidence=None if conf is None else float(conf), kind=d.get("kind", ""),
            conflicts=d.get("conflicts") or [], notes=d.get("notes") or [], history=d.get("history") or [], dismissed=d.get("dismissed") or {},
        )

    if data.get("format") != FORMAT_VERSION or data.get("source_lang") not in LANGS or data.get("target_lang") not in LANGS:
        raise ValueError(f"{name}: the index's copy is not of a checked document")
    return StoredDocument(
        document=text(data["document"]), source_lang=data["source_lang"], target_lang=data["target_lang"], signature=data["signature"],
        segments=[seg(s) for s in data["segments"]], source_sha256=text(data["source_sha256"]), trailing=text(data["trailing"]),
        orphans=[seg(s) for s in data.get("orphans") or []],
    )


def _str(value: Any, name: str, what: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # a hand edit like `target: 2021` is still text
    if not isinstance(value, str):
        raise StoreError(f"{name}: {what} must be text, not {type(value).__name__}; fix the file by hand (nothing was overwritten)")
    return value


def _segment_from_dict(d: Any, name: str, index: int, section: str = "segments") -> Segment:
    where = f"{section}[{index}]"
    if not isinstance(d, dict):
        raise StoreError(f"{name}: {where} is not a mapping; fix the file by hand (nothing was overwritten)")
    sid = d.get("id")
    if sid is None or sid == "":
        raise StoreError(f"{name}: {where} has no `id`; fix the file by hand (nothing was overwritten)")
    if isinstance(sid, bool) or not isinstance(sid, (str, int)):
        raise StoreError(f"{name}: {where} has an `id` that is {shown(sid)}, not text; fix the file by hand (nothing was overwritten)")
    sid = str(sid)
    label = f"segment {sid}"
    status = d.get("status", "draft")
    if status not in STATUSES:
        raise StoreError(f"{name}: {label} has status {shown(status)}; use one of: {', '.join(STATUSES)}")
    if "source" not in d:
        raise StoreError(f"{name}: {label} has no `source`; fix the file by hand (nothing was overwritten)")
    target = _str(d.get("target"), name, f"{label} target")
    mt_raw = d.get("mt")
    mt = None if mt_raw is None else _str(mt_raw, name, f"{label} mt")
    terms_raw = d.get("terms") or []
    if not isinstance(terms_raw, list):
        raise StoreError(f"{name}: {label} `terms` must be a list")
    terms = []
    for t in terms_raw:
        if not isinstance(t, dict):
            raise StoreError(f"{name}: {label} has a term that is not a mapping")
        terms.append(
            TermUse(
                term=None if t.get("term") is None else str(t.get("term")),
                source=_str(t.get("source"), name, f"{label} term source"),
                en=_str(t.get("en"), name, f"{label} term en"),
                applied=bool(t.get("applied", False)),
                method=_str(t.get("method"), name, f"{label} term method"),
            )
        )
    flags = d.get("flags") or []
    if not isinstance(flags, list):
        raise StoreError(f"{name}: {label} `flags` must be a list")
    dismissed_raw = d.get("dismissed") or {}
    if not isinstance(dismissed_raw, dict):
        raise StoreError(f"{name}: {label} `dismissed` must be a mapping of flag: reason")
    dismissed = {str(k): _str(v, name, f"{label} dismissal reason") for k, v in dismissed_raw.items()}
    confidence = d.get("confidence")
    if confidence is not None and (isinstance(confidence, bool) or not isinstance(confidence, (int, float))):
        raise StoreError(f"{name}: {label} `confidence` must be a number from 0 to 1")
    paragraph = d.get("paragraph", 0)
    if not isinstance(paragraph, int) or isinstance(paragraph, bool):
        raise StoreError(f"{name}: {label} `paragraph` must be a whole number")
    for key in ("continued", "continues"):
        if not isinstance(d.get(key, False), bool):
            raise StoreError(f"{name}: {label} `{key}` must be true or false")
    notes = _records(d.get("notes"), name, label, "notes")
    history = _records(d.get("history"), name, label, "history")
    return Segment(
        id=sid,
        source=_str(d.get("source"), name, f"{label} source"),
        target=target,
        status=status,
        mt=mt,
        prefix=_str(d.get("prefix"), name, f"{label} prefix"),
        suffix=_str(d.get("suffix"), name, f"{label} suffix"),
        gap=_str(d.get("gap"), name, f"{label} gap"),
        paragraph=paragraph,
        continued=d.get("continued", False),
        continues=d.get("continues", False),
        origin=_str(d.get("origin"), name, f"{label} origin"),
        fingerprint=_str(d.get("fingerprint"), name, f"{label} fingerprint"),
        terms=terms,
        flags=[str(f) for f in flags],
        note=_str(d.get("note"), name, f"{label} note"),
        confidence=None if confidence is None else float(confidence),
        notes=[{k: _str(v, name, f"{label} note {k}") for k, v in n.items()} for n in notes],
        history=history,
        kind=_str(d.get("kind"), name, f"{label} kind"),
        conflicts=_conflicts(d.get("conflicts"), name, label),
        dismissed=dismissed,
    )


def _conflicts(value: Any, name: str, label: str) -> list[dict[str, str]]:
    if not value:
        return []
    if not isinstance(value, list) or not all(isinstance(c, dict) for c in value):
        raise StoreError(f"{name}: {label} `conflicts` must be a list of mappings; fix the file by hand (nothing was overwritten)")
    return [{str(k): _str(v, name, f"{label} conflict {k}") for k, v in c.items()} for c in value]


def _records(value: Any, name: str, label: str, what: str) -> list[dict[str, Any]]:
    """A list of mappings with text keys (`notes`, `history`); absent: []."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise StoreError(f"{name}: {label} `{what}` must be a list of mappings; fix the file by hand (nothing was overwritten)")
    return [{str(k): v for k, v in r.items()} for r in value]


def segment_id(prefix: str, text: str, suffix: str, taken: set[str]) -> str:
    """A stable id from the segment's content (so insertions elsewhere do not renumber it).

    The same content again gets ``<id>-2``, ``<id>-3``... The next free number is found by
    doubling and bisection, not one by one: a document that repeats one sentence 100,000
    times would otherwise cost 100,000² set lookups. (Numbers are handed out in order, so
    the taken ones form a run from 2; if a hand edit left a hole, a free number past it may be
    chosen, which is just as unique.)
    """
    base = "s" + hashlib.sha1((prefix + text + suffix).encode("utf-8")).hexdigest()[:8]
    sid = base
    if sid in taken:
        lo, hi = 1, 2  # invariant: <base>-lo is taken (or lo == 1: the bare base), <base>-hi is unknown
        while f"{base}-{hi}" in taken:
            lo, hi = hi, hi * 2
        while hi - lo > 1:  # <base>-hi is free: the first free one in (lo, hi]
            mid = (lo + hi) // 2
            if f"{base}-{mid}" in taken:
                lo = mid
            else:
                hi = mid
        sid = f"{base}-{hi}"
    taken.add(sid)
    return sid


@dataclass
class DocumentStatus:
    """A translations file at a glance (for ``workbench status``)."""

    document: str
    file: str
    source_lang: str
    engine: str
    machine_translated: bool
    segments: int
    by_status: dict[str, int]
    flags: dict[str, int]  # flag kind ("missing-term", "number", "no-mt", ...) -> segments
    orphans: int
    signature: str
    dismissed: dict[str, int] = field(default_factory=dict)  # flag kind -> segments where a reviewer dismissed it
    title: str = ""  # its first heading (see workbench.index.document_title)

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def list_files(out_dir: Path, docs: list[str] | None = None) -> list[Path]:
    """The translations files of ``docs`` (source paths, stems or yaml paths), or all of them."""
    if not out_dir.is_dir():
        raise StoreError(f"{out_dir}: no translations directory; run `workbench translate` first")
    if not docs:
        return [path_for(out_dir, s) for s in stems(out_dir)]
    return list(dict.fromkeys(find_document(out_dir, d) for d in docs))


_TERMINAL = tuple("。！？；.!?;…")


def document_title(doc: StoredDocument, limit: int = 120) -> str:
    """The document's title for the lists: its first heading.

    A .docx/.html document's first heading or title block; in plain text the first of the first
    ten paragraphs that reads as a heading (at most 200 characters, not ending as a sentence ends);
    failing both, the first sentence. Cut to ``limit`` characters."""
    paras: dict[int, list[Segment]] = {}
    for seg in doc.segments:
        if seg.source:
            paras.setdefault(seg.paragraph, []).append(seg)
    joined = ["".join(s.prefix + s.source if i == 0 else s.gap + s.source for i, s in enumerate(segs)).strip() for segs in paras.values()]
    kinds = [segs[0].kind for segs in paras.values()]
    title = next((t for t, k in zip(joined, kinds) if k in ("title", "heading") and t), None)
    if title is None and not any(kinds):
        title = next((t for t in joined[:10] if len(t) <= 200 and not t.endswith(_TERMINAL)), None)
    if title is None:
        title = next((s.source for s in doc.segments if s.source), "")
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 1] + "…"


def summary(out_dir: Path, docs: list[str] | None = None) -> list[DocumentStatus]:
    """Per document: segments by status and QA flags."""
    rows = []
    for path in list_files(out_dir, docs):
        doc = load(path)
        assert doc is not None
        flags: dict[str, int] = {}
        dismissed: dict[str, int] = {}
        for seg in doc.segments:
            for kind in sorted({f.split(":", 1)[0] for f in seg.flags if f not in seg.dismissed}):
                flags[kind] = flags.get(kind, 0) + 1
            for kind in sorted({f.split(":", 1)[0] for f in seg.flags if f in seg.dismissed}):
                dismissed[kind] = dismissed.get(kind, 0) + 1
        engine = str(doc.signature.get("engine", "?"))
        rows.append(
            DocumentStatus(
                document=doc.document,
                file=str(path),
                source_lang=doc.source_lang,
                engine=engine,
                machine_translated=engine != "copy" or doc.source_lang == "en",
                segments=sum(1 for s in doc.segments if s.source),
                by_status=doc.counts(),
                flags=flags,
                orphans=len(doc.orphans),
                signature=str(doc.signature.get("string", "")),
                dismissed=dismissed,
                title=document_title(doc),
            )
        )
    return rows


def status_rows(out_dir: Path, docs: list[str] | None = None) -> tuple[list[DocumentStatus], list[tuple[str, str]]]:
    """:func:`summary` from the project index (no YAML read unless a file changed), and the
    files that cannot be read with their one-line errors (they break only themselves)."""
    from workbench.index import open_index

    wanted = {p.stem for p in list_files(out_dir, docs)}
    rows: list[DocumentStatus] = []
    errors: list[tuple[str, str]] = []
    for e in open_index(out_dir).documents():
        if e.stem not in wanted:
            continue
        if e.error is not None:
            errors.append((e.file, e.error))
            continue
        s = e.summary
        rows.append(
            DocumentStatus(
                document=s["document"], file=str(path_for(out_dir, e.stem)), source_lang=s["source_lang"], engine=s["engine"],
                machine_translated=bool(s["machine_translated"]), segments=int(s["segments"]), by_status=dict(s["counts"]),
                flags=dict(s["flags"]), orphans=int(s["orphans"]), signature=s["signature"], title=str(s.get("title", "")),
            )
        )
    return rows, errors


def signature_scopes(signature: object) -> tuple[str, ...]:
    """The glossary scopes (``translate --scope``) a document's signature records: its dict
    (``scope: [...]``) or its ``string`` (``...|scope:ASEAN+CICA|...``); () when none."""
    if isinstance(signature, dict):
        got = signature.get("scope")
        return tuple(str(s) for s in got) if isinstance(got, list) else ()
    for part in str(signature or "").split("|"):
        if part.startswith("scope:"):
            return tuple(part[len("scope:") :].split("+"))
    return ()
