"""The JSON API's request and response bodies, as pydantic models.

They are what ``/openapi.json`` describes: each JSON route declares its response model, and
errors are ``{"error": "..."}`` (``ErrorBody``) whatever their status.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from pmloop.grading import Grade
from pmloop.grading._grade import published
from pmloop.vocabulary import Competency

__all__ = [
    "API_ERRORS",
    "MAX_ANSWER_CHARS",
    "MAX_DEPTH",
    "AnswerRecord",
    "AnswerRequest",
    "AnswerResult",
    "AskRequest",
    "AskResult",
    "CohortLearner",
    "ErrorBody",
    "GradeRequest",
    "ProgressBody",
    "PromptBody",
    "PublishedGrade",
    "SessionDetail",
    "SessionSummary",
    "StakeholderBody",
    "StartRequest",
    "TrendPoint",
]

#: The longest answer the web forms accept, in characters (the word limit applies too).
MAX_ANSWER_CHARS = 30_000
#: the deepest answer position: a roleplay runs up to 8 turns (depths 0-7)
MAX_DEPTH = 7


class ErrorBody(BaseModel):
    """What every API error says, whatever its status."""

    error: str = Field(description="What went wrong, in one sentence, and what to do.")


#: The error statuses every API route may answer with, for the schema.
API_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": what}
    for status, what in (
        (401, "Not signed in (shared server)."),
        (403, "A change from another site, or without its CSRF token."),
        (404, "No such session or question (or not yours)."),
        (409, "An answer for a position the session is not waiting for."),
        (422, "Malformed input."),
        (503, "The database is not answering; retry after Retry-After seconds."),
    )
}


# requests ------------------------------------------------------------------------------------
class StartRequest(BaseModel):
    """Settings for a new loop."""

    company: str = Field(default="general", description="Loop profile.")
    competencies: list[Competency] = Field(default_factory=list, description="Only these.")
    questions: int = Field(default=4, ge=1, le=12, description="Questions in the loop.")
    minutes: float = Field(default=4.0, gt=0, le=60, description="Soft time per answer.")
    seed: int | None = Field(default=None, description="Same seed, same questions.")


class AnswerRequest(BaseModel):
    """An answer (or a skip) to the session's current prompt."""

    question_index: int = Field(ge=0, description="0-based question the answer is for.")
    depth: int = Field(
        ge=0,
        le=MAX_DEPTH,
        description="0 for the question, then 1-3 for follow-ups; a roleplay's later turns go "
        "to its stakeholder's max_turns - 1 (at most 7). The session's `next` says which.",
    )
    text: str = Field(default="", max_length=MAX_ANSWER_CHARS, description="The answer.")
    command: str = Field(default="answer", pattern="^(answer|skip)$", description="answer/skip.")
    idempotency_key: str | None = Field(
        default=None,
        description="Your name for this submission (or the Idempotency-Key header): sent again, "
        "after a timeout or an error, it returns the stored answer instead of a conflict.",
    )
    self_level: int | None = Field(
        default=None, ge=1, le=4, description="The level you predict for it (self-calibration)."
    )


class AskRequest(BaseModel):
    """An ask put to an ambiguity question's interviewer before answering."""

    question_index: int = Field(ge=0, description="0-based question the ask is for.")
    depth: int = Field(default=0, ge=0, le=MAX_DEPTH, description="The current prompt's depth.")
    text: str = Field(max_length=500, description="The ask, in plain words.")


class GradeRequest(BaseModel):
    """One answer to grade, to a question given by text or bank id."""

    question: str | None = Field(default=None, max_length=2000, description="Question text.")
    question_id: str | None = Field(default=None, max_length=80, description="Bank id.")
    answer: str = Field(max_length=MAX_ANSWER_CHARS, description="The answer.")


# responses -----------------------------------------------------------------------------------
def _published_schema(schema: dict[str, Any]) -> None:
    for hidden in ("drivers", "register"):
        schema.get("properties", {}).pop(hidden, None)


