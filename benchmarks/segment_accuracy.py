"""Segmentation accuracy on the annotated development sets.

Runs workbench.segment.split_sentences, pySBD and sentencex on every passage of
tests/data/segment/<lang>.jsonl and prints, per language, the share of passages
whose sentence list matches the annotation exactly (over all passages and over
the multi-sentence ones). A segmenter that does not support a language, or is
not installed, shows "n/a".

With --data DIR, every <lang>.jsonl and <lang>_<name>.jsonl in DIR is
measured (lang one of zh-Hans, zh-Hant, vi, en), e.g. ~/.cache/workbench-segment/segment_real
(UD dev files, built by make_segment_real.py) or tests/data/segment_blind.

Each line of a dev set is {"sentences": [...]} (the passage is the sentences
joined by "" for Chinese and " " otherwise) or {"text": ..., "sentences": [...]}.

Usage: python benchmarks/segment_accuracy.py [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.segment import split_sentences  # noqa: E402

DEV_DIR = ROOT / "tests" / "data" / "segment"
LANGS = ["zh-Hans", "zh-Hant", "vi", "en"]

Splitter = Callable[[str], list[str]]


def load_dev(lang: str, data_dir: Path = DEV_DIR, stem: str | None = None) -> list[tuple[str, list[str]]]:
    """(passage, expected sentences) pairs of one dev set (file ``<stem or lang>.jsonl``)."""
    joiner = "" if lang.startswith("zh") else " "
    out = []
    with open(data_dir / f"{stem or lang}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            sents = rec["sentences"]
            out.append((rec.get("text", joiner.join(sents)), sents))
    return out


def ours(lang: str) -> Splitter:
    return lambda text: split_sentences(text, lang)


def pysbd_splitter(lang: str) -> Splitter | None:
    try:
        import pysbd
    except ImportError:
        return None
    code = {"en": "en", "zh-Hans": "zh", "zh-Hant": "zh"}.get(lang)
    if code is None:
        return None
    seg = pysbd.Segmenter(language=code, clean=False)
    return lambda text: [s.strip() for s in seg.segment(text) if s.strip()]


def sentencex_splitter(lang: str) -> Splitter | None:
    try:
        import sentencex
    except ImportError:
        return None
    code = {"en": "en", "vi": "vi", "zh-Hans": "zh", "zh-Hant": "zh"}[lang]
    return lambda text: [s.strip() for s in sentencex.segment(code, text) if s.strip()]


def score(split: Splitter, dev: list[tuple[str, list[str]]]) -> tuple[float, float, list]:
    ok = ok_multi = n_multi = 0
    errors = []
    for text, expected in dev:
        try:
            got = split(text)
        except Exception as exc:  # a baseline crashing counts as a miss
            got = [f"<error {exc!r}>"]
        hit = got == expected
        ok += hit
        if len(expected) > 1:
            n_multi += 1
            ok_multi += hit
        if not hit:
            errors.append((text, expected, got))
    return 100.0 * ok / len(dev), 100.0 * ok_multi / max(n_multi, 1), errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-errors", action="store_true", help="print our mismatches")
    ap.add_argument("--data", type=Path, default=DEV_DIR, help="a directory of <lang>.jsonl sets (default: the dev sets; tests/data/segment_blind is the blind set)")
    args = ap.parse_args()
    rows = []
    sets = [(lang, lang) for lang in LANGS if (args.data / f"{lang}.jsonl").exists()]
    sets += [(p.stem.split("_", 1)[0], p.stem) for p in sorted(args.data.glob("*_*.jsonl")) if p.stem.split("_", 1)[0] in LANGS]
    for lang, stem in sets:
        dev = load_dev(lang, args.data, stem)
        n_multi = sum(len(s) > 1 for _, s in dev)
        cells = []
        for name, make in (("ours", ours), ("pysbd", pysbd_splitter), ("sentencex", sentencex_splitter)):
            split = make(lang)
            if split is None:
                cells.append("n/a")
                continue
            _, multi, errors = score(split, dev)
            cells.append(f"{multi:6.1f}")
            if name == "ours" and args.show_errors:
                for text, exp, got in errors:
                    print(f"[{stem}] {text!r}\n  expected {exp}\n  got      {got}")
        rows.append((stem, len(dev), n_multi, *cells))
    header = ("set", "passages", "multi", "ours %", "pysbd %", "sentencex %")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    print(f"Exact-match accuracy on multi-sentence passages ({args.data.relative_to(ROOT) if args.data.is_relative_to(ROOT) else args.data})")
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
