"""The ``Grade`` model: what every grader returns, serialised as schema ``pmloop.grade/1``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pmloop.vocabulary import Competency, Flag, Level

__all__ = [
    "GRADE_SCHEMA",
    "CompetencyGrade",
    "Driver",
    "DraftedRedLine",
    "DraftedRubric",
    "DraftedSignal",
    "Evidence",
    "FlagResult",
    "FollowUpTarget",
    "Grade",
    "GraderInfo",
    "JudgeInfo",
    "MissingSignal",
    "QuestionRef",
    "RegisterReading",
    "SignalResult",
    "ThreadInfo",
    "Usage",
    "total_usage",
]

GRADE_SCHEMA = "pmloop.grade/1"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class QuestionRef(_Model):
    """The question as graded, and how it was matched to the bank."""

    text: str = Field(description="The question text the answer was graded against.")
    bank_id: str | None = Field(description="The matched bank question, if any.")
    match_similarity: float | None = Field(
        description="Cosine similarity of the pasted question to the matched bank question."
    )
    competencies: list[Competency] = Field(description="Competencies graded, primary first.")


class Evidence(_Model):
    """A verbatim quote from the answer and the signal it supports."""

    quote: str = Field(description="A verbatim substring of the answer.")
    signal: str = Field(description="Id of the signal or feature the quote shows.")
    turn: int | None = Field(
        default=None,
        description="In a thread's grade: the answer the quote comes from (0 = the question, "
        "1-3 = follow-ups). Absent from a single answer's grade.",
    )


class CompetencyGrade(_Model):
    """The level reached on one competency, with the quotes behind it."""

    id: Competency = Field(description="Competency id.")
    level: int = Field(ge=1, le=4, description="Level 1-4 on this competency.")
    score: float = Field(ge=0, le=100, description="Score 0-100 on this competency.")
    evidence: list[Evidence] = Field(description="Quotes that support the level.")


class SignalResult(_Model):
    """Whether the answer showed one rubric signal."""

    id: str = Field(description="Signal id.")
    label: str = Field(description="What the signal is.")
    level: Literal["strong", "senior"] = Field(description="The level the signal belongs to.")
    met: bool = Field(description="Whether the answer shows it.")
    quotes: list[str] = Field(description="Verbatim quotes that show it (empty when unmet).")
    turn: int | None = Field(
        default=None, description="In a thread's grade: the answer whose quotes show it."
    )


class FlagResult(_Model):
    """An anti-pattern raised, with the quote that raised it."""

    id: Flag = Field(description="Flag id.")
    quote: str = Field(description="The verbatim sentence that raised the flag.")
    explanation: str = Field(description="Why this costs the candidate, in one or two sentences.")
    turn: int | None = Field(
        default=None, description="In a thread's grade: the answer that raised it."
    )


class MissingSignal(_Model):
    """A signal the answer did not show, most important first."""

    id: str = Field(description="Signal id.")
    label: str = Field(description="What the signal is.")
    why_it_matters: str = Field(description="Why an interviewer wants it.")


class Driver(_Model):
    """One feature of the level model and how far it moved the level."""

    feature: str = Field(description="Feature name, as in the level model file.")
    label: str = Field(description="What the feature measures.")
    value: float = Field(description="The feature's value for this answer, 0-1.")
    contribution: float = Field(
        description="Weight times (value minus the feature's neutral value), in latent units; "
        "positive raises the level."
    )


class RegisterReading(_Model):
    """Which of the bank's reference answers, on other questions, the wording reads like."""

    level: float = Field(ge=1, le=4, description="Similarity-weighted level of the nearest ones.")
    reads_like: list[str] = Field(
        description="The closest reference answers, as 'question-id (level)'."
    )
    shared_terms: list[str] = Field(description="Word stems shared with the closest ones.")


FollowUpKind = Literal["signal", "term", "flag", "pressure", "general", "none"]


