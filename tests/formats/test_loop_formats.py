"""The coach runs both interactive formats over a real SQLite store."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pmloop.coach import AnswerInput, AnswerPrompt, Coach, LoopSettings
from pmloop.grading import Examiner, Grade
from pmloop.store import open_repository

AMBIGUITY = "fixture-ambiguity-summaries-thumbs-down"
ROLEPLAY = "fixture-roleplay-legal-voice-clone"


@dataclass
class FakeIO:
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


ANSWER = (
    "The rise is in long meetings, and infra cut the transcript we send last Monday, so the "
    "model never sees the second half. I would restore the full transcript for meetings over "
    "an hour today and watch the thumbs-down rate for long meetings over the next week; if it "
    "does not fall back to 3%, I look at the summarisation prompt next."
)


def _coach(examiner: Examiner, tmp_path: Path) -> Coach:
    return Coach(examiner, open_repository(f"sqlite:///{tmp_path / 'pmloop.db'}"))


def test_asks_are_answered_stored_and_noted(format_examiner: Examiner, tmp_path: Path) -> None:
    coach = _coach(format_examiner, tmp_path)
    session = coach.start(LoopSettings(plan=(AMBIGUITY,), follow_ups=0))
    io = FakeIO(
        iter(
            [
                AnswerInput(command="ask", ask="Is the rise the same for short and long meetings?"),
                AnswerInput(command="ask", ask="What colour is the logo?", text="draft kept"),
                AnswerInput(text=ANSWER),
            ]
        )
    )
    assert coach.run(session.id, io).finished
    # the prompt shown after each ask carries the asks so far, with their replies
    assert io.asked[1].asks == (
        (
            "Is the rise the same for short and long meetings?",
            "The rise is entirely in meetings longer than an hour; short meetings are unchanged.",
        ),
    )
    assert io.asked[2].asks[1] == ("What colour is the logo?", "We don't know that.")
    assert io.asked[2].draft == "draft kept"
    stored = coach.repository.get(session.id)
    assert [(a.fact_id, a.depth) for a in stored.asks] == [("long_meetings_only", 0), (None, 0)]
    # the call was made without the infra change: the note says so
    assert any("without asking for: context_cut" in n for n in io.notices), io.notices
    found = coach.discovery(stored, 0)
    assert found is not None
    assert found.asked == ("long_meetings_only",)
    assert found.never == ("context_cut", "new_button", "holiday_week")


def test_an_ask_on_an_interview_question_is_refused(
    format_examiner: Examiner, tmp_path: Path
) -> None:
    coach = _coach(format_examiner, tmp_path)
    session = coach.start(LoopSettings(plan=(ROLEPLAY,), follow_ups=0))
    step = coach.current(session.id)
    assert step is not None
    io = FakeIO(
        iter([AnswerInput(command="ask", ask="Who is Priya?"), AnswerInput(command="quit")])
    )
    coach.run(session.id, io)
    assert io.notices == [":ask works on ambiguity questions only"]
    assert coach.repository.get(session.id).asks == ()


def test_roleplay_turns_get_the_stakeholder_and_end_satisfied(
    format_examiner: Examiner, tmp_path: Path
) -> None:
    coach = _coach(format_examiner, tmp_path)
    session = coach.start(LoopSettings(plan=(ROLEPLAY,)))
    turns = [
        "I hear you. Nobody gets cloned unless they record a consent statement in their own "
        "voice first, checked against the voice being cloned.",
        "We'll launch as a limited beta with a small group of podcasters and widen it only "
        "after a month of abuse reports.",
        "I'll own takedown requests myself and we answer every one within a day.",
    ]
    io = FakeIO(iter([AnswerInput(text=t) for t in turns]))
    assert coach.run(session.id, io).finished
    first, second, third = io.asked
    assert first.intro == (
        "Priya Raman, Lead counsel: I can't let this go out. Anyone can clone anyone's voice "
        "from a ten-second clip."
    )
    assert second.kind == "stakeholder"
    assert second.text == "Priya Raman: And all users on day one? That's a lot of surface."
    assert third.text == "Priya Raman: When someone complains, who answers?"
    assert io.notices[-1].startswith("Priya Raman: All right.")
    stored = coach.repository.get(session.id)
    assert len(stored.turns) == 3  # one graded thread of three turns
    (thread,) = coach.threads(stored)
    assert thread[-1].thread is not None and thread[-1].thread.thread is not None
    assert len(thread[-1].thread.thread.levels) == 3
    found = coach.discovery(stored, 0)
    assert found is not None and found.outcome == "satisfied" and found.unmet == ()


def test_roleplay_ends_unresolved_after_max_turns(
    format_examiner: Examiner, tmp_path: Path
) -> None:
    coach = _coach(format_examiner, tmp_path)
    session = coach.start(LoopSettings(plan=(ROLEPLAY,)))
    io = FakeIO(iter([AnswerInput(text="I think this launch is important for us.")] * 9))
    assert coach.run(session.id, io).finished
    assert len(io.asked) == 5  # max_turns
    assert io.notices[-1] == (
        "Priya Raman: We've run out of time and I'm still not comfortable. It doesn't ship "
        "this month."
    )
    found = coach.discovery(coach.repository.get(session.id), 0)
    assert found is not None and found.outcome == "unresolved" and found.met == ()
