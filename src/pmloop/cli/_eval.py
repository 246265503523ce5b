"""``pmloop eval``: measure a grader against the labeled answer set."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pmloop.cli._common import BankOption, GraderOption, fail, fail_with_problems

__all__ = ["HELP", "evaluate"]

HELP = """Measure a grader against labeled answers, leave-question-out.

The offline grader's level model is refitted per fold, on other questions only; any other grader
(--grader llm, ensemble or a plugin's) is measured on the grades it gives (as-graded).

Reports quadratic weighted kappa, exact and adjacent agreement, Spearman, the confusion matrix,
pairwise ordering within each question (also restricted to pairs where the lower-labeled answer
is longer), per-flag precision and recall, the false-flag rate on level 3-4 answers, the
correlation of score with length and the calibration of confidence, with length-only and
keyword-count baselines, split by competency, bank vs non-bank questions, and answer style.
PATH defaults to data/labeled; the bank's reference answers are included unless
--no-references is given.
"""


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


def _default_labeled() -> Path:
    here = Path("data/labeled")
    if here.is_dir():
        return here
    checkout = Path(__file__).resolve().parents[3] / "data" / "labeled"
    return checkout


def evaluate(
    path: Annotated[
        Path | None,
        typer.Argument(
            readable=False,
            help="Labeled set: a YAML file or folder (default data/labeled).",
            show_default=False,
        ),
    ] = None,
    grader: GraderOption = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help="text or json.")
    ] = ReportFormat.text,
    references: Annotated[
        bool,
        typer.Option("--references/--no-references", help="Include the bank's reference answers."),
    ] = True,
    fixed_model: Annotated[
        bool,
        typer.Option(
            "--fixed-model",
            help="Grade with the packaged level model as it is, no refitting (for a held-out set).",
        ),
    ] = False,
    write_model: Annotated[
        bool,
        typer.Option(
            "--write-model",
            help="Also refit the offline grader's level model on every answer (with the "
            "adversarial answers of --adversarial) and store it in the package (offline grader "
            "only).",
        ),
    ] = False,
    adversarial: Annotated[
        Path | None,
        typer.Option(
            "--adversarial",
            help="With --write-model: labeled adversarial answers the refit also learns from, "
            "below bar read as not strong (default: data/adversarial/dev beside the labeled "
            "set, if there).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Only check that the labeled set loads and names real questions; grade nothing.",
        ),
    ] = False,
    bank: BankOption = None,
) -> None:
    if check and (write_model or fixed_model):
        fail("--check grades nothing; it cannot be combined with --write-model or --fixed-model")
    if write_model and fixed_model:
        fail("--write-model refits the model; it cannot be combined with --fixed-model")
    if adversarial is not None and not write_model:
        fail("--adversarial adds answers to the refit; it needs --write-model")
    from pmloop.evaluation import (
        feature_rows,
        fit_with_adversarial,
        load_labeled,
        run_eval,
        write_level_model,
    )
    from pmloop.grading import Examiner, OfflineGrader

    examiner = Examiner(bank, grader)
    if not isinstance(examiner.grader, OfflineGrader) and (write_model or fixed_model):
        flag = "--write-model refits" if write_model else "--fixed-model holds"
        fail(
            f"{flag} the offline grader's level model; the {examiner.grader.name} grader has "
            "none (it is measured as it grades: leave the option out)"
        )
    labeled_path = path or _default_labeled()
    if path is None and not labeled_path.is_dir():
        fail("no labeled set found; give its path: pmloop eval PATH")
    if check:
        from pmloop.errors import LabeledSetError

        try:
            checked = load_labeled(labeled_path, examiner.bank)
        except LabeledSetError as exc:
            fail_with_problems(exc.problems, labeled_path)
        questions = len({item.question_key for item in checked.items})
        sys.stdout.write(
            f"{labeled_path}: {len(checked)} items over {questions} questions, no problems\n"
        )
        return
    labeled = load_labeled(labeled_path, examiner.bank)
    extra_path = adversarial
    if write_model and extra_path is None and labeled_path.is_dir():
        beside = labeled_path.parent / "adversarial" / "dev"
        extra_path = beside if beside.is_dir() else None
    # loaded before any grading, so a bad set fails at once
    extra = load_labeled(extra_path, examiner.bank) if write_model and extra_path else None
    try:
        report, cases = run_eval(
            examiner, labeled, include_references=references, fixed_model=fixed_model
        )
    except ValueError as exc:
        fail(str(exc))
    if output_format is ReportFormat.json:
        sys.stdout.write(json.dumps(report.to_json_dict(), indent=2) + "\n")
    else:
        from rich.console import Console

        from pmloop.evaluation._render import render_eval

        render_eval(report, Console(highlight=False))
    if write_model:
        rows = [(case.features, case.label) for case in cases]
        source = f"{labeled_path} and bank references ({len(rows)} answers)"
        version = f"4-labeled{len(rows)}"
        more = feature_rows(examiner, extra.items) if extra is not None else []
        if more:
            version += f"-adversarial{len(more)}"
            source += f", {extra_path} ({len(more)} adversarial answers, below bar read as "
            source += "not strong)"
        model = fit_with_adversarial(rows, more, version, source)
        target = write_level_model(model)
        sys.stderr.write(f"wrote level model {version} to {target}\n")
