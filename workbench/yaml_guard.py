"""A guard for YAML files people edit by hand: refuse absurdly deep nesting before parsing.

libyaml's composer (behind PyYAML's ``CSafeLoader``) recurses in C once per nesting level, so a
file of a few hundred kilobytes such as ``a: [[[[...]]]]`` nested 100,000 deep overflows the C
stack: the process dies with a segmentation fault, which no ``except`` can catch. Real workbench
files nest a handful of levels deep.

    where = too_deep(text)      # None, or (line, column) where the nesting passes MAX_DEPTH
    if where: raise StoreError(f"{name}: nested more than {MAX_DEPTH} levels deep at line {where[0]} ...")

The exact check walks libyaml's parser events (iterative, never recursive). It costs about a
sixth of a full load, so it runs only when a cheap scan of the text says deep nesting is
possible at all: many ``[``/``{``, a line indented hundreds of columns, or a long run of
compact block indicators (``- - - - x``, ``? - ? - x``).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

#: Deeper than this is refused, with our own message. Our files nest about 5 levels; libyaml
#: survives ~20,000 in C, and newer PyYAML releases refuse 1,000 with a message of their own, so
#: our limit sits well below any library's and the wording is always ours.
MAX_DEPTH = 100
#: The cheap pre-check only looks for nesting that could endanger the parser at all.
_DANGER = 1000

_Parser: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: A line indented 500+ columns, or starting with 250+ compact block indicators (a block
#: collection cannot start later on a line, so only line starts are tried: fast).
_DEEP_BLOCK = re.compile(r"^(?:[ ]{500}|[ ]*(?:[-?][ \t]+(?:[!&][^ \t\n]*[ \t]+)*){250})", re.MULTILINE)
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _maybe_deep(text: str) -> bool:
    if text.count("[") + text.count("{") >= _DANGER:
        return True
    return _DEEP_BLOCK.search(text) is not None


def too_deep(text: str, limit: int = MAX_DEPTH) -> tuple[int, int] | None:
    """Where (1-based line, column) ``text`` nests collections more than ``limit`` deep, or None.

    A syntax error found while checking is left for the real load to report (with its own line
    and column), so this returns None then.
    """
    if limit >= MAX_DEPTH and not _maybe_deep(text):  # too few brackets or indents to be a danger
        return None
    parser = _Parser(text)
    depth = 0
    try:
        while True:
            event = parser.get_event()
            if event is None:
                return None
            if isinstance(event, _OPEN):
                depth += 1
                if depth > limit:
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
            elif isinstance(event, _CLOSE):
                depth -= 1
    except yaml.YAMLError as exc:
        # Some PyYAML releases refuse deep nesting themselves while scanning ahead, with their own
        # wording: decide from the text, so that the message is ours whatever the version.
        if _flow_depth(text) > limit or _DEEP_BLOCK.search(text) is not None:
            mark = getattr(exc, "problem_mark", None)
            return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        return None
    finally:
        parser.dispose()


_FLOW_TOKEN = re.compile(r"""[\[{\]}]|"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|#[^\n]*""")


def _flow_depth(text: str) -> int:
    """The deepest nesting of flow collections (``[``/``{``) in ``text``, quoted scalars and
    comments skipped. An approximation (a bracket inside a plain scalar counts), used only on
    text the parser has already refused."""
    depth = deepest = 0
    for match in _FLOW_TOKEN.finditer(text):
        char = match.group()[0]
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    return deepest


#: Longest integer scalar accepted (digits and signs/underscores). Python refuses to convert more
#: than 4,300 digits (ValueError, not a YAML error); no workbench value needs more than 20.
MAX_INT_CHARS = 100


class StrictLoader(_Parser):  # type: ignore[misc, valid-type]
    """Safe loading (libyaml's parser when available) that refuses what a person's hand edit can
    silently get wrong: a key given twice in one mapping (PyYAML keeps the last one, so a
    reviewer's ``status: approved`` or ``target:`` would vanish without a word) and an integer
    too long to be a number we use (Python's int-string limit would raise a bare ValueError).

    Both are ``ConstructorError``s with the line and column of the offending key or value, so
    every caller reports them like any other YAML error. Merge keys (``<<``) may still be
    overridden by an explicit key, as YAML intends.
    """

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key_node, _value in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=False)
                try:
                    first = seen.setdefault(key, key_node)
                except TypeError:  # an unhashable key: the base class reports it
                    continue
                if first is not key_node:
                    line = first.start_mark.line + 1 if first.start_mark is not None else 0
                    start = node.start_mark.line + 1 if node.start_mark is not None else 0
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark,
                        f"key {shown(key)} appears twice in the mapping at line {start} (first at line {line}); keep one of the two",
                        key_node.start_mark,
                    )
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node: yaml.Node) -> Any:
        value = str(getattr(node, "value", ""))
        if len(value) > MAX_INT_CHARS:
            raise yaml.constructor.ConstructorError(
                None, None, f"an integer {len(value)} characters long is not a number workbench uses; quote it if it is text", node.start_mark
            )
        return super().construct_yaml_int(node)


StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)


class NoAliasLoader(StrictLoader):
    """:class:`StrictLoader` that also refuses an alias (``*name``) of a list or mapping.

    Our files never contain one, and a few lines of nested aliases ("billion laughs") expand
    to billions of strings as soon as anything walks or prints the value.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if not isinstance(node, yaml.ScalarNode) and node in self.constructed_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "an alias (*name) repeats a list or mapping; write the value out instead", node.start_mark
            )
        return super().construct_object(node, deep)


def shown(value: Any) -> str:
    """A hand-typed value for a one-line message: short, and never a whole list or mapping."""
    if value is None or isinstance(value, (str, int, float, bool)):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "...'"
    return f"a {type(value).__name__}"
