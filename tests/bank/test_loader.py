"""Loading and validating bank files: every problem, located by file, line and field."""

from pathlib import Path

import pytest
import yaml

from pmloop.bank import Bank, load_bank, validate_bank
from pmloop.errors import BankError, UnknownQuestionError


def _one_question(bank: Bank) -> dict[str, object]:
    question = bank.get("eval-new-llm-feature-before-launch")
    data: dict[str, object] = question.model_dump(mode="json", exclude_none=True)
    return data


def _write(path: Path, questions: list[dict[str, object]]) -> Path:
    path.write_text(yaml.safe_dump({"questions": questions}, sort_keys=False), encoding="utf-8")
    return path


def test_a_valid_single_file_bank_loads(tmp_path: Path, bank: Bank) -> None:
    own = load_bank(_write(tmp_path / "mine.yaml", [_one_question(bank)]))
    assert [q.id for q in own] == ["eval-new-llm-feature-before-launch"]
    assert own.content_hash != bank.content_hash


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path, bank: Bank) -> None:
    first = _one_question(bank)
    first["primary"] = "vibes"
    second = _one_question(bank)
    second["id"] = "second-question"
    references = dict(second["references"])  # type: ignore[call-overload]
    references["senior"] = "Too short."
    second["references"] = references
    path = _write(tmp_path / "bad.yaml", [first, second])

    problems = validate_bank(path)
    fields = {(p.question_id, p.field) for p in problems}
    assert ("eval-new-llm-feature-before-launch", "primary") in fields
    assert ("second-question", "references") in fields
    assert all(p.file == str(path) and p.line for p in problems)
    primary = next(p for p in problems if p.field == "primary")
    lines = path.read_text().splitlines()
    assert lines[primary.line - 1].strip().startswith("primary:")


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("questions:\n  - id: x\n    text: [unclosed\n", encoding="utf-8")
    (problem,) = validate_bank(path)
    assert problem.line is not None and problem.line >= 3
    assert "YAML syntax" in problem.message


def test_non_utf8_and_missing_top_level_are_reported(tmp_path: Path) -> None:
    (tmp_path / "latin1.yaml").write_bytes("questions: caf\xe9".encode("latin-1"))
    (tmp_path / "list.yaml").write_text("- just a list\n", encoding="utf-8")
    problems = {Path(p.file).name: p.message for p in validate_bank(tmp_path)}
    assert "not UTF-8" in problems["latin1.yaml"]
    assert "top-level 'questions'" in problems["list.yaml"]


def test_duplicate_ids_across_files(tmp_path: Path, bank: Bank) -> None:
    _write(tmp_path / "a.yaml", [_one_question(bank)])
    _write(tmp_path / "b.yaml", [_one_question(bank)])
    problems = validate_bank(tmp_path)
    assert len(problems) == 1 and "duplicate id" in problems[0].message


def test_load_raises_one_error_carrying_all_problems(tmp_path: Path, bank: Bank) -> None:
    q = _one_question(bank)
    q["signals"] = []
    q["difficulty"] = "impossible"
    with pytest.raises(BankError) as caught:
        load_bank(_write(tmp_path / "bad.yaml", [q]))
    assert len(caught.value.problems) >= 2
    assert "bad.yaml" in str(caught.value)


def test_probe_must_name_an_existing_signal(tmp_path: Path, bank: Bank) -> None:
    q = _one_question(bank)
    q["probes"] = [*q["probes"], {"signal": "no_such_signal", "text": "What about that thing?"}]  # type: ignore[misc]
    (problem,) = validate_bank(_write(tmp_path / "bad.yaml", [q]))
    assert "no_such_signal" in problem.message


def test_unknown_id_suggests_close_ids(bank: Bank) -> None:
    with pytest.raises(UnknownQuestionError) as caught:
        bank.get("eval-new-llm-feature-before-lunch")
    assert "eval-new-llm-feature-before-launch" in caught.value.suggestions


def test_missing_path() -> None:
    (problem,) = validate_bank("/nonexistent/bank")
    assert "no such file" in problem.message
