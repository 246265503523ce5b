"""The one entry point that turns (question, answer) into a ``Grade``.

It owns the bank, the question resolver and the grader, so a process that grades many answers
loads the bank, the model and the rubric matchers once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pmloop.bank import Bank, load_bank
from pmloop.errors import InputError
from pmloop.grading._grade import Grade
from pmloop.grading._matching import QuestionContext, QuestionResolver
from pmloop.grading._offline import offline_grader
from pmloop.grading._protocol import Grader, check_answer

__all__ = ["GRADERS", "Examiner"]

#: Graders by the name ``--grader`` takes; each value builds one over a bank.
GRADERS: dict[str, Callable[[Bank], Grader]] = {"offline": offline_grader}


class Examiner:
    """Grades answers against a bank with a named grader."""

    def __init__(self, bank: Bank | Path | str | None = None, grader: str = "offline") -> None:
        self.bank = bank if isinstance(bank, Bank) else load_bank(bank)
        if grader not in GRADERS:
            raise InputError(f"unknown grader '{grader}'; available: {', '.join(GRADERS)}")
        self.grader = GRADERS[grader](self.bank)
        self.resolver = QuestionResolver(self.bank)

    def context(
        self, question: str | None = None, question_id: str | None = None
    ) -> QuestionContext:
        """Resolve a bank id or a question text to what the answer will be graded against."""
        if question_id is not None:
            return self.resolver.by_id(question_id)
        if question is None or not question.strip():
            raise InputError("the question is empty; give --question TEXT or --question-id ID")
        return self.resolver.resolve(question)

    def grade(
        self,
        answer: str,
        question: str | None = None,
        question_id: str | None = None,
        follow_up: str | None = None,
    ) -> Grade:
        """Grade one answer; bad input raises an ``InputError`` subclass.

        ``follow_up`` is the follow-up the answer replies to, when it is not the question itself.
        """
        check_answer(answer)
        context = self.context(question, question_id)
        if follow_up:
            context = replace(context, follow_up=follow_up)
        return self.grader(context, answer)
