"""Aggregate a stored session into a scorecard, and many sessions into progress."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pmloop.bank import Bank
from pmloop.grading import Grade
from pmloop.grading._text import split_sentences
from pmloop.interview import Edge, find_edge
from pmloop.store import SessionRecord
from pmloop.vocabulary import COMPETENCIES, FLAGS, Competency, Level

__all__ = [
    "CompetencyResult",
    "CompetencyTrend",
    "FlagQuote",
    "Progress",
    "QuestionResult",
    "Scorecard",
    "build_progress",
    "build_scorecard",
]


@dataclass(frozen=True)
class CompetencyResult:
    """A competency's level over a session and the quotes behind it."""

    competency: Competency
    level: int
    score: float
    answers: int
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class FlagQuote:
    """An anti-pattern raised in the session, with where it was raised."""

    flag: str
    quote: str
    question_number: int


@dataclass(frozen=True)
class QuestionResult:
    """One question of the session: its level, how deep it went, what senior would add."""

    number: int
    question_id: str
    text: str
    level: int | None
    skipped: bool
    edge: Edge
    senior_delta: str
    follow_ups: tuple[tuple[str, str, int | None], ...]  # (kind, prompt, level)


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


def _grades(session: SessionRecord) -> list[tuple[int, int, Grade]]:
    out = []
    for turn in session.turns:
        if turn.grade is not None and not turn.skipped:
            out.append((turn.question_index, turn.depth, Grade.model_validate(turn.grade)))
    return out


def build_scorecard(session: SessionRecord, bank: Bank) -> Scorecard:
    """Aggregate every graded answer of a session (follow-ups included)."""
    graded = _grades(session)
    levels: dict[Competency, list[tuple[int, float]]] = {}
    quotes: dict[Competency, list[str]] = {}
    seen: dict[Competency, set[str]] = {}
    for _, _, grade in graded:
        for comp in grade.competencies:
            levels.setdefault(comp.id, []).append((comp.level, comp.score))
            for evidence in comp.evidence:
                # overlapping quotes (a two-sentence window and one of its sentences) are the
                # same evidence: keep the first, skip any that repeats one of its sentences
                sentences = {s.text for s in split_sentences(evidence.quote)}
                if sentences & seen.setdefault(comp.id, set()):
                    continue
                seen[comp.id] |= sentences
                quotes.setdefault(comp.id, []).append(evidence.quote)
    competencies = []
    for competency in Competency:
        if competency not in levels:
            continue
        values = levels[competency]
        best = max(lv for lv, _ in values)
        mean_score = sum(sc for _, sc in values) / len(values)
        # the level a competency reached is the best one shown, tempered by the average:
        # one strong follow-up does not cancel a weak main answer entirely
        level = max(1, min(best, round(sum(lv for lv, _ in values) / len(values) + 0.25)))
        competencies.append(
            CompetencyResult(
                competency, level, round(mean_score, 1), len(values),
                tuple(quotes.get(competency, [])[:3]),
            )
        )  # fmt: skip
    flags = tuple(
        FlagQuote(flag.id.value, flag.quote, index + 1)
        for index, _, grade in graded
        for flag in grade.flags
    )
    questions = []
    gaps: Counter[str] = Counter()
    why: dict[str, str] = {}
    for index, question_id in enumerate(session.plan):
        turns = [t for t in session.turns if t.question_index == index]
        main = next((t for t in turns if t.depth == 0), None)
        text = bank.get(question_id).text if question_id in bank else question_id
        graded_turns = [t for t in turns if not t.skipped]
        edge = find_edge([t.prompt for t in graded_turns], [t.level for t in graded_turns])
        delta = ""
        if main is not None and main.grade is not None:
            main_grade = Grade.model_validate(main.grade)
            delta = main_grade.senior_delta
            met = {
                s.id
                for t in graded_turns
                if t.grade
                for s in Grade.model_validate(t.grade).signals
                if s.met
            }
            for gap in main_grade.missing:
                if gap.id not in met:
                    gaps[gap.label] += 1
                    why[gap.label] = gap.why_it_matters
        questions.append(
            QuestionResult(
                number=index + 1,
                question_id=question_id,
                text=text,
                level=main.level if main is not None else None,
                skipped=bool(main and main.skipped),
                edge=edge,
                senior_delta=delta,
                follow_ups=tuple((t.probe_kind, t.prompt, t.level) for t in turns if t.depth > 0),
            )
        )
    practise = tuple(f"{label}: {why[label]}" for label, _ in gaps.most_common(3))
    main_levels = [q.level for q in questions if q.level is not None]
    overall = round(sum(main_levels) / len(main_levels)) if main_levels else None
    return Scorecard(
        session_id=session.id,
        created_at=session.created_at,
        company=session.company,
        finished=session.status == "finished",
        level=overall,
        competencies=tuple(competencies),
        flags=flags,
        questions=tuple(questions),
        practise_next=practise,
    )


@dataclass(frozen=True)
class CompetencyTrend:
    """A competency's level in each session where it was graded, oldest first."""

    competency: Competency
    points: tuple[tuple[datetime, str, float], ...]  # (when, session id, mean level)

    @property
    def latest(self) -> float:
        """The most recent session's level."""
        return self.points[-1][2]

    @property
    def change(self) -> float:
        """Latest level minus the first one."""
        return self.points[-1][2] - self.points[0][2]


@dataclass(frozen=True)
class Progress:
    """Each competency's trend, the weakest one, and what to drill."""

    sessions: int
    trends: tuple[CompetencyTrend, ...]
    weakest: Competency | None
    drill: str


def build_progress(sessions: Sequence[SessionRecord]) -> Progress:
    """Trends across sessions (oldest first) and the competency to drill next."""
    ordered = sorted(sessions, key=lambda s: s.created_at)
    series: dict[Competency, list[tuple[datetime, str, float]]] = {}
    for session in ordered:
        per: dict[Competency, list[int]] = {}
        # only the per-competency levels are needed: read them from the stored JSON directly
        # rather than validating every grade, which dominated the progress page under load
        for turn in session.turns:
            if turn.grade is None or turn.skipped:
                continue
            for comp in turn.grade.get("competencies", []):
                per.setdefault(Competency(comp["id"]), []).append(int(comp["level"]))
        for competency, values in per.items():
            series.setdefault(competency, []).append(
                (session.created_at, session.id, round(sum(values) / len(values), 2))
            )
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
    return Progress(len(ordered), trends, weakest, drill)


def level_name(level: float | None) -> str:
    """'Strong' for 3, with a half-step shown as e.g. 'Surface-strong' for 2.5."""
    if level is None:
        return "—"
    low = Level(max(1, min(4, int(level))))
    if level - int(level) >= 0.5 and low < Level.SENIOR:
        return f"{low.title}-{Level(low + 1).title.lower()}"
    return low.title


def flag_title(flag: str) -> str:
    """The readable name of a flag id."""
    from pmloop.vocabulary import Flag

    return FLAGS[Flag(flag)].title