class FollowUpTarget(_Model):
    """What the follow-up probes, so no reader has to parse its sentence."""

    kind: FollowUpKind = Field(
        description="signal: a missing rubric signal or habit; term: a term the candidate "
        "introduced and left unexplained; flag: an anti-pattern; pressure: a push on the "
        "candidate's position; general: none of these; none: no follow-up (a loop moved on)."
    )
    target: str | None = Field(
        default=None, description="The signal id, the term or the flag id it probes."
    )
    by: str | None = Field(
        default=None,
        description="The model that worded the follow-up (e.g. 'openai:gpt-4o-mini'); absent "
        "when the offline interviewer did.",
    )


class ThreadInfo(_Model):
    """How a thread's grade was put together from the grades of its answers."""

    levels: list[int] = Field(description="Each answer's own level, the question first.")
    rule: str = Field(description="How the thread's level follows from them.")


class GraderInfo(_Model):
    """Which grader produced the grade."""

    name: str = Field(description="Grader name, as given to --grader.")
    version: str = Field(description="Grader version, including its level model version.")
    model: str | None = Field(
        default=None,
        description="For an LLM-backed grade: the provider and model that judged it "
        "(e.g. 'openai:gpt-4o-mini'). Absent from an offline grade.",
    )


class Usage(_Model):
    """What the LLM calls behind one grade cost: tokens, time and, when priced, money."""

    calls: int = Field(ge=0, description="Requests sent to the model (0 when served from cache).")
    input_tokens: int = Field(ge=0, description="Prompt tokens billed, as the server counted.")
    output_tokens: int = Field(ge=0, description="Completion tokens billed.")
    latency_ms: int = Field(ge=0, description="Wall time spent waiting on the model.")
    cost_usd: float | None = Field(
        default=None, description="Cost in US dollars; absent unless prices are configured."
    )
    cached: bool = Field(default=False, description="True when the reply came from the cache.")


def total_usage(usages: Iterable[Usage | None]) -> Usage | None:
    """The sum of several grades' usage (a session's), or None when none called a model."""
    present = [u for u in usages if u is not None]
    if not present:
        return None
    costs = [u.cost_usd for u in present if u.cost_usd is not None]
    return Usage(
        calls=sum(u.calls for u in present),
        input_tokens=sum(u.input_tokens for u in present),
        output_tokens=sum(u.output_tokens for u in present),
        latency_ms=sum(u.latency_ms for u in present),
        cost_usd=round(sum(costs), 6) if costs else None,
        cached=all(u.cached for u in present),
    )


class JudgeInfo(_Model):
    """How an LLM-backed grade was reached: both levels, and what happened to the quotes."""

    llm_level: int | None = Field(
        description="The level the model gave (null when no valid reply came back)."
    )
    offline_level: int = Field(ge=1, le=4, description="The offline grader's level.")
    quotes_kept: int = Field(ge=0, description="Quotes found verbatim in the answer.")
    quotes_snapped: int = Field(
        ge=0, description="Near-miss quotes replaced by the verbatim span they meant."
    )
    quotes_dropped: int = Field(ge=0, description="Quotes not found in the answer, dropped.")
    rule: str = Field(description="Why the grade's level is what it is.")
    disagreement: bool = Field(
        default=False, description="True when the two levels are two or more apart."
    )


class DraftedSignal(_Model):
    """One thing a good answer to a pasted question shows, as a model drafted it."""

    id: str = Field(description="'drafted.1', 'drafted.2', …; the id its signal has in the grade.")
    label: str = Field(description="What a good answer does.")
    level: Literal["strong", "senior"] = Field(description="The level it belongs to.")


class DraftedRedLine(_Model):
    """A call a demanding interviewer treats as disqualifying, as a model drafted it."""

    label: str = Field(description="The call.")
    why: str = Field(description="Why it is disqualifying.")


class DraftedRubric(_Model):
    """The rubric an LLM drafted for a question the bank does not hold (a pasted question)."""

    drafted_by: str = Field(description="The provider and model that drafted it.")
    signals: list[DraftedSignal] = Field(description="What a strong or senior answer shows.")
    red_lines: list[DraftedRedLine] = Field(description="Disqualifying calls for this question.")
    follow_ups: list[str] = Field(description="Questions an interviewer would ask next.")


