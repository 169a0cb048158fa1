"""Build the alignment development sets in this directory (run from the repository root).

    python tests/data/align/make_devsets.py

Each set NAME has NAME.src (one "foreign" sentence a line), NAME.tgt (the
"human translation", one sentence a line), NAME.bridge (a deliberately imperfect
"machine translation" of NAME.src into the target's language, line-parallel to
NAME.src) and NAME.gold (beads in the ``[i,...]:[j,...]`` format).

How a set is made, from real target-language sentences (English prose from
Python's reference manual, which ships with Python as ``pydoc_data``; Vietnamese
and Chinese from seeds/):

* the source side is a pseudo-language: every word is replaced through a fixed
  random "lexicon" (other length, other letters; names, numbers and punctuation
  mostly kept, as between German and French), Han characters through a fixed
  random character map with insertions/deletions;
* structure differs: target sentences merged into one source sentence (1-2, 1-3),
  split into two or three (2-1, 3-1), two pairs re-cut (2-2), headers, page
  numbers and footnotes present on one side only (1-0, 0-1), sentences dropped
  by the "translator";
* OCR noise on both sides: character confusions (rn/m, l/1, e/c, ...),
  hyphenation breaks ("inter- preter"), lost spaces;
* the bridge is the gold target of each source sentence perturbed like a mediocre
  MT: words dropped, replaced by other words of the text, swapped; a few lines are
  wholly wrong.

The files are committed; this script documents how they were made and regenerates
them (output depends on the Python version's pydoc_data only for the English sets).
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from workbench.ingest import read_document  # noqa: E402
from workbench.segment import segment_document, split_sentences  # noqa: E402

_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*|[^\w\s]|_+")


def english(topics_names: list[str]) -> list[str]:
    from pydoc_data.topics import topics

    out = []
    for k in topics_names:
        paras = [p for p in re.split(r"\n\s*\n", topics[k]) if p.strip() and not p.startswith("   ") and len(p) > 80]
        out += [s for p in paras for s in split_sentences(" ".join(p.split()), "en")]
    return [s for s in out if len(s) > 3]


def seeds(names: list[str]) -> list[str]:
    out = []
    for name in names:
        d = read_document(ROOT / "seeds" / name)
        out += [s.text for s in segment_document(d.text, d.lang) if s.text]
    return out


class Pseudo:
    """A fixed random 'foreign language' for words and Han characters."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lex: dict[str, str] = {}
        self.han: dict[str, str] = {}

    def word(self, w: str) -> str:
        if w.isdigit() or not w.isalpha():
            return w
        if w[0].isupper() and len(w) > 3 and self.rng.random() < 0.8:
            return w  # names and cognates
        key = w.lower()
        if key not in self.lex:
            r = random.Random(key)
            n = max(1, round(len(key) * r.uniform(0.7, 1.5)))
            cons, vows = "bcdfghklmnprstvwz", "aeiouäöü"
            self.lex[key] = "".join(r.choice(cons) if i % 2 == 0 else r.choice(vows) for i in range(n))
        out = self.lex[key]
        return out.capitalize() if w[0].isupper() else out

    def char(self, c: str) -> str:
        if not _HAN.match(c):
            return c
        if c not in self.han:
            r = random.Random(c)
            self.han[c] = chr(0x4E00 + r.randrange(0x5000))
        return self.han[c]

    def sentence(self, s: str) -> str:
        if _HAN.search(s):
            out = []
            for c in s:
                x = self.rng.random()
                if x < 0.08 and _HAN.match(c):
                    continue
                out.append(self.char(c))
                if x > 0.92 and _HAN.match(c):
                    out.append(chr(0x4E00 + self.rng.randrange(0x5000)))
            return "".join(out)
        toks = [self.word(t) for t in s.split()]
        toks = [re.sub(r"[^\W\d_]+", lambda m: self.word(m.group()), t) for t in toks]
        # some local reordering and function-word insertion
        for i in range(len(toks) - 1):
            if self.rng.random() < 0.08:
                toks[i], toks[i + 1] = toks[i + 1], toks[i]
        extra = []
        for t in toks:
            extra.append(t)
            if self.rng.random() < 0.1:
                extra.append(self.rng.choice(["der", "die", "das", "und", "zu", "von"]))
        return " ".join(extra)


