"""The ``copy`` engine: no machine translation.

The target starts as the source itself; ``workbench.translate`` has already put
the English glossary terms and the non-translatables in place, so the translator
gets OmegaT's "insert source" pre-translation to overwrite by hand.
"""

from __future__ import annotations

from workbench.engines import EngineSignature, Progress, register


@register("copy")
class CopyEngine:
    name = "copy"
    is_mt = False

    def __init__(self, source_lang: str = "", **_: object) -> None:
        self.source_lang = source_lang

    @property
    def signature(self) -> EngineSignature:
        return EngineSignature(engine="copy")

    def translate_batch(self, texts: list[str], progress: Progress | None = None) -> list[str]:
        if progress:
            progress(len(texts))
        return list(texts)
