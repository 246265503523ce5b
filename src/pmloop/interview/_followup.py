"""The question after the question: which follow-up to ask, and where the answers ran out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pmloop.bank import Question
from pmloop.grading import Grade
from pmloop.grading._feedback import GENERIC_FLAG_PROBES, GENERIC_PROBES
from pmloop.vocabulary import Flag, Level

__all__ = ["MAX_FOLLOW_UPS", "Edge", "FollowUp", "FollowUpPolicy", "find_edge"]

MAX_FOLLOW_UPS = 3

#: Flags whose follow-up comes before any missing signal, most pressing first.
SUBSTANCE_FLAGS = (Flag.OFF_TOPIC, Flag.RED_LINE, Flag.NO_SUBSTANCE, Flag.NO_CALL)

ProbeKind = Literal["signal", "term", "flag", "pressure"]

_GENERIC_PRESSURE = (
    "Your VP wants this shipped this quarter anyway. What do you say, and what would make you "
    "change your mind?"
)


@dataclass(frozen=True)
class FollowUp:
    """A follow-up question and why it is being asked."""

    kind: ProbeKind
    target: str | None
    text: str


class FollowUpPolicy:
    """Up to three follow-ups, each chosen by a rule a candidate can read.

    1. The most important senior signal the answers have not shown yet, asked with the bank's
       probe for it.
    2. The term the candidate left unexplained, or the anti-pattern they showed; if neither,
       the next missing senior signal.
    3. A pressure probe that pushes on the candidate's position.

    An answer that is off topic, argues for a red line, says nothing or makes no call where one is
    asked is probed on that first.

    Probing stops as soon as an answer reaches senior, or after the third follow-up.
    """

    def next(
        self, question: Question, grades: Sequence[Grade], asked: Sequence[FollowUp]
    ) -> FollowUp | None:
        """The follow-up to ask after ``grades`` (main answer first), or None to move on."""
        if not grades or len(asked) >= MAX_FOLLOW_UPS or grades[-1].level >= 4:
            return None
        slot = len(asked)
        substance = self._substance(question, grades[-1], asked)
        if substance is not None:
            # an answer to another question, a disqualifying call, no call or nothing in it:
            # the next question is about that, whatever else is missing
            return substance
        if slot == 0:
            return self._missing_signal(question, grades, asked) or self._term_or_flag(
                question, grades, asked
            )
        if slot == 1:
            return self._term_or_flag(question, grades, asked) or self._missing_signal(
                question, grades, asked
            )
        return self._pressure(question, asked)

    def _substance(
        self, question: Question, grade: Grade, asked: Sequence[FollowUp]
    ) -> FollowUp | None:
        done = {f.target for f in asked if f.kind == "flag"}
        raised = {f.id for f in grade.flags}
        for flag in SUBSTANCE_FLAGS:
            if flag in raised and flag.value not in done:
                keyed = next((p.text for p in question.probes if p.flag == flag), None)
                return FollowUp("flag", flag.value, keyed or GENERIC_FLAG_PROBES[flag])
        return None

    def _missing_signal(
        self, question: Question, grades: Sequence[Grade], asked: Sequence[FollowUp]
    ) -> FollowUp | None:
        met = {s.id for g in grades for s in g.signals if s.met}
        probed = {f.target for f in asked if f.kind == "signal"}
        for gap in grades[-1].missing:
            if gap.id in met or gap.id in probed:
                continue
            keyed = next((p.text for p in question.probes if p.signal == gap.id), None)
            generic = GENERIC_PROBES.get(gap.id.removeprefix("consequence."))
            text = keyed or generic
            if text is None:
                continue
            signal_level = next((s.level for s in question.signals if s.id == gap.id), "senior")
            if signal_level != "senior" and keyed is None:
                continue
            return FollowUp("signal", gap.id, text)
        return None

    def _term_or_flag(
        self, question: Question, grades: Sequence[Grade], asked: Sequence[FollowUp]
    ) -> FollowUp | None:
        done = {f.target for f in asked if f.kind in ("term", "flag")}
        term_asked = any(f.kind == "term" for f in asked)
        buzz = Flag.BUZZWORD_WITHOUT_SUBSTANCE
        # the first unexplained term or anti-pattern in any answer to this question
        for grade in grades:
            raised = [f.id for f in grade.flags]
            if buzz in raised and grade.follow_up.startswith("You mentioned") and not term_asked:
                return FollowUp("term", grade.follow_up.split('"')[1], grade.follow_up)
            for flag in raised:
                if flag.value in done or (flag is buzz and term_asked):
                    continue
                keyed = next((p.text for p in question.probes if p.flag == flag), None)
                return FollowUp("flag", flag.value, keyed or GENERIC_FLAG_PROBES[flag])
        return None

    def _pressure(self, question: Question, asked: Sequence[FollowUp]) -> FollowUp:
        used = {f.text for f in asked}
        for text in question.pressure_probes:
            if text not in used:
                return FollowUp("pressure", None, text)
        return FollowUp("pressure", None, _GENERIC_PRESSURE)


@dataclass(frozen=True)
class Edge:
    """How deep one question went before the answers stopped holding up.

    ``levels`` are the graded answers in order (the question, then each follow-up). The edge is
    the first answer below strong after which no answer reached strong again; a question whose
    answers all held has no edge, and one that reached senior stopped being probed there.
    """

    levels: tuple[int, ...]
    prompts: tuple[str, ...]

    @property
    def reached_senior(self) -> bool:
        """Whether any answer to this question was senior."""
        return any(level >= 4 for level in self.levels)

    @property
    def depth(self) -> int | None:
        """The answer (0 = the question itself) where depth ran out, or None if it held."""
        for index, level in enumerate(self.levels):
            if level < 3 and all(later < 3 for later in self.levels[index:]):
                return index
        return None

    def describe(self) -> str:
        """One line for the report: the level trail and where it ran out."""
        trail = " → ".join(Level(level).title.lower() for level in self.levels) or "not answered"
        if not self.levels:
            return trail
        if self.reached_senior:
            at = self.levels.index(max(self.levels))
            where = "on the question" if at == 0 else f"at follow-up {at}"
            return f"{trail} · reached senior {where}"
        depth = self.depth
        if depth is None and self.levels[0] < 3:
            return f"{trail} · the follow-ups drew out more than the first answer showed"
        if depth is None:
            return f"{trail} · held through every follow-up"
        if depth == 0:
            return f"{trail} · ran out on the question itself"
        return f"{trail} · ran out at follow-up {depth}: {self.prompts[depth]}"


def find_edge(prompts: Sequence[str], levels: Sequence[int | None]) -> Edge:
    """The edge of a question from its prompts and the levels of the answers to them."""
    graded = [(p, lv) for p, lv in zip(prompts, levels, strict=True) if lv is not None]
    return Edge(tuple(lv for _, lv in graded), tuple(p for p, _ in graded))
