"""Agreement metrics against values worked out by hand."""

import math

import pytest

from pmloop.evaluation import (
    adjacent_agreement,
    confusion_matrix,
    exact_agreement,
    expected_calibration_error,
    pairwise_accuracy,
    pearson,
    quadratic_weighted_kappa,
    spearman,
)


def test_qwk_perfect_chance_and_reversed() -> None:
    truth = [1, 2, 3, 4, 1, 2, 3, 4]
    assert quadratic_weighted_kappa(truth, truth) == pytest.approx(1.0)
    assert quadratic_weighted_kappa(truth, [5 - t for t in truth]) == pytest.approx(-1.0)
    # off by one everywhere is much better than chance but not perfect
    shifted = [min(t + 1, 4) for t in truth]
    assert 0.5 < quadratic_weighted_kappa(truth, shifted) < 1.0


def test_qwk_matches_a_hand_computed_case() -> None:
    # observed counts [[1,1],[0,2]] (levels 1-2); weights (i-j)^2/9 on the 4-level scale.
    # Observed disagreement: one answer off by one, 1/9. Expected from the marginals (truth 2,2;
    # predicted 1,3 over 4 answers): cell (1,2) 2*3/4 and cell (2,1) 2*1/4, each weighted 1/9.
    truth, predicted = [1, 1, 2, 2], [1, 2, 2, 2]
    observed_disagreement = 1 * (1 / 9)
    expected_disagreement = (2 * 3 / 4) * (1 / 9) + (2 * 1 / 4) * (1 / 9)
    assert observed_disagreement / expected_disagreement == pytest.approx(0.5)
    assert quadratic_weighted_kappa(truth, predicted) == pytest.approx(0.5)


def test_agreement_and_confusion() -> None:
    truth, predicted = [1, 2, 3, 4], [1, 3, 3, 1]
    assert exact_agreement(truth, predicted) == 0.5
    assert adjacent_agreement(truth, predicted) == 0.75
    matrix = confusion_matrix(truth, predicted)
    assert matrix[1][2] == 1 and matrix[3][0] == 1 and sum(map(sum, matrix)) == 4


def test_correlations() -> None:
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [1, 4, 9, 16]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert math.isnan(pearson([1, 1, 1], [1, 2, 3]))


def test_pairwise_counts_only_same_question_pairs_and_length_adversarial() -> None:
    groups = ["q1", "q1", "q1", "q2"]
    truth = [1, 3, 4, 1]
    scores = [10.0, 60.0, 50.0, 99.0]  # the 3-vs-4 pair is out of order; q2 pairs with nobody
    accuracy, pairs = pairwise_accuracy(groups, truth, scores)
    assert pairs == 3 and accuracy == pytest.approx(2 / 3)
    lengths = [300, 50, 40, 10]  # the level-1 answer is the longest
    adversarial, count = pairwise_accuracy(groups, truth, scores, lengths)
    assert count == 3 and adversarial == pytest.approx(2 / 3)
    lengths = [10, 50, 40, 10]  # now only the 3-vs-4 pair has the lower label longer
    assert pairwise_accuracy(groups, truth, scores, lengths) == (0.0, 1)


def test_ties_count_half() -> None:
    assert pairwise_accuracy(["q", "q"], [1, 2], [5.0, 5.0]) == (0.5, 1)


def test_calibration_error() -> None:
    assert expected_calibration_error([0.9, 0.9], [True, True]) == pytest.approx(0.1)
    assert expected_calibration_error([1.0, 0.5], [True, False]) == pytest.approx(0.25)
