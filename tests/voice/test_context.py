"""The transcriber is told what the answer is about: the question asked, never a reference
answer. A small model then hears a domain word of the question it would otherwise turn into a
common one ("launch", heard as "lunch")."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pmloop.bank import Bank
from pmloop.voice import AnswerContext, normalise_words, word_error_rate

QUESTION = "eval-new-llm-feature-before-launch"
SAID = "I would hold the launch for billing tickets, and ship the draft to ten percent of agents."


def test_the_context_is_the_question_or_the_follow_up_asked(bank: Bank) -> None:
    question = bank.get(QUESTION)
    assert AnswerContext.of(question) == AnswerContext(question.text)
    follow_up = question.probes[0].text
    assert AnswerContext.of(question, follow_up) == AnswerContext(follow_up)


def test_grade_audio_listens_for_the_questions_words(
    pmloop_cli: Callable[..., Any], speak: Callable[..., Any], transcriber: Any
) -> None:
    clip = speak([SAID], "launch.wav")
    run = pmloop_cli("grade", "--question-id", QUESTION, "--audio", str(clip.path),
                     "--format", "json")  # fmt: skip
    assert run.code == 0, run.stderr
    heard = json.loads(run.stdout)["speech"]["transcript"]
    assert "launch" in heard.lower(), heard
    assert word_error_rate(SAID, heard) <= 0.15, heard


def test_word_error_rate_reads_numbers_money_and_spellings_as_said() -> None:
    assert normalise_words("0.4% of $4,100") == normalise_words(
        "zero point four percent of four thousand one hundred dollars"
    )
    assert normalise_words("about $2 million") == ["about", "two", "million", "dollars"]
    # a British spelling is the same word heard as its American one
    said, heard = "We prioritise labelled behaviour", "we prioritize labeled behavior"
    assert word_error_rate(said, heard) == 0
    assert word_error_rate("summarisation was analysed", "summarization was analyzed") == 0
    # so is a filler written drawn out ("Umm" for "Um"), the spelling Whisper prompted with it uses
    assert word_error_rate("Um, we wait. Uh, hmm.", "Umm, we wait. Uhh, hmmm.") == 0
    # but a different word is still an error
    assert word_error_rate("hold the launch", "hold the lunch") == 1 / 3
    assert word_error_rate("um, we wait", "uh, we wait") == 1 / 3
    assert word_error_rate("a summer plan", "a sum plan") == 1 / 3
