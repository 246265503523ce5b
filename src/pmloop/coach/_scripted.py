"""Scripted answers: play a loop from a YAML file, for demos and tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pmloop.coach._loop import AnswerInput, AnswerPrompt
from pmloop.errors import InputError
from pmloop.grading import Grade

__all__ = ["ScriptedAnswers", "ScriptedIO", "load_script"]


@dataclass(frozen=True)
class ScriptedAnswers:
    """Answers per question, in plan order: the main answer, then follow-up answers."""

    answers: tuple[tuple[str, ...], ...]
    settings: dict[str, Any] = field(default_factory=dict)


def load_script(path: Path) -> ScriptedAnswers:
    """Read an answers file; a malformed one raises ``InputError`` naming what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read answers file '{path}': {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"answers file '{path}' is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"answers file '{path}'{where}: not valid YAML") from None
    if not isinstance(data, dict) or not isinstance(data.get("answers"), list):
        raise InputError(f"answers file '{path}' needs an 'answers:' list")
    rows: list[tuple[str, ...]] = []
    for number, item in enumerate(data["answers"], start=1):
        if isinstance(item, str):
            rows.append((item,))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("answer"), str):
            raise InputError(f"answers file '{path}': item {number} needs an 'answer' text")
        follow = item.get("follow_ups", [])
        if not isinstance(follow, list) or not all(isinstance(f, str) for f in follow):
            raise InputError(f"answers file '{path}': item {number} 'follow_ups' must be texts")
        rows.append((item["answer"], *follow))
    settings = {k: v for k, v in data.items() if k != "answers"}
    return ScriptedAnswers(tuple(rows), settings)


class ScriptedIO:
    """A LoopIO that answers from a script and reports through callbacks."""

    def __init__(self, script: ScriptedAnswers, out: Any) -> None:
        self.script = script
        self.out = out

    def ask(self, prompt: AnswerPrompt) -> AnswerInput:
        """The scripted answer at this position; ':skip' when the script has none."""
        self.out.question(prompt)
        row = (
            self.script.answers[prompt.number - 1]
            if prompt.number <= len(self.script.answers)
            else ()
        )
        if prompt.depth >= len(row):
            self.out.answer(prompt, ":skip")
            return AnswerInput(command="skip")
        text = row[prompt.depth]
        command = text.strip()
        if command in (":skip", ":quit", ":hint"):
            self.out.answer(prompt, command)
            return AnswerInput(command=command[1:])  # type: ignore[arg-type]
        self.out.answer(prompt, text)
        return AnswerInput(text=text, source="scripted")

    def notice(self, text: str) -> None:
        """Pass a notice to the output."""
        self.out.notice(text)

    def feedback(self, prompt: AnswerPrompt, grade: Grade) -> None:
        """Pass the grade to the output."""
        self.out.feedback(prompt, grade)
