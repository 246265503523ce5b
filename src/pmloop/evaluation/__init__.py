"""Evaluation: labeled answers, leave-question-out fitting of the level model."""

from pmloop.evaluation._fit import (
    FoldResult,
    LabeledAnswer,
    bank_references,
    cross_validate,
    feature_rows,
    fit,
)

__all__ = [
    "FoldResult",
    "LabeledAnswer",
    "bank_references",
    "cross_validate",
    "feature_rows",
    "fit",
]
