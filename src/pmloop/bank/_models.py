"""Pydantic models for bank files: questions, rubric signals, probes and reference answers."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from pmloop.vocabulary import LOOP_TAGS, Competency, Flag, Level, QuestionFormat, Round

__all__ = [
    "Concern",
    "Difficulty",
    "HiddenFact",
    "Probe",
    "Question",
    "RedLine",
    "ReferenceAnswers",
    "Signal",
    "Stakeholder",
    "word_count",
]

Difficulty = Literal["warm-up", "core", "stretch"]

QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
SignalId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:_[a-z0-9]+)*$", max_length=60)]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=40)]
Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8)]

REFERENCE_MIN_WORDS = 60
REFERENCE_MAX_WORDS = 350

_WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    """Count whitespace-separated words, the unit every length limit in pmloop uses."""
    return len(_WORD.findall(text))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Signal(_Frozen):
    """Something a good answer to this question does, with ways a candidate might say it."""

    id: SignalId = Field(description="Stable id, unique within the question (snake_case).")
    label: str = Field(min_length=8, description="What the answer does, as a short phrase.")
    level: Literal["strong", "senior"] = Field(
        description="The lowest level at which an answer is expected to show this."
    )
    why_it_matters: Sentence = Field(description="One sentence on why an interviewer wants it.")
    paraphrases: list[Sentence] = Field(
        min_length=3, description="At least three ways a candidate might express the signal."
    )


class Probe(_Frozen):
    """A follow-up question, asked when a signal is missing or a flag is raised."""

    text: Sentence = Field(description="The follow-up as the interviewer would ask it.")
    signal: SignalId | None = Field(default=None, description="Asked when this signal is missing.")
    flag: Flag | None = Field(default=None, description="Asked when this flag is raised.")

    @model_validator(mode="after")
    def _one_target(self) -> Probe:
        if (self.signal is None) == (self.flag is None):
            raise ValueError("a probe targets exactly one of 'signal' or 'flag'")
        return self


class ReferenceAnswers(_Frozen):
    """Four reference answers to the same question, one at each level."""

    below_bar: str = Field(description="An answer that falls below the bar.")
    surface: str = Field(description="A clean, generic answer with nothing specific in it.")
    strong: str = Field(description="A correct, specific, well-reasoned answer.")
    senior: str = Field(description="A strong answer plus consequence-awareness.")

    @model_validator(mode="after")
    def _lengths(self) -> ReferenceAnswers:
        for level in Level:
            words = word_count(self.at(level))
            if not REFERENCE_MIN_WORDS <= words <= REFERENCE_MAX_WORDS:
                raise ValueError(
                    f"{level.label} reference has {words} words; "
                    f"allowed {REFERENCE_MIN_WORDS}-{REFERENCE_MAX_WORDS}"
                )
        return self

    def at(self, level: Level) -> str:
        """The reference answer written at ``level``."""
        text: str = getattr(self, level.label)
        return text


class RedLine(_Frozen):
    """A call a demanding interviewer treats as disqualifying in this case, whatever its wording."""

    id: SignalId = Field(description="Stable id, unique within the question (snake_case).")
    label: str = Field(min_length=8, description="The call, stated as what the candidate does.")
    why: str = Field(
        min_length=8, description="Why an interviewer would treat it as disqualifying."
    )
    paraphrases: list[Sentence] = Field(
        min_length=3, description="Sentences a candidate might say when arguing for the call."
    )


class HiddenFact(_Frozen):
    """A fact of an ambiguity question that the candidate learns only by asking for it."""

    id: SignalId = Field(description="Stable id, unique within the question (snake_case).")
    fact: Sentence = Field(description="What the interviewer says when the fact is asked for.")
    asked_by: list[Sentence] = Field(
        min_length=3, max_length=6, description="3-6 ways a candidate might ask for it."
    )
    changes_call: bool = Field(
        description="Whether knowing the fact should change what the candidate decides."
    )


class Concern(_Frozen):
    """One thing a roleplay stakeholder needs addressed before they agree."""

    id: SignalId = Field(description="Stable id, unique within the stakeholder (snake_case).")
    label: str = Field(min_length=8, description="The concern, as a short phrase.")
    addressed_by: list[Sentence] = Field(
        min_length=3, max_length=6, description="3-6 things a candidate might say that meet it."
    )
    objections: list[Sentence] = Field(
        min_length=2, max_length=3, description="What the stakeholder says while it is unmet."
    )
    negotiable: bool = Field(
        description="true: it can be changed or traded; false: the candidate should hold it."
    )


class Stakeholder(_Frozen):
    """The person a roleplay question's candidate has to move."""

    name: str = Field(min_length=2, description="The stakeholder's name.")
    role: str = Field(min_length=2, description="Their role.")
    opening: Sentence = Field(description="Their first line, shown after the scenario.")
    concerns: list[Concern] = Field(min_length=3, max_length=4, description="3-4 concerns.")
    satisfied: Sentence = Field(description="What they say once every concern is met.")
    unresolved: Sentence = Field(description="What they say when the turns run out.")
    max_turns: int = Field(ge=4, le=8, description="Candidate turns before it ends (4-8).")

    @model_validator(mode="after")
    def _unique(self) -> Stakeholder:
        ids = [c.id for c in self.concerns]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate concern ids")
        return self


