"""What each question format asks of a bank question's facts and stakeholder."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from pmloop.bank import Bank, Question, validate_bank
from pmloop.vocabulary import QuestionFormat


def _dump(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = question.model_dump(mode="json", exclude_none=True)
    return data


def test_the_fixture_questions_load_in_their_formats(format_bank: Bank) -> None:
    formats = {q.id: q.format for q in format_bank}
    assert (
        sorted(formats.values()) == [QuestionFormat.AMBIGUITY] * 2 + [QuestionFormat.ROLEPLAY] * 2
    )


def _problem(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        Question.model_validate(data)
    return str(caught.value)


def test_ambiguity_needs_three_facts_both_kinds(ambiguity: Question) -> None:
    data = _dump(ambiguity)
    assert "at least 3 facts" in _problem({**data, "facts": data["facts"][:2]})
    red = [f for f in data["facts"] if not f["changes_call"]]
    assert "changes_call: false" in _problem(
        {**data, "facts": [{**f, "changes_call": True} for f in data["facts"]]}
    )
    assert "changes_call: true" in _problem(
        {**data, "facts": [{**f, "changes_call": False} for f in data["facts"]]}
    )
    assert red  # the fixture has a red herring
    assert "duplicate fact ids" in _problem({**data, "facts": [data["facts"][0]] * 4})


def test_roleplay_needs_a_stakeholder_and_interview_has_neither(
    roleplay: Question, ambiguity: Question
) -> None:
    data = _dump(roleplay)
    assert "needs a stakeholder" in _problem({k: v for k, v in data.items() if k != "stakeholder"})
    assert "not interview" in _problem({**data, "format": "interview"})
    assert "facts belong to ambiguity" in _problem({**data, "facts": _dump(ambiguity)["facts"]})
    person = data["stakeholder"]
    assert "max_turns" in _problem({**data, "stakeholder": {**person, "max_turns": 12}})
    assert "duplicate concern ids" in _problem(
        {**data, "stakeholder": {**person, "concerns": [person["concerns"][0]] * 3}}
    )


def test_validate_reports_format_problems_by_file(roleplay: Question, tmp_path: Path) -> None:
    data = _dump(roleplay)
    del data["stakeholder"]
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"questions": [data]}), encoding="utf-8")
    (problem,) = validate_bank(path)
    assert "stakeholder" in problem.message and problem.question_id == roleplay.id
