"""Both interactive formats in a real terminal (pexpect on a pty)."""

import os
import re
import sqlite3
import sys
from pathlib import Path

import pexpect

from pmloop.coach import Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import open_repository

ROOT = Path(__file__).resolve().parents[2]
SUBMIT = "\x1b\r"  # Esc then Enter
AMBIGUITY = "fixture-ambiguity-summaries-thumbs-down"
ROLEPLAY = "fixture-roleplay-legal-voice-clone"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def _plain(text: str) -> str:
    return " ".join(_ANSI.sub("", text).split())


def _spawn(home: Path, bank_file: Path, *args: str) -> pexpect.spawn:
    env = {
        **os.environ,
        "PMLOOP_HOME": str(home),
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "COLUMNS": "120",
        "LINES": "50",
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "pmloop", *args, "--bank", str(bank_file)],
        env=env,
        cwd=str(ROOT),
        encoding="utf-8",
        timeout=90,
        dimensions=(50, 120),
    )


def _start(home: Path, examiner: Examiner, plan: tuple[str, ...], follow_ups: int) -> str:
    home.mkdir(parents=True, exist_ok=True)
    repo = open_repository(f"sqlite:///{home / 'pmloop.db'}")
    session = Coach(examiner, repo).start(LoopSettings(plan=plan, follow_ups=follow_ups))
    repo.engine.dispose()
    return session.id


def _rows(home: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(home / "pmloop.db") as db:
        return db.execute(sql).fetchall()


def test_ambiguity_asks_in_the_terminal(
    pmloop_home: Path, format_examiner: Examiner, format_bank_file: Path
) -> None:
    _start(pmloop_home, format_examiner, (AMBIGUITY,), follow_ups=0)
    child = _spawn(pmloop_home, format_bank_file, "resume")
    child.expect("Question 1/1")
    child.expect(":ask <question>")
    child.expect("›")  # the answer box is up: typing now reaches it
    child.send("I think\r:ask Did anything ship or change last week?")
    child.send("\r")  # Enter on the :ask line acts at once
    child.expect("infra lowered the transcript length")
    child.expect("›")  # the answer box is up: typing now reaches it
    child.send("\r:ask What colour is the logo?")
    child.send("\r")
    child.expect("We don't know that.")
    child.expect("›")  # the answer box is up: typing now reaches it
    child.send(
        " the cut transcript explains it. I would restore the full transcript for long "
        "meetings today and watch the thumbs-down rate for a week before anything else."
    )
    child.send(SUBMIT)
    child.expect("Level:")
    child.expect("without asking for: long_meetings_only")
    child.expect("What the interactive questions drew out")
    child.expect(pexpect.EOF)
    tail = _plain(child.before)
    child.close()
    assert child.exitstatus == 0
    assert "facts asked for before the call: context_cut (changes the call)" in tail
    assert "never asked for: long_meetings_only (changes the call), new_button" in tail
    asks = _rows(pmloop_home, "SELECT ask, fact_id FROM asks ORDER BY id")
    assert asks == [
        ("Did anything ship or change last week?", "context_cut"),
        ("What colour is the logo?", None),
    ]
    (answer,) = _rows(pmloop_home, "SELECT answer FROM turns")
    assert str(answer[0]).startswith("I think the cut transcript")  # no :ask line in it


def test_roleplay_in_the_terminal(
    pmloop_home: Path, format_examiner: Examiner, format_bank_file: Path
) -> None:
    _start(pmloop_home, format_examiner, (ROLEPLAY,), follow_ups=3)
    child = _spawn(pmloop_home, format_bank_file, "resume")
    child.expect("Question 1/1")
    child.expect("Priya Raman, Lead counsel: I can't let this go out")
    child.expect("›")  # the answer box is up: typing now reaches it
    child.send(
        "Nobody gets cloned unless they record a consent statement in their own voice first."
    )
    child.send(SUBMIT)
    child.expect("Priya Raman: And all users on day one")
    child.expect("›")  # the answer box is up: typing now reaches it
    child.send("We'll launch as a limited beta with a small group of podcasters.")
    child.send(SUBMIT)
    child.expect("Priya Raman: When someone complains, who answers")
    child.expect("›")  # the answer box is up: typing now reaches it
    child.send("I'll own takedown requests myself and we answer every one within a day.")
    child.send(SUBMIT)
    child.expect("Priya Raman: All right. Consent recorded")
    child.expect("What the interactive questions drew out")
    child.expect(pexpect.EOF)
    tail = _plain(child.before)
    child.close()
    assert child.exitstatus == 0
    assert "Priya Raman: satisfied · concerns met: Nothing stops cloning" in tail
    assert "not met: none" in tail
    kinds = _rows(pmloop_home, "SELECT depth, probe_kind FROM turns ORDER BY depth")
    assert kinds == [(0, "question"), (1, "stakeholder"), (2, "stakeholder")]
