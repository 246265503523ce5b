"""Aggregate a stored session into a scorecard, and many sessions into progress."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pmloop.bank import Bank, Question
from pmloop.grading import Grade, ThreadAnswer, Usage, combine_thread, thread_level, total_usage
from pmloop.grading._text import split_sentences
from pmloop.grading.offline._feedback import as_action
from pmloop.interview import Edge, StakeholderEngine, find_edge
from pmloop.store import SessionRecord, TurnRecord
from pmloop.vocabulary import COMPETENCIES, FLAGS, Competency, Level

__all__ = [
    "COMPETENCY_RULE",
    "OVERALL_RULE",
    "Calibration",
    "CompetencyResult",
    "CompetencyTrend",
    "ConcernState",
    "FactFound",
    "FlagQuote",
    "Interaction",
    "Progress",
    "QuestionResult",
    "Quote",
    "Scorecard",
    "SelfRating",
    "average_level",
    "build_progress",
    "build_scorecard",
    "calibration_summary",
    "competency_levels",
    "question_levels",
]


#: How the overall level follows from the competency levels.
OVERALL_RULE = (
    "the average of the assessed competencies' levels, rounded to the nearest level; a tie "
    "between two levels goes to the lower one"
)
#: How a competency's level follows from the questions that test it.
COMPETENCY_RULE = (
    "a competency is assessed only by the questions that mainly test it (their primary "
    "competency); its level is the average of those questions' levels, a tie going to the "
    "lower level"
)


def average_level(levels: Sequence[int]) -> int:
    """The mean of whole levels, rounded to the nearest level with a tie going down."""
    mean = sum(levels) / len(levels)
    return max(1, min(4, math.ceil(mean - 0.5)))


@dataclass(frozen=True)
class Quote:
    """A quote behind a level, and which answer of which question it comes from."""

    text: str
    question_number: int
    turn: int

    @property
    def where(self) -> str:
        """'Q1' or 'Q1, follow-up 2'."""
        return f"Q{self.question_number}" + (f", follow-up {self.turn}" if self.turn else "")


@dataclass(frozen=True)
class CompetencyResult:
    """A competency's level over a session (None: no question tested it) and its quotes."""

    competency: Competency
    level: int | None
    score: float
    answers: int  # questions that assessed it
    quotes: tuple[Quote, ...]

    @property
    def assessed(self) -> bool:
        """Whether a question of the session tested this competency."""
        return self.level is not None


@dataclass(frozen=True)
class FlagQuote:
    """An anti-pattern raised in the session, with where it was raised."""

    flag: str
    quote: str
    question_number: int
    turn: int = 0


@dataclass(frozen=True)
class QuestionResult:
    """One question of the session: its level (the thread's), how deep it went, what senior
    would add."""

    number: int
    question_id: str
    text: str
    competency: Competency | None
    level: int | None  # the thread's level; None when skipped or not answered
    first_level: int | None  # the first answer's own level
    skipped: bool
    edge: Edge
    senior_delta: str
    follow_ups: tuple[tuple[str, str, int | None], ...]  # (kind, prompt, level)


@dataclass(frozen=True)
class Calibration:
    """One answer the candidate rated before seeing its grade."""

    question_number: int
    turn: int
    competency: Competency
    predicted: int
    graded: int

    @property
    def gap(self) -> int:
        """Predicted minus graded: above zero, the candidate rated the answer higher."""
        return self.predicted - self.graded


@dataclass(frozen=True)
class FactFound:
    """A hidden fact of an ambiguity question, and when the candidate asked for it."""

    id: str
    fact: str
    changes_call: bool
    #: before the call (an ask before the first answer), only after it, or never
    asked: Literal["before", "after", "never"]


@dataclass(frozen=True)
class ConcernState:
    """A roleplay stakeholder's concern, and whether the candidate's turns met it."""

    id: str
    label: str
    negotiable: bool
    met: bool