class PublishedGrade(Grade):
    """A grade as schema ``pmloop.grade/1`` publishes it (what ``pmloop grade --format json``
    prints): without the on-screen explanations, and ``turn``/``thread`` only in a thread's."""

    model_config = ConfigDict(json_schema_extra=_published_schema)

    # no return annotation: pydantic then documents the model's own fields, not "any value"
    @model_serializer(mode="wrap")
    def _published(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        data = handler(self)
        if not isinstance(data, dict):  # pragma: no cover - a model always dumps to a dict
            return data
        return published(data)

    @classmethod
    def from_grade(cls, grade: Grade) -> PublishedGrade:
        """The published form of a grade."""
        return cls.model_validate(grade.model_dump(by_alias=True))

    @classmethod
    def of(cls, grade: Grade | dict[str, Any] | None) -> PublishedGrade | None:
        """The published form of a grade, or of a stored one (its JSON)."""
        if grade is None:
            return None
        return cls.from_grade(grade) if isinstance(grade, Grade) else cls.model_validate(grade)


class SessionSummary(BaseModel):
    """One session, as listed."""

    id: str = Field(description="Session id (commands take a unique prefix).")
    created_at: str = Field(description="When it started, ISO 8601 with its UTC offset.")
    company: str = Field(description="Loop profile.")
    kind: str = Field(description="practice or drill.")
    status: str = Field(description="active or finished.")
    questions: int = Field(description="Questions planned.")
    started: int = Field(description="Questions with at least one answer.")
    level: int | None = Field(description="Average level of the competencies assessed so far.")


class PromptBody(BaseModel):
    """The prompt a session waits for."""

    question_index: int = Field(description="0-based question.")
    depth: int = Field(description="0 the question, then follow-ups.")
    question_id: str = Field(description="Bank id of the question.")
    text: str = Field(description="What to answer.")
    kind: str = Field(description="question, or the kind of follow-up.")
    format: str = Field(description="The question's format: interview, ambiguity or roleplay.")
    scenario: str | None = Field(description="The question's scenario (on the question only).")
    draft: str = Field(description="The draft saved for this answer, if any.")
    minutes: float = Field(description="Soft time for the answer.")


class AnswerRecord(BaseModel):
    """One stored answer with its grade."""

    question_index: int
    depth: int
    prompt: str = Field(description="The question or follow-up answered.")
    kind: str = Field(description="question, or the kind of follow-up.")
    answer: str
    skipped: bool
    level: int | None = Field(description="The answer's level, once graded.")
    grade: PublishedGrade | None = Field(description="The answer's grade, once graded.")


class SessionDetail(SessionSummary):
    """A session: its plan, its answers with grades, and the prompt it waits for."""

    plan: list[str] = Field(description="Bank ids of the planned questions.")
    answers: list[AnswerRecord]
    next: PromptBody | None = Field(description="What to answer next; null when finished.")


class StakeholderBody(BaseModel):
    """A roleplay's stakeholder after a turn."""

    says: str = Field(description="What the stakeholder says to the turn.")
    met: list[str] = Field(description="Ids of the concerns met so far.")
    outcome: str = Field(description="open, satisfied (every concern met) or unresolved.")


class AskResult(BaseModel):
    """The interviewer's reply to an ask."""

    fact_id: str | None = Field(description="The hidden fact revealed; null for none.")
    reply: str = Field(description='The fact, or "We don\'t know that."')


class AnswerResult(SessionDetail):
    """The session after an answer, with that answer's grade."""

    grade: PublishedGrade | None = Field(description="This answer's grade (null for a skip).")
    thread: PublishedGrade | None = Field(
        default=None,
        description="The question's grade over every answer so far (absent on a replay).",
    )
    stakeholder: StakeholderBody | None = Field(
        default=None, description="Roleplay: the stakeholder's reply to this turn."
    )
    discovery: str | None = Field(
        default=None,
        description="Ambiguity, on the answer to the question: which facts that change the "
        "call were asked for before it.",
    )

    @model_serializer(mode="wrap")
    def _replay(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        data = handler(self)
        if isinstance(data, dict) and "thread" not in self.model_fields_set:
            data.pop("thread", None)  # a replayed answer says nothing of the thread, as before
        return data


class TrendPoint(BaseModel):
    """A competency's level in one session."""

    session: str = Field(description="Session id.")
    at: str = Field(description="When the session started, ISO 8601.")
    level: float = Field(description="The competency's level in that session (1-4).")


class ProgressBody(BaseModel):
    """Each competency's level per session, oldest first, and the weakest competency."""

    sessions: int = Field(description="Sessions counted.")
    weakest: Competency | None = Field(description="The competency to work on first.")
    trends: dict[str, list[TrendPoint]] = Field(description="Per competency id, oldest first.")


class CohortLearner(ProgressBody):
    """One learner of a coach's cohort and their progress."""

    learner: str = Field(description="The learner's username.")
