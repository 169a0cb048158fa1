"""The learned bead score: a linear function of named bead features, one weight set per mode.

Modes: ``mt`` (a machine-translation bridge of the source is compared with the target),
``mt-lex`` (the same for a Chinese source and a non-Chinese target, with the lexicon
channel added; its own weights, since literary zh-en merges far more than other pairs;
falls back to ``mt``'s when a weights file lacks it), ``lex`` (no MT, Chinese into English:
CC-CEDICT glosses), ``plain`` (no MT, no lexicon: the source's own characters, numbers
and anchors against the target's). Weights are fitted by ``benchmarks/fit_align.py`` on
real hand-aligned development data (a structured perceptron: the search's best path
against the gold path) and shipped in
``workbench/data/align/weights.json``. ``bias`` is added to every bead's score (0 for the
shipped weights, whose type weights carry it). ``run_0-1`` is paid once per run of
consecutive 0-1 beads (``search.run_dp``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "align" / "weights.json"

TYPE_NAMES = ("0-1", "1-0", "1-1", "1-2", "2-1", "2-2", "1-3", "3-1", "2-3", "3-2", "1-4", "4-1")
CHANNELS = ("char", "lex", "word")


def feature_names() -> list[str]:
    names = [f"type_{t}" for t in TYPE_NAMES]
    for c in CHANNELS:
        names += [f"sim_{c}", f"sim_{c}_many", f"part_{c}", f"corner_{c}", f"marg_{c}", f"gain_{c}"]
    return names + ["len", "len_many", "len_mt", "len_mt_many", "null_len", "run_0-1", "pun_open", "pun_close", "pun_close_both", "pun_mark", "pun_inner", "pun_inner_mark"]


FEATURES = feature_names()


@dataclass
class Model:
    """Weights by feature name, and the per-bead bias."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    mode: str = "plain"
    trained_on: str = ""
    conf_a: float = 1.0  # confidence = sigmoid(conf_a * score + conf_b), Platt-scaled on dev beads
    conf_b: float = 0.0

    def logit(self, feats: dict[str, np.ndarray | float], shape: tuple[int, ...]) -> np.ndarray:
        out = np.full(shape, self.bias, np.float64)
        for name, value in feats.items():
            w = self.weights.get(name)
            if w:
                out = out + w * np.asarray(value, np.float64)
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "weights": {k: round(v, 5) for k, v in self.weights.items()},
            "bias": round(self.bias, 5),
            "confidence": [round(self.conf_a, 5), round(self.conf_b, 5)],
            "trained_on": self.trained_on,
        }


# Hand-set fall-back (used only when the weights file is missing, e.g. a broken install).
_DEFAULT = {
    "type_0-1": -4.0, "type_1-0": -4.0, "type_1-1": 0.0, "type_1-2": -1.5, "type_2-1": -1.5, "type_2-2": -3.0,
    "type_1-3": -3.0, "type_3-1": -3.0, "type_2-3": -4.0, "type_3-2": -4.0, "type_1-4": -4.5, "type_4-1": -4.5,
    "sim_char": 4.0, "sim_lex": 3.0, "len": 1.0,
}


@lru_cache(maxsize=None)
def load(mode: str, path: str = str(WEIGHTS_FILE)) -> Model:
    p = Path(path)
    if p.exists():
        data = json.loads(p.read_text(encoding="utf-8"))
        modes = data.get("modes", {})
        m = modes.get(mode) or (modes.get("mt") if mode == "mt-lex" else None)
        if m:
            a, b = m.get("confidence", [1.0, 0.0])
            return Model({k: float(v) for k, v in m["weights"].items()}, float(m.get("bias", 0.0)), mode, str(m.get("trained_on", "")), float(a), float(b))
    return Model(dict(_DEFAULT), 0.0, mode, "hand-set fall-back")
