"""The question bank: models, loading and validation, and the packaged questions."""

from pmloop.bank._loader import (
    Bank,
    bank_files,
    default_bank_path,
    load_bank,
    validate_bank,
    yaml_syntax_problem,
)
from pmloop.bank._models import (
    Concern,
    HiddenFact,
    Probe,
    Question,
    ReferenceAnswers,
    Signal,
    Stakeholder,
    word_count,
)

__all__ = [
    "Bank",
    "Concern",
    "HiddenFact",
    "Probe",
    "Question",
    "ReferenceAnswers",
    "Signal",
    "Stakeholder",
    "bank_files",
    "default_bank_path",
    "load_bank",
    "validate_bank",
    "word_count",
    "yaml_syntax_problem",
]
