"""The grader abstraction: call it with a question and an answer, get a ``Grade`` back."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pmloop.config import max_answer_words
from pmloop.errors import AnswerTooLongError, EmptyAnswerError
from pmloop.grading._grade import Grade
from pmloop.grading._matching import QuestionContext
from pmloop.grading._text import words

__all__ = ["Grader", "check_answer"]


@runtime_checkable
class Grader(Protocol):
    """Something that grades one answer to one question."""

    name: str
    version: str

    def __call__(self, question: QuestionContext, answer: str) -> Grade:
        """Grade ``answer`` as a response to ``question``."""
        ...


def check_answer(answer: str, limit: int | None = None) -> str:
    """Return the answer unchanged, or raise if it is empty or over the word limit."""
    if not answer.strip():
        raise EmptyAnswerError("the answer is empty; write or paste an answer to grade")
    limit = limit or max_answer_words()
    count = len(answer.split())
    if count > limit:
        raise AnswerTooLongError(
            f"the answer has {count:,} words; the limit is {limit:,} "
            "(set PMLOOP_MAX_ANSWER_WORDS to change it)"
        )
    if not words(answer):
        raise EmptyAnswerError("the answer has no words in it")
    return answer
