"""Ingest: read a document, find its encoding and language, normalise it.

    doc = read_document("seeds/000_093349a39d32f8f2.txt")
    doc.lang      # 'zh-Hans'
    doc.encoding  # 'utf-8'

Text comes out NFC with LF line endings. Languages are BCP 47 codes: ``zh-Hans``,
``zh-Hant``, ``vi`` and ``en``.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from workbench.errors import InputError

LANGS: tuple[str, ...] = ("zh-Hans", "zh-Hant", "vi", "en")
#: Other spellings --lang accepts, as the error for an unsupported tag lists them.
OTHER_SPELLINGS: str = "zh, zh-CN, zh_CN, zh-SG, zh-TW, zh-Hant-TW, zh-HK, zh-MO, zt, vi-VN, vi_VN, en-GB, en-US"
#: Encodings we try, after UTF-8, for files that are not UTF-8.
FALLBACK_ENCODINGS: tuple[str, ...] = ("gb18030", "big5", "cp1258", "cp1252")
MAX_BYTES = 200 * 1024 * 1024
#: File extensions of source documents. A document's name (the stem of its file in
#: translations/) is its file name without the final extension only when it is one of these:
#: ``A.RES.75.1.txt`` -> ``A.RES.75.1``, ``report.v2.txt`` -> ``report.v2``, ``Report.1`` -> ``Report.1``.
DOCUMENT_EXTENSIONS: frozenset[str] = frozenset(
    {".txt", ".text", ".md", ".markdown", ".rst", ".docx", ".doc", ".odt", ".rtf", ".html", ".htm", ".xhtml", ".xml", ".pdf", ".srt"}
)


def document_name(path: str | Path) -> str:
    """The document name of a source file: its file name minus a known document extension
    (see :data:`DOCUMENT_EXTENSIONS`); any other dot belongs to the name."""
    name = Path(str(path)).name
    suffix = Path(name).suffix
    if suffix and suffix.lower() in DOCUMENT_EXTENSIONS and len(name) > len(suffix):
        return name[: -len(suffix)]
    return name


def is_hidden_name(name: str) -> bool:
    """Names starting with a dot are hidden files (and our own lock/temp files), never documents."""
    return name.startswith(".")


@dataclass(frozen=True)
class Document:
    """A source document, decoded and normalised."""

    path: Path
    text: str  # NFC, LF line endings
    lang: str  # BCP 47
    encoding: str  # what the bytes were decoded with ("utf-8", "utf-8-sig", "gb18030", ...)
    sha256: str  # of the normalised text
    lang_detected: bool = True  # False when --lang overrode detection
    kinds: tuple[str, ...] = ()  # per line of a .docx/.html document: heading, cell, caption... (workbench.formats)

    @property
    def name(self) -> str:
        """The document's name: the stem of its file in translations/ (see :func:`document_name`)."""
        return document_name(self.path)


#: The usual spellings, answered without importing langcodes (the same answers it gives).
_COMMON_TAGS: dict[str, str] = {
    "zh": "zh-Hans", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans",
    "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant", "vi": "vi", "vi-vn": "vi", "en": "en", "en-us": "en", "en-gb": "en",
}


def normalize_lang(lang: str) -> str:
    """Map a user's language tag to ours (zh-Hans, zh-Hant, vi, en), or raise InputError listing the choices.

    Any BCP 47 / POSIX spelling that :mod:`langcodes` parses: ``zh_CN``, ``zh-CN``, ``zh-Hans-SG`` -> zh-Hans;
    ``zh-TW``, ``zh-Hant-TW``, ``zh-HK``, ``zh-MO`` -> zh-Hant (a Chinese tag without a script gets the
    region's likely script, CLDR's likely subtags); ``vi_VN`` -> vi; ``en-GB`` -> en. Argos Translate's
    ``zt`` (Traditional Chinese) is accepted too. Other languages and scripts (``yue``, ``zh-Latn``) are refused.
    """
    raw = (lang or "").strip()
    tag = raw.replace("_", "-").split(".", 1)[0].split("@", 1)[0]  # POSIX locales: zh_CN.UTF-8, vi_VN@euro
    if tag.lower() == "zt":
        return "zh-Hant"
    common = _COMMON_TAGS.get(tag.lower())
    if common is not None:  # what langcodes says of these (tests/test_lang_tags.py checks), without its ~60 ms import
        return common
    import langcodes

    try:
        parsed = langcodes.Language.get(tag)
    except (langcodes.LanguageTagError, ValueError):
        parsed = None
    code = None
    if parsed is not None:
        if parsed.language in ("zh", "cmn"):
            script = parsed.script or parsed.maximize().script
            code = {"Hans": "zh-Hans", "Hant": "zh-Hant"}.get(script or "")
        elif parsed.language in ("vi", "en") and parsed.script in (None, "Latn"):
            code = parsed.language
    if code is None:
        raise InputError(f"unknown language {raw!r}; use one of: {', '.join(LANGS)} (or a spelling such as {OTHER_SPELLINGS})")
    return code


