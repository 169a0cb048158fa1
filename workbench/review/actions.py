"""The review changes: edit, approve, dismiss a flag, revert, split, merge, find & replace,
undo, notes, reattach or discard an orphan, move a sentence to the neighbouring bead.

    change = edit(Path("translations"), "000_093349a39d32f8f2", seg_id, "Letter dated ...", expected_digest=opened.digest)

Each is a small function of the parsed document handed to :func:`workbench.review.apply._apply`
(which checks the version, records history, saves and indexes). Changes that replace edited or
approved English raise :class:`ConfirmError` unless ``force=True``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from workbench import qa, store
from workbench.errors import InputError
from workbench.glossary import Glossary
from workbench.review.apply import Change, ConfirmError, _apply, _now, reviewer
from workbench.review.opening import check_text, find_segment


def edit(out_dir: Path, doc: str | Path, seg_id: str, text: str, expected_digest: str | None = None, glossary: Glossary | None = None, who: str | None = None) -> Change:
    """Set a segment's English to ``text``; its status becomes ``edited``."""
    check_text(text, "the new English")
    text = text.strip()
    if not text:
        raise InputError("the new target is empty; give the English text (or use revert to go back to the machine draft)")

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        seg = d.segments[find_segment(d, seg_id, name)]
        if not seg.source:
            raise InputError(f"segment {seg_id} has no source text to translate; nothing to edit")
        seg.target = text
        seg.status = "edited"
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "edit", who, [seg_id])


def approve(
    out_dir: Path,
    doc: str | Path,
    ids: Iterable[str] = (),
    *,
    all_clean: bool = False,
    expected_digest: str | None = None,
    glossary: Glossary | None = None,
    override: bool = False,
    who: str | None = None,
) -> Change:
    """Approve segments by id, or (``all_clean``) every unapproved segment without open QA flags.

    Approval never clears a flag: a segment with an open error-level flag (not dismissed)
    is refused unless ``override`` is given; ``all_clean`` skips every segment with an open flag.
    """
    wanted = list(ids)
    if not wanted and not all_clean:
        raise InputError("say which segments to approve: give SEGMENT_IDS or --all-clean")

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        if all_clean:
            chosen = [s for s in d.segments if s.source and s.target.strip() and s.status != "approved" and not qa.open_flags(s.flags, s.dismissed)]
        else:
            chosen = [d.segments[find_segment(d, sid, name)] for sid in wanted]
        for seg in chosen:
            if not seg.target.strip():
                raise InputError(f"segment {seg.id} has no English yet; edit it before approving")
            open_errors = qa.blocking(seg.flags, seg.dismissed)
            if open_errors and not override:
                raise InputError(
                    f"segment {seg.id} has open QA flags ({', '.join(open_errors)}); fix the English, dismiss the flag with a reason "
                    "(workbench review dismiss), or approve anyway with --override"
                )
        for seg in chosen:
            seg.status = "approved"
        return [s.id for s in chosen]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "approve", who, None if all_clean else wanted)


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def dismiss_flag(
    out_dir: Path,
    doc: str | Path,
    seg_id: str,
    flag: str,
    reason: str,
    *,
    expected_digest: str | None = None,
    glossary: Glossary | None = None,
    who: str | None = None,
) -> Change:
    """Dismiss one QA flag of a segment with a reason (stored with the segment, counted by
    ``status``); ``flag`` is the exact flag or its kind when the segment has one of that kind."""
    if not reason.strip():
        raise InputError("say why the flag is dismissed: give a reason (--reason \"...\")")

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        seg = d.segments[find_segment(d, seg_id, name)]
        matches = [f for f in seg.flags if f == flag] or [f for f in seg.flags if f.split(":", 1)[0] == flag]
        if not matches:
            raise InputError(f"segment {seg.id} has no flag {flag!r}; its flags: {', '.join(seg.flags) or 'none'}")
        if len(matches) > 1:
            raise InputError(f"segment {seg.id} has several {flag!r} flags ({', '.join(matches)}); name one exactly")
        seg.dismissed[matches[0]] = reason.strip()
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "dismiss", who, [seg_id])


