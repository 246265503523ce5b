"""Grading: the ``Grader`` protocol, the ``Grade`` model, and the offline grader."""

from pmloop.grading._examiner import GRADERS, Examiner
from pmloop.grading._features import CONSEQUENCE_FEATURES, ConsequenceFeature
from pmloop.grading._grade import (
    GRADE_SCHEMA,
    CompetencyGrade,
    Evidence,
    FlagResult,
    Grade,
    GraderInfo,
    MissingSignal,
    QuestionRef,
    SignalResult,
)
from pmloop.grading._level import FEATURES, LevelModel, fit_level_model, load_level_model
from pmloop.grading._matching import MATCH_THRESHOLD, QuestionContext, QuestionResolver
from pmloop.grading._offline import Analysis, OfflineGrader, offline_grader
from pmloop.grading._protocol import Grader, check_answer

__all__ = [
    "CONSEQUENCE_FEATURES",
    "FEATURES",
    "GRADERS",
    "GRADE_SCHEMA",
    "MATCH_THRESHOLD",
    "Analysis",
    "CompetencyGrade",
    "ConsequenceFeature",
    "Evidence",
    "Examiner",
    "FlagResult",
    "Grade",
    "Grader",
    "GraderInfo",
    "LevelModel",
    "MissingSignal",
    "OfflineGrader",
    "QuestionContext",
    "QuestionRef",
    "QuestionResolver",
    "SignalResult",
    "check_answer",
    "fit_level_model",
    "load_level_model",
    "offline_grader",
]
