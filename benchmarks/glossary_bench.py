"""Glossary quality on real text: precision against human UN translations, word traps, QA false alarms.

    python benchmarks/glossary_bench.py            # all tables
    python benchmarks/glossary_bench.py --json     # one JSON object

Data (all real, none of the owners' held-out sets):

* ``benchmarks/data/un_ga_sample/``: General Assembly resolution 55/100 and its recorded vote,
  official Chinese and English, 14 aligned lines (see its README for provenance);
* ``seeds/*.txt`` with the copy engine: what a reviewer sees in the stored drafts;
* ``--extra ZH EN``: any further line-aligned zh/en files (e.g. a UN Parallel Corpus excerpt
  kept in a cache directory), added to the precision and QA tables.

Tables:

1. **precision**: of the glossary hits applied to a Chinese sentence, how many have their
   English (preferred or admitted form) in the human English of that sentence; candidates
   (doubtful hits, not applied) are counted separately;
2. **traps**: every lexicon word that strictly contains a glossary variant (白俄罗斯 for 俄罗斯,
   大使馆 for 大使) in a carrier sentence: how many are applied (goal 0); and the same variants
   standing alone in the same carrier: how many are applied (goal >= 95%). The trap words come from
   the matcher's own lexicon (jieba + CC-CEDICT), so this checks the mechanism, not its coverage;
3. **qa**: flags raised on the human English of each dev sentence (every flag is a false alarm,
   unless the human translation really is wrong), by kind;
4. **seed drafts**: glossary insertions and candidates in the copy-engine drafts of the seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench import qa  # noqa: E402
from workbench.glossary import Glossary  # noqa: E402
from workbench.glossary.lexicon import lexicon  # noqa: E402
from workbench.glossary.normalize import match_key  # noqa: E402
from workbench.translate import find_hits  # noqa: E402

CARRIER = "会上讨论了{}的问题。"


def pairs(extra: list[tuple[Path, Path]]) -> list[tuple[str, str, str]]:
    """(set name, zh, en) of every aligned dev line."""
    sets = [("un-ga-55/100", ROOT / "benchmarks/data/un_ga_sample/UN.en-zh.zh", ROOT / "benchmarks/data/un_ga_sample/UN.en-zh.en"), *(("extra", z, e) for z, e in extra)]
    out = []
    for name, zh, en in sets:
        zl = zh.read_text(encoding="utf-8").splitlines()
        el = en.read_text(encoding="utf-8").splitlines()
        if len(zl) != len(el):
            raise SystemExit(f"{zh} and {en} have {len(zl)} and {len(el)} lines; they must be line-aligned")
        out.extend((name, z, e) for z, e in zip(zl, el) if z.strip() and e.strip())
    return out


def precision(g: Glossary, data: list[tuple[str, str, str]]) -> dict[str, object]:
    applied = correct = candidates = 0
    wrong: Counter[str] = Counter()
    by_term: Counter[str] = Counter()
    for _, zh, en in data:
        hits, cands = find_hits(g, [zh], "zh-Hans")
        candidates += len(cands[0])
        for h in hits[0]:
            if h.kind != "term":
                continue
            applied += 1
            by_term[h.term_id or ""] += 1
            if qa.hit_applied(h, en, g):
                correct += 1
            else:
                wrong[f"{h.surface} -> {h.en}"] += 1
    return {
        "sentences": len(data),
        "applied": applied,
        "correct": correct,
        "precision": round(correct / applied, 4) if applied else None,
        "candidates": candidates,
        "wrong": dict(wrong.most_common(20)),
    }


def traps(g: Glossary, per_variant: int = 3) -> dict[str, object]:
    lex = lexicon()
    variants: dict[str, str] = {}
    for t in g.terms:
        for v in t.variants["zh"]:
            k = match_key(v, "zh")
            if all("\u4e00" <= c <= "\u9fff" for c in k) and len(k) >= 2:
                variants[k] = t.id
    gkeys = set(g._keys["zh"])  # noqa: SLF001 - the glossary's own folded variants
    found: dict[str, list[str]] = {}
    for w in lex.logp:
        if len(w) < 3 or w in gkeys:
            continue
        for i in range(len(w)):
            for j in range(i + 2, len(w) + 1):
                if (i, j) == (0, len(w)):
                    continue
                k = w[i:j]
                if k in variants and len(found.setdefault(k, [])) < per_variant:
                    # a longer glossary variant inside the trap word would rightly match: skip those
                    if not any(w[a:b] in gkeys and b - a > len(k) for a in range(len(w)) for b in range(a + 1, len(w) + 1)):
                        found[k].append(w)
    trap_total = trap_applied = 0
    examples: list[str] = []
    for k, words in sorted(found.items()):
        for w in words:
            text = CARRIER.format(w)
            start = text.index(w)
            hits, _ = find_hits(g, [text], "zh-Hans")
            bad = [h for h in hits[0] if h.kind == "term" and start <= h.start and h.end <= start + len(w) and h.term_id == variants[k]]
            trap_total += 1
            if bad:
                trap_applied += 1
                if len(examples) < 15:
                    examples.append(f"{w} -> {bad[0].en}")
    alone_total = alone_applied = 0
    misses: list[str] = []
    for k, tid in sorted(variants.items()):
        text = CARRIER.format(k)
        hits, _ = find_hits(g, [text], "zh-Hans")
        alone_total += 1
        if any(h.term_id == tid for h in hits[0]):
            alone_applied += 1
        elif len(misses) < 15:
            misses.append(k)
    return {
        "trap_words": trap_total,
        "trap_applied": trap_applied,
        "trap_examples": examples,
        "variants_alone": alone_total,
        "alone_applied": alone_applied,
        "alone_rate": round(alone_applied / alone_total, 4) if alone_total else None,
        "alone_missed": misses,
    }


def qa_false_alarms(g: Glossary, data: list[tuple[str, str, str]]) -> dict[str, object]:
    kinds: Counter[str] = Counter()
    flagged = 0
    examples: list[str] = []
    for _, zh, en in data:
        hits, cands = find_hits(g, [zh], "zh-Hans")
        uses = qa.term_uses(hits[0], en, "kept", g)
        flags = [f for f in qa.flags_for(zh, en, uses, source_lang="zh-Hans", is_mt=True, glossary=g) if qa.level(f) != "info"]
        if flags:
            flagged += 1
            examples.extend(flags[:3])
        kinds.update(f.split(":", 1)[0] for f in flags)
    return {"sentences": len(data), "flagged_sentences": flagged, "by_kind": dict(kinds), "examples": examples[:20]}


def seed_drafts(g: Glossary) -> dict[str, object]:
    from workbench.ingest import read_document
    from workbench.segment import segment_document

    insertions = candidates = segments = 0
    listed: list[str] = []
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        doc = read_document(p, None, None)
        if doc.lang == "en":
            continue
        texts = [s.text for s in segment_document(doc.text, doc.lang)]
        hits, cands = find_hits(g, texts, doc.lang)
        segments += len(texts)
        insertions += sum(1 for hs in hits for h in hs if h.kind == "term")
        for t, cs in zip(texts, cands):
            candidates += len(cs)
            listed.extend(f"{p.name[:3]}: {c} in {t[:30]}…" for c in cs)
    return {"segments": segments, "term_insertions": insertions, "candidates": candidates, "candidate_list": listed}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--glossary", type=Path, default=ROOT / "glossary.yaml")
    ap.add_argument("--extra", nargs=2, action="append", type=Path, default=[], metavar=("ZH", "EN"), help="more line-aligned zh/en files")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    g = Glossary.load(args.glossary)
    start = time.perf_counter()
    data = pairs([tuple(x) for x in args.extra])  # type: ignore[misc]
    result = {
        "glossary": g.hash,
        "precision": precision(g, data),
        "traps": traps(g),
        "qa": qa_false_alarms(g, data),
        "seed_drafts": seed_drafts(g),
    }
    result["seconds"] = round(time.perf_counter() - start, 1)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    p, t, q, s = result["precision"], result["traps"], result["qa"], result["seed_drafts"]
    print(f"glossary {g.hash}, {len(g)} terms\n")
    print("| measure | value | goal |\n| --- | --- | --- |")
    print(f"| precision (zh-en, {p['sentences']} UN sentences): correct / applied | {p['correct']}/{p['applied']} = {p['precision']} | >= 0.95 |")
    print(f"| candidates (doubtful hits, not applied) | {p['candidates']} | - |")
    print(f"| traps: variant inside a longer lexicon word, applied | {t['trap_applied']}/{t['trap_words']} | 0 |")
    print(f"| same variants standing alone, applied | {t['alone_applied']}/{t['variants_alone']} = {t['alone_rate']} | >= 0.95 |")
    print(f"| QA: human UN sentences with a warning/error flag | {q['flagged_sentences']}/{q['sentences']} {q['by_kind']} | 0 |")
    print(f"| seed drafts: term insertions / candidates | {s['term_insertions']} / {s['candidates']} | - |")
    if p["wrong"]:
        print("\nwrong insertions (English not in the human translation):", json.dumps(p["wrong"], ensure_ascii=False))
    if t["trap_examples"]:
        print("traps applied:", ", ".join(t["trap_examples"]))
    if t["alone_missed"]:
        print("variants alone not applied:", ", ".join(t["alone_missed"]))
    if q["examples"]:
        print("QA flags on human translations:", ", ".join(q["examples"]))
    if s["candidate_list"]:
        print("seed candidates:", "; ".join(s["candidate_list"]))
    print(f"\n({result['seconds']} s)")


if __name__ == "__main__":
    main()
