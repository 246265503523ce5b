"""Evaluation: the labeled answer set, agreement metrics, and the leave-question-out harness."""

from pmloop.evaluation._fit import (
    PACKAGED_MODEL,
    PRIOR,
    fit,
    fit_with_adversarial,
    not_strong,
    write_level_model,
)
from pmloop.evaluation._labeled import STYLES, LabeledItem, LabeledSet, load_labeled
from pmloop.evaluation._metrics import (
    adjacent_agreement,
    confusion_matrix,
    exact_agreement,
    expected_calibration_error,
    pairwise_accuracy,
    pearson,
    quadratic_weighted_kappa,
    spearman,
)
from pmloop.evaluation._runner import (
    EVAL_SCHEMA,
    EvalCase,
    EvalReport,
    Metrics,
    feature_rows,
    run_eval,
)

__all__ = [
    "EVAL_SCHEMA",
    "PACKAGED_MODEL",
    "PRIOR",
    "STYLES",
    "EvalCase",
    "EvalReport",
    "LabeledItem",
    "LabeledSet",
    "Metrics",
    "adjacent_agreement",
    "confusion_matrix",
    "exact_agreement",
    "expected_calibration_error",
    "feature_rows",
    "fit",
    "fit_with_adversarial",
    "load_labeled",
    "not_strong",
    "pairwise_accuracy",
    "pearson",
    "quadratic_weighted_kappa",
    "run_eval",
    "spearman",
    "write_level_model",
]
