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

    #    Checked so far on excerpts of the pages only (the OPUS-website snapshot, 1.4 GB, is over
    #    what the search tool's fetch brings, so the pages were read, not run through this script
    #    whole): --check tells whether a rebuilt cache is the published one.

What the sets are (``glossary_dev``; one pair a line, ``source<TAB>English``, UTF-8):

* ``zh-en/un_ga_55_101-103.tsv`` (65 pairs): General Assembly resolutions 55/101-55/103 (2000),
  official Chinese and English, vote lists left out (55/100 is ``un_ga_sample``); OPUS ``UN``
  v20090831 (Rafalovitch & Dale 2009);
* ``zh-en/unpc_s_res_918.tsv`` (48): Security Council resolution 918 (1994); OPUS ``UNPC`` v1.0
  (Ziemski et al. 2016; *training* documents, not the UNv1.0 dev/test sets);
* ``zh-en/multiun_2005.tsv`` (49): NPT/CONF.2005/32, S/2005/748, CTOC/COP/2005/L.13, A/60/7/Add.14
  and one line of SAICM/PREPCOM.3/INF/15;
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

#: output file -> the pairs it keeps: (document of the sample page, pair number). Tokenized pages
#: (UN, UNPC, MultiUN) number a pair by its first ``(src)="N"`` line, the ALT pages (plain
#: sentences) by position from 1. Left out: vote lists, "Adopted at ..." lines, repeated "The
#: General Assembly,", section letters (A, B, C), and pairs whose two sides do not match (a
#: different sentence, a page header, one side cut short). Several lines of one side of a pair are
#: joined with a space.
UN_DOC = "en/20090831.xml.gz"
UNPC_DOC = "zh/1994/s/res/918_1994_.xml.gz"
ALT = ""
KEEP: dict[str, list[tuple[str, int]]] = {
    "zh-en/un_ga_55_101-103.tsv": [(UN_DOC, n) for n in (*range(22, 29), *range(30, 41), 45, *range(47, 63), *range(64, 69), 70, *range(72, 85), 86, 87, *range(89, 93), 94, 96, 98, 99, 100)],
    "zh-en/unpc_s_res_918.tsv": [(UNPC_DOC, n) for n in range(1, 53) if n not in (11, 22, 37, 48)],
    "zh-en/multiun_2005.tsv": [("en/2005/NPT_CONF2005_32.xml.gz", n) for n in (1, 2, 4, 6, 8)]
    + [("en/2005/S_2005_748.xml.gz", n) for n in (1, 2, 3)]
    + [("en/2005/CTOC_COP_2005_L13.xml.gz", n) for n in (3, 4, 5, 7, 8, 9, 10, 11, 12)]
    + [("en/2005/A_60_7_ADD14.xml.gz", n) for n in (1, 2, 3, 4, 6, *range(8, 24), *range(26, 32), 34, 35, 37, 38)]
    + [("en/2005/SAICM_PREPCOM3_INF_15.xml.gz", 8)],
    "zh-en/alt_wikinews.tsv": [(ALT, n) for n in (1, 8, 10, 12, 18, 21, 27, 34, 35, 36, 39, 43, 45, 47, 48, 50)],
    "vi-en/alt_wikinews.tsv": [(ALT, n) for n in (*range(1, 26), 27, 28, 29, 30, 32, 34, 35, 36, 37, 38, 39, 42, 44, 45, 46, 47, 48, 50)],
}
#: files whose Chinese carries paragraph numbers ("1 . ") that the English sample has on lines of their own: removed
DROP_PARA_NUMBERS = {"zh-en/multiun_2005.tsv"}

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


