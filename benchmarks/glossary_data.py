"""Build the glossary development sets in a cache (public UN and news text; never committed).

``benchmarks/glossary_bench.py`` reads them from ``$WB_GLOSSARY_DATA`` (default
``~/.cache/workbench-glossary``)::

    $WB_GLOSSARY_DATA/un_ga_sample/UN.en-zh.{en,zh}      14 aligned lines
    $WB_GLOSSARY_DATA/glossary_dev/zh-en/*.tsv           source<TAB>English, one pair a line
    $WB_GLOSSARY_DATA/glossary_dev/vi-en/*.tsv

Recipe (the two public repositories are read with ``git show``; nothing of them is committed here)::

    # 1. un_ga_sample: General Assembly resolution 55/100 (2000) and its recorded vote, official
    #    English and Chinese (Rafalovitch & Dale 2009, OPUS "UN"), as excerpted in the dummy data of
    #    the Hugging Face datasets repository at commit 67afd5f09c8c6bdcb2d7e841d34ff3d2bfb0a08d:
    git clone --bare <huggingface/datasets> /tmp/hf-datasets.git     # or the search tool's fetch
    python benchmarks/glossary_data.py --hf-git /tmp/hf-datasets.git

    # 2. glossary_dev: OPUS sample pages of the Helsinki-NLP/OPUS-website repository
    #    (public_html/<corpus>/<version>/en-<xx>_sample.html, listed in OPUS_FILES below):
    git clone --bare --filter=blob:none <Helsinki-NLP/OPUS-website> /tmp/opus-website.git
    python benchmarks/glossary_data.py --opus-git /tmp/opus-website.git
    #    or, with the five pages saved under DIR at their repository paths:
    python benchmarks/glossary_data.py --opus-dir DIR

    python benchmarks/glossary_data.py --check      # every file against the SHA-256 recorded below

    #    State of step 2: the pair selection (KEEP) and the cleaning rules (clean_zh, clean_en) are
    #    recorded for un_ga_55_101-103.tsv only, and were checked on 7 of its pairs, not on the whole
    #    page: the OPUS-website snapshot (1.4 GB) is over the size the search tool's fetch brings, so
    #    the pages could only be read, not run through this script. The other four files are skipped
    #    with a message until their selections are recorded; --check tells whether a cache is the
    #    published one.

What the sets are (``glossary_dev``; one pair a line, ``source<TAB>English``, UTF-8):

* ``zh-en/un_ga_55_101-103.tsv`` (65 pairs): General Assembly resolutions 55/101-55/103 (2000),
  official Chinese and English, vote lists left out (55/100 is ``un_ga_sample``); OPUS ``UN``
  v20090831 (Rafalovitch & Dale 2009);
* ``zh-en/unpc_s_res_918.tsv`` (48): Security Council resolution 918 (1994); OPUS ``UNPC`` v1.0
  (Ziemski et al. 2016; *training* documents, not the UNv1.0 dev/test sets);
* ``zh-en/multiun_2005.tsv`` (49): NPT/CONF.2005/32, S/2005/748, CTOC/COP/2005/L.13, A/60/7/Add.14;
  OPUS ``MultiUN`` v1 (Eisele & Chen 2010);
* ``zh-en/alt_wikinews.tsv`` (16) and ``vi-en/alt_wikinews.tsv`` (43): Wikinews sentences of the
  Asian Language Treebank (NICT, CC BY 4.0), OPUS ``ALT`` v20191206 = the ALT *training* split.

Cleaning (the OPUS samples are tokenized): the spaces OPUS inserted are removed again (between
Chinese characters, before punctuation, inside document symbols such as ``A / 55 / 289``),
nothing else is edited; in ``multiun_2005.tsv`` the paragraph numbers that only the Chinese side
carries ("1. "; the English sample has them as separate lines) are removed from 9 Chinese lines;
pairs whose alignment in the sample is wrong (a Chinese line paired with a different English
line) are left out. None of this is one of the owners' held-out sets (no OPUS-100 test, no
UNv1.0 dev/test set, no IWSLT test set, no TICO-19, nothing from ``xhao853-source/un-corpus-demo``).

Limits, reported with every figure: 177 zh-en UN pairs (with the 15 of ``un_ga_sample``), 16
zh-en news pairs, and only 43 vi-en pairs, from news rather than diplomatic text.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import subprocess
import sys
import zipfile
from html import unescape as html_unescape
from pathlib import Path

CACHE = Path(os.environ.get("WB_GLOSSARY_DATA", "~/.cache/workbench-glossary")).expanduser()

HF_COMMIT = "67afd5f09c8c6bdcb2d7e841d34ff3d2bfb0a08d"
HF_ZIP = "datasets/un_ga/dummy/en_to_zh/2.0.0/dummy_data.zip"
HF_MEMBERS = {"UN.en-zh.en": "dummy_data/en-zh.txt.zip/UN.en-zh.en", "UN.en-zh.zh": "dummy_data/en-zh.txt.zip/UN.en-zh.zh"}

#: output file (under glossary_dev/) -> the OPUS-website sample page it comes from
OPUS_FILES = {
    "zh-en/un_ga_55_101-103.tsv": "public_html/UN/v20090831/en-zh_sample.html",
    "zh-en/unpc_s_res_918.tsv": "public_html/UNPC/v1.0/en-zh_sample.html",
    "zh-en/multiun_2005.tsv": "public_html/MultiUN/v1/en-zh_sample.html",
    "zh-en/alt_wikinews.tsv": "public_html/ALT/v20191206/en-zh_sample.html",
    "vi-en/alt_wikinews.tsv": "public_html/ALT/v20191206/en-vi_sample.html",
}

#: SHA-256 of every file the recipe writes (relative to the cache), as used for the published figures
SHA256 = {
    "un_ga_sample/UN.en-zh.en": "daa3b74723fe7c8a2f97572c143168210bef837f747c8210630c5b7d22882588",
    "un_ga_sample/UN.en-zh.zh": "4730d5f466d1cc0c458dd39062e503e8fbcf0581b6d03c8932955886031cc12b",
    "glossary_dev/zh-en/un_ga_55_101-103.tsv": "3cf7f825425d88e7f1e0ab5cb6805a8f1c5200a7636f57bab413b22777706c9f",
    "glossary_dev/zh-en/unpc_s_res_918.tsv": "9e1ca1dd2819692553430707f28d1a99490a4c91ed667349a57d42c18180f36a",
    "glossary_dev/zh-en/multiun_2005.tsv": "6b9bb310557d17b162ce98c14d8c4433796f277d7f7353deb2e009a87d6de10d",
    "glossary_dev/zh-en/alt_wikinews.tsv": "2c77532bc9711b6ddbc7f8a505c480fda0a894e4f670d71fdd359a25764671f8",
    "glossary_dev/vi-en/alt_wikinews.tsv": "f4a5e3597691e12b109378f8300ca60a5a91929ca2002c5795910dc50ee74033",
}

#: output file -> the sample's pair numbers (the ``(src)="N"`` of its single-line pairs) that it keeps;
#: the numbers left out are vote lists, "Adopted at ..." headers, duplicates of "The General Assembly,"
#: and misaligned pairs (the Chinese of a different English line). Only recorded where checked.
KEEP: dict[str, list[int]] = {
    "zh-en/un_ga_55_101-103.tsv": [*range(22, 29), *range(30, 41), 45, *range(47, 63), *range(64, 69), 70, *range(72, 85), 86, 87, *range(89, 93), 94, 96, 98, 99, 100],
}

HOW = "python benchmarks/glossary_data.py --help  (builds them in $WB_GLOSSARY_DATA, default ~/.cache/workbench-glossary)"


def missing(cache: Path = CACHE) -> list[str]:
    """The files of the recipe that are not in ``cache``."""
    return [rel for rel in SHA256 if not (cache / rel).is_file()]


def _git_show(git_dir: Path, rev_path: str) -> bytes:
    r = subprocess.run(["git", f"--git-dir={git_dir}", "show", rev_path], capture_output=True, check=False)
    if r.returncode:
        raise SystemExit(f"git show {rev_path} in {git_dir} failed: {r.stderr.decode(errors='replace').strip()}")
    return r.stdout


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def build_un_ga(hf_git: Path, cache: Path) -> list[Path]:
    """un_ga_sample/ from the dummy data zip of the datasets repository (copied unchanged)."""
    z = zipfile.ZipFile(io.BytesIO(_git_show(hf_git, f"{HF_COMMIT}:{HF_ZIP}")))
    out = []
    for name, member in HF_MEMBERS.items():
        _write(cache / "un_ga_sample" / name, z.read(member))
        out.append(cache / "un_ga_sample" / name)
    return out


def _opus_pairs(html: str) -> list[tuple[str, str, str]]:
    """(pair number, English, other side) of every one-to-one pair of an OPUS sample page (tokenized form)."""
    out = []
    for block in html.split("<hr>"):
        src = re.findall(r'^\(src\)="([^"]+)"> (.*?) ?<br>$', block, re.M)
        trg = re.findall(r'^\(trg\)="([^"]+)"> (.*?) ?<br>$', block, re.M)
        if len(src) == 1 and len(trg) == 1:
            out.append((src[0][0], html_unescape(src[0][1]), html_unescape(trg[0][1])))
    return out


def clean_en(text: str) -> str:
    """Undo OPUS's tokenization of English: ``A / 55 / 289`` -> ``A/55/289``, no space before , . ; : ) or inside ( ) and " "."""
    text = re.sub(r"(?<=[A-Za-z0-9.]) / (?=[A-Za-z0-9])", "/", text)
    text = re.sub(r'" (.*?) "', r'"\1"', text)
    text = re.sub(r"\( ", "(", text)
    return re.sub(r" (?=[,.;:)])", "", text)