@dataclass(frozen=True)
class Interaction:
    """What an interactive question drew out: the facts asked for (ambiguity) or the
    concerns met and left open (roleplay)."""

    question_number: int
    format: Literal["ambiguity", "roleplay"]
    #: ambiguity: every hidden fact, and whether the call (the first answer) was made
    facts: tuple[FactFound, ...] = ()
    called: bool = False
    #: roleplay: who, each concern, and how the talk stands (open, satisfied, unresolved)
    stakeholder: str = ""
    concerns: tuple[ConcernState, ...] = ()
    outcome: str = ""

    @property
    def decided_without(self) -> tuple[FactFound, ...]:
        """Facts that change the call, not asked for before it was made."""
        if not self.called:
            return ()
        return tuple(f for f in self.facts if f.changes_call and f.asked != "before")

    def summary(self) -> str:
        """One line on how the question went."""
        if self.format == "roleplay":
            ended = {
                "satisfied": "every concern met, the stakeholder agreed",
                "unresolved": "the turns ran out with concerns left open",
            }.get(self.outcome, "the conversation was still open")
            return f"Q{self.question_number}, roleplay with {self.stakeholder}: {ended}"
        needed = [f for f in self.facts if f.changes_call]
        if not self.called:
            how = "no call made yet"
        elif self.decided_without:
            how = (
                f"the call came before {len(self.decided_without)} of the {len(needed)} facts "
                "that change it"
            )
        else:
            how = "every fact that changes the call was asked for before making it"
        return f"Q{self.question_number}, ambiguity: {how}"

    def lines(self) -> list[str]:
        """One line per fact or concern, plain text."""
        if self.format == "roleplay":
            return [
                ("Met: " if c.met else "Left open: ")
                + c.label
                + ("" if c.met or c.negotiable else " (one to hold, not to trade)")
                for c in self.concerns
            ]
        when = {
            "before": "Asked for before the call",
            "after": "Asked for only after the call",
            "never": "Never asked for",
        }
        return [
            f"{when[f.asked]}: {f.fact}" + (" (changes the call)" if f.changes_call else "")
            for f in sorted(self.facts, key=lambda f: ("before", "after", "never").index(f.asked))
        ]


def _interaction(session: SessionRecord, index: int, question: Question) -> Interaction | None:
    number = index + 1
    turns = [t for t in session.turns if t.question_index == index]
    if question.facts:
        asks = [a for a in session.asks if a.question_index == index and a.fact_id]
        before = {a.fact_id for a in asks if a.depth == 0}
        ever = {a.fact_id for a in asks}
        called = any(t.depth == 0 and not t.skipped for t in turns)
        facts = tuple(
            FactFound(
                f.id,
                f.fact,
                f.changes_call,
                "before" if f.id in before else "after" if f.id in ever else "never",
            )
            for f in question.facts
        )
        return Interaction(number, "ambiguity", facts=facts, called=called)
    person = question.stakeholder
    if person is None:
        return None
    said = [t.answer for t in sorted(turns, key=lambda t: t.depth) if not t.skipped]
    state = StakeholderEngine.for_question(question).reply(said)
    concerns = tuple(
        ConcernState(c.id, c.label, c.negotiable, c.id in state.met) for c in person.concerns
    )
    return Interaction(
        number,
        "roleplay",
        stakeholder=f"{person.name}, {person.role}",
        concerns=concerns,
        outcome=state.outcome,
    )


@dataclass(frozen=True)
class Scorecard:
    """Everything the end-of-loop report shows."""

    session_id: str
    created_at: datetime
    company: str
    finished: bool
    level: int | None
    competencies: tuple[CompetencyResult, ...]
    flags: tuple[FlagQuote, ...]
    questions: tuple[QuestionResult, ...]
    practise_next: tuple[str, ...]
    calibration: tuple[Calibration, ...] = ()
    answered: int = 0
    #: the ambiguity and roleplay questions: facts asked for, concerns met
    interactions: tuple[Interaction, ...] = ()
    #: what the session's LLM calls cost, summed over its stored grades (None: no LLM grades)
    usage: Usage | None = None

    def usage_line(self) -> str | None:
        """One line on the session's LLM calls: count, tokens, time and cost when priced."""
        usage = self.usage
        if usage is None:
            return None
        line = (
            f"LLM judge: {usage.calls} calls, {usage.input_tokens:,} input and "
            f"{usage.output_tokens:,} output tokens, {usage.latency_ms / 1000:.1f} s"
        )
        if usage.cost_usd is not None:
            line += f", ${usage.cost_usd:.4f}"
        return line + "."

    @property
    def status(self) -> str:
        """'finished', or how far an unfinished session got."""
        if self.finished:
            return "finished"
        return f"unfinished: {self.answered} of {len(self.questions)} questions answered"


