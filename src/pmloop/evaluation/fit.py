"""Refit the packaged level model: ``python -m pmloop.evaluation.fit [--write]``.

Prints leave-question-out agreement on the bank's reference answers, then, with ``--write``,
stores the model fitted on all of them in ``pmloop/grading/data/level_model.json``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from pmloop.evaluation._fit import bank_references, cross_validate, feature_rows, fit
from pmloop.grading import Examiner
from pmloop.grading._level import LevelModel, load_level_model

PRIOR = LevelModel(
    version="prior",
    weights={
        "strong_coverage": 2.0,
        "senior_coverage": 2.5,
        "consequence": 2.5,
        "specificity": 1.0,
        "unexplained_terms": -0.8,
        "flag_framework_recitation": -1.2,
        "flag_buzzword_without_substance": -1.5,
        "flag_performance_theater": -1.5,
        "flag_heuristic_collapse": -1.5,
        "flag_false_certainty": -1.0,
        "topicality": 1.0,
        "brevity": 1.0,
        "generic_process": -1.0,
        "dismissal": -1.0,
    },
    cuts=(1.2, 2.4, 3.8),
)


def main(argv: list[str]) -> int:
    """Cross-validate, print agreement, and optionally write the fitted model."""
    examiner = Examiner(grader="offline")
    items = bank_references(examiner.bank)
    rows = feature_rows(examiner, items)
    folds = cross_validate(items, rows, PRIOR)
    confusion = Counter((f.item.level, f.predicted) for f in folds)
    exact = sum(f.item.level == f.predicted for f in folds) / len(folds)
    adjacent = sum(abs(f.item.level - f.predicted) <= 1 for f in folds) / len(folds)
    print(f"leave-question-out on {len(folds)} reference answers of {len(examiner.bank)} questions")
    print(f"exact {exact:.3f}  adjacent {adjacent:.3f}")
    print("true\\pred  1   2   3   4")
    for true in range(1, 5):
        print(f"{true:>9} " + " ".join(f"{confusion[(true, p)]:>3}" for p in range(1, 5)))
    if "--write" in argv:
        model = fit(rows, PRIOR, f"1-refs{len(items)}", "bank reference answers")
        target = Path(__file__).resolve().parent.parent / "grading" / "data" / "level_model.json"
        target.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
        load_level_model(target)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
