"""Review at scale, in Debian's headless Chromium (selenium), and the CLI on a 5 MB project.

    python benchmarks/review_bench.py            # builds the projects once into benchmarks/.cache/review/
    python benchmarks/review_bench.py --rebuild  # build them again
    python benchmarks/review_bench.py --before main   # also measure main's code, side by side in one run

Data: the real UN letters in ``seeds/`` (zh-Hans, zh-Hant, vi, en), their sentences repeated and
varied (a number written into every sentence, so no two are the same) to reach scale: this is a
scale test, not a quality claim. Projects built (with the copy engine, offline):

* ``doc5k``: one zh-Hans document of 5,000 segments;
* ``doc5k_mem100k``: the same, plus 20 documents holding 100,000 approved segments (the memory);
* ``proj5mb``: one zh-Hans document of ~5 MB (~34,000 segments).

The browser needs a Chinese font, as a reviewer's machine has one (``apt-get install
fonts-wqy-zenhei`` or ``fonts-noto-cjk``): without one Chromium searches the system's fonts for
every character it lays out, which makes each new row cost tens of milliseconds (the script says
so when ``fc-list :lang=zh`` finds none).

Printed: first rows / fully interactive (performance marks the page sets), ``j``/``k`` (keydown to
the end of its work, layout included; and to the next frame), approve and edit round trips (key
to the row showing the saved status; API POST), memory matches for the current segment; a new
server process's first open and first memory request (in the page; and, in a subprocess, as
soon as the server listens: no head start), then ``status``, translating one new sentence, and a
nothing-changed re-run (subprocesses). Each project is measured on a copy whose index was
brought up to date with the code measured (``workbench status``) first.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
#: --before runs this script again over another tree's ``workbench`` (a git revision's, unpacked)
TREE = os.environ.get("WORKBENCH_BENCH_TREE")
if TREE:
    sys.path.insert(0, TREE)
CACHE = ROOT / "benchmarks" / ".cache" / "review"
BUILD_VERSION = "1"
CHROMIUM = Path(os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("WORKBENCH_CHROMEDRIVER", "/usr/bin/chromedriver"))


def seed_sentences(lang: str) -> list[str]:
    from workbench.ingest import read_document
    from workbench.segment import segment_document

    out: list[str] = []
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        d = read_document(p)
        if d.lang == lang:
            out += [s.text for s in segment_document(d.text, d.lang) if len(s.text) > 4]
    return out


def varied(sentences: list[str], n: int, start: int = 0) -> list[str]:
    """``n`` distinct sentences: the seeds in turn, each with a number written in."""
    out = []
    for i in range(n):
        s = sentences[i % len(sentences)]
        k = start + i
        m = re.search(r"[。！？；]$", s)
        out.append((s[:-1] if m else s) + f"（第{k}号）" + (m.group(0) if m else "。"))
    return out


def write_source(path: Path, sentences: list[str], per_para: int = 4) -> None:
    paras = ["".join(sentences[i : i + per_para]) for i in range(0, len(sentences), per_para)]
    path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")


def run(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    # as an installed package runs: with its bytecode cached (PYTHONDONTWRITEBYTECODE would make
    # every run compile workbench's sources again, ~0.2 s)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if TREE:
        env["PYTHONPATH"] = TREE
    done = subprocess.run([sys.executable, "-m", "workbench", *cmd], cwd=cwd, capture_output=True, text=True, check=False, env=env)
    dt = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-800:]}")
    return dt


def build(rebuild: bool) -> dict[str, Path]:
    from workbench import store

    stamp = CACHE / "BUILD"
    names = {"doc5k": CACHE / "doc5k", "doc5k_mem100k": CACHE / "doc5k_mem100k", "proj5mb": CACHE / "proj5mb"}
    if not rebuild and stamp.exists() and stamp.read_text() == BUILD_VERSION:
        return names
    shutil.rmtree(CACHE, ignore_errors=True)
    CACHE.mkdir(parents=True)
    zh = seed_sentences("zh-Hans")
    for key in ("doc5k", "doc5k_mem100k"):
        p = names[key]
        (p / "docs").mkdir(parents=True)
        shutil.copy(ROOT / "glossary.yaml", p / "glossary.yaml")
        write_source(p / "docs" / "big5k.txt", varied(zh, 5000))
        t = run(["translate", "docs/big5k.txt", "--engine", "copy", "--no-download"], p)
        print(f"built {key}: 5,000-segment document translated (copy engine) in {t:.1f} s", file=sys.stderr)
    # the memory: 20 files of 5,000 approved segments (their English: the en seed sentences, numbered)
    en = seed_sentences("en")
    mem = names["doc5k_mem100k"] / "translations"
    t = time.perf_counter()
    for f in range(20):
        srcs = varied(zh, 5000, start=100_000 + f * 5000)
        segs = [store.Segment(id=f"m{f}_{i}", source=s, target=f"{en[i % len(en)]} ({f}-{i})", status="approved", mt=None, paragraph=i // 4) for i, s in enumerate(srcs)]
        doc = store.StoredDocument(document=f"memory/{f}.txt", source_lang="zh-Hans", target_lang="en", signature={"engine": "copy"}, segments=segs)
        store.save(doc, mem / f"memory_{f:02d}.yaml")
    print(f"built the 100,000-segment memory in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    t = run(["status"], names["doc5k_mem100k"])  # builds the index once
    print(f"indexed it in {t:.1f} s", file=sys.stderr)
    p = names["proj5mb"]
    (p / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "glossary.yaml", p / "glossary.yaml")
    write_source(p / "docs" / "big.txt", varied(zh, 34_000))
    t = run(["translate", "docs/big.txt", "--engine", "copy", "--no-download"], p)
    print(f"built proj5mb: {(p / 'docs' / 'big.txt').stat().st_size / 1e6:.1f} MB source, {(p / 'translations' / 'big.yaml').stat().st_size / 1e6:.0f} MB YAML, first translate {t:.1f} s", file=sys.stderr)
    stamp.write_text(BUILD_VERSION)
    return names


# ---------------------------------------------------------------- the browser


def browser():  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="wb-bench-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--window-size=1400,1000", f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    drv.set_script_timeout(60)
    return drv, profile


def serve(project: Path):  # type: ignore[no-untyped-def]
    os.chdir(project)
    from workbench.server import make_server

    srv = make_server(Path("translations"), ["big5k"], port=0, glossary_path=Path("glossary.yaml"))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


JK = """
const done = arguments[arguments.length - 1];
const key = arguments[0], n = arguments[1];
const sync = [], frame = [];
(async () => {
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    document.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
    document.querySelector('#rows tr.selected').offsetHeight;  // layout included
    sync.push(performance.now() - t0);
    await new Promise((r) => requestAnimationFrame(() => r()));
    frame.push(performance.now() - t0);
  }
  done([sync, frame]);
})();
"""

APPROVE = """
const done = arguments[arguments.length - 1];
const n = arguments[0];
const times = [];
window.confirm = () => true;  // copy-engine drafts carry the error-level no-mt flag: the reviewer says "approve anyway"
(async () => {
  for (let i = 0; i < n; i++) {
    document.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true}));
    const row = document.querySelector('#rows tr.selected');
    const id = row.dataset.id;
    const t0 = performance.now();
    document.dispatchEvent(new KeyboardEvent('keydown', {key: 'a', bubbles: true}));
    await new Promise((resolve) => {
      const check = () => { const r = document.querySelector(`#rows tr.seg[data-id="${CSS.escape(id)}"]`); if (r && r.dataset.status === 'approved' && document.getElementById('saving').dataset.state !== 'saving') resolve(); else setTimeout(check, 2); };
      check();
    });
    times.push(performance.now() - t0);
  }
  done(times);
})();
"""

EDIT_API = """
const done = arguments[arguments.length - 1];
const stem = arguments[0], n = arguments[1];
(async () => {
  const doc = await (await fetch('/api/doc/' + stem)).json();
  let digest = doc.digest;
  const times = [];
  for (let i = 0; i < n; i++) {
    const seg = doc.segments[10 + i];
    const t0 = performance.now();
    const res = await fetch('/api/doc/' + stem + '/edit', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({digest, id: seg.id, text: 'Edited in the benchmark ' + i + '.'})});
    const data = await res.json();
    times.push(performance.now() - t0);
    digest = data.digest;
  }
  const m0 = performance.now();
  await (await fetch('/api/doc/' + stem + '/matches?ids=' + doc.segments.slice(3000, 3004).map((s) => s.id).join(','))).json();
  const m1 = performance.now();
  await (await fetch('/api/doc/' + stem + '/matches?ids=' + doc.segments.slice(3010, 3014).map((s) => s.id).join(','))).json();
  done([times, m1 - m0, performance.now() - m1]);
})();
"""


@contextmanager
def prepared(project: Path) -> Iterator[Path]:
    """A copy of ``project`` whose index is current for the code measured (``workbench status``
    run once: an index of another schema is rebuilt there, not in what is timed)."""
    work = Path(tempfile.mkdtemp(prefix="wb-bench-proj-"))
    try:
        shutil.copytree(project, work / "p", symlinks=True)
        run(["status"], work / "p")
        yield work / "p"
    finally:
        shutil.rmtree(work, ignore_errors=True)


#: the server's first requests in a new process with no head start: GET the document as soon as
#: the server listens (no browser starting meanwhile), then its first memory-matches request
COLD = r"""
import http.client, inspect, json, sys, threading, time
from pathlib import Path
from workbench.server import make_server
kw = {"warm": False} if "warm" in inspect.signature(make_server).parameters else {}
srv = make_server(Path("translations"), ["big5k"], port=0, glossary_path=Path("glossary.yaml"), **kw)
threading.Thread(target=srv.serve_forever, daemon=True).start()
def get(path):
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=300)
    t = time.perf_counter()
    c.request("GET", path, headers={"Host": f"127.0.0.1:{srv.port}"})
    body = c.getresponse().read()
    dt = time.perf_counter() - t
    c.close()
    return dt, body
