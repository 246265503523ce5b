"""The grader's measured figures may not be worse than the recorded ones, by any amount.

Grading is deterministic, so the gate has no tolerance; ``scripts/record_baseline.py`` moves the
record in a deliberate commit. What is held is listed in ``pmloop.evaluation._gate``.
"""

import json
from pathlib import Path

import pytest

from pmloop.bank import Bank
from pmloop.evaluation import EvalReport, fit_with_adversarial, load_labeled, run_eval
from pmloop.evaluation._gate import GATE_SETS, compare_figures, gate_figures
from pmloop.evaluation._runner import EvalCase
from pmloop.grading import Examiner, load_level_model

ROOT = Path(__file__).resolve().parents[2]
BASELINE = json.loads((ROOT / "data" / "eval_baseline.json").read_text(encoding="utf-8"))
SETS = {s.name: s for s in GATE_SETS}


@pytest.fixture(scope="module")
def reports(bank: Bank) -> dict[str, tuple[EvalReport, list[EvalCase]]]:
    examiner = Examiner(bank)
    return {
        s.name: run_eval(
            examiner,
            load_labeled(ROOT / "data" / s.folder, bank),
            include_references=s.references,
            fixed_model=s.fixed_model,
        )
        for s in GATE_SETS
    }


@pytest.mark.parametrize("name", list(SETS))
def test_no_figure_is_worse_than_recorded(
    name: str, reports: dict[str, tuple[EvalReport, list[EvalCase]]]
) -> None:
    recorded = BASELINE[name]
    assert recorded["command"] == SETS[name].command
    problems = compare_figures(recorded, gate_figures(reports[name][0]))
    assert problems == [], f"{SETS[name].command}: " + "; ".join(problems)


def test_the_guardrails_hold_outright(
    reports: dict[str, tuple[EvalReport, list[EvalCase]]],
) -> None:
    """Beyond the recorded ceilings: on the sets written to the guide's levels no gaming answer
    is graded strong or senior, and in the development set no senior answer is graded down."""
    for name in ("labeled_leave_question_out", "holdout_fixed_model"):
        assert reports[name][0].guardrails["gaming_answers_graded_3_or_4"] == 0, name
    labeled, _ = reports["labeled_leave_question_out"]
    assert labeled.guardrails["senior_answers_graded_1_or_2"] == 0
    adversarial, _ = reports["adversarial_dev_fixed_model"]
    # off-topic and wrong calls are the attacks that matter most: a hard ceiling as well
    assert (adversarial.robustness["wrong_call"].exploit_rate or 0.0) <= 0.10


def test_the_packaged_model_is_what_the_refit_command_produces(
    reports: dict[str, tuple[EvalReport, list[EvalCase]]],
) -> None:
    """`pmloop eval --write-model` on the committed data reproduces the committed weights: the
    labeled answers and references as they are, the adversarial development answers with below
    bar read as not strong."""
    _, cases = reports["labeled_leave_question_out"]
    _, adversarial = reports["adversarial_dev_fixed_model"]
    refit = fit_with_adversarial(
        [(c.features, c.label) for c in cases],
        [(c.features, c.label) for c in adversarial],
        "check",
        "check",
    )
    packaged = load_level_model()
    assert packaged.version.endswith(f"-adversarial{len(adversarial)}"), packaged.version
    for name, weight in packaged.weights.items():
        assert refit.weights[name] == pytest.approx(weight, abs=1e-4), name
    for mine, theirs in zip(refit.cuts, packaged.cuts, strict=True):
        assert mine == pytest.approx(theirs, abs=1e-4)


def test_an_adversarial_label_below_bar_reads_as_not_strong() -> None:
    from pmloop.evaluation import not_strong

    assert [not_strong(level) for level in (1, 2, 3, 4)] == [2, 2, 3, 4]
