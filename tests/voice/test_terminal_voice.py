"""``pmloop practice --voice`` in a real terminal (pexpect on a pty): the recorder's seam plays a
synthesised answer in, the transcript is corrected in the answer box, the grade and then the
delivery read appear, and the turn is stored as spoken. Without a microphone, or with a silent
recording, the answer is typed and nothing is lost."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pexpect

from pmloop.bank import Bank
from pmloop.vocabulary import Level

ROOT = Path(__file__).resolve().parents[2]
SUBMIT = "\x1b\r"  # Esc then Enter
ADDED = " I would also cap the first rollout at ten percent."


def _spawn(home: Path, *args: str, voice_input: Path | None = None) -> pexpect.spawn:
    env = {
        **os.environ,
        "PMLOOP_HOME": str(home),
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "COLUMNS": "120",
        "LINES": "50",
    }
    env.pop("PMLOOP_VOICE_INPUT", None)
    if voice_input is not None:
        env["PMLOOP_VOICE_INPUT"] = str(voice_input)
    return pexpect.spawn(sys.executable, ["-m", "pmloop", *args], env=env, cwd=str(ROOT),
                         encoding="utf-8", timeout=120, dimensions=(50, 120))  # fmt: skip


def _rows(home: Path, sql: str) -> list[Any]:
    with sqlite3.connect(home / "pmloop.db") as db:
        return db.execute(sql).fetchall()


def _wait(condition: Callable[[], object], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


ARGS = ("practice", "--voice", "--no-self-rating", "--questions", "1", "--follow-ups", "0")


def test_an_answer_spoken_in_a_terminal_is_transcribed_corrected_graded_and_kept(
    pmloop_home: Path, speak: Callable[..., Any], bank: Bank, transcriber: Any, tmp_path: Path
) -> None:
    clip_path = tmp_path / "answer.wav"
    child = _spawn(pmloop_home, *ARGS, "--seed", "2", "--keep-audio", voice_input=clip_path)
    child.expect("Question 1/1")
    # the session is stored before its first question shows: speak that question's answer
    plan = json.loads(_rows(pmloop_home, "SELECT plan FROM sessions")[0][0])
    reference = bank.get(plan[0]).references.at(Level.STRONG)
    clip = speak(["Um, " + reference], "terminal.wav")
    clip_path.write_bytes(clip.path.read_bytes())
    child.expect("Enter to record")
    child.send("\r")
    child.expect("● REC 0:00")  # the elapsed time and the level meter, while recording
    child.expect("[▮▯]{12}  Enter stops")
    child.send("\r")
    child.expect("Transcribing")
    child.expect("correct it", timeout=120)
    # the transcript is the saved draft before anything is submitted
    _wait(lambda: _rows(pmloop_home, "SELECT text FROM drafts"))
    draft = _rows(pmloop_home, "SELECT text FROM drafts")[0][0]
    assert len(draft.split()) > 50 and not draft.lower().startswith("um")
    child.send(ADDED)
    time.sleep(0.2)
    child.send(SUBMIT)
    child.expect("Level:")
    child.expect("Delivery")
    child.expect("words per minute")
    child.expect("Fillers: ")
    child.expect(pexpect.EOF)
    source, answer, transcript, seconds, delivery = _rows(
        pmloop_home, "SELECT source, answer, transcript, audio_seconds, delivery FROM turns"
    )[0]
    assert source == "voice"
    assert answer.endswith(ADDED.strip()) and answer.startswith(draft[:40])
    assert transcript.lower().startswith("um")  # the transcript as heard keeps the filler
    assert abs(seconds - clip.duration) < 0.2
    read = json.loads(delivery)
    assert read["filler_count"] >= 1 and read["words_per_minute"] > 100
    kept = list((pmloop_home / "audio").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == clip.path.read_bytes()


def test_silence_or_no_microphone_falls_back_to_typing_and_loses_nothing(
    pmloop_home: Path, speak: Callable[..., Any], transcriber: Any
) -> None:
    quiet = speak([3.0], "quiet-terminal.wav")
    child = _spawn(pmloop_home, *ARGS, "--seed", "5", voice_input=quiet.path)
    child.expect("Enter to record")
    child.send("\r")
    child.expect("REC")
    child.send("\r")
    child.expect("no speech heard")
    child.expect("Esc Enter or Ctrl-D submits")
    child.send("We would ship to ten percent first and watch the refund errors by segment.")
    time.sleep(0.2)
    child.send(SUBMIT)
    child.expect("Level:")
    child.expect(pexpect.EOF)
    assert _rows(pmloop_home, "SELECT source, transcript FROM turns") == [("typed", None)]
    # this machine has no sound card: --voice says so once, and the answer is typed
    home = pmloop_home.parent / "mic-home"
    child = _spawn(home, *ARGS, "--seed", "5")
    child.expect("no microphone to record from")
    child.expect("answers will be typed")
    child.expect("Esc Enter or Ctrl-D submits")
    child.send(":quit\r")
    child.expect(pexpect.EOF)


def test_a_stopped_session_resumed_with_voice_takes_the_rest_of_its_answers_spoken(
    pmloop_home: Path, speak: Callable[..., Any], bank: Bank, transcriber: Any, tmp_path: Path
) -> None:
    # a typed session stopped at its first question: nothing answered yet
    child = _spawn(pmloop_home, "practice", "--no-self-rating", "--questions", "1",
                   "--follow-ups", "0", "--seed", "3")  # fmt: skip
    child.expect("Esc Enter or Ctrl-D submits")
    child.send(":quit\r")
    child.expect("pmloop resume")
    child.expect(pexpect.EOF)
    (session_id, plan), *_ = _rows(pmloop_home, "SELECT id, plan FROM sessions")
    reference = bank.get(json.loads(plan)[0]).references.at(Level.STRONG)
    clip = speak(["Um, " + reference], "resumed.wav")
    # resumed by voice, keeping the recording: the same recorder, transcript box and delivery
    child = _spawn(pmloop_home, "resume", session_id, "--voice", "--keep-audio",
                   voice_input=clip.path)  # fmt: skip
    child.expect(f"Resuming session {session_id}")
    child.expect("Enter to record")
    child.send("\r")
    child.expect("● REC 0:00")
    child.expect("Enter stops")
    child.send("\r")
    child.expect("correct it", timeout=120)
    _wait(lambda: _rows(pmloop_home, "SELECT text FROM drafts"))
    child.send(SUBMIT)
    child.expect("Level:")
    child.expect("Delivery")
    child.expect("Fillers: ")
    child.expect(pexpect.EOF)
    source, transcript, seconds, delivery = _rows(
        pmloop_home, "SELECT source, transcript, audio_seconds, delivery FROM turns"
    )[0]
    assert source == "voice" and transcript.lower().startswith("um")
    assert abs(seconds - clip.duration) < 0.2
    assert json.loads(delivery)["filler_count"] >= 1
    assert _rows(pmloop_home, "SELECT status FROM sessions") == [("finished",)]
    kept = list((pmloop_home / "audio").iterdir())
    assert len(kept) == 1 and kept[0].name.startswith(session_id)


def test_resume_voice_options_are_checked_like_practice(
    pmloop_cli: Callable[..., Any], pmloop_home: Path, tmp_path: Path
) -> None:
    for args, said in [
        (("--keep-audio",), "--keep-audio keeps the recordings of --voice; add --voice"),
        (("--whisper-model", str(tmp_path)), "--whisper-model names the model"),
        (("--voice", "--answers", str(tmp_path / "a.yaml")), "--voice records answers in a "
         "terminal"),
    ]:  # fmt: skip
        for command in ("practice", "resume"):
            run = pmloop_cli(command, *args)
            assert run.code == 2, (command, args, run.stderr)
            lines = run.stderr.strip().splitlines()
            assert len(lines) == 1 and said in lines[0], (command, run.stderr)
