"""Snapshots of the session scorecard, and the structure of the standalone HTML report."""

from collections.abc import Callable
from datetime import UTC, datetime
from io import StringIO

from rich.console import Console

from pmloop.bank import Bank
from pmloop.grading import (
    CompetencyGrade,
    Evidence,
    FlagResult,
    Grade,
    GraderInfo,
    MissingSignal,
    QuestionRef,
)
from pmloop.report import (
    build_progress,
    build_scorecard,
    render_progress,
    render_scorecard,
    scorecard_html,
    scorecard_markdown,
)
from pmloop.store import SessionRecord, TurnRecord
from pmloop.vocabulary import Competency, Flag, Level

QID = "eval-new-llm-feature-before-launch"


def _grade(level: int, quote: str, flag: Flag | None = None) -> dict[str, object]:
    grade = Grade(
        question=QuestionRef(
            text="Q", bank_id=QID, match_similarity=1.0,
            competencies=[Competency.EVALUATION_LOGIC, Competency.VALUES_ALIGNMENT],
        ),
        level=level,
        level_name=Level(level).label,  # type: ignore[arg-type]
        score=25.0 * level - 10,
        confidence=0.7,
        competencies=[
            CompetencyGrade(
                id=Competency.EVALUATION_LOGIC, level=level, score=25.0 * level - 10,
                evidence=[Evidence(quote=quote, signal="labeled_offline_set")],
            ),
            CompetencyGrade(id=Competency.VALUES_ALIGNMENT, level=max(1, level - 1), score=20.0,
                            evidence=[]),
        ],
        signals=[],
        flags=[FlagResult(id=flag, quote=quote, explanation="why")] if flag else [],
        missing=[
            MissingSignal(id="failure_modes_first", label="Starts from the failure modes",
                          why_it_matters="The eval should start from what hurts users.")
        ],
        senior_delta=f"Level {level} delta.",
        follow_up="Next?",
        grader=GraderInfo(name="offline", version="test"),
    )  # fmt: skip
    return grade.to_json_dict()


def _session(session_id: str, day: int, levels: list[int]) -> SessionRecord:
    when = datetime(2026, 11, day, 9, 30, tzinfo=UTC)
    prompts = ["How would you evaluate it?", "Which mistake hurts most?", "VP says ship."]
    kinds = ["question", "signal", "pressure"]
    turns = tuple(
        TurnRecord(
            id=i, session_id=session_id, question_index=0, depth=i, question_id=QID,
            prompt=prompts[i], probe_kind=kinds[i], probe_target=None, answer=f"answer {i}",
            skipped=False, submitted_at=when,
            grade=_grade(level, f"quote {i}", Flag.HEURISTIC_COLLAPSE if level == 1 else None),
            level=level, score=25.0 * level - 10,
        )
        for i, level in enumerate(levels)
    )  # fmt: skip
    return SessionRecord(
        id=session_id, created_at=when, updated_at=when, status="finished", kind="practice",
        company="anthropic", settings={}, plan=[QID], grader="offline test", turns=turns,
    )  # fmt: skip


def test_scorecard_markdown_and_terminal(bank: Bank, snapshot: Callable[[str, str], None]) -> None:
    card = build_scorecard(_session("abc123", 20, [3, 2, 1]), bank)
    assert card.questions[0].edge.depth == 1
    snapshot("scorecard.md", scorecard_markdown(card))
    out = StringIO()
    render_scorecard(card, Console(file=out, width=90, color_system=None))
    snapshot("scorecard_terminal.txt", out.getvalue())


def test_progress_across_sessions(snapshot: Callable[[str, str], None]) -> None:
    sessions = [_session("s1", 18, [2]), _session("s2", 20, [3]), _session("s3", 22, [4])]
    progress = build_progress(sessions)
    evaluation = next(t for t in progress.trends if t.competency is Competency.EVALUATION_LOGIC)
    assert [p[2] for p in evaluation.points] == [2, 3, 4]
    # values alignment is only a secondary competency of the question: never assessed
    assert [t.competency for t in progress.trends] == [Competency.EVALUATION_LOGIC]
    assert progress.weakest is Competency.EVALUATION_LOGIC
    out = StringIO()
    render_progress(progress, Console(file=out, width=90, color_system=None))
    snapshot("progress_terminal.txt", out.getvalue())


def test_html_report_is_standalone(bank: Bank, snapshot: Callable[[str, str], None]) -> None:
    sessions = [_session("s1", 18, [2]), _session("s2", 20, [3, 4])]
    card = build_scorecard(sessions[-1], bank)
    page = scorecard_html(card, build_progress(sessions).trends)
    assert page.startswith("<!doctype html>") and page.count("<svg") == 2
    assert "<script" not in page and "https://" not in page and "<link" not in page
    assert "Competency levels radar" in page and "Competency trend across sessions" in page
    snapshot("scorecard.html", page)
