"""Shared fixtures: every test gets a fresh PMLOOP_HOME; the bank and grader load once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pmloop.bank import Bank, load_bank
from pmloop.grading import Examiner

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def pmloop_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary PMLOOP_HOME so no test reads or writes the user's data."""
    home = tmp_path / "pmloop-home"
    monkeypatch.setenv("PMLOOP_HOME", str(home))
    monkeypatch.delenv("PMLOOP_BANK", raising=False)
    monkeypatch.delenv("PMLOOP_MAX_ANSWER_WORDS", raising=False)
    return home


@pytest.fixture(scope="session")
def bank() -> Bank:
    """The packaged bank."""
    return load_bank()


@pytest.fixture(scope="session")
def examiner(bank: Bank, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Examiner]:
    """One examiner for the session, its embedding cache in a session folder."""
    cache = tmp_path_factory.mktemp("cache")
    examiner = Examiner(bank)
    examiner.resolver._cache = cache
    yield examiner


@dataclass(frozen=True)
class Run:
    """What a CLI run printed and how it exited."""

    code: int
    stdout: str
    stderr: str


def _run_pmloop(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> Run:
    full_env = {**os.environ, **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "pmloop", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        timeout=120,
        cwd=ROOT,
    )
    return Run(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


@pytest.fixture
def pmloop_cli() -> Callable[..., Run]:
    """Run the real CLI in a child process, as a user would."""
    return _run_pmloop
