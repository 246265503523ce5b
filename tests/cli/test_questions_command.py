"""`pmloop questions list|show|validate`."""

import json
from collections.abc import Callable
from pathlib import Path

from pmloop.vocabulary import QuestionFormat, Round


def test_list_json_has_one_object_per_question(pmloop_cli: Callable) -> None:
    run = pmloop_cli("questions", "list", "--format", "json")
    assert run.code == 0
    rows = json.loads(run.stdout)
    assert len(rows) >= 70
    assert set(rows[0]) == {
        "id", "text", "primary", "secondary", "difficulty", "round", "format", "tags"
    }  # fmt: skip
    rounds = {r["round"] for r in rows}
    assert rounds <= {r.value for r in Round} and len(rounds) >= 6
    assert {r["format"] for r in rows} <= {f.value for f in QuestionFormat}


def test_list_filters_by_competency_and_tag(pmloop_cli: Callable) -> None:
    run = pmloop_cli(
        "questions", "list", "--competency", "values_alignment", "--tag", "lab", "--format", "json"
    )
    rows = json.loads(run.stdout)
    assert rows
    for row in rows:
        assert "lab" in row["tags"]
        assert "values_alignment" in [row["primary"], *row["secondary"]]


def test_list_text_and_unknown_competency(pmloop_cli: Callable) -> None:
    run = pmloop_cli("questions", "list", "--tag", "startup", env={"COLUMNS": "120"})
    assert run.code == 0 and "question(s)" in run.stdout
    bad = pmloop_cli("questions", "list", "--competency", "charisma")
    assert bad.code == 2 and "unknown competency 'charisma'" in bad.stderr


def test_show_with_and_without_references(pmloop_cli: Callable) -> None:
    plain = pmloop_cli("questions", "show", "eval-new-llm-feature-before-launch")
    assert plain.code == 0 and "Rubric signals" in plain.stdout
    assert "Reference: Senior" not in plain.stdout
    full = pmloop_cli("questions", "show", "eval-new-llm-feature-before-launch", "--references")
    for level in ("Below bar", "Surface", "Strong", "Senior"):
        assert f"Reference: {level}" in full.stdout


def test_show_unknown_id(pmloop_cli: Callable) -> None:
    run = pmloop_cli("questions", "show", "latency")
    assert run.code == 2 and "closest ids" in run.stderr and "Traceback" not in run.stderr


def test_validate_lists_every_problem(pmloop_cli: Callable, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "questions:\n  - id: Bad_Id\n    text: Why?\n", encoding="utf-8"
    )
    (tmp_path / "b.yaml").write_text("questions: [\n", encoding="utf-8")
    run = pmloop_cli("questions", "validate", str(tmp_path))
    assert run.code == 2
    lines = run.stderr.strip().splitlines()
    assert any("a.yaml:2" in line and "'id'" in line for line in lines)
    assert any("a.yaml" in line and "'primary'" in line for line in lines)
    assert any("b.yaml" in line and "YAML syntax" in line for line in lines)
    assert lines[-1].startswith("pmloop: error: ") and "problem(s)" in lines[-1]


def test_validate_the_packaged_bank(pmloop_cli: Callable) -> None:
    from pmloop.bank import default_bank_path

    run = pmloop_cli("questions", "validate", str(default_bank_path()))
    assert run.code == 0 and "no problems" in run.stdout


def test_own_bank_on_list(pmloop_cli: Callable, tmp_path: Path) -> None:
    import yaml

    from pmloop.bank import load_bank

    question = load_bank().get("eval-new-llm-feature-before-launch")
    data = question.model_dump(mode="json", exclude_none=True)
    data["id"] = "my-own-question"
    (tmp_path / "mine.yaml").write_text(yaml.safe_dump({"questions": [data]}), encoding="utf-8")
    run = pmloop_cli("questions", "list", "--bank", str(tmp_path), "--format", "json")
    assert [row["id"] for row in json.loads(run.stdout)] == ["my-own-question"]
