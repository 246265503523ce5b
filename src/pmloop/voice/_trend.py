"""How delivery moves across sessions: pace, fillers, pauses, hedges and the first point, per
session that had spoken answers, oldest first."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pmloop.store import SessionRecord

__all__ = ["DeliveryPoint", "delivery_trend", "delivery_trend_lines"]


@dataclass(frozen=True)
class DeliveryPoint:
    """One session's spoken answers, summed up."""

    session_id: str
    when: datetime
    answers: int
    words_per_minute: float
    fillers_per_minute: float
    pauses_per_answer: float
    hedges_per_answer: float
    #: median seconds to the first call, over the answers that made one (None: none did)
    first_point_seconds: float | None


def delivery_trend(sessions: Sequence[SessionRecord]) -> list[DeliveryPoint]:
    """A point per session with at least one spoken answer with a delivery read."""
    points: list[DeliveryPoint] = []
    for session in sorted(sessions, key=lambda s: s.created_at):
        reads = [t.delivery for t in session.turns if t.delivery and not t.skipped]
        if not reads:
            continue
        firsts = [float(r["first_point_seconds"]) for r in reads
                  if r.get("first_point_seconds") is not None]  # fmt: skip
        points.append(
            DeliveryPoint(
                session_id=session.id,
                when=session.created_at,
                answers=len(reads),
                words_per_minute=statistics.median(float(r["words_per_minute"]) for r in reads),
                fillers_per_minute=statistics.fmean(float(r["fillers_per_minute"]) for r in reads),
                pauses_per_answer=statistics.fmean(len(r.get("pauses", [])) for r in reads),
                hedges_per_answer=statistics.fmean(len(r.get("hedges", [])) for r in reads),
                first_point_seconds=statistics.median(firsts) if firsts else None,
            )
        )
    return points


def delivery_trend_lines(sessions: Sequence[SessionRecord]) -> list[str]:
    """The trend as lines, one per session, then what changed from the first to the last."""
    points = delivery_trend(sessions)
    lines = []
    for p in points:
        first = f"{p.first_point_seconds:.0f} s" if p.first_point_seconds is not None else "none"
        lines.append(
            f"{p.when:%Y-%m-%d} {p.session_id}: {p.answers} spoken · {p.words_per_minute:.0f} wpm "
            f"· {p.fillers_per_minute:.1f} fillers/min · {p.pauses_per_answer:.1f} long pauses "
            f"and {p.hedges_per_answer:.1f} hedges per answer · first point at {first}"
        )
    if len(points) > 1:
        a, b = points[0], points[-1]
        lines.append(
            f"Since the first: fillers {b.fillers_per_minute - a.fillers_per_minute:+.1f}/min, "
            f"pace {b.words_per_minute - a.words_per_minute:+.0f} wpm, hedges "
            f"{b.hedges_per_answer - a.hedges_per_answer:+.1f} per answer"
        )
    return lines
