"""A grade does not depend on the process it was made in: the same answer gets the same level,
score, flags and quoted evidence whatever Python's string-hash seed (sets iterate in hash order,
so a sum over one used to change in its last bit, and a near-tie between two quotes with it)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import json
from pmloop.bank import load_bank
from pmloop.grading import Examiner
bank = load_bank()
examiner = Examiner(bank)
question = bank.get("billing-code-confidence-calibration-threshold")
grade = examiner.grade(question.references.strong, question_id=question.id)
data = grade.model_dump(mode="json")
data.pop("grader", None)
print(json.dumps(data, sort_keys=True))
"""


def _grade_with_seed(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_a_grade_is_the_same_whatever_the_hash_seed() -> None:
    # seeds 1 and 2 chose different evidence for this answer before the sums were made exact
    grades = {_grade_with_seed(seed) for seed in ("1", "2", "3")}
    assert len(grades) == 1
