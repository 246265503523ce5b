"""Run a practice loop: ask, save the answer, grade it, probe, and hand back a scorecard.

The coach owns the order of events that makes sessions safe: an answer is committed to the
store the moment it is submitted, before it is graded; a draft is saved while it is typed; a
session can stop at any point and resume exactly where it stopped, because every decision is
rebuilt from what was stored. How the person sees questions and types answers is a ``LoopIO``
(the terminal, a scripted file, the web app).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pmloop.bank import Bank, Question
from pmloop.errors import (
    AnswerExistsError,
    InputError,
    StoreError,
    UnknownSessionError,
    UnsavedAnswerError,
)
from pmloop.grading import Examiner, Grade, check_answer
from pmloop.interview import PROFILES, FollowUp, FollowUpPolicy, LoopPlanner
from pmloop.store import Repository, SessionRecord
from pmloop.vocabulary import Competency

__all__ = [
    "Answered",
    "AnswerInput",
    "AnswerPrompt",
    "Coach",
    "LoopIO",
    "LoopOutcome",
    "LoopSettings",
    "Step",
]

FeedbackMode = Literal["after-each", "end"]


@dataclass(frozen=True)
class LoopSettings:
    """What the person asked for when starting a loop."""

    company: str = "general"
    competencies: tuple[Competency, ...] = ()
    questions: int = 4
    minutes: float = 4.0
    feedback: FeedbackMode = "after-each"
    seed: int | None = None
    kind: str = "practice"
    plan: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The settings as stored with the session."""
        return {
            "company": self.company,
            "competencies": [c.value for c in self.competencies],
            "questions": self.questions,
            "minutes": self.minutes,
            "feedback": self.feedback,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class AnswerPrompt:
    """Everything an IO needs to ask for one answer."""

    session_id: str
    number: int
    total: int
    depth: int
    question: Question
    text: str
    kind: str
    minutes: float
    draft: str
    save_draft: Callable[[str], None] = field(compare=False)


@dataclass(frozen=True)
class AnswerInput:
    """What came back: an answer, or one of the commands :hint, :skip, :quit."""

    text: str = ""
    command: Literal["answer", "hint", "skip", "quit"] = "answer"


class LoopIO(Protocol):
    """How a loop talks to the person practising."""

    def ask(self, prompt: AnswerPrompt) -> AnswerInput:
        """Show the question (or follow-up) and return what the person did."""
        ...

    def notice(self, text: str) -> None:
        """Tell the person something that is not a question."""
        ...

    def feedback(self, prompt: AnswerPrompt, grade: Grade) -> None:
        """Show the grade of the answer just given."""
        ...


@dataclass(frozen=True)
class Step:
    """The next answer a session is waiting for."""

    prompt: AnswerPrompt
    target: str | None
    earlier: tuple[Grade, ...]


@dataclass(frozen=True)
class Answered:
    """What became of a reply: its grade, or a notice (the reply was kept as a draft)."""

    grade: Grade | None
    notice: str | None


@dataclass(frozen=True)
class LoopOutcome:
    """How a run ended: finished, or stopped (with the session to resume)."""

    session_id: str
    finished: bool


def _hint(question: Question, given: int) -> str:
    seniors = [s for s in question.signals if s.level == "senior"]
    if given < len(seniors):
        return f"Consider: {seniors[given].label.lower()}."
    return "No more hints for this question: answer with what you have."


class Coach:
    """Plans, runs and resumes practice loops over a bank with a grader and a store."""

    def __init__(self, examiner: Examiner, repository: Repository) -> None:
        self.examiner = examiner
        self.bank: Bank = examiner.bank
        self.repository = repository
        self.policy = FollowUpPolicy()

    def start(self, settings: LoopSettings, owner_id: int | None = None) -> SessionRecord:
        """Plan a loop and store it as a new session (owned by a user on a shared server)."""
        if settings.company not in PROFILES:
            raise InputError(f"unknown company '{settings.company}'; one of: {', '.join(PROFILES)}")
        if not 1 <= settings.questions <= 12:
            raise InputError("--questions must be between 1 and 12")
        if settings.plan:
            questions = [self.bank.get(qid) for qid in settings.plan]
        else:
            questions = LoopPlanner(self.bank).plan(
                PROFILES[settings.company],
                settings.questions,
                settings.competencies,
                avoid=self.repository.recent_question_ids(owner_id=owner_id),
                seed=settings.seed,
            )
        if not questions:
            raise InputError("no bank questions match these settings")
        grader = f"{self.examiner.grader.name} {self.examiner.grader.version}"
        return self.repository.create_session(
            settings.kind,
            settings.company,
            settings.to_json(),
            [q.id for q in questions],
            grader,
            owner_id=owner_id,
        )

    def current(self, session_id: str) -> Step | None:
        """The next thing to answer in a session, or None when every question is done.

        Everything is rebuilt from what was stored: answered positions are replayed, and the
        follow-up policy decides what comes next. The same session always yields the same next
        step. This only reads: an answer stored but never graded (the process died) is graded
        here in memory, and its grade is stored by the next ``answer`` or ``finish``, so a page
        that shows a session while its answer is being graded cannot grade it a second time.
        """
        session = self.repository.get(session_id)
        total = len(session.plan)
        for index, question_id in enumerate(session.plan):
            question = self.bank.get(question_id)
            grades: list[Grade] = []
            asked: list[FollowUp] = []
            depth, text, kind, target = 0, question.text, "question", None
            while True:
                turn = session.turn(index, depth)
                if turn is None:
                    prompt = AnswerPrompt(
                        session_id=session.id,
                        number=index + 1,
                        total=total,
                        depth=depth,
                        question=question,
                        text=text,
                        kind=kind,
                        minutes=float(session.settings.get("minutes", 4.0)),
                        draft=self.repository.draft(session.id, index, depth) or "",
                        save_draft=self._drafter(session.id, index, depth),
                    )
                    return Step(prompt, target, tuple(grades))
                if turn.skipped:
                    break
                if turn.grade is None:
                    grade = self._grade(question, turn.answer, turn.prompt if turn.depth else None)
                else:
                    grade = Grade.model_validate(turn.grade)
                grades.append(grade)
                follow_up = self._next(session, index, depth, question, grades, asked)
                if follow_up is None:
                    break
                asked.append(follow_up)
                depth, text, kind, target = (
                    depth + 1,
                    follow_up.text,
                    follow_up.kind,
                    follow_up.target,
                )
        return None

    def answer(
        self, step: Step, reply: AnswerInput, idempotency_key: str | None = None
    ) -> Answered:
        """Act on a reply to ``step``: store and grade an answer, or record a skip.

        An answer is committed before it is graded. An answer that cannot be graded (empty,
        over the length limit) is kept as the draft and nothing is submitted. Every write a
        reply causes happens here: its grade and review (stored once, however many requests
        grade it), the grades of earlier answers left ungraded, and finishing the session
        when nothing is left to answer. An ``idempotency_key`` (the web client's name for this
        submission) is stored with it.
        """
        prompt = step.prompt
        if reply.command == "skip":
            self._submit(step, reply, skipped=True, idempotency_key=idempotency_key)
            self._settle(prompt.session_id)
            return Answered(None, None)
        try:
            check_answer(reply.text)
        except InputError as exc:
            prompt.save_draft(reply.text)
            return Answered(None, f"{exc}. Your text is kept as a draft.")
        turn_id = self._submit(step, reply, skipped=False, idempotency_key=idempotency_key)
        grade = self._grade(prompt.question, reply.text, prompt.text if prompt.depth else None)
        review = (prompt.question.id, prompt.session_id) if prompt.depth == 0 else None
        self.repository.attach_grade(turn_id, grade.to_json_dict(), review)
        self._settle(prompt.session_id)
        return Answered(grade, None)

    def _submit(
        self, step: Step, reply: AnswerInput, skipped: bool, idempotency_key: str | None = None
    ) -> int:
        """Store the reply; a store that cannot take it raises with the text, so it is not lost."""
        p = step.prompt
        try:
            return self.repository.submit(
                p.session_id, p.number - 1, p.depth, p.question.id, p.text, p.kind, step.target,
                reply.text, skipped=skipped, idempotency_key=idempotency_key,
            )  # fmt: skip
        except (UnknownSessionError, AnswerExistsError):
            raise
        except StoreError as exc:
            raise UnsavedAnswerError(str(exc), reply.text) from None

    def settle(self, session_id: str) -> None:
        """Store the grades of answers left ungraded (a retried request, a crash mid-grading),
        and finish the session if nothing is left to answer. A write: call it from a POST."""
        self._settle(session_id)

    def finish(self, session_id: str) -> None:
        """Store any grade still missing and mark the session finished."""
        self._settle(session_id, finish=True)

    def _settle(self, session_id: str, finish: bool = False) -> None:
        """Store the grades of answers left ungraded, and finish a session with nothing left."""
        session = self.repository.get(session_id)
        for turn in session.turns:
            if turn.grade is None and not turn.skipped:
                question = self.bank.get(turn.question_id)
                grade = self._grade(question, turn.answer, turn.prompt if turn.depth else None)
                review = (question.id, session.id) if turn.depth == 0 else None
                self.repository.attach_grade(turn.id, grade.to_json_dict(), review)
        if session.status != "finished" and (finish or self.current(session_id) is None):
            self.repository.finish(session_id)

    def hint(self, step: Step, given: int) -> str:
        """The ``given``-th hint for the question of ``step``."""
        return _hint(step.prompt.question, given)

    def run(self, session_id: str, io: LoopIO) -> LoopOutcome:
        """Ask every unanswered question of the session, resuming where it stopped."""
        after_each = self.repository.get(session_id).settings.get("feedback") != "end"
        hints: dict[tuple[int, int], int] = {}
        while True:
            step = self.current(session_id)
            if step is None:
                self.finish(session_id)
                return LoopOutcome(session_id, finished=True)
            reply = io.ask(step.prompt)
            position = (step.prompt.number, step.prompt.depth)
            if reply.command == "quit":
                if reply.text.strip():
                    step.prompt.save_draft(reply.text)
                return LoopOutcome(session_id, finished=False)
            if reply.command == "hint":
                io.notice(self.hint(step, hints.get(position, 0)))
                hints[position] = hints.get(position, 0) + 1
                if reply.text.strip():
                    step.prompt.save_draft(reply.text)
                continue
            result = self.answer(step, reply)
            if result.notice:
                io.notice(result.notice)
            elif result.grade is not None and after_each:
                io.feedback(step.prompt, result.grade)

    def _next(
        self,
        session: SessionRecord,
        index: int,
        depth: int,
        question: Question,
        grades: Sequence[Grade],
        asked: Sequence[FollowUp],
    ) -> FollowUp | None:
        stored = session.turn(index, depth + 1)
        if stored is not None:  # the follow-up already asked is the one to replay
            return FollowUp(stored.probe_kind, stored.probe_target, stored.prompt)  # type: ignore[arg-type]
        return self.policy.next(question, grades, asked)

    def _grade(self, question: Question, answer: str, follow_up: str | None = None) -> Grade:
        # follow-up answers are graded against the original question, so their evidence adds
        # to the same competencies; the grader is told which follow-up they answer, so a call is
        # asked of them only when the follow-up asks for one
        return self.examiner.grade(answer, question_id=question.id, follow_up=follow_up)

    def _drafter(self, session_id: str, index: int, depth: int) -> Callable[[str], None]:
        def save(text: str) -> None:
            self.repository.save_draft(session_id, index, depth, text)

        return save
