"""Every stretch of speech the voice-activity filter keeps is transcribed, none dropped as silence.

Whisper marks a 30-second window as silent when its no-speech token is likely and its decoding
unsure, and skips it. tiny.en does that to espeak-ng's voice now and then: on the clip below,
espeak-ng reading a bank reference answer with the question told, the whole first window (half the
answer) was skipped, though the voice-activity filter had kept all of it as speech. The
transcriber leaves the choice of what is speech to that filter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pmloop.bank import Bank
from pmloop.vocabulary import Level
from pmloop.voice import AnswerContext, Word, word_error_rate
from pmloop.voice._transcribe import opening_heard_in_full

QUESTION = "early-feedback-loop-creator-recommendations"


def test_a_window_the_decoder_doubts_is_still_transcribed(
    speak: Callable[..., Any], transcriber: Any, bank: Bank
) -> None:
    question = bank.get(QUESTION)
    said = question.references.at(Level.STRONG)
    clip = speak([said], "doubted-window.wav", wpm=150)
    assert clip.duration > 45  # two windows of Whisper's 30 seconds
    transcript = transcriber.transcribe(clip.path, AnswerContext.of(question))
    # the answer is heard from its first seconds, through the first window, to its end
    assert transcript.words[0].start < 2.0, transcript.text
    assert sum(w.end < 30 for w in transcript.words) > 60, transcript.text
    assert transcript.words[-1].end > clip.duration - 2.0
    assert word_error_rate(said, transcript.text) <= 0.3, transcript.text


def _words(*timed: tuple[str, float]) -> list[Word]:
    return [Word(("" if i == 0 else " ") + t, s, s + 0.3) for i, (t, s) in enumerate(timed)]


def test_an_opening_the_prompt_left_out_is_taken_from_the_unprompted_hearing() -> None:
    # the prompted hearing skipped the first 20 seconds; the unprompted one heard them
    unprompted = _words(*((f"w{i}", i * 1.0) for i in range(29)))
    prompted = _words(*((f"p{i}", 20.0 + i) for i in range(20)))
    words = opening_heard_in_full(prompted, unprompted)
    cut = 27.3  # the end of the unprompted hearing's last word two seconds before 30 s
    assert [w.word for w in words if w.start < cut] == [f"w{i}" for i in range(28)]
    assert [w.word for w in words if w.start >= cut] == [f"p{i}" for i in range(8, 20)]
    assert words[0].text == "w0" and all(w.text.startswith(" ") for w in words[1:])
    starts = [w.start for w in words]
    assert starts == sorted(starts)


def test_fillers_the_prompted_hearing_caught_are_kept_when_its_opening_is_replaced() -> None:
    # the filler prompt caught "Umm," and "uh" and then skipped speech; the unprompted hearing
    # heard every word but no filler, and one "Hmm" the prompted hearing caught as well
    unprompted = _words(*((f"w{i}", i * 1.0) for i in range(12)), ("Hmm.", 12.2),
                        *((f"w{i}", i * 1.0 + 1) for i in range(12, 28)))  # fmt: skip
    prompted = _words(("Umm,", 0.0), ("p0", 0.4), ("uh", 6.5), ("hmm.", 12.3), ("p1", 20.0),
                      ("p2", 28.0))  # fmt: skip
    words = opening_heard_in_full(prompted, unprompted)
    texts = [w.word for w in words]
    assert texts[:2] == ["Umm,", "w0"] and words[0].text == "Umm," and words[1].text == " w0"
    assert texts[texts.index("w6") + 1 : texts.index("w6") + 3] == ["uh", "w7"]
    assert texts.count("Hmm.") == 1 and "hmm." not in texts and "p0" not in texts
    # the unprompted hearing up to its last word before 28 s, then the prompted one
    assert len(words) == len(unprompted) + 2 and texts[-1] == "p2"
    assert [w.start for w in words] == sorted(w.start for w in words)
    # words that only sound like fillers are not taken for them
    prompted = _words(("Umbrella", 0.0), ("p0", 0.4), ("p1", 20.0))
    assert [w.word for w in opening_heard_in_full(prompted, unprompted)][0] == "w0"


def test_a_prompted_opening_that_heard_as_much_is_kept() -> None:
    # the prompt's own work (a filler kept, a domain word spelled) is not undone
    unprompted = _words(*((f"w{i}", i * 1.0) for i in range(29)))
    prompted = _words(("Um,", 0.0), *((f"p{i}", 0.5 + i) for i in range(1, 24)), ("end", 40.0))
    assert opening_heard_in_full(prompted, unprompted) == prompted
    # and with nothing heard unprompted (all of it silence), the prompted hearing stands
    assert opening_heard_in_full(prompted, []) == prompted
    assert opening_heard_in_full([], []) == []


def test_an_opening_sentence_the_prompt_left_out_is_put_back() -> None:
    # the prompted hearing has the rest of the window but starts 4.5 seconds in
    unprompted = _words(*((f"w{i}", i * 1.0) for i in range(29)))
    prompted = _words(*((f"p{i}", 4.5 + i) for i in range(25)))
    words = opening_heard_in_full(prompted, unprompted)
    # every unprompted word that ends before the prompted hearing's first word
    assert [w.word for w in words][:6] == ["w0", "w1", "w2", "w3", "w4", "p0"]
    assert [w.word for w in words][5:] == [w.word for w in prompted]
    assert words[0].text == "w0" and words[5].text == " p0"
    # a prompted hearing that starts with the speech is left as it is
    on_time = _words(*((f"p{i}", 0.2 + i) for i in range(25)))
    assert opening_heard_in_full(on_time, unprompted) == on_time


def test_a_filler_timed_wrongly_by_the_hearing_that_gave_up_goes_where_it_was_said() -> None:
    # the prompted hearing decoded "Umm, not as automatic ..." but timed it 20 seconds late and
    # skipped the rest; the unprompted hearing heard every word but the "Umm"
    heard = ["Not", "as", "automatic", "deletion,", "the", "failure", "I", "care", "about"]
    unprompted = _words(*((t, 0.4 * i) for i, t in enumerate(heard)),
                        *((f"w{i}", 4.0 + i) for i in range(24)))  # fmt: skip
    prompted = _words(("Umm,", 19.9), ("hot", 20.5), ("and", 20.8), ("automatic", 21.1),
                      ("deletion.", 21.5), ("A", 22.0), ("failure", 22.2), ("uh", 22.6),
                      ("I", 23.0), ("care", 23.2))  # fmt: skip
    words = opening_heard_in_full(prompted, unprompted)
    texts = [w.word for w in words]
    assert texts[:2] == ["Umm,", "Not"] and words[0].start < 1.0
    # "uh" came after "failure" and before "I" in what was said, whatever its time
    assert texts[texts.index("failure") + 1 : texts.index("failure") + 3] == ["uh", "I"]
    at = texts.index("uh")
    assert words[at - 1].end <= words[at].start <= words[at + 1].start
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert len(words) == len(unprompted) + 2


def test_keeping_a_filler_leaves_the_heard_words_spacing_alone() -> None:
    # "10" then "%" join as "10%": a filler put in does not pull them apart
    unprompted = [Word("Only", 0.5, 0.8), Word(" 10", 1.0, 1.2), Word("%", 1.2, 1.4)]
    unprompted += _words(*((f"w{i}", 2.0 + i) for i in range(24)))[1:]
    prompted = _words(("Um,", 0.0), ("p1", 25.0))
    words = opening_heard_in_full(prompted, unprompted)
    assert [w.text for w in words[:4]] == ["Um,", " Only", " 10", "%"]
