"""Rich renderings of grades and questions for the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pmloop.bank import Question
from pmloop.grading import Grade
from pmloop.vocabulary import COMPETENCIES, FLAGS, Level

__all__ = ["render_grade", "render_question", "render_question_list"]

_LEVEL_STYLE = {1: "bold red", 2: "bold yellow", 3: "bold green", 4: "bold cyan"}


def _level_text(level: int) -> Text:
    return Text(Level(level).title, style=_LEVEL_STYLE[level])


def _from(turn: int | None) -> str:
    return f" (follow-up {turn})" if turn else ""


def render_grade(grade: Grade, console: Console) -> None:
    """Print a grade: level, competencies with quotes, flags, gaps, senior delta, follow-up.

    A thread's grade (a question with follow-up answers) shows the answer's own level beside
    the question's, and marks each quote with the follow-up it comes from.
    """
    levels = grade.thread.levels if grade.thread is not None else []
    if len(levels) > 1:
        head = Text.assemble(
            ("Level: ", "bold"),
            _level_text(levels[-1]),
            " this answer · ",
            _level_text(grade.level),
            " the question so far",
            f"   score {grade.score:.0f}/100",
        )
    else:
        head = Text.assemble(
            ("Level: ", "bold"),
            _level_text(grade.level),
            f"   score {grade.score:.0f}/100   confidence {grade.confidence:.0%}",
        )
    question = Text(grade.question.text, style="italic")
    if grade.question.bank_id:
        similarity = grade.question.match_similarity
        matched = (
            "" if similarity is None or similarity >= 0.999 else f", similarity {similarity:.2f}"
        )
        question.append(f"\nbank question {grade.question.bank_id}{matched}", style="dim")
    elif grade.rubric is not None:
        question.append(
            f"\nnot in the bank: graded on a rubric drafted by {grade.rubric.drafted_by} (below)",
            style="dim",
        )
    else:
        question.append("\nnot in the bank: graded with the competency rubric", style="dim")
    parts: list[Text] = [head, question]
    if grade.grader.model:
        parts.append(Text(f"graded by {grade.grader.name} ({grade.grader.model})", style="dim"))
    for notice in grade.notices:
        parts.append(Text(f"⚠ {notice}", style="yellow"))
    console.print(Panel(Group(*parts), title="pmloop grade", expand=True))
    if grade.rubric is not None:
        _drafted_rubric(console, grade)

    table = Table(show_header=True, header_style="bold", expand=True, show_lines=False)
    table.add_column("Competency", ratio=2)
    table.add_column("Level", ratio=1)
    table.add_column("Evidence from your answer", ratio=5)
    for competency in grade.competencies:
        quotes = (
            "\n".join(f"“{_flat(e.quote)}”{_from(e.turn)}" for e in competency.evidence[:2]) or "—"
        )
        table.add_row(COMPETENCIES[competency.id].title, _level_text(competency.level), quotes)
    console.print(table)

    if grade.flags:
        console.print(Text("Anti-patterns", style="bold"))
        for flag in grade.flags:
            console.print(
                Text.assemble(("  ⚑ ", "red"), (FLAGS[flag.id].title, "bold red"), _from(flag.turn))
            )
            console.print(_indent(Text(f"“{_flat(flag.quote)}”", style="italic"), 4))
            console.print(_indent(Text(flag.explanation), 4))
    shown = [s for s in grade.signals if s.met]
    if shown:
        title = "What the answers showed" if len(levels) > 1 else "What the answer showed"
        console.print(Text(title, style="bold"))
        for signal in shown:
            console.print(
                Text.assemble(
                    ("  ✓ ", "green"),
                    signal.label,
                    (f"  [{signal.level}]{_from(signal.turn)}", "dim"),
                )
            )
    if grade.missing:
        console.print(Text("What was missing", style="bold"))
        for gap in grade.missing[:4]:
            console.print(Text.assemble(("  ✗ ", "yellow"), gap.label))
            console.print(_indent(Text(gap.why_it_matters, style="dim"), 4))
    if grade.drivers:
        console.print(Text("What moved the level", style="bold"))
        for line in driver_lines(grade):
            console.print(_indent(Text(line, style="dim"), 2))
    console.print(Text("What a senior answer would add", style="bold"))
    console.print(_indent(Text(grade.senior_delta), 2))
    if grade.follow_up_target.kind == "none" or not grade.follow_up:
        console.print(Text("Follow-up", style="bold"))
        console.print(
            _indent(Text("None: that was the last one on this question.", style="dim"), 2)
        )
        return
    title = "Follow-up, asked next" if grade.thread is not None else "Follow-up"
    console.print(Text(title, style="bold"))
    console.print(_indent(Text(grade.follow_up, style="cyan"), 2))


def driver_lines(grade: Grade, limit: int = 4) -> list[str]:
    """The level model's biggest movers for this grade, one line each, with their sign."""
    lines = []
    for driver in grade.drivers[:limit]:
        line = f"{driver.contribution:+.1f}  {driver.label}"
        if driver.feature == "register" and grade.register_ is not None:
            line += f" (reads at {grade.register_.level:.1f} of 4"
            if grade.register_.reads_like:
                line += f", closest: {grade.register_.reads_like[0]}"
            line += ")"
        lines.append(line)
    return lines