def revert(out_dir: Path, doc: str | Path, seg_id: str, expected_digest: str | None = None, glossary: Glossary | None = None, *, force: bool = False, who: str | None = None) -> Change:
    """Put the machine draft back as the target; status becomes ``draft``.

    On an edited or approved segment whose English is not the draft, this replaces a person's
    work: refused with :class:`ConfirmError` (saying what would be replaced) unless ``force``.
    The replaced English stays in the segment's history (``undo`` restores it)."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        seg = d.segments[find_segment(d, seg_id, name)]
        if seg.mt is None:
            raise InputError(f"segment {seg_id} has no machine draft to revert to (it was split, merged or written by hand); edit it instead")
        if not force and seg.status in store.HUMAN_STATUSES and seg.target != seg.mt:
            raise ConfirmError(
                f"confirm: segment {seg_id} is {seg.status}; reverting replaces its English \"{_short(seg.target)}\" with the machine draft "
                "(it stays in the history; `review undo` brings it back); add --force to revert"
            )
        seg.target = seg.mt
        seg.status = "draft"
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "revert", who, [seg_id])


def _taken_ids(d: store.StoredDocument) -> set[str]:
    return {s.id for s in d.segments} | {s.id for s in d.orphans}


def _snapshot(seg: store.Segment) -> dict[str, Any]:
    return {"source": seg.source, "suffix": seg.suffix, "target": seg.target, "mt": seg.mt, "status": seg.status, "fingerprint": seg.fingerprint}


def split(
    out_dir: Path,
    doc: str | Path,
    seg_id: str,
    source_at: int,
    target_at: int,
    expected_digest: str | None = None,
    glossary: Glossary | None = None,
    *,
    force: bool = False,
    who: str | None = None,
) -> Change:
    """Split a segment in two: the source at character ``source_at``, the English at ``target_at``.

    The first part keeps the id, the gap and the prefix; the second gets a new id,
    the suffix, and as its gap the white space removed at the split point, so the
    document's source text is rebuilt exactly. Both parts become ``edited`` (an approved
    segment needs ``force``: it loses its approval). ``undo`` on the first part joins them again.
    """

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        i = find_segment(d, seg_id, name)
        seg = d.segments[i]
        src, tgt = seg.source, seg.target
        if not 0 < source_at < len(src):
            raise InputError(f"split point {source_at} is outside segment {seg_id}'s source (1..{len(src) - 1})")
        if not 0 <= target_at <= len(tgt):
            raise InputError(f"split point {target_at} is outside segment {seg_id}'s English (0..{len(tgt)})")
        left, right = src[:source_at], src[source_at:]
        left_src, right_src = left.rstrip(), right.lstrip()
        if not left_src or not right_src:
            raise InputError(f"splitting segment {seg_id} at {source_at} would leave an empty part; choose a point inside the text")
        if seg.status == "approved" and not force:
            raise ConfirmError(f"confirm: segment {seg_id} is approved; splitting makes both parts edited (undo joins them again); add --force to split")
        old = _snapshot(seg)
        gap = left[len(left_src):] + right[: len(right) - len(right_src)]
        second = store.Segment(
            id=store.segment_id("", right_src, seg.suffix, _taken_ids(d)),
            source=right_src,
            target=tgt[target_at:].strip(),
            status="edited",
            mt=None,
            suffix=seg.suffix,
            gap=gap,
            paragraph=seg.paragraph,
            origin=seg.origin,
            note="",
        )
        seg.source, seg.target, seg.suffix = left_src, tgt[:target_at].strip(), ""
        seg.status, seg.mt, seg.fingerprint = "edited", None, ""
        d.segments.insert(i + 1, second)
        extra[seg.id] = {"old": old, "added": second.id}
        extra[second.id] = {"split_from": seg.id}
        return [seg.id, second.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "split", who, [seg_id])


def merge(out_dir: Path, doc: str | Path, seg_id: str, expected_digest: str | None = None, glossary: Glossary | None = None, *, force: bool = False, who: str | None = None) -> Change:
    """Merge a segment with the next one: sources joined with the gap between them, English with a space.

    The merged segment keeps the joined machine drafts (when both have one) and both notes;
    merging an approved segment needs ``force`` (it loses its approval: the merged segment is
    edited). Edited English is kept in the joined English, and the segment merged away is kept
    in the history, so ``undo`` splits them again exactly."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        i = find_segment(d, seg_id, name)
        if i + 1 >= len(d.segments):
            raise InputError(f"segment {seg_id} is the last one; there is no next segment to merge with")
        a, b = d.segments[i], d.segments[i + 1]
        if b.paragraph != a.paragraph or "\n\n" in b.gap:
            raise InputError(f"segments {a.id} and {b.id} are in different paragraphs; only sentences of one paragraph can be merged")
        approved = [s.id for s in (a, b) if s.status == "approved"]
        if approved and not force:
            raise ConfirmError(f"confirm: {' and '.join(approved)} approved; merging makes one edited segment of both, to approve again (undo splits them again); add --force to merge")
        extra[a.id] = {"old": _snapshot(a), "removed": b.as_dict()}
        a.source = a.source + a.suffix + b.gap + b.prefix + b.source
        a.suffix = b.suffix
        a.target = " ".join(t for t in (a.target.strip(), b.target.strip()) if t)
        a.mt = None if a.mt is None or b.mt is None else " ".join(t for t in (a.mt.strip(), b.mt.strip()) if t)
        a.status, a.fingerprint = "edited", ""
        a.note = "\n".join(n for n in (a.note, b.note) if n)
        a.notes = a.notes + b.notes
        del d.segments[i + 1]
        return [a.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "merge", who)


