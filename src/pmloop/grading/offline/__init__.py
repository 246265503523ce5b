"""The offline grader: rubric signals, substance checks and a fitted level model, no network.

How it decides is in ``docs/grading.md``. Its modules are private; this package exports what
other parts of pmloop (the evaluation harness, the shared ``pmloop.grading`` interface) use.
"""

from pmloop.grading.offline._features import CONSEQUENCE_FEATURES, ConsequenceFeature
from pmloop.grading.offline._grader import (
    Analysis,
    OfflineGrader,
    build_offline_grader,
    offline_grader,
)
from pmloop.grading.offline._level import (
    FEATURES,
    LevelModel,
    fit_level_model,
    load_level_model,
)

__all__ = [
    "CONSEQUENCE_FEATURES",
    "FEATURES",
    "Analysis",
    "ConsequenceFeature",
    "LevelModel",
    "OfflineGrader",
    "build_offline_grader",
    "fit_level_model",
    "load_level_model",
    "offline_grader",
]
