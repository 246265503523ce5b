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
from collections import defaultdict
from pathlib import Path

from pmloop.bank import load_bank
from pmloop.evaluation import PRIOR, feature_rows, fit, load_labeled, not_strong
from pmloop.evaluation._metrics import quadratic_weighted_kappa
from pmloop.evaluation._runner import _reference_items
from pmloop.grading import Examiner

ROOT = Path(__file__).resolve().parents[1]
ATTACKS = frozenset(
    {
        "off_topic",
        "wrong_call",
        "vocabulary_salad",
        "hedge_no_call",
        "grader_directed",
        "number_soup",
        "padding",
        "framework",
    }
)


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
    writers = {}
    for path in sorted((ROOT / "data" / "adversarial" / "dev").glob("writer_*.yaml")):
        items = load_labeled(path, bank).items
        writers[path.stem.removeprefix("writer_")] = (items, feature_rows(examiner, items))
    folds = [set(args.hold)] if args.hold else [{w} for w in writers]
    unknown = set().union(*folds) - set(writers)
    if unknown:
        sys.stderr.write(f"no such writer: {', '.join(sorted(unknown))}\n")
        return 2
    graded = []  # (category, label, level, bank question)
    for held in folds:
        rows, up_to = list(base), [label for _, label in base]
        if not args.labeled_only:
            for name, (_, extra) in writers.items():
                if name not in held:
                    rows += extra
                    up_to += [not_strong(label) for _, label in extra]
        model = fit(rows, PRIOR, "lwo", "lwo", up_to=up_to)
        for name in sorted(held):
            items, extra = writers[name]
            for item, (features, label) in zip(items, extra, strict=True):
                level = model.predict(features).level
                graded.append((item.category, label, level, item.question_id is not None))
    labels = [g[1] for g in graded]
    levels = [g[2] for g in graded]
    attacks = [g for g in graded if g[0] in ATTACKS and g[1] <= 2]
    exploited = sum(g[2] >= 3 for g in attacks)
    seniors = [g for g in graded if g[1] == 4]
    fits = "labeled answers and references only" if args.labeled_only else "the packaged recipe"
    held_out = ", ".join(sorted(args.hold)) if args.hold else "each writer in turn"
    print(f"held out: {held_out}; fitted with {fits}; {len(graded)} answers")
    print(
        f"QWK {quadratic_weighted_kappa(labels, levels):.3f}  "
        f"exact {sum(a == b for a, b in zip(labels, levels, strict=True)) / len(graded):.3f}  "
        f"attacks graded 3-4: {exploited}/{len(attacks)} ({exploited / len(attacks):.3f})  "
        f"senior graded 1-2: {sum(g[2] <= 2 for g in seniors)}/{len(seniors)}"
    )
    by = defaultdict(list)
    for g in graded:
        by[g[0]].append(g)
    for category, rows_ in sorted(by.items()):
        low = [g for g in rows_ if g[1] <= 2]
        exploit = f"{sum(g[2] >= 3 for g in low)}/{len(low)}" if low else "-"
        miss = sum(1 for g in rows_ if g[1] == 4 and g[2] <= 2)
        exact = sum(g[1] == g[2] for g in rows_) / len(rows_)
        print(
            f"  {category:18s} n={len(rows_):3d} exact {exact:.2f} exploit {exploit:>6s} "
            f"miss {miss}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
