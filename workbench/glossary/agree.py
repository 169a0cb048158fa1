"""Number agreement of a glossary term in a draft: the number the source makes plain.

A term's English is its entry's ``en``; the entry's ``singular`` (for a plural ``en``) or
``plural`` (for a singular one) is used where the source says so:

* singular after 每个/各一/一名/mỗi/từng/một ("each Member State");
* singular after a copula whose subject is one name: 中國是亞信創始成員國 (China is a
  founding member State), 斯里蘭卡升級成為亞信成員國 -- not when the subject is a list
  (白俄羅斯、老撾和國際移民組織成為亞信觀察員), a plural (这些国家是成员国) or the term is
  followed by 之一 ("one of the member States");
* plural after a number, các/những, or a plural term it is listed with ("3 Ministers";
  "các Đại sứ, Trưởng Phái đoàn": Ambassadors, heads of delegation).

No article is ever invented.
"""

from __future__ import annotations

import re

from workbench.errors import WorkbenchError
from workbench.glossary.core import Glossary
from workbench.glossary.model import Hit

_EACH = ("每个", "每個", "每一个", "每一個", "每一", "每", "一个", "一個", "一名", "一位", "mỗi ", "từng ", "một ")
_COUNT_RE = re.compile(r"(?:\d+|[两兩二三四五六七八九十百千]+)\s*[个個名位]?\s*$")
#: What may stand between two listed terms ("các Đại sứ, Trưởng Phái đoàn").
LIST_GAP_RE = re.compile(r"\s*(?:[,、，]|và|和|及)\s*")
#: A Chinese copula and the (short) modifier between it and the term: 是亞信, 成為亞信, 成为
_COPULA_RE = re.compile(r"(?:是|成为|成為)[^\s，,、。；;：:和及与與是]{0,4}$")
#: A subject that is more than one: a list, a plural word.
_MANY_RE = re.compile(r"[、和及与與]|这些|這些|各国|各國|们|們|诸|諸|等")


def agreed(text: str, h: Hit, glossary: Glossary | None, listed: bool = False) -> str:
    """The hit's English with the number the source makes plain (entry ``singular``/``plural``);
    ``listed``: the hit continues a list whose previous term is plural."""
    if glossary is None or h.term_id is None or h.kind != "term":
        return h.en
    try:
        term = glossary.term(h.term_id)
    except WorkbenchError:
        return h.en
    head = text[max(0, h.start - 6) : h.start]
    low = head.lower()
    if term.singular and (any(low.endswith(x) for x in _EACH) or _one_subject(text, h)):
        return term.singular
    if term.plural and (listed or _COUNT_RE.search(head) or low.endswith(("các ", "những "))) and not re.search(r"第\s*\S*$", head):
        return term.plural
    return h.en


def _one_subject(text: str, h: Hit) -> bool:
    """中國是亞信創始成員國: a copula right before the term whose clause subject is one name."""
    m = _COPULA_RE.search(text, max(0, h.start - 7), h.start)
    if m is None or text.startswith(("之一", "之間", "之间"), h.end):
        return False
    clause = re.split(r"[，,。；;：:!?！？\n]", text[max(0, m.start() - 30) : m.start()])[-1]
    return bool(clause) and _MANY_RE.search(clause) is None