OCR = [("rn", "m"), ("m", "rn"), ("l", "1"), ("e", "c"), ("i", "í"), ("o", "0"), ("h", "b"), ("ü", "u"), ("cl", "d"), ("t", "f")]


def ocr(s: str, rng: random.Random, rate: float) -> str:
    for a, b in OCR:
        if a in s and rng.random() < rate * 4:
            pos = [m.start() for m in re.finditer(re.escape(a), s)]
            p = rng.choice(pos)
            s = s[:p] + b + s[p + len(a) :]
    if rng.random() < rate * 5:
        words = s.split(" ")
        long = [i for i, w in enumerate(words) if len(w) > 7 and w.isalpha()]
        if long:
            i = rng.choice(long)
            cut = rng.randrange(3, len(words[i]) - 3)
            words[i] = words[i][:cut] + "- " + words[i][cut:]
            s = " ".join(words)
    if rng.random() < rate * 3 and " " in s:
        spaces = [m.start() for m in re.finditer(" ", s)]
        p = rng.choice(spaces)
        s = s[:p] + s[p + 1 :]
    return s


def mt(s: str, rng: random.Random, vocab: list[str], quality: float) -> str:
    """A mediocre 'machine translation' of gold target text ``s``."""
    if rng.random() < 0.03:
        return " ".join(rng.choice(vocab) for _ in range(max(3, len(s.split()))))
    if _HAN.search(s) and " " not in s.strip():
        out = []
        for c in s:
            x = rng.random()
            if x < (1 - quality) / 2:
                continue
            if x < 1 - quality:
                out.append(rng.choice(vocab)[:1])
                continue
            out.append(c)
        return "".join(out)
    words = s.split()
    out = []
    for w in words:
        x = rng.random()
        if x < (1 - quality) / 2:
            continue
        if x < 1 - quality:
            out.append(rng.choice(vocab))
            continue
        out.append(w)
    for i in range(len(out) - 1):
        if rng.random() < 0.1:
            out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out) or s


