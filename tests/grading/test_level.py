"""The level model: signed weights, and drivers that explain a grade."""

import random

from pmloop.bank import Bank
from pmloop.grading import FEATURES, Examiner, fit_level_model, load_level_model
from pmloop.grading.offline._level import (
    BRIEF_FEATURE,
    CAP_DRIVER,
    FEATURE_LABELS,
    FLOOR_FEATURE,
    FOLLOW_UP_FLOOR,
    GENERIC_FEATURE,
    JARGON_FEATURE,
    MISCOUNT_FEATURE,
    NEUTRAL_VALUES,
    RESTATED_FEATURE,
    SIGNS,
    THIN_FEATURE,
)


def test_every_feature_has_a_label_and_the_packaged_weights_keep_their_signs() -> None:
    rules = {
        CAP_DRIVER,
        FLOOR_FEATURE,
        FOLLOW_UP_FLOOR,
        THIN_FEATURE,
        BRIEF_FEATURE,
        MISCOUNT_FEATURE,
        RESTATED_FEATURE,
        JARGON_FEATURE,
        GENERIC_FEATURE,
    }
    assert set(FEATURE_LABELS) == set(FEATURES) | rules
    assert set(NEUTRAL_VALUES) <= set(FEATURES)
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


def test_a_row_weighed_twice_counts_as_two_rows() -> None:
    rng = random.Random(5)
    rows = []
    for _ in range(200):
        level = rng.randint(1, 4)
        rows.append(({"register": (level - 1) / 3 + rng.uniform(-0.2, 0.2)}, level))
    doubled = fit_level_model(rows + rows[:50], "t", "synthetic")
    weighed = fit_level_model(rows, "t", "synthetic", row_weights=[2.0] * 50 + [1.0] * 150)
    assert abs(doubled.weights["register"] - weighed.weights["register"]) < 1e-3
    assert all(abs(a - b) < 1e-3 for a, b in zip(doubled.cuts, weighed.cuts, strict=True))
    # weighing some rows down moves the fit towards the others
    plain = fit_level_model(rows, "t", "synthetic")
    assert abs(plain.weights["register"] - weighed.weights["register"]) > 1e-3


def test_a_grade_lists_what_moved_its_level(examiner: Examiner, bank: Bank) -> None:
    question = next(iter(bank))
    grade = examiner.grade(question.references.strong, question_id=question.id)
    assert grade.drivers and grade.register_ is not None
    sizes = [abs(d.contribution) for d in grade.drivers]
    assert sizes == sorted(sizes, reverse=True)
    assert all(d.label == FEATURE_LABELS[d.feature] for d in grade.drivers)
    assert all(not r.startswith(f"{question.id} (") for r in grade.register_.reads_like)
    data = grade.to_json_dict()
    assert "drivers" not in data and "register" not in data  # not part of pmloop.grade/1


def test_a_neutral_answer_has_no_drivers_from_its_neutral_features() -> None:
    model = load_level_model()
    neutral = {name: NEUTRAL_VALUES.get(name, 0.0) for name in FEATURES}
    assert all(abs(v) < 1e-12 for v in model.contributions(neutral).values())


def test_an_anti_pattern_cap_is_listed_first(examiner: Examiner, bank: Bank) -> None:
    question = next(iter(bank))
    capped = examiner.grade(
        question.references.senior + " Ship it and fix it later; speed is everything.",
        question_id=question.id,
    )
    assert capped.flags and capped.level <= 2
    assert capped.drivers[0].feature == CAP_DRIVER and capped.drivers[0].contribution < 0


def test_relevance_is_how_close_the_answer_sits_to_its_own_question(
    examiner: Examiner, bank: Bank
) -> None:
    from dataclasses import replace

    cases = [q for q in bank if q.scenario]
    grader = examiner.grader
    for question, other in zip(cases[:6], cases[-6:], strict=True):
        context = examiner.context(question_id=question.id)
        own = grader.analyse(context, question.references.senior).features["relevance"]
        pasted_here = grader.analyse(context, other.references.senior).features["relevance"]
        assert own > 2 * pasted_here, (question.id, own, pasted_here)
        assert own == 1.0  # the cap: its own reference is as close as an answer gets
        # a follow-up narrows the subject, so it is not measured against the whole case
        reply = "Only the second group, and only once the audit is back."
        narrowed = replace(context, follow_up="Which group would you start with?")
        assert grader.analyse(narrowed, reply).features["relevance"] == 1.0
    model = load_level_model()
    assert model.weights["relevance"] > 0  # the fitted model reads it