def _primary(turn: TurnRecord, bank: Bank | None) -> Competency | None:
    """The competency a turn's question mainly tests, from its stored grade or the bank."""
    if turn.grade is not None:
        competencies = turn.grade.get("question", {}).get("competencies") or []
        if competencies:
            return Competency(competencies[0])
    if bank is not None and turn.question_id in bank:
        return bank.get(turn.question_id).primary
    return None


def question_levels(
    session: SessionRecord, bank: Bank | None = None
) -> list[tuple[Competency | None, int | None]]:
    """Each planned question's primary competency and thread level (None: not answered).

    Reads the stored per-answer levels only, so progress over many sessions stays cheap; the
    scorecard uses the same numbers.
    """
    out: list[tuple[Competency | None, int | None]] = []
    for index, question_id in enumerate(session.plan):
        turns = [t for t in session.turns if t.question_index == index]
        graded = [t for t in turns if not t.skipped and t.level is not None]
        primary = next((_primary(t, bank) for t in graded), None)
        if primary is None and bank is not None and question_id in bank:
            primary = bank.get(question_id).primary
        first = next((t for t in turns if t.depth == 0), None)
        if first is None or first.skipped or first.level is None:
            out.append((primary, None))
            continue
        levels = [t.level for t in sorted(graded, key=lambda t: t.depth) if t.level is not None]
        out.append((primary, thread_level(levels)))
    return out


def competency_levels(
    session: SessionRecord, bank: Bank | None = None
) -> dict[Competency, tuple[int, int]]:
    """The level of each competency a session assessed, with how many questions assessed it."""
    per: dict[Competency, list[int]] = {}
    for primary, level in question_levels(session, bank):
        if primary is not None and level is not None:
            per.setdefault(primary, []).append(level)
    return {c: (average_level(v), len(v)) for c, v in per.items()}


def _calibration(session: SessionRecord, bank: Bank | None) -> list[Calibration]:
    out = []
    for turn in session.turns:
        if turn.self_level is None or turn.level is None or turn.skipped:
            continue
        primary = _primary(turn, bank)
        if primary is not None:
            out.append(
                Calibration(
                    turn.question_index + 1, turn.depth, primary, turn.self_level, turn.level
                )
            )
    return out


def _skipped_delta(question: Question) -> str:
    seniors = [s for s in question.signals if s.level == "senior"] or list(question.signals)
    first = seniors[0]
    why = first.why_it_matters.rstrip(".")
    why = why[:1].lower() + why[1:] if not why.split(" ", 1)[0].isupper() else why
    return f"Not answered. A senior answer would {as_action(first.label)}, because {why}."