def split_text(s: str, parts: int, rng: random.Random) -> list[str] | None:
    """Cut a sentence into ``parts`` pieces at commas/spaces (None if too short)."""
    if _HAN.search(s) and " " not in s.strip():
        cuts = [m.end() for m in re.finditer(r"[，,；;：]", s) if 4 < m.end() < len(s) - 4]
        if len(cuts) < parts - 1:
            cuts = list(range(6, len(s) - 6, max(1, len(s) // (parts + 1))))
        if len(cuts) < parts - 1:
            return None
        chosen = sorted(rng.sample(cuts, parts - 1))
        bounds = [0, *chosen, len(s)]
        return [s[a:b] for a, b in zip(bounds, bounds[1:])]
    words = s.split()
    if len(words) < 6 * parts:
        return None
    commas = [i + 1 for i, w in enumerate(words[:-3]) if w.endswith((",", ";", ":")) and i > 2]
    cands = commas if len(commas) >= parts - 1 else list(range(3, len(words) - 3))
    chosen = sorted(rng.sample(cands, parts - 1))
    bounds = [0, *chosen, len(words)]
    return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]


def build(name: str, sentences: list[str], seed: int, *, ocr_rate: float = 0.03, quality: float = 0.7, ops: dict[str, float] | None = None) -> None:
    rng = random.Random(seed)
    ps = Pseudo(rng)
    vocab = [w for s in sentences for w in s.split()] if " " in "".join(sentences[:5]) else list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严")
    pairs: list[tuple[list[str], list[str], list[str]]] = []  # (src sentences, bridge lines, tgt sentences)
    ops = ops or {"11": 0.74, "12": 0.06, "21": 0.06, "13": 0.015, "31": 0.015, "22": 0.02, "10": 0.025, "01": 0.025, "hdr_src": 0.02, "hdr_tgt": 0.02, "fn": 0.01}
    names, weights = zip(*ops.items())
    i = 0
    page = 1
    while i < len(sentences):
        op = rng.choices(names, weights)[0]
        t = sentences[i]
        if op == "12" and i + 1 < len(sentences):
            ts = [t, sentences[i + 1]]
            pairs.append(([ps.sentence(" ".join(ts))], [mt(" ".join(ts), rng, vocab, quality)], ts))
            i += 2
        elif op == "13" and i + 2 < len(sentences):
            ts = sentences[i : i + 3]
            pairs.append(([ps.sentence(" ".join(ts))], [mt(" ".join(ts), rng, vocab, quality)], ts))
            i += 3
        elif op in ("21", "31") and split_text(t, int(op[0]), rng):
            pieces = split_text(t, int(op[0]), rng)
            assert pieces
            pairs.append(([ps.sentence(p) for p in pieces], [mt(p, rng, vocab, quality) for p in pieces], [t]))
            i += 1
        elif op == "22" and i + 1 < len(sentences) and split_text(t, 2, rng):
            a, b = split_text(t, 2, rng)  # type: ignore[misc]
            # source: (a) (b + next) ; target: (t) (next)
            nxt = sentences[i + 1]
            pairs.append(([ps.sentence(a), ps.sentence(b + " " + nxt)], [mt(a, rng, vocab, quality), mt(b + " " + nxt, rng, vocab, quality)], [t, nxt]))
            i += 2
        elif op == "10":
            pairs.append(([ps.sentence(t)], [mt(t, rng, vocab, quality)], []))
            i += 1
        elif op == "01":
            pairs.append(([], [], [t]))
            i += 1
        elif op == "hdr_src":
            page += 1
            hdr = rng.choice([f"Seite {page}", f"- {page} -", f"{page} Jahrbuch des Schweizer Alpenclub", f"Kapitel {page // 3 + 1}"])
            pairs.append(([hdr], [mt(hdr, rng, vocab, 0.5)], []))
        elif op == "hdr_tgt":
            page += 1
            hdr = rng.choice([f"Page {page}", f"— {page} —", f"{page} Annuaire du Club Alpin", f"[{page}]"])
            pairs.append(([], [], [hdr]))
        elif op == "fn":
            k = rng.randrange(1, 9)
            body = rng.choice(sentences)
            if rng.random() < 0.5:
                pairs.append(([f"{k} " + ps.sentence(body)], [mt(f"{k} " + body, rng, vocab, quality)], []))
            else:
                pairs.append(([], [], [f"{k} {body}"]))
        else:
            pairs.append(([ps.sentence(t)], [mt(t, rng, vocab, quality)], [t]))
            i += 1
    src, bridge, tgt, gold = [], [], [], []
    for s_list, b_list, t_list in pairs:
        si = list(range(len(src), len(src) + len(s_list)))
        ti = list(range(len(tgt), len(tgt) + len(t_list)))
        src += [ocr(s, rng, ocr_rate) for s in s_list]
        bridge += b_list
        tgt += [ocr(t, rng, ocr_rate) for t in t_list]
        gold.append(f"[{','.join(map(str, si))}]:[{','.join(map(str, ti))}]")
    for ext, lines in (("src", src), ("tgt", tgt), ("bridge", bridge), ("gold", gold)):
        (HERE / f"{name}.{ext}").write_text("".join(x.replace("\n", " ") + "\n" for x in lines), encoding="utf-8")
    print(f"{name}: {len(src)} x {len(tgt)} sentences, {len(gold)} beads")


def main() -> None:
    build("en_manual", english(["execmodel", "import", "naming", "assignment", "calls", "attribute-access"]), 1)
    build("en_types", english(["compound", "types"]), 2, ocr_rate=0.05, quality=0.55)
    build("vi_seeds", seeds(["001_85fdaf6eba83a0b1.txt", "002_32457efe62ae41e4.txt"]), 3)
    build("zh_seeds", seeds(["000_093349a39d32f8f2.txt", "004_c0907f7ee83eb81c.txt"]), 4, quality=0.6)


if __name__ == "__main__":
    main()
