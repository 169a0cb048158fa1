"""Shared pytest fixtures."""

from __future__ import annotations

from argos_fixture import argos_home, argos_models_dir, server, tiny_argos_package  # noqa: F401

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def translated_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/, glossary.yaml and translations/ made by the copy engine, built once per session."""
    from workbench.translate import translate_documents

    base = tmp_path_factory.mktemp("translated")
    shutil.copytree(ROOT / "seeds", base / "seeds")
    shutil.copy(ROOT / "glossary.yaml", base / "glossary.yaml")
    translate_documents([base / "seeds"], out_dir=base / "translations", engine="copy", glossary_path=base / "glossary.yaml", download=False)
    return base


@pytest.fixture
def project(translated_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of ``translated_seeds`` as the working directory, with no Argos models."""
    for name in ("seeds", "translations"):
        shutil.copytree(translated_seeds / name, tmp_path / name)
    shutil.copy(translated_seeds / "glossary.yaml", tmp_path / "glossary.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "no-models"))
    return tmp_path

