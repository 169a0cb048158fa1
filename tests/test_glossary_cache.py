"""The glossary cache (workbench/glossary/cache.py): a cached glossary and its matchers give
exactly the hits of a freshly parsed one; a corrupt or stale cache is never used."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from workbench.glossary import Glossary, cache

ROOT = Path(__file__).resolve().parents[1]
LANGS = {"zh": "zh-Hans", "vi": "vi"}


@pytest.fixture()
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("WORKBENCH_NO_CACHE", raising=False)
    return tmp_path / "xdg" / "workbench" / "glossary"


def _seed_texts() -> dict[str, list[str]]:
    from workbench.ingest import read_document
    from workbench.segment import segment_document

    out: dict[str, list[str]] = {"zh": [], "vi": []}
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        doc = read_document(p, None, None)
        fam = "zh" if doc.lang.startswith("zh") else doc.lang
        if fam in out:
            out[fam].extend(s.text for s in segment_document(doc.text, doc.lang))
    return out


def _sample(texts: list[str], g: Glossary, fam: str, n: int = 300) -> list[str]:
    """Random pieces of the seeds with glossary variants dropped in at random places."""
    rng = random.Random(17)
    variants = [v for t in g.terms for v in (*t.variants[fam], t.en)]
    blob = " ".join(texts)
    out = []
    for _ in range(n):
        a = rng.randrange(len(blob))
        piece = blob[a : a + rng.randint(5, 80)]
        k = rng.randrange(len(piece) + 1)
        out.append(piece[:k] + rng.choice(variants) + piece[k:])
    return out


def _all_hits(g: Glossary, texts: list[str], lang: str):
    hits, cands = g.match_all(texts, lang)
    return [[tuple(h) for h in hs] for hs in hits], [[repr(c) for c in cs] for cs in cands]


def test_cached_glossary_matches_exactly_like_a_fresh_one(cache_home, tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_bytes((ROOT / "glossary.yaml").read_bytes())
    cold = Glossary.load(path)
    texts = _seed_texts()
    for fam, lang in LANGS.items():
        cold.find("x", lang)  # builds and stores the family's automaton
    key = cache.key_for(path.read_bytes())
    assert (cache_home / f"{key}.pickle").is_file()
    assert {p.name for p in cache_home.glob(f"{key}.*.daac")} == {f"{key}.zh.daac", f"{key}.vi.daac"}

    warm = Glossary.load(path)
    assert warm._cache_key == key
    assert warm.terms == cold.terms and [t.line for t in warm.terms] == [t.line for t in cold.terms]
    assert warm.hash == cold.hash == Glossary(cold.terms).hash
    fresh = Glossary(cold.terms)  # no cache at all: index and automata built here
    for fam, lang in LANGS.items():
        for sample in (texts[fam], _sample(texts[fam], cold, fam)):
            expected = _all_hits(fresh, sample, lang)
            assert any(expected[0]), "the sample must have hits"
            assert _all_hits(warm, sample, lang) == expected
            assert _all_hits(cold, sample, lang) == expected


@pytest.mark.parametrize("damage", ["garbage", "empty", "truncated", "family files only"])
def test_a_corrupt_cache_is_ignored(cache_home, tmp_path, damage):
    path = tmp_path / "glossary.yaml"
    path.write_bytes((ROOT / "glossary.yaml").read_bytes())
    first = Glossary.load(path)
    first.find("联合国", "zh-Hans")
    key = cache.key_for(path.read_bytes())
    for f in cache_home.glob(f"{key}.*"):
        data = f.read_bytes()
        if damage == "family files only":
            if not f.name.endswith(".pickle"):
                f.write_bytes(b"\x80not a pickle")
            continue
        f.write_bytes({"garbage": b"\x80not a pickle" * 50, "empty": b"", "truncated": data[: len(data) // 2]}[damage])
    again = Glossary.load(path)
    text = "联合国安全理事会主席声明"
    assert again.find(text, "zh-Hans") == first.find(text, "zh-Hans") != []
    assert again.terms == first.terms and dict(again._keys.items()) == dict(first._keys.items())


def test_a_changed_file_is_parsed_again(cache_home, tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text("version: 1\nterms:\n  - en: Security Council\n    zh: [安理会]\n", encoding="utf-8")
    assert Glossary.load(path).find("安理会", "zh-Hans")[0].en == "Security Council"
    path.write_text("version: 1\nterms:\n  - en: the Council\n    zh: [安理会]\n", encoding="utf-8")
    assert Glossary.load(path).find("安理会", "zh-Hans")[0].en == "the Council"


def test_no_cache_when_turned_off(cache_home, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_NO_CACHE", "1")
    path = tmp_path / "glossary.yaml"
    path.write_text("version: 1\nterms:\n  - en: Security Council\n    zh: [安理会]\n", encoding="utf-8")
    Glossary.load(path).find("安理会", "zh-Hans")
    assert not cache_home.exists()


# -- one-entry edits (workbench/glossary/splice.py): the same glossary as a full reload -------------

_BLOCK_FILE = """# a curator's header
version: 1
terms:
  # ---- section
  - en: Security Council
    zh:
      - 安全理事会
      - 安理会
    vi: [Hội đồng Bảo an]  # end-of-line comment
    note: "After first mention: 'the Council'."

  - en: General Assembly
    zh: [联合国大会]


  # ---- another section
  - en: Member States
    zh: [会员国]
    vi: [các nước thành viên]
