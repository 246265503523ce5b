"""The loop in a real terminal (pexpect on a pty): typing, follow-ups, quitting, kill -9, Ctrl-C."""

import os
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]
SUBMIT = "\x1b\r"  # Esc then Enter


def _spawn(home: Path, *args: str) -> pexpect.spawn:
    env = {
        **os.environ,
        "PMLOOP_HOME": str(home),
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "COLUMNS": "120",
        "LINES": "50",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "pmloop", *args],
        env=env,
        cwd=str(ROOT),
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 120),
    )
    return child


def _turns(home: Path) -> list[tuple[int, int, str, int]]:
    with sqlite3.connect(home / "pmloop.db") as db:
        return db.execute(
            "SELECT question_index, depth, answer, skipped FROM turns ORDER BY id"
        ).fetchall()


def _drafts(home: Path) -> list[str]:
    with sqlite3.connect(home / "pmloop.db") as db:
        return [r[0] for r in db.execute("SELECT text FROM drafts").fetchall()]


def _at_prompt(child: pexpect.spawn) -> None:
    """Wait until the answer box is drawn: keys sent earlier reach a terminal not yet in raw
    mode, where Esc Enter is two plain characters rather than the submit chord."""
    child.expect("›")


def _type(child: pexpect.spawn, text: str) -> None:
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            child.send("\r")  # Enter adds a line
        child.send(line)
        time.sleep(0.05)


def test_a_loop_with_follow_ups_in_a_real_terminal(pmloop_home: Path) -> None:
    child = _spawn(
        pmloop_home,
        "practice",
        "--no-self-rating",
        "--questions",
        "1",
        "--seed",
        "4",
        "--minutes",
        "1",
    )
    child.expect("Question 1/1")
    child.expect("Esc Enter or Ctrl-D submits")
    _at_prompt(child)
    _type(child, "We'd test it with the QA team.\nThen ship it and fix it later.")
    child.send(SUBMIT)
    child.expect("Level:")  # feedback after each answer
    child.expect("Follow-up")
    _at_prompt(child)
    _type(child, "I am not sure, honestly.")
    child.send("\x04")  # Ctrl-D submits too
    child.expect("Level:")
    child.expect(["Follow-up", "Pressure follow-up"])
    _at_prompt(child)
    _type(child, ":skip")
    child.send(SUBMIT)
    child.expect("Scorecard")
    child.expect("Edge map")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    turns = _turns(pmloop_home)
    assert turns[0][2] == "We'd test it with the QA team.\nThen ship it and fix it later."
    assert turns[1][:3] == (0, 1, "I am not sure, honestly.")
    assert turns[-1][3] == 1  # the skipped follow-up


def test_quit_and_resume(pmloop_home: Path) -> None:
    child = _spawn(pmloop_home, "practice", "--no-self-rating", "--questions", "2", "--seed", "9")
    child.expect("Question 1/2")
    _at_prompt(child)
    _type(child, "We would roll it out slowly and watch the metrics.")
    child.send(SUBMIT)
    child.expect(r"Follow-up \d(?: · [a-z ]+)?: (.{25})")
    follow_up = child.match.group(1)
    _type(child, "I started typing this\n:quit")
    child.send(SUBMIT)
    child.expect(r"Resume with: pmloop resume (\w+)")
    session_id = child.match.group(1)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert _drafts(pmloop_home) == ["I started typing this"]

    again = _spawn(pmloop_home, "resume")
    again.expect(f"Resuming session {session_id}")
    again.expect(r"Follow-up \d(?: · [a-z ]+)?: (.{25})")
    assert again.match.group(1) == follow_up
    again.expect("I started typing this")  # the draft is back in the answer box
    again.send("\x15")  # clear the line the draft sits on
    _type(again, ":quit")
    again.send(SUBMIT)
    again.expect(pexpect.EOF)
    assert len(_turns(pmloop_home)) == 1


def _wait_for(condition: Callable[[], object], what: str, seconds: float = 30) -> None:
    """Poll ``condition`` until it holds; fail with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def _graded(home: Path) -> list[bool]:
    with sqlite3.connect(home / "pmloop.db") as db:
        return [r[0] is not None for r in db.execute("SELECT grade FROM turns ORDER BY id")]


def test_kill_9_right_after_submit_and_while_typing_loses_nothing(pmloop_home: Path) -> None:
    child = _spawn(pmloop_home, "practice", "--no-self-rating", "--questions", "2", "--seed", "2")
    child.expect("Question 1/2")
    _at_prompt(child)
    _type(child, "Submitted answer that must survive.")
    child.send(SUBMIT)
    # Killed the moment the answer reaches the store, before its grade is shown: the answer is
    # committed before it is graded, so it survives and the next run grades it.
    _wait_for(lambda: (pmloop_home / "pmloop.db").exists() and _turns(pmloop_home), "the answer")
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert [t[2] for t in _turns(pmloop_home)] == ["Submitted answer that must survive."]

    again = _spawn(pmloop_home, "resume")
    again.expect("Resuming session")
    again.expect("Follow-up")  # the answer was graded on resume, so its follow-up is asked
    _at_prompt(again)
    _type(again, "Half-written follow-up answer")
    # Killed while typing, once the autosave has the text (waited on, not slept for).
    _wait_for(lambda: _drafts(pmloop_home) == ["Half-written follow-up answer"], "the draft")
    os.kill(again.pid, signal.SIGKILL)
    again.expect(pexpect.EOF)
    again.close()

    third = _spawn(pmloop_home, "resume")
    third.expect("Resuming session")
    third.expect("Half-written follow-up answer")
    third.send(" and finished after the crash.")
    third.send(SUBMIT)
    third.expect(["Follow-up", "Pressure follow-up", "Question 2/2"])
    # Ctrl-C once the next answer box is drawn: sent while the grade is still printing, it
    # reaches a terminal not yet in raw mode, and under load the run could miss it
    _at_prompt(third)
    third.sendcontrol("c")
    third.expect(pexpect.EOF)
    turns = _turns(pmloop_home)
    assert turns[1][2] == "Half-written follow-up answer and finished after the crash."
    assert _graded(pmloop_home)[:2] == [True, True]  # the next answer stored the first's grade


def test_ctrl_c_saves_and_prints_the_resume_command(pmloop_home: Path) -> None:
    child = _spawn(pmloop_home, "practice", "--no-self-rating", "--questions", "1", "--seed", "1")
    child.expect("Question 1/1")
    _at_prompt(child)
    _type(child, "Something I was")
    # The autosave runs every half second; right after it has saved, type more and press
    # Ctrl-C at once, so only the Ctrl-C handler can save the rest.
    _wait_for(lambda: _drafts(pmloop_home) == ["Something I was"], "the autosave")
    child.send(" in the middle of")
    child.sendcontrol("c")
    child.expect(r"Saved\. Resume with: pmloop resume \w+")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert _drafts(pmloop_home) == ["Something I was in the middle of"]
