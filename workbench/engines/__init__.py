"""Translation engines behind one small interface, with a registry.

An engine turns a batch of plain source sentences (already stripped of structure
labels, with glossary terms already injected by ``workbench.translate``) into
English. It knows nothing about documents, glossaries or the store.

    engine = create("argos", source_lang="zh-Hans")
    engine.translate_batch(["联合国与区域组织的合作。"])

``source_lang`` is always a BCP 47 code of ours (``zh-Hans``, ``zh-Hant``, ``vi``,
``en``); engines map it to their own codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from workbench.errors import EngineError

#: Called with the number of sentences just finished; lets the CLI draw a bar.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class EngineSignature:
    """What produced a translation, stored with every result (like sacrebleu's signatures)."""

    engine: str
    model: str | None = None  # e.g. "translate-zh_en"
    model_version: str | None = None  # the package's package_version
    options: dict[str, str] = field(default_factory=dict)  # e.g. beam size

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"engine": self.engine, "model": self.model, "model_version": self.model_version}
        if self.options:
            out["options"] = dict(sorted(self.options.items()))
        return out

    def short(self) -> str:
        model = f"{self.model}@{self.model_version}" if self.model else "none"
        return f"engine:{self.engine}|model:{model}"


class Engine(Protocol):
    """The interface every engine implements."""

    name: str
    #: True when the engine produces a real machine translation (not a copy of the source).
    is_mt: bool

    @property
    def signature(self) -> EngineSignature: ...

    def translate_batch(self, texts: list[str], progress: Progress | None = None) -> list[str]:
        """Translate every text, in order; one output per input. Loads its model once."""
        ...


EngineFactory = Callable[..., Engine]
_REGISTRY: dict[str, EngineFactory] = {}


def register(name: str) -> Callable[[EngineFactory], EngineFactory]:
    """Class decorator: make an engine available to ``create(name, ...)``."""

    def deco(factory: EngineFactory) -> EngineFactory:
        _REGISTRY[name] = factory
        return factory

    return deco


def names() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def create(name: str, **kwargs: object) -> Engine:
    """Build the engine ``name`` for ``source_lang=...`` (and engine options)."""
    _load_builtin(name)
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise EngineError(f"unknown engine {name!r}; choose one of: {', '.join(sorted(_REGISTRY))}") from None
    return factory(**kwargs)


def _load_builtin(name: str | None = None) -> None:
    # Imported lazily so that `workbench segment` never pays for ctranslate2, and the copy
    # engine never for the Argos one (nor its model registry).
    if name == "copy":
        from workbench.engines import copy  # noqa: F401
        return
    from workbench.engines import argos, copy  # noqa: F401, F811
