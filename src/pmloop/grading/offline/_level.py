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

from pmloop.grading._wordlists import word_lists
from pmloop.vocabulary import FLAG_CAPS, Level

__all__ = [
    "CAPS",
    "CAP_DRIVER",
    "FEATURES",
    "FEATURE_TABLE",
    "FLOOR_FEATURE",
    "FLOOR_RULES",
    "FOLLOW_UP_FLOOR",
    "THIN_FEATURE",
    "BRIEF_FEATURE",
    "MISCOUNT_FEATURE",
    "RESTATED_FEATURE",
    "JARGON_FEATURE",
    "SURFACE_RULES",
    "FEATURE_LABELS",
    "NEUTRAL_VALUES",
    "PRIOR_WEIGHTS",
    "FeatureSpec",
    "LevelModel",
    "LevelPrediction",
    "fit_level_model",
    "load_level_model",
    "scale",
]


@dataclass(frozen=True)
class FeatureSpec:
    """One feature of the level model: everything about it, in one row.

    ``cap`` is where the raw value the grader measures stops counting: the feature is
    ``min(raw, cap) / cap``, so it runs from 0 to 1 (no cap: the raw value is already a share).
    ``sign`` is the direction its weight may take (0: either); ``neutral`` the value at which it
    says nothing either way (drivers are measured from there); ``prior`` the weight a reviewer set
    before any fitting, which the fit shrinks towards.
    """

    name: str
    label: str
    sign: int
    prior: float
    cap: float | None = None
    neutral: float = 0.0


#: The features the model reads, in a fixed order; every grader run computes all of them. The
#: table is data (``features`` in ``offline/data/features.yaml``), the one place a feature is
#: named, labeled, signed and capped.
FEATURE_TABLE: tuple[FeatureSpec, ...] = tuple(
    FeatureSpec(
        name=row["name"],
        label=row["label"],
        sign=row["sign"],
        prior=row["prior"],
        cap=row.get("cap"),
        neutral=row.get("neutral", 0.0),
    )
    for row in word_lists().entry("features")["rows"]
)

FEATURES: tuple[str, ...] = tuple(f.name for f in FEATURE_TABLE)
#: The features the grader measures (the flag features are set from the flags it raises).
_MEASURED = frozenset(name for name in FEATURES if not name.startswith("flag_"))

#: The driver a grade lists when an anti-pattern held its level down (not a model feature).
CAP_DRIVER = "anti_pattern_cap"
#: The rule feature for a complete standard process: every strong rubric signal of a bank
#: question shown, with no flag. The guide calls that answer strong, so it is graded strong at
#: least, whatever its wording reads like (not a weighted feature; the driver it shows).
FLOOR_FEATURE = "complete_process"
#: The rule feature for a follow-up that asks for a call, answered with one: a call with its
#: condition and a bar a follow-up could test ("hold them to the pilot until the rate stays under
#: 1 in 1,000 for two weeks"), with no flag. That answers what was asked, so strong at least
#: (not a weighted feature; no labeled set has follow-up answers to fit one on).
FOLLOW_UP_FLOOR = "answers_the_follow_up"
#: The rule features that hold an answer at strong at least.
FLOOR_RULES: tuple[str, ...] = (FLOOR_FEATURE, FOLLOW_UP_FLOOR)
#: The rule feature for a line or two that takes up the case but shows no signal and nothing
#: specific: vague or incomplete, so surface at most (not a weighted feature).
THIN_FEATURE = "thin_answer"
#: The rule feature for a first answer too short to carry reasoning, whatever phrase it hits:
#: one apt sentence shows a candidate knows the words, not that they can work the case. Every
#: labeled strong or senior answer has at least 65 words; this rule starts well below that.
BRIEF_FEATURE = "brief_answer"
#: The rule feature for an answer that argues from its numbers and gets them wrong: a sum that
#: does not hold in an answer made mostly of numbers (or two that do not hold) is the case
#: itself failing, not a slip, so below bar at most (not a weighted feature).
MISCOUNT_FEATURE = "numbers_do_not_hold"