def replace_all(out_dir: Path, doc: str | Path, targets: dict[str, str], expected_digest: str | None = None, glossary: Glossary | None = None, *, who: str | None = None) -> Change:
    """Set the English of several segments in one save (find & replace); each becomes ``edited``."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        out = []
        for sid, text in targets.items():
            seg = d.segments[find_segment(d, sid, name)]
            if text.strip() and text != seg.target:
                seg.target, seg.status = text, "edited"
                out.append(seg.id)
        return out

    return _apply(out_dir, doc, expected_digest, fn, glossary, "replace", who, list(targets))


def _last_undoable(seg: store.Segment) -> int | None:
    for i in range(len(seg.history) - 1, -1, -1):
        h = seg.history[i]
        if h.get("action") not in ("undo", "note") and not h.get("undone"):
            return i
    return None


def undo(out_dir: Path, doc: str | Path, seg_id: str, expected_digest: str | None = None, glossary: Glossary | None = None, *, force: bool = False, who: str | None = None) -> Change:
    """Restore the segment's version before its last change (again: the one before that).

    An undone split joins the two parts; an undone merge brings the merged-away segment back.
    The undo itself is recorded in the history, and the undone entry is marked ``undone``."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        i = find_segment(d, seg_id, name)
        seg = d.segments[i]
        k = _last_undoable(seg)
        if k is None:
            raise InputError(f"segment {seg_id} has no change to undo (see `workbench review history {name} {seg_id}`)")
        h = seg.history[k]
        act = h.get("action")
        touched = [seg.id]
        if act == "split":
            added = str(h.get("added", ""))
            if i + 1 >= len(d.segments) or d.segments[i + 1].id != added:
                raise InputError(f"cannot undo the split of {seg_id}: its second part {added} is no longer next to it; merge them instead")
            second = d.segments[i + 1]
            if not force and len(second.history) > 1:
                raise ConfirmError(f"confirm: the second part {added} was changed after the split; undoing the split drops those changes (its history is kept on {seg_id}); add --force")
            _restore(seg, h.get("old") or {})
            extra[seg.id] = {"undid": "split", "removed": second.as_dict()}
            del d.segments[i + 1]
        elif act == "merge":
            removed = h.get("removed")
            if not isinstance(removed, dict):
                raise InputError(f"cannot undo the merge of {seg_id}: the history does not hold the merged segment")
            b = store._segment_from_dict(removed, name, 0, "history")
            if b.id in _taken_ids(d):
                raise InputError(f"cannot undo the merge of {seg_id}: segment {b.id} exists again")
            _restore(seg, h.get("old") or {})
            seg.notes = [n for n in seg.notes if n not in b.notes]
            d.segments.insert(i + 1, b)
            extra[seg.id] = {"undid": "merge"}
            touched.append(b.id)
        elif act == "move":
            touched.append(_undo_move_partner(d, seg, h, name))
            _put_back(seg, h)
            extra[seg.id] = {"undid": "move"}
            extra[touched[-1]] = {"undid": "move"}
        else:
            if "old_target" not in h:
                raise InputError(f"segment {seg_id} was made by a split; undo the split on the segment before it")
            seg.target = str(h.get("old_target") or "")
            old_status = h.get("old_status")
            seg.status = old_status if old_status in store.STATUSES else "edited"
            extra[seg.id] = {"undid": act}
        seg.history[k] = {**h, "undone": True}
        return touched

    return _apply(out_dir, doc, expected_digest, fn, glossary, "undo", who)


