"""Build the real-text segmentation sets (a cache, never committed) from UD treebanks.

Output: ``$WB_SEGMENT_REAL`` (default ``~/.cache/workbench-segment/segment_real``), read by
tests/test_segment_real.py (which also looks in ``../shared/segment_real``) and by
``benchmarks/segment_accuracy.py --data``. Recipe (the four public UD repositories, dev files only;
the commits the published figures were built from)::

    mkdir -p /tmp/ud && cd /tmp/ud
    # for each REPO COMMIT FILE below: git --git-dir=<clone of UniversalDependencies/REPO> show COMMIT:FILE > FILE
    #   UD_Vietnamese-VTB  e8fa54835582fb5d0c767f19f0992675726fa084  vi_vtb-ud-dev.conllu
    #   UD_Chinese-GSDSimp eb3aed31ebb170897405ee5cd1db83a1a0b11864  zh_gsdsimp-ud-dev.conllu
    #   UD_Chinese-GSD     200dbe8acf60ff0d194f2d30bf925c410eee762a  zh_gsd-ud-dev.conllu
    #   UD_English-EWT     15d613d8447b3478787d4c278730a1e48a945efb  en_ewt-ud-dev.conllu
    python benchmarks/make_segment_real.py /tmp/ud

Every sentence and every boundary comes from a human-annotated Universal
Dependencies treebank (train/dev files only, never test files):

* vi: UD_Vietnamese-VTB ``vi_vtb-ud-dev.conllu`` (news; the ``# text`` lines
  are tokenised, so punctuation is re-attached mechanically: "nói , ông" ->
  "nói, ông", LBKT/RBKT -> ( ); a sentence with unbalanced quotes is dropped);
* zh-Hans: UD_Chinese-GSDSimp ``zh_gsdsimp-ud-dev.conllu`` (Wikipedia);
* zh-Hant: UD_Chinese-GSD ``zh_gsd-ud-dev.conllu`` (the same sentences in
  Traditional script);
* en: UD_English-EWT ``en_ewt-ud-dev.conllu`` (web text: blogs, e-mail,
  reviews, answers), grouped by the treebank's own paragraphs (``# newpar``).

Optional, not committed (CC BY-NC-SA 4.0): UD_English-GUM
``en_gum-ud-dev.conllu``, its written genres only (academic, bio, court,
essay, letter, news, speech, textbook, voyage, whow), grouped by paragraph
like EWT, is written as ``en_gum.jsonl`` to ``--nc-out`` (default
``benchmarks/.cache/segment_real_nc``, git-ignored) when the file is in UD_DIR; measure
it with ``segment_accuracy.py --data benchmarks/.cache/segment_real_nc``.

A passage is a run of consecutive sentences (the treebank's order): vi and zh
take 3 at a time, en takes the sentences of one paragraph (2-6 of them). The
passage text is the sentences joined by "" (zh) or " " (vi, en). Each output
line is {"text", "sentences", "source"}. Licence of all four treebanks:
CC BY-SA 4.0 (Universal Dependencies; VTB: Nguyen et al.; GSD/GSDSimp: Google / UD Chinese
team; EWT: Silveira et al. 2014 and the UD English team); the derived files carry the same licence.

Sets: vi (VTB, news) 150 passages / 450 sentences, zh-Hans (GSDSimp, Wikipedia) 150 / 450,
zh-Hant (GSD) 150 / 450, en (EWT, web text: blogs, e-mail, reviews, answers) 150 / 485. Known
artefacts of the sources, kept: VTB lowercases some sentence starts, GSD has sentences without
final punctuation, EWT is informal web text (hence the low English figure).

Usage: python benchmarks/make_segment_real.py UD_DIR [--out DIR]
where UD_DIR holds the four .conllu files (e.g. from
``git --git-dir=<mirror>/UD_Vietnamese-VTB/repo show HEAD:vi_vtb-ud-dev.conllu``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("WB_SEGMENT_REAL", "~/.cache/workbench-segment/segment_real")).expanduser()
FILES = {
    "vi": "vi_vtb-ud-dev.conllu",
    "zh-Hans": "zh_gsdsimp-ud-dev.conllu",
    "zh-Hant": "zh_gsd-ud-dev.conllu",
    "en": "en_ewt-ud-dev.conllu",
}
PER_SET = 150
GUM_FILE = "en_gum-ud-dev.conllu"
GUM_WRITTEN = ("academic", "bio", "court", "essay", "letter", "news", "speech", "textbook", "voyage", "whow")
NC_OUT = ROOT / "benchmarks" / ".cache" / "segment_real_nc"  # git-ignored


def read_conllu(path: Path, genres: tuple[str, ...] = ()) -> list[tuple[str, str, bool]]:
    """(sent_id, text, starts_new_paragraph) of every sentence (of documents of ``genres`` if given)."""
    out: list[tuple[str, str, bool]] = []
    sid, newpar = "", False
    keep = True
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc"):
            doc = line.split("=", 1)[1].strip()
            keep = not genres or any(doc.startswith(f"GUM_{g}_") for g in genres)
        if not keep:
            continue
        if line.startswith("# newdoc") or line.startswith("# newpar"):
            newpar = True
        elif line.startswith("# sent_id = "):
            sid = line.split("=", 1)[1].strip()
        elif line.startswith("# text = "):
            out.append((sid, line.split("=", 1)[1].strip(), newpar))
            newpar = False
    return out


_SPACE_BEFORE = re.compile(r" ([,.:;!?%)\]…]|\.\.\.)")
_SPACE_AFTER = re.compile(r"([(\[]) ")


def detok_vi(text: str) -> str | None:
    """Re-attach punctuation of a VTB ``# text`` line; None when it cannot be done safely."""
    if "KBKT" in text:
        return None
    toks = text.replace("LBKT", "(").replace("RBKT", ")").split()
    if toks.count('"') % 2:
        return None
    out: list[str] = []
    opening = True
    glue_next = False
    for tok in toks:
        if tok == '"':
            if opening:
                out.append('"')
                glue_next = True
            else:
                if out:
                    out[-1] += '"'
                else:
                    out.append('"')
            opening = not opening
            continue
        if glue_next and out:
            out[-1] += tok
            glue_next = False
        else:
            out.append(tok)
    s = " ".join(out)
    s = _SPACE_BEFORE.sub(r"\1", s)
    s = _SPACE_AFTER.sub(r"\1", s)
    return s


