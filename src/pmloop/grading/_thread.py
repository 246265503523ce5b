"""A question's grade is its thread's: the answer and every follow-up answer, taken together.

Each answer keeps its own grade (what that answer showed, its own level), so the edge map can
say where the answers stopped holding. The thread's grade is built on top of those grades, not
by grading anything again: a signal or habit shown in any answer counts for the question, with
its quote from the answer that showed it; what is missing is what no answer showed; and the
level follows from the answers' levels by one rule (``THREAD_RULE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pmloop.grading._grade import (
    CompetencyGrade,
    Evidence,
    FlagResult,
    Grade,
    MissingSignal,
    SignalResult,
    ThreadInfo,
)
from pmloop.grading._text import split_sentences
from pmloop.grading.offline._feedback import SUBSTANCE_FIRST_FLAGS, delta_from_results
from pmloop.grading.offline._signals import text_concepts
from pmloop.vocabulary import FLAG_CAPS

__all__ = ["THREAD_RULE", "ThreadAnswer", "combine_thread", "thread_feedback", "thread_level"]

THREAD_RULE = (
    "the best level any answer in the thread reached, at most one level above the first answer"
)

#: Quotes kept per competency in a thread's grade.
_EVIDENCE = 6


@dataclass(frozen=True)
class ThreadAnswer:
    """One graded answer of a thread: the question (depth 0) or a follow-up."""

    depth: int
    answer: str
    grade: Grade
    #: what the follow-up this answer replies to probed ("question" for the question itself)
    probe_kind: str = "question"
    probe_target: str | None = None


def thread_level(levels: Sequence[int]) -> int:
    """The thread's level: the best any answer reached, at most one above the first answer.

    An interviewer credits what probing drew out, but a point made only when asked for is not
    the same as one made unprompted: follow-ups lift a question by one level at most.
    """
    if not levels:
        raise ValueError("a thread needs at least one graded answer")
    return min(max(levels), levels[0] + 1)


def _band_score(score: float, level: int) -> float:
    """Keep a score inside its level's band (boundaries at 25, 50 and 75)."""
    low, high = 25.0 * (level - 1), 25.0 * level - 0.1 if level < 4 else 100.0
    return round(min(max(score, low), high), 1)


def _answered_probe(item: ThreadAnswer, label: str) -> str | None:
    """The sentence of a follow-up answer that answers the signal the follow-up asked for.

    A follow-up that asked for a point and was answered at strong or better, with no flag that
    caps it, made that point, even in words the rubric's paraphrases do not use: the follow-up
    supplied the subject. The quote is the sentence closest to the signal's label.
    """
    grade = item.grade
    if grade.level < 3 or any(f.id in FLAG_CAPS for f in grade.flags):
        return None
    sentences = split_sentences(item.answer)
    if not sentences:
        return None
    wanted = text_concepts(label)
    best = max(sentences, key=lambda s: len(text_concepts(s.text) & wanted))
    return best.text


