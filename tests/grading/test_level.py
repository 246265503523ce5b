"""The level model: signed weights, and drivers that explain a grade."""

import random

from pmloop.bank import Bank
from pmloop.grading import FEATURES, Examiner, fit_level_model, load_level_model
from pmloop.grading._level import FEATURE_LABELS, SIGNS


def test_every_feature_has_a_label_and_the_packaged_weights_keep_their_signs() -> None:
    assert set(FEATURE_LABELS) == set(FEATURES)
    model = load_level_model()
    for name, sign in SIGNS.items():
        assert sign * model.weights[name] >= 0, name


def test_a_fitted_weight_stops_at_zero_rather_than_change_sign() -> None:
    # specificity is made to fall as the level rises; its weight may not turn negative
    rng = random.Random(3)
    rows = []
    for _ in range(400):
        level = rng.randint(1, 4)
        rows.append(
            (
                {
                    "register": (level - 1) / 3 + rng.uniform(-0.15, 0.15),
                    "specificity": 1.0 - (level - 1) / 3 + rng.uniform(-0.1, 0.1),
                },
                level,
            )
        )
    model = fit_level_model(rows, version="t", trained_on="synthetic")
    assert model.weights["specificity"] == 0.0
    assert model.weights["register"] > 1.0
    unconstrained_direction = fit_level_model(
        [({"pasted": f["specificity"]}, level) for f, level in rows], "t", "synthetic"
    )
    assert unconstrained_direction.weights["pasted"] < 0  # an unsigned feature may go negative


def test_a_grade_lists_what_moved_its_level(examiner: Examiner, bank: Bank) -> None:
    question = next(iter(bank))
    grade = examiner.grade(question.references.strong, question_id=question.id)
    assert grade.drivers and grade.register_ is not None
    sizes = [abs(d.contribution) for d in grade.drivers]
    assert sizes == sorted(sizes, reverse=True)
    assert all(d.label == FEATURE_LABELS[d.feature] for d in grade.drivers)
    assert all(question.id not in r for r in grade.register_.reads_like)
    assert "drivers" not in grade.to_json_dict()  # not part of pmloop.grade/1
