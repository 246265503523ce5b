"""Transcription and the delivery read, on real synthesised speech (espeak-ng, sox, Whisper).

Each clip is made from a bank reference answer, some with fillers and silences put in; what the
transcript, the filler count, the pauses and the pace should be is known from what was spoken.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pmloop.bank import Bank
from pmloop.grading import Examiner
from pmloop.vocabulary import Level
from pmloop.voice import (
    PAUSE_SECONDS,
    Transcript,
    analyse,
    strip_fillers,
    word_error_rate,
)

QUESTION = "told-executive-ai-feature-cannot-ship-story"


def _sentences(text: str) -> list[str]:
    parts = [s.strip() for s in text.replace("? ", "?|").replace(". ", ".|").split("|")]
    return [p for p in parts if p]


@pytest.fixture(scope="module")
def reference(bank: Bank) -> str:
    return bank.get(QUESTION).references.at(Level.STRONG)


@pytest.fixture(scope="module")
def clean(speak: Callable[..., Any], transcriber: Any, reference: str) -> tuple[Any, Transcript]:
    clip = speak([reference], "clean.wav")
    return clip, transcriber.transcribe(clip.path)


@pytest.fixture(scope="module")
def filled(speak: Callable[..., Any], transcriber: Any, reference: str) -> tuple[Any, Transcript]:
    """The same answer with three fillers and a 3-second silence after the first sentence."""
    first, *rest = _sentences(reference)
    pieces = ["Um, " + first, 3.0, "Uh, you know, " + " ".join(rest)]
    clip = speak(pieces, "filled.wav")
    return clip, transcriber.transcribe(clip.path)


def test_transcript_of_a_reference_answer_is_close_to_what_was_said(
    clean: tuple[Any, Transcript], reference: str
) -> None:
    clip, transcript = clean
    # tiny.en on espeak's robotic voice: close, not perfect (the benchmark measures it over 40)
    assert word_error_rate(reference, transcript.text) <= 0.3, transcript.text
    assert abs(transcript.duration - clip.duration) < 0.1
    # word times run forward and stay inside the recording
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)
    assert transcript.words[-1].end <= clip.duration + 0.1


def test_pace_matches_the_synthesised_rate(
    clean: tuple[Any, Transcript], reference: str, speak: Callable[..., Any], transcriber: Any
) -> None:
    clip, transcript = clean
    speech = analyse(transcript)
    spoken = len(reference.split())
    # espeak's words over the clip's length: the pace the listener heard
    heard = spoken / clip.duration * 60
    assert abs(speech.words_per_minute - heard) / heard < 0.15, (speech.words_per_minute, heard)
    # the same answer read much faster is read as faster, by about the ratio it was sped up
    fast = speak([reference], "fast.wav", wpm=260)
    quick = analyse(transcriber.transcribe(fast.path))
    assert quick.words_per_minute > speech.words_per_minute * 1.3
    assert any(p.read == "fast" for p in quick.pace)
    assert not any(p.read == "fast" for p in speech.pace)


def test_fillers_are_counted_where_they_were_said_and_left_out_of_the_graded_text(
    filled: tuple[Any, Transcript], clean: tuple[Any, Transcript]
) -> None:
    _, transcript = filled
    speech = analyse(transcript, budget_seconds=240)
    assert speech.filler_count == 3, [f.text for f in speech.fillers]
    assert speech.fillers[0].at < 1.0  # "Um" opens the answer
    for span in speech.fillers:
        assert speech.transcript[span.start : span.end] == span.text
    assert all(f.at > 3.0 for f in speech.fillers[1:])  # the others come after the silence
    graded = strip_fillers(speech.transcript)
    assert analyse(clean[1]).filler_count == 0
    for word in ("um", "uh", "umm", "you know"):
        assert f" {word} " not in f" {graded.lower().replace(',', ' ')} "
    assert speech.fillers_per_minute > 0


def test_a_silence_over_two_seconds_is_a_pause_in_the_right_place(
    filled: tuple[Any, Transcript], clean: tuple[Any, Transcript], reference: str
) -> None:
    _, transcript = filled
    speech = analyse(transcript)
    assert len(speech.pauses) == 1, speech.pauses
    pause = speech.pauses[0]
    # espeak trails each piece with a little silence of its own: 3 s put in, up to 4 s heard
    assert 3.0 <= pause.seconds <= 4.2
    last_word = _sentences(reference)[0].split()[-1].strip(".,").lower()
    assert pause.after.lower() == last_word
    assert analyse(clean[1]).pauses == []
    assert PAUSE_SECONDS == 2.0


def test_delivery_never_changes_the_content_level(
    filled: tuple[Any, Transcript], clean: tuple[Any, Transcript], examiner: Examiner
) -> None:
    spoken_clean = strip_fillers(analyse(clean[1]).transcript)
    spoken_filled = strip_fillers(analyse(filled[1]).transcript)
    a = examiner.grade(spoken_clean, question_id=QUESTION)
    b = examiner.grade(spoken_filled, question_id=QUESTION)
    assert a.level == b.level


def test_first_point_and_talk_time(speak: Callable[..., Any], transcriber: Any) -> None:
    pieces = [
        "Um, so, there is a lot to think about here, and the team has many views on it.",
        2.5,
        "My recommendation is to ship it to ten percent of agents first, and I think we "
        "should probably watch the edit rate.",
    ]
    clip = speak(pieces, "point.wav")
    speech = analyse(transcriber.transcribe(clip.path), budget_seconds=10)
    assert speech.first_point is not None and "recommendation" in speech.first_point.lower()
    # the call starts after the first sentence and the silence
    assert 6.0 < (speech.first_point_seconds or 0) < clip.duration
    hedges = {h.text.lower() for h in speech.hedges}
    assert {"i think", "probably"} <= hedges
    lines = "\n".join(speech.lines())
    assert "over" in lines.splitlines()[-1]  # longer than the 10-second budget
