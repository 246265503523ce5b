"""pmloop: a practice partner for AI product-manager interview loops.

``pmloop.grade(question, answer)`` grades one answer and returns a ``Grade``: offline unless
``grader=`` or ``PMLOOP_GRADER`` names another registered grader. Importing ``pmloop`` is cheap:
the grading stack loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "grade"]

if TYPE_CHECKING:
    from pmloop.grading import Examiner, Grade

_examiners: dict[tuple[str, str | None], Examiner] = {}


def grade(
    question: str | None,
    answer: str,
    *,
    question_id: str | None = None,
    bank: Any = None,
    grader: str | None = None,
) -> Grade:
    """Grade ``answer`` to ``question`` (any text, or a bank id via ``question_id``).

    ``bank`` is a path to a bank file or folder; by default ``PMLOOP_BANK``, else the packaged
    bank. ``grader`` names a registered grader (``offline``, ``llm``, ``ensemble`` or a
    plugin's); by default ``PMLOOP_GRADER``, else ``offline``. Without ``bank`` each grader is
    built once per process (with the settings of that first call) and reused.
    """
    from pmloop.grading import Examiner
    from pmloop.settings import get_settings

    if bank is not None:
        return Examiner(bank, grader).grade(answer, question, question_id)
    settings = get_settings()
    key = (grader or settings.grader, str(settings.bank) if settings.bank else None)
    if key not in _examiners:
        _examiners[key] = Examiner(None, key[0], settings=settings)
    return _examiners[key].grade(answer, question, question_id)
