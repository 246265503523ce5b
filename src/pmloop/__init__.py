"""pmloop: a practice partner for AI product-manager interview loops.

``pmloop.grade(question, answer)`` grades one answer offline and returns a ``Grade``. Importing
``pmloop`` is cheap: the grading stack loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "grade"]

if TYPE_CHECKING:
    from pmloop.grading import Examiner, Grade

_examiner: Examiner | None = None


def grade(
    question: str | None,
    answer: str,
    *,
    question_id: str | None = None,
    bank: Any = None,
) -> Grade:
    """Grade ``answer`` to ``question`` (any text, or a bank id via ``question_id``).

    ``bank`` is a path to a bank file or folder; by default the packaged bank is used, and it is
    loaded once per process.
    """
    global _examiner
    from pmloop.grading import Examiner

    if bank is not None:
        return Examiner(bank).grade(answer, question, question_id)
    if _examiner is None:
        _examiner = Examiner()
    return _examiner.grade(answer, question, question_id)
