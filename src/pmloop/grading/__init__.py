"""Grading: the ``Grader`` protocol, the ``Grade`` model, the registry, and the offline grader."""

from pmloop.grading._examiner import Examiner
from pmloop.grading._grade import (
    GRADE_SCHEMA,
    CompetencyGrade,
    DraftedRedLine,
    DraftedRubric,
    DraftedSignal,
    Evidence,
    FlagResult,
    FollowUpTarget,
    Grade,
    GraderInfo,
    JudgeInfo,
    MissingSignal,
    QuestionRef,
    SignalResult,
    ThreadInfo,
    Usage,
    total_usage,
)
from pmloop.grading._matching import MATCH_THRESHOLD, QuestionContext, QuestionResolver
from pmloop.grading._protocol import Grader, check_answer
from pmloop.grading._registry import (
    GRADER_GROUP,
    GraderFactory,
    GraderUnavailableError,
    build_grader,
    grader_factory,
    grader_names,
)
from pmloop.grading._similar import NEAR_DUPLICATE, QuestionSimilarity, texts_hash_of_signals
from pmloop.grading._thread import (
    THREAD_RULE,
    ThreadAnswer,
    combine_thread,
    thread_feedback,
    thread_level,
)
from pmloop.grading.offline._features import CONSEQUENCE_FEATURES, ConsequenceFeature
from pmloop.grading.offline._feedback import candidate_terms, term_probe
from pmloop.grading.offline._grader import (
    Analysis,
    OfflineGrader,
    build_offline_grader,
    offline_grader,
)
from pmloop.grading.offline._level import FEATURES, LevelModel, fit_level_model, load_level_model

__all__ = [
    "CONSEQUENCE_FEATURES",
    "FEATURES",
    "GRADER_GROUP",
    "GRADE_SCHEMA",
    "MATCH_THRESHOLD",
    "NEAR_DUPLICATE",
    "Analysis",
    "DraftedRedLine",
    "DraftedRubric",
    "DraftedSignal",
    "CompetencyGrade",
    "ConsequenceFeature",
    "Evidence",
    "Examiner",
    "FlagResult",
    "FollowUpTarget",
    "Grade",
    "Grader",
    "GraderFactory",
    "GraderInfo",
    "JudgeInfo",
    "GraderUnavailableError",
    "LevelModel",
    "MissingSignal",
    "OfflineGrader",
    "QuestionContext",
    "QuestionRef",
    "QuestionResolver",
    "QuestionSimilarity",
    "SignalResult",
    "THREAD_RULE",
    "ThreadAnswer",
    "ThreadInfo",
    "Usage",
    "build_grader",
    "build_offline_grader",
    "candidate_terms",
    "check_answer",
    "combine_thread",
    "fit_level_model",
    "grader_factory",
    "grader_names",
    "load_level_model",
    "offline_grader",
    "term_probe",
    "texts_hash_of_signals",
    "thread_feedback",
    "thread_level",
    "total_usage",
]
