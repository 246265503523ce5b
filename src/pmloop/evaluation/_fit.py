"""Fit the offline grader's level model from labeled answers.

The model is small and versioned: ``pmloop eval --write-model`` refits it from ``data/labeled/``
and the bank's reference answers and stores it in ``pmloop/grading/offline/data/level_model.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from pmloop.grading import LevelModel, fit_level_model, load_level_model
from pmloop.grading.offline._level import PRIOR_WEIGHTS

__all__ = [
    "PRIOR",
    "PACKAGED_MODEL",
    "fit",
    "fit_with_adversarial",
    "not_strong",
    "write_level_model",
]

#: Where the packaged level model lives (in a source checkout).
PACKAGED_MODEL = (
    Path(__file__).resolve().parent.parent / "grading" / "offline" / "data" / "level_model.json"
)

#: The weights a reviewer set before any fitting; fitting shrinks towards them.
PRIOR = LevelModel(version="prior", weights=dict(PRIOR_WEIGHTS), cuts=(1.2, 2.4, 3.8))


def fit(
    rows: Sequence[tuple[Mapping[str, float], int]],
    prior: LevelModel,
    version: str,
    source: str,
    up_to: Sequence[int] | None = None,
    row_weights: Sequence[float] | None = None,
) -> LevelModel:
    """Fit a level model on ``rows`` (features, label), shrunk towards the weights of ``prior``;
    ``up_to`` gives each row the highest level that also fits its label (default its label),
    ``row_weights`` how much each row counts (default 1)."""
    return fit_level_model(
        rows,
        version=version,
        trained_on=source,
        prior=prior.weights,
        up_to=up_to,
        row_weights=row_weights,
    )


def not_strong(label: int) -> int:
    """The highest level that fits an adversarial answer's label in the packaged model's fit.

    Adversarial answers are built to sound better than they are (a polished answer to another
    question, a wrong call in senior words): they are what teaches the model that wording which
    reads like a strong answer is not one. What puts most of them below bar is a substance check
    (off topic, red line, no call), not their wording, so one labeled below bar says "not strong"
    to the model (1 or 2) and leaves the line between surface and below bar to the ordinary
    labeled answers. Fitted as exact labels they pulled data/holdout's surface answers down to
    below bar (exact agreement 0.62 to 0.51).
    """
    return 2 if label == 1 else label


def fit_with_adversarial(
    rows: Sequence[tuple[Mapping[str, float], int]],
    adversarial: Sequence[tuple[Mapping[str, float], int]],
    version: str,
    source: str,
) -> LevelModel:
    """The packaged model's recipe: ``rows`` at their labels, ``adversarial`` rows with below
    bar read as not strong, shrunk towards ``PRIOR``. The adversarial rows together count for no
    more than the ordinary ones: as the adversarial set grew past the labeled one (1,736 to
    1,484), its "not strong" pull moved short sound answers on pasted questions below the strong
    cut and data/holdout's agreement down (QWK 0.756 to 0.749)."""
    up_to = [label for _, label in rows] + [not_strong(label) for _, label in adversarial]
    share = min(1.0, len(rows) / len(adversarial)) if adversarial else 1.0
    row_weights = [1.0] * len(rows) + [share] * len(adversarial)
    return fit([*rows, *adversarial], PRIOR, version, source, up_to=up_to, row_weights=row_weights)


def write_level_model(model: LevelModel, path: Path = PACKAGED_MODEL) -> Path:
    """Store ``model`` as JSON and check that it loads back."""
    path.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
    load_level_model(path)
    return path
