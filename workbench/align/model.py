"""The learned bead score: a logistic regression over named bead features, one per mode.

Modes: ``mt`` (a machine-translation bridge of the source is compared with the target;
for Chinese sources the lexicon channel is added), ``lex`` (no MT, Chinese into English:
CC-CEDICT glosses), ``plain`` (no MT, no lexicon: the source's own characters, numbers
and anchors against the target's). Weights are fitted by ``benchmarks/fit_align.py`` on
real hand-aligned development data (gold beads against near misses) and shipped in
``workbench/data/align/weights.json``. ``bias`` is added to every bead's log-odds; it is
tuned on the training folds for alignment F1 (it trades merging against splitting).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "align" / "weights.json"

TYPE_NAMES = ("0-1", "1-0", "1-1", "1-2", "2-1", "2-2", "1-3", "3-1", "2-3", "3-2", "1-4", "4-1")
CHANNELS = ("char", "lex")


def feature_names() -> list[str]:
    names = [f"type_{t}" for t in TYPE_NAMES]
    for c in CHANNELS:
        names += [f"sim_{c}", f"sim_{c}_many", f"part_{c}"]
    return names + ["len", "len_many"]


FEATURES = feature_names()


@dataclass
class Model:
    """Weights by feature name, and the per-bead bias."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    mode: str = "plain"
    trained_on: str = ""

    def logit(self, feats: dict[str, np.ndarray | float], shape: tuple[int, ...]) -> np.ndarray:
        out = np.full(shape, self.bias, np.float64)
        for name, value in feats.items():
            w = self.weights.get(name)
            if w:
                out = out + w * np.asarray(value, np.float64)
        return out

    def as_dict(self) -> dict[str, object]:
        return {"weights": {k: round(v, 5) for k, v in self.weights.items()}, "bias": round(self.bias, 5), "trained_on": self.trained_on}


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
        m = data.get("modes", {}).get(mode)
        if m:
            return Model({k: float(v) for k, v in m["weights"].items()}, float(m.get("bias", 0.0)), mode, str(m.get("trained_on", "")))
    return Model(dict(_DEFAULT), 0.0, mode, "hand-set fall-back")


def fit_logistic(X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None, l2: float = 1.0, iters: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method; (coefficients, intercept)."""
    n, d = X.shape
    Xb = np.hstack([X, np.ones((n, 1))])
    w = np.zeros(d + 1)
    sw = np.ones(n) if sample_weight is None else sample_weight
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(iters):
        z = np.clip(Xb @ w, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        g = Xb.T @ (sw * (p - y)) + reg * w
        H = (Xb * (sw * p * (1 - p))[:, None]).T @ Xb + np.diag(reg + 1e-6)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w[:-1], float(w[-1])
