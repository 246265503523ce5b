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
from pmloop.vocabulary import COMPETENCIES, FLAGS, Level

__all__ = [
    "ScriptPrinter",
    "TerminalIO",
    "draft_text",
    "show_prompt",
    "split_command",
    "word_wrap_pads",
]

COMMANDS = {":hint": "hint", ":skip": "skip", ":quit": "quit"}
#: ``:ask <question>`` on a line of its own puts a question to the interviewer (ambiguity)
ASK = ":ask"
_KIND_NOTE = {
    "term": "on a term you used",
    "pressure": "pressure",
}
#: The keys of a self-rating: the four levels by number, Enter to skip.
RATING_KEYS = {"1": 1, "2": 2, "3": 3, "4": 4}


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
        if question.facts:
            body.append(Text(""))
            body.append(
                Text(
                    "Facts are held back: ask for them with :ask <question> on a line of its "
                    "own before you answer.",
                    style="dim",
                )
            )
        from rich.console import Group

        console.print(Panel(Group(*body), title=title, title_align="left"))
        for ask, reply in prompt.asks:
            console.print(Text.assemble(("You asked: ", "dim"), ask))
            console.print(Text.assemble(("Interviewer: ", "bold cyan"), reply))
        if prompt.intro:
            console.print(Text(prompt.intro, style="bold cyan"))
    elif prompt.kind == "stakeholder":
        console.print(Text(prompt.text, style="bold cyan"))
    else:
        note = _KIND_NOTE.get(prompt.kind)
        title = f"Follow-up {prompt.depth}" + (f" · {note}" if note else "")
        console.print(Text.assemble((f"{title}: ", "bold cyan"), (prompt.text, "bold")))


def _is_ask(line: str) -> bool:
    head, _, rest = line.strip().partition(" ")
    return head == ASK and bool(rest.strip())


def _is_command_line(line: str) -> bool:
    return line.strip() in COMMANDS or _is_ask(line)


def split_command(text: str) -> AnswerInput:
    """Commands (:hint, :skip, :quit, :ask <question> on a line of their own) are acted on,
    never stored: every command line is taken out of the answer, and the last one is the
    command."""
    lines = text.splitlines()
    commands = [line.strip() for line in lines if _is_command_line(line)]
    if not commands:
        return AnswerInput(text=text)
    body = "\n".join(line for line in lines if not _is_command_line(line)).strip("\n")
    last = commands[-1]
    if _is_ask(last):
        return AnswerInput(text=body, command="ask", ask=last.partition(" ")[2].strip())
    return AnswerInput(text=body, command=COMMANDS[last])  # type: ignore[arg-type]


def draft_text(text: str) -> str:
    """What of the answer box is saved as a draft: no command line, and no command being typed
    on the last line (':', ':q', ':qui'), so a resumed answer never starts with one."""
    lines = text.split("\n")
    kept = [line for line in lines if not _is_command_line(line)]
    typing = kept[-1].strip() if kept else ""
    if typing.startswith(":") and (
        any(c.startswith(typing) for c in [*COMMANDS, ASK]) or typing.startswith(ASK + " ")
    ):
        kept = kept[:-1]
    return "\n".join(kept).rstrip("\n") if len(kept) != len(lines) else text


def word_wrap_pads(line: str, width: int) -> dict[int, int]:
    """Where to pad a line (index: spaces) so that wrapping at ``width`` breaks between words.

    The terminal wraps a long line at the last column whatever is there; padding the rest of a
    row before a word that would not fit moves the whole word to the next row. A word longer
    than a row is left to wrap where it must.
    """
    pads: dict[int, int] = {}
    if width < 8:
        return pads
    column = 0
    index = 0
    while index < len(line):
        if line[index] == " ":
            column = (column + 1) % width
            index += 1
            continue
        end = index
        while end < len(line) and line[end] != " ":
            end += 1
        size = end - index
        if column and column + size > width and size <= width:
            pads[index] = width - column
            column = 0
        column = (column + size) % width if column + size != width else 0
        index = end
    return pads


def _word_wrap_processor(prefix: int) -> Any:
    """A prompt_toolkit processor that wraps the answer box at word boundaries."""
    from prompt_toolkit.formatted_text.utils import fragment_list_to_text
    from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput
    from prompt_toolkit.layout.utils import explode_text_fragments

    class WordWrap(Processor):
        def apply_transformation(self, ti: TransformationInput) -> Transformation:
            text = fragment_list_to_text(ti.fragments)
            pads = word_wrap_pads(text, ti.width - prefix)
            if not pads or len(text) != len(explode_text_fragments(ti.fragments)):
                return Transformation(ti.fragments)
            exploded = explode_text_fragments(ti.fragments)
            out: list[Any] = []
            shift = [0] * (len(text) + 1)
            added = 0
            for index, fragment in enumerate(exploded):
                if index in pads:
                    out.append(("", " " * pads[index]))
                    added += pads[index]
                shift[index] = added
                out.append(fragment)
            shift[len(text)] = added
            starts = sorted((i + shift[i], i) for i in range(len(text) + 1))

            def to_display(i: int) -> int:
                return i + shift[min(max(i, 0), len(text))]

            def to_source(j: int) -> int:
                source = 0
                for display, i in starts:
                    if display > j:
                        break
                    source = i
                return source

            return Transformation(out, to_display, to_source)

    return WordWrap()