class Question(_Frozen):
    """One interview question with its rubric, probes and reference answers."""

    id: QuestionId = Field(description="Stable id (kebab-case), unique across the bank.")
    text: Sentence = Field(description="The question as an interviewer would ask it.")
    scenario: str | None = Field(default=None, description="The facts of the case, if any.")
    primary: Competency = Field(description="The competency the question mainly tests.")
    secondary: list[Competency] = Field(
        default_factory=list, description="Competencies the question also tests."
    )
    difficulty: Difficulty = Field(description="warm-up, core or stretch.")
    round: Round = Field(description="The round of an AI PM loop the question belongs to.")
    format: QuestionFormat = Field(
        default=QuestionFormat.INTERVIEW,
        description="interview (one answer, then follow-ups), ambiguity or roleplay.",
    )
    tags: list[Tag] = Field(
        min_length=1, description="Loop types (lab, big-tech, startup) and product areas."
    )
    signals: list[Signal] = Field(
        min_length=4, description="Rubric signals, at both strong and senior level."
    )
    probes: list[Probe] = Field(
        min_length=3, description="Follow-ups keyed to missing signals and raised flags."
    )
    pressure_probes: list[Sentence] = Field(
        min_length=2, description="Follow-ups that push on the candidate's position."
    )
    references: ReferenceAnswers = Field(description="Reference answers at the four levels.")
    call: bool = Field(
        default=False,
        description="Whether the question asks for a decision; an answer that never commits "
        "is then held at surface.",
    )
    red_lines: list[RedLine] = Field(
        default_factory=list,
        description="Calls that are disqualifying in this case; an answer arguing for one is "
        "below bar.",
    )
    facts: list[HiddenFact] = Field(
        default_factory=list,
        description="ambiguity only: facts the candidate gets by asking for them.",
    )
    stakeholder: Stakeholder | None = Field(
        default=None, description="roleplay only: the person the candidate has to move."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        problems: list[str] = []
        if self.primary in self.secondary:
            problems.append("secondary repeats the primary competency")
        if not LOOP_TAGS & set(self.tags):
            problems.append(f"tags need one loop type: {', '.join(sorted(LOOP_TAGS))}")
        ids = [s.id for s in self.signals]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            problems.append(f"duplicate signal ids: {', '.join(duplicated)}")
        levels = {s.level for s in self.signals}
        if levels != {"strong", "senior"}:
            problems.append("signals need at least one strong and one senior signal")
        unknown = sorted({p.signal for p in self.probes if p.signal and p.signal not in ids})
        if unknown:
            problems.append(f"probes name unknown signals: {', '.join(unknown)}")
        red = [r.id for r in self.red_lines]
        if len(set(red)) != len(red):
            problems.append("duplicate red line ids")
        if not any(p.signal for p in self.probes) or not any(p.flag for p in self.probes):
            problems.append("probes need at least one keyed to a signal and one to a flag")
        problems.extend(self._format_problems())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _format_problems(self) -> list[str]:
        """What the question's format asks of its facts and stakeholder."""
        problems: list[str] = []
        is_ambiguity = self.format is QuestionFormat.AMBIGUITY
        if self.facts and not is_ambiguity:
            problems.append(f"facts belong to ambiguity questions, not {self.format.value}")
        if self.stakeholder is not None and self.format is not QuestionFormat.ROLEPLAY:
            problems.append(f"a stakeholder belongs to roleplay questions, not {self.format.value}")
        if is_ambiguity:
            if len(self.facts) < 3:
                problems.append("an ambiguity question needs at least 3 facts")
            if not any(f.changes_call for f in self.facts):
                problems.append("an ambiguity question needs a fact with changes_call: true")
            if not any(not f.changes_call for f in self.facts):
                problems.append("an ambiguity question needs a fact with changes_call: false")
            ids = [f.id for f in self.facts]
            if len(set(ids)) != len(ids):
                problems.append("duplicate fact ids")
        if self.format is QuestionFormat.ROLEPLAY and self.stakeholder is None:
            problems.append("a roleplay question needs a stakeholder")
        return problems

    @property
    def competencies(self) -> list[Competency]:
        """Primary competency first, then the secondary ones."""
        return [self.primary, *self.secondary]

    def signal(self, signal_id: str) -> Signal:
        """The signal with this id."""
        for signal in self.signals:
            if signal.id == signal_id:
                return signal
        raise KeyError(signal_id)


class BankFile(_Frozen):
    """The top level of one bank YAML file."""

    questions: list[Question] = Field(min_length=1, description="The questions in this file.")
