"""The question after the question: which follow-up to ask, and where the answers ran out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from pmloop.bank import Question
from pmloop.grading import Grade, Usage, candidate_terms, term_probe
from pmloop.grading.offline._feedback import GENERIC_FLAG_PROBES, GENERIC_PROBES
from pmloop.vocabulary import Flag, Level

__all__ = ["MAX_FOLLOW_UPS", "Edge", "FollowUp", "FollowUpPolicy", "find_edge"]

#: Follow-ups per question unless a loop is configured otherwise (``--follow-ups``).
MAX_FOLLOW_UPS = 3

#: Flags whose follow-up comes before any missing signal, most pressing first.
SUBSTANCE_FLAGS = (Flag.OFF_TOPIC, Flag.RED_LINE, Flag.NO_SUBSTANCE, Flag.NO_CALL)

#: what a follow-up probes; "stakeholder" is a roleplay stakeholder's reply, not a probe
ProbeKind = Literal["signal", "term", "flag", "pressure", "stakeholder"]

_GENERIC_PRESSURE = (
    "Your VP wants this shipped this quarter anyway. What do you say, and what would make you "
    "change your mind?"
)


@dataclass(frozen=True)
class FollowUp:
    """A follow-up question and why it is being asked.

    ``by`` names the model that worded it (None: the offline interviewer), ``usage`` what its
    call cost, and ``notice`` why a model's wording was not used, when it was not."""

    kind: ProbeKind
    target: str | None
    text: str
    by: str | None = None
    usage: Usage | None = None
    notice: str | None = None


class FollowUpPolicy:
    """Up to ``cap`` follow-ups (three unless configured), each chosen by a rule a candidate can
    read. The thread is what counts: a signal any answer showed is never asked for, and no
    follow-up is asked twice.

    - An answer that is off topic, argues for a red line, says nothing or makes no call where
      one is asked is probed on that first.
    - After an answer below strong, the follow-up that lets the candidate recover: the most
      important strong signal no answer has shown (the basics of a good answer), then the term
      they introduced and left unexplained or the anti-pattern they showed, then a pressure
      probe on the last follow-up.
    - After a strong answer: the most important senior signal no answer has shown, then the
      term or anti-pattern, then a pressure probe on the last follow-up.
    - After a senior answer probing goes on: the pressure probes, then the consequences and
      senior signals no answer has covered. The question after the question is where senior
      is shown, and the edge map records where it stopped holding.
    """

    def __init__(self, cap: int = MAX_FOLLOW_UPS) -> None:
        self.cap = cap

    def next(
        self, question: Question, grades: Sequence[Grade], asked: Sequence[FollowUp]
    ) -> FollowUp | None:
        """The follow-up to ask after ``grades`` (main answer first), or None to move on."""
        if not grades or len(asked) >= self.cap:
            return None
        last = grades[-1]
        met = {s.id for g in grades for s in g.signals if s.met}
        last_slot = len(asked) == self.cap - 1
        pressure_asked = any(f.kind == "pressure" for f in asked)
        options: list[Callable[[], FollowUp | None]] = [
            lambda: self._substance(question, last, asked)
        ]
        if last.level >= 4:
            options += [
                lambda: self._pressure(question, asked),
                lambda: self._missing_signal(question, grades, asked, met, "senior"),
                lambda: self._term_or_flag(question, grades, asked),
            ]
        else:
            wanted: Literal["strong", "senior"] = "strong" if last.level <= 2 else "senior"
            if last_slot and not pressure_asked and last.level >= 2:
                options.append(lambda: self._pressure(question, asked))
            if not asked:
                options += [
                    lambda: self._missing_signal(question, grades, asked, met, wanted),
                    lambda: self._missing_signal(question, grades, asked, met, "any"),
                ]
            options += [
                lambda: self._term_or_flag(question, grades, asked),
                lambda: self._missing_signal(question, grades, asked, met, wanted),
                lambda: self._missing_signal(question, grades, asked, met, "any"),
                lambda: self._pressure(question, asked),
            ]
        used_texts = {f.text for f in asked}
        used_targets = {(f.kind, f.target) for f in asked if f.target is not None}
        for option in options:
            choice = option()
            if choice is None or choice.text in used_texts:
                continue
            if choice.target is not None and (choice.kind, choice.target) in used_targets:
                continue
            return choice
        return None

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
        self,
        question: Question,
        grades: Sequence[Grade],
        asked: Sequence[FollowUp],
        met: set[str],
        level: Literal["strong", "senior", "any"],
    ) -> FollowUp | None:
        """The most important signal no answer showed, at ``level``, with a probe to ask it."""
        probed = {f.target for f in asked if f.kind == "signal"}
        gaps = [s for s in grades[-1].signals if not s.met and s.id not in met]
        # the question's own signals before the general habits; the wanted level first
        gaps.sort(key=lambda s: (s.id.startswith("consequence."), s.level != "senior"))
        if level != "any":
            gaps = [s for s in gaps if s.level == level]
        for gap in gaps:
            if gap.id in probed:
                continue
            keyed = next((p.text for p in question.probes if p.signal == gap.id), None)
            generic = GENERIC_PROBES.get(gap.id.removeprefix("consequence."))
            text = keyed or generic
            if text is None:
                continue
            return FollowUp("signal", gap.id, text)
        return None

    def _term_or_flag(
        self, question: Question, grades: Sequence[Grade], asked: Sequence[FollowUp]
    ) -> FollowUp | None:
        done = {f.target for f in asked if f.kind in ("term", "flag")}
        term_asked = any(f.kind == "term" for f in asked)
        buzz = Flag.BUZZWORD_WITHOUT_SUBSTANCE
        prompts = [question.text, question.scenario or "", *(f.text for f in asked)]
        # the first unexplained term or anti-pattern in any answer to this question
        for grade in grades:
            raised = [f.id for f in grade.flags]
            if buzz in raised and not term_asked:
                terms = candidate_terms(grade.unexplained_terms, prompts)
                if terms:
                    return FollowUp("term", terms[0], term_probe(terms[0]))
            for flag in raised:
                if flag.value in done or (flag is buzz and term_asked):
                    continue
                keyed = next((p.text for p in question.probes if p.flag == flag), None)
                return FollowUp("flag", flag.value, keyed or GENERIC_FLAG_PROBES[flag])
        return None

    def _pressure(self, question: Question, asked: Sequence[FollowUp]) -> FollowUp | None:
        used = {f.text for f in asked}
        for text in (*question.pressure_probes, _GENERIC_PRESSURE):
            if text not in used:
                return FollowUp("pressure", None, text)
        return None


