"""The interviewer that listens, in a real terminal (pexpect on a pty).

A point made in follow-up 1 is never asked for again; commands typed at a normal pace never
reach an answer or a draft; the self-rating takes one key before the grade appears.
"""

import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect

from pmloop.coach import Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import open_repository

ROOT = Path(__file__).resolve().parents[2]
SUBMIT = "\x1b\r"  # Esc then Enter
FRAUD = "card-fraud-model-adaptive-attackers"
SURFACE = (
    "Fraud is an adversarial problem, so I'd think in terms of detection, prevention and "
    "response. First I'd analyse the data to understand the new fraud patterns, especially in "
    "gift cards. Then I'd improve the model with new features. For false declines, I'd tune the "
    "threshold to balance precision and recall. I'd also set up monitoring dashboards."
)
# says exactly the point follow-up 1 asks for: declined transactions never get labels
THE_POINT = (
    "The model learns late: chargebacks arrive 30 to 90 days after the purchase. And a "
    "transaction we declined never produces a chargeback, so we never learn whether it was a "
    "real customer; the model can't see its own false declines. I'd send a small random slice "
    "of borderline declines to manual review so we get the truth for some of them."
)
FOLLOW_ON = (
    "Fraudsters probe the threshold with small gift-card purchases and move to where the model "
    "is weak. I'd add velocity limits on new cards buying gift cards, which catch this in hours."
)
LABEL = "declined transactions never get labels"
PROBE = "How do you know how many of last month's declined transactions were real customers?"


def _spawn(home: Path, *args: str, columns: int = 120) -> pexpect.spawn:
    env = {
        **os.environ,
        "PMLOOP_HOME": str(home),
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "COLUMNS": str(columns),
        "LINES": "50",
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "pmloop", *args],
        env=env,
        cwd=str(ROOT),
        encoding="utf-8",
        timeout=90,
        dimensions=(50, columns),
    )


def _at_prompt(child: pexpect.spawn) -> None:
    """Wait until the answer box is drawn: keys sent earlier reach a terminal not yet in raw
    mode, where Esc Enter is two plain characters rather than the submit chord."""
    child.expect("›")


def _type(child: pexpect.spawn, text: str) -> None:
    child.send(text)


def _wait_for(condition: Callable[[], object], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def _rows(home: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(home / "pmloop.db") as db:
        return db.execute(sql).fetchall()


def _session(home: Path, examiner: Examiner, plan: tuple[str, ...], rating: bool = True) -> str:
    repo = open_repository(f"sqlite:///{home / 'pmloop.db'}")
    session = Coach(examiner, repo).start(LoopSettings(plan=plan, self_rating=rating))
    repo.engine.dispose()
    return session.id


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def _plain(text: str) -> str:
    return " ".join(_ANSI.sub("", text).split())


def test_a_point_made_in_follow_up_1_is_never_asked_for_again(
    pmloop_home: Path, examiner: Examiner
) -> None:
    pmloop_home.mkdir(parents=True, exist_ok=True)
    _session(pmloop_home, examiner, (FRAUD,))
    child = _spawn(pmloop_home, "resume")
    child.expect("Question 1/1")
    _at_prompt(child)
    _type(child, SURFACE)
    child.send(SUBMIT)
    child.expect("Your level\\?")
    child.send("2")  # one key: surface
    child.expect("Level:")
    child.expect("Follow-up 1")
    child.expect("How do you know how many")
    _at_prompt(child)
    _type(child, THE_POINT)
    child.send(SUBMIT)
    child.expect("Your level\\?")
    child.send("\r")  # Enter skips the rating
    child.expect("Level:")
    child.expect(r"Follow-up 2")
    after_point = child.before + child.after
    _type(child, FOLLOW_ON)
    child.send(SUBMIT)
    child.expect("Your level\\?")
    child.send("3")
    child.expect("Follow-up 3")
    after_point += child.before + child.after
    _type(child, ":skip")
    child.send("\r")  # Enter on a command line acts on it at once
    child.expect("Edge map")
    child.expect(pexpect.EOF)
    after_point += child.before
    child.close()
    assert child.exitstatus == 0
    seen = _plain(after_point)
    # shown, and never asked for again: not missing, not what senior would add, not a follow-up
    assert f"✓ Sees that {LABEL}" in seen
    assert f"✗ Sees that {LABEL}" not in seen
    assert f"would see that {LABEL}" not in seen.lower()
    assert PROBE not in seen
    levels = _rows(pmloop_home, "SELECT depth, self_level FROM turns ORDER BY depth")
    assert levels == [(0, 2), (1, None), (2, 3), (3, None)]


def test_commands_typed_at_a_normal_pace_never_reach_an_answer_or_a_draft(
    pmloop_home: Path, examiner: Examiner
) -> None:
    pmloop_home.mkdir(parents=True, exist_ok=True)
    session_id = _session(pmloop_home, examiner, (FRAUD,), rating=False)
    child = _spawn(pmloop_home, "resume")
    child.expect("Question 1/1")
    # one burst, so the command is in the box when the autosave runs: it must not be stored
    _at_prompt(child)
    _type(child, "We don't, really\r:hint")
    _wait_for(
        lambda: _rows(pmloop_home, "SELECT text FROM drafts") == [("We don't, really",)],
        "the autosave without the command",
    )
    child.send("\r")  # Enter on the command line: the hint, at once
    child.expect("Consider: ")
    child.expect("We don't, really")  # the box comes back with the answer, not the command
    _type(child, "\rbeyond dashboards\r:qu")  # a command half typed through an autosave
    _wait_for(
        lambda: (
            _rows(pmloop_home, "SELECT text FROM drafts")
            == [("We don't, really\nbeyond dashboards",)]
        ),
        "the autosave without the half-typed command",
    )
    _type(child, "it")
    child.send("\r")
    child.expect(rf"Resume with: pmloop resume {session_id}")
    child.expect(pexpect.EOF)
    assert _rows(pmloop_home, "SELECT text FROM drafts") == [
        ("We don't, really\nbeyond dashboards",)
    ]

    again = _spawn(pmloop_home, "resume")
    again.expect("Question 1/1")
    again.expect("beyond dashboards")
    _type(again, ", that is all we have.")
    again.send(SUBMIT)
    again.expect("Follow-up 1")
    _at_prompt(again)  # Ctrl-C to the answer box, not to a terminal still printing the grade
    again.sendcontrol("c")
    again.expect(pexpect.EOF)
    answers = _rows(pmloop_home, "SELECT answer FROM turns")
    assert answers == [("We don't, really\nbeyond dashboards, that is all we have.",)]


def test_the_answer_box_wraps_between_words() -> None:
    from pmloop.cli._terminal_io import word_wrap_pads

    line = "the refund promise rate stays under one in a thousand for two weeks"
    pads = word_wrap_pads(line, 20)
    shown = "".join(" " * pads.get(i, 0) + c for i, c in enumerate(line))
    rows = [shown[i : i + 20] for i in range(0, len(shown), 20)]
    words = set(line.split())
    for row in rows:
        for word in row.split():
            assert word in words, (word, rows)  # no row holds half a word
    assert word_wrap_pads("x" * 50, 20) == {}  # a word longer than a row wraps where it must
