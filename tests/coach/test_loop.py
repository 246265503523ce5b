"""The coach: answers stored before grading, resuming exactly where a loop stopped."""

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pmloop.bank import Bank
from pmloop.coach import AnswerInput, AnswerPrompt, Coach, LoopSettings
from pmloop.grading import Examiner, Grade
from pmloop.store import Repository, open_repository

PLAN = ("eval-new-llm-feature-before-launch", "engagement-drop-after-model-swap")


@dataclass
class FakeIO:
    """Answers from a list; records everything the coach showed."""

    replies: Iterator[AnswerInput]
    asked: list[AnswerPrompt] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    grades: list[Grade] = field(default_factory=list)

    def ask(self, prompt: AnswerPrompt) -> AnswerInput:
        self.asked.append(prompt)
        return next(self.replies)

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def feedback(self, prompt: AnswerPrompt, grade: Grade) -> None:
        self.grades.append(grade)


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return open_repository(f"sqlite:///{tmp_path / 'pmloop.db'}")


def _answers(*texts: str | AnswerInput) -> Iterator[AnswerInput]:
    for text in texts:
        if isinstance(text, AnswerInput):
            yield text
        elif text.startswith(":"):
            yield AnswerInput(command=text[1:])  # type: ignore[arg-type]
        else:
            yield AnswerInput(text=text)


def test_a_whole_loop_with_follow_ups(examiner: Examiner, repo: Repository, bank: Bank) -> None:
    coach = Coach(examiner, repo)
    session = coach.start(LoopSettings(plan=PLAN))
    io = FakeIO(
        _answers("We'd test it a lot.", ":skip", ":skip", ":skip", "Roll back now.", ":skip")
    )
    outcome = coach.run(session.id, io)
    assert outcome.finished
    stored = repo.get(session.id)
    assert stored.status == "finished"
    kinds = [(t.question_index, t.depth, t.probe_kind) for t in stored.turns]
    assert kinds[0] == (0, 0, "question") and kinds[1][2] in {"signal", "term", "flag"}
    assert all(t.grade is not None for t in stored.turns if not t.skipped)
    assert [p.depth for p in io.asked][:2] == [0, 1]


def test_the_answer_is_stored_even_if_grading_fails(
    examiner: Examiner, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    coach = Coach(examiner, repo)
    session = coach.start(LoopSettings(plan=PLAN[:1]))

    def broken(question: object, answer: str, follow_up: str | None = None) -> Grade:
        raise RuntimeError("grader crashed")

    monkeypatch.setattr(coach, "_grade", broken)
    with pytest.raises(RuntimeError):
        coach.run(session.id, FakeIO(_answers("An answer the person typed.")))
    turn = repo.get(session.id).turns[0]
    assert turn.answer == "An answer the person typed." and turn.grade is None
    monkeypatch.undo()
    # resuming grades the stored answer instead of asking again
    io = FakeIO(_answers(":skip", ":skip", ":skip"))
    coach.run(session.id, io)
    assert repo.get(session.id).turns[0].grade is not None
    assert all(p.depth > 0 for p in io.asked)


def test_the_answer_is_durable_before_grading_starts(
    examiner: Examiner, repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the grader starts, another connection can already read the answer: a kill -9 during
    grading (or a grader that hangs) loses nothing."""
    coach = Coach(examiner, repo)
    session = coach.start(LoopSettings(plan=PLAN[:1]))
    seen: list[list[str]] = []
    grade = coach._grade

    def watching(question: object, answer: str, follow_up: str | None = None) -> Grade:
        with sqlite3.connect(tmp_path / "pmloop.db") as db:  # not the coach's connection
            seen.append([r[0] for r in db.execute("SELECT answer FROM turns ORDER BY id")])
        return grade(question, answer, follow_up)  # type: ignore[arg-type]

    monkeypatch.setattr(coach, "_grade", watching)
    coach.run(session.id, FakeIO(_answers("First answer.", ":quit")))
    assert seen == [["First answer."]]


def test_quit_then_resume_continues_at_the_same_place(examiner: Examiner, repo: Repository) -> None:
    coach = Coach(examiner, repo)
    session = coach.start(LoopSettings(plan=PLAN))
    first = FakeIO(_answers("We would test it with users.", AnswerInput("half an answ", "quit")))
    outcome = coach.run(session.id, first)
    assert not outcome.finished
    stopped_at = first.asked[-1]
    assert repo.draft(session.id, stopped_at.number - 1, stopped_at.depth) == "half an answ"
    second = FakeIO(_answers(":skip", ":skip", ":skip", "Roll back.", ":skip", ":skip", ":skip"))
    assert coach.run(session.id, second).finished
    resumed = second.asked[0]
    assert (resumed.number, resumed.depth, resumed.text) == (
        stopped_at.number, stopped_at.depth, stopped_at.text
    )  # fmt: skip
    assert resumed.draft == "half an answ"


def test_empty_and_oversized_answers_are_kept_as_drafts(
    examiner: Examiner, repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMLOOP_MAX_ANSWER_WORDS", "5")
    coach = Coach(examiner, repo)
    session = coach.start(LoopSettings(plan=PLAN[:1]))
    io = FakeIO(_answers("   ", "one two three four five six seven", ":quit"))
    coach.run(session.id, io)
    assert any("empty" in n for n in io.notices) and any("limit is 5" in n for n in io.notices)
    assert repo.draft(session.id, 0, 0) == "one two three four five six seven"
    assert repo.get(session.id).turns == ()


def test_hints_reveal_one_senior_signal_at_a_time(
    examiner: Examiner, repo: Repository, bank: Bank
) -> None:
    coach = Coach(examiner, repo)
    session = coach.start(LoopSettings(plan=PLAN[:1]))
    io = FakeIO(_answers(":hint", ":hint", ":quit"))
    coach.run(session.id, io)
    seniors = [s.label.lower() for s in bank.get(PLAN[0]).signals if s.level == "senior"]
    assert io.notices[:2] == [f"Consider: {seniors[0]}.", f"Consider: {seniors[1]}."]
