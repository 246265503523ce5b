"""The level model: named features in, a level, a score and a confidence out.

It is a cumulative-link (ordinal logistic) model: a weighted sum of the features gives a latent
score, three ordered cut points split it into the four levels, and the logistic curve around
each cut point gives the probability of each level. The weights live in a small versioned JSON
file, produced by ``fit_level_model`` from labeled answers, so a change in grading is a change
in a reviewed file, never a hand edit scattered through code.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pmloop.vocabulary import FLAG_CAPS, MODEL_FLAGS

__all__ = [
    "CAP_DRIVER",
    "FEATURES",
    "FEATURE_LABELS",
    "NEUTRAL_VALUES",
    "LevelModel",
    "LevelPrediction",
    "fit_level_model",
    "load_level_model",
]

#: The features the model reads, in a fixed order; every grader run computes all of them.
FEATURES: tuple[str, ...] = (
    "strong_coverage",
    "senior_coverage",
    "senior_closeness",
    "consequence",
    "specificity",
    "unexplained_terms",
    *(f"flag_{flag.value}" for flag in MODEL_FLAGS),
    "topicality",
    "case_coverage",
    "decision",
    "bare_decision",
    "absolutes",
    "hedging",
    "brevity",
    "pasted",
    "generic_process",
    "dismissal",
    "jargon_density",
    "reasoning_density",
    "stuffed_share",
    "register",
    "senior_register",
)

#: The driver a grade lists when an anti-pattern held its level down (not a model feature).
CAP_DRIVER = "anti_pattern_cap"

#: What each feature measures, in the words a grade shows next to it (and the cap driver).
FEATURE_LABELS: dict[str, str] = {
    "strong_coverage": "strong rubric signals shown",
    "senior_coverage": "senior rubric signals shown",
    "senior_closeness": "near misses on senior signals",
    "consequence": "consequence habits (failure modes, segments, reversibility...)",
    "specificity": "numbers with units and named mechanisms",
    "unexplained_terms": "technical terms left unexplained",
    "flag_framework_recitation": "framework recitation",
    "flag_buzzword_without_substance": "buzzwords without substance",
    "flag_performance_theater": "performance theater",
    "flag_heuristic_collapse": "heuristic collapse",
    "flag_false_certainty": "false certainty",
    "topicality": "stays on the question's subject",
    "case_coverage": "share of the case's details taken up",
    "decision": "calls made with their conditions",
    "bare_decision": "calls made with no condition attached",
    "absolutes": "sweeping absolutes (always, never, everyone)",
    "hedging": "uncertainty named",
    "brevity": "long enough to say something",
    "pasted": "pasted question, graded with the competency rubric",
    "generic_process": "generic process moves",
    "dismissal": "risk waved away",
    "jargon_density": "density of AI vocabulary",
    "reasoning_density": "reasoning connectives (because, unless, so that)",
    "stuffed_share": "sentences that only list terms",
    "register": "how the wording reads next to the reference answers",
    CAP_DRIVER: "held down by what the answer shows (an anti-pattern, no call, off topic...)",
    "senior_register": "wording closer to senior than to strong reference answers",
}

#: The direction each feature may push the level: a fitted weight never takes the other sign,
#: so no grade can say that numbers, reasons or named risks lowered it, or that buzzwords raised
#: it. Features not listed (``pasted``) may go either way.
SIGNS: dict[str, int] = {
    **{name: 1 for name in (
        "strong_coverage", "senior_coverage", "senior_closeness", "consequence", "specificity",
        "topicality", "case_coverage", "decision", "hedging", "brevity", "reasoning_density",
        "register", "senior_register",
    )},
    **{name: -1 for name in (
        "unexplained_terms", "bare_decision", "absolutes", "generic_process", "dismissal",
        "jargon_density", "stuffed_share", *(f"flag_{flag.value}" for flag in MODEL_FLAGS),
    )},
}  # fmt: skip

#: The value at which a feature says nothing either way; drivers are measured from here.
NEUTRAL_VALUES: dict[str, float] = {"register": 0.5, "senior_register": 0.5, "brevity": 1.0}


@dataclass(frozen=True)
class LevelPrediction:
    """A level with the latent score behind it and the probability of each level."""

    level: int
    latent: float
    score: float
    confidence: float
    probabilities: tuple[float, float, float, float]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@dataclass(frozen=True)
class LevelModel:
    """Weights per feature and three ordered cut points between the four levels."""

    version: str
    weights: Mapping[str, float]
    cuts: tuple[float, float, float]
    trained_on: str = ""

    def contributions(self, features: Mapping[str, float]) -> dict[str, float]:
        """How far each feature moved the latent score from where a neutral answer sits."""
        return {
            name: self.weights.get(name, 0.0)
            * (features.get(name, 0.0) - NEUTRAL_VALUES.get(name, 0.0))
            for name in FEATURES
        }

    def latent(self, features: Mapping[str, float]) -> float:
        """The weighted sum of the features."""
        return sum(self.weights.get(name, 0.0) * features.get(name, 0.0) for name in FEATURES)

    def predict(self, features: Mapping[str, float]) -> LevelPrediction:
        """Level, score (0-100, with level boundaries at 25, 50 and 75) and confidence.

        A flag caps the level (``FLAG_CAPS``): an interviewer does not rate a keyword list, a
        slogan or a recited framework strong, nor an answer to another question or a
        disqualifying call above below bar, however much else the answer says.
        """
        latent = self.latent(features)
        cap = self.cap(features)
        if cap is not None and cap < 4:
            latent = min(latent, self.cuts[cap - 1] - 1e-6)
        return self.from_latent(latent)

    @staticmethod
    def cap(features: Mapping[str, float]) -> int | None:
        """The highest level the flags in ``features`` allow, or None when none caps."""
        caps = [
            int(level)
            for flag, level in FLAG_CAPS.items()
            if features.get(f"flag_{flag.value}", 0.0)
        ]
        return min(caps) if caps else None

    def from_latent(self, latent: float) -> LevelPrediction:
        """The prediction for a given latent score."""
        below = [_sigmoid(cut - latent) for cut in self.cuts]  # P(level <= k)
        probs = (below[0], below[1] - below[0], below[2] - below[1], 1.0 - below[2])
        level = 1 + sum(latent > cut for cut in self.cuts)
        return LevelPrediction(
            level=level,
            latent=latent,
            score=round(self._score(latent), 1),
            confidence=round(max(0.0, min(1.0, probs[level - 1])), 3),
            probabilities=tuple(round(p, 4) for p in probs),  # type: ignore[arg-type]
        )

    def band_width(self) -> float:
        """The width of the middle bands, the unit a one-level shift is measured in."""
        return (self.cuts[2] - self.cuts[0]) / 2

    def _score(self, latent: float) -> float:
        edges = [self.cuts[0] - self.band_width(), *self.cuts, self.cuts[2] + self.band_width()]
        if latent <= edges[0]:
            return 0.0
        if latent >= edges[-1]:
            return 100.0
        for band in range(4):
            low, high = edges[band], edges[band + 1]
            if latent <= high:
                return 25.0 * band + 25.0 * (latent - low) / (high - low)
        return 100.0  # pragma: no cover

    def to_json(self) -> dict[str, Any]:
        """The model as the JSON object stored in the package."""
        return {
            "version": self.version,
            "trained_on": self.trained_on,
            "features": list(FEATURES),
            "weights": {name: round(self.weights.get(name, 0.0), 4) for name in FEATURES},
            "cuts": [round(c, 4) for c in self.cuts],
        }


def load_level_model(path: Path | None = None) -> LevelModel:
    """Load the level model shipped with pmloop, or one from ``path``."""
    if path is None:
        text = resources.files("pmloop.grading").joinpath("data", "level_model.json").read_text()
    else:
        text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    cuts = tuple(float(c) for c in data["cuts"])
    if len(cuts) != 3 or not cuts[0] < cuts[1] < cuts[2]:
        raise ValueError("level model needs three increasing cut points")
    return LevelModel(
        version=str(data["version"]),
        weights={k: float(v) for k, v in data["weights"].items()},
        cuts=(cuts[0], cuts[1], cuts[2]),
        trained_on=str(data.get("trained_on", "")),
    )


def fit_level_model(
    rows: Sequence[tuple[Mapping[str, float], int]],
    version: str,
    trained_on: str,
    prior: Mapping[str, float] | None = None,
    l2: float = 0.001,
    iterations: int = 60,
) -> LevelModel:
    """Fit weights and cut points by maximum likelihood, shrunk towards ``prior``.

    The penalty pulls each weight towards its prior value rather than towards zero, so a feature
    the training rows never exercise (a flag no labeled answer raises) keeps the weight a
    reviewer gave it instead of silently dropping to nothing. The optimiser is a damped Newton
    method (the Hessian by central differences of the exact gradient): the problem is small and
    convex, so it converges in a few dozen steps to the same answer from the same rows.
    """
    import numpy as np

    x = np.array([[row.get(name, 0.0) for name in FEATURES] for row, _ in rows], dtype=np.float64)
    y = np.array([level for _, level in rows], dtype=np.int64)
    n, d = x.shape
    w0 = np.array([(prior or {}).get(name, 0.0) for name in FEATURES])
    sign = np.array([SIGNS.get(name, 0) for name in FEATURES] + [0, 0, 0], dtype=np.float64)

    def project(theta: Any) -> Any:
        # a signed weight that would cross zero stops at zero
        return np.where(sign * theta < 0, 0.0, theta)

    def loss_grad(theta: Any) -> tuple[float, Any]:
        w, cuts = theta[:d], theta[d:]
        eta = x @ w
        upper = np.concatenate([cuts, [np.inf]])[y - 1]
        lower = np.concatenate([[-np.inf], cuts])[y - 1]
        s_up = 1 / (1 + np.exp(-(upper - eta)))
        s_lo = 1 / (1 + np.exp(-(lower - eta)))
        p = np.clip(s_up - s_lo, 1e-12, None)
        loss = -np.mean(np.log(p)) + 0.5 * l2 * np.sum((w - w0) ** 2)
        d_up = s_up * (1 - s_up) / p
        d_lo = -s_lo * (1 - s_lo) / p
        grad_w = (x.T @ (d_up + d_lo)) / n + l2 * (w - w0)
        grad_c = np.array(
            [-(np.sum(d_up[y == k + 1]) + np.sum(d_lo[y == k + 2])) / n for k in range(3)]
        )
        return float(loss), np.concatenate([grad_w, grad_c])

    start = project(np.concatenate([w0, np.zeros(3)]))[:d]
    theta = np.concatenate([start, np.quantile(x @ start, [0.25, 0.5, 0.75]) + [0.0, 1e-3, 2e-3]])
    loss, grad = loss_grad(theta)
    eps = 1e-5
    for _ in range(iterations):
        hessian = np.empty((d + 3, d + 3))
        for j in range(d + 3):
            step = np.zeros(d + 3)
            step[j] = eps
            hessian[:, j] = (loss_grad(theta + step)[1] - loss_grad(theta - step)[1]) / (2 * eps)
        hessian = (hessian + hessian.T) / 2 + 1e-8 * np.eye(d + 3)
        # weights held at zero by their sign, with the gradient pushing across, stay out of the
        # Newton step (projected Newton over the free coordinates)
        held = (theta == 0.0) & (sign * grad > 0)
        free = ~held
        direction = np.zeros(d + 3)
        direction[free] = np.linalg.solve(hessian[np.ix_(free, free)], grad[free])
        scale = 1.0
        while scale > 1e-6:
            candidate = project(theta - scale * direction)
            cuts = candidate[d:]
            if cuts[0] < cuts[1] < cuts[2]:
                new_loss, new_grad = loss_grad(candidate)
                if new_loss <= loss:
                    break
            scale /= 2
        else:
            break
        improvement = loss - new_loss
        theta, loss, grad = candidate, new_loss, new_grad
        if improvement < 1e-10:
            break
    w, cuts = theta[:d], theta[d:]
    return LevelModel(
        version=version,
        weights={name: float(w[i]) for i, name in enumerate(FEATURES)},
        cuts=(float(cuts[0]), float(cuts[1]), float(cuts[2])),
        trained_on=trained_on,
    )
