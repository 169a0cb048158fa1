"""The glossary: entry model and matching, hand-readable YAML edits, exchange formats, check, suggest.

    from workbench.glossary import Glossary
    g = Glossary.load("glossary.yaml")
    g.find("越南作为安全理事会主席", "zh-Hans")

Modules (imports only go down this list):

* :mod:`~workbench.glossary.normalize` -- match keys (script, case, dash and Vietnamese tone folding);
* :mod:`~workbench.glossary.model` -- :class:`Term` (with its metadata) and :class:`Hit`, entry parsing;
* :mod:`~workbench.glossary.text` -- non-translatables and :func:`contains_term` for English targets;
* :mod:`~workbench.glossary.lexicon` -- the Chinese word lexicon that decides doubtful hits;
* :mod:`~workbench.glossary.core` -- :class:`Glossary`: loading, validation, matching;
* :mod:`~workbench.glossary.agree` -- the number of a term in a draft (each Member State, 3 Ministers);
* :mod:`~workbench.glossary.edit` -- add/edit/remove that keep the curator's file as written, under a lock;
* :mod:`~workbench.glossary.check` -- ``glossary check`` and the impact of a change;
* :mod:`~workbench.glossary.suggest` -- ``glossary suggest``;
* :mod:`~workbench.glossary.formats` -- TBX, CSV and OmegaT import/export.
"""

from workbench.glossary.core import Glossary
from workbench.glossary.model import Hit, Term
from workbench.glossary.normalize import LANG_FAMILIES, match_key, normalize_zh
from workbench.glossary.text import contains_term, find_nontranslatables

__all__ = [
    "Term",
    "Hit",
    "Glossary",
    "find_nontranslatables",
    "contains_term",
    "normalize_zh",
    "match_key",
    "LANG_FAMILIES",
]
