"""What the routes show, built from the store: API bodies and the session page's thread.

Reading only: nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException

from pmloop.bank import Question
from pmloop.coach import Coach, Step
from pmloop.grading import Grade
from pmloop.report import Progress, highlight_answer
from pmloop.report._scorecard import average_level, competency_levels
from pmloop.store import SessionRecord
from pmloop.vocabulary import FLAGS
from pmloop.web._models import (
    AnswerRecord,
    ProgressBody,
    PromptBody,
    PublishedGrade,
    SessionDetail,
    SessionSummary,
    TrendPoint,
)
from pmloop.web._voice import delivery_lines

__all__ = [
    "ThreadItem",
    "expect_position",
    "progress_body",
    "prompt_body",
    "session_detail",
    "summary",
    "thread_items",
]


def summary(session: SessionRecord) -> SessionSummary:
    """A session as the listings show it."""
    assessed = [level for level, _ in competency_levels(session).values()]
    return SessionSummary(
        id=session.id,
        created_at=session.created_at.isoformat(),
        company=session.company,
        kind=session.kind,
        status=session.status,
        questions=len(session.plan),
        started=len({t.question_index for t in session.turns}),
        level=average_level(assessed) if assessed else None,
    )


def prompt_body(step: Step | None) -> PromptBody | None:
    """The prompt a session waits for, or None when it waits for nothing."""
    if step is None:
        return None
    p = step.prompt
    return PromptBody(
        question_index=p.number - 1,
        depth=p.depth,
        question_id=p.question.id,
        text=p.text,
        kind=p.kind,
        format=p.question.format.value,
        scenario=p.question.scenario if p.depth == 0 else None,
        draft=p.draft,
        minutes=p.minutes,
    )


def session_detail(coach: Coach, session: SessionRecord) -> SessionDetail:
    """A session with its answers and grades, and the prompt it waits for."""
    step = coach.current(session.id)
    return SessionDetail(
        **summary(session).model_dump(),
        plan=session.plan,
        answers=[
            AnswerRecord(
                question_index=t.question_index,
                depth=t.depth,
                prompt=t.prompt,
                kind=t.probe_kind,
                answer=t.answer,
                skipped=t.skipped,
                level=t.level,
                grade=PublishedGrade.of(t.grade),
            )
            for t in session.turns
        ],
        next=prompt_body(step),
    )


def progress_body(progress: Progress) -> ProgressBody:
    """Each competency's trend and the weakest competency, for the API."""
    return ProgressBody(
        sessions=progress.sessions,
        weakest=progress.weakest,
        trends={
            t.competency.value: [
                TrendPoint(session=sid, at=at.isoformat(), level=level)
                for at, sid, level in t.points
            ]
            for t in progress.trends
        },
    )


def expect_position(coach: Coach, session_id: str, question_index: int, depth: int) -> Step:
    """The step the session waits for, if it is the one this answer is for; else 409."""
    step = coach.current(session_id)
    if step is None:
        raise HTTPException(409, "this session is finished")
    if (step.prompt.number - 1, step.prompt.depth) != (question_index, depth):
        raise HTTPException(
            409,
            f"this answer is for question {question_index + 1}, follow-up {depth}, but the "
            f"session is waiting for question {step.prompt.number}, follow-up {step.prompt.depth}",
        )
    return step


@dataclass(frozen=True)
class ThreadItem:
    """One answer of the session page's thread, with its highlighted text and grade."""

    number: int
    depth: int
    question: Question
    prompt: str
    kind: str
    skipped: bool
    answer_html: str
    grade: Grade | None
    thread: Grade | None = None  # the question's grade up to this answer
    self_level: int | None = None  # the level the candidate predicted
    turn_id: int = 0  # the stored answer's id
    delivery: list[str] | None = None  # a spoken answer's delivery read, line by line
    worded_by: str | None = None  # the model that worded this follow-up, when one did


def thread_items(coach: Coach, session: SessionRecord) -> list[ThreadItem]:
    """Every answer of a session, in order, as the session page shows it."""
    items = []
    threads = {p.turn.id: p for question in coach.threads(session) for p in question}
    graded: dict[tuple[int, int], Grade] = {}
    for turn in session.turns:
        played = threads.get(turn.id)
        grade = Grade.model_validate(turn.grade) if turn.grade else None
        if grade is not None:
            graded[(turn.question_index, turn.depth)] = grade
        before = graded.get((turn.question_index, turn.depth - 1)) if turn.depth else None
        evidence = [e.quote for c in grade.competencies for e in c.evidence] if grade else []
        evidence += [q for s in grade.signals for q in s.quotes] if grade else []
        flags = [(FLAGS[f.id].title, f.quote) for f in grade.flags] if grade else []
        items.append(
            ThreadItem(
                number=turn.question_index + 1,
                depth=turn.depth,
                question=coach.bank.get(turn.question_id),
                prompt=turn.prompt,
                kind=turn.probe_kind,
                skipped=turn.skipped,
                answer_html=highlight_answer(turn.answer, evidence, flags),
                grade=grade,
                thread=played.thread if played is not None else None,
                self_level=turn.self_level,
                turn_id=turn.id,
                delivery=delivery_lines(turn.delivery),
                worded_by=before.follow_up_target.by if before is not None else None,
            )
        )
    return items
