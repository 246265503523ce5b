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
from functools import cached_property
from typing import Any, Literal, Protocol

from pmloop.bank import Bank, Question
from pmloop.errors import (
    AnswerExistsError,
    InputError,
    StoreError,
    UnknownSessionError,
    UnsavedAnswerError,
)
from pmloop.grading import (
    Examiner,
    FollowUpTarget,
    Grade,
    QuestionSimilarity,
    ThreadAnswer,
    check_answer,
    combine_thread,
    thread_feedback,
    total_usage,
)
from pmloop.grading.llm import LLMConversation
from pmloop.interview import (
    MAX_FOLLOW_UPS,
    PROFILES,
    FactFinder,
    FollowUp,
    FollowUpPolicy,
    Interviewer,
    LoopPlanner,
    StakeholderEngine,
    StakeholderReply,
    discovery_note,
)
from pmloop.store import Repository, SessionRecord, TurnRecord
from pmloop.vocabulary import Competency, QuestionFormat

__all__ = [
    "Answered",
    "AnswerInput",
    "AnswerPrompt",
    "Asked",
    "Coach",
    "Discovery",
    "LoopIO",
    "LoopOutcome",
    "LoopSettings",
    "Step",
    "ThreadTurn",
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
    #: follow-ups per question at most (0-3)
    follow_ups: int = MAX_FOLLOW_UPS
    #: ask the candidate to predict each answer's level before its grade appears
    self_rating: bool = False

    def to_json(self) -> dict[str, object]:
        """The settings as stored with the session."""
        return {
            "company": self.company,
            "competencies": [c.value for c in self.competencies],
            "questions": self.questions,
            "minutes": self.minutes,
            "feedback": self.feedback,
            "seed": self.seed,
            "follow_ups": self.follow_ups,
            "self_rating": self.self_rating,
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
    #: roleplay: who the candidate is talking to and their opening line (on the question only)
    intro: str | None = None
    #: ambiguity: the asks made so far of this question, with their replies
    asks: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AnswerInput:
    """What came back: an answer, or one of the commands :hint, :skip, :quit, :ask."""

    text: str = ""
    command: Literal["answer", "hint", "skip", "quit", "ask"] = "answer"
    #: with ``:ask``, the question put to the interviewer (``text`` is the draft beside it)
    ask: str = ""
    #: the level (1-4) the candidate predicted for this answer, when given with it
    self_level: int | None = None
    #: how the answer arrived; the coach grades ``text`` the same way whichever it is
    source: Literal["typed", "scripted", "voice"] = "typed"
    #: a spoken answer: the recording's seconds, the transcript as heard (``text`` is what the
    #: candidate submitted after reading it, fillers out) and the delivery read (JSON)
    audio_seconds: float | None = None
    transcript: str | None = None
    delivery: dict[str, Any] | None = None


class LoopIO(Protocol):
    """How a loop talks to the person practising."""

    def ask(self, prompt: AnswerPrompt) -> AnswerInput:
        """Show the question (or follow-up) and return what the person did."""
        ...

    def notice(self, text: str) -> None:
        """Tell the person something that is not a question."""
        ...

    def feedback(self, prompt: AnswerPrompt, grade: Grade) -> None:
        """Show the grade of the answer just given: the question's grade so far (its thread),
        with the answer's own level in ``grade.thread.levels``."""
        ...


@dataclass(frozen=True)
class Step:
    """The next answer a session is waiting for."""

    prompt: AnswerPrompt
    target: str | None
    earlier: tuple[Grade, ...]
    #: the thread so far: the question's answers and the follow-ups asked
    answers: tuple[ThreadAnswer, ...] = ()
    asked: tuple[FollowUp, ...] = ()

    def hints(self) -> list[str]:
        """Every hint for this step's question, in the order ``:hint`` gives them."""
        return _hints(self.prompt.question)


@dataclass(frozen=True)
class Answered:
    """What became of a reply: its grade, or a notice (the reply was kept as a draft).

    ``grade`` is the answer's own grade as stored (its level, signals and evidence; the
    thread's missing list, senior delta and follow-up); ``thread`` is the question's grade so
    far, over every answer of the thread.
    """

    grade: Grade | None
    notice: str | None
    thread: Grade | None = None
    turn_id: int | None = None
    #: roleplay: what the stakeholder says to this turn, and where the conversation stands
    stakeholder: StakeholderReply | None = None
    #: ambiguity: on the answer to the question itself, which facts were asked for first
    discovery: str | None = None


@dataclass(frozen=True)
class Asked:
    """An ask of an ambiguity question: the fact it matched (or None) and the reply."""

    fact_id: str | None
    reply: str


@dataclass(frozen=True)
class Discovery:
    """What a question's thread found out: ambiguity facts asked for, roleplay concerns met."""

    #: ambiguity: ids of the facts asked for before the first answer, and of those never asked
    asked: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    #: ambiguity: the facts that change the call, to tell them apart from red herrings
    changes_call: tuple[str, ...] = ()
    #: roleplay: concerns met and unmet, and how it ended (open, satisfied, unresolved)
    met: tuple[str, ...] = ()
    unmet: tuple[str, ...] = ()
    outcome: str | None = None
    #: roleplay: the stakeholder's closing line, once the talk has ended
    says: str = ""
    note: str = ""


@dataclass(frozen=True)
class ThreadTurn:
    """One answer of a question's thread, as a report or page shows it."""

    turn: TurnRecord
    #: the answer's own grade (stored, or graded in memory when it never was)
    grade: Grade | None
    #: the question's grade over this answer and every earlier one
    thread: Grade | None


@dataclass(frozen=True)
class LoopOutcome:
    """How a run ended: finished, or stopped (with the session to resume)."""

    session_id: str
    finished: bool


def _hints(question: Question) -> list[str]:
    return [f"Consider: {s.label.lower()}." for s in question.signals if s.level == "senior"]


def _hint(question: Question, given: int) -> str:
    hints = _hints(question)
    if given < len(hints):
        return hints[given]
    return "No more hints for this question: answer with what you have."


def _intro(question: Question) -> str | None:
    person = question.stakeholder
    if person is None:
        return None
    return f"{person.name}, {person.role}: {person.opening}"


class Coach:
    """Plans, runs and resumes practice loops over a bank with a grader and a store."""

    def __init__(self, examiner: Examiner, repository: Repository) -> None:
        self.examiner = examiner
        self.bank: Bank = examiner.bank
        self.repository = repository
        self.policy = FollowUpPolicy()
        #: with an LLM-backed grader, the same model words follow-ups and stakeholder lines
        talk = getattr(examiner.grader, "conversation", None)
        self.talk = talk if isinstance(talk, LLMConversation) else None

    def start(self, settings: LoopSettings, owner_id: int | None = None) -> SessionRecord:
        """Plan a loop and store it as a new session (owned by a user on a shared server)."""
        if settings.company not in PROFILES:
            raise InputError(f"unknown company '{settings.company}'; one of: {', '.join(PROFILES)}")
        if not 1 <= settings.questions <= 12:
            raise InputError("--questions must be between 1 and 12")
        if not 0 <= settings.follow_ups <= MAX_FOLLOW_UPS:
            raise InputError(f"--follow-ups must be between 0 and {MAX_FOLLOW_UPS}")
        if settings.plan:
            questions = [self.bank.get(qid) for qid in settings.plan]
        else:
            questions = LoopPlanner(self.bank, self.similarity).plan(
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

    @cached_property
    def similarity(self) -> QuestionSimilarity:
        """How alike two bank questions are; the planner keeps near-duplicates apart."""
        return QuestionSimilarity(self.examiner.resolver)

    def _policy(self, session: SessionRecord) -> Interviewer:
        cap = int(session.settings.get("follow_ups", MAX_FOLLOW_UPS))
        policy = self.policy if cap == self.policy.cap else FollowUpPolicy(cap)
        return Interviewer(policy, self.talk)

    def _walk(
        self, session: SessionRecord, stop_at_step: bool = True
    ) -> tuple[list[list[ThreadTurn]], Step | None]:
        """Replay a session from what was stored: every thread, and the step it waits for.

        An answer stored but never graded is graded here in memory, exactly as the answering
        request would have graded it, so the same session always yields the same next step.
        """
        total = len(session.plan)
        policy = self._policy(session)
        threads: list[list[ThreadTurn]] = []
        for index, question_id in enumerate(session.plan):
            question = self.bank.get(question_id)
            played: list[ThreadTurn] = []
            threads.append(played)
            answers: list[ThreadAnswer] = []
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
                        intro=_intro(question) if depth == 0 else None,
                        asks=tuple((a.ask, a.reply) for a in session.asked(index)),
                    )
                    step = Step(
                        prompt,
                        target,
                        tuple(a.grade for a in answers),
                        tuple(answers),
                        tuple(asked),
                    )
                    if stop_at_step:
                        return threads, step
                    break
                if turn.skipped:
                    played.append(ThreadTurn(turn, None, None))
                    break
                if turn.grade is None:
                    grade = self._grade_turn(session, policy, question, answers, asked, turn)
                else:
                    grade = Grade.model_validate(turn.grade)
                item = ThreadAnswer(depth, turn.answer, grade, turn.probe_kind, turn.probe_target)
                answers.append(item)
                played.append(ThreadTurn(turn, grade, combine_thread(answers)))
                follow_up = self._next(session, policy, index, depth, question, answers, asked)
                if follow_up is None:
                    break
                asked.append(follow_up)
                depth, text, kind, target = (
                    depth + 1,
                    follow_up.text,
                    follow_up.kind,
                    follow_up.target,
                )
        return threads, None

    def current(self, session_id: str) -> Step | None:
        """The next thing to answer in a session, or None when every question is done.

        Everything is rebuilt from what was stored: answered positions are replayed, and the
        follow-up policy decides what comes next. The same session always yields the same next
        step. This only reads: an answer stored but never graded (the process died) is graded
        here in memory, and its grade is stored by the next ``answer`` or ``finish``, so a page
        that shows a session while its answer is being graded cannot grade it a second time.
        """
        return self._walk(self.repository.get(session_id))[1]

    def threads(self, session: SessionRecord) -> list[list[ThreadTurn]]:
        """Every question's thread as far as it was answered, each answer with its own grade and
        the question's grade up to it. Reads only."""
        return self._walk(session, stop_at_step=False)[0]

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
        session = self.repository.get(prompt.session_id)
        turn = session.turn(prompt.number - 1, prompt.depth)
        assert turn is not None  # just stored
        grade = self._grade_turn(
            session,
            self._policy(session),
            prompt.question,
            list(step.answers),
            list(step.asked),
            turn,
        )
        review = (prompt.question.id, prompt.session_id) if prompt.depth == 0 else None
        self.repository.attach_grade(turn_id, grade.to_json_dict(), review)
        self._settle(prompt.session_id)
        item = ThreadAnswer(prompt.depth, reply.text, grade, prompt.kind, step.target)
        thread = combine_thread([*step.answers, item])
        question = prompt.question
        says = None
        if question.stakeholder is not None:
            turns = [a.answer for a in step.answers] + [reply.text]
            says = StakeholderEngine.for_question(question).reply(turns)
        note = None
        if question.format is QuestionFormat.AMBIGUITY and prompt.depth == 0:
            session = self.repository.get(prompt.session_id)
            asked = [a.fact_id for a in session.asked(prompt.number - 1) if a.fact_id]
            note = discovery_note(question.facts, asked)
        return Answered(grade, None, thread, turn_id, says, note)

    def ask(self, step: Step, text: str) -> Asked:
        """Put a candidate's ask to an ambiguity question: the fact it matches, or "We don't
        know that."; the ask and its reply are stored with the question."""
        question = step.prompt.question
        if question.format is not QuestionFormat.AMBIGUITY:
            raise InputError(":ask works on ambiguity questions only")
        text = text.strip()
        if not text:
            raise InputError(":ask needs a question after it, on the same line")
        if len(text) > 500:
            raise InputError("an ask is at most 500 characters")
        fact, reply = FactFinder(question.facts).reply(text)
        p = step.prompt
        self.repository.add_ask(
            p.session_id, p.number - 1, p.depth, text, fact.id if fact else None, reply
        )
        return Asked(fact.id if fact else None, reply)

    def discovery(self, session: SessionRecord, index: int) -> Discovery | None:
        """What question ``index`` of ``session`` found out (None for an interview question)."""
        question = self.bank.get(session.plan[index])
        if question.format is QuestionFormat.AMBIGUITY:
            first = session.turn(index, 0)
            before = [
                a.fact_id
                for a in session.asked(index)
                if a.fact_id and (first is None or a.depth == 0)
            ]
            asked = tuple(f.id for f in question.facts if f.id in before)
            ever = {a.fact_id for a in session.asked(index) if a.fact_id}
            never = tuple(f.id for f in question.facts if f.id not in ever)
            changes = tuple(f.id for f in question.facts if f.changes_call)
            note = discovery_note(question.facts, asked) if first is not None else ""
            return Discovery(asked=asked, never=never, changes_call=changes, note=note)
        if question.stakeholder is not None:
            turns = [t.answer for t in session.turns if t.question_index == index and not t.skipped]
            state = StakeholderEngine.for_question(question).reply(turns)
            ids = [c.id for c in question.stakeholder.concerns]
            unmet = tuple(i for i in ids if i not in state.met)
            closing = state.says if state.ended else ""
            return Discovery(met=state.met, unmet=unmet, outcome=state.outcome, says=closing)
        return None

    def rate(self, answered: Answered, level: int) -> None:
        """Store the level the candidate predicted for the answer just given."""
        if answered.turn_id is not None:
            self.repository.rate(answered.turn_id, level)

    def _submit(
        self, step: Step, reply: AnswerInput, skipped: bool, idempotency_key: str | None = None
    ) -> int:
        """Store the reply; a store that cannot take it raises with the text, so it is not lost."""
        p = step.prompt
        if reply.self_level is not None and not 1 <= reply.self_level <= 4:
            raise InputError("a self-rating is a level from 1 (below bar) to 4 (senior)")
        try:
            return self.repository.submit(
                p.session_id, p.number - 1, p.depth, p.question.id, p.text, p.kind, step.target,
                reply.text, skipped=skipped, idempotency_key=idempotency_key,
                self_level=None if skipped else reply.self_level, source=reply.source,
                audio_seconds=None if skipped else reply.audio_seconds,
                transcript=None if skipped else reply.transcript,
                delivery=None if skipped else reply.delivery,
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
        if any(t.grade is None and not t.skipped for t in session.turns):
            for thread in self.threads(session):
                for played in thread:
                    turn = played.turn
                    if turn.grade is None and played.grade is not None:
                        review = (turn.question_id, session.id) if turn.depth == 0 else None
                        self.repository.attach_grade(turn.id, played.grade.to_json_dict(), review)
            session = self.repository.get(session_id)
        if session.status != "finished" and (finish or self._walk(session)[1] is None):
            self.repository.finish(session_id)

    def hint(self, step: Step, given: int) -> str:
        """The ``given``-th hint for the question of ``step``."""
        return _hint(step.prompt.question, given)

    def run(self, session_id: str, io: LoopIO) -> LoopOutcome:
        """Ask every unanswered question of the session, resuming where it stopped."""
        settings = self.repository.get(session_id).settings
        after_each = settings.get("feedback") != "end"
        predict = getattr(io, "predict", None) if settings.get("self_rating") else None
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
            if reply.command == "ask":
                if reply.text.strip():
                    step.prompt.save_draft(reply.text)
                try:
                    # the reply is shown with the question when it is asked again
                    self.ask(step, reply.ask)
                except InputError as exc:
                    io.notice(str(exc))
                continue
            if reply.command == "hint":
                io.notice(self.hint(step, hints.get(position, 0)))
                hints[position] = hints.get(position, 0) + 1
                if reply.text.strip():
                    step.prompt.save_draft(reply.text)
                continue
            result = self.answer(step, reply)
            if result.notice:
                io.notice(result.notice)
                continue
            if result.grade is not None and predict is not None and reply.self_level is None:
                # before the grade appears: the candidate's own call on the answer
                level = predict(step.prompt)
                if level is not None:
                    self.rate(result, level)
            if result.thread is not None and after_each:
                io.feedback(step.prompt, result.thread)
                if result.discovery:
                    io.notice(result.discovery)
            if result.stakeholder is not None and result.stakeholder.ended:
                # the closing line; an open conversation's reply is the next prompt
                name = step.prompt.question.stakeholder.name  # type: ignore[union-attr]
                io.notice(f"{name}: {result.stakeholder.says}")

    def _next(
        self,
        session: SessionRecord,
        policy: Interviewer,
        index: int,
        depth: int,
        question: Question,
        answers: Sequence[ThreadAnswer],
        asked: Sequence[FollowUp],
    ) -> FollowUp | None:
        stored = session.turn(index, depth + 1)
        if stored is not None:  # the follow-up already asked is the one to replay
            return FollowUp(stored.probe_kind, stored.probe_target, stored.prompt)  # type: ignore[arg-type]
        last = answers[-1].grade.follow_up_target
        if last.by is not None:
            # a model worded the next prompt when the answer was graded: the stored grade keeps
            # it, so a replay never calls the model again nor asks something else
            if last.kind == "none" or not answers[-1].grade.follow_up:
                return None
            kind = "stakeholder" if question.stakeholder is not None else last.kind
            return FollowUp(kind, last.target, answers[-1].grade.follow_up, by=last.by)  # type: ignore[arg-type]
        prompts = [question.text, *(f.text for f in asked)]
        thread = list(zip(prompts, (a.answer for a in answers), strict=False))
        if question.stakeholder is not None:
            # a roleplay's next prompt is the stakeholder's reply, until the talk ends
            return policy.stakeholder(question, thread)[1]
        return policy.follow_up(question, thread, [a.grade for a in answers], asked)

    def _grade_turn(
        self,
        session: SessionRecord,
        policy: Interviewer,
        question: Question,
        earlier: Sequence[ThreadAnswer],
        asked: Sequence[FollowUp],
        turn: TurnRecord,
    ) -> Grade:
        """An answer's grade as stored: its own level, signals and evidence, and the thread's
        missing list, senior delta and follow-up (the one the loop asks next)."""
        own = self._grade(question, turn.answer, turn.prompt if turn.depth else None)
        answers = [
            *earlier,
            ThreadAnswer(turn.depth, turn.answer, own, turn.probe_kind, turn.probe_target),
        ]
        follow_up = self._next(
            session, policy, turn.question_index, turn.depth, question, answers, asked
        )
        if follow_up is None:
            text, target = "", FollowUpTarget(kind="none")
        elif follow_up.kind == "stakeholder":
            target, text = FollowUpTarget(kind="general", by=follow_up.by), follow_up.text
        else:
            target = FollowUpTarget(kind=follow_up.kind, target=follow_up.target, by=follow_up.by)
            text = follow_up.text
        thread = combine_thread(answers).model_copy(
            update={"follow_up": text, "follow_up_target": target}
        )
        graded = thread_feedback(own, thread)
        if follow_up is not None and (follow_up.usage is not None or follow_up.notice):
            # the interviewer's call is paid for with this answer's grade, and said there
            notices = [*graded.notices, *([follow_up.notice] if follow_up.notice else [])]
            graded = graded.model_copy(
                update={"usage": total_usage([graded.usage, follow_up.usage]), "notices": notices}
            )
        return graded

    def _grade(self, question: Question, answer: str, follow_up: str | None = None) -> Grade:
        # follow-up answers are graded against the original question, so their evidence adds
        # to the same competencies; the grader is told which follow-up they answer, so a call is
        # asked of them only when the follow-up asks for one
        return self.examiner.grade(answer, question_id=question.id, follow_up=follow_up)

    def _drafter(self, session_id: str, index: int, depth: int) -> Callable[[str], None]:
        def save(text: str) -> None:
            self.repository.save_draft(session_id, index, depth, text)

        return save
