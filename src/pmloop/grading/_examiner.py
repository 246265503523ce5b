"""The one entry point that turns (question, answer) into a ``Grade``.

It owns the bank, the question resolver and the grader, so a process that grades many answers
loads the bank, the model and the rubric matchers once. The grader is built by name from the
``pmloop.graders`` registry (see ``pmloop.grading._registry``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pmloop.bank import Bank, load_bank
from pmloop.errors import InputError
from pmloop.grading._grade import Grade
from pmloop.grading._matching import QuestionContext, QuestionResolver
from pmloop.grading._protocol import Grader, check_answer
from pmloop.grading._registry import build_grader

if TYPE_CHECKING:
    from pmloop.settings import Settings

__all__ = ["Examiner"]


class Examiner:
    """Grades answers against a bank with a named grader.

    ``bank`` defaults to ``PMLOOP_BANK``, else the packaged bank; ``grader`` (a registered name,
    or a grader already built) to ``PMLOOP_GRADER``, else ``offline``; ``settings`` to the
    environment's (``pmloop.settings.get_settings()``).
    """

    def __init__(
        self,
        bank: Bank | Path | str | None = None,
        grader: str | Grader | None = None,
        settings: Settings | None = None,
    ) -> None:
        if settings is None:
            from pmloop.settings import get_settings

            settings = get_settings()
        self.settings = settings
        if bank is None:
            bank = settings.bank
        self.bank = bank if isinstance(bank, Bank) else load_bank(bank)
        if grader is None or isinstance(grader, str):
            self.grader: Grader = build_grader(grader or settings.grader, self.bank, settings)
        else:
            self.grader = grader
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
