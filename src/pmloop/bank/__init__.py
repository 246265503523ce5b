"""The question bank: models, loading and validation, and the packaged questions."""

from pmloop.bank._loader import (
    Bank,
    bank_files,
    default_bank_path,
    load_bank,
    validate_bank,
    yaml_syntax_problem,
)
from pmloop.bank._models import Probe, Question, ReferenceAnswers, Signal, word_count

__all__ = [
    "Bank",
    "Probe",
    "Question",
    "ReferenceAnswers",
    "Signal",
    "bank_files",
    "default_bank_path",
    "load_bank",
    "validate_bank",
    "word_count",
    "yaml_syntax_problem",
]
