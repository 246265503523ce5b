"""Fit the offline grader's level model from labeled answers, and measure it honestly.

Until the labeled set exists, the labeled answers are the bank's reference answers: four per
question, one at each level. Every figure this module reports comes from leave-question-out
folds, so no answer is graded by weights fitted on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pmloop.bank import Bank
from pmloop.grading import Examiner, LevelModel, OfflineGrader, fit_level_model
from pmloop.vocabulary import Level

__all__ = [
    "LabeledAnswer",
    "FoldResult",
    "bank_references",
    "cross_validate",
    "feature_rows",
    "fit",
]


@dataclass(frozen=True)
class LabeledAnswer:
    """An answer to a bank question with the level a reviewer gave it."""

    question_id: str
    answer: str
    level: int


@dataclass(frozen=True)
class FoldResult:
    """The leave-question-out prediction for one labeled answer."""

    item: LabeledAnswer
    predicted: int


def bank_references(bank: Bank) -> list[LabeledAnswer]:
    """The bank's reference answers as labeled answers."""
    return [
        LabeledAnswer(question.id, question.references.at(level), level.value)
        for question in bank
        for level in Level
    ]


def feature_rows(
    examiner: Examiner, items: Sequence[LabeledAnswer]
) -> list[tuple[Mapping[str, float], int]]:
    """The grader's features for each labeled answer, paired with its label."""
    grader = examiner.grader
    if not isinstance(grader, OfflineGrader):
        raise TypeError("only the offline grader has a level model to fit")
    rows = []
    for item in items:
        context = examiner.resolver.by_id(item.question_id)
        rows.append((grader.analyse(context, item.answer).features, item.level))
    return rows


def fit(
    rows: Sequence[tuple[Mapping[str, float], int]], prior: LevelModel, version: str, source: str
) -> LevelModel:
    """Fit a level model on ``rows``, shrunk towards the weights of ``prior``."""
    return fit_level_model(rows, version=version, trained_on=source, prior=prior.weights, l2=0.02)


def cross_validate(
    items: Sequence[LabeledAnswer],
    rows: Sequence[tuple[Mapping[str, float], int]],
    prior: LevelModel,
) -> list[FoldResult]:
    """Leave-one-question-out predictions for every item."""
    results = []
    for question_id in dict.fromkeys(item.question_id for item in items):
        train = [
            row for item, row in zip(items, rows, strict=True) if item.question_id != question_id
        ]
        model = fit(train, prior, "cv", "cv")
        for item, (features, _) in zip(items, rows, strict=True):
            if item.question_id == question_id:
                results.append(FoldResult(item, model.predict(features).level))
    return results
