"""Start-up: ``workbench translate ONE.txt`` on a one-sentence document, whole command.

Usage:
    python benchmarks/startup.py            # 5 runs each of --engine copy and --engine argos
    python benchmarks/startup.py --runs 9 --imports   # also the slowest imports (-X importtime)
    python benchmarks/startup.py --before main         # also the workbench of another git revision, interleaved

Each run is a fresh ``python -m workbench translate ONE.txt --engine ENGINE --no-download``
in a fresh project (the shipped glossary.yaml, a one-sentence zh-Hans document; the argos
engine uses mt_speed.py's synthetic Transformer-base package). The argos runs go through
benchmarks/wb_cli.py, as mt_speed.py's row C does: its random-weight model never copies
the injected glossary term ("联合国" -> "United Nations"), so the real command would decode
the sentence a second time in pieces (span assembly), a fallback a real model mostly does
not take; wb_cli.py counts the injected term as applied (``--real-qa``: without the patch). Printed: the fastest and
the median wall time, and CPU time (user + system) of the fastest run. The workbench's
modules are byte-compiled first (``compileall``), as ``pip install`` does; this machine
sets PYTHONDONTWRITEBYTECODE, without which every run would compile them again.
Also checked: the modules a translate run must not import (review page, export,
TMX/XLIFF, BLEU, comment-keeping YAML, HTML).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

SENTENCE = "联合国与区域组织的合作。\n"
#: Modules that `workbench translate` has no use for.
FORBIDDEN = ("translate", "ruamel", "sacrebleu", "lxml", "docx", "scipy", "rapidfuzz", "workbench.export", "workbench.review", "workbench.server", "workbench.align", "workbench.evaluate", "urllib.request")


def run_once(engine: str, models: Path, extra: list[str], tree: Path | None = None, patched: bool = False) -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "ONE.txt").write_text(SENTENCE, encoding="utf-8")
        shutil.copy(ROOT / "glossary.yaml", project / "glossary.yaml")
        env = dict(os.environ, WORKBENCH_MODELS_DIR=str(models))
        if tree is not None:  # another revision's workbench, ahead of the installed one
            env["PYTHONPATH"] = os.pathsep.join([str(tree), *filter(None, [os.environ.get("PYTHONPATH")])])
        entry = [str((tree or ROOT) / "benchmarks" / "wb_cli.py")] if patched else ["-m", "workbench"]
        cmd = [sys.executable, *extra, *entry, "translate", "ONE.txt", "--engine", engine, "--no-download"]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = proc.stderr.read().decode() if proc.stderr else ""
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"workbench translate --engine {engine} failed:\n{err}")
        return wall, usage.ru_utime + usage.ru_stime, err


def loaded_modules(engine: str, models: Path) -> set[str]:
    code = (
        "import sys; sys.argv = ['workbench', 'translate', 'ONE.txt', '--engine', %r, '--no-download']\n"
        "from workbench.cli import cli\n"  # the command without main()'s quick exit, so that the modules can be listed
        "try:\n    cli()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)" % engine
    )
    _, _, err = run_once(engine, models, ["-c", code, "#"])
    return set(err.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", default="", help="git revision (e.g. main) measured too, runs interleaved")
    parser.add_argument("--imports", action="store_true", help="print the 12 slowest imports of one argos run")
    parser.add_argument("--real-qa", action="store_true", help="argos runs without wb_cli.py's patch (the fallback decode of the term's sentence included)")
    args = parser.parse_args()
    import bench

    models = bench.CACHE / "models"
    bench.install_packages(models)
    compileall.compile_dir(str(ROOT / "workbench"), quiet=1)
    calib = bench.calibration()
    print(f"Machine: {bench.machine()}; CPU speed check {calib:.2f} s (~0.5 s idle)")
    trees: dict[str, Path | None] = {"this tree": None}
    tmp = None
    if args.before:
        tmp = Path(tempfile.mkdtemp(prefix="startup-before-"))
        tar = subprocess.run(["git", "-C", str(ROOT), "archive", args.before, "workbench", "benchmarks/wb_cli.py"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=tar, check=True)
        compileall.compile_dir(str(tmp / "workbench"), quiet=1)
        trees = {args.before: tmp, "this tree": None}
    print("| workbench | engine | fastest wall s | median wall s | CPU s (fastest run) |\n|---|---|---:|---:|---:|")
    for engine in ("copy", "argos"):
        runs: dict[str, list[tuple[float, float, str]]] = {name: [] for name in trees}
        for _ in range(args.runs):  # interleaved: before and after see the same spread of load
            for name, tree in trees.items():
                runs[name].append(run_once(engine, models, [], tree, patched=engine == "argos" and not args.real_qa))
        for name, rs in runs.items():
            walls = [w for w, _, _ in rs]
            best = min(rs, key=lambda r: r[0])
            print(f"| {name} | {engine} | {best[0]:.2f} | {statistics.median(walls):.2f} | {best[1]:.2f} |")
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)
    for engine in ("copy", "argos"):
        mods = loaded_modules(engine, models)
        bad = sorted(m for m in mods if any(m == f or m.startswith(f + ".") for f in FORBIDDEN))
        print(f"{engine}: {len(mods)} modules loaded; of those a translate run has no use for: {', '.join(bad) or 'none'}")
    if args.imports:
        _, _, err = run_once("argos", models, ["-X", "importtime"])
        rows = []
        for line in err.splitlines():
            if line.startswith("import time:") and "|" in line:
                _, cum, name = line.split("|")
                if cum.strip().isdigit() and not name.startswith("   "):  # top-level imports only
                    rows.append((int(cum), name.strip()))
        for cum, name in sorted(rows, reverse=True)[:12]:
            print(f"  {cum / 1000:7.1f} ms  {name}")


if __name__ == "__main__":
    main()
