"""Reports: grades and questions in the terminal and Markdown; session scorecards, progress,
standalone HTML with SVG charts.

Names load on first use, so ``pmloop grade`` renders a grade without importing the store that
scorecards and progress need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pmloop.report._highlight import highlight_answer
    from pmloop.report._markdown import grade_markdown
    from pmloop.report._scorecard import (
        COMPETENCY_RULE,
        OVERALL_RULE,
        Calibration,
        CompetencyResult,
        CompetencyTrend,
        ConcernState,
        FactFound,
        FlagQuote,
        Interaction,
        Progress,
        QuestionResult,
        Quote,
        Scorecard,
        SelfRating,
        build_progress,
        build_scorecard,
        calibration_summary,
        level_name,
    )
    from pmloop.report._session import (
        progress_markdown,
        radar_svg,
        render_progress,
        render_scorecard,
        scorecard_html,
        scorecard_markdown,
        trend_svg,
    )
    from pmloop.report._terminal import render_grade, render_question, render_question_list

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
    "build_progress",
    "build_scorecard",
    "calibration_summary",
    "grade_markdown",
    "highlight_answer",
    "level_name",
    "progress_markdown",
    "radar_svg",
    "render_grade",
    "render_progress",
    "render_question",
    "render_question_list",
    "render_scorecard",
    "scorecard_html",
    "scorecard_markdown",
    "trend_svg",
]


_HOMES = {
    "highlight_answer": "_highlight",
    "grade_markdown": "_markdown",
    **dict.fromkeys(
        (
            "COMPETENCY_RULE", "OVERALL_RULE", "Calibration", "CompetencyResult",
            "CompetencyTrend", "ConcernState", "FactFound", "FlagQuote", "Interaction",
            "Progress", "QuestionResult", "Quote", "Scorecard", "SelfRating", "build_progress",
            "build_scorecard", "calibration_summary",
            "level_name",
        ),
        "_scorecard",
    ),
    **dict.fromkeys(
        (
            "progress_markdown", "radar_svg", "render_progress", "render_scorecard",
            "scorecard_html", "scorecard_markdown", "trend_svg",
        ),
        "_session",
    ),
    **dict.fromkeys(("render_grade", "render_question", "render_question_list"), "_terminal"),
}  # fmt: skip


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