def build(lang: str, sents: list[tuple[str, str, bool]], source: str) -> list[dict]:
    joiner = "" if lang.startswith("zh") else " "
    groups: list[list[tuple[str, str]]] = []
    if lang == "en":
        cur: list[tuple[str, str]] = []
        for sid, text, newpar in sents:
            if newpar and cur:
                groups.append(cur)
                cur = []
            cur.append((sid, text))
        if cur:
            groups.append(cur)
        groups = [g for g in groups if 2 <= len(g) <= 6]
    else:
        clean: list[tuple[str, str]] = []
        for sid, text, _ in sents:
            t = detok_vi(text) if lang == "vi" else text
            if t:
                clean.append((sid, t))
        groups = [clean[i : i + 3] for i in range(0, len(clean) - 2, 3)]
    out = []
    for g in groups[:PER_SET]:
        texts = [t for _, t in g]
        out.append({"text": joiner.join(texts), "sentences": texts, "source": f"{source}#{g[0][0]}..{g[-1][0]}"})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ud_dir", type=Path, help="directory holding the four .conllu files")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--nc-out", type=Path, default=NC_OUT, help="where the non-commercial GUM set goes (never committed)")
    args = ap.parse_args()
    jobs: list[tuple[str, Path, Path, tuple[str, ...]]] = [(lang, args.ud_dir / name, args.out / f"{lang}.jsonl", ()) for lang, name in FILES.items()]
    if (args.ud_dir / GUM_FILE).exists():
        jobs.append(("en", args.ud_dir / GUM_FILE, args.nc_out / "en_gum.jsonl", GUM_WRITTEN))
    for lang, src, dst, genres in jobs:
        recs = build(lang, read_conllu(src, genres), src.name)
        dst.parent.mkdir(parents=True, exist_ok=True)
        with open(dst, "w", encoding="utf-8") as fh:
            for r in recs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{dst}: {len(recs)} passages, {sum(len(r['sentences']) for r in recs)} sentences")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
