"""Curated glossary: loading, validation and fast term matching.

The glossary (``glossary.yaml``, schema documented at the top of that file)
maps source-language variants (Chinese in either script, Vietnamese) to the
established UN English form of a term.  :meth:`Glossary.find` locates glossary
terms and non-translatable spans (UN document symbols, e-mail addresses, URLs)
in a source text; :func:`contains_term` checks whether an English target
renders a term.

Matching model
--------------
Text and variants are both mapped to a *match key* of exactly the same length
as the (NFC) text, so offsets in the key are offsets in the text:

* NFC.  If the input is not NFC (e.g. NFD Vietnamese), it is normalised
  cluster by cluster and every key position remembers the span of the
  original text it came from; hits always point into the ORIGINAL string.
* Chinese family only: every character is folded Traditional -> Simplified
  with OpenCC (``t2s``) *character by character* (context-free, so a variant
  folds the same way alone and inside a sentence), and full-width ASCII is
  folded to ASCII.
* ``str.lower`` (equals ``casefold`` for Vietnamese and English; characters
  whose lower case is longer than one character are left unchanged).
* Hyphens/dashes and no-break spaces become a plain space, so
  "confidence-building" and "confidence building" match each other.

A variant whose first (last) character is a word character (a letter, digit
or combining mark that is not CJK) only matches where the preceding
(following) text character is not a word character: "UN" does not match in
"UNESCO" or "fund", "ASEAN" matches in "东盟(ASEAN)".  Chinese characters
have no word boundaries.  Among the candidate matches the leftmost-longest,
non-overlapping ones win; non-translatables win over any term they overlap.

English forms (``en`` and ``en_variants``) are matched in every language
family, since Chinese and Vietnamese documents often quote them
("亚洲相互协作与信任措施会议(Conference on ..., CICA)").

Duplicates: the same variant listed twice for the same English term (in one
entry or after script folding) is merged silently; two entries with the same
English form (or the same id) are rejected, as is one variant mapped to two
different English terms.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import json
import pickle
import re
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Iterable

from dataclasses import fields

import yaml
from daachorse import MATCH_KIND_LEFTMOST_LONGEST, CharwiseDoubleArrayAhoCorasick

from workbench.errors import GlossaryError
from workbench.glossary import cache
from workbench.yaml_guard import MAX_DEPTH, NoAliasLoader, StrictLoader, shown, too_deep
from workbench.glossary.model import Candidate, Hit, Term, _check_duplicate_keys, _entry_lines, _label, _parse_entry, _where
from workbench.glossary.normalize import _FAMILIES, LANG_FAMILIES, _match_keys, _nfc_with_map, match_key
from workbench.glossary.normalize import WORD_CACHE as _WORD_CACHE
from workbench.glossary.judge import make_judge
from workbench.glossary.scan import scan
from workbench.glossary.text import find_nontranslatables, may_hold_nontranslatables


class _Automaton:
    """The leftmost-longest Aho-Corasick automaton (daachorse, in Rust) of one language family.

    ``values[i]`` is ``(term_index, needs_left_boundary, needs_right_boundary)``
    of pattern ``i``; ``longest`` is the length of the longest pattern.
    """

    __slots__ = ("_bounds", "_rows", "fast", "longest", "plain", "values")

    def __init__(self, keys: dict[str, int], fast: CharwiseDoubleArrayAhoCorasick | None = None, pre: tuple | None = None) -> None:
        #: ``plain[i]``: pattern ``i`` needs no word-boundary check (e.g. Han at both ends).
        self.values, self.plain, self.longest = pre if pre is not None else _pattern_info(keys)
        self._rows: list[tuple[str, str, str]] | None = None
        self._bounds: tuple[bytes, bytes, bytes] | None = None
        if fast is None and keys:
            fast = CharwiseDoubleArrayAhoCorasick(list(keys), MATCH_KIND_LEFTMOST_LONGEST)
        self.fast = fast

    def rows(self, info: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        """Per pattern: the (en, term id, kind) of its term, from the glossary's ``info``."""
        if self._rows is None:
            self._rows = [info[ti] for ti, _, _ in self.values]
        return self._rows

    def bounds(self) -> tuple[bytes, bytes, bytes]:
        """Per pattern, one byte each (a byte string is 8 times denser than a list: fewer cache misses
        per hit): does it need a word-boundary check (``not plain``), must the character before it
        not be a word character, must the one after it not be."""
        if self._bounds is None:
            values = self.values
            self._bounds = (bytes(not p for p in self.plain), bytes(bl for _, bl, _ in values), bytes(br for _, _, br in values))
        return self._bounds


