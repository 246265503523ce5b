"""Scorecards you can trust: not-assessed competencies, the overall rule, progress and reports
on the same numbers, history up to the report's session, unfinished sessions marked."""

import dataclasses
import re
from collections.abc import Callable
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

from rich.console import Console

from pmloop.bank import Bank
from pmloop.coach import AnswerInput, Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.report import (
    build_progress,
    build_scorecard,
    radar_svg,
    render_progress,
    scorecard_html,
    scorecard_markdown,
)
from pmloop.report._scorecard import average_level
from pmloop.store import SessionRecord, open_repository
from pmloop.vocabulary import Competency

EVAL = "eval-new-llm-feature-before-launch"
FRAUD = "card-fraud-model-adaptive-attackers"


def _play(
    coach: Coach, plan: tuple[str, ...], replies: list[AnswerInput], day: int
) -> SessionRecord:
    session = coach.start(LoopSettings(plan=plan))
    for reply in replies:
        step = coach.current(session.id)
        if step is None:
            break
        coach.answer(step, reply)
    stored = coach.repository.get(session.id)
    when = datetime(2026, 11, day, 9, 0, tzinfo=UTC)
    return dataclasses.replace(stored, id=f"day{day}", created_at=when, updated_at=when)


def test_scorecards_progress_and_reports_agree(
    examiner: Examiner, bank: Bank, tmp_path: Path, snapshot: Callable[[str, str], None]
) -> None:
    coach = Coach(examiner, open_repository(f"sqlite:///{tmp_path / 'c.db'}"))
    eval_q = bank.get(EVAL)
    skip = AnswerInput(command="skip")
    first = _play(
        coach,
        (EVAL, FRAUD),
        [AnswerInput(eval_q.references.surface, self_level=4), skip,
         AnswerInput(bank.get(FRAUD).references.strong, self_level=3), skip],
        18,
    )  # fmt: skip
    second = _play(
        coach, (EVAL, FRAUD), [AnswerInput(eval_q.references.senior, self_level=4), skip, skip], 20
    )
    unfinished = _play(coach, (FRAUD,), [], 22)

    card = build_scorecard(first, bank)
    levels = {r.competency: r.level for r in card.competencies}
    # only the questions' primary competencies are assessed; the rest say so
    assessed = {Competency.EVALUATION_LOGIC, Competency.SYSTEM_THINKING}
    assert {c for c, lv in levels.items() if lv is not None} == assessed
    assert card.level == average_level([lv for lv in levels.values() if lv is not None])
    assert all(q.senior_delta for q in card.questions)  # every question, skipped or not
    markdown = scorecard_markdown(card)
    assert markdown.count("| Not assessed |") == 5
    # the radar draws assessed competencies only; none is a point at the centre
    radar = radar_svg(card)
    assert radar.count("(not assessed)") == 5 and radar.count("<circle") == 2
    # progress uses the scorecards' numbers: whole levels, the same ones
    progress = build_progress([first, second, unfinished])
    for trend in progress.trends:
        for _when, session_id, level in trend.points:
            session = {"day18": first, "day20": second}[session_id]
            shown = {r.competency: r.level for r in build_scorecard(session, bank).competencies}
            assert shown[trend.competency] == level and level == int(level)
    # sessions counted are the sessions drawn
    assert progress.sessions == 2
    assert "2 session(s), oldest left" in scorecard_html(
        build_scorecard(second, bank), [t for t in progress.trends if len(t.points) > 1]
    )
    # a report of an older session shows no later history
    older = build_progress([first, second, unfinished], until=first)
    assert older.sessions == 1 and all(len(t.points) == 1 for t in older.trends)
    # an unfinished session is marked as such everywhere
    assert "unfinished: 0 of 1 questions answered" in scorecard_markdown(
        build_scorecard(unfinished, bank)
    )
    # self-calibration: the candidate rated the surface answer senior
    assert any("over-rate evaluation logic" in line for line in markdown.splitlines())
    evaluation = next(
        r for r in progress.self_ratings if r.competency is Competency.EVALUATION_LOGIC
    )
    assert evaluation.mean_gap > 0
    out = StringIO()
    render_progress(progress, Console(file=out, width=100, color_system=None))
    assert not re.search(r"\d\.\d → ", out.getvalue())  # no fractional levels in the trends
    snapshot("consistency_scorecard.md", markdown)
    snapshot("consistency_progress.txt", out.getvalue())
    coach.repository.engine.dispose()
