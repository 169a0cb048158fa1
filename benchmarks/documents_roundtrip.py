"""Round trip of real Word and HTML documents through workbench.formats (issue 16).

For each document: read it into blocks, write it back with the blocks' own text, read the
result again, and compare (the blocks; for .docx the paragraphs, their styles, the runs'
formatting, tables, hyperlinks, footnote references; for .html the sequence of elements and
their attributes). Then the full pipeline in a scratch project: `workbench translate --engine
copy` and `workbench build`, compared the same way.

    python benchmarks/documents_roundtrip.py ~/.cache/workbench-docs/*.docx ~/.cache/workbench-docs/*.html

The documents checked for the README (not committed: no licence to redistribute them):
    git --git-dir=<mirror of ageyev/un-su> show d5a0e869:how_to_expel_rf_from_un_ua.md.docx > ua.docx
    git --git-dir=<mirror of ageyev/un-su> show 16990f2a:drafts/HowToRemoveRussiaFromUN/how_to_expel_rf_from_un.md.docx > en.docx
    git --git-dir=<mirror of mightyverse/udhr_by_language> show 8b0fbd2:cache/cmn.html > udhr_cmn.html   (also vie.html)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path


def docx_structure(path: Path) -> dict:
    import docx

    d = docx.Document(str(path))
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return {
        "paragraphs": len(d.paragraphs),
        "styles": [p.style.name for p in d.paragraphs],
        "formatting": [_merged(p) for p in d.paragraphs],  # (text, bold, italic, superscript) spans; runs that look alike count as one
        "tables": [(len(t.rows), len(t.columns)) for t in d.tables],
        "hyperlinks": xml.count("<w:hyperlink"),
        "footnote_refs": xml.count("<w:footnoteReference"),
        "drawings": xml.count("<w:drawing"),
        "sections": len(d.sections),
    }


def _merged(p) -> list:  # type: ignore[no-untyped-def]
    spans: list = []
    for r in p.runs:
        fmt = (bool(r.bold), bool(r.italic), bool(r.font.superscript))
        if spans and spans[-1][1] == fmt:
            spans[-1][0] += r.text
        else:
            spans.append([r.text, fmt])
    return [fmt for text, fmt in spans if text.strip()]


def html_structure(data: bytes) -> list:
    import lxml.html

    root = lxml.html.document_fromstring(data)
    from urllib.parse import unquote

    # lxml's serializer percent-encodes spaces in href/src ("a b" -> "a%20b"): compared unescaped
    return [(el.tag, tuple(sorted((k, unquote(v)) for k, v in el.attrib.items() if k not in ("lang", "charset", "content")))) for el in root.iter() if isinstance(el.tag, str)]


def structure(path: Path, data: bytes | None = None) -> object:
    if path.suffix.lower() == ".docx":
        if data is not None:
            tmp = Path(tempfile.mkdtemp()) / path.name
            tmp.write_bytes(data)
            return docx_structure(tmp)
        return docx_structure(path)
    return html_structure(data if data is not None else path.read_bytes())


def main(paths: list[str]) -> int:
    from workbench import formats

    wb = str(Path(sys.executable).with_name("workbench"))
    rows = []
    for raw in paths:
        path = Path(raw)
        t0 = time.perf_counter()
        skel = formats.load(path)
        blocks = list(skel.blocks)
        data = skel.render([b.text for b in blocks])
        secs = time.perf_counter() - t0
        again = formats.load_bytes(data, path).blocks
        same_blocks = [b.text for b in again] == [b.text for b in blocks]
        same_structure = structure(path, data) == structure(path)
        tags = sum(b.text.count("<") for b in blocks)  # placeholders (opening, closing, empty)
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(path, Path(tmp) / path.name)
            tr = subprocess.run([wb, "translate", path.name, "--engine", "copy", "--no-download"], cwd=tmp, capture_output=True, text=True)
            bd = subprocess.run([wb, "build", path.name], cwd=tmp, capture_output=True, text=True)
            built = Path(tmp) / "english" / path.name
            pipeline = tr.returncode == 0 and bd.returncode == 0 and built.exists() and structure(path, built.read_bytes()) == structure(path)
            err = (tr.stderr + bd.stderr).strip().splitlines()[-1:] if not pipeline else []
        kinds = ", ".join(f"{k} {n}" for k, n in Counter(b.kind for b in blocks).most_common())
        rows.append((path.name, len(blocks), kinds, tags, same_blocks, same_structure, pipeline, f"{secs:.2f}", " ".join(err)))
    print("| document | blocks | kinds | placeholders | blocks same | structure same | translate+build same | read+write s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r[:8]) + " |" + (f" {r[8]}" if r[8] else ""))
    return 0 if all(r[4] and r[5] and r[6] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
