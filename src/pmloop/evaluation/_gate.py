"""The regression gate: the figures a grading change may not make worse, and the comparison.

The offline grader is deterministic, so a figure measured twice is the same figure; the gate has
no tolerance. Every recorded figure is a floor (agreement, per-flag precision and recall) or a
ceiling (guardrail counts, attack exploit rates, senior answers graded down). Raising the record
is a deliberate commit made with ``scripts/record_baseline.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pmloop.evaluation._runner import EvalReport

__all__ = ["GATE_SETS", "GateSet", "compare_figures", "gate_figures"]


@dataclass(frozen=True)
class GateSet:
    """One labeled set the gate measures, and how."""

    name: str
    folder: str
    fixed_model: bool
    references: bool

    @property
    def command(self) -> str:
        """The command that prints the same figures."""
        extra = (" --fixed-model" if self.fixed_model else "") + (
            "" if self.references else " --no-references"
        )
        return f"pmloop eval data/{self.folder}{extra}"


GATE_SETS: tuple[GateSet, ...] = (
    GateSet("labeled_leave_question_out", "labeled", fixed_model=False, references=True),
    GateSet("holdout_fixed_model", "holdout", fixed_model=True, references=False),
    GateSet("adversarial_dev_fixed_model", "adversarial/dev", fixed_model=True, references=False),
)

#: figures where more is better, at the top level of a set's record
_FLOORS = ("qwk", "pairwise", "exact")


def gate_figures(report: EvalReport) -> dict[str, Any]:
    """The figures of one report that the gate holds."""
    flags = {
        name: {"precision": m.precision, "recall": m.recall}
        for name, m in report.flags.items()
        if m.labeled or m.raised
    }
    return {
        "qwk": report.overall.qwk,
        "pairwise": report.overall.pairwise,
        "exact": report.overall.exact,
        "flags": flags,
        "guardrails": dict(report.guardrails),
        "categories": {
            name: {"exploit_rate": r.exploit_rate, "senior_miss": r.senior_miss}
            for name, r in report.robustness.items()
        },
    }


def compare_figures(recorded: Mapping[str, Any], measured: Mapping[str, Any]) -> list[str]:
    """Every way ``measured`` is worse than ``recorded``, one line each (empty: it holds)."""
    problems: list[str] = []

    def floor(where: str, was: float | None, now: float | None) -> None:
        if was is None:
            return
        if now is None or now < was:
            problems.append(f"{where} fell from {was} to {now}")

    def ceiling(where: str, was: float | None, now: float | None) -> None:
        if was is None:
            if now is not None:
                problems.append(f"{where} is new ({now}); record it deliberately")
            return
        if now is None or now > was:
            problems.append(f"{where} rose from {was} to {now}")

    for key in _FLOORS:
        floor(key, recorded.get(key), measured.get(key))
    for flag, was in recorded.get("flags", {}).items():
        now = measured["flags"].get(flag, {"precision": None, "recall": None})
        floor(f"flag {flag} precision", was["precision"], now["precision"])
        floor(f"flag {flag} recall", was["recall"], now["recall"])
    for flag in sorted(set(measured["flags"]) - set(recorded.get("flags", {}))):
        problems.append(f"flag {flag} is raised where it never was; record it deliberately")
    for name, was_count in recorded.get("guardrails", {}).items():
        ceiling(f"guardrail {name}", was_count, measured["guardrails"].get(name))
    was_categories = recorded.get("categories", {})
    if set(was_categories) != set(measured["categories"]):
        problems.append(
            f"categories changed: recorded {sorted(was_categories)}, "
            f"measured {sorted(measured['categories'])}"
        )
    for name, was in was_categories.items():
        now = measured["categories"].get(name, {"exploit_rate": None, "senior_miss": None})
        ceiling(f"{name} exploit rate", was["exploit_rate"], now["exploit_rate"])
        ceiling(f"{name} senior misses", was["senior_miss"], now["senior_miss"])
    return problems
