"""Argos Translate package management: list, find, index, download, install.

Why our own code and not ``argostranslate.package`` (checked with argostranslate 1.11.0 from
PyPI, installed ``--no-deps``): its ``package`` module does import without torch/stanza (it
needs ``packaging`` and ``sentencepiece``), but what it would do for us is wrong here:

* importing it reads every setting (``ARGOS_PACKAGES_DIR``, ``XDG_DATA_HOME``...) once, and
  creates ``~/.config/argos-translate``, ``~/.local/cache/argos-translate/downloads`` and
  ``~/.local/share/argos-translate/packages`` as a side effect;
* ``get_available_packages`` calls itself until ``RecursionError`` when the index cannot be
  fetched, and ``update_package_index`` has no timeout;
* ``AvailablePackage.download`` reads the whole body into memory with no bound on its size,
  no timeout and no checksum, and ``networking.get`` swallows every error;
* ``install_from_path`` runs ``extractall`` into the packages directory with no validation
  (no check of paths, of the single top-level directory, of member sizes), so a broken
  package becomes visible half-extracted;
* ``Package(path)`` reads ``metadata.json`` whole and compares versions with
  ``packaging.version``, which raises on versions it does not parse.

So this module does not import ``argostranslate`` at all (and the project no longer depends
on it: the benchmark that runs Argos's own pipeline declares it in the ``bench`` extra). What
we keep of Argos is its conventions, so packages installed here are usable by Argos and the
other way round: the packages directory (``$ARGOS_PACKAGES_DIR``, else
``$XDG_DATA_HOME/argos-translate/packages``), the ``.argosmodel`` zip layout, the
``metadata.json`` keys (``from_code``, ``to_code``, ``package_version``, ``type``,
``target_prefix``) and the index format (argospm-index ``index.json``).

A package file (``.argosmodel``) is a zip with exactly one top-level directory
holding ``metadata.json``, ``sentencepiece.model`` (or ``bpe.model``) and the
CTranslate2 model in ``model/``. ``install_file`` checks all of that before
extracting anything (``metadata.json`` is read with a size cap, the members' sizes are
bounded), extracts into a hidden temporary directory inside the
packages directory and moves the result into place, so a failed install leaves
nothing behind and a broken package never becomes visible.

Downloads are bounded: only ``https``/``http`` links (and redirects) are followed, a body
longer than the size the index declares (plus a margin; ``MAX_DOWNLOAD`` when it declares
none) is cut off and refused, and a ``sha256`` given by the index is checked.

Nothing here prints or exits; failures raise ``ModelError`` with a one-line
message that says how to fix the problem.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import urllib.parse
import zipfile
import zlib
import dataclasses
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from workbench.errors import ModelError

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"

#: Our BCP 47 language codes -> Argos package language codes.
ARGOS_CODES: dict[str, str] = {"zh-Hans": "zh", "zh-Hant": "zt", "vi": "vi", "en": "en"}

#: Where ``fetch_index`` caches the last index it fetched (inside the packages dir;
#: a hidden file, so neither we nor Argos take it for a package).
INDEX_CACHE_NAME = ".workbench-index.json"

#: Called with (bytes done, total bytes or None) while downloading.
DownloadProgress = Callable[[int, "int | None"], None]

_INSTALL_HINT = "install from a file with: workbench models install LANG --file PKG.argosmodel"
_CHUNK = 1 << 16
#: Largest download when the index declares no size (Argos's largest packages are ~400 MB).
MAX_DOWNLOAD = 2 * 1024**3
#: How much longer than its declared size a download may be (declared sizes are rounded).
SIZE_MARGIN = 0.05
SIZE_SLACK = 1 << 20
#: Caps on what a package may hold: metadata.json, all members inflated together.
MAX_METADATA = 1 << 20
MAX_UNPACKED = 8 * 1024**3
#: Longest ``package_version`` accepted ("1.9", "1.0.2"; never thousands of digits).
MAX_VERSION_CHARS = 64
_SCHEMES = ("https", "http")
#: Largest package index read (the real one is ~100 KB).
MAX_INDEX = 16 * 1024**2


# --------------------------------------------------------------------------- codes, dirs


def packages_dir() -> Path:
    """The Argos packages directory used by the workbench.

    ``$WORKBENCH_MODELS_DIR`` if set, else ``$ARGOS_PACKAGES_DIR`` if set, else
    Argos's default ``$XDG_DATA_HOME/argos-translate/packages`` (with
    ``XDG_DATA_HOME`` defaulting to ``~/.local/share``). Read from the
    environment on every call; the directory may not exist yet.
    """
    for var in ("WORKBENCH_MODELS_DIR", "ARGOS_PACKAGES_DIR"):
        value = os.environ.get(var)
        if value:
            return Path(value).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "argos-translate" / "packages"


def argos_code(lang: str) -> str:
    """Map our language code to Argos's: ``zh-Hans`` -> ``zh``, ``zh-Hant`` -> ``zt``, ``vi``, ``en``.

    Matching ignores case. Raises ``ModelError`` for any other code.
    """
    for ours, theirs in ARGOS_CODES.items():
        if lang.lower() == ours.lower():
            return theirs
    raise ModelError(f"unknown language {lang!r}; choose one of: {', '.join(ARGOS_CODES)}")


def _our_code(code: str) -> str:
    """Argos code -> our code, for messages (``zh`` -> ``zh-Hans``); unknown codes pass through."""
    for ours, theirs in ARGOS_CODES.items():
        if theirs == code:
            return ours
    return code


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Sort key for package versions: the numbers in it (``"1.10"`` > ``"1.9"``).

    Numbers are compared by length, then digits, never converted with ``int`` (Python refuses
    strings of more than 4,300 digits, and a hostile index or package may hold one)."""
    return tuple((len(n), n) for n in (m.lstrip("0") for m in re.findall(r"\d+", version[: MAX_VERSION_CHARS * 4])))