def _put_back(seg: store.Segment, h: dict[str, Any]) -> None:
    """A segment's English and status as they were before the history entry ``h``."""
    seg.target = str(h.get("old_target") or "")
    old_status = h.get("old_status")
    seg.status = old_status if old_status in store.STATUSES else "edited"


def _undo_move_partner(d: store.StoredDocument, seg: store.Segment, h: dict[str, Any], name: str) -> str:
    """Undoing a moved sentence puts back the other segment of the move too (its entry marked
    undone); refused when that segment was changed since (the sentence would be doubled or lost)."""
    other = str(h.get("to") or h.get("from") or "")
    j = next((j for j, s in enumerate(d.segments) if s.id == other), None)
    if j is None:
        raise InputError(f"cannot undo the move of {seg.id}: the other segment {other} is gone; edit the English instead")
    partner = d.segments[j]
    k = _last_undoable(partner)
    ph = partner.history[k] if k is not None else {}
    if ph.get("action") != "move" or (ph.get("to") or ph.get("from")) != seg.id or ph.get("moved") != h.get("moved"):
        raise InputError(f"cannot undo the move of {seg.id}: segment {other} was changed after it; undo that change first (`workbench review history {name} {other}`)")
    _put_back(partner, ph)
    assert k is not None
    partner.history[k] = {**ph, "undone": True}
    return partner.id


def move_sentence(
    out_dir: Path,
    doc: str | Path,
    seg_id: str,
    direction: str,
    expected_digest: str | None = None,
    glossary: Glossary | None = None,
    *,
    force: bool = False,
    who: str | None = None,
) -> Change:
    """Move one sentence of a segment's English to the neighbouring segment (alignment review: a
    translated sentence that landed in the wrong bead). ``direction`` ``down``: the last sentence
    goes to the start of the next segment's English; ``up``: the first goes to the end of the
    previous one's (segments without source text, labels, are stepped over). Both segments
    become edited (approved ones need ``force``); ``undo`` on either puts both back."""
    if direction not in ("up", "down"):
        raise InputError(f"direction {direction!r}: say up (to the previous segment) or down (to the next)")
    from workbench.segment import split_sentences

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        i = find_segment(d, seg_id, name)
        step = 1 if direction == "down" else -1
        j = i + step
        while 0 <= j < len(d.segments) and not d.segments[j].source:
            j += step
        if not 0 <= j < len(d.segments):
            where = "next" if step > 0 else "previous"
            raise InputError(f"segment {seg_id} has no {where} segment to move a sentence to; move it the other way")
        a, b = d.segments[i], d.segments[j]
        lang = d.target_lang or "en"
        sents = split_sentences(a.target, lang) if a.target.strip() else []
        if not sents:
            raise InputError(f"segment {seg_id} has no English to move; move a sentence into it from its neighbour instead")
        approved = [s.id for s in (a, b) if s.status == "approved"]
        if approved and not force:
            raise ConfirmError(f"confirm: {' and '.join(approved)} approved; moving the sentence makes both edited, to approve again (undo puts it back); add --force to move")
        joiner = "" if lang.startswith("zh") else " "
        moved = sents[-1] if step > 0 else sents[0]
        a.target = joiner.join(sents[:-1] if step > 0 else sents[1:])
        parts = [moved, b.target.strip()] if step > 0 else [b.target.strip(), moved]
        b.target = joiner.join(p for p in parts if p)
        a.status = b.status = "edited"
        extra[a.id] = {"moved": moved, "to": b.id}
        extra[b.id] = {"moved": moved, "from": a.id}
        return [a.id, b.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "move", who)