def normalize_text(text: str) -> str:
    """NFC, LF line endings, no BOM."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode a document's bytes; return (text, encoding) or raise InputError."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty; nothing to translate")
    # UTF-32 first: its little-endian mark starts with UTF-16's (FF FE).
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, enc in boms:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: starts with a {enc} byte-order mark but is not valid {enc} ({exc.reason})") from None
    if b"\x00" in data[:65536]:
        raise InputError(
            f"{name}: this is not a text file (it contains NUL bytes); give a plain-text document, "
            "or pass its encoding (e.g. --encoding utf-16-le) if it is UTF-16 or UTF-32 without a byte-order mark"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=list(FALLBACK_ENCODINGS)).best()
    if best is None:
        best = charset_normalizer.from_bytes(data).best()
    if best is None or _looks_binary(str(best)):
        raise InputError(
            f"{name}: cannot tell the text encoding (not UTF-8, GB18030, Big5 or Windows-1258); "
            "pass it with --encoding (e.g. --encoding big5) or convert the file to UTF-8"
        )
    return str(best), best.encoding


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v")
    return controls > max(3, len(text[:65536]) // 100)


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Letters that only Vietnamese uses among our languages (with tone marks and ă â đ ê ô ơ ư).
_VI_CHARS = set(
    "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
_VI_WORDS = frozenset("của và các là được trong những có cho với không người này đã một để tại theo về khi đến".split())
#: English function words that are not also Vietnamese syllables ("an", "to", "in" are).
_EN_WORDS = frozenset("the of and is that for with as was by are it be at from this have were which".split())


def detect_language(text: str) -> str:
    """Guess zh-Hans, zh-Hant, vi or en from the text itself.

    Han characters decide Chinese (script by which OpenCC direction changes more
    characters); otherwise Vietnamese needs both its letters and its function words,
    so English text full of Vietnamese names stays English.
    """
    sample = text[:200_000]
    han = _HAN.findall(sample)
    words = _LATIN_WORD.findall(sample.lower())
    latin_letters = sum(len(w) for w in words if w.isascii() or any(c in _VI_CHARS for c in w))
    if han and len(han) >= 0.2 * max(1, latin_letters):
        return _chinese_script("".join(han[:20_000]))
    if not words:
        raise InputError("cannot detect the language (no Chinese characters and no words); pass --lang")
    vi_letters = sum(1 for w in words for c in w if c in _VI_CHARS)
    vi_words = sum(1 for w in words if w in _VI_WORDS)
    en_words = sum(1 for w in words if w in _EN_WORDS)
    diacritic_share = sum(1 for w in words if any(c in _VI_CHARS for c in w)) / len(words)
    if diacritic_share > 0.1 and vi_words >= en_words:
        return "vi"
    if vi_letters and vi_words > en_words:
        return "vi"
    return "en"


@lru_cache(maxsize=2)
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def _chinese_script(han: str) -> str:
    """'zh-Hant' if more characters are Traditional-only than Simplified-only."""
    to_simp = _opencc("t2s").convert(han)
    trad_only = sum(1 for a, b in zip(han, to_simp) if a != b) if len(to_simp) == len(han) else 0
    if trad_only == 0:  # Simplified whatever s2t says (and s2t's dictionaries take ~60 ms to load)
        return "zh-Hans"
    to_trad = _opencc("s2t").convert(han)
    simp_only = sum(1 for a, b in zip(han, to_trad) if a != b) if len(to_trad) == len(han) else 0
    return "zh-Hant" if trad_only > simp_only else "zh-Hans"


def _too_big(p: object, size: int, limit: int) -> InputError:
    return InputError(f"{p}: {size // (1024 * 1024)} MiB is larger than the {limit // (1024 * 1024)} MiB limit; split the document")


def read_file_bytes(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them.

    A device (``/dev/zero``), FIFO or socket is refused before anything is read (it may never
    end; standard input is ``-``), and a file that grows past ``limit`` while being read is
    refused too. Opened non-blocking, so a FIFO never hangs the open itself.
    """
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory; give a document file (or the directory to `translate`)") from None
    except OSError as exc:
        from workbench.errors import describe_os_error

        raise InputError(describe_os_error(exc, p)) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{p}: is a directory; give a document file (or the directory to `translate`)")
        raise InputError(f"{p}: not a regular file (a device, FIFO or socket, which may never end); give a document file, or - to read standard input")
    with os.fdopen(fd, "rb") as fh:
        if st.st_size > limit:
            raise _too_big(p, st.st_size, limit)
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            from workbench.errors import describe_os_error

            raise InputError(describe_os_error(exc, p)) from None
    if len(data) > limit:
        raise _too_big(p, len(data), limit)
    return data