def _pattern_info(keys: dict[str, int]) -> tuple[list[tuple[int, bool, bool]], list[bool], int]:
    """(values, plain, longest) of an automaton over ``keys`` (see :class:`_Automaton`)."""
    wc = _WORD_CACHE
    values = [(ti, wc[k[0]], wc[k[-1]]) for k, ti in keys.items()]
    return values, [not (bl or br) for _, bl, br in values], max(map(len, keys), default=0)




_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _en_keys(t: Term) -> tuple[str, ...]:
    """The English forms matched in sources: a case-sensitive entry's forms are not (matching
    folds case, and "member States" must not be taken for "Member States")."""
    return () if t.case_sensitive else t.variants["en"]


def _term_dict(t: Term) -> dict[str, Any]:
    """A term's content for the hash (everything but its line number)."""
    d = {name: getattr(t, name) for name in _HASHED_FIELDS}
    d["zh"], d["vi"] = list(t.variants["zh"]), list(t.variants["vi"])
    return d


_HASHED_FIELDS = tuple(f.name for f in fields(Term) if f.name not in ("line", "variants"))


def _canon(t: Term) -> dict[str, Any]:
    """:func:`_term_dict` with every list sorted (the hash does not depend on their order)."""
    return {k: ((sorted(v) if len(v) > 1 else list(v)) if isinstance(v, (tuple, list)) else v) for k, v in _term_dict(t).items()}


