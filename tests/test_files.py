"""Files we write keep the mode a user expects; CSV cells cannot become formulas."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench import files


def test_a_new_file_gets_the_umask_mode_and_an_existing_file_keeps_its_own(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        new = tmp_path / "new.yaml"
        files.atomic_write_text(new, "a: 1\n")
        assert new.stat().st_mode & 0o777 == 0o644
        shared = tmp_path / "shared.yaml"
        shared.write_text("x\n")
        shared.chmod(0o664)
        files.atomic_write_text(shared, "y\n")
        assert shared.stat().st_mode & 0o777 == 0o664 and shared.read_text() == "y\n"
    finally:
        os.umask(old)
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Security Council", "Security Council"),
        ("a=b", "a=b"),
        (None, ""),
    ],
)
def test_csv_cells_are_neutralised(cell: object, safe: str) -> None:
    assert files.csv_cell(cell) == safe
