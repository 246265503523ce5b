"""Record the figures the regression gate holds, in data/eval_baseline.json.

    .venv/bin/python scripts/record_baseline.py

Run it only in a commit that deliberately moves the record (a grading change whose figures you
have read); tests/evaluation/test_regression_gate.py fails whenever a figure is worse than this.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pmloop.bank import load_bank
from pmloop.evaluation import load_labeled, run_eval
from pmloop.evaluation._gate import GATE_SETS, gate_figures
from pmloop.grading import Examiner

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "data" / "eval_baseline.json"
NOTE = (
    "Figures of the offline grader that tests/evaluation/test_regression_gate.py holds with no "
    "tolerance (grading is deterministic): agreement and per-flag precision and recall may not "
    "fall, guardrail counts, exploit rates and senior misses may not rise, and no flag may start "
    "firing on a set where it never fired. Written by scripts/record_baseline.py; move it only "
    "in a deliberate commit."
)


def main() -> int:
    bank = load_bank()
    examiner = Examiner(bank)
    record: dict[str, object] = {"note": NOTE}
    for gate_set in GATE_SETS:
        report, _ = run_eval(
            examiner,
            load_labeled(ROOT / "data" / gate_set.folder, bank),
            include_references=gate_set.references,
            fixed_model=gate_set.fixed_model,
        )
        record[gate_set.name] = {"command": gate_set.command, **gate_figures(report)}
        print(f"{gate_set.name}: QWK {report.overall.qwk}")
    BASELINE.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {BASELINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
