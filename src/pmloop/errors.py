"""Every error pmloop raises on purpose.

```
PmloopError                      base of everything below
├── InputError                   the user gave something we cannot use (CLI exit 2, HTTP 4xx)
│   ├── EmptyAnswerError         answer is empty or whitespace
│   ├── AnswerTooLongError       answer is over the configured word limit
│   ├── AnswerFileError          answer file is missing, unreadable or not UTF-8
│   ├── UnknownQuestionError     no bank question has this id
│   ├── BankError                a bank file is malformed (carries every problem found)
│   │   └── LabeledSetError      a labeled-answer file is malformed
│   ├── BatchLineError           a --batch line is not a {"question", "answer"} object
│   ├── SettingsError            an environment variable holds a value pmloop cannot use
│   ├── UnknownGraderError       no grader is registered under the name asked for
│   └── AudioError               a spoken answer cannot be used (format, length, silence, mic)
├── SetupError                   pmloop itself cannot run here (CLI exit 1)
│   ├── DependencyError          an optional package is missing (says what to install)
│   └── ModelIntegrityError      the embedding model file does not match its published hash
└── StoreError                   the session database cannot be used (CLI exit 1)
    ├── CorruptDatabaseError     the file is not a readable pmloop database
    ├── NewerDatabaseError       the database was written by a newer pmloop
    ├── UnsavedAnswerError       an answer could not be stored (carries its text)
    ├── UnknownSessionError      no session has the requested id (CLI exit 2)
    └── AnswerExistsError        that question or follow-up already has an answer (HTTP 409)
```

Only the CLI and the web layer turn these into exit codes and HTTP statuses.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AnswerExistsError",
    "AnswerFileError",
    "AnswerTooLongError",
    "AudioError",
    "BankError",
    "BankProblem",
    "BatchLineError",
    "DependencyError",
    "EmptyAnswerError",
    "InputError",
    "LabeledSetError",
    "LexiconError",
    "ModelIntegrityError",
    "PmloopError",
    "SettingsError",
    "SetupError",
    "StoreError",
    "CorruptDatabaseError",
    "NewerDatabaseError",
    "UnknownSessionError",
    "UnknownGraderError",
    "UnknownQuestionError",
    "UnsavedAnswerError",
]


class PmloopError(Exception):
    """Base class of every error pmloop raises on purpose."""


class InputError(PmloopError):
    """The user gave pmloop something it cannot use."""


class EmptyAnswerError(InputError):
    """The answer is empty or only whitespace."""


class AnswerTooLongError(InputError):
    """The answer is longer than the configured word limit."""


class AnswerFileError(InputError):
    """The answer file cannot be read as UTF-8 text."""


class UnknownQuestionError(InputError):
    """No bank question has the requested id."""

    def __init__(self, question_id: str, suggestions: list[str]) -> None:
        self.question_id = question_id
        self.suggestions = suggestions
        hint = f"; closest ids: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown question id '{question_id}'{hint}")


@dataclass(frozen=True)
class BankProblem:
    """One problem in one bank file, located as precisely as the file allows."""

    file: str
    line: int | None
    question_id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        who = f" question '{self.question_id}'" if self.question_id else ""
        field = f" field '{self.field}'" if self.field else ""
        if not who and not field:
            return f"{where}: {self.message}"
        return f"{where}:{who}{field}: {self.message}"


class BankError(InputError):
    """One or more bank files are malformed; ``problems`` lists every one found."""

    what = "question bank"

    def __init__(self, problems: list[BankProblem]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"invalid {self.what}: {problems[0]}{more}")


class LexiconError(BankError):
    """One or more of the offline grader's word-list files are malformed."""

    what = "grader word lists"


class LabeledSetError(BankError):
    """One or more labeled-answer files are malformed."""

    what = "labeled set"


class BatchLineError(InputError):
    """A line of a --batch file is not a usable question/answer object."""


class AudioError(InputError):
    """A spoken answer cannot be used: unsupported or unreadable audio, too long, silent, or
    no microphone to record from."""


class SettingsError(InputError):
    """An environment variable holds a value pmloop cannot use; the message names it."""


class UnknownGraderError(InputError):
    """No grader is registered under the requested name; the message lists the available."""


class SetupError(PmloopError):
    """pmloop cannot run on this machine as installed."""


class DependencyError(SetupError):
    """An optional dependency is missing."""

    def __init__(self, package: str, feature: str) -> None:
        super().__init__(f"{feature} needs the '{package}' package: pip install '{package}'")


class ModelIntegrityError(SetupError):
    """The embedding model file does not match the hash this package publishes."""


class StoreError(PmloopError):
    """The session database cannot be used; it is left exactly as it was."""


class CorruptDatabaseError(StoreError):
    """The database file cannot be read as a pmloop database."""


class NewerDatabaseError(StoreError):
    """The database carries a schema revision this pmloop does not know."""


class UnsavedAnswerError(StoreError):
    """A submitted answer could not be stored (a full disk, say); ``text`` is what was typed."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.text = text


class UnknownSessionError(StoreError, InputError):
    """No stored session has the requested id."""


class AnswerExistsError(StoreError, InputError):
    """The session already has an answer at this question or follow-up."""