class Glossary:
    """A validated glossary with cached per-language matchers."""

    def __init__(self, terms: Iterable[Term], path: Path | None = None, *, word_check: bool = True, _keys: dict[str, dict[str, int]] | None = None) -> None:
        #: Judge Chinese hits with the word lexicon (off: plain leftmost-longest string matching).
        self.word_check = word_check
        self.terms: tuple[Term, ...] = tuple(terms)
        self.path: Path | None = path
        self._by_id: dict[str, Term] = {t.id: t for t in self.terms}
        self._keys: dict[str, dict[str, int]] = self._index() if _keys is None else _keys
        #: The on-disk cache key of the file this glossary was loaded from (see :mod:`.cache`).
        self._cache_key: str | None = None
        self._automata: dict[str, _Automaton] = {}
        self._lock = threading.Lock()
        self._hash: str | None = None
        self._info: list[tuple[str, str, str]] = [(t.en, t.id, "term") for t in self.terms]
        #: The scopes this glossary was narrowed to (:meth:`scoped`); () = every entry.
        self.scopes: tuple[str, ...] = ()

    # -- construction ----------------------------------------------------

    @classmethod
    def empty(cls) -> "Glossary":
        """A glossary with no terms (``find`` still reports non-translatables)."""
        return cls((), None)

    @classmethod
    def load(cls, path: str | Path) -> "Glossary":
        """Load and validate a glossary YAML file (safe loading only)."""
        p = Path(path)
        name = str(p)
        from workbench.errors import InputError
        from workbench.ingest import read_file_bytes

        if not p.exists():
            raise GlossaryError(f"glossary file not found: {name}; create it or pass the right path")
        try:
            # a regular file only, bounded (never /dev/zero or a FIFO); newlines as read_text gives them
            raw = read_file_bytes(p)
            cache_key = cache.key_for(raw)
            cached = cache.load(cache_key)
            if cached is not None:  # this very file was parsed and validated before
                return _CachedGlossary(cached, p, cache_key)
            text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        except InputError as e:
            raise GlossaryError(f"glossary {e}") from None
        except UnicodeDecodeError as e:
            raise GlossaryError(f"{name}: not UTF-8 (byte {e.start}); save the glossary as UTF-8") from None
        except OSError as e:
            raise GlossaryError(f"cannot read glossary {name}: {e.strerror or e}; check the path and permissions") from None
        where = too_deep(text)
        if where:
            raise GlossaryError(
                f"{name}: nested more than {MAX_DEPTH} levels deep at line {where[0]}, column {where[1]}; "
                "the glossary is a flat list of entries: fix the file"
            )
        loader = (NoAliasLoader if "&" in text else StrictLoader)(text)  # duplicate keys, huge integers: errors
        try:
            try:
                root = loader.get_single_node()
                data = loader.construct_document(root) if root is not None else None
            finally:
                loader.dispose()
        except yaml.constructor.ConstructorError as e:
            mark = e.problem_mark
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            tag = re.search(r"tag '([^']*)'", str(e.problem or ""))
            what = f"unsafe or unknown YAML tag {tag.group(1)!r}" if tag else (e.problem or "cannot construct value")
            fix = "the glossary must be plain YAML (remove the tag)" if tag else "fix the file there"
            raise GlossaryError(f"{name}: {what}{where}; {fix}") from None
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = " ".join(str(e.problem or e.context or "syntax error").split())
            raise GlossaryError(f"{name}: malformed YAML{where}: {problem}; fix the YAML syntax there") from None
        except yaml.YAMLError as e:
            raise GlossaryError(f"{name}: malformed YAML: {' '.join(str(e).split())}; fix the YAML syntax") from None

        if data is None:
            raise GlossaryError(f"{name}: the file is empty; write 'version: 1' and a 'terms:' list")
        if not isinstance(data, dict):
            raise GlossaryError(f"{name}: the top level must be a mapping with 'version: 1' and 'terms:'")
        unknown = sorted(str(k) for k in data if k not in ("version", "terms"))
        if unknown:
            raise GlossaryError(f"{name}: unknown top-level key(s) {', '.join(unknown)}; only 'version' and 'terms' are allowed")
        if data.get("version") != 1:
            raise GlossaryError(f"{name}: unsupported or missing version {shown(data.get('version'))}; write 'version: 1'")
        terms = data.get("terms")
        if terms is None:
            terms = []
        if not isinstance(terms, list):
            raise GlossaryError(f"{name}: 'terms' must be a list of entries (each starting with '- en: ...')")
        lines = _entry_lines(root)
        # Duplicate keys inside an entry are silently collapsed by YAML: refuse.
        _check_duplicate_keys(root, name)
        g = cls._build(terms, p, lines, name)
        g.hash  # noqa: B018 - computed now, so that it is cached with the glossary
        g._cache_key = cache_key
        g._save_cache()
        return g

    @classmethod
    def from_entries(cls, entries: list[dict], path: str | Path | None = None, *, word_check: bool = True) -> "Glossary":
        """Build a glossary from entry dicts (same schema as the YAML ``terms``)."""
        p = Path(path) if path is not None else None
        if not isinstance(entries, list):
            raise GlossaryError("glossary entries must be a list of mappings like {'en': ..., 'zh': [...]}")
        g = cls._build(entries, p, [], str(p) if p else "glossary")
        g.word_check = word_check
        return g

    @classmethod
    def _build(cls, entries: list[Any], path: Path | None, lines: list[int | None], name: str) -> "Glossary":
        terms: list[Term] = []
        seen_en: dict[str, tuple[Term, int]] = {}
        for i, entry in enumerate(entries):
            line = lines[i] if i < len(lines) else None
            term = _parse_entry(entry, i, line, name)
            prev = seen_en.get(term.id)
            if prev is not None:
                raise GlossaryError(
                    f"{name}: duplicate entries {_label(*prev)} and {_label(term, i)} (same id {term.id!r}); "
                    "merge them into one entry"
                )
            seen_en[term.id] = (term, i)
            terms.append(term)
        return cls(terms, path)

    def _index(self) -> dict[str, dict[str, int]]:
        """Per family: match key -> term index; raises on conflicts."""
        name = str(self.path) if self.path else "glossary"
        index: dict[str, dict[str, int]] = {f: {} for f in _FAMILIES}
        for fam in _FAMILIES:
            pairs = [
                (v, ti)
                for ti, term in enumerate(self.terms)
                for v in (_en_keys(term) if fam == "en" else term.variants[fam] + _en_keys(term))
            ]
            keys = index[fam]
            for (v, ti), k in zip(pairs, _match_keys([v for v, _ in pairs], fam)):
                other = keys.get(k)
                if other is None:
                    keys[k] = ti
                elif other != ti:
                    o, term = self.terms[other], self.terms[ti]
                    raise GlossaryError(
                        f"{name}: conflicting entries: {v!r} maps to {o.en!r} ({_where(o, other)}) and to "
                        f"{term.en!r} ({_where(term, ti)}); keep the variant in only one entry"
                    )
        return index

    def scoped(self, scopes: Iterable[str]) -> "Glossary":
        """The entries a document that selects ``scopes`` (UN, ASEAN, CICA, mainland, Taiwan)
        uses: every entry without a ``scope``, and those whose scope is selected.

        When the selection keeps every entry, the result shares this glossary's matchers; otherwise
        a glossary loaded from a file caches its narrowed copy on disk like the file itself (keyed
        by the file's cache key and the scopes), so a 100k-term ``translate --scope`` run loads it
        instead of indexing and compiling again."""
        wanted = tuple(sorted(set(scopes)))
        memo: dict[tuple[str, ...], Glossary] = self.__dict__.setdefault("_scoped", {})
        g = memo.get(wanted)
        if g is None:
            chosen = set(wanted)
            if all(chosen & set(ss) for ss in self._scope_sets()):
                g = copy.copy(self)  # the same entries: the same matchers, match keys and verdicts
                g.__dict__["_scoped"] = {}
            else:
                g = self._narrowed(wanted)
            g.scopes = wanted
            memo[wanted] = g
        return g

    def _narrowed(self, wanted: tuple[str, ...]) -> "Glossary":
        key = cache.key_for_scoped(self._cache_key, wanted) if self._cache_key is not None else None
        payload = cache.load(key) if key is not None else None
        if payload is not None and self.path is not None:
            g: Glossary = _CachedGlossary(payload, self.path, key)  # type: ignore[arg-type]
        else:
            g = Glossary([t for t in self.terms if not t.scope or set(wanted) & set(t.scope)], self.path, word_check=self.word_check)
            if key is not None:
                g.hash  # noqa: B018 - computed now (before the key: saved once), so that it is cached with the glossary
                g._cache_key = key
                g._save_cache()
        g.word_check = self.word_check
        return g

    def _scope_sets(self) -> list[tuple[str, ...]]:
        """The distinct non-empty ``scope`` lists of the entries."""
        got = self.__dict__.get("_scope_sets_list")
        if got is None:
            got = self.__dict__["_scope_sets_list"] = sorted({t.scope for t in self.terms if t.scope})
        return got

    # -- accessors -------------------------------------------------------

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"Glossary({len(self.terms)} terms, path={str(self.path) if self.path else None!r}, hash={self.hash})"

    def term(self, term_id: str) -> Term:
        """The term with this id; ``GlossaryError`` if there is none."""
        try:
            return self._by_id[term_id]
        except KeyError:
            raise GlossaryError(f"unknown glossary term id {term_id!r}; check glossary.yaml") from None

    @property
    def hash(self) -> str:
        """``sha256:`` + 12 hex digits over the terms' content (order-independent)."""
        if self._hash is None:
            canon = sorted(
                map(_canon, self.terms),
                key=lambda d: d["id"],
            )
            blob = json.dumps(canon, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            self._hash = "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]
            if self._cache_key is not None:  # cached without its hash (a one-entry edit): keep it now
                cache.save(self._cache_key, self._cache_payload())
        return self._hash

    def _cache_payload(self) -> dict[str, Any]:
        """What :class:`_CachedGlossary` needs at once; the term records stay pickled until used."""
        return {
            "n": len(self.terms), "info": self._info, "hash": self._hash,
            "ctx": {f: self._contexts(f) for f in _FAMILIES},
            "scope_sets": self._scope_sets(),
            "terms": pickle.dumps(self.terms, protocol=pickle.HIGHEST_PROTOCOL),
        }

    def _save_cache(self) -> None:
        """Store this glossary under its cache key: the payload and each family's match keys."""
        key = self._cache_key
        if key is None or cache.cache_dir() is None:
            return
        cache.save(key, self._cache_payload())
        for fam in _FAMILIES:
            keys = self._keys[fam]
            cache.save_family(key, fam, keys, _pattern_info(keys))

    # -- matching --------------------------------------------------------

    def _automaton(self, family: str) -> _Automaton:
        a = self._automata.get(family)
        if a is None:
            with self._lock:
                a = self._automata.get(family)
                if a is None:
                    a = self._cached_automaton(family)
                    self._automata[family] = a
        return a

    def _cached_automaton(self, family: str) -> _Automaton:
        """The family's automaton, from the on-disk cache when this glossary came from a file."""
        ck = self._cache_key
        pre = cache.load_pattern_info(ck, family) if ck is not None else None
        blob = cache.load_automaton(ck, family) if pre is not None else None
        if blob is not None:  # no need for the family's match keys at all
            try:
                return _Automaton({}, CharwiseDoubleArrayAhoCorasick.deserialize(blob), pre)  # type: ignore[arg-type]
            except Exception:  # noqa: BLE001 - a corrupt cache file: build it again
                pass
        keys = self._keys[family]
        if ck is None or not keys:
            return _Automaton(keys)
        a = _Automaton(keys)
        cache.save_automaton(ck, family, a.fast.serialize())  # type: ignore[union-attr]
        return a

    def find(self, text: str, lang: str) -> list[Hit]:
        """Glossary terms and non-translatables in ``text``, sorted, non-overlapping.

        ``lang`` is ``zh-Hans``, ``zh-Hant``, ``zh``, ``vi`` or ``en``.  The
        text may be in any Unicode normalisation form; offsets always refer
        to ``text`` itself.  Leftmost-longest wins; non-translatables win over
        terms they overlap.
        """
        return self.find_all([text], lang)[0]

    def match(self, text: str, lang: str) -> tuple[list[Hit], list[Candidate]]:
        """:meth:`find` and the doubtful hits it left out (see :meth:`match_all`)."""
        hits, cands = self.match_all([text], lang)
        return hits[0], cands[0]

    def match_all(self, texts: Sequence[str], lang: str) -> tuple[list[list[Hit]], list[list[Candidate]]]:
        """Per text: the hits to apply and the *candidates*: doubtful hits (a variant inside a
        longer Chinese word or across two words, see :mod:`workbench.glossary.lexicon`)
        that are shown to the reviewer and counted, never inserted."""
        cands: list[list[Candidate]] = [[] for _ in texts]
        return self.find_all(texts, lang, _candidates=cands), cands

    def find_all(self, texts: Sequence[str], lang: str, *, _candidates: list[list[Candidate]] | None = None) -> list[list[Hit]]:
        """:meth:`find` for many texts (e.g. the sentences of a document) in one native pass.

        The texts are joined with newlines (no glossary key holds one), folded
        into match keys once, and searched leftmost-longest by the automaton.
        While every match of a text respects word boundaries and misses its
        non-translatables, those matches *are* the answer (by induction over
        the greedy left-to-right choice); from a text's first match that does
        not, the rest of that text is resolved by :func:`.scan._resolve`.
        """
        family = LANG_FAMILIES.get(lang.lower() if isinstance(lang, str) else lang)
        if family is None:
            raise GlossaryError(f"unknown language {lang!r}; use one of zh-Hans, zh-Hant, zh, vi, en")
        raw = "\n".join(texts)  # (a newline never composes under NFC nor sits in an anchor: what holds for raw holds per text)
        if may_hold_nontranslatables(raw):
            results = [find_nontranslatables(t) if may_hold_nontranslatables(t) else [] for t in texts]
        else:
            results = [[] for _ in texts]
        if not self._info or not texts:
            return results
        auto = self._automaton(family)
        if auto.fast is None:
            return results
        nfcs: list[str] = []
        maps: list[tuple[list[int], list[int]] | None] = []
        if unicodedata.is_normalized("NFC", raw):
            nfcs, maps, joined = list(texts), [None] * len(texts), raw
        else:
            for t in texts:
                nfc, starts, ends = _nfc_with_map(t)
                nfcs.append(nfc)
                maps.append(None if starts is None else (starts, ends))  # type: ignore[arg-type]
            joined = "\n".join(nfcs)
        key = match_key(joined, family)
        # The loop below makes one tuple per hit and no reference cycles; the cyclic
        # GC would otherwise re-scan every live object (a 100k-term glossary is
        # a million) each time enough hits have been made: ~15 % of the time.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            scan(texts, nfcs, maps, joined, key, auto, self._info, self._judge(family, key, auto), results, _candidates)
        finally:
            if gc_was_enabled:
                gc.enable()
        return results

    def _judge(self, family: str, key: str, auto: _Automaton) -> Any:
        """The filter of one text's hits: entry contexts (``not_after``...) drop a hit; for Chinese,
        a hit the lexicon doubts becomes a candidate (:mod:`.judge`). None when nothing needs judging."""
        return make_judge(self, family, key, auto)

    def _containers(self, lex: Any, gkeys: Any) -> dict[str, tuple[str, ...]]:
        """``lex.containers(gkeys)``, kept in the on-disk cache beside this glossary's entry (it
        scans ~20,000 long lexicon words: ~50 ms that a one-sentence run need not pay)."""
        ck, stamp = self._cache_key, getattr(lex, "stamp", None)
        name = f"zh.long-{stamp}" if stamp else None
        got = cache.load_extra(ck, name) if ck is not None and name else None
        if isinstance(got, dict):
            return got
        got = lex.containers(gkeys)
        if ck is not None and name:
            cache.save_extra(ck, name, got)
        return got

    def _zh_keys(self) -> Any:
        """The folded zh variants, for ``in`` tests (the lexicon's "a longer glossary variant")."""
        return self._keys["zh"]

    def _contexts(self, family: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
        """term id -> folded (not_after, not_before, not_in) for the terms that declare contexts."""
        cache = self.__dict__.setdefault("_ctx_cache", {})
        got = cache.get(family)
        if got is None:
            got = {}
            for t in self.terms:
                if t.not_after or t.not_before or t.not_in:
                    fold = lambda xs: tuple(match_key(unicodedata.normalize("NFC", x), family) for x in xs)  # noqa: E731
                    got[t.id] = (fold(t.not_after), fold(t.not_before), fold(t.not_in))
            cache[family] = got
        return got



class _CachedGlossary(Glossary):
    """A glossary loaded from the cache (:mod:`.cache`): what matching needs is there at once;
    the term records and each language family's match keys are unpickled when first used."""

    def __init__(self, payload: dict[str, Any], path: Path, key: str) -> None:
        super().__init__((), path, _keys={})  # every attribute a Glossary has; then what the cache holds
        self._cache_key = key
        self._hash = payload["hash"]
        self._info = payload["info"]
        self._n = payload["n"]
        self._ctx = payload["ctx"]
        if isinstance(payload.get("scope_sets"), list):
            self.__dict__["_scope_sets_list"] = payload["scope_sets"]
        self._blob: bytes | None = payload["terms"]
        self._keys = _FamilyKeys(self)
        self.__dict__["_by_id_map"] = None

    @property  # type: ignore[override]
    def terms(self) -> tuple[Term, ...]:
        if self.__dict__.get("_blob") is not None:
            self.__dict__["_terms"] = pickle.loads(self._blob)  # type: ignore[arg-type]  # our own cache
            self._blob = None
        return self.__dict__["_terms"]

    @terms.setter
    def terms(self, value: tuple[Term, ...]) -> None:
        self.__dict__["_terms"] = value

    @property  # type: ignore[override]
    def _by_id(self) -> dict[str, Term]:
        got = self.__dict__.get("_by_id_map")
        if got is None:
            got = self.__dict__["_by_id_map"] = {t.id: t for t in self.terms}
        return got

    @_by_id.setter
    def _by_id(self, value: dict[str, Term]) -> None:
        self.__dict__["_by_id_map"] = value

    def __len__(self) -> int:
        return self._n

    def _contexts(self, family: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
        return self._ctx[family]

    def _zh_keys(self) -> Any:
        if dict.__contains__(self._keys, "zh"):
            return self._keys["zh"]
        return _KeysOf(self._automaton("zh"))

    def _cache_payload(self) -> dict[str, Any]:
        if self._blob is not None:
            return {"n": self._n, "info": self._info, "hash": self._hash, "ctx": self._ctx, "scope_sets": self._scope_sets(), "terms": self._blob}
        return super()._cache_payload()


class _KeysOf:
    """``w in keys`` of an automaton's patterns: the longest match at the start of ``w`` is ``w``."""

    __slots__ = ("find",)

    def __init__(self, auto: _Automaton) -> None:
        self.find = auto.fast.find if auto.fast is not None else None

    def __contains__(self, w: object) -> bool:
        if self.find is None or not isinstance(w, str) or not w:
            return False
        m = self.find(w)
        return bool(m) and m[0][0] == 0 and m[0][1] == len(w)


class _FamilyKeys(dict):
    """family -> match key -> term index of a :class:`_CachedGlossary`, loaded per family on first use."""

    def __init__(self, g: _CachedGlossary) -> None:
        super().__init__()
        self._g = g

    def __missing__(self, family: str) -> dict[str, int]:
        if family not in _FAMILIES:
            raise KeyError(family)
        g = self._g
        got = cache.load_family(g._cache_key, family)  # type: ignore[arg-type]
        if got is None:  # the family's file is gone or damaged: index the terms again
            for fam, keys in Glossary._index(g).items():
                dict.__setitem__(self, fam, keys)
            return dict.__getitem__(self, family)
        dict.__setitem__(self, family, got)
        return got

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(_FAMILIES)

    def keys(self):  # type: ignore[no-untyped-def]
        return list(_FAMILIES)

    def values(self):  # type: ignore[no-untyped-def]
        return [self[f] for f in _FAMILIES]

    def items(self):  # type: ignore[no-untyped-def]
        return [(f, self[f]) for f in _FAMILIES]