def _flat(quote: str) -> str:
    """A quote on one line: the answer's own line breaks are kept in JSON, not on screen."""
    return " ".join(quote.split())


def _indent(text: Text, left: int) -> Padding:
    return Padding(text, (0, 0, 0, left))


def render_question_list(questions: Sequence[Question], console: Console) -> None:
    """Print each question: its id, primary competency and difficulty, then its text."""
    for question in questions:
        console.print(
            Text.assemble(
                (question.id, "bold"),
                (f"  {COMPETENCIES[question.primary].title} · {question.difficulty}", "dim"),
            )
        )
        console.print(_indent(Text(question.text), 2))
    console.print(Text(f"{len(questions)} question(s)", style="dim"))


def render_question(question: Question, console: Console, references: bool = False) -> None:
    """Print one question with its scenario, competencies, signals and follow-ups."""
    body: list[Text] = [Text(question.text, style="bold")]
    if question.scenario:
        body.append(Text(question.scenario))
    competencies = ", ".join(COMPETENCIES[c].title for c in question.competencies)
    body.append(
        Text(f"{competencies} · {question.difficulty} · {', '.join(question.tags)}", style="dim")
    )
    console.print(Panel(Group(*body), title=question.id, expand=True))
    console.print(Text("Rubric signals", style="bold"))
    for signal in question.signals:
        console.print(Text.assemble(f"  [{signal.level}] ", (signal.label, "bold")))
        console.print(_indent(Text(signal.why_it_matters, style="dim"), 4))
    console.print(Text("Follow-ups", style="bold"))
    for probe in question.probes:
        console.print(_indent(Text(f"• {probe.text}"), 2))
    for pressure in question.pressure_probes:
        console.print(_indent(Text(f"↯ {pressure}"), 2))
    if references:
        for level in Level:
            console.print(
                Panel(
                    Text(question.references.at(level)),
                    title=f"Reference: {level.title}",
                    border_style=_LEVEL_STYLE[level.value].split()[-1],
                )
            )


def _drafted_rubric(console: Console, grade: Grade) -> None:
    """The rubric a model drafted for a pasted question, so the reader can judge it too."""
    rubric = grade.rubric
    assert rubric is not None
    met = {s.id for s in grade.signals if s.met}
    console.print(Text(f"Rubric drafted for this question by {rubric.drafted_by}", style="bold"))
    for item in rubric.signals:
        mark = "✓" if item.id in met else "·"
        console.print(Text(f"  {mark} [{item.level}] {item.label}"))
    for red_line in rubric.red_lines:
        console.print(Text(f"  ✗ red line: {red_line.label} ({red_line.why})"))
