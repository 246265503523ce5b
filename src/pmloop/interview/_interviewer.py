"""The interviewer: the follow-up policy decides what to probe; a model, when one is configured,
words it for this thread.

Offline, the interviewer is the follow-up policy and the stakeholder engine, unchanged. With an
LLM configured (``--grader llm`` or ``ensemble``), the same rules still decide *whether* there is a
follow-up, which gaps are open and which one comes first; the model then writes the question from
the rubric and the whole thread (it may trade the first gap for another open one, never for a
signal the thread already showed), and a roleplay stakeholder's scripted reply is said in their own
voice. Whatever the model writes is checked (see ``pmloop.grading.llm``); when it fails a check or
the model cannot be reached, the offline wording stands and the follow-up carries a one-line
notice saying why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pmloop.bank import Question
from pmloop.grading import Grade
from pmloop.grading.llm import LLMConversation
from pmloop.interview._followup import SUBSTANCE_FLAGS, FollowUp, FollowUpPolicy
from pmloop.interview._formats import StakeholderEngine, StakeholderReply
from pmloop.vocabulary import FLAGS, Flag

__all__ = ["Interviewer"]


def _gap(choice: FollowUp, grade: Grade) -> tuple[str, str]:
    """The offline pick as an (id, description) pair the model can read."""
    if choice.kind == "signal":
        label = next((s.label for s in grade.signals if s.id == choice.target), choice.text)
        return f"signal:{choice.target}", label
    if choice.kind == "flag" and choice.target is not None:
        info = FLAGS[Flag(choice.target)]
        return f"flag:{choice.target}", f"{info.title}: {info.meaning}"
    if choice.kind == "term":
        return (
            f"term:{choice.target}",
            f"the term '{choice.target}' the candidate used without saying what it costs, how "
            "it works or where it fails",
        )
    return "pressure", f"push on the candidate's position; for example: {choice.text}"


def _from_gap(gap: str) -> tuple[str, str | None]:
    kind, _, target = gap.partition(":")
    return kind, (target or None)


class Interviewer:
    """Picks the next prompt of a thread: a follow-up, or a roleplay stakeholder's reply."""

    def __init__(
        self, policy: FollowUpPolicy | None = None, talk: LLMConversation | None = None
    ) -> None:
        self.policy = policy or FollowUpPolicy()
        self.talk = talk

    def follow_up(
        self,
        question: Question,
        thread: Sequence[tuple[str, str]],
        grades: Sequence[Grade],
        asked: Sequence[FollowUp],
    ) -> FollowUp | None:
        """The follow-up after ``thread`` ((prompt, answer) pairs, the question first), or None
        to move on. ``grades`` are the answers' own grades, ``asked`` the follow-ups so far."""
        choice = self.policy.next(question, grades, asked)
        if choice is None or self.talk is None:
            return choice
        last = grades[-1]
        met = {s.id for g in grades for s in g.signals if s.met}
        shown = [s.label for s in last.signals if s.id in met]
        suggested = _gap(choice, last)
        probed = {(f.kind, f.target) for f in asked}
        if choice.kind == "flag" and choice.target in {f.value for f in SUBSTANCE_FLAGS}:
            open_gaps: list[tuple[str, str]] = []  # a substance problem is probed first, alone
        else:
            open_gaps = [
                (f"signal:{s.id}", s.label)
                for s in last.signals
                if s.id not in met and ("signal", s.id) not in probed
            ]
        talked = self.talk.follow_up(
            question.text, question.scenario, thread, open_gaps, shown, suggested
        )
        if talked.text is None:
            return replace(
                choice,
                usage=talked.usage if talked.usage.calls else None,
                notice=f"The interviewer's model ({self.talk.label}) gave no usable follow-up: "
                f"{talked.failure}; this one is the offline interviewer's.",
            )
        kind, target = _from_gap(talked.target or suggested[0])
        return FollowUp(
            kind,  # type: ignore[arg-type]
            target,
            talked.text,
            by=self.talk.label,
            usage=talked.usage,
        )

    def stakeholder(
        self, question: Question, thread: Sequence[tuple[str, str]]
    ) -> tuple[StakeholderReply, FollowUp | None]:
        """Where a roleplay stands after the candidate's turns in ``thread``, and the
        stakeholder's next line as a prompt (None once the conversation has ended)."""
        stakeholder = question.stakeholder
        if stakeholder is None:
            raise ValueError(f"{question.id} is not a roleplay question")
        state = StakeholderEngine.for_question(question).reply([a for _, a in thread])
        if state.ended:
            return state, None
        scripted = FollowUp("stakeholder", None, f"{stakeholder.name}: {state.says}")
        if self.talk is None:
            return state, scripted
        concerns = [(c.label, c.id in state.met) for c in stakeholder.concerns]
        talked = self.talk.stakeholder_line(
            question.scenario or question.text,
            stakeholder.name,
            stakeholder.role,
            concerns,
            state.says,
            thread,
        )
        if talked.text is None:
            return state, replace(
                scripted,
                usage=talked.usage if talked.usage.calls else None,
                notice=f"The stakeholder's model ({self.talk.label}) gave no usable line: "
                f"{talked.failure}; this one is scripted.",
            )
        text = f"{stakeholder.name}: {talked.text}"
        return state, FollowUp("stakeholder", None, text, by=self.talk.label, usage=talked.usage)
