"""A drill: a short loop of the questions due for review, then the weakest competency's."""

from __future__ import annotations

from dataclasses import dataclass

from pmloop.coach._loop import Coach, LoopSettings
from pmloop.errors import InputError

__all__ = ["DrillPlan", "plan_drill"]


@dataclass(frozen=True)
class DrillPlan:
    """The settings of a drill and how many of its questions were due for review."""

    settings: LoopSettings
    due: int


def plan_drill(
    coach: Coach, questions: int = 2, owner_id: int | None = None, self_rating: bool = False
) -> DrillPlan:
    """Plan a drill of ``questions`` for one owner (None: a local install).

    Raises ``InputError`` when nothing is due and no loop has been graded yet.
    """
    from pmloop.interview import PROFILES, LoopPlanner
    from pmloop.report import build_progress

    repository = coach.repository
    due = [q for q in repository.due_reviews(owner_id=owner_id) if q in coach.bank][:questions]
    plan = list(due)
    if len(plan) < questions:
        owners = None if owner_id is None else [owner_id]
        weakest = build_progress(repository.list_sessions(owners=owners)).weakest
        if weakest is None:
            raise InputError("nothing to drill yet; run a loop first")
        extra = LoopPlanner(coach.bank).plan(
            PROFILES["general"],
            questions - len(plan),
            [weakest],
            avoid=repository.recent_question_ids(owner_id=owner_id) | set(plan),
        )
        plan += [q.id for q in extra]
    settings = LoopSettings(
        kind="drill", questions=len(plan), plan=tuple(plan), self_rating=self_rating
    )
    return DrillPlan(settings, len(due))