class TerminalIO:
    """Multi-line answers with a countdown; drafts saved as the person types.

    Pressing Enter on a line that is a command (:hint, :skip, :quit) acts on it at once;
    commands never reach a draft or a stored answer.
    """

    def __init__(self, console: Console, self_rating: bool = True) -> None:
        self.console = console
        self.self_rating = self_rating
        self._told_keys = False
        self._told_rating = False

    def ask(self, prompt: AnswerPrompt, show: bool = True) -> AnswerInput:
        """Show the prompt (unless already shown) and read one answer (or command)."""
        from prompt_toolkit import PromptSession
        from prompt_toolkit.key_binding import KeyBindings

        if show:
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
            if draft_text(last_text[0]) != saved_text[0]:
                saved_text[0] = draft_text(last_text[0])
                prompt.save_draft(saved_text[0])
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

        @bindings.add("enter")
        def _enter(event: Any) -> None:
            buffer = event.current_buffer
            if _is_command_line(buffer.document.current_line):
                buffer.validate_and_handle()  # a command acts at once
            else:
                buffer.newline(copy_margin=False)

        session: PromptSession[str] = PromptSession(
            multiline=True,
            key_bindings=bindings,
            bottom_toolbar=toolbar,
            refresh_interval=1.0,
            input_processors=[_word_wrap_processor(prefix=2)],
        )

        def changed(buffer: Any) -> None:
            last_text[0] = buffer.text
            now = time.monotonic()
            if now - saved_at[0] >= 1.0 and draft_text(buffer.text) != saved_text[0]:
                saved_text[0] = draft_text(buffer.text)
                prompt.save_draft(saved_text[0])
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
            prompt.save_draft(draft_text(last_text[0]))
            raise
        except EOFError:
            return AnswerInput(text=draft_text(last_text[0]), command="quit")
        finally:
            stop.set()
            flusher.join(timeout=2)
        return split_command(text)

    def predict(self, prompt: AnswerPrompt) -> int | None:
        """Before the grade appears: one key for the level the candidate expects, or Enter."""
        if not self.self_rating:
            return None
        from prompt_toolkit import PromptSession
        from prompt_toolkit.key_binding import KeyBindings

        if not self._told_rating:
            self.console.print(
                Text(
                    "Before the grade: how would you rate that answer? Candidates who can "
                    "judge their own answers can fix them. (practice --no-self-rating turns "
                    "this off)",
                    style="dim",
                )
            )
            self._told_rating = True
        bindings = KeyBindings()
        chosen: list[int | None] = [None]

        def pick(level: int | None) -> Any:
            def handler(event: Any) -> None:
                chosen[0] = level
                event.app.exit(result="")

            return handler

        for key, level in RATING_KEYS.items():
            bindings.add(key)(pick(level))
        bindings.add("enter")(pick(None))
        bindings.add("escape")(pick(None))
        bindings.add("<any>")(lambda event: None)
        session: PromptSession[str] = PromptSession(key_bindings=bindings)
        try:
            session.prompt(
                "Your level? 1 below bar · 2 surface · 3 strong · 4 senior · Enter skips › "
            )
        except EOFError:
            return None
        if chosen[0] is not None:
            self.console.print(Text(f"You said: {Level(chosen[0]).title}", style="dim"))
        return chosen[0]

    def notice(self, text: str) -> None:
        """Print a notice."""
        self.console.print(Text(text, style="yellow"))

    def feedback(self, prompt: AnswerPrompt, grade: Grade) -> None:
        """Print the grade of the answer just given (the question's, over its thread)."""
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
        """Show a compact grade: this answer's level, the question's so far, the flags."""
        levels = grade.thread.levels if grade.thread is not None else [grade.level]
        own = [f for f in grade.flags if (f.turn or 0) == prompt.depth]
        flags = ", ".join(dict.fromkeys(FLAGS[f.id].title.lower() for f in own)) or "none"
        line = f"graded {Level(levels[-1]).title} ({grade.score:.0f}/100)"
        if prompt.depth:
            line = (
                f"this answer {Level(levels[-1]).title} · the question so far "
                f"{Level(grade.level).title}"
            )
        self.console.print(
            Padding(Text(f"{line} · anti-patterns: {flags}", style="magenta"), (0, 0, 1, 2))
        )
