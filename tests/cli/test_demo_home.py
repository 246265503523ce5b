"""The no-terminal demo plays in a throwaway home: it never becomes part of the learner's record."""

import sqlite3
from collections.abc import Callable
from pathlib import Path


def test_the_demo_leaves_the_learners_sessions_alone(
    pmloop_cli: Callable[..., object], pmloop_home: Path
) -> None:
    first = pmloop_cli("practice", "--answers", "src/pmloop/sample/demo_answers.yaml")
    assert first.code == 0  # type: ignore[attr-defined]
    demo = pmloop_cli("practice")  # no terminal attached: the bundled demo
    assert demo.code == 0, demo.stderr  # type: ignore[attr-defined]
    out = demo.stdout  # type: ignore[attr-defined]
    assert "throwaway home" in out and "was not saved" in out
    assert "graded below_bar" not in out and "graded Below bar" in out
    assert "Follow-up on a term you used 3" not in out and "Follow-up 3 · on a term you used" in out
    assert "Follow-up 2 · pressure" in out
    with sqlite3.connect(pmloop_home / "pmloop.db") as db:
        assert db.execute("SELECT count(*) FROM sessions").fetchone() == (1,)  # the scripted one
