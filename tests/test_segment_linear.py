"""Guard: segmentation stays linear on adversarial input (issue: exponential and quadratic regexes).

Each case of benchmarks/segment_adversarial.py (1 MB of runs of superscripts,
spaces, dots, digits, quotes, combining marks, brackets, labels, line breaks,
mixed scripts, ...) runs in its own subprocess with a hard timeout, so a
regression fails the test instead of hanging CI. The budget is generous
(10 s per MB for each of segment_document and split_sentences; an idle
machine needs well under 1 s for most cases): this is a benchmark-style
guard against super-linear behaviour, not a micro-timing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from segment_adversarial import CASES  # noqa: E402

SIZE = 1_000_000
BUDGET_S_PER_MB = 10.0  # per call; the case makes two calls
STARTUP_S = 15.0  # interpreter start, import, building the input


@pytest.mark.parametrize("case", sorted(CASES))
def test_adversarial_input_is_linear(case: str) -> None:
    budget = 2 * BUDGET_S_PER_MB * SIZE / 1_000_000
    cmd = [sys.executable, str(ROOT / "benchmarks" / "segment_adversarial.py"), "--case", case, "--size", str(SIZE), "--json"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=budget + STARTUP_S, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case}: 1 MB did not segment within {budget + STARTUP_S:.0f} s (super-linear regex or scan?)")
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["case"] == case and result["size"] == SIZE
    assert result["seconds"] <= budget, f"{case}: {result['seconds']} s for 1 MB (budget {budget} s)"


def test_cases_are_one_megabyte() -> None:
    from segment_adversarial import CASES as cases

    for name, (lang, build) in cases.items():
        text = build(SIZE)
        assert len(text) == SIZE, name
        assert lang in ("zh-Hans", "zh-Hant", "vi", "en")