t_doc, body = get("/api/doc/big5k")
ids = ",".join(s["id"] for s in json.loads(body)["segments"][3000:3004])
t_match, _ = get("/api/doc/big5k/matches?ids=" + ids)
print(json.dumps({"doc_s": t_doc, "matches_ms": t_match * 1000}))
"""


def cold_figures(project: Path, runs: int = 2) -> dict[str, float]:
    """:data:`COLD` in new processes (best of ``runs``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if TREE:
        env["PYTHONPATH"] = TREE
    got = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", COLD], cwd=project, capture_output=True, text=True, check=False, env=env)
        if done.returncode != 0:
            raise SystemExit(f"cold open failed: {done.stderr[-800:]}")
        got.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {"doc_s": min(g["doc_s"] for g in got), "matches_ms": min(g["matches_ms"] for g in got)}


def page_figures(project: Path, label: str) -> dict[str, object]:
    with prepared(project) as p:
        out = _page_figures(p, label)
        out.update({f"nohead_{k}": v for k, v in cold_figures(p).items()})
    return out


def _page_figures(project: Path, label: str) -> dict[str, object]:
    cwd = os.getcwd()
    srv = serve(project)
    drv, profile = browser()
    try:
        opens = []
        for k in range(3):  # the first open is the server's cold start (parse or index copy of the file)
            drv.get("about:blank")
            drv.get(srv.url + "#big5k")
            drv.execute_async_script("const d = arguments[arguments.length-1]; const w = () => document.body.dataset.ready ? d() : setTimeout(w, 5); w();")
            marks = drv.execute_script("return Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, m.startTime]))")
            nodes = drv.execute_script("return document.getElementsByTagName('*').length")
            opens.append((marks["wb-first-rows"] / 1000, marks["wb-ready"] / 1000, nodes))
        cold_first, cold_ready, _nodes = opens[0]
        first, ready, nodes = min(opens[1:], key=lambda o: o[1])
        sync_j, frame_j = drv.execute_async_script(JK, "j", 60)
        sync_k, frame_k = drv.execute_async_script(JK, "k", 30)
        approve = drv.execute_async_script(APPROVE, 12)
        edit, match_cold, match_warm = drv.execute_async_script(EDIT_API, "big5k", 10)
    finally:
        drv.quit()
        srv.shutdown()
        srv.server_close()
        os.chdir(cwd)
        shutil.rmtree(profile, ignore_errors=True)
    jk = sync_j + sync_k
    jkf = frame_j + frame_k
    return {
        "label": label, "first_rows_s": first, "interactive_s": ready, "dom_nodes": nodes, "cold_first_rows_s": cold_first, "cold_interactive_s": cold_ready,
        "jk_ms_median": statistics.median(jk), "jk_ms_p95": sorted(jk)[int(0.95 * len(jk)) - 1],
        "jk_frame_ms_median": statistics.median(jkf),
        "approve_ms_median": statistics.median(approve), "approve_ms_max": max(approve),
        "edit_api_ms_median": statistics.median(edit), "edit_api_ms_max": max(edit),
        "matches_first_ms": match_cold, "matches_ms": match_warm,
    }


def memory_figures(project: Path, n: int = 200) -> dict[str, Any]:
    with prepared(project) as p:
        return _memory_figures(p, n)


def _memory_figures(project: Path, n: int = 200) -> dict[str, Any]:
    """The memory alone, in this process: ready for its first query (read from the index, or
    built from its rows), then queries (varied real sentences)."""
    import random

    from workbench import index
    from workbench.memory import Memory

    index.forget(project / "translations")
    idx = index.open_index(project / "translations")
    tm = Memory(idx)
    t = time.perf_counter()
    tm.sync()
    build = time.perf_counter() - t
    rng = random.Random(3)
    zh = seed_sentences("zh-Hans")
    queries = [s.replace("的", "之", 1) + "（第" + str(rng.randrange(100_000, 200_000)) + "号）。" for s in rng.choices(zh, k=n)]
    times, found = [], 0
    answers = hashlib.sha256()
    for q in queries:
        t = time.perf_counter()
        got = tm.matches(q, sync=False)
        times.append((time.perf_counter() - t) * 1000)
        found += bool(got)
        answers.update(json.dumps([m.as_dict() for m in got], ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return {"entries": float(len(tm.entries())), "build_s": build, "median_ms": statistics.median(times), "p95_ms": sorted(times)[int(0.95 * n) - 1], "found": found / n,
            "answers": answers.hexdigest()[:16]}


def cli_figures(project: Path) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="wb-bench-cli-"))
    shutil.copytree(project, work / "p", symlinks=True)
    p = work / "p"
    try:
        run(["--version"], p)  # writes the bytecode a first run would
        out = {"status_s": min(run(["status"], p) for _ in range(3))}
        out["rerun_nothing_changed_s"] = min(run(["translate", "docs", "--engine", "copy", "--no-download"], p) for _ in range(2))
        times = []
        for k in range(2):
            (p / "docs" / f"new{k}.txt").write_text(f"越南作为安全理事会2021年4月份主席，打算组织一次公开辩论会（第{k}次）。\n", encoding="utf-8")
            times.append(run(["translate", f"docs/new{k}.txt", "--engine", "copy", "--no-download"], p))
        out["translate_one_new_sentence_s"] = min(times)
        yaml_mb = sum(f.stat().st_size for f in (p / "translations").glob("*.yaml")) / 1e6
        out["yaml_mb"] = yaml_mb
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def before_and_after(args: argparse.Namespace) -> None:
    """This script again, once over ``args.before``'s ``workbench`` and once over this tree's, each
    printing its own table (the projects built once, by this tree)."""
    build(args.rebuild)
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.before], capture_output=True, text=True, check=True).stdout.strip()
    work = Path(tempfile.mkdtemp(prefix="wb-bench-before-"))
    try:
        tar = subprocess.run(["git", "-C", str(ROOT), "archive", args.before, "workbench"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=tar, check=True)
        flags = [f for f, on in (("--skip-cli", args.skip_cli), ("--skip-page", args.skip_page)) if on]
        for label, tree in ((f"BEFORE: {args.before} ({rev})", str(work)), ("AFTER: this tree (uncommitted changes included)", "")):
            print(f"\n==================== {label}", flush=True)
            env = dict(os.environ)
            env.pop("WORKBENCH_BENCH_TREE", None)
            if tree:
                env["WORKBENCH_BENCH_TREE"] = tree
            subprocess.run([sys.executable, str(Path(__file__).resolve()), *flags], env=env, check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--skip-page", action="store_true")
    ap.add_argument("--before", metavar="REV", help="also measure this git revision's workbench (e.g. main), before this tree's")
    args = ap.parse_args()
    if args.before:
        return before_and_after(args)
    names = build(args.rebuild)
    import workbench

    print(f"workbench from {Path(workbench.__file__).parent}")
    rows = [] if args.skip_page else [page_figures(names["doc5k"], "5,000 segments"), page_figures(names["doc5k_mem100k"], "5,000 segments + 100,000 memory")]
    if rows and not subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout.strip():
        print("\nNOTE: no Chinese font installed (fc-list :lang=zh is empty): row layout is much slower than on a reviewer's machine; apt-get install fonts-wqy-zenhei")
    if rows:
        print("\nReview page, headless Chromium (" + subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip() + ")")
    if rows:
        print(f"{'':34} {'first rows':>10} {'interactive':>11} {'DOM':>6} {'j/k med':>8} {'j/k p95':>8} {'j/k+frame':>9} {'approve':>8} {'approve max':>11} {'edit API':>8} {'matches':>8}")
    for r in rows:
        print(f"{r['label']:34} {r['first_rows_s']:>9.2f}s {r['interactive_s']:>10.2f}s {r['dom_nodes']:>6} {r['jk_ms_median']:>6.1f}ms {r['jk_ms_p95']:>6.1f}ms {r['jk_frame_ms_median']:>7.1f}ms {r['approve_ms_median']:>6.0f}ms {r['approve_ms_max']:>9.0f}ms {r['edit_api_ms_median']:>6.0f}ms {r['matches_ms']:>6.0f}ms")
    if rows:
        print(f"{'targets':34} {'≤ 1.0s':>10} {'≤ 1.5s':>11} {'':>6} {'≤ 30ms':>8} {'':>8} {'':>9} {'≤ 150ms':>8} {'':>11} {'≤ 150ms':>8} {'≤ 50ms':>8}")
    if rows:
        print("\nA new server process: its first open (the page's first rows, the browser started after the server as `workbench review` does;")
        print("and a GET of the document as soon as the server listens, no head start) and its first memory-matches request")
        print(f"{'':34} {'page open':>10} {'no head start':>13} {'1st memory request':>19} {'no head start':>13}")
    for r in rows:
        print(f"{r['label']:34} {r['cold_first_rows_s']:>9.2f}s {r['nohead_doc_s']:>12.2f}s {r['matches_first_ms']:>17.0f}ms {r['nohead_matches_ms']:>11.0f}ms")
    if rows:
        print(f"{'targets':34} {'≤ 1.0s':>10} {'':>13} {'≤ 50ms':>19} {'≤ 50ms':>13}")
    m = memory_figures(names["doc5k_mem100k"])
    print(f"\nTranslation memory alone ({m['entries']:,.0f} reviewed segments): ready for its first query in {m['build_s']:.2f} s (a new process); "
          f"a query {m['median_ms']:.1f} ms median, {m['p95_ms']:.1f} ms p95 (target ≤ 50 ms); {m['found']:.0%} of queries matched "
          f"(answers' digest {m['answers']}: the same before and after when the matches are)")
    if not args.skip_cli:
        c = cli_figures(names["proj5mb"])
        print(f"\n5 MB project ({c['yaml_mb']:.0f} MB of YAML), CLI in a subprocess (best of 2-3; bytecode cached, as an installed package has it)")
        print(f"{'status':34} {c['status_s']:>7.2f}s   (target ≤ 1 s)")
        print(f"{'translate one new sentence':34} {c['translate_one_new_sentence_s']:>7.2f}s   (target ≤ 1 s)")
        print(f"{'re-run, nothing changed':34} {c['rerun_nothing_changed_s']:>7.2f}s   (target ≤ 2 s)")
    print(json.dumps({"page": rows}, default=float), file=sys.stderr)


if __name__ == "__main__":
    main()