def _opus_pairs(html: str) -> dict[tuple[str, int], tuple[str, str]]:
    """(document, pair number) -> (English, other side) of a sample page.

    Tokenized pages: a document starts with ``# <lang>/<path><br>`` (its source side) and
    ``# <lang>/<path>``; pairs are the ``<hr>``-separated blocks of ``(src)="N"> ... <br>`` and
    ``(trg)="M"> ... <br>`` lines. ALT pages: English line, other line, ``<hr/>``."""
    out: dict[tuple[str, int], tuple[str, str]] = {}
    if "(src)=" not in html:
        body = html.split("<p>", 1)[1].rsplit("</p>", 1)[0]
        for n, block in enumerate((b for b in body.split("<hr/>") if b.strip()), 1):
            lines = [html_unescape(x.strip()) for x in block.split("<br/>") if x.strip()]
            out[(ALT, n)] = (lines[0], lines[1])
        return out
    for doc in re.split(r"^(?=# \S+<br>$)", html, flags=re.M)[1:]:
        name = doc.split("<br>", 1)[0][2:]
        src_en = name.startswith("en/")
        for block in doc.split("<hr>"):
            src = re.findall(r'^\(src\)="([^"]+)"> (.*?) ?<br>$', block, re.M)
            trg = re.findall(r'^\(trg\)="([^"]+)"> (.*?) ?<br>$', block, re.M)
            if not src or not trg:
                continue
            s_text = " ".join(html_unescape(t) for _, t in src)
            t_text = " ".join(html_unescape(t) for _, t in trg)
            out[(name, int(src[0][0].split(":")[0]))] = (s_text, t_text) if src_en else (t_text, s_text)
    return out


_DOC_SLASH = re.compile(r"(?<=[A-Za-z0-9.]) / (?=[A-Za-z0-9])")


def clean_en(text: str) -> str:
    """Undo OPUS's tokenization of English: ``A / 55 / 289`` -> ``A/55/289``, no space before , . ; : )
    nor inside ( ) and " ", ``UNAMIR ' s`` -> ``UNAMIR's``, ``$ 9,000`` -> ``$9,000``."""
    text = _DOC_SLASH.sub("/", text)
    text = re.sub(r'" (.*?) "', r'"\1"', text)
    text = re.sub(r" ' s\b", "'s", text)
    text = re.sub(r"\$ (?=\d)", "$", text)
    text = re.sub(r"\( ", "(", text)
    return re.sub(r" (?=[,.;:)])", "", text)


def clean_zh(text: str, drop_para_number: bool = False) -> str:
    """Undo OPUS's tokenization of Chinese: no space next to a non-ASCII character, none inside ( ),
    document symbols joined; a paragraph number "1 ." is written "1. " as in the English, or removed."""
    text = _DOC_SLASH.sub("/", text)
    text = re.sub(r'" (.*?) "', r'"\1"', text)
    text = re.sub(r"\( ", "(", text)
    text = re.sub(r" \)", ")", text)
    text = re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)
    return re.sub(r"^(\d+) \. ?", "" if drop_para_number else r"\1. ", text)


def build_opus(opus_git: Path | None, opus_dir: Path | None, out: Path) -> list[Path]:
    """glossary_dev/*.tsv from the OPUS sample pages: the pairs of KEEP, cleaned, ``source<TAB>English``."""
    written = []
    for rel, page in OPUS_FILES.items():
        if opus_dir and not (opus_dir / page).is_file():
            raise SystemExit(f"{opus_dir / page} not found: save the OPUS-website page {page} there first")
        html = (opus_dir / page).read_text(encoding="utf-8") if opus_dir else _git_show(opus_git, f"HEAD:{page}").decode("utf-8")  # type: ignore[arg-type]
        pairs = _opus_pairs(html)
        lines = []
        for key in KEEP[rel]:
            if key not in pairs:
                raise SystemExit(f"{page} has no pair {key}: not the page this recipe was written for")
            en, other = pairs[key]
            if key[0] == ALT:  # ALT pages are plain sentences, not tokenized
                lines.append(f"{other}\t{en}\n")
            else:
                lines.append(f"{clean_zh(other, rel in DROP_PARA_NUMBERS)}\t{clean_en(en)}\n")
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