def _check_version(value: object, where: str) -> str:
    """``package_version`` as text, within :data:`MAX_VERSION_CHARS`; ModelError naming ``where``."""
    version = "" if value is None else str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
    if version is None:
        raise ModelError(f"{where}: package_version must be text such as \"1.9\"; reinstall the package or fix the file")
    if len(version) > MAX_VERSION_CHARS:
        raise ModelError(f"{where}: package_version is {len(version)} characters long (at most {MAX_VERSION_CHARS}); reinstall the package or fix the file")
    return version


def _read_capped(fh: object, limit: int, what: str) -> bytes:
    data = fh.read(limit + 1)  # type: ignore[attr-defined]
    if len(data) > limit:
        raise ValueError(f"{what} is larger than {limit // 1024} KiB")
    return data


# --------------------------------------------------------------------------- installed


@dataclass(frozen=True)
class InstalledPackage:
    """An Argos translate package installed in a packages directory."""

    name: str  # argospm name, e.g. "translate-zh_en"
    from_code: str  # Argos code, e.g. "zh"
    to_code: str
    version: str  # metadata package_version
    path: Path  # the package directory
    size: int  # bytes on disk
    target_prefix: str = ""  # token to force at the start of the output (multilingual models)

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def tokenizer_path(self) -> Path:
        """``sentencepiece.model`` if present, else ``bpe.model``."""
        sp = self.path / "sentencepiece.model"
        return sp if sp.exists() else self.path / "bpe.model"


@dataclass(frozen=True)
class AvailablePackage:
    """A package listed in the Argos package index."""

    name: str
    from_code: str
    to_code: str
    version: str
    links: tuple[str, ...]
    size: int | None = None  # bytes, when the index says
    sha256: str | None = None  # hex digest of the package file, when the index says


def _sha256_of(meta: dict[str, object]) -> str | None:
    """The package file's sha256 from an index entry (``sha256``, or ``checksum: "sha256:..."``)."""
    for key in ("sha256", "checksum"):
        value = meta.get(key)
        if isinstance(value, str):
            digest = value.split(":", 1)[1] if value.lower().startswith("sha256:") else value
            if re.fullmatch(r"[0-9a-fA-F]{64}", digest):
                return digest.lower()
    return None


def _package_name(meta: dict[str, object]) -> str:
    return f"{meta.get('type') or 'translate'}-{meta.get('from_code')}_{meta.get('to_code')}"