def build_scorecard(session: SessionRecord, bank: Bank) -> Scorecard:
    """Aggregate a session: each question by its thread, each competency by its questions."""
    levels = question_levels(session, bank)
    by_competency: dict[Competency, list[tuple[int, float, list[Quote]]]] = {}
    flags: list[FlagQuote] = []
    questions: list[QuestionResult] = []
    gaps: Counter[str] = Counter()
    why: dict[str, str] = {}
    answered = 0
    interactions: list[Interaction] = []
    for index, question_id in enumerate(session.plan):
        number = index + 1
        turns = sorted(
            (t for t in session.turns if t.question_index == index), key=lambda t: t.depth
        )
        main = next((t for t in turns if t.depth == 0), None)
        known = question_id in bank
        question = bank.get(question_id) if known else None
        text = question.text if question is not None else question_id
        found = _interaction(session, index, question) if question is not None else None
        if found is not None:
            interactions.append(found)
        graded = [t for t in turns if not t.skipped and t.grade is not None]
        edge = find_edge([t.prompt for t in graded], [t.level for t in graded])
        primary, level = levels[index]
        if main is not None:
            answered += 1
        delta = ""
        if graded and main is not None and not main.skipped:
            thread = combine_thread(
                [
                    ThreadAnswer(
                        t.depth, t.answer, Grade.model_validate(t.grade), t.probe_kind,
                        t.probe_target,
                    )
                    for t in graded
                ]
            )  # fmt: skip
            delta = thread.senior_delta
            flags += [FlagQuote(f.id.value, f.quote, number, f.turn or 0) for f in thread.flags]
            for gap in thread.missing:
                gaps[gap.label] += 1
                why[gap.label] = gap.why_it_matters
            if primary is not None and level is not None:
                comp = next((c for c in thread.competencies if c.id == primary), None)
                quotes = [
                    Quote(e.quote, number, e.turn or 0) for e in (comp.evidence if comp else [])
                ]
                score = comp.score if comp is not None else thread.score
                by_competency.setdefault(primary, []).append((level, score, quotes))
        elif question is not None:
            delta = _skipped_delta(question)
        questions.append(
            QuestionResult(
                number=number,
                question_id=question_id,
                text=text,
                competency=primary,
                level=level,
                first_level=main.level if main is not None and not main.skipped else None,
                skipped=bool(main and main.skipped),
                edge=edge,
                senior_delta=delta,
                follow_ups=tuple((t.probe_kind, t.prompt, t.level) for t in turns if t.depth > 0),
            )
        )
    competencies = []
    for competency in Competency:
        results = by_competency.get(competency)
        if not results:
            competencies.append(CompetencyResult(competency, None, 0.0, 0, ()))
            continue
        level = average_level([lv for lv, _, _ in results])
        quotes = _distinct([q for _, _, qs in results for q in qs])
        competencies.append(
            CompetencyResult(
                competency,
                level,
                round(sum(sc for _, sc, _ in results) / len(results), 1),
                len(results),
                tuple(quotes[:3]),
            )
        )
    assessed = [r.level for r in competencies if r.level is not None]
    practise = tuple(f"{label}: {why[label]}" for label, _ in gaps.most_common(3))
    return Scorecard(
        session_id=session.id,
        created_at=session.created_at,
        company=session.company,
        finished=session.status == "finished",
        level=average_level(assessed) if assessed else None,
        competencies=tuple(competencies),
        flags=tuple(flags),
        questions=tuple(questions),
        practise_next=practise,
        calibration=tuple(_calibration(session, bank)),
        answered=answered,
        interactions=tuple(interactions),
        usage=total_usage(
            Grade.model_validate(t.grade).usage for t in session.turns if t.grade is not None
        ),
    )


def _distinct(quotes: list[Quote]) -> list[Quote]:
    """Overlapping quotes (a two-sentence window and one of its sentences) are one quote."""
    seen: set[str] = set()
    out = []
    for quote in quotes:
        sentences = {s.text for s in split_sentences(quote.text)}
        if sentences & seen:
            continue
        seen |= sentences
        out.append(quote)
    return out


def calibration_summary(items: Sequence[Calibration]) -> list[str]:
    """Where the candidate over- or under-rates themselves, one line per finding."""
    if not items:
        return []
    over = [c for c in items if c.gap > 0]
    under = [c for c in items if c.gap < 0]
    matched = len(items) - len(over) - len(under)
    lines = [
        f"You rated {len(items)} answer(s) before seeing the grade: {matched} matched, "
        f"{len(over)} above the grade, {len(under)} below it."
    ]
    for label, group in (("above", over), ("below", under)):
        by_comp: dict[Competency, list[Calibration]] = {}
        for c in group:
            by_comp.setdefault(c.competency, []).append(c)
        for competency, cs in by_comp.items():
            where = ", ".join(
                f"Q{c.question_number}{f' follow-up {c.turn}' if c.turn else ''}: you said "
                f"{Level(c.predicted).title.lower()}, graded {Level(c.graded).title.lower()}"
                for c in cs
            )
            verb = "over-rate" if label == "above" else "under-rate"
            lines.append(f"You {verb} {COMPETENCIES[competency].title.lower()} ({where}).")
    return lines


