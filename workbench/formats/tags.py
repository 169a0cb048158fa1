"""Inline placeholders: the tags a reviewer sees for formatting kept out of the text.

    <b1>Security Council</b1>   bold (i: italics, u: underline, a: link, sup/sub, g: other formatting)
    <x2/>                       a thing without text: footnote reference, line break, image, field

Numbers are unique within a block (a Word paragraph, an HTML block) and name one original
piece of formatting, so the English text may move tags around but must keep each one.
This module has no dependencies so that :mod:`workbench.qa` can import it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

#: One placeholder: <b1>, </b1> or <x2/>.
TAG = re.compile(r"<(/?)([a-z]{1,4})(\d{1,4})(/?)>")


@dataclass(frozen=True)
class Token:
    """A piece of a block's text: ``text`` (kind "text") or a tag (kind "open", "close", "empty")."""

    kind: str
    text: str = ""
    name: str = ""  # "b", "i", "a", "x"...
    num: int = 0


def tokens(text: str) -> list[Token]:
    """``text`` cut into text and placeholder tokens."""
    out: list[Token] = []
    pos = 0
    for m in TAG.finditer(text):
        if m.start() > pos:
            out.append(Token("text", text[pos : m.start()]))
        closing, name, num, empty = m.group(1), m.group(2), int(m.group(3)), m.group(4)
        if closing and empty:  # "</b1/>" is no tag of ours
            out.append(Token("text", m.group(0)))
        else:
            out.append(Token("close" if closing else "empty" if empty else "open", m.group(0), name, num))
        pos = m.end()
    if pos < len(text):
        out.append(Token("text", text[pos:]))
    return out


def tag_list(text: str) -> list[str]:
    """The placeholders in ``text``, in order ("<b1>", "</b1>", "<x2/>")."""
    return [t.text for t in tokens(text) if t.kind != "text"]


def strip_tags(text: str) -> str:
    """``text`` without its placeholders."""
    return "".join(t.text for t in tokens(text) if t.kind == "text")


def tag_flags(source: str, target: str) -> list[str]:
    """QA flags for placeholders lost from or added to ``target`` (``tag:lost:<b1>``,
    ``tag:extra:<x3/>``); nothing when neither side has a placeholder."""
    if "<" not in source and "<" not in target:
        return []
    want, have = Counter(tag_list(source)), Counter(tag_list(target))
    if not want and not have:
        return []
    flags = [f"tag:lost:{t}" for t in want if have[t] < want[t]]
    flags += [f"tag:extra:{t}" for t in have if want[t] < have[t]]
    return flags
