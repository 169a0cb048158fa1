"""Do translate-toolkit (what Weblate and Pootle build on) and the TMX/XLIFF schemas read our exports the
way they read files written by real CAT tools?

    python benchmarks/interop_exports.py [--mirror /work/.mirror]

Real files (public GitHub repositories, read from a local git mirror, not committed here):
  * OmegaT 5.2's project memory of the OmegaT zh-CN localisation (Lilium27/omegat-l10n-zh-cn,
    omegat/project_save.tmx), and Alchemy Catalyst's en-US -> zh-CN TMX shipped in its tm/ folder
    (tm/Bundle_en_zh-CN.tmx, UTF-16).
Get them with the search tool's fetch (github:Lilium27/omegat-l10n-zh-cn) or `git clone --mirror`.

Our files: the seeds translated with the copy engine, one segment edited and one approved per document,
exported as TMX (per document and --memory) and XLIFF. For each file the table shows what translate-
toolkit reads (units, units with a target, the languages, the date format) and, for XLIFF, the state
translate-toolkit and Weblate's rules give each review status.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

REAL = [
    ("OmegaT 5.2", "Lilium27/omegat-l10n-zh-cn", "omegat/project_save.tmx"),
    ("Alchemy Catalyst 2019", "Lilium27/omegat-l10n-zh-cn", "tm/Bundle_en_zh-CN.tmx"),
]
TMX_DATE = re.compile(r"^\d{8}T\d{6}Z$")
WEBLATE_FUZZY_STATES = {"new", "needs-translation", "needs-adaptation", "needs-l10n"}  # weblate/formats/ttkit.py


def _git_dir(mirror: Path, repo: str) -> Path | None:
    base = mirror / repo.replace("/", "+") / "repo"
    for cand in (base / ".git", base):
        if (cand / "HEAD").exists():
            return cand
    return None


def tmx_row(tool: str, name: str, data: bytes) -> list[str]:
    from lxml import etree
    from translate.storage import tmx

    store = tmx.tmxfile(data)
    units = list(store.units)
    with_target = sum(1 for u in units if u.source and u.target)
    root = etree.fromstring(data)
    langs = Counter(tuv.get("{http://www.w3.org/XML/1998/namespace}lang") or tuv.get("lang") for tuv in root.iter("tuv"))
    dates = [v for el in root.iter("tu", "tuv") for k, v in el.attrib.items() if k in ("changedate", "creationdate")]
    header = root.find("header")
    import schemas  # tests/schemas.py: where the TMX 1.4 DTD is found

    dtd = schemas.tmx_dtd()
    valid = dtd.validate(root) if dtd is not None and root.get("version") == "1.4" else None
    return [
        tool,
        name,
        root.get("version") or "?",
        header.get("srclang", "?") if header is not None else "?",
        " ".join(f"{k}:{v}" for k, v in langs.most_common(3)),
        str(len(units)),
        f"{with_target / max(1, len(units)):.0%}",
        f"{sum(1 for d in dates if TMX_DATE.match(d))}/{len(dates)}",
        {True: "yes", False: "no", None: "(1.1)"}[valid],
    ]


def _our_project(tmp: Path) -> Path:
    from workbench import review
    from workbench.translate import translate_documents

    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    shutil.copy(ROOT / "glossary.yaml", tmp / "glossary.yaml")
    out = tmp / "translations"
    translate_documents([tmp / "seeds"], out_dir=out, engine="copy", glossary_path=tmp / "glossary.yaml", download=False)
    for path in sorted(out.glob("*.yaml")):
        doc = review.open_doc(out, path.stem).doc
        ids = [s.id for s in doc.segments if s.source]
        review.edit(out, path.stem, ids[0], "An edited sentence.")
        # an approved segment in every export; its placeholder English has open QA flags, hence override
        review.edit(out, path.stem, ids[1], "A reviewed sentence.")
        review.approve(out, path.stem, [ids[1]], override=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    args = ap.parse_args()
    from lxml import etree
    from translate.storage import factory

    from workbench import export, store

    rows = []
    for tool, repo, path in REAL:
        git_dir = _git_dir(args.mirror, repo)
        if git_dir is None:
            print(f"(skipped {repo}:{path}: no mirror under {args.mirror})", file=sys.stderr)
            continue
        data = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"HEAD:{path}"], capture_output=True, check=True).stdout
        rows.append(tmx_row(tool, f"{repo.split('/')[1]}/{path}", data))
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        out = _our_project(tmp)
        written = export.export_documents(out, None, "tmx", out=tmp / "exports") + export.export_documents(out, None, "tmx", out=tmp / "exports", memory=True)
        for p in written:
            rows.append(tmx_row("workbench", p.name, p.read_bytes()))
        print("TMX read by translate-toolkit (units with both sides), languages, dates in TMX format, valid against the TMX 1.4 DTD\n")
        head = ["tool", "file", "TMX", "srclang", "tuv languages (top 3)", "units", "with target", "dates ok", "DTD"]
        _table(head, rows)

        xlf = export.export_documents(out, None, "xliff", out=tmp / "exports")
        import schemas  # tests/schemas.py: where the XLIFF 1.2 schema is found

        schema = schemas.xliff_schema()
        if schema is None:
            raise SystemExit(f"XLIFF 1.2 schema not found: {schemas.HOW}")
        states: Counter[tuple[str, str, str, str, str, str]] = Counter()
        valid = rebuilt = 0
        for p in xlf:
            valid += schema.validate(etree.parse(str(p)))
            f = factory.getobject(str(p))
            doc = store.load(store.path_for(out, p.stem))
            assert doc is not None
            rebuilt += export.rebuild_source(p.read_bytes()) == doc.source_text()
            status = {s.id: s.status for s in doc.segments}
            for u in f.units:
                node = u.xmlelement.find(f"{{{export.XLIFF_NS}}}target")
                st = node.get("state") if node is not None else ""
                tt = {v: k for k, v in vars(type(u)).items() if k.startswith("S_") and isinstance(v, int)}.get(u.get_state_id(), str(u.get_state_id()))
                fuzzy = bool(u.target) and st in WEBLATE_FUZZY_STATES
                weblate = "approved" if u.isapproved() else "needs editing" if fuzzy else "translated" if u.target else "empty"
                states[(status[u.getid().split(chr(4))[-1]], st, node.get("state-qualifier") or "" if node is not None else "", tt, "yes" if u.isfuzzy() else "no", weblate)] += 1
        print(f"\nXLIFF 1.2: {valid}/{len(xlf)} files valid against the OASIS strict schema; {rebuilt}/{len(xlf)} source documents rebuilt exactly from the export\n")
        _table(["status", "state", "state-qualifier", "translate-toolkit state", "tt isfuzzy()", "Weblate reads", "units"], [list(k) + [str(v)] for k, v in sorted(states.items())])
    return 0


def _table(head: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    for r in [head, ["-" * w for w in widths]] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))


if __name__ == "__main__":
    raise SystemExit(main())