@dataclass(frozen=True)
class CompetencyTrend:
    """A competency's level in each session that assessed it, oldest first (the scorecards'
    levels, whole numbers)."""

    competency: Competency
    points: tuple[tuple[datetime, str, float], ...]  # (when, session id, level)

    @property
    def latest(self) -> float:
        """The most recent session's level."""
        return self.points[-1][2]

    @property
    def change(self) -> float:
        """Latest level minus the first one."""
        return self.points[-1][2] - self.points[0][2]


@dataclass(frozen=True)
class SelfRating:
    """How a candidate's predictions of one competency's answers compare with the grades."""

    competency: Competency
    answers: int
    mean_gap: float  # predicted minus graded, in levels; above zero: rates themselves higher

    def describe(self) -> str:
        """'rates themselves 0.7 levels above the grades (5 answers)'."""
        if abs(self.mean_gap) < 0.25:
            return f"your ratings match the grades ({self.answers} answers)"
        side = "above" if self.mean_gap > 0 else "below"
        return (
            f"you rate your answers {abs(self.mean_gap):.1f} levels {side} the grades on "
            f"average ({self.answers} answers)"
        )


@dataclass(frozen=True)
class Progress:
    """Each competency's trend, the weakest one, what to drill, and self-calibration."""

    sessions: int
    trends: tuple[CompetencyTrend, ...]
    weakest: Competency | None
    drill: str
    self_ratings: tuple[SelfRating, ...] = ()


def build_progress(
    sessions: Sequence[SessionRecord], until: SessionRecord | None = None
) -> Progress:
    """Trends across sessions (oldest first) and the competency to drill next.

    Each point is the level the session's scorecard gives the competency; a session that
    assessed nothing is not counted. With ``until``, only sessions up to that one count, so a
    report of an older session shows the history as it stood then.
    """
    ordered = sorted(sessions, key=lambda s: s.created_at)
    if until is not None:
        ordered = [s for s in ordered if s.created_at <= until.created_at]
    series: dict[Competency, list[tuple[datetime, str, float]]] = {}
    counted = 0
    gaps: dict[Competency, list[int]] = {}
    for session in ordered:
        levels = competency_levels(session)
        if levels:
            counted += 1
        for competency, (level, _) in levels.items():
            series.setdefault(competency, []).append((session.created_at, session.id, level))
        for item in _calibration(session, None):
            gaps.setdefault(item.competency, []).append(item.gap)
    trends = tuple(CompetencyTrend(c, tuple(series[c])) for c in Competency if c in series)
    weakest = None
    if trends:
        # recent levels matter most; the last two sessions of a competency are averaged
        def recent(trend: CompetencyTrend) -> float:
            tail = [p[2] for p in trend.points[-2:]]
            return sum(tail) / len(tail)

        weakest = min(trends, key=recent).competency
    drill = (
        f"pmloop drill  (a short loop on {COMPETENCIES[weakest].title.lower()}, plus any "
        "question due for review)"
        if weakest
        else "pmloop practice  (no graded answers yet)"
    )
    ratings = tuple(
        SelfRating(c, len(gaps[c]), round(sum(gaps[c]) / len(gaps[c]), 2))
        for c in Competency
        if c in gaps
    )
    return Progress(counted, trends, weakest, drill, ratings)


def level_name(level: float | None) -> str:
    """A level as a person reads it: 'Strong' for 3, '—' for none. Levels are whole numbers
    everywhere pmloop shows them; a fraction is rounded as ``average_level`` rounds."""
    if level is None:
        return "—"
    return Level(average_level([int(level)]) if level == int(level) else _nearest(level)).title


def _nearest(level: float) -> int:
    return max(1, min(4, math.ceil(level - 0.5)))


def flag_title(flag: str) -> str:
    """The readable name of a flag id."""
    from pmloop.vocabulary import Flag

    return FLAGS[Flag(flag)].title
