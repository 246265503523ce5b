"""Markdown renderings, for pasting feedback into notes."""

from __future__ import annotations

from pmloop.grading import Grade
from pmloop.report._terminal import _flat, driver_lines
from pmloop.vocabulary import COMPETENCIES, FLAGS, Level

__all__ = ["grade_markdown"]


def _quote(text: str) -> str:
    return _flat(text).replace("*", r"\*")


def grade_markdown(grade: Grade, answer: str | None = None) -> str:
    """A grade as a Markdown section; the answer is included when given."""
    lines = [
        f"## {grade.question.text}",
        "",
        f"**Level:** {Level(grade.level).title} · score {grade.score:.0f}/100 · "
        f"confidence {grade.confidence:.0%}",
    ]
    if grade.question.bank_id:
        lines.append(f"Bank question `{grade.question.bank_id}`.")
    lines += ["", "| Competency | Level | Evidence |", "|---|---|---|"]
    for competency in grade.competencies:
        evidence = "<br>".join(f"“{_quote(e.quote)}”" for e in competency.evidence[:2]) or "—"
        title, level = COMPETENCIES[competency.id].title, Level(competency.level).title
        lines.append(f"| {title} | {level} | {evidence} |")
    if grade.flags:
        lines += ["", "### Anti-patterns", ""]
        for flag in grade.flags:
            lines.append(f"- **{FLAGS[flag.id].title}**: “{_quote(flag.quote)}” {flag.explanation}")
    if grade.missing:
        lines += ["", "### What was missing", ""]
        lines += [f"- **{gap.label}.** {gap.why_it_matters}" for gap in grade.missing[:4]]
    if grade.drivers:
        lines += ["", "### What moved the level", ""]
        lines += [f"- {line}" for line in driver_lines(grade)]
    lines += [
        "",
        "### What a senior answer would add",
        "",
        grade.senior_delta,
        "",
        "### Follow-up",
        "",
        f"> {grade.follow_up}",
    ]
    if answer is not None:
        lines += [
            "",
            "<details><summary>Your answer</summary>",
            "",
            answer.strip(),
            "",
            "</details>",
        ]
    return "\n".join(lines) + "\n"
