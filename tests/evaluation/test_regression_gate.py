"""The grader's measured agreement may not fall below the recorded baseline.

Raising ``data/eval_baseline.json`` is a deliberate commit; this test only guards the floor.
"""

import json
from pathlib import Path

import pytest

from pmloop.bank import Bank
from pmloop.evaluation import PRIOR, EvalReport, fit, load_labeled, run_eval
from pmloop.evaluation._runner import EvalCase
from pmloop.grading import Examiner, load_level_model

ROOT = Path(__file__).resolve().parents[2]
BASELINE = json.loads((ROOT / "data" / "eval_baseline.json").read_text(encoding="utf-8"))
TOLERANCE = 0.03


@pytest.fixture(scope="module")
def development(bank: Bank) -> tuple[EvalReport, list[EvalCase]]:
    examiner = Examiner(bank)
    return run_eval(examiner, load_labeled(ROOT / "data" / "labeled", bank))


def test_leave_question_out_agreement_holds(
    development: tuple[EvalReport, list[EvalCase]],
) -> None:
    report, _ = development
    floor = BASELINE["labeled_leave_question_out"]
    assert report.overall.qwk is not None and report.overall.pairwise is not None
    assert report.overall.qwk >= floor["qwk"] - TOLERANCE
    assert report.overall.pairwise >= floor["pairwise"] - TOLERANCE
    assert report.guardrails == {
        "gaming_answers_graded_3_or_4": 0,
        "senior_answers_graded_1_or_2": 0,
    }


def test_held_out_agreement_holds(bank: Bank) -> None:
    report, _ = run_eval(
        Examiner(bank),
        load_labeled(ROOT / "data" / "holdout", bank),
        include_references=False,
        fixed_model=True,
    )
    floor = BASELINE["holdout_fixed_model"]
    assert report.overall.qwk is not None and report.overall.pairwise is not None
    assert report.overall.qwk >= floor["qwk"] - TOLERANCE
    assert report.overall.pairwise >= floor["pairwise"] - TOLERANCE


def test_the_packaged_model_is_what_the_refit_command_produces(
    development: tuple[EvalReport, list[EvalCase]],
) -> None:
    """`pmloop eval --write-model` on the committed data reproduces the committed weights."""
    _, cases = development
    refit = fit([(c.features, c.label) for c in cases], PRIOR, "check", "check")
    packaged = load_level_model()
    for name, weight in packaged.weights.items():
        assert refit.weights[name] == pytest.approx(weight, abs=2e-3), name
    for mine, theirs in zip(refit.cuts, packaged.cuts, strict=True):
        assert mine == pytest.approx(theirs, abs=2e-3)


def test_adversarial_development_set_holds(bank: Bank) -> None:
    """Attacks may not pass more often, and guards may not fall more often, than recorded."""
    report, _ = run_eval(
        Examiner(bank),
        load_labeled(ROOT / "data" / "adversarial" / "dev", bank),
        include_references=False,
        fixed_model=True,
    )
    floor = BASELINE["adversarial_dev_fixed_model"]
    assert report.overall.qwk is not None
    assert report.overall.qwk >= floor["qwk"] - TOLERANCE
    assert set(report.robustness) == set(floor["categories"])
    for name, recorded in floor["categories"].items():
        measured = report.robustness[name]
        if recorded["exploit_rate"] is not None:
            assert measured.exploit_rate is not None
            assert measured.exploit_rate <= recorded["exploit_rate"], name
        assert measured.senior_miss <= recorded["senior_miss"], name
    # off-topic and wrong calls are the attacks that matter most: a hard ceiling as well
    assert (report.robustness["wrong_call"].exploit_rate or 0.0) <= 0.10
