"""Terminal rendering of an evaluation report."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pmloop.evaluation._runner import EvalReport, Metrics

__all__ = ["render_eval"]


def _f(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _metric_rows(table: Table, columns: list[Metrics]) -> None:
    rows: list[tuple[str, Callable[[Metrics], str]]] = [
        ("quadratic weighted kappa", lambda m: _f(m.qwk)),
        ("exact agreement", lambda m: _f(m.exact)),
        ("adjacent agreement", lambda m: _f(m.adjacent)),
        ("Spearman (score vs label)", lambda m: _f(m.spearman)),
        ("pairwise ordering, same question", lambda m: f"{_f(m.pairwise)} ({m.pairs})"),
        (
            "pairwise, lower label is longer",
            lambda m: f"{_f(m.pairwise_length_adversarial)} ({m.length_adversarial_pairs})",
        ),
    ]
    for name, cell in rows:
        table.add_row(name, *(cell(m) for m in columns))


def _split_table(title: str, split: dict[str, Metrics]) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in ("slice", "n", "QWK", "exact", "adjacent", "pairwise"):
        table.add_column(column, justify="left" if column == "slice" else "right")
    for name, m in split.items():
        table.add_row(name, str(m.n), _f(m.qwk), _f(m.exact), _f(m.adjacent), _f(m.pairwise))
    return table


def render_eval(report: EvalReport, console: Console) -> None:
    """Print the whole report: agreement, baselines, flags, calibration and every split."""
    console.print(
        Text.assemble(
            ("pmloop eval", "bold"),
            f"  {report.grader}: {report.items} answers, {report.questions} questions "
            f"({report.non_bank_questions} not in the bank), {report.protocol}",
        )
    )
    table = Table(header_style="bold")
    table.add_column("metric")
    table.add_column("grader", justify="right")
    table.add_column("length baseline", justify="right")
    table.add_column("keyword baseline", justify="right")
    _metric_rows(table, [report.overall, report.baselines["length"], report.baselines["keyword"]])
    console.print(table)

    confusion = Table(title="confusion (rows labeled, columns graded)", title_justify="left")
    confusion.add_column("")
    for name in ("1", "2", "3", "4"):
        confusion.add_column(name, justify="right")
    for level, row in enumerate(report.confusion, start=1):
        confusion.add_row(str(level), *(str(v) for v in row))
    console.print(confusion)

    flags = Table(title="flags", title_justify="left", header_style="bold")
    for column in ("flag", "labeled", "raised", "precision", "recall"):
        flags.add_column(column, justify="left" if column == "flag" else "right")
    for name, f in report.flags.items():
        flags.add_row(name, str(f.labeled), str(f.raised), _f(f.precision), _f(f.recall))
    console.print(flags)
    console.print(
        f"flag recall {_f(report.flag_recall)} · false-flag rate on level 3-4 answers "
        f"{_f(report.false_flag_rate)} · score/length correlation "
        f"{_f(report.score_length_correlation)} · calibration error (ECE) "
        f"{_f(report.calibration_error)}"
    )
    console.print(
        "guardrails: "
        + ", ".join(
            f"{name.replace('_', ' ')} = {count}" for name, count in report.guardrails.items()
        )
    )
    console.print(_split_table("by competency", report.by_competency))
    console.print(_split_table("by source", report.by_source))
    for name, values in report.flags_by_source.items():
        console.print(
            f"  {name}: flag recall {_f(values['flag_recall'])}, "
            f"false-flag rate {_f(values['false_flag_rate'])}"
        )
    console.print(_split_table("by answer style", report.by_style))
    if report.robustness:
        robust = Table(title="robustness by adversarial category", title_justify="left")
        for column in ("category", "n", "exact", "signed error", "exploit rate", "senior miss"):
            robust.add_column(column, justify="left" if column == "category" else "right")
        for name, r in report.robustness.items():
            robust.add_row(
                name,
                str(r.n),
                _f(r.exact),
                f"{r.mean_signed_error:+.2f}",
                _f(r.exploit_rate),
                str(r.senior_miss),
            )
        console.print(robust)
