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

from segment_adversarial import BASELINE, CASES  # noqa: E402

SIZE = 1_000_000
BUDGET_S_PER_MB = 10.0  # per call; a case makes two calls
SLOW_MACHINE_FACTOR = 8.0  # on a loaded machine: this many times the ordinary text's time
STARTUP_S = 15.0  # interpreter start, import, building the input


def _run(case: str, timeout: float) -> float:
    cmd = [sys.executable, str(ROOT / "benchmarks" / "segment_adversarial.py"), "--case", case, "--size", str(SIZE), "--json"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case}: 1 MB did not segment within {timeout:.0f} s (super-linear regex or scan?)")
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["case"] == case and result["size"] == SIZE
    return float(result["seconds"])


@pytest.fixture(scope="module")
def budget() -> float:
    """Seconds allowed for one case (two calls on 1 MB): 10 s/MB per call, more on a slow machine."""
    ordinary = _run(BASELINE, 2 * BUDGET_S_PER_MB + STARTUP_S)
    return max(2 * BUDGET_S_PER_MB * SIZE / 1_000_000, SLOW_MACHINE_FACTOR * ordinary)


@pytest.mark.parametrize("case", sorted(CASES))
def test_adversarial_input_is_linear(case: str, budget: float) -> None:
    seconds = _run(case, budget + STARTUP_S)
    assert seconds <= budget, f"{case}: {seconds} s for 1 MB (budget {budget:.1f} s)"


def test_cases_are_one_megabyte() -> None:
    from segment_adversarial import CASES as cases

    for name, (lang, build) in cases.items():
        text = build(SIZE)
        assert len(text) == SIZE, name
        assert lang in ("zh-Hans", "zh-Hant", "vi", "en")


# ---------------------------------------------------------------------------
# The rewritten patterns agree with the old (super-linear) ones on short input
# ---------------------------------------------------------------------------

import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from workbench.segment import latin, structure  # noqa: E402

_SUP = "¹²³⁰⁴⁵⁶⁷⁸⁹"
_OLD_SUFFIX_RE = re.compile(rf"(?:[ \t\u00a0]*(?:\[\d{{1,3}}\]|[{_SUP}]+))+\Z")


def _old_split_suffix(body: str) -> int:
    """segment.py version 2, verbatim logic (exponential on long superscript runs)."""
    m = _OLD_SUFFIX_RE.search(body)
    if not m:
        return 0
    start = m.start()
    head = body[:start]
    if not head.strip():
        return 0
    first = body[start:].lstrip(" \t\u00a0")[0]
    if first in _SUP and head[-1].isascii() and head[-1].isalnum():
        return 0
    return len(body) - start


_OLD_ACRONYM_RE = re.compile(r"^(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}$")
_ROMAN_UP = r"(?:X{0,3}(?:IX|IV|VI{0,3}|I{1,3})|X{1,3})"
_ROMAN_LO = r"(?:x{0,3}(?:ix|iv|vi{0,3}|i{1,3})|x{1,3})"
_ZH_NUM = "一二三四五六七八九十百零〇"
_OLD_LABEL_LATIN = (
    r"(?:"
    rf"\(\s?(?:\d{{1,3}}|[a-z]{{1,2}}|[A-Z]|{_ROMAN_LO}|{_ROMAN_UP}|[{_ZH_NUM}]{{1,3}})\s?\)"
    r"|\d{1,3}(?:\.\d{1,2})*\.\)?|\d{1,3}\)"
    rf"|{_ROMAN_UP}[.)]|{_ROMAN_LO}\)|[a-z][.)]|(?P<upper>[A-Z])\.|[{_SUP}]+"
    r")"
)
_OLD_LABEL_CJK = (
    rf"(?:（(?:\d{{1,3}}|[a-zA-Z]{{1,2}}|{_ROMAN_LO}|{_ROMAN_UP}|[{_ZH_NUM}]{{1,3}})）"
    rf"|[{_ZH_NUM}]{{1,4}}、|\d{{1,3}}、|[a-zA-Z]、|[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u3251-\u325f])"
)
_OLD_BULLET = r"(?:[•·▪◦●‣⁃■□►▶➢➤✓✔※○◆◇❖]\s*|[-–—*+](?=\s|$)\s*)"
_CJK_START = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f“「『（《〈【〔‘"
_OLD_LABEL_RE = re.compile(rf"(?:{_OLD_BULLET})?(?:{_OLD_LABEL_CJK}|{_OLD_LABEL_LATIN}(?=\s|$|[{_CJK_START}]))?\s*")
_OLD_LABEL_ONLY_RE = re.compile(rf"\s*(?:{_OLD_BULLET})?(?:{_OLD_LABEL_CJK}|{_OLD_LABEL_LATIN})\s*")

_SUFFIX_TEXT = st.text(alphabet=list("ab1 \t\u00a0[]。.") + list(_SUP[:3]), max_size=14)
_LABEL_TEXT = st.text(alphabet=list("1.2)(aAiIvxX 、一（）•-*¹\t。") + ["\u2460"], max_size=12)
_TOKEN_TEXT = st.text(alphabet=list("aBcđƯ.1_"), max_size=10)


@settings(max_examples=400, deadline=None)
@given(body=_SUFFIX_TEXT)
def test_split_suffix_agrees_with_version_2(body: str) -> None:
    assert structure.split_suffix(body) == _old_split_suffix(body)


@settings(max_examples=400, deadline=None)
@given(seg=_LABEL_TEXT)
def test_label_patterns_agree_with_version_2(seg: str) -> None:
    new, old = structure.LABEL_RE.match(seg), _OLD_LABEL_RE.match(seg)
    assert (new.end(), new.group("upper")) == (old.end(), old.group("upper"))  # type: ignore[union-attr]
    assert bool(structure.LABEL_ONLY_RE.fullmatch(seg)) == bool(_OLD_LABEL_ONLY_RE.fullmatch(seg))


@settings(max_examples=400, deadline=None)
@given(tok=_TOKEN_TEXT)
def test_dotted_acronym_agrees_with_version_2(tok: str) -> None:
    assert latin._dotted_acronym(tok) == bool(_OLD_ACRONYM_RE.match(tok))


@pytest.mark.parametrize("body,expected", [
    ("Text.¹", 1), ("Text. [1][2]", 7), ("5 km²", 0), ("km² ¹", 0), ("[1]", 0), ("a [1234]", 0),
    ("a" + "¹" * 40 + "x", 0), ("注释。¹²", 2), ("a\u00a0[12]", 5),
])
def test_split_suffix_cases(body: str, expected: int) -> None:
    assert structure.split_suffix(body) == expected
