"""Fixtures of the LLM backend's tests: the scripted loopback server and a shared grader."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmloop.bank import Bank
from pmloop.grading import Examiner, OfflineGrader
from pmloop.grading.llm import LLMGrader
from pmloop.settings import Settings

if "fakellm" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "fakellm", Path(__file__).with_name("fakellm.py")
    )
    assert _spec is not None and _spec.loader is not None
    sys.modules["fakellm"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["fakellm"])

from fakellm import QUESTION_ID, FakeLLM, Make, serve  # noqa: E402


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    """A scripted LLM server on 127.0.0.1 (a free port), stopped after the test."""
    with serve() as fake:
        yield fake


@pytest.fixture(scope="session")
def offline(examiner: Examiner) -> OfflineGrader:
    """The session's offline grader (loaded once), for the LLM graders to check against."""
    grader = examiner.grader
    assert isinstance(grader, OfflineGrader)
    return grader


@pytest.fixture(scope="session")
def strong_answer(bank: Bank) -> str:
    """The bank's own strong reference answer to QUESTION_ID."""
    return bank.get(QUESTION_ID).references.strong


@pytest.fixture
def make(bank: Bank, offline: OfflineGrader) -> Iterator[Make]:
    """Build an LLM or ensemble grader over the session's offline grader; closed afterwards."""
    made: list[LLMGrader] = []

    def build(kind: type[LLMGrader], settings: Settings) -> LLMGrader:
        grader = kind(bank, settings, offline=offline)
        made.append(grader)
        return grader

    yield build
    for grader in made:
        grader.close()
