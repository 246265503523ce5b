"""The library call a Python user makes: pmloop.grade(question, answer)."""

from pathlib import Path

import pytest

import pmloop
from pmloop.errors import EmptyAnswerError, UnknownQuestionError
from pmloop.grading import Grade

ANSWER = (
    "I'd split the eval in two: can it summarise correctly, and can it do harm by sending a "
    "wrong owner for an action item to an external guest. Test on real recorded meetings, "
    "split by language, and rerun the set on every model update."
)


def test_grade_returns_a_grade() -> None:
    grade = pmloop.grade("How would you evaluate a new LLM feature before launch?", ANSWER)
    assert isinstance(grade, Grade)
    assert grade.question.bank_id == "eval-new-llm-feature-before-launch"
    assert grade.level_name in {"below_bar", "surface", "strong", "senior"}


def test_grade_by_id_and_with_an_own_bank(tmp_path: Path) -> None:
    import yaml

    from pmloop.bank import load_bank

    question = load_bank().get("meeting-summary-auto-send-safety")
    by_id = pmloop.grade(None, ANSWER, question_id=question.id)
    assert by_id.question.match_similarity == 1.0

    data = question.model_dump(mode="json", exclude_none=True)
    data["id"] = "my-question"
    (tmp_path / "bank.yaml").write_text(yaml.safe_dump({"questions": [data]}), encoding="utf-8")
    own = pmloop.grade(None, ANSWER, question_id="my-question", bank=tmp_path / "bank.yaml")
    assert own.question.bank_id == "my-question"


def test_bad_input_raises_typed_errors() -> None:
    with pytest.raises(EmptyAnswerError):
        pmloop.grade("Any question?", "  ")
    with pytest.raises(UnknownQuestionError):
        pmloop.grade(None, ANSWER, question_id="no-such-question")


def test_readme_python_example_runs() -> None:
    """The Python snippet in the README is code that runs."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {"answer": ANSWER}
    exec(compile(snippet, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    assert isinstance(namespace["grade"], Grade)
