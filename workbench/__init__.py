"""workbench: a parallel translation and alignment workbench (zh-Hans, zh-Hant, vi -> en)."""

__version__ = "0.1.0"
