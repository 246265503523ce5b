"""Reports: grades and questions in the terminal and Markdown; session scorecards, progress,
standalone HTML with SVG charts."""

from pmloop.report._highlight import highlight_answer
from pmloop.report._markdown import grade_markdown
from pmloop.report._scorecard import (
    CompetencyResult,
    CompetencyTrend,
    FlagQuote,
    Progress,
    QuestionResult,
    Scorecard,
    build_progress,
    build_scorecard,
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
    "CompetencyResult",
    "CompetencyTrend",
    "FlagQuote",
    "Progress",
    "QuestionResult",
    "Scorecard",
    "build_progress",
    "build_scorecard",
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