"""


def _edits(path: Path):
    from workbench.glossary import edit as ga

    last = Glossary.load(path).terms[-1].id
    return [
        ("add at the end", lambda: ga.add_term(path, {"en": "benchmark term", "zh": ["基准术语"]}, dry_run=True)),
        ("add after the first", lambda: ga.add_term(path, {"en": "benchmark term two", "vi": ["thuật ngữ chuẩn"], "zh": ["基准术语乙"]}, after="security-council", dry_run=True)),
        ("edit the first", lambda: ga.edit_term(path, "security-council", add={"zh": ["安全理事會總部", "安全理事会总部大楼"]}, note="", dry_run=True)),
        ("edit the last", lambda: ga.edit_term(path, last, add={"vi": ["thuật ngữ chuẩn ba"]}, dry_run=True)),
        ("rename", lambda: ga.edit_term(path, "general-assembly", en="The General Assembly", dry_run=True)),
        ("remove the middle", lambda: ga.remove_term(path, "general-assembly", dry_run=True)),
        ("remove the first", lambda: ga.remove_term(path, "security-council", dry_run=True)),
    ]


@pytest.mark.parametrize("source", ["block", "block-crlf", "seed glossary"])
@pytest.mark.parametrize("which", range(7))
def test_a_one_entry_edit_gives_the_glossary_a_full_reload_gives(cache_home, tmp_path, monkeypatch, source, which):
    from workbench.glossary import splice

    path = tmp_path / "glossary.yaml"
    if source == "seed glossary":
        path.write_bytes((ROOT / "glossary.yaml").read_bytes())
    else:
        path.write_bytes(_BLOCK_FILE.replace("\n", "\r\n" if source == "block-crlf" else "\n").encode("utf-8"))
    used: list[bool] = []
    real = splice.changed_glossary
    monkeypatch.setattr(splice, "changed_glossary", lambda *a: used.append(True) or real(*a))
    label, make = _edits(path)[which]
    change = make()
    assert used == [True], f"{label}: the one-entry path was not taken"
    out = tmp_path / "after.yaml"
    out.write_bytes(change.text.encode("utf-8"))
    monkeypatch.setenv("WORKBENCH_NO_CACHE", "1")
    full = Glossary.load(out)
    assert change.new.terms == full.terms, label
    assert [t.line for t in change.new.terms] == [t.line for t in full.terms], label
    assert change.new.hash == full.hash
    monkeypatch.delenv("WORKBENCH_NO_CACHE")
    cached = Glossary.load(out)  # the edit stored the new text's glossary in the cache
    assert cached._cache_key == cache.key_for(out.read_bytes()) and [t.line for t in cached.terms] == [t.line for t in full.terms]


@pytest.mark.parametrize(
    "entry, skip, conflict",
    [
        ({"en": "benchmark term", "zh": ["安全理事会"]}, None, True),  # a zh variant of another entry
        ({"en": "benchmark term", "zh": ["基准术语"], "vi": ["hđba"]}, None, True),  # a vi variant, folded
        ({"en": "benchmark term", "zh": ["基准术语"], "en_variants": ["member states"]}, None, True),  # a case-sensitive entry's English
        ({"en": "Security Council", "zh": ["安全理事会", "安全理事會"]}, "security-council", False),  # the edited entry's own variants
        ({"en": "Security Council", "zh": ["安全理事会", "安理會"]}, "security-council", True),  # 安理会 is "Council"
        ({"en": "benchmark term", "zh": ["基准术语"]}, None, False),
    ],
)
def test_the_index_conflict_check_says_what_the_full_one_says(cache_home, entry, skip, conflict):
    from workbench.glossary import edit as ga

    path = ROOT / "glossary.yaml"
    g = Glossary.load(path)
    e = ga._norm_entry(entry)
    i = next((n for n, t in enumerate(g.terms) if t.id == skip), None)
    label = "new entry" if skip is None else "as edited"
    entries = [(ga.term_to_entry(t), f"{path} line {t.line}") for n, t in enumerate(g.terms) if n != i]
    expected = ga._find_conflict([*entries, (e, label)])
    assert (expected is not None) == conflict
    assert ga._conflict(g, e, label, path, skip=i) == expected


SCOPES = [  # (selection, does it keep every entry of glossary.yaml?)
    (["UN"], False),
    ([], False),
    (["ASEAN", "Taiwan"], False),
    (["CICA"], True),
    (["UN", "CICA"], True),
]


@pytest.mark.parametrize("selection,keeps_all", SCOPES)
def test_a_scoped_glossary_is_cached_like_its_file(cache_home, tmp_path, monkeypatch, selection, keeps_all):
    from workbench.glossary import core

    path = tmp_path / "glossary.yaml"
    path.write_bytes((ROOT / "glossary.yaml").read_bytes())
    cold = Glossary.load(path)
    first = cold.scoped(selection)
    texts = _seed_texts()
    expected = {}
    for fam, lang in LANGS.items():
        fresh = Glossary([t for t in cold.terms if not t.scope or set(selection) & set(t.scope)])
        expected[fam] = _all_hits(fresh, texts[fam], lang)
        assert _all_hits(first, texts[fam], lang) == expected[fam]
    assert first.hash == fresh.hash and first.scopes == tuple(sorted(selection))
    assert (len(first) == len(cold)) == keeps_all

    # A new process: the scoped glossary comes from the cache, and no matcher is indexed or compiled again.
    real = core.CharwiseDoubleArrayAhoCorasick

    class NoBuild:
        deserialize = staticmethod(real.deserialize)

        def __init__(self, *a, **k):
            raise AssertionError("a matcher was compiled again")

    monkeypatch.setattr(core, "CharwiseDoubleArrayAhoCorasick", NoBuild)
    monkeypatch.setattr(core.Glossary, "_index", lambda self: (_ for _ in ()).throw(AssertionError("indexed again")))
    warm = Glossary.load(path)
    again = warm.scoped(selection)
    assert again._cache_key == (warm._cache_key if keeps_all else cache.key_for_scoped(warm._cache_key, tuple(sorted(selection))))
    assert again.hash == first.hash and again.scopes == first.scopes and len(again) == len(first)
    for fam, lang in LANGS.items():
        assert _all_hits(again, texts[fam], lang) == expected[fam]
        if keeps_all:  # the same entries: the very matchers of the whole glossary
            assert again._automaton(fam) is warm._automaton(fam)
    assert warm.scoped(selection) is again


def test_the_long_words_holding_variants_are_cached_beside_the_glossary(cache_home, tmp_path, monkeypatch):
    """The lexicon words too long for the judging window (斯里兰卡民主社会主义共和国 holds 斯里兰卡) are
    found once per glossary file and lexicon; a later process reads them back and judges the same."""
    from workbench.glossary.lexicon import lexicon

    path = tmp_path / "glossary.yaml"
    path.write_bytes((ROOT / "glossary.yaml").read_bytes())
    lex = lexicon()
    monkeypatch.setattr(lex, "stamp", "test-stamp")
    texts = ["斯里兰卡民主社会主义共和国代表团", "斯里兰卡代表发言", "白俄罗斯和俄罗斯"]
    first = Glossary.load(path)
    expected = _all_hits(first, texts, "zh-Hans")
    assert expected[1][0], "the long word must make a candidate"
    assert [p.name.split(".", 1)[1] for p in cache_home.glob("*.extra")] == ["zh.long-test-stamp.extra"]

    def computed_again(keys):  # noqa: ANN001, ANN202
        raise AssertionError("the long words were not read from the cache")

    monkeypatch.setattr(lex, "containers", computed_again)
    again = Glossary.load(path)
    assert _all_hits(again, texts, "zh-Hans") == expected
