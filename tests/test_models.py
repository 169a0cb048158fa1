"""Tests of workbench.models: Argos package listing, index, download and install."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from argos_fixture import Server, index_entry, rezip_with_metadata, write_index
from workbench import models
from workbench.errors import ModelError

# --------------------------------------------------------------------------- helpers


def package_members(package: Path) -> dict[str, bytes]:
    """name -> bytes of every file in a package zip."""
    with zipfile.ZipFile(package) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data)
    return path


@pytest.fixture
def pkg_dir(tmp_path: Path) -> Path:
    """An empty packages directory."""
    d = tmp_path / "packages"
    d.mkdir()
    return d


# --------------------------------------------------------------------------- codes and dirs


@pytest.mark.parametrize(
    ("ours", "argos"), [("zh-Hans", "zh"), ("zh-Hant", "zt"), ("vi", "vi"), ("en", "en"), ("ZH-hans", "zh")]
)
def test_argos_code(ours: str, argos: str) -> None:
    assert models.argos_code(ours) == argos


@pytest.mark.parametrize("bad", ["fr", "zh", "", "zh-CN"])
def test_argos_code_unknown(bad: str) -> None:
    with pytest.raises(ModelError, match=r"unknown language .*; choose one of: zh-Hans, zh-Hant, vi, en"):
        models.argos_code(bad)


def test_packages_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("WORKBENCH_MODELS_DIR", "ARGOS_PACKAGES_DIR", "XDG_DATA_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert models.packages_dir() == tmp_path / "home" / ".local" / "share" / "argos-translate" / "packages"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert models.packages_dir() == tmp_path / "xdg" / "argos-translate" / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos"))
    assert models.packages_dir() == tmp_path / "argos"
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "wb"))
    assert models.packages_dir() == tmp_path / "wb"


def test_importing_models_does_not_import_argostranslate() -> None:
    import subprocess
    import sys

    code = "import sys, workbench.models, workbench.engines.argos; print('argostranslate' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- install_file


def test_install_file_happy_path(tiny_argos_package: Path, pkg_dir: Path) -> None:
    installed = models.install_file(tiny_argos_package, pkg_dir)
    assert installed.name == "translate-zh_en"
    assert (installed.from_code, installed.to_code, installed.version) == ("zh", "en", "1.0")
    assert installed.path.parent == pkg_dir
    assert (installed.path / "model" / "model.bin").is_file()
    assert installed.size == sum(p.stat().st_size for p in installed.path.rglob("*") if p.is_file())
    assert installed.size > 10_000
    assert models.installed_packages(pkg_dir) == [installed]
    assert models.find_installed("zh", "en", pkg_dir) == installed
    assert models.find_installed("vi", "en", pkg_dir) is None
    # Only the package directory is left behind, no temporary files.
    assert [p.name for p in pkg_dir.iterdir()] == [installed.path.name]


def test_install_file_uses_packages_dir_by_default(tiny_argos_package: Path, pkg_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(pkg_dir / "sub"))
    installed = models.install_file(tiny_argos_package)
    assert installed.path.parent == pkg_dir / "sub"
    assert models.find_installed("zh", "en") == installed


def test_installed_packages_skips_broken_dirs(tiny_argos_package: Path, pkg_dir: Path) -> None:
    good = models.install_file(tiny_argos_package, pkg_dir)
    (pkg_dir / "no-metadata").mkdir()
    bad_json = pkg_dir / "bad-json"
    bad_json.mkdir()
    (bad_json / "metadata.json").write_text("{not json", encoding="utf-8")
    no_model = pkg_dir / "no-model"
    no_model.mkdir()
    (no_model / "metadata.json").write_text(json.dumps({"from_code": "vi", "to_code": "en"}), encoding="utf-8")
    (pkg_dir / "stray-file.txt").write_text("x", encoding="utf-8")
    assert models.installed_packages(pkg_dir) == [good]
    assert models.installed_packages(pkg_dir / "missing") == []


def _assert_rejected(path: Path, pkg_dir: Path, pattern: str) -> None:
    with pytest.raises(ModelError, match=pattern) as info:
        models.install_file(path, pkg_dir)
    assert "\n" not in str(info.value)
    assert list(pkg_dir.iterdir()) == [], "a failed install must leave nothing behind"


def test_install_rejects_non_zip(tmp_path: Path, pkg_dir: Path) -> None:
    bad = tmp_path / "x.argosmodel"
    bad.write_text("hello, not a zip", encoding="utf-8")
    _assert_rejected(bad, pkg_dir, r"x\.argosmodel is not a valid Argos package: not a zip archive .*download the \.argosmodel file again")


def test_install_rejects_truncated_zip(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    data = tiny_argos_package.read_bytes()
    bad = tmp_path / "truncated.argosmodel"
    bad.write_bytes(data[: len(data) // 2])
    _assert_rejected(bad, pkg_dir, r"truncated\.argosmodel is not a valid Argos package: not a zip archive")


def test_install_rejects_corrupt_member(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    members = package_members(tiny_argos_package)
    bad = tmp_path / "corrupt.argosmodel"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    raw = bytearray(bad.read_bytes())
    model_bin = next(n for n in members if n.endswith("model/model.bin"))
    offset = raw.find(members[model_bin][:64])
    raw[offset + 100 : offset + 200] = bytes(100)  # damage the data, keep the directory intact
    bad.write_bytes(bytes(raw))
    _assert_rejected(bad, pkg_dir, r"corrupt\.argosmodel is not a valid Argos package: the archive is damaged")


@pytest.mark.parametrize("evil", ["../evil", "translate-zh_en-1_0/../../evil", "/tmp/evil"])
def test_install_rejects_zip_slip(evil: str, tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    members = package_members(tiny_argos_package)
    members[evil] = b"gotcha"
    bad = write_zip(tmp_path / "slip.argosmodel", members)
    _assert_rejected(bad, pkg_dir, rf"slip\.argosmodel is not a valid Argos package: unsafe path '{evil}' in the archive")
    assert not (tmp_path / "evil").exists()


def test_install_rejects_two_top_level_dirs(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    members = package_members(tiny_argos_package)
    members["other/readme.txt"] = b"x"
    bad = write_zip(tmp_path / "two.argosmodel", members)
    _assert_rejected(bad, pkg_dir, r"must hold exactly one top-level directory, found: other, translate-zh_en-1_0")


def test_install_rejects_top_level_file(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    members = {name.partition("/")[2]: data for name, data in package_members(tiny_argos_package).items()}
    bad = write_zip(tmp_path / "flat.argosmodel", members)
    _assert_rejected(bad, pkg_dir, r"file 'metadata\.json' outside the package directory")


def test_install_rejects_missing_metadata(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    members = {n: d for n, d in package_members(tiny_argos_package).items() if not n.endswith("metadata.json")}
    bad = write_zip(tmp_path / "nometa.argosmodel", members)
    _assert_rejected(bad, pkg_dir, r"nometa\.argosmodel is not a valid Argos package: no translate-zh_en-1_0/metadata\.json")


def test_install_rejects_bad_metadata(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    members = package_members(tiny_argos_package)
    members["translate-zh_en-1_0/metadata.json"] = b"{oops"
    bad = write_zip(tmp_path / "badmeta.argosmodel", members)
    _assert_rejected(bad, pkg_dir, r"metadata\.json is not valid JSON")
    members["translate-zh_en-1_0/metadata.json"] = json.dumps({"from_code": "zh"}).encode()
    bad = write_zip(tmp_path / "nocode.argosmodel", members)
    _assert_rejected(bad, pkg_dir, r"metadata\.json has no to_code")


def test_install_rejects_missing_model(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    members = {n: d for n, d in package_members(tiny_argos_package).items() if "/model/" not in n}
    bad = write_zip(tmp_path / "nomodel.argosmodel", members)
    _assert_rejected(bad, pkg_dir, r"nomodel\.argosmodel is not a valid Argos package: no translate-zh_en-1_0/model/model\.bin")


def test_install_rejects_missing_tokenizer(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    members = {n: d for n, d in package_members(tiny_argos_package).items() if not n.endswith("sentencepiece.model")}
    bad = write_zip(tmp_path / "nosp.argosmodel", members)
    _assert_rejected(bad, pkg_dir, r"no translate-zh_en-1_0/sentencepiece\.model or translate-zh_en-1_0/bpe\.model")


def test_install_missing_file(tmp_path: Path, pkg_dir: Path) -> None:
    _assert_rejected(tmp_path / "nope.argosmodel", pkg_dir, r"package file .*nope\.argosmodel does not exist; check the path given to --file")


def test_failed_install_keeps_old_package(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    old = models.install_file(tiny_argos_package, pkg_dir)
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ModelError):
        models.install_file(bad, pkg_dir)
    assert models.installed_packages(pkg_dir) == [old]
    assert [p.name for p in pkg_dir.iterdir()] == [old.path.name]


def test_reinstall_newer_version_replaces_old(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    old = models.install_file(tiny_argos_package, pkg_dir)
    newer = rezip_with_metadata(tiny_argos_package, tmp_path / "new.argosmodel", top="translate-zh_en-1_1", package_version="1.1")
    new = models.install_file(newer, pkg_dir)
    assert new.version == "1.1"
    assert not old.path.exists()
    assert models.installed_packages(pkg_dir) == [new]
    assert [p.name for p in pkg_dir.iterdir()] == ["translate-zh_en-1_1"]
    # Same directory name, new version: replaced in place.
    same_name = rezip_with_metadata(tiny_argos_package, tmp_path / "same.argosmodel", top="translate-zh_en-1_1", package_version="1.2")
    assert models.install_file(same_name, pkg_dir).version == "1.2"
    assert [(p.version, p.path.name) for p in models.installed_packages(pkg_dir)] == [("1.2", "translate-zh_en-1_1")]


def test_find_installed_picks_highest_version(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path) -> None:
    # Two versions side by side (e.g. installed by Argos itself): the highest wins, numerically.
    for version in ("1.9", "1.10"):
        other = tmp_path / version
        other.mkdir()
        installed = models.install_file(rezip_with_metadata(tiny_argos_package, other / "p.argosmodel", package_version=version), other)
        installed.path.rename(pkg_dir / f"v{version}")
    assert [p.version for p in models.installed_packages(pkg_dir)] == ["1.9", "1.10"]
    assert models.find_installed("zh", "en", pkg_dir).version == "1.10"


# --------------------------------------------------------------------------- index, download, install


def test_unreachable_index_fails_fast(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "pk"))
    start = time.monotonic()
    with pytest.raises(ModelError) as info:
        models.fetch_index("http://127.0.0.1:1/index.json")
    assert time.monotonic() - start < 5
    message = str(info.value)
    assert message.startswith("cannot reach the Argos package index at http://127.0.0.1:1/index.json (")
    assert message.endswith("; install from a file with: workbench models install LANG --file PKG.argosmodel")
    with pytest.raises(ModelError, match="cannot reach the Argos package index"):
        models.install(["zh-Hans"], index_url="http://127.0.0.1:1/index.json")
    assert not (tmp_path / "pk").exists() or list((tmp_path / "pk").iterdir()) == []


def test_index_url_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_ARGOS_INDEX", raising=False)
    assert models.index_url_default() == models.DEFAULT_INDEX_URL
    monkeypatch.setenv("WORKBENCH_ARGOS_INDEX", "http://127.0.0.1:1/i.json")
    with pytest.raises(ModelError, match=r"at http://127\.0\.0\.1:1/i\.json"):
        models.fetch_index()


def test_fetch_index_parses_and_caches(server: tuple[Server, Path], pkg_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srv, root = server
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(pkg_dir))
    entries = [
        index_entry("zh", f"{srv.url}/a.argosmodel", "1.1"),
        index_entry("zh", f"{srv.url}/b.argosmodel", "1.9"),
        dict(index_entry("vi", f"{srv.url}/c.argosmodel"), size=1234),
        {"type": "sbd", "from_code": "zh", "links": ["x"]},
        {"from_code": "fr"},  # no to_code, no links
        "junk",
    ]
    write_index(root, entries)
    index = models.fetch_index(f"{srv.url}/index.json")
    assert [(p.name, p.version, p.size) for p in index] == [
        ("translate-zh_en", "1.1", None),
        ("translate-zh_en", "1.9", None),
        ("translate-vi_en", "1.0", 1234),
    ]
    assert models.find_available("zh", "en", index).version == "1.9"
    assert models.find_available("zt", "en", index) is None
    assert models.cached_index() == index
    assert models.installed_packages(pkg_dir) == []  # the cache is not a package

    (root / "index.json").write_text('{"not": "a list"}', encoding="utf-8")
    with pytest.raises(ModelError, match="is not a JSON list"):
        models.fetch_index(f"{srv.url}/index.json")
    (root / "index.json").write_text("<html>", encoding="utf-8")
    with pytest.raises(ModelError, match="is not valid JSON"):
        models.fetch_index(f"{srv.url}/index.json")


def test_install_end_to_end(server: tuple[Server, Path], tiny_argos_package: Path, pkg_dir: Path) -> None:
    srv, root = server
    (root / "zh_en.argosmodel").write_bytes(tiny_argos_package.read_bytes())
    write_index(root, [index_entry("zh", f"{srv.url}/zh_en.argosmodel")])
    calls: list[tuple[int, int | None]] = []
    installed = models.install(
        ["zh-Hans"], index_url=f"{srv.url}/index.json", directory=pkg_dir, progress=lambda d, t: calls.append((d, t))
    )
    size = tiny_argos_package.stat().st_size
    assert [p.name for p in installed] == ["translate-zh_en"]
    assert models.installed_packages(pkg_dir) == installed
    assert calls[0] == (0, size) and calls[-1] == (size, size)
    assert all(t == size for _, t in calls) and [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert [p.name for p in pkg_dir.iterdir()] == [installed[0].path.name]  # no download leftovers

    # Already installed at the index's version: nothing is downloaded again...
    srv.served.clear()
    again = models.install(["zh-Hans"], index_url=f"{srv.url}/index.json", directory=pkg_dir)
    assert again == installed and srv.served == ["/index.json"]
    # ...unless forced.
    models.install(["zh-Hans"], index_url=f"{srv.url}/index.json", directory=pkg_dir, force=True)
    assert srv.served[-1] == "/zh_en.argosmodel"


def test_install_zh_hant_prefers_zt_then_falls_back_to_zh(server: tuple[Server, Path], tiny_argos_package: Path, tmp_path: Path) -> None:
    srv, root = server
    (root / "zh_en.argosmodel").write_bytes(tiny_argos_package.read_bytes())
    zt = rezip_with_metadata(tiny_argos_package, root / "zt_en.argosmodel", top="translate-zt_en-1_0", from_code="zt")
    write_index(root, [index_entry("zh", f"{srv.url}/zh_en.argosmodel")])
    only_zh = tmp_path / "only-zh"
    installed = models.install(["zh-Hant", "zh-Hans"], index_url=f"{srv.url}/index.json", directory=only_zh)
    assert [p.name for p in installed] == ["translate-zh_en"]  # once, though asked for twice

    write_index(root, [index_entry("zh", f"{srv.url}/zh_en.argosmodel"), index_entry("zt", f"{srv.url}/{zt.name}")])
    with_zt = tmp_path / "with-zt"
    installed = models.install(["zh-Hant", "en"], index_url=f"{srv.url}/index.json", directory=with_zt)
    assert [p.name for p in installed] == ["translate-zt_en"]


def test_install_language_missing_from_index(server: tuple[Server, Path], pkg_dir: Path) -> None:
    srv, root = server
    write_index(root, [index_entry("zh", f"{srv.url}/zh_en.argosmodel")])
    with pytest.raises(ModelError, match=r"^the Argos package index has no vi -> en package; install one from a file with: workbench models install vi --file PKG\.argosmodel$"):
        models.install(["vi"], index_url=f"{srv.url}/index.json", directory=pkg_dir)
    with pytest.raises(ModelError, match="unknown language 'fr'"):
        models.install(["fr"], index_url=f"{srv.url}/index.json", directory=pkg_dir)


def test_download_tries_each_link(server: tuple[Server, Path], tiny_argos_package: Path, tmp_path: Path) -> None:
    srv, root = server
    (root / "good.argosmodel").write_bytes(tiny_argos_package.read_bytes())
    pkg = models.AvailablePackage("translate-zh_en", "zh", "en", "1.0", (f"{srv.url}/missing", "http://127.0.0.1:1/x", f"{srv.url}/good.argosmodel"), None)
    path = models.download(pkg, tmp_path / "dl")
    assert path == tmp_path / "dl" / "translate-zh_en-1.0.argosmodel"
    assert path.read_bytes() == tiny_argos_package.read_bytes()
    assert [p.name for p in (tmp_path / "dl").iterdir()] == [path.name]

    dead = models.AvailablePackage("translate-zh_en", "zh", "en", "1.0", (f"{srv.url}/missing",), None)
    with pytest.raises(ModelError, match=r"cannot download translate-zh_en 1\.0 \(.*/missing: .*\); download it yourself and run: workbench models install zh-Hans --file PKG\.argosmodel"):
        models.download(dead, tmp_path / "dl2")
    assert list((tmp_path / "dl2").iterdir()) == []


def test_downloaded_broken_package_is_not_installed(server: tuple[Server, Path], pkg_dir: Path) -> None:
    srv, root = server
    (root / "zh_en.argosmodel").write_bytes(b"<html>error page</html>")
    write_index(root, [index_entry("zh", f"{srv.url}/zh_en.argosmodel")])
    with pytest.raises(ModelError, match="not a zip archive"):
        models.install(["zh-Hans"], index_url=f"{srv.url}/index.json", directory=pkg_dir)
    assert list(pkg_dir.iterdir()) == []


def test_install_file_checks_language(tiny_argos_package: Path, pkg_dir: Path) -> None:
    _assert_rejected_lang = r"is a zh -> en package, not vi -> en; give the vi -> en package file for vi$"
    with pytest.raises(ModelError, match=_assert_rejected_lang):
        models.install_file(tiny_argos_package, pkg_dir, lang="vi")
    assert list(pkg_dir.iterdir()) == []
    assert models.install_file(tiny_argos_package, pkg_dir, lang="zh-Hant").from_code == "zh"  # zh serves zh-Hant
    assert models.install_file(tiny_argos_package, pkg_dir, lang="zh-Hans").from_code == "zh"


def test_remote_size(server: tuple[Server, Path], tiny_argos_package: Path) -> None:
    srv, root = server
    (root / "p.argosmodel").write_bytes(tiny_argos_package.read_bytes())
    pkg = models.AvailablePackage("translate-zh_en", "zh", "en", "1.0", ("http://127.0.0.1:1/x", f"{srv.url}/p.argosmodel"), None)
    size = tiny_argos_package.stat().st_size
    assert models.remote_size(pkg) == size
    assert models.with_size(pkg).size == size
    assert srv.served == []  # HEAD requests only, no download
    known = models.AvailablePackage("translate-zh_en", "zh", "en", "1.0", ("http://127.0.0.1:1/x",), 42)
    assert models.with_size(known) is known
    dead = models.AvailablePackage("translate-zh_en", "zh", "en", "1.0", ("http://127.0.0.1:1/x",), None)
    assert models.remote_size(dead) is None


def test_failed_move_restores_old_package(tiny_argos_package: Path, tmp_path: Path, pkg_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = models.install_file(tiny_argos_package, pkg_dir)
    newer = rezip_with_metadata(tiny_argos_package, tmp_path / "new.argosmodel", top="translate-zh_en-1_1", package_version="1.1")
    real_replace = models.os.replace

    def failing_replace(src, dst):  # type: ignore[no-untyped-def]
        if Path(dst).name == "translate-zh_en-1_1":
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(models.os, "replace", failing_replace)
    with pytest.raises(ModelError, match=r"^cannot install into .*translate-zh_en-1_1 \(No space left on device\); check permissions of "):
        models.install_file(newer, pkg_dir)
    monkeypatch.undo()
    assert models.installed_packages(pkg_dir) == [old]
    assert [p.name for p in pkg_dir.iterdir()] == [old.path.name]


def test_stale_temporaries_are_removed(tiny_argos_package: Path, pkg_dir: Path) -> None:
    import os

    stale, fresh = pkg_dir / ".install-stale", pkg_dir / ".install-fresh"
    for d in (stale, fresh):
        (d / "x").mkdir(parents=True)
    os.utime(stale, (time.time() - 3 * 86400,) * 2)
    models.install_file(tiny_argos_package, pkg_dir)
    assert not stale.exists() and fresh.exists()
