"""The nesting guard decides by itself, whatever the PyYAML release says about deep nesting."""

from __future__ import annotations

import pytest

from workbench import yaml_guard


@pytest.mark.parametrize(
    ("text", "deep"),
    [
        ("a: 1\nb: [x, {c: [d]}]\n", False),
        ("a: " + "[" * 150 + "]" * 150 + "\n" + "# " + "[" * 1000 + "\n", True),  # past our limit, below libyaml's
        ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", True),  # past every library's limit
        ("a: '" + "[" * 2000 + "'\n", False),  # brackets inside a quoted scalar are text
        ("a: [" + "'[', " * 1200 + "x]\n", False),
    ],
)
def test_too_deep_is_decided_by_the_guard(text: str, deep: bool) -> None:
    assert (yaml_guard.too_deep(text) is not None) is deep
