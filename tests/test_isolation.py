"""The suite never touches the user's data, even with the user's own settings in the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_set_database_url_receives_no_test_sessions(tmp_path: Path) -> None:
    users_db = tmp_path / "users-own.db"
    env = {
        **os.environ,
        "PMLOOP_DATABASE_URL": f"sqlite:///{users_db}",
        "PMLOOP_HOME": str(tmp_path / "users-home"),
    }
    env.pop("PMLOOP_REQUIRE_SERVICES", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/cli/test_practice_command.py::test_a_scripted_loop_ends_with_a_scorecard"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    assert "1 passed" in run.stdout
    assert not users_db.exists()
    assert not (tmp_path / "users-home").exists()
