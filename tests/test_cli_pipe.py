"""A reader that stops early (`workbench ... | head`) gets no error line from us."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_closed_standard_output_is_quiet_and_exits_like_sigpipe(tmp_path: Path) -> None:
    doc = tmp_path / "long.txt"
    doc.write_text("".join(f"This is sentence number {i} of a long document. " for i in range(20000)), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "segment", str(doc), "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    code = proc.wait(timeout=120)
    assert first.startswith(b"This is sentence number 0")
    assert code == 141
    assert err == ""
