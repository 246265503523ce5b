"""Snapshots of what a person sees: a fixed grade rendered to the terminal and to Markdown."""

from collections.abc import Callable
from io import StringIO

from rich.console import Console

from pmloop.grading import (
    CompetencyGrade,
    Evidence,
    FlagResult,
    Grade,
    GraderInfo,
    MissingSignal,
    QuestionRef,
    SignalResult,
)
from pmloop.report import grade_markdown, render_grade
from pmloop.vocabulary import Competency, Flag

ANSWER = (
    "We'd test on 300 real tickets graded by two senior agents.\n"
    "We need RAG, guardrails and calibration. Ship at 90 percent correct."
)


def _grade() -> Grade:
    return Grade(
        question=QuestionRef(
            text="How would you evaluate a new LLM feature before launch?",
            bank_id="eval-new-llm-feature-before-launch",
            match_similarity=0.934,
            competencies=[Competency.EVALUATION_LOGIC, Competency.VALUES_ALIGNMENT],
        ),
        level=2,
        level_name="surface",
        score=41.5,
        confidence=0.61,
        competencies=[
            CompetencyGrade(
                id=Competency.EVALUATION_LOGIC,
                level=2,
                score=41.5,
                evidence=[
                    Evidence(
                        quote="We'd test on 300 real tickets graded by two senior agents.",
                        signal="labeled_offline_set",
                    )
                ],
            ),
            CompetencyGrade(id=Competency.VALUES_ALIGNMENT, level=1, score=20.0, evidence=[]),
        ],
        signals=[
            SignalResult(
                id="labeled_offline_set",
                label="Builds a labeled offline set with a clear grading rubric",
                level="strong",
                met=True,
                quotes=["We'd test on 300 real tickets graded by two senior agents."],
            )
        ],
        flags=[
            FlagResult(
                id=Flag.BUZZWORD_WITHOUT_SUBSTANCE,
                quote="We need RAG, guardrails and calibration.",
                explanation="'RAG', 'guardrails', 'calibration' appear with nothing attached.",
            )
        ],
        missing=[
            MissingSignal(
                id="failure_modes_first",
                label="Starts from the failure modes that matter most",
                why_it_matters="The eval should be built around the mistakes that hurt users.",
            )
        ],
        senior_delta="A senior answer would start from the failure modes that matter most.",
        follow_up='You mentioned "RAG". What would it cost here?',
        grader=GraderInfo(name="offline", version="test"),
    )


def test_terminal_rendering_snapshot(snapshot: Callable[[str, str], None]) -> None:
    out = StringIO()
    render_grade(_grade(), Console(file=out, width=90, color_system=None, legacy_windows=False))
    snapshot("grade_terminal.txt", out.getvalue())


def test_markdown_rendering_snapshot(snapshot: Callable[[str, str], None]) -> None:
    snapshot("grade.md", grade_markdown(_grade(), ANSWER))
