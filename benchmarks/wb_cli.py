"""``workbench`` exactly as the command runs it, with one benchmark patch (used by mt_speed.py, row C).

A random-weight model never copies an injected glossary term, so every segment with a
glossary hit would fail verification and be decoded again as pieces (span assembly),
work a real model mostly does not do. When ``workbench.qa`` is imported (whenever the
command imports it, so the start-up is the command's own), ``qa.hit_applied`` is replaced
by a function that counts an injected term as applied.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class _PatchQA(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
        if name != "workbench.qa":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        real_exec = spec.loader.exec_module

        def exec_module(module):  # type: ignore[no-untyped-def]
            real_exec(module)
            module.hit_applied = lambda *a, **k: True

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if __name__ == "__main__":
    sys.meta_path.insert(0, _PatchQA())
    from workbench.cli import main

    main()  # as the console script and python -m workbench run it
