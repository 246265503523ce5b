"""How the level model's recipe does on adversarial writers it was not fitted on.

    .venv/bin/python scripts/leave_writer_out.py                 # every writer in turn
    .venv/bin/python scripts/leave_writer_out.py --hold k l      # writers k and l together
    .venv/bin/python scripts/leave_writer_out.py --labeled-only  # without adversarial rows

The packaged model is fitted on data/labeled, the bank's references and data/adversarial/dev
(``pmloop eval --write-model``), so ``pmloop eval data/adversarial/dev --fixed-model`` grades
answers the model has seen. This refits the same recipe with one writer's file (or the ones named
with ``--hold``) left out and grades that file, for a figure on voices the fit never read. The
substance checks (red lines, off topic, arithmetic...) are not refitted: they were written
against the development writers, so only a held-out part written later measures them.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from pmloop.bank import load_bank
from pmloop.evaluation import feature_rows, fit_with_adversarial, load_labeled
from pmloop.evaluation._labeled import ATTACKS
from pmloop.evaluation._metrics import quadratic_weighted_kappa
from pmloop.evaluation._runner import _cases, _reference_items, robustness
from pmloop.grading import Examiner

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold", nargs="+", metavar="WRITER", help="hold these writers out")
    parser.add_argument(
        "--labeled-only", action="store_true", help="fit without any adversarial rows"
    )
    args = parser.parse_args(argv)
    bank = load_bank()
    examiner = Examiner(bank)
    labeled = load_labeled(ROOT / "data" / "labeled", bank).items
    base = feature_rows(examiner, [*labeled, *_reference_items(examiner)])
    writers = {
        path.stem.removeprefix("writer_"): _cases(examiner, load_labeled(path, bank).items)
        for path in sorted((ROOT / "data" / "adversarial" / "dev").glob("writer_*.yaml"))
    }
    folds = [set(args.hold)] if args.hold else [{w} for w in writers]
    unknown = set().union(*folds) - set(writers)
    if unknown:
        sys.stderr.write(f"no such writer: {', '.join(sorted(unknown))}\n")
        return 2
    graded = []
    for held in folds:
        others = (
            []
            if args.labeled_only
            else [
                (c.features, c.label)
                for name, cases in writers.items()
                if name not in held
                for c in cases
            ]
        )
        model = fit_with_adversarial(base, others, "lwo", "lwo")
        graded += [
            replace(case, level=model.predict(case.features).level)
            for name in sorted(held)
            for case in writers[name]
        ]
    labels = [c.label for c in graded]
    levels = [c.level for c in graded]
    attacks = [c for c in graded if c.category in ATTACKS and c.label <= 2]
    exploited = sum(c.level >= 3 for c in attacks)
    seniors = [c for c in graded if c.label == 4]
    fits = "labeled answers and references only" if args.labeled_only else "the packaged recipe"
    held_out = ", ".join(sorted(args.hold)) if args.hold else "each writer in turn"
    print(f"held out: {held_out}; fitted with {fits}; {len(graded)} answers")
    print(
        f"QWK {quadratic_weighted_kappa(labels, levels):.3f}  "
        f"exact {sum(a == b for a, b in zip(labels, levels, strict=True)) / len(graded):.3f}  "
        f"attacks graded 3-4: {exploited}/{len(attacks)} ({exploited / len(attacks):.3f})  "
        f"senior graded 1-2: {sum(c.level <= 2 for c in seniors)}/{len(seniors)}"
    )
    for category, row in robustness(graded).items():
        exploit = "-" if row.exploit_rate is None else f"{row.exploit_rate:.2f}"
        print(
            f"  {category:18s} n={row.n:3d} exact {row.exact:.2f} exploit {exploit:>4s} "
            f"miss {row.senior_miss}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
