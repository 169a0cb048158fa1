"""Shared pytest fixtures."""

from __future__ import annotations

from argos_fixture import argos_home, argos_models_dir, tiny_argos_package  # noqa: F401
