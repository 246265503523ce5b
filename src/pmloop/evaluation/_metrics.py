"""Agreement metrics between labeled levels and a grader's output. Pure functions, no numpy."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = [
    "adjacent_agreement",
    "confusion_matrix",
    "exact_agreement",
    "expected_calibration_error",
    "pairwise_accuracy",
    "pearson",
    "quadratic_weighted_kappa",
    "spearman",
]

LEVELS = (1, 2, 3, 4)


def confusion_matrix(truth: Sequence[int], predicted: Sequence[int]) -> list[list[int]]:
    """Rows are labeled levels 1-4, columns predicted levels 1-4."""
    matrix = [[0] * 4 for _ in LEVELS]
    for t, p in zip(truth, predicted, strict=True):
        matrix[t - 1][p - 1] += 1
    return matrix


def exact_agreement(truth: Sequence[int], predicted: Sequence[int]) -> float:
    """Share of items graded at exactly their labeled level."""
    return _mean([float(t == p) for t, p in zip(truth, predicted, strict=True)])


def adjacent_agreement(truth: Sequence[int], predicted: Sequence[int]) -> float:
    """Share of items graded within one level of their label."""
    return _mean([float(abs(t - p) <= 1) for t, p in zip(truth, predicted, strict=True)])


def quadratic_weighted_kappa(truth: Sequence[int], predicted: Sequence[int]) -> float:
    """Cohen's kappa with quadratic weights over the four levels (1 is perfect, 0 chance)."""
    n = len(truth)
    if n == 0:
        return float("nan")
    observed = confusion_matrix(truth, predicted)
    row = [sum(observed[i]) for i in range(4)]
    col = [sum(observed[i][j] for i in range(4)) for j in range(4)]
    numerator = denominator = 0.0
    for i in range(4):
        for j in range(4):
            weight = (i - j) ** 2 / 9
            numerator += weight * observed[i][j]
            denominator += weight * row[i] * col[j] / n
    return 1.0 - numerator / denominator if denominator else float("nan")


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson correlation; NaN when either side is constant."""
    if len(x) < 2:
        return float("nan")
    mx, my = _mean(x), _mean(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else float("nan")


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman rank correlation (Pearson on average ranks)."""
    return pearson(_ranks(x), _ranks(y))


def pairwise_accuracy(
    groups: Sequence[str],
    truth: Sequence[int],
    scores: Sequence[float],
    lengths: Sequence[int] | None = None,
) -> tuple[float, int]:
    """Share of same-question pairs with different labels whose scores are in label order.

    A tie in score counts as half right. With ``lengths``, only length-adversarial pairs count:
    those where the lower-labeled answer is the longer one. Returns (accuracy, pair count).
    """
    by_group: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        by_group.setdefault(group, []).append(index)
    right = 0.0
    total = 0
    for members in by_group.values():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                if truth[a] == truth[b]:
                    continue
                low, high = (a, b) if truth[a] < truth[b] else (b, a)
                if lengths is not None and lengths[low] <= lengths[high]:
                    continue
                total += 1
                if scores[high] > scores[low]:
                    right += 1
                elif scores[high] == scores[low]:
                    right += 0.5
    return (right / total if total else float("nan")), total


def expected_calibration_error(
    confidence: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    """How far stated confidence is from observed accuracy, averaged over confidence bins."""
    if not confidence:
        return float("nan")
    total = len(confidence)
    error = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [
            i for i, c in enumerate(confidence) if (low <= c < high) or (b == bins - 1 and c == 1.0)
        ]
        if not members:
            continue
        accuracy = _mean([float(correct[i]) for i in members])
        stated = _mean([confidence[i] for i in members])
        error += len(members) / total * abs(accuracy - stated)
    return error


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")
