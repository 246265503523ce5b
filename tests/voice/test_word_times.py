"""Word times stay where the words were said, from a clip's first second to its last.

faster-whisper times each word by aligning the decoded text with the audio. Now and then that
alignment comes out wrong for a 30-second window's first stretch: the words the decoder placed at
0-6 s are timed at 20-26 s. An opening "Um" was then reported at 20 s, and faster-whisper, which
moves on from the last word it timed, skipped the speech in between. The clips below, espeak-ng
reading the opening of bank reference answers, are ones where tiny.en's alignment failed like
that on the development machine, in some runs and not others (int8 on several threads is not
bit-repeatable). On CI's machine the prompted hearing of the second clip once left speech out,
the unprompted hearing was used for the whole clip, and the "Um" (which Whisper without the
filler prompt drops) went with it; fillers the prompted hearing caught are now kept when its
opening is replaced. Whichever way a run goes, the transcriber must place the opening filler at
the start and hear the whole clip. The last test checks the guard itself, the same on every run.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmloop.bank import Bank
from pmloop.vocabulary import Level
from pmloop.voice import analyse, word_error_rate
from pmloop.voice._transcribe import keep_words_in_their_segments


def _opening(text: str, words: int) -> str:
    """The first sentences of ``text``, up to about ``words`` words."""
    kept = ""
    for sentence in text.replace("? ", "?|").replace(". ", ".|").split("|"):
        if kept and len(f"{kept} {sentence}".split()) > words:
            break
        kept = f"{kept} {sentence}".strip()
    return kept


# (question, words of its senior reference, espeak-ng words a minute, gain in dB, cut at s)
CLIPS = [
    ("photo-app-auto-cleanup-default-on", 75, 150, 0, None),
    ("photo-app-auto-cleanup-default-on", 75, 150, -6, None),
    ("explained-model-failure-to-customer-story", 400, 150, -6, 28.0),
]


@pytest.mark.parametrize(("question", "words", "wpm", "gain", "cut"), CLIPS)
def test_an_opening_filler_is_placed_at_the_start_and_no_speech_is_skipped(
    question: str,
    words: int,
    wpm: int,
    gain: int,
    cut: float | None,
    speak: Callable[..., Any],
    transcriber: Any,
    bank: Bank,
    tmp_path: Path,
) -> None:
    said = _opening(bank.get(question).references.at(Level.SENIOR), words)
    clip = speak(["Um, " + said], f"opening-{question}.wav", wpm=wpm)
    path = tmp_path / "clip.wav"
    effects = ["gain", str(gain)] + (["trim", "0", str(cut)] if cut else [])
    subprocess.run(["sox", str(clip.path), str(path), *effects], check=True, capture_output=True)
    transcript = transcriber.transcribe(path)
    speech = analyse(transcript)
    # the "Um" spoken in the clip's first half second is the first filler, and it is placed there
    assert speech.fillers, speech.transcript
    assert speech.fillers[0].start == 0 and speech.fillers[0].at < 1.0, speech.fillers[0]
    # nothing was skipped: the words run forward through the whole clip, with no gap a listener
    # would call a pause (espeak-ng never stops for two seconds)
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)
    end = cut or clip.duration
    assert transcript.words[-1].end > end - 2.0, transcript.words[-1]
    assert speech.pauses == [], speech.pauses
    if cut is None:
        assert word_error_rate("Um, " + said, transcript.text) <= 0.35, transcript.text


def _word(text: str, start: float, end: float) -> dict[str, Any]:
    return {"word": text, "start": start, "end": end, "probability": 0.9}


def test_words_timed_outside_their_decoded_segment_are_put_back_inside_it() -> None:
    # what faster-whisper handed back in the failing case: a segment the decoder placed at
    # 0.00-5.64 s whose words were aligned to 20.06-25.68 s
    wrong = [_word(" Umm,", 20.06, 20.7), _word(" we", 21.2, 21.3), _word(" ship", 21.3, 25.68)]
    right = [_word(" It", 6.0, 6.2), _word(" works.", 6.2, 7.9)]
    segments = [
        {"start": 20.06, "end": 25.68, "words": wrong},
        {"start": 6.0, "end": 7.9, "words": right},
    ]
    spans = [(0.0, 5.64), (5.64, 8.0)]
    last = keep_words_in_their_segments(segments, spans)
    first = segments[0]["words"]
    assert [w["word"] for w in first] == [" Umm,", " we", " ship"]
    assert first[0]["start"] == 0.0 and first[-1]["end"] == 5.64
    assert all(a["end"] == b["start"] for a, b in zip(first, first[1:], strict=False))
    # longer words take longer; the segment is given back its decoder times
    assert first[0]["end"] - first[0]["start"] > first[1]["end"] - first[1]["start"]
    assert (segments[0]["start"], segments[0]["end"]) == (0.0, 5.64)
    # a segment whose words sit inside its span (give or take a second) is left as aligned
    assert segments[1]["words"] == [_word(" It", 6.0, 6.2), _word(" works.", 6.2, 7.9)]
    assert last == 7.9
