"""Delivery is trended across sessions in ``pmloop progress`` and on the web progress page."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx

from pmloop.coach import AnswerInput, Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import open_repository
from pmloop.voice import analyse, strip_fillers, transcript_from
from pmloop.web import create_app

FIRST = ("Um, so, uh, I would, um, ship it to ten percent of agents first. Uh, I think we "
         "should maybe watch the refund errors, um, by segment.")  # fmt: skip
LATER = "I would ship it to ten percent of agents first and watch the refund errors by segment."


def _spoken(coach: Coach, said: str, seed: int) -> str:
    words = [(w, i * 0.35, i * 0.35 + 0.3) for i, w in enumerate(said.split())]
    speech = analyse(transcript_from(words, len(words) * 0.35), budget_seconds=240)
    session = coach.start(LoopSettings(questions=1, follow_ups=0, seed=seed))
    step = coach.current(session.id)
    assert step is not None
    coach.answer(step, AnswerInput(text=strip_fillers(said), source="voice",
                                   audio_seconds=speech.duration, transcript=said,
                                   delivery=speech.model_dump(mode="json")))  # fmt: skip
    return session.id


def test_progress_trends_delivery_in_the_terminal_and_on_the_page(
    pmloop_home: Path,
    examiner: Examiner,
    pmloop_cli: Callable[..., Any],
    serving: Callable[..., AbstractContextManager[str]],
) -> None:
    repo = open_repository()  # PMLOOP_HOME's database, the one pmloop progress reads
    coach = Coach(examiner, repo)
    first = _spoken(coach, FIRST, 1)
    later = _spoken(coach, LATER, 2)
    run = pmloop_cli("progress")
    assert run.code == 0, run.stderr
    out = run.stdout
    assert "Delivery of spoken answers" in out
    lines = [line for line in out.splitlines() if first in line or later in line]
    assert len(lines) == 2 and first in lines[0] and later in lines[1]  # oldest first
    assert "Since the first: fillers -" in out  # fewer fillers in the later session
    md = pmloop_cli("progress", "--format", "md")
    assert "## Delivery of spoken answers" in md.stdout
    with serving(create_app(examiner, repo)) as base:
        page = httpx.get(base + "/progress").text
    assert "Delivery of spoken answers" in page and later in page
    repo.engine.dispose()