def clean_zh(text: str) -> str:
    """Undo OPUS's tokenization of Chinese: no space next to a non-ASCII character, none inside ( ),
    document symbols joined, and a paragraph number "1 ." written "1. " as in the English."""
    text = re.sub(r"(?<=[A-Za-z0-9.]) / (?=[A-Za-z0-9])", "/", text)
    text = re.sub(r'" (.*?) "', r'"\1"', text)
    text = re.sub(r"\( ", "(", text)
    text = re.sub(r" \)", ")", text)
    text = re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)
    return re.sub(r"^(\d+) \. ?", r"\1. ", text)


def build_opus(opus_git: Path | None, opus_dir: Path | None, out: Path) -> list[Path]:
    """glossary_dev/*.tsv from the OPUS sample pages (those whose selection is recorded in KEEP)."""
    written = []
    for rel, page in OPUS_FILES.items():
        if rel not in KEEP:
            print(f"skipped {rel}: its pair selection is not recorded in KEEP yet", file=sys.stderr)
            continue
        if opus_dir and not (opus_dir / page).is_file():
            raise SystemExit(f"{opus_dir / page} not found: save the OPUS-website page {page} there first")
        html = (opus_dir / page).read_text(encoding="utf-8") if opus_dir else _git_show(opus_git, f"HEAD:{page}").decode("utf-8")  # type: ignore[arg-type]
        pairs = {n: (en, other) for n, en, other in _opus_pairs(html)}
        lines = []
        for n in KEEP[rel]:
            en, other = pairs[str(n)]
            lines.append(f"{clean_zh(other)}\t{clean_en(en)}\n")
        _write(out / rel, "".join(lines).encode("utf-8"))
        written.append(out / rel)
    return written