def read_stream_bytes(stream: BinaryIO, name: str = "standard input", limit: int = MAX_BYTES) -> bytes:
    """At most ``limit`` bytes of a stream (standard input); more is refused, not read on forever."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name}: more than the {limit // (1024 * 1024)} MiB limit; split the document")
    return data


def read_document(path: str | Path, lang: str | None = None, encoding: str | None = None) -> Document:
    """Read, decode, normalise and classify one document (``lang`` and ``encoding`` override detection)."""
    p = Path(path)
    data = read_file_bytes(p)  # regular files only, bounded
    from workbench import formats  # .docx/.html: one block a line; PDF, .doc, .odt...: refused with how to convert

    if formats.format_of(p):
        return formats.read_document(p, data, lang)
    return document_from_bytes(data, p, lang, encoding)


def decode_as(data: bytes, encoding: str, name: str = "<input>") -> str:
    """Decode with the encoding a user named, strictly."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; use a Python codec name such as utf-8, gb18030, big5, cp1258, utf-16") from None
    if not data.strip():
        raise InputError(f"{name}: the file is empty; nothing to translate")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid {encoding} at byte {exc.start} ({exc.reason}); check --encoding") from None


def document_from_bytes(data: bytes, path: Path, lang: str | None = None, encoding: str | None = None) -> Document:
    """The body of :func:`read_document`, for bytes from elsewhere (stdin)."""
    if encoding:
        raw = decode_as(data, encoding, str(path))
    else:
        raw, encoding = decode_bytes(data, str(path))
    text = normalize_text(raw)
    if not text.strip():
        raise InputError(f"{path}: the file holds only white space; nothing to translate")
    if lang:
        code, detected = normalize_lang(lang), False
    else:
        try:
            code, detected = detect_language(text), True
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(path=path, text=text, lang=code, encoding=encoding, sha256=digest, lang_detected=detected)


def discover(paths: list[str | Path], skipped: list[Path] | None = None) -> list[Path]:
    """Expand directories to the documents in them (``*.txt``, sorted); keep files as given.

    A file whose name starts with a dot is not a document: named explicitly it is refused
    (InputError); found in a directory it is left out and added to ``skipped`` (so the caller
    can say so: never silently invisible).
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.is_file() and q.suffix.lower() in {".txt", ".text", ".md", ".docx", ".html", ".htm"})
            hidden = [q for q in found if is_hidden_name(q.name)]
            if skipped is not None:
                skipped.extend(hidden)
            found = [q for q in found if not is_hidden_name(q.name)]
            if not found:
                extra = f" (only hidden files: {', '.join(q.name for q in hidden[:3])}; rename them without the leading dot)" if hidden else ""
                raise InputError(f"{p}: no documents (*.txt) in this directory{extra}")
            out.extend(found)
        elif p.exists():
            if is_hidden_name(p.name):
                raise InputError(f"{p}: a document name cannot start with a dot (hidden files are not listed, reviewed or exported); rename the file without the leading dot")
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or directory")
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    stems: dict[str, Path] = {}
    for p in unique:
        name = document_name(p)
        if name in stems:
            raise InputError(f"{p} and {stems[name]} would share translations/{name}.yaml; rename one")
        stems[name] = p
    return unique