def _restore(seg: store.Segment, old: dict[str, Any]) -> None:
    for key in ("source", "suffix", "target", "fingerprint"):
        if isinstance(old.get(key), str):
            setattr(seg, key, old[key])
    seg.mt = old.get("mt") if isinstance(old.get("mt"), str) else None
    seg.status = old.get("status") if old.get("status") in store.STATUSES else "edited"


def add_note(out_dir: Path, doc: str | Path, seg_id: str, text: str, expected_digest: str | None = None, *, who: str | None = None) -> Change:
    """Add a reviewer's note to a segment (kept as ``notes: [{text, by, at}]``; exported to XLIFF)."""
    check_text(text, "the note")
    text = text.strip()
    if not text:
        raise InputError("the note is empty; give its text")
    if len(text) > 10_000:
        raise InputError("the note is longer than 10,000 characters; shorten it")
    by = reviewer(who)

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        seg = d.segments[find_segment(d, seg_id, name)]
        seg.notes.append({"text": text, "by": by, "at": _now()})
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, None, "", who)


def reattach(out_dir: Path, doc: str | Path, orphan_id: str, seg_id: str, expected_digest: str | None = None, glossary: Glossary | None = None, *, force: bool = False, who: str | None = None) -> Change:
    """Give an orphan's English (and status, notes) to segment ``seg_id``; the orphan leaves ``orphans``."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        j = next((j for j, o in enumerate(d.orphans) if o.id == orphan_id), None)
        if j is None:
            raise InputError(f"no orphan {orphan_id!r} in {name}; list them with `workbench review orphans {name}`")
        seg = d.segments[find_segment(d, seg_id, name)]
        if not force and store.is_human(seg):
            raise ConfirmError(f"confirm: segment {seg_id} is {seg.status} (\"{_short(seg.target)}\"); reattaching replaces its English; add --force")
        o = d.orphans.pop(j)
        seg.target = o.target
        seg.status = o.status if o.status in store.HUMAN_STATUSES else "edited"
        seg.notes = seg.notes + o.notes
        extra[seg.id] = {"orphan": {"id": o.id, "source": o.source}}
        return [seg.id]

    return _apply(out_dir, doc, expected_digest, fn, glossary, "reattach", who, [seg_id])


def discard_orphan(out_dir: Path, doc: str | Path, orphan_id: str, expected_digest: str | None = None, *, who: str | None = None) -> Change:
    """Drop an orphan (human work whose source left the document) for good."""

    def fn(d: store.StoredDocument, name: str, extra: dict[str, dict[str, Any]]) -> list[str]:
        j = next((j for j, o in enumerate(d.orphans) if o.id == orphan_id), None)
        if j is None:
            raise InputError(f"no orphan {orphan_id!r} in {name}; list them with `workbench review orphans {name}`")
        del d.orphans[j]
        return []

    return _apply(out_dir, doc, expected_digest, fn, None, "", who)