def check(cache: Path) -> int:
    bad = 0
    for rel, want in SHA256.items():
        p = cache / rel
        got = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "missing"
        ok = got == want
        bad += not ok
        print(f"{'ok ' if ok else 'BAD'} {rel}{'' if ok else f' ({got})'}")
    return 1 if bad else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hf-git", type=Path, help="git dir of the huggingface/datasets repository (builds un_ga_sample/)")
    ap.add_argument("--opus-git", type=Path, help="git dir of the Helsinki-NLP/OPUS-website repository (builds glossary_dev/)")
    ap.add_argument("--opus-dir", type=Path, help="a folder holding the OPUS sample pages at their repository paths")
    ap.add_argument("--out", type=Path, default=CACHE, help=f"the cache (default $WB_GLOSSARY_DATA or {CACHE})")
    ap.add_argument("--check", action="store_true", help="compare every file with its recorded SHA-256")
    args = ap.parse_args()
    if not (args.hf_git or args.opus_git or args.opus_dir or args.check):
        ap.error("nothing to do: give --hf-git, --opus-git/--opus-dir or --check")
    if args.hf_git:
        for p in build_un_ga(args.hf_git, args.out):
            print(f"wrote {p}")
    if args.opus_git or args.opus_dir:
        for p in build_opus(args.opus_git, args.opus_dir, args.out / "glossary_dev"):
            print(f"wrote {p}")
    if args.check:
        sys.exit(check(args.out))


if __name__ == "__main__":
    main()
