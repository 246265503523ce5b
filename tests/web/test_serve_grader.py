"""``pmloop serve --grader``: the served app grades with the grader it was started with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ANSWER = (
    "I'd sample real traffic by segment, grade it against a rubric with two raters, and block "
    "launch if any segment regresses against today's flow."
)


def _grades_with(base: str) -> tuple[str, str, str]:
    """The grader named by /api/v1/grade, by a session's answer, and by the stored grade."""
    graded = httpx.post(
        base + "/api/v1/grade",
        json={"question": "How would you evaluate a new LLM feature?", "answer": ANSWER},
        timeout=60,
    )
    assert graded.status_code == 200, graded.text
    started = httpx.post(base + "/api/v1/sessions", json={"questions": 1, "seed": 3}, timeout=60)
    assert started.status_code == 201, started.text
    session = started.json()
    answered = httpx.post(
        f"{base}/api/v1/sessions/{session['id']}/answers",
        json={"question_index": 0, "depth": 0, "text": ANSWER},
        timeout=60,
    )
    assert answered.status_code == 201, answered.text
    stored = httpx.get(f"{base}/api/v1/sessions/{session['id']}", timeout=60).json()
    grader = stored["answers"][0]["grade"]["grader"]
    return (
        graded.json()["grader"]["name"],
        answered.json()["grade"]["grader"]["name"],
        f"{grader['name']} {grader['version']}",
    )


def test_serve_grades_with_the_grader_option(
    pmloop_serve: Callable[..., str], thirdparty_grader: Any, tmp_path: Path
) -> None:
    base = pmloop_serve(
        "--grader", "thirdparty", PMLOOP_DATABASE_URL=f"sqlite:///{tmp_path / 's.db'}",
        PMLOOP_LLM_MODEL="served-model", **thirdparty_grader.env,
    )  # fmt: skip
    api, answer, stored = _grades_with(base)
    assert (api, answer) == ("thirdparty", "thirdparty")
    assert stored == "thirdparty 1.0+served-model"


def test_serve_workers_grade_with_pmloop_grader(
    pmloop_serve: Callable[..., str], thirdparty_grader: Any, tmp_path: Path
) -> None:
    # more than one worker: each builds its app from the variables serve leaves for it
    base = pmloop_serve(
        "--workers", "2", PMLOOP_DATABASE_URL=f"sqlite:///{tmp_path / 's.db'}",
        PMLOOP_GRADER="thirdparty", **thirdparty_grader.env,
    )  # fmt: skip
    api, answer, stored = _grades_with(base)
    assert (api, answer) == ("thirdparty", "thirdparty")
    assert stored.startswith("thirdparty 1.0+")


def test_serve_refuses_a_grader_it_cannot_build_in_one_line(pmloop_cli: Callable) -> None:
    run = pmloop_cli("serve", "--no-browser", "--port", "0", "--grader", "nope")
    assert run.code == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "unknown grader 'nope'" in run.stderr
