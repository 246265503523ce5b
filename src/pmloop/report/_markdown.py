"""Markdown renderings, for pasting feedback into notes."""

from __future__ import annotations

import html
import re

from pmloop.grading import Grade
from pmloop.report._terminal import _flat, driver_lines
from pmloop.vocabulary import COMPETENCIES, FLAGS, Level

__all__ = ["grade_markdown", "md_block", "md_text"]

#: Characters that start Markdown markup anywhere in a line (emphasis, code, links and images,
#: table cells, strikethrough, headings); each is written with a backslash in front.
_INLINE = re.compile(r"([\\`*_\[\]|~#])")
#: What starts a block at the beginning of a line once the above are escaped: list items,
#: setext underlines, ordered list numbers.
_LINE_START = re.compile(r"^([-+=])|^(\d{1,9})([.)])")


def md_text(text: str) -> str:
    """User text for one line of Markdown: every markup and HTML character is literal."""
    return _INLINE.sub(r"\\\1", html.escape(_flat(text), quote=False))


def _md_line(line: str) -> str:
    # leading spaces would make an indented code block; the words matter, not the indent
    escaped = md_text(line)
    return _LINE_START.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", escaped
    )


def md_block(text: str) -> str:
    """User text of several lines as Markdown paragraphs: lines kept, nothing interpreted."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = [_md_line(line) for line in paragraph.splitlines() if line.strip()]
        if lines:
            paragraphs.append("\\\n".join(lines))  # a backslash at the end: a line break
    return "\n\n".join(paragraphs)


def _quote(text: str) -> str:
    return md_text(text)


def grade_markdown(grade: Grade, answer: str | None = None) -> str:
    """A grade as a Markdown section; the answer is included when given."""
    lines = [
        f"## {md_text(grade.question.text)}",
        "",
        f"**Level:** {Level(grade.level).title} · score {grade.score:.0f}/100 · "
        f"confidence {grade.confidence:.0%}",
    ]
    if grade.question.bank_id:
        lines.append(f"Bank question `{grade.question.bank_id}`.")
    if grade.grader.model:
        lines.append(f"Graded by {grade.grader.name} ({md_text(grade.grader.model)}).")
    for notice in grade.notices:
        lines.append(f"> **Note:** {md_text(notice)}")
    if grade.rubric is not None:
        met = {s.id for s in grade.signals if s.met}
        lines += [
            "",
            f"**Rubric drafted for this question by {md_text(grade.rubric.drafted_by)}:**",
        ]
        for item in grade.rubric.signals:
            mark = "shown" if item.id in met else "not shown"
            lines.append(f"- [{item.level}] {md_text(item.label)} ({mark})")
        for red_line in grade.rubric.red_lines:
            lines.append(f"- red line: {md_text(red_line.label)} ({md_text(red_line.why)})")
    lines += ["", "| Competency | Level | Evidence |", "|---|---|---|"]
    for competency in grade.competencies:
        evidence = "<br>".join(f"“{_quote(e.quote)}”" for e in competency.evidence[:2]) or "—"
        title, level = COMPETENCIES[competency.id].title, Level(competency.level).title
        lines.append(f"| {title} | {level} | {evidence} |")
    if grade.flags:
        lines += ["", "### Anti-patterns", ""]
        for flag in grade.flags:
            lines.append(
                f"- **{FLAGS[flag.id].title}**: “{_quote(flag.quote)}” {md_text(flag.explanation)}"
            )
    if grade.missing:
        lines += ["", "### What was missing", ""]
        lines += [
            f"- **{md_text(gap.label)}.** {md_text(gap.why_it_matters)}"
            for gap in grade.missing[:4]
        ]
    if grade.drivers:
        lines += ["", "### What moved the level", ""]
        lines += [f"- {md_text(line)}" for line in driver_lines(grade)]
    lines += [
        "",
        "### What a senior answer would add",
        "",
        md_text(grade.senior_delta),
        "",
        "### Follow-up",
        "",
        f"> {md_text(grade.follow_up)}",
    ]
    if answer is not None:
        lines += [
            "",
            "<details><summary>Your answer</summary>",
            "",
            md_block(answer),
            "",
            "</details>",
        ]
    return "\n".join(lines) + "\n"