#: The rule feature for padding: a long answer whose sentences keep restating the question and
#: each other (most of its content words were already said) with nothing specific in it. One
#: idea said five ways is surface at most, however fluent (not a weighted feature).
RESTATED_FEATURE = "restates_itself"

#: The rule feature for vocabulary salad: dense AI and PM vocabulary in an answer that takes up
#: little of this case (its people, numbers, product). Terms with no case to attach them to are
#: the surface level's definition, so surface at most (not a weighted feature).
JARGON_FEATURE = "jargon_not_case"

#: The rule feature for an answer to a rich pasted case that names none of its numbers and
#: little else of it: it would fit any question, so surface at most (not a weighted feature).
GENERIC_FEATURE = "names_nothing_of_the_case"

#: The rule features that hold an answer at surface at most, the most telling first (a grade
#: names the first one that held it: a line too short for reasoning before what it says).
SURFACE_RULES: tuple[str, ...] = (
    BRIEF_FEATURE,
    THIN_FEATURE,
    RESTATED_FEATURE,
    JARGON_FEATURE,
    GENERIC_FEATURE,
)

#: What each feature measures, in the words a grade shows next to it (and the two rule drivers).
FEATURE_LABELS: dict[str, str] = {
    **{f.name: f.label for f in FEATURE_TABLE},
    CAP_DRIVER: "held down by what the answer shows (an anti-pattern, no call, off topic...)",
    FLOOR_FEATURE: "a complete, correct process for this case: strong at least",
    FOLLOW_UP_FLOOR: "the call the follow-up asked for, with its condition and a bar: strong "
    "at least",
    THIN_FEATURE: "a line or two with no signal and nothing specific: surface at most",
    BRIEF_FEATURE: "too short to show the reasoning behind it: surface at most",
    MISCOUNT_FEATURE: "argues from numbers that do not add up: below bar at most",
    RESTATED_FEATURE: "says one thing several ways, with nothing specific: surface at most",
    JARGON_FEATURE: "AI vocabulary with little of this case in it: surface at most",
    GENERIC_FEATURE: "names none of this case's numbers and little else of it: surface at most",
}

#: The direction each feature may push the level: a fitted weight never takes the other sign,
#: so no grade can say that numbers, reasons or named risks lowered it, or that buzzwords raised
#: it. Features with sign 0 (``pasted``) may go either way.
SIGNS: dict[str, int] = {f.name: f.sign for f in FEATURE_TABLE if f.sign}

#: The value at which a feature says nothing either way; drivers are measured from here.
NEUTRAL_VALUES: dict[str, float] = {f.name: f.neutral for f in FEATURE_TABLE if f.neutral}

#: Where each raw measurement stops counting (see ``FeatureSpec.cap``).
CAPS: dict[str, float] = {f.name: f.cap for f in FEATURE_TABLE if f.cap is not None}

#: The weights a reviewer set before any fitting.
PRIOR_WEIGHTS: dict[str, float] = {f.name: f.prior for f in FEATURE_TABLE}


def scale(raw: Mapping[str, float]) -> dict[str, float]:
    """Turn the grader's raw measurements into features: each capped one to 0-1."""
    if raw.keys() != _MEASURED:
        raise ValueError(
            f"features other than the feature table's: {sorted(raw.keys() ^ _MEASURED)}"
        )
    out = dict(raw)
    for name, cap in CAPS.items():
        if name in out:
            out[name] = min(max(out[name], 0.0), cap) / cap
    return out


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
            # held in the middle of the capped level's band, so the score says "plainly at
            # most this level", not "almost the next one"
            lower = self.cuts[cap - 2] if cap >= 2 else self.cuts[0] - self.band_width()
            latent = min(latent, (lower + self.cuts[cap - 1]) / 2)
        elif any(features.get(rule, 0.0) for rule in SURFACE_RULES):
            latent = min(latent, (self.cuts[0] + self.cuts[1]) / 2)
        elif cap is None and any(features.get(rule, 0.0) for rule in FLOOR_RULES):
            # the middle of the strong band: a complete process is plainly strong
            latent = max(latent, (self.cuts[1] + self.cuts[2]) / 2)
        return self.from_latent(latent)

    @staticmethod
    def cap(features: Mapping[str, float]) -> int | None:
        """The highest level the flags in ``features`` allow, or None when none caps."""
        caps = [
            int(level)
            for flag, level in FLAG_CAPS.items()
            if features.get(f"flag_{flag.value}", 0.0)
        ]
        if features.get(MISCOUNT_FEATURE, 0.0):
            caps.append(int(Level.BELOW_BAR))
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
            "caps": dict(CAPS),
            "weights": {name: round(self.weights.get(name, 0.0), 4) for name in FEATURES},
            "cuts": [round(c, 4) for c in self.cuts],
        }