def combine_thread(answers: Sequence[ThreadAnswer]) -> Grade:
    """The thread's grade from its answers' grades (the question's answer first)."""
    if not answers:
        raise ValueError("a thread needs at least one graded answer")
    grades = [a.grade for a in answers]
    levels = [g.level for g in grades]
    level = thread_level(levels)
    latest = grades[-1]

    # signals: met if any answer met them, quoted from the first answer that did
    met: dict[str, tuple[list[str], int]] = {}
    order: list[SignalResult] = []
    seen_ids: set[str] = set()
    why: dict[str, str] = {}
    for item in answers:
        for gap in item.grade.missing:
            why.setdefault(gap.id, gap.why_it_matters)
        for signal in item.grade.signals:
            if signal.id not in seen_ids:
                seen_ids.add(signal.id)
                order.append(signal)
            if signal.met and signal.id not in met:
                met[signal.id] = (list(signal.quotes), item.depth)
        if item.depth and item.probe_kind == "signal" and item.probe_target:
            target = next((s for s in item.grade.signals if s.id == item.probe_target), None)
            if target is not None and target.id not in met:
                quote = _answered_probe(item, target.label)
                if quote is not None:
                    met[target.id] = ([quote], item.depth)
    signals = [
        SignalResult(
            id=s.id,
            label=s.label,
            level=s.level,
            met=s.id in met,
            quotes=met[s.id][0] if s.id in met else [],
            turn=met[s.id][1] if s.id in met else None,
        )
        for s in order
    ]
    # what no answer showed: the unmet signals, and any gap a grade names without a signal
    gaps: dict[str, tuple[str, str]] = {s.id: (s.label, s.level) for s in signals if not s.met}
    for item in answers:
        for gap in item.grade.missing:
            if gap.id not in met and gap.id not in gaps:
                gaps[gap.id] = (gap.label, "senior")
    ordered = sorted(
        gaps.items(),
        key=lambda kv: (kv[1][1] != "senior", kv[0].startswith("consequence.")),
    )
    missing = [
        MissingSignal(id=gid, label=label, why_it_matters=why.get(gid, label))
        for gid, (label, _) in ordered
    ]

    # competencies: every answer's evidence, each quote with the answer it comes from
    competencies: list[CompetencyGrade] = []
    for index, first in enumerate(grades[0].competencies):
        own = [next((c for c in g.competencies if c.id == first.id), None) for g in grades]
        comp_levels = [
            c.level if c is not None else g.level for c, g in zip(own, grades, strict=True)
        ]
        comp_level = level if index == 0 else thread_level(comp_levels)
        evidence: list[Evidence] = []
        quotes: set[str] = set()
        for item, comp in zip(answers, own, strict=True):
            for e in comp.evidence if comp is not None else []:
                if e.quote not in quotes:
                    quotes.add(e.quote)
                    evidence.append(Evidence(quote=e.quote, signal=e.signal, turn=item.depth))
        if index == 0:
            for signal in signals:
                if signal.met and signal.turn and signal.quotes[0] not in quotes:
                    quotes.add(signal.quotes[0])
                    evidence.append(
                        Evidence(quote=signal.quotes[0], signal=signal.id, turn=signal.turn)
                    )
        scores = [c.score for c in own if c is not None and c.level == comp_level] or [
            max((c.score for c in own if c is not None), default=0.0)
        ]
        competencies.append(
            CompetencyGrade(
                id=first.id,
                level=comp_level,
                score=_band_score(max(scores), comp_level),
                evidence=evidence[:_EVIDENCE],
            )
        )

    flags = [
        FlagResult(id=f.id, quote=f.quote, explanation=f.explanation, turn=item.depth)
        for item in answers
        for f in item.grade.flags
    ]
    at_level = [g for g in grades if g.level == level]
    source = at_level[0] if at_level else max(grades, key=lambda g: g.level)
    score = max(g.score for g in at_level) if at_level else source.score
    delta = delta_from_results(
        level,
        [(s.label, s.level) for s in signals if s.met],
        [
            (m.label, gap_level, m.why_it_matters)
            for m, (_, (_, gap_level)) in zip(missing, ordered, strict=True)
        ],
        # a thread that reached strong is not told to answer the question: a last answer
        # that said nothing under pressure is the edge map's business
        [(f.id, f.quote) for f in latest.flags if level <= 2 or f.id not in SUBSTANCE_FIRST_FLAGS],
    )
    terms = list(dict.fromkeys(t for g in grades for t in g.unexplained_terms))
    return latest.model_copy(
        update={
            "level": level,
            "level_name": ("below_bar", "surface", "strong", "senior")[level - 1],
            "score": _band_score(score, level),
            "confidence": source.confidence,
            "competencies": competencies,
            "signals": signals,
            "flags": flags,
            "missing": missing,
            "senior_delta": delta,
            "unexplained_terms": terms,
            "thread": ThreadInfo(levels=levels, rule=THREAD_RULE),
        }
    )


def thread_feedback(grade: Grade, thread: Grade) -> Grade:
    """An answer's own grade with the thread's feedback: it keeps its level, signals, flags and
    evidence (what this answer showed), and takes the thread's missing list, senior delta and
    follow-up, so it never asks for what an earlier answer already showed."""
    return grade.model_copy(
        update={
            "missing": thread.missing,
            "senior_delta": thread.senior_delta,
            "follow_up": thread.follow_up,
            "follow_up_target": thread.follow_up_target,
        }
    )
