"""`pmloop eval` as a user runs it."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _small_set(tmp_path: Path) -> Path:
    items = yaml.safe_load((ROOT / "data" / "labeled" / "terse.yaml").read_text())["items"][:14]
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump({"items": items}), encoding="utf-8")
    return path


def test_json_report_has_every_figure(pmloop_cli: Callable, tmp_path: Path) -> None:
    run = pmloop_cli("eval", str(_small_set(tmp_path)), "--no-references", "--format", "json")
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["schema"] == "pmloop.eval/1" and report["protocol"] == "leave-question-out"
    assert report["items"] == 14
    for key in ("qwk", "exact", "adjacent", "spearman", "pairwise", "pairwise_length_adversarial"):
        assert key in report["overall"]
    assert set(report["baselines"]) == {"length", "keyword"}
    assert len(report["confusion"]) == 4
    assert set(report["flags"]) >= {"buzzword_without_substance", "false_certainty"}
    for key in ("by_competency", "by_source", "by_style", "flags_by_source", "guardrails"):
        assert report[key]
    assert report["calibration_error"] is not None


def test_text_report(pmloop_cli: Callable, tmp_path: Path) -> None:
    run = pmloop_cli("eval", str(_small_set(tmp_path)), "--no-references", env={"COLUMNS": "120"})
    assert run.code == 0, run.stderr
    for heading in ("quadratic weighted kappa", "length baseline", "flags", "by answer style"):
        assert heading in run.stdout


def test_bad_labeled_files_and_options(pmloop_cli: Callable, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "items:\n  - {id: x-1, question: Why?, answer: hi, level: 9}\n", encoding="utf-8"
    )
    run = pmloop_cli("eval", str(bad))
    assert run.code == 2 and "invalid labeled set" in run.stderr and "Traceback" not in run.stderr
    missing = pmloop_cli("eval", str(tmp_path / "nowhere"))
    assert missing.code == 2 and "no labeled .yaml files" in missing.stderr
    both = pmloop_cli("eval", str(bad), "--fixed-model", "--write-model")
    assert both.code == 2 and "cannot be combined" in both.stderr


def test_check_validates_without_grading(pmloop_cli: Callable, tmp_path: Path) -> None:
    run = pmloop_cli("eval", "--check", str(_small_set(tmp_path)))
    assert run.code == 0, run.stderr
    items = yaml.safe_load(_small_set(tmp_path).read_text())["items"]
    questions = len({i.get("question_id") or i["question"] for i in items})
    assert run.stdout.strip().endswith(f"14 items over {questions} questions, no problems")
    assert "kappa" not in run.stdout


def test_check_lists_every_problem(pmloop_cli: Callable, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    items = [
        {"id": "a-1", "question_id": "no-such-question", "answer": "x", "level": 3,
         "style": "plain", "reason": "a reason long enough"},
        {"id": "a-2", "question": "q?", "answer": "y", "level": 5, "style": "plain",
         "reason": "short"},
    ]  # fmt: skip
    bad.write_text(yaml.safe_dump({"items": items}), encoding="utf-8")
    run = pmloop_cli("eval", "--check", str(bad))
    assert run.code == 2
    problems = run.stderr.strip().splitlines()
    assert any("a-1" in p and "not a bank question id" in p for p in problems)
    assert any("items.1.level" in p for p in problems)
    assert any("items.1.reason" in p for p in problems)
    assert problems[-1] == f"pmloop: error: 3 problem(s) in {bad}"
    assert "Traceback" not in run.stderr


def test_check_grades_nothing_so_it_refuses_model_options(pmloop_cli: Callable) -> None:
    for option in ("--write-model", "--fixed-model"):
        run = pmloop_cli("eval", "--check", option)
        assert run.code == 2 and "--check grades nothing" in run.stderr


def test_check_reports_broken_yaml_on_one_line(pmloop_cli: Callable, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("items: [\n", encoding="utf-8")
    run = pmloop_cli("eval", "--check", str(broken))
    assert run.code == 2
    assert run.stderr.splitlines() == [
        f"{broken}:2: YAML syntax: expected the node content, but found '<stream end>'",
        f"pmloop: error: 1 problem(s) in {broken}",
    ]


def test_any_registered_grader_is_measured_as_it_grades(
    pmloop_cli: Callable, tmp_path: Path, thirdparty_grader: Any
) -> None:
    # the third-party grader calls every answer senior: the harness must report its grades,
    # not the offline grader's level model refitted per fold
    small = str(_small_set(tmp_path))
    run = pmloop_cli("eval", small, "--no-references", "--format", "json", "--grader",
                     "thirdparty", env=thirdparty_grader.env)  # fmt: skip
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["grader"].startswith("thirdparty 1.0+") and report["protocol"] == "as-graded"
    assert report["items"] == 14
    # rows are the labels, columns the grades: every answer sits in the senior column
    assert all(row[:3] == [0, 0, 0] for row in report["confusion"])
    assert sum(row[3] for row in report["confusion"]) == 14
    assert report["overall"]["exact"] == round(report["confusion"][3][3] / 14, 4)
    assert set(report["baselines"]) == {"length", "keyword"}


def test_refitting_is_an_extra_of_the_offline_grader_only(
    pmloop_cli: Callable, tmp_path: Path, thirdparty_grader: Any
) -> None:
    small = str(_small_set(tmp_path))
    for option, says in (("--write-model", "--write-model refits"), ("--fixed-model", "holds")):
        run = pmloop_cli("eval", small, "--no-references", option, "--grader", "thirdparty",
                         env=thirdparty_grader.env)  # fmt: skip
        assert run.code == 2, option
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
        assert says in run.stderr and "the thirdparty grader has none" in run.stderr
        assert run.stdout == ""


def test_adversarial_answers_go_only_into_a_refit_and_a_bad_set_fails_first(
    pmloop_cli: Callable, tmp_path: Path
) -> None:
    from pmloop.evaluation import PACKAGED_MODEL

    small = str(_small_set(tmp_path))
    alone = pmloop_cli("eval", small, "--adversarial", small)
    assert alone.code == 2 and "needs --write-model" in alone.stderr
    assert alone.stderr.count("\n") == 1 and alone.stdout == ""
    before = PACKAGED_MODEL.read_bytes()
    missing = pmloop_cli("eval", small, "--write-model", "--adversarial", str(tmp_path / "nowhere"))
    # refused before anything is graded or written
    assert missing.code == 2 and "no labeled .yaml files" in missing.stderr
    assert "Traceback" not in missing.stderr and missing.stdout == ""
    assert PACKAGED_MODEL.read_bytes() == before
