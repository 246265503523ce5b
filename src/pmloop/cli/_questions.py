"""``pmloop questions``: list, show and validate bank questions."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pmloop.cli._common import BankOption, fail, fail_with_problems
from pmloop.vocabulary import Competency

__all__ = ["app"]

app = typer.Typer(
    help="Browse and validate the question bank.", no_args_is_help=True, rich_markup_mode=None
)


class ListFormat(StrEnum):
    text = "text"
    json = "json"


COMPETENCY_IDS = tuple(c.value for c in Competency)


@app.command("list")
def list_questions(
    competency: Annotated[
        str | None,
        typer.Option(
            "--competency", "-c", help=f"Only questions testing this: {', '.join(COMPETENCY_IDS)}."
        ),
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", "-t", help="Only questions with this tag (e.g. lab).")
    ] = None,
    output_format: Annotated[ListFormat, typer.Option("--format", help="text or json.")] = (
        ListFormat.text
    ),
    bank: BankOption = None,
) -> None:
    """List bank questions, optionally filtered by competency or tag."""
    from pmloop.bank import load_bank

    wanted = None
    if competency is not None:
        try:
            wanted = Competency(competency)
        except ValueError:
            fail(f"unknown competency '{competency}'; one of: {', '.join(COMPETENCY_IDS)}")
    questions = load_bank(bank).select(wanted, tag)
    if output_format is ListFormat.json:
        rows = [
            {
                "id": q.id,
                "text": q.text,
                "primary": q.primary.value,
                "secondary": [c.value for c in q.secondary],
                "difficulty": q.difficulty,
                "round": q.round.value,
                "format": q.format.value,
                "tags": q.tags,
            }
            for q in questions
        ]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    from rich.console import Console

    from pmloop.report import render_question_list

    render_question_list(questions, Console(highlight=False))


@app.command("show")
def show_question(
    question_id: Annotated[str, typer.Argument(help="The question id.", show_default=False)],
    references: Annotated[
        bool, typer.Option("--references", "-r", help="Also print the four reference answers.")
    ] = False,
    bank: BankOption = None,
) -> None:
    """Show one question with its scenario, rubric signals and follow-ups."""
    from rich.console import Console

    from pmloop.bank import load_bank
    from pmloop.report import render_question

    question = load_bank(bank).get(question_id)
    render_question(question, Console(highlight=False), references=references)


@app.command("validate")
def validate(
    path: Annotated[
        Path,
        typer.Argument(
            readable=False, help="A bank YAML file or a folder of them.", show_default=False
        ),
    ],
) -> None:
    """Check bank files and print every problem found, with file, line, question and field."""
    from pmloop.bank import load_bank, validate_bank

    problems = validate_bank(path)
    if problems:
        fail_with_problems(problems, path)
    count = len(load_bank(path))
    sys.stdout.write(f"{path}: {count} question(s), no problems\n")
