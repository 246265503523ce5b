"""Rubric signals are found in plain words as well as in jargon."""

from pmloop.grading import Examiner


def _met(examiner: Examiner, answer: str) -> set[str]:
    grade = examiner.grade(answer, question_id="eval-new-llm-feature-before-launch")
    return {s.id for s in grade.signals if s.met}


def test_plain_words_meet_the_production_data_signal(examiner: Examiner) -> None:
    answer = (
        "Before trusting any score I'd ask whether our test tickets actually look like what "
        "agents get on a Monday morning: messy, several issues at once, half of them not in "
        "English. If we wrote the examples ourselves they will make the model look better than "
        "it is."
    )
    assert "eval_data_matches_production" in _met(examiner, answer)


def test_a_signal_needs_more_than_one_shared_word(examiner: Examiner) -> None:
    assert _met(examiner, "Production is important. Segment is a word. Regression.") == set()


def test_quotes_are_verbatim_and_unmet_signals_have_none(examiner: Examiner) -> None:
    answer = (
        "Every model or prompt change reruns the golden set before it ships, and we keep the "
        "past failures in a frozen suite so a vendor update cannot quietly bring one back."
    )
    grade = examiner.grade(answer, question_id="eval-new-llm-feature-before-launch")
    met = {s.id: s for s in grade.signals if s.met}
    assert "regression_plan" in met
    for signal in grade.signals:
        assert all(q in answer for q in signal.quotes)
        assert signal.met == bool(signal.quotes)
