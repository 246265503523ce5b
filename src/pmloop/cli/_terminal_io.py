"""The terminal side of a practice loop: prompt_toolkit for answers, Rich for everything else."""

from __future__ import annotations

import threading
import time
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from pmloop.coach import AnswerInput, AnswerPrompt
from pmloop.grading import Grade
from pmloop.report import render_grade
from pmloop.vocabulary import COMPETENCIES

__all__ = ["ScriptPrinter", "TerminalIO", "show_prompt"]

COMMANDS = {":hint": "hint", ":skip": "skip", ":quit": "quit"}
_KIND_TITLE = {
    "signal": "Follow-up",
    "term": "Follow-up on a term you used",
    "flag": "Follow-up",
    "pressure": "Pressure follow-up",
}


def show_prompt(console: Console, prompt: AnswerPrompt) -> None:
    """Print the question (with its scenario) or the follow-up about to be answered."""
    question = prompt.question
    if prompt.depth == 0:
        title = (
            f"Question {prompt.number}/{prompt.total} · "
            f"{COMPETENCIES[question.primary].title} · {question.difficulty}"
        )
        body: list[Any] = []
        if question.scenario:
            body.append(Text(question.scenario, style="dim"))
            body.append(Text(""))
        body.append(Text(prompt.text, style="bold"))
        from rich.console import Group

        console.print(Panel(Group(*body), title=title, title_align="left"))
    else:
        title = f"{_KIND_TITLE.get(prompt.kind, 'Follow-up')} {prompt.depth}"
        console.print(Text.assemble((f"{title}: ", "bold cyan"), (prompt.text, "bold")))


def split_command(text: str) -> AnswerInput:
    """An answer whose last line is :hint, :skip or :quit is that command (the rest is kept)."""
    lines = text.rstrip().splitlines()
    if lines and lines[-1].strip() in COMMANDS:
        body = "\n".join(lines[:-1])
        return AnswerInput(text=body, command=COMMANDS[lines[-1].strip()])  # type: ignore[arg-type]
    return AnswerInput(text=text)


class TerminalIO:
    """Multi-line answers with a countdown; drafts saved as the person types."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._told_keys = False

    def ask(self, prompt: AnswerPrompt) -> AnswerInput:
        """Show the prompt and read one answer (or command)."""
        from prompt_toolkit import PromptSession
        from prompt_toolkit.key_binding import KeyBindings

        show_prompt(self.console, prompt)
        if not self._told_keys:
            self.console.print(
                Text(
                    "Enter adds a line · Esc Enter or Ctrl-D submits · :hint, :skip, :quit on "
                    "a line of their own",
                    style="dim",
                )
            )
            self._told_keys = True
        started = time.monotonic()
        budget = prompt.minutes * 60
        last_text = [prompt.draft]
        saved_text = [prompt.draft]
        saved_at = [0.0]

        def flush() -> None:
            # runs twice a second beside the prompt: what was typed reaches the store promptly
            if last_text[0] != saved_text[0]:
                prompt.save_draft(last_text[0])
                saved_text[0] = last_text[0]
                saved_at[0] = time.monotonic()

        def toolbar() -> str:
            left = budget - (time.monotonic() - started)
            if left >= 0:
                return f" {int(left) // 60}:{int(left) % 60:02d} left for this answer (soft limit)"
            over = -left
            return f" {int(over) // 60}:{int(over) % 60:02d} over the time budget; wrap up"

        bindings = KeyBindings()

        @bindings.add("c-d")
        def _submit(event: Any) -> None:
            event.current_buffer.validate_and_handle()

        session: PromptSession[str] = PromptSession(
            multiline=True,
            key_bindings=bindings,
            bottom_toolbar=toolbar,
            refresh_interval=1.0,
        )

        def changed(buffer: Any) -> None:
            last_text[0] = buffer.text
            now = time.monotonic()
            if now - saved_at[0] >= 1.0:
                prompt.save_draft(buffer.text)
                saved_text[0] = buffer.text
                saved_at[0] = now

        session.default_buffer.on_text_changed += changed
        stop = threading.Event()

        def keep_flushing() -> None:
            while not stop.wait(0.5):
                flush()

        flusher = threading.Thread(target=keep_flushing, name="pmloop-draft", daemon=True)
        flusher.start()
        try:
            text = session.prompt("› ", default=prompt.draft, prompt_continuation="  ")
        except KeyboardInterrupt:
            stop.set()
            prompt.save_draft(last_text[0])
            raise
        except EOFError:
            return AnswerInput(text=last_text[0], command="quit")
        finally:
            stop.set()
            flusher.join(timeout=2)
        return split_command(text)

    def notice(self, text: str) -> None:
        """Print a notice."""
        self.console.print(Text(text, style="yellow"))

    def feedback(self, prompt: AnswerPrompt, grade: Grade) -> None:
        """Print the grade of the answer just given."""
        render_grade(grade, self.console)


class ScriptPrinter:
    """Prints a scripted loop as if someone were typing it."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def question(self, prompt: AnswerPrompt) -> None:
        """Show the question or follow-up."""
        show_prompt(self.console, prompt)

    def answer(self, prompt: AnswerPrompt, text: str) -> None:
        """Show the scripted answer."""
        self.console.print(Padding(Text(text.strip(), style="green"), (0, 0, 1, 2)))

    def notice(self, text: str) -> None:
        """Show a notice."""
        self.console.print(Text(text, style="yellow"))

    def feedback(self, prompt: AnswerPrompt, grade: Grade) -> None:
        """Show a compact grade: level, flags, the follow-up that is coming."""
        flags = ", ".join(f.id.value for f in grade.flags) or "none"
        self.console.print(
            Padding(
                Text(
                    f"graded {grade.level_name} ({grade.score:.0f}/100) · flags: {flags}",
                    style="magenta",
                ),
                (0, 0, 1, 2),
            )
        )