def load_level_model(path: Path | None = None) -> LevelModel:
    """Load the level model shipped with pmloop, or one from ``path``."""
    if path is None:
        text = (
            resources.files("pmloop.grading.offline")
            .joinpath("data", "level_model.json")
            .read_text()
        )
    else:
        text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    # a model fitted on other features, or on features scaled another way, reads different
    # numbers: refuse it
    names = data.get("features")
    if names is not None and tuple(names) != FEATURES:
        raise ValueError(
            "level model was fitted on other features than the feature table; refit it"
        )
    caps = data.get("caps")
    if caps is not None and {k: float(v) for k, v in caps.items()} != CAPS:
        raise ValueError("level model was fitted with other feature caps; refit it")
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
    up_to: Sequence[int] | None = None,
    row_weights: Sequence[float] | None = None,
) -> LevelModel:
    """Fit weights and cut points by maximum likelihood, shrunk towards ``prior``.

    ``row_weights`` weighs each row's likelihood (default: all 1), so that one kind of row can
    count for no more than another however many of it there are.

    ``up_to`` gives each row the highest level that also fits its label (default: the label
    itself): a row labeled 1 with ``up_to`` 2 says "not strong" and nothing about where below
    strong, so it holds the answer under the strong cut point without pulling it, and the
    surface answers near it, below bar.

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
    top = y if up_to is None else np.asarray(up_to, dtype=np.int64)
    if top.shape != (n,) or np.any(top < y) or np.any(top > 4):
        raise ValueError("up_to needs one level per row, from the row's label to 4")
    r = np.ones(n) if row_weights is None else np.asarray(row_weights, dtype=np.float64)
    if r.shape != (n,) or np.any(r <= 0):
        raise ValueError("row_weights needs one positive weight per row")
    r = r * (n / r.sum())  # the mean weight is 1, so the penalty keeps its strength
    w0 = np.array([(prior or {}).get(name, 0.0) for name in FEATURES])
    sign = np.array([SIGNS.get(name, 0) for name in FEATURES] + [0, 0, 0], dtype=np.float64)

    def project(theta: Any) -> Any:
        # a signed weight that would cross zero stops at zero
        return np.where(sign * theta < 0, 0.0, theta)

    def loss_grad(theta: Any) -> tuple[float, Any]:
        w, cuts = theta[:d], theta[d:]
        eta = x @ w
        upper = np.concatenate([cuts, [np.inf]])[top - 1]
        lower = np.concatenate([[-np.inf], cuts])[y - 1]
        s_up = 1 / (1 + np.exp(-(upper - eta)))
        s_lo = 1 / (1 + np.exp(-(lower - eta)))
        p = np.clip(s_up - s_lo, 1e-12, None)
        loss = -np.mean(r * np.log(p)) + 0.5 * l2 * np.sum((w - w0) ** 2)
        d_up = r * s_up * (1 - s_up) / p
        d_lo = -r * s_lo * (1 - s_lo) / p
        grad_w = (x.T @ (d_up + d_lo)) / n + l2 * (w - w0)
        grad_c = np.array(
            [-(np.sum(d_up[top == k + 1]) + np.sum(d_lo[y == k + 2])) / n for k in range(3)]
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