def _dir_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _read_installed(path: Path) -> InstalledPackage | None:
    """Parse one package directory; None if it is not a usable translate package."""
    try:
        with open(path / "metadata.json", "rb") as fh:
            meta = json.loads(_read_capped(fh, MAX_METADATA, "metadata.json").decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(meta, dict) or (meta.get("type") or "translate") != "translate":
        return None
    from_code, to_code = meta.get("from_code"), meta.get("to_code")
    if not isinstance(from_code, str) or not isinstance(to_code, str) or not from_code or not to_code:
        return None
    if not (path / "model" / "model.bin").is_file():
        return None
    if not ((path / "sentencepiece.model").is_file() or (path / "bpe.model").is_file()):
        return None
    prefix = meta.get("target_prefix") or ""
    return InstalledPackage(
        name=_package_name(meta),
        from_code=from_code,
        to_code=to_code,
        version=_check_version(meta.get("package_version") or "", str(path / "metadata.json")),
        path=path,
        size=_dir_size(path),
        target_prefix=prefix if isinstance(prefix, str) else "",
    )


def installed_packages(directory: Path | None = None) -> list[InstalledPackage]:
    """The translate packages installed in ``directory`` (default ``packages_dir()``).

    Directories without a readable ``metadata.json``, without ``model/model.bin``
    or a tokenizer, hidden directories (our temporary ones) and non-translate
    packages are skipped. Sorted by name, then version.
    """
    directory = Path(directory) if directory is not None else packages_dir()
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return []
    found = []
    for path in entries:
        if path.name.startswith(".") or not path.is_dir():
            continue
        pkg = _read_installed(path)
        if pkg is not None:
            found.append(pkg)
    return sorted(found, key=lambda p: (p.name, version_key(p.version), p.path.name))


def find_installed(from_code: str, to_code: str, directory: Path | None = None) -> InstalledPackage | None:
    """The installed package for the Argos pair ``from_code -> to_code`` with the highest version."""
    matches = [p for p in installed_packages(directory) if p.from_code == from_code and p.to_code == to_code]
    return max(matches, key=lambda p: version_key(p.version), default=None)


# --------------------------------------------------------------------------- index


def index_url_default() -> str:
    """``$WORKBENCH_ARGOS_INDEX`` if set, else ``DEFAULT_INDEX_URL``."""
    return os.environ.get("WORKBENCH_ARGOS_INDEX") or DEFAULT_INDEX_URL


def parse_index(data: object, url: str = "the index") -> list[AvailablePackage]:
    """Turn the decoded JSON of an Argos index into ``AvailablePackage`` objects.

    Entries that are not translate packages or lack codes or links are skipped.
    """
    if not isinstance(data, list):
        raise ModelError(f"the Argos package index at {url} is not a JSON list; check the index URL or {_INSTALL_HINT}")
    packages = []
    for meta in data:
        if not isinstance(meta, dict) or (meta.get("type") or "translate") != "translate":
            continue
        from_code, to_code, links = meta.get("from_code"), meta.get("to_code"), meta.get("links")
        if not isinstance(from_code, str) or not isinstance(to_code, str):
            continue
        if isinstance(links, str):
            links = [links]
        if not isinstance(links, list) or not links:
            continue
        size = meta.get("size", meta.get("package_size"))
        version = meta.get("package_version") or ""
        if not isinstance(version, (str, int, float)) or isinstance(version, bool) or len(str(version)) > MAX_VERSION_CHARS:
            continue  # not a version anyone can compare: the entry is unusable
        packages.append(
            AvailablePackage(
                name=_package_name(meta),
                from_code=from_code,
                to_code=to_code,
                version=str(version),
                links=tuple(str(link) for link in links if isinstance(link, str)),
                size=size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None,
                sha256=_sha256_of(meta),
            )
        )
    return packages


def fetch_index(url: str | None = None, timeout: float = 5.0) -> list[AvailablePackage]:
    """Fetch and parse the Argos package index (default ``index_url_default()``).

    The raw index is cached (best effort) as ``packages_dir()/.workbench-index.json``;
    see ``cached_index``. Raises ``ModelError`` quickly when the index cannot be
    reached or parsed; never falls back to Argos's own (recursive) code.
    """
    import urllib.error
    import urllib.request

    url = url or index_url_default()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            raw = response.read(MAX_INDEX + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise ModelError(f"cannot reach the Argos package index at {url} ({reason}); {_INSTALL_HINT}") from None
    if len(raw) > MAX_INDEX:
        raise ModelError(f"the Argos package index at {url} is larger than {MAX_INDEX // 1024**2} MiB; check the index URL or {_INSTALL_HINT}")
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ModelError(f"the Argos package index at {url} is nested too deeply to be an index; check the index URL or {_INSTALL_HINT}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"the Argos package index at {url} is not valid JSON ({exc}); check the index URL or {_INSTALL_HINT}") from None
    packages = parse_index(data, url)
    _write_index_cache(raw)
    return packages


def _write_index_cache(raw: bytes) -> None:
    directory = packages_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".index-")
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        os.replace(tmp, directory / INDEX_CACHE_NAME)
    except OSError:
        pass


def cached_index(directory: Path | None = None) -> list[AvailablePackage] | None:
    """The index last fetched by ``fetch_index``, or None if there is no readable cache."""
    path = (Path(directory) if directory is not None else packages_dir()) / INDEX_CACHE_NAME
    try:
        return parse_index(json.loads(path.read_text(encoding="utf-8")), str(path))
    except (OSError, ValueError, ModelError):
        return None


def find_available(from_code: str, to_code: str, index: Iterable[AvailablePackage]) -> AvailablePackage | None:
    """The index entry for ``from_code -> to_code`` (Argos codes) with the highest version."""
    matches = [p for p in index if p.from_code == from_code and p.to_code == to_code]
    return max(matches, key=lambda p: version_key(p.version), default=None)


def remote_size(pkg: AvailablePackage, timeout: float = 5.0) -> int | None:
    """The download size of ``pkg``: ``pkg.size``, else the Content-Length of a HEAD
    request to its first answering link, else None. One request per link at most;
    never raises."""
    if pkg.size is not None:
        return pkg.size
    import urllib.error
    import urllib.request

    for link in pkg.links:
        if urllib.parse.urlsplit(link).scheme.lower() not in _SCHEMES:
            continue  # never look at local files or other schemes
        try:
            request = urllib.request.Request(link, method="HEAD")
            with _opener().open(request, timeout=timeout) as response:
                length = response.headers.get("Content-Length")
            if length and length.isdigit():
                return int(length)
        except (urllib.error.URLError, OSError, ValueError):
            continue
    return None


def with_size(pkg: AvailablePackage, timeout: float = 5.0) -> AvailablePackage:
    """``pkg`` with ``size`` filled in by ``remote_size`` when the index did not give it."""
    if pkg.size is not None:
        return pkg
    return dataclasses.replace(pkg, size=remote_size(pkg, timeout))


# --------------------------------------------------------------------------- download


_OPENERS: list = []  # type: ignore[type-arg]


def _opener():  # type: ignore[no-untyped-def]
    """The URL opener that follows a redirect only to another http(s) URL (never ``file:``,
    ``ftp:``...); built on first use, so that a run that downloads nothing never imports
    urllib.request (and http.client, email, ssl: ~80 ms of start-up)."""
    if not _OPENERS:
        import urllib.error
        import urllib.request

        class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
                if urllib.parse.urlsplit(newurl).scheme.lower() not in _SCHEMES:
                    raise urllib.error.URLError(f"redirected to {newurl.split(':', 1)[0]}: link, only https/http are followed")
                return super().redirect_request(req, fp, code, msg, headers, newurl)

        _OPENERS.append(urllib.request.build_opener(_HttpOnlyRedirects))
    return _OPENERS[0]


def download_limit(pkg: AvailablePackage) -> int:
    """The most bytes a download of ``pkg`` may have: its declared size plus a margin, else
    :data:`MAX_DOWNLOAD`."""
    if pkg.size is None:
        return MAX_DOWNLOAD
    return min(MAX_DOWNLOAD, int(pkg.size * (1 + SIZE_MARGIN)) + SIZE_SLACK)


class _Refused(Exception):
    """A link whose answer must not be installed (wrong scheme, too long, wrong checksum)."""


def download(
    pkg: AvailablePackage,
    dest_dir: Path,
    progress: DownloadProgress | None = None,
    *,
    timeout: float = 30.0,
) -> Path:
    """Download ``pkg`` into ``dest_dir`` and return the file's path.

    Streams to a hidden temporary file in ``dest_dir``, calling
    ``progress(bytes_done, total)`` (total from Content-Length, else
    ``pkg.size``, else None) after every chunk; tries each link in turn; a
    short body is an error. Only ``https``/``http`` links are followed; a body
    longer than :func:`download_limit` is cut off and refused, and the file's
    sha256 must be the index's when it gives one. The finished file is renamed into place as
    ``<name>-<version>.argosmodel``. ``timeout`` is per network operation.
    """
    import http.client
    import urllib.error

    dest_dir = Path(dest_dir)
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create {dest_dir} ({exc.strerror or exc}); check its permissions") from None
    safe_version = re.sub(r"[^0-9A-Za-z_.-]", "_", pkg.version) or "0"
    final = dest_dir / f"{pkg.name}-{safe_version}.argosmodel"
    limit = download_limit(pkg)
    errors: list[str] = []
    refused: list[str] = []
    for link in pkg.links:
        scheme = urllib.parse.urlsplit(link).scheme.lower()
        if scheme not in _SCHEMES:
            refused.append(f"{link}: a {scheme or 'local'}: link; only https/http links are downloaded")
            continue
        fd, tmp_name = tempfile.mkstemp(dir=dest_dir, prefix=".download-", suffix=".part")
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out, _opener().open(link, timeout=timeout) as response:
                length = response.headers.get("Content-Length")
                declared = int(length) if length and length.isdigit() and len(length) < 20 else None
                if declared is not None and declared > limit:
                    raise _Refused(f"{link}: the server announces {declared:,} bytes, more than the {limit:,} the index allows")
                total = declared if declared is not None else pkg.size
                done = 0
                if progress:
                    progress(0, total)
                while True:
                    chunk = response.read(_CHUNK)
                    if not chunk:
                        break
                    done += len(chunk)
                    if done > limit:
                        raise _Refused(f"{link}: the download passed {limit:,} bytes, more than the index declares ({pkg.size if pkg.size is not None else 'no size'}); stopped")
                    out.write(chunk)
                    digest.update(chunk)
                    if progress:
                        progress(done, total)
            if declared is not None and done != declared:
                raise OSError(f"got {done} of {declared} bytes")
            if pkg.sha256 is not None and digest.hexdigest() != pkg.sha256:
                raise _Refused(f"{link}: sha256 {digest.hexdigest()[:12]}... is not the index's {pkg.sha256[:12]}...")
            os.replace(tmp, final)
            return final
        except _Refused as exc:
            refused.append(str(exc))
            tmp.unlink(missing_ok=True)
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
            errors.append(f"{link}: {getattr(exc, 'reason', None) or exc}")
            tmp.unlink(missing_ok=True)
    lang = _our_code(pkg.from_code)
    if refused:
        raise ModelError(
            f"refused to install {pkg.name} {pkg.version}: {'; '.join(refused + errors)}; nothing was installed. "
            f"Check the index URL, or download the package yourself and run: workbench models install {lang} --file PKG.argosmodel"
        )
    detail = "; ".join(errors) if errors else "the index lists no links"
    raise ModelError(
        f"cannot download {pkg.name} {pkg.version} ({detail}); download it yourself and run: "
        f"workbench models install {lang} --file PKG.argosmodel"
    )


# --------------------------------------------------------------------------- install


_REDOWNLOAD = "download the .argosmodel file again"


def _bad(path: Path | str, problem: str, fix: str = _REDOWNLOAD) -> ModelError:
    return ModelError(f"{path} is not a valid Argos package: {problem}; {fix}")


def _validate_zip(path: Path | str, zf: zipfile.ZipFile, fix: str = _REDOWNLOAD) -> tuple[str, dict[str, object]]:
    """Check a package zip without extracting it; return (top-level dir, metadata)."""
    tops: set[str] = set()
    names: set[str] = set()
    for info in zf.infolist():
        name = info.filename.replace("\\", "/")
        pure = PurePosixPath(name)
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or any(part in ("..", ".") for part in pure.parts):
            raise _bad(path, f"unsafe path {info.filename!r} in the archive", fix)
        if not pure.parts:
            continue
        tops.add(pure.parts[0])
        if len(pure.parts) == 1 and not info.is_dir():
            raise _bad(path, f"file {info.filename!r} outside the package directory (it must hold exactly one top-level directory)", fix)
        names.add(pure.as_posix())
    if len(tops) != 1:
        found = ", ".join(sorted(tops)) or "nothing"
        raise _bad(path, f"it must hold exactly one top-level directory, found: {found}", fix)
    top = tops.pop()
    if top.startswith("."):
        raise _bad(path, f"hidden top-level directory {top!r}", fix)
    if f"{top}/metadata.json" not in names:
        raise _bad(path, f"no {top}/metadata.json", fix)
    total = sum(info.file_size for info in zf.infolist())
    if total > MAX_UNPACKED:
        raise _bad(path, f"it would unpack to {total / 1024**3:.1f} GiB (more than {MAX_UNPACKED // 1024**3} GiB)", fix)
    try:
        with zf.open(f"{top}/metadata.json") as fh:
            meta = json.loads(_read_capped(fh, MAX_METADATA, f"{top}/metadata.json").decode("utf-8"))
    except RecursionError:
        raise _bad(path, f"{top}/metadata.json is nested too deeply", fix) from None
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _bad(path, f"{top}/metadata.json is not valid JSON ({str(exc)[:200]})", fix) from None
    if not isinstance(meta, dict):
        raise _bad(path, f"{top}/metadata.json is not a JSON object", fix)
    for key in ("from_code", "to_code"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise _bad(path, f"{top}/metadata.json has no {key}", fix)
    if (meta.get("type") or "translate") != "translate":
        raise _bad(path, f"it is a {meta.get('type')!r} package, not a translate package", fix)
    version = meta.get("package_version")
    if version is not None and (not isinstance(version, (str, int, float)) or isinstance(version, bool) or len(str(version)) > MAX_VERSION_CHARS):
        raise _bad(path, f"{top}/metadata.json has a package_version that is not a short version such as \"1.9\"", fix)
    if f"{top}/model/model.bin" not in names:
        raise _bad(path, f"no {top}/model/model.bin", fix)
    if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
        raise _bad(path, f"no {top}/sentencepiece.model or {top}/bpe.model", fix)
    return top, meta


def install_file(path: Path, directory: Path | None = None, *, lang: str | None = None, source: str | None = None) -> InstalledPackage:
    """Install the package file ``path`` into ``directory`` (default ``packages_dir()``).

    Validates before extracting (a zip, no absolute or ``..`` paths, exactly one
    top-level directory, ``metadata.json`` with ``from_code``/``to_code``,
    ``model/model.bin``, a tokenizer), extracts into a hidden temporary
    directory inside ``directory`` and moves it into place. Any package already
    installed for the same language pair (whatever its version) is replaced:
    renamed away, the new one moved in, the old one deleted. On any error
    nothing is left behind and the old package stays.

    With ``lang`` (one of our codes), the package must translate that language
    into English (for ``zh-Hant`` a ``zt`` or a ``zh`` package). ``source`` names a
    downloaded file in messages (its temporary path means nothing to a user).
    """
    wanted = _candidates(lang) if lang is not None else None
    path = Path(path)
    label: Path | str = source or path
    fix = (
        "the package index serves a broken file; try again later, or download it yourself and run: workbench models install LANG --file PKG.argosmodel"
        if source
        else _REDOWNLOAD
    )
    directory = Path(directory) if directory is not None else packages_dir()
    if not path.is_file():
        raise ModelError(f"package file {path} does not exist; check the path given to --file")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise _bad(label, f"not a zip archive ({exc})", fix) from None
    except OSError as exc:
        raise ModelError(f"cannot read {path} ({exc.strerror or exc}); check the file and its permissions") from None
    with zf:
        top, meta = _validate_zip(label, zf, fix)
        if wanted is not None and (meta["from_code"] not in wanted or meta["to_code"] != "en"):
            raise ModelError(
                f"{label} is a {meta['from_code']} -> {meta['to_code']} package, not {lang} -> en; "
                f"give the {'/'.join(wanted)} -> en package file for {lang}"
            )
        try:
            directory.mkdir(parents=True, exist_ok=True)
            _remove_stale_temporaries(directory)
            tmp = Path(tempfile.mkdtemp(dir=directory, prefix=".install-"))
        except OSError as exc:
            raise ModelError(f"cannot write to {directory} ({exc.strerror or exc}); check its permissions or set WORKBENCH_MODELS_DIR") from None
        try:
            try:
                zf.extractall(tmp)
            except (zipfile.BadZipFile, EOFError, zlib.error, RuntimeError, NotImplementedError) as exc:
                raise _bad(label, f"the archive is damaged ({exc})", fix) from None
            except OSError as exc:
                raise ModelError(f"cannot extract {path} into {directory} ({exc.strerror or exc}); free some disk space or check permissions") from None
            new = tmp / top
            if _read_installed(new) is None:
                raise _bad(label, "its files could not be read after extraction", fix)
            return _move_into_place(new, directory, str(meta["from_code"]), str(meta["to_code"]), top)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


#: Prefixes of our temporary entries in a packages directory.
_TEMP_PREFIXES = (".install-", ".old-", ".download-", ".index-")


def _remove_stale_temporaries(directory: Path, max_age: float = 24 * 3600) -> None:
    """Delete our temporary entries older than ``max_age`` seconds (left by a killed install)."""
    now = time.time()
    try:
        entries = list(directory.iterdir())
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(_TEMP_PREFIXES):
            continue
        try:
            if now - entry.lstat().st_mtime < max_age:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink()
        except OSError:
            pass


def _move_into_place(new: Path, directory: Path, from_code: str, to_code: str, top: str) -> InstalledPackage:
    target = directory / top
    old = [p.path for p in installed_packages(directory) if p.from_code == from_code and p.to_code == to_code]
    if target.exists() and target not in old:
        old.append(target)  # a broken or foreign directory with the same name
    moved: list[tuple[Path, Path]] = []
    try:
        for path in old:
            holder = Path(tempfile.mkdtemp(dir=directory, prefix=".old-"))
            try:
                os.replace(path, holder / path.name)
            except OSError:
                holder.rmdir()
                raise
            moved.append((path, holder / path.name))
        os.replace(new, target)
    except OSError as exc:
        for original, aside in reversed(moved):  # put the old packages back
            try:
                os.replace(aside, original)
                aside.parent.rmdir()
            except OSError:
                pass  # leave it in .old-*: better a stray directory than a lost package
        raise ModelError(f"cannot install into {target} ({exc.strerror or exc}); check permissions of {directory}") from None
    for _original, aside in moved:
        shutil.rmtree(aside.parent, ignore_errors=True)
    installed = _read_installed(target)
    assert installed is not None  # checked before the move
    return installed


def _candidates(lang: str) -> list[str]:
    """Argos source codes that can serve our ``lang``, best first."""
    code = argos_code(lang)
    return ["zt", "zh"] if code == "zt" else [code]


def install(
    langs: list[str],
    *,
    index_url: str | None = None,
    directory: Path | None = None,
    progress: DownloadProgress | None = None,
    force: bool = False,
    timeout: float = 5.0,
) -> list[InstalledPackage]:
    """Download and install the ``LANG -> en`` package for each of our codes in ``langs``.

    For ``zh-Hant`` a ``zt`` package is used when the index has one, else the
    ``zh`` one (the engine then converts the input to Simplified with OpenCC).
    ``en`` needs no package and is skipped. A package already installed at the
    same or a newer version is not downloaded again unless ``force``. Returns
    the installed packages, one per distinct package, in order. The index is
    fetched (once) from ``index_url`` (default ``index_url_default()``).
    """
    directory = Path(directory) if directory is not None else packages_dir()
    wanted = [(lang, _candidates(lang)) for lang in langs]  # raises early for unknown codes
    wanted = [(lang, codes) for lang, codes in wanted if codes != ["en"]]
    if not wanted:
        return []
    index = fetch_index(index_url, timeout=timeout)
    result: list[InstalledPackage] = []
    for lang, codes in wanted:
        pkg = next((p for p in (find_available(c, "en", index) for c in codes) if p is not None), None)
        if pkg is None:
            raise ModelError(
                f"the Argos package index has no {lang} -> en package; "
                f"install one from a file with: workbench models install {lang} --file PKG.argosmodel"
            )
        if any(r.from_code == pkg.from_code and r.to_code == pkg.to_code for r in result):
            continue
        current = find_installed(pkg.from_code, pkg.to_code, directory)
        if current is not None and not force and version_key(current.version) >= version_key(pkg.version):
            result.append(current)
            continue
        try:
            directory.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=directory, prefix=".download-"))
        except OSError as exc:
            raise ModelError(f"cannot write to {directory} ({exc.strerror or exc}); check its permissions or set WORKBENCH_MODELS_DIR") from None
        try:
            file = download(pkg, staging, progress, timeout=max(timeout, 30.0))
            result.append(install_file(file, directory, source=f"{pkg.name} {pkg.version} from the package index ({pkg.links[0]}{' ...' if len(pkg.links) > 1 else ''})"))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return result