@dataclass(frozen=True)
class Edge:
    """How deep one question went before the answers stopped holding up.

    ``levels`` are the graded answers in order (the question, then each follow-up). The bar is
    strong; once an answer reaches senior the bar becomes senior, since probing goes on to find
    where senior stops holding. The edge is the first answer below the bar after which no
    answer reached it again; a question whose answers all held has no edge.
    """

    levels: tuple[int, ...]
    prompts: tuple[str, ...]

    @property
    def reached_senior(self) -> bool:
        """Whether any answer to this question was senior."""
        return any(level >= 4 for level in self.levels)

    def _bar(self, index: int) -> int:
        first_senior = next((i for i, lv in enumerate(self.levels) if lv >= 4), None)
        return 4 if first_senior is not None and index > first_senior else 3

    @property
    def depth(self) -> int | None:
        """The answer (0 = the question itself) where depth ran out, or None if it held."""
        for index, level in enumerate(self.levels):
            bar = self._bar(index)
            if level < bar and all(later < bar for later in self.levels[index:]):
                return index
        return None

    def describe(self) -> str:
        """One line for the report: the level trail and where it ran out."""
        trail = " → ".join(Level(level).title.lower() for level in self.levels) or "not answered"
        if not self.levels:
            return trail
        depth = self.depth
        if self.reached_senior:
            at = self.levels.index(4)
            where = "on the question" if at == 0 else f"at follow-up {at}"
            if self.levels[0] < 3:
                # a thread that opened below strong recovered on the way, even when the
                # recovery went straight to senior
                up = next(i for i, lv in enumerate(self.levels) if lv >= 3)
                where = f"at follow-up {at} (recovered at follow-up {up})"
            if depth is not None:
                fell = Level(self.levels[depth]).title.lower()
                return (
                    f"{trail} · senior {where}; stopped holding senior at follow-up {depth} "
                    f"({fell}): {self.prompts[depth]}"
                )
            pushed = len(self.levels) - 1 - at
            if pushed:
                return f"{trail} · senior {where}, held through {pushed} more follow-up(s)"
            return f"{trail} · reached senior {where}"
        if depth is None and self.levels[0] < 3:
            at = next(i for i, lv in enumerate(self.levels) if lv >= 3)
            return f"{trail} · recovered at follow-up {at}: the follow-ups drew out more"
        if depth is None:
            return f"{trail} · held through every follow-up"
        if depth == 0:
            return f"{trail} · ran out on the question itself"
        return f"{trail} · ran out at follow-up {depth}: {self.prompts[depth]}"


def find_edge(prompts: Sequence[str], levels: Sequence[int | None]) -> Edge:
    """The edge of a question from its prompts and the levels of the answers to them."""
    graded = [(p, lv) for p, lv in zip(prompts, levels, strict=True) if lv is not None]
    return Edge(tuple(lv for _, lv in graded), tuple(p for p, _ in graded))
