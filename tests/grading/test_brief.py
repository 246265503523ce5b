"""A first answer of a line or two is surface at most, however apt the line."""

import pytest

from pmloop.grading import Examiner
from pmloop.vocabulary import Level

QUESTION = "eval-new-llm-feature-before-launch"
APT_LINES = (
    "I'd start from the failures that hurt users most.",
    "Split results by ticket type, because a healthy average can hide one segment that fails.",
    "Sample the eval from last quarter's real tickets, and rerun it on every model update so "
    "a vendor change cannot slip through unnoticed.",
)


@pytest.mark.parametrize("answer", APT_LINES)
def test_an_apt_line_is_surface_at_most(examiner: Examiner, answer: str) -> None:
    grade = examiner.grade(answer, question_id=QUESTION)
    assert grade.level <= Level.SURFACE, (grade.level, answer)
    assert grade.drivers[0].feature == "brief_answer"
    assert "too short" in grade.drivers[0].label


def test_a_follow_up_answer_may_be_brief(examiner: Examiner) -> None:
    follow_up = "Before any metric, which mistake by this assistant would hurt a customer most?"
    grade = examiner.grade(
        "A confident draft that promises a refund our policy does not allow, sent unread.",
        question_id=QUESTION,
        follow_up=follow_up,
    )
    assert all(d.feature != "brief_answer" for d in grade.drivers)


def test_the_rule_stops_at_thirty_words(examiner: Examiner) -> None:
    answer = (
        "I'd start from the failures that hurt users most: a confident draft inventing a refund "
        "policy. The eval set comes from last quarter's real tickets, split by ticket type, and "
        "reruns on every model update."
    )
    assert len(answer.split()) >= 30
    grade = examiner.grade(answer, question_id=QUESTION)
    assert all(d.feature != "brief_answer" for d in grade.drivers)
    assert grade.level >= Level.STRONG
