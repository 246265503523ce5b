"""How well a second, blind rater agrees with the labels: the ceiling for any grader.

    .venv/bin/python scripts/rater_agreement.py

A second rater saw only the question (with its scenario) and the answer, never the first label
or the grader's output, and rated by the same level and flag definitions: every held-out answer,
and 453 development answers (the 343 written for an earlier held-out set, which later joined
``data/labeled``, and a random sample of 110 of the rest). A third blind rater rated a random
100 of the 336 adversarial answers (development and held-out parts together), and another blind
rater every answer of the third to eighteenth held-out adversarial parts (writers i and j, k
and l, m and n, o and p, q and r, s and t, u and v, 112 each; w, x and y, z, za and zb, and zc,
zd and ze, 168 each; zf and zg, 112; zh, zi and zj, zk, zl and zm, zn, zo and zp, zq, zr and
zs, and zt, zu and zv, 168 each), and likewise every later part through the thirty-third
(writers xm, xn and xo). Their ratings are in ``data/second_rater/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from pmloop.bank import load_bank
from pmloop.evaluation import load_labeled
from pmloop.evaluation._metrics import (
    adjacent_agreement,
    confusion_matrix,
    exact_agreement,
    quadratic_weighted_kappa,
)

ROOT = Path(__file__).resolve().parents[1]
PAIRS = (
    ("labeled", "data/labeled"),
    ("holdout", "data/holdout"),
    ("adversarial", "data/adversarial"),
)


def main() -> int:
    bank = load_bank()
    for ratings_name, labeled_path in PAIRS:
        items = {i.id: i for i in load_labeled(ROOT / labeled_path, bank).items}
        text = (ROOT / "data" / "second_rater" / f"{ratings_name}.yaml").read_text("utf-8")
        ratings = yaml.safe_load(text)["ratings"]
        for source, keep in (("all", None), ("bank", True), ("non-bank", False)):
            rows = [
                (items[r["id"]].level, r["level"])
                for r in ratings
                if keep is None or items[r["id"]].in_bank is keep
            ]
            first, second = [a for a, _ in rows], [b for _, b in rows]
            print(
                f"{labeled_path} {source:8s} n={len(rows):3d} "
                f"qwk={quadratic_weighted_kappa(first, second):.3f} "
                f"exact={exact_agreement(first, second):.3f} "
                f"adjacent={adjacent_agreement(first, second):.3f}"
            )
            if source == "all":
                print(
                    "  confusion (rows first label, columns second):",
                    confusion_matrix(first, second),
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