class Grade(_Model):
    """The grade of one answer to one question (schema ``pmloop.grade/1``)."""

    schema_: Literal["pmloop.grade/1"] = Field(
        default="pmloop.grade/1", alias="schema", description="Schema id of this object."
    )
    question: QuestionRef = Field(description="The question graded against.")
    level: int = Field(ge=1, le=4, description="Overall level 1-4.")
    level_name: Literal["below_bar", "surface", "strong", "senior"] = Field(
        description="Overall level by name."
    )
    score: float = Field(ge=0, le=100, description="Overall score 0-100.")
    confidence: float = Field(ge=0, le=1, description="How sure the grader is of the level.")
    competencies: list[CompetencyGrade] = Field(description="Per-competency levels.")
    signals: list[SignalResult] = Field(description="Every rubric signal checked.")
    flags: list[FlagResult] = Field(description="Anti-patterns raised.")
    missing: list[MissingSignal] = Field(description="Signals not shown, most important first.")
    senior_delta: str = Field(description="What a senior answer would have added.")
    follow_up: str = Field(description="The follow-up question an interviewer would ask next.")
    grader: GraderInfo = Field(description="The grader that produced this grade.")
    follow_up_target: FollowUpTarget = Field(
        default_factory=lambda: FollowUpTarget(kind="general"),
        description="What the follow-up probes: its kind and the signal, term or flag.",
    )
    unexplained_terms: list[str] = Field(
        default_factory=list,
        description="AI terms the candidate introduced (not from the question, its case or the "
        "follow-up, and not a generic word such as AI, LLM or model) and left unexplained.",
    )
    thread: ThreadInfo | None = Field(
        default=None, description="Present in a thread's grade: the answers' own levels."
    )
    drivers: list[Driver] = Field(
        default_factory=list, description="The features that moved the level most, largest first."
    )
    register_: RegisterReading | None = Field(
        default=None,
        alias="register",
        description="How the wording reads next to the bank's reference answers.",
    )

    usage: Usage | None = Field(
        default=None, description="LLM-backed grades: tokens, latency and cost of the calls."
    )
    judge: JudgeInfo | None = Field(
        default=None, description="LLM-backed grades: both levels and the quote checks."
    )
    rubric: DraftedRubric | None = Field(
        default=None,
        description="LLM-backed grades of a pasted question: the rubric the model drafted for "
        "it (cached per model and question), shown so the reader can judge it too.",
    )
    notices: list[str] = Field(
        default_factory=list,
        description="Things the reader must know about how this grade was made (a fallback to "
        "the offline grade, dropped quotes, two graders that disagree).",
    )

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @property
    def level_enum(self) -> Level:
        """The overall level as a ``Level``."""
        return Level(self.level)

    def to_json_dict(self) -> dict[str, object]:
        """The grade as the plain JSON object of schema ``pmloop.grade/1``.

        ``drivers`` and ``register`` explain the level on screen and in Markdown; they are not
        part of the published schema, so the JSON leaves them out. ``turn`` and ``thread``
        appear only in a thread's grade.
        """
        data = self.model_dump(mode="json", by_alias=True, exclude={"drivers", "register_"})
        return published(data)


def published(data: dict[str, Any]) -> dict[str, Any]:
    """A dumped grade pruned to what schema ``pmloop.grade/1`` publishes: the optional keys
    (``thread``, ``usage``, ``judge``, ``notices``, ``grader.model``, a quote's ``turn``) only
    where they hold something, and never the on-screen explanations. The CLI's JSON and the
    web API's both go through here, so they cannot drift apart."""
    for key in ("drivers", "register", "register_"):
        data.pop(key, None)
    for key in ("thread", "usage", "judge", "rubric"):
        if data.get(key) is None:
            data.pop(key, None)
    if not data.get("notices"):
        data.pop("notices", None)
    if data["grader"].get("model") is None:
        data["grader"].pop("model", None)
    target = data.get("follow_up_target")
    if isinstance(target, dict) and target.get("by") is None:
        target.pop("by", None)
    if data.get("usage") is not None and data["usage"].get("cost_usd") is None:
        data["usage"].pop("cost_usd")
    for item in [
        *(e for c in data["competencies"] for e in c["evidence"]),
        *data["signals"],
        *data["flags"],
    ]:
        if item.get("turn") is None:
            item.pop("turn", None)
    return data
