"""``pmloop practice``, ``resume``, ``sessions``, ``report``, ``progress``, ``drill``,
``export`` and ``import``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pmloop.cli._common import (
    BankOption,
    GraderOption,
    MaxCostOption,
    fail,
    llm_settings,
    read_text_file,
    write_output,
)
from pmloop.vocabulary import Competency

if TYPE_CHECKING:
    from rich.console import Console

    from pmloop.coach import Coach, LoopIO
    from pmloop.store import SessionRecord

__all__ = [
    "drill",
    "export",
    "import_",
    "practice",
    "progress",
    "report",
    "resume",
    "sessions",
]

COMPANIES = ("anthropic", "openai", "google", "meta", "startup", "general")


class Feedback(StrEnum):
    after_each = "after-each"
    end = "end"


class ReportFormat(StrEnum):
    md = "md"
    html = "html"


class ProgressFormat(StrEnum):
    text = "text"
    md = "md"


VoiceOption = Annotated[
    bool,
    typer.Option(
        "--voice",
        help="Speak each answer: Enter starts and stops recording from the default "
        "microphone, the transcript opens in the answer box to correct, and the delivery "
        "read follows the grade (needs pip install 'pmloop[voice]').",
    ),
]
KeepAudioOption = Annotated[
    bool,
    typer.Option(
        "--keep-audio",
        help="With --voice: keep each recording in PMLOOP_HOME/audio (by default none is kept).",
    ),
]
WhisperModelOption = Annotated[
    Path | None,
    typer.Option(
        "--whisper-model",
        readable=False,
        help="With --voice: a faster-whisper model folder to use instead of the bundled "
        "tiny.en (default: PMLOOP_WHISPER_MODEL).",
        show_default=False,
    ),
]


def _voice_settings(
    voice: bool, keep_audio: bool, whisper_model: Path | None, interactive: bool
) -> dict[str, Any] | None:
    """What --voice, --keep-audio and --whisper-model ask for; one error line when they do not
    fit together or there is no terminal to record in."""
    if keep_audio and not voice:
        fail("--keep-audio keeps the recordings of --voice; add --voice")
    if whisper_model is not None and not voice:
        fail("--whisper-model names the model that transcribes --voice answers; add --voice")
    if not voice:
        return None
    if not interactive:
        fail("--voice records answers in a terminal; drop --answers or run it in a terminal")
    from pmloop.config import pmloop_home

    return {"model": whisper_model, "keep": pmloop_home() / "audio" if keep_audio else None}


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _coach(
    bank: Path | None,
    url: str | None = None,
    grader: str | None = None,
    max_cost: float | None = None,
) -> Coach:
    from pmloop.coach import Coach
    from pmloop.grading import Examiner
    from pmloop.store import open_repository

    # a store that cannot be used is reported before the grader loads
    repository = open_repository(url)
    return Coach(Examiner(bank, grader, llm_settings(max_cost)), repository)


def demo_script_path() -> Path:
    """The bundled scripted session played when no terminal is attached."""
    return Path(str(resources.files("pmloop").joinpath("sample", "demo_answers.yaml")))


def _run(coach: Coach, session_id: str, io: LoopIO, console: Console, demo: bool = False) -> None:
    from rich.text import Text

    from pmloop.errors import UnsavedAnswerError
    from pmloop.report import build_progress, build_scorecard, render_scorecard

    try:
        outcome = coach.run(session_id, io)
    except KeyboardInterrupt:
        console.print()
        console.print(f"Saved. Resume with: pmloop resume {session_id}")
        raise SystemExit(130) from None
    except UnsavedAnswerError as exc:
        if exc.text.strip():
            # nothing a person wrote is lost: what could not be stored is printed to keep
            console.print("Your answer could not be saved. Here it is, to keep:")
            console.print(Text(exc.text))
        fail(str(exc), 1)
    session = coach.repository.get(session_id)
    if not outcome.finished:
        console.print(f"Stopped and saved. Resume with: pmloop resume {session_id}")
        return
    console.print()
    render_scorecard(build_scorecard(session, coach.bank), console)
    _render_discovery(coach, session, console)
    if demo:
        console.print(
            "That was the demo: it ran in a throwaway home and was not saved. Run pmloop "
            "practice in a terminal to answer yourself."
        )
        return
    trends = build_progress(coach.repository.list_sessions()).trends
    if any(len(t.points) > 1 for t in trends):
        console.print("Progress across sessions: pmloop progress")
    console.print(
        f"Full report: pmloop report {session_id} --format html -o pmloop-{session_id}.html"
    )


def discovery_lines(coach: Coach, session: SessionRecord) -> list[str]:
    """Per interactive question: the facts asked for and never asked for (ambiguity), or the
    concerns met and unmet and how the talk ended (roleplay)."""
    lines: list[str] = []
    for index, question_id in enumerate(session.plan):
        found = coach.discovery(session, index)
        if found is None:
            continue
        question = coach.bank.get(question_id)
        if question.stakeholder is not None:
            labels = {c.id: c.label for c in question.stakeholder.concerns}
            met = "; ".join(labels[c] for c in found.met) or "none"
            unmet = "; ".join(labels[c] for c in found.unmet) or "none"
            lines.append(
                f"Q{index + 1} {question.stakeholder.name}: {found.outcome} · concerns met: "
                f"{met} · not met: {unmet}"
            )
            continue
        asked, never = (_facts(ids, found.changes_call) for ids in (found.asked, found.never))
        lines.append(
            f"Q{index + 1} facts asked for before the call: {asked} · never asked for: {never}"
        )
    return lines


def _facts(ids: tuple[str, ...], changes_call: tuple[str, ...]) -> str:
    marked = [f"{i} (changes the call)" if i in changes_call else i for i in ids]
    return ", ".join(marked) or "none"


def _render_discovery(coach: Coach, session: SessionRecord, console: Console) -> None:
    from rich.text import Text

    lines = discovery_lines(coach, session)
    if lines:
        console.print(Text("What the interactive questions drew out", style="bold"))
        for line in lines:
            console.print(Text(f"  {line}"))


def _interactive(answers: Path | None) -> bool:
    return answers is None and sys.stdin.isatty() and sys.stdout.isatty()


def _io(
    answers: Path | None,
    console: Console,
    self_rating: bool = True,
    voice: dict[str, Any] | None = None,
) -> tuple[LoopIO, dict[str, Any]]:
    from pmloop.cli._terminal_io import ScriptPrinter, TerminalIO
    from pmloop.coach import ScriptedIO, load_script

    if _interactive(answers):
        if voice is not None:
            from pmloop.cli._voice_io import VoiceTerminalIO, open_voice

            recorder, transcriber, problem = open_voice(voice["model"])
            if recorder is not None:
                return VoiceTerminalIO(console, recorder, transcriber, self_rating,
                                       voice["keep"]), {}  # fmt: skip
            console.print(f"{problem}: answers will be typed.", style="yellow")
        return TerminalIO(console, self_rating=self_rating), {}
    if answers is None:
        answers = demo_script_path()
    script = load_script(answers)
    return ScriptedIO(script, ScriptPrinter(console)), script.settings


def practice(
    company: Annotated[
        str, typer.Option("--company", help=f"Loop profile: {', '.join(COMPANIES)}.")
    ] = "general",
    competency: Annotated[
        list[str] | None,
        typer.Option("--competency", "-c", help="Only this competency (repeatable)."),
    ] = None,
    questions: Annotated[int, typer.Option("--questions", "-n", help="Questions in the loop.")] = 4,
    minutes: Annotated[
        float, typer.Option("--minutes", help="Soft time budget per answer, shown as a countdown.")
    ] = 4.0,
    feedback: Annotated[
        Feedback, typer.Option("--feedback", help="Show grades after each answer or at the end.")
    ] = Feedback.after_each,
    seed: Annotated[int | None, typer.Option("--seed", help="Same seed, same questions.")] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            readable=False,
            help="Play scripted answers from a YAML file (demos, tests).",
        ),
    ] = None,
    follow_ups: Annotated[
        int,
        typer.Option(
            "--follow-ups",
            help="Follow-ups per question at most (0-3); probing goes on after a senior answer.",
        ),
    ] = 3,
    self_rating: Annotated[
        bool,
        typer.Option(
            "--self-rating/--no-self-rating",
            help="Predict each answer's level with one key before its grade appears "
            "(on by default in a terminal; scripted runs never ask).",
        ),
    ] = True,
    voice: VoiceOption = False,
    keep_audio: KeepAudioOption = False,
    whisper_model: WhisperModelOption = None,
    grader: GraderOption = None,
    max_cost: MaxCostOption = None,
    bank: BankOption = None,
) -> None:
    """Run a mock interview loop: questions, follow-ups that probe, a scorecard at the end."""
    import tempfile

    from pmloop.coach import LoopSettings

    chosen: list[Competency] = []
    for item in competency or []:
        try:
            chosen.append(Competency(item))
        except ValueError:
            fail(f"unknown competency '{item}'; one of: {', '.join(c.value for c in Competency)}")
    if company not in COMPANIES:
        fail(f"unknown company '{company}'; one of: {', '.join(COMPANIES)}")
    if minutes <= 0:
        fail("--minutes must be more than 0")
    if not 0 <= follow_ups <= 3:
        fail("--follow-ups must be between 0 and 3")
    console = _console()
    interactive = _interactive(answers)
    demo = answers is None and not interactive
    spoken = _voice_settings(voice, keep_audio, whisper_model, interactive)
    io, scripted = _io(answers, console, self_rating, spoken)
    settings = LoopSettings(
        company=str(scripted.get("company", company)),
        competencies=tuple(chosen),
        questions=int(scripted.get("questions", questions)),
        minutes=minutes,
        feedback=feedback.value,
        seed=scripted.get("seed", seed),
        plan=tuple(scripted.get("plan", ())),
        follow_ups=int(scripted.get("follow_ups", follow_ups)),
        self_rating=self_rating and interactive,
    )
    if not demo:
        coach = _coach(bank, grader=grader, max_cost=max_cost)
        session = coach.start(settings)
        console.print(
            f"Session {session.id} · {len(session.plan)} questions · {settings.company} loop"
        )
        _run(coach, session.id, io, console)
        return
    # the demo must not become part of the learner's record: it plays in a throwaway home
    with tempfile.TemporaryDirectory(prefix="pmloop-demo-") as home:
        console.print(
            "No terminal attached: playing the bundled demo session in a throwaway home, so "
            "nothing is saved to your sessions (run pmloop practice in a terminal to answer "
            "yourself).",
            style="yellow",
        )
        coach = _coach(bank, f"sqlite:///{Path(home) / 'demo.db'}", grader)
        session = coach.start(settings)
        console.print(f"Demo session · {len(session.plan)} questions · {settings.company} loop")
        _run(coach, session.id, io, console, demo=True)
        coach.repository.engine.dispose()


def resume(
    session_id: Annotated[
        str | None, typer.Argument(help="Session id (default: the latest unfinished).")
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option("--answers", readable=False, help="Continue with scripted answers."),
    ] = None,
    voice: VoiceOption = False,
    keep_audio: KeepAudioOption = False,
    whisper_model: WhisperModelOption = None,
    grader: GraderOption = None,
    bank: BankOption = None,
) -> None:
    """Continue a session where it stopped; nothing submitted is asked again."""
    spoken = _voice_settings(voice, keep_audio, whisper_model, _interactive(answers))
    coach = _coach(bank, grader=grader)
    if session_id is None:
        latest = coach.repository.latest_unfinished()
        if latest is None:
            fail("no unfinished session to resume; start one with: pmloop practice")
        session_id = latest.id
    session = coach.repository.get(session_id)
    console = _console()
    if session.status == "finished":
        fail(f"session {session.id} is finished; see it with: pmloop report {session.id}")
    io, _ = _io(answers, console, bool(session.settings.get("self_rating", False)), spoken)
    answered = len({t.question_index for t in session.turns})
    console.print(f"Resuming session {session.id}: {answered} of {len(session.plan)} started")
    _run(coach, session.id, io, console)


def sessions() -> None:
    """List stored sessions, newest first."""
    from rich import box
    from rich.table import Table

    from pmloop.report import level_name
    from pmloop.report._scorecard import average_level, competency_levels
    from pmloop.store import open_repository

    records = open_repository().list_sessions()
    console = _console()
    if not records:
        console.print("No sessions yet. Start one with: pmloop practice")
        return
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    # every column stays whole: people copy the id into `pmloop resume`
    for column in ("id", "started", "loop", "status", "done", "level"):
        table.add_column(column, no_wrap=True)
    for s in records:
        assessed = [lv for lv, _ in competency_levels(s).values()]
        level = level_name(average_level(assessed)) if assessed else "—"
        started = len({t.question_index for t in s.turns})
        loop = "drill" if s.kind == "drill" else s.company
        table.add_row(
            s.id, f"{s.created_at:%Y-%m-%d %H:%M}", loop, s.status,
            f"{started}/{len(s.plan)}", level,
        )  # fmt: skip
    console.print(table)


def report(
    session_id: Annotated[
        str | None, typer.Argument(help="Session id (default: the latest session).")
    ] = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help="md or html.")
    ] = ReportFormat.md,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", readable=False, help="Write to a file.")
    ] = None,
    bank: BankOption = None,
) -> None:
    """A session's report: Markdown, or a standalone HTML page with a radar and a trend chart."""
    from pmloop.bank import load_bank
    from pmloop.report import build_progress, build_scorecard, scorecard_html, scorecard_markdown
    from pmloop.store import Shares, open_repository

    repository = open_repository()
    if session_id is None:
        latest = repository.list_sessions(limit=1)
        if not latest:
            fail("no sessions yet; start one with: pmloop practice")
        session_id = latest[0].id
        state = "finished" if latest[0].status == "finished" else "unfinished"
        sys.stderr.write(f"Report of the latest session, {session_id} ({state})\n")
    session = repository.get(session_id)
    card = build_scorecard(session, load_bank(bank))
    comments = Shares(repository.engine).comments(session.id)  # a coach's, through a link
    if output_format is ReportFormat.html:
        # the history as it stood at this session, never later sessions
        trends = build_progress(repository.list_sessions(), until=session).trends
        text = scorecard_html(card, [t for t in trends if len(t.points) > 1], comments)
    else:
        text = scorecard_markdown(card, comments)
    if write_output(text, output):
        _console().print(f"Wrote {output}")


def progress(
    output_format: Annotated[
        ProgressFormat, typer.Option("--format", help="text or md.")
    ] = ProgressFormat.text,
) -> None:
    """Each competency's trend across sessions, the weakest one, and what to drill; with spoken
    answers, how their delivery moved too."""
    from pmloop.report import build_progress, progress_markdown, render_progress
    from pmloop.store import open_repository
    from pmloop.voice._trend import delivery_trend_lines

    records = open_repository().list_sessions()
    result = build_progress(records)
    if not result.trends:
        fail("no graded answers yet; start with: pmloop practice", 2)
    delivery = delivery_trend_lines(records)
    if output_format is ProgressFormat.md:
        sys.stdout.write(progress_markdown(result))
        if delivery:
            sys.stdout.write("\n## Delivery of spoken answers\n\n")
            sys.stdout.write("".join(f"- {line}\n" for line in delivery))
    else:
        render_progress(result, _console())
        if delivery:
            from rich.text import Text

            console = _console()
            console.print(Text("Delivery of spoken answers, oldest first", style="bold"))
            for line in delivery:
                console.print(Text(f"  {line}"))


def drill(
    questions: Annotated[int, typer.Option("--questions", "-n", help="Questions.")] = 2,
    answers: Annotated[
        Path | None, typer.Option("--answers", readable=False, help="Play scripted answers.")
    ] = None,
    grader: GraderOption = None,
    bank: BankOption = None,
) -> None:
    """A short loop: questions due for review first, then the weakest competency."""
    from pmloop.coach import plan_drill
    from pmloop.errors import InputError

    coach = _coach(bank, grader=grader)
    try:
        drill_plan = plan_drill(coach, questions, self_rating=_interactive(answers))
    except InputError as exc:
        fail(f"{exc}: pmloop practice")
    console = _console()
    io, _ = _io(answers, console)
    settings = drill_plan.settings
    due, plan = drill_plan.due, settings.plan
    session = coach.start(settings)
    reason = f"{due} due for review" if due else "none due for review"
    console.print(f"Drill {session.id}: {len(plan)} question(s), {reason}")
    _run(coach, session.id, io, console)


def export(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", readable=False, help="Write to a file (default stdout)."),
    ] = None,
) -> None:
    """Every session as JSON, to move machines or keep a backup."""
    from pmloop.store import open_repository

    text = json.dumps(open_repository().export(), indent=2, ensure_ascii=False) + "\n"
    write_output(text, output)


class MissingOwners(StrEnum):
    refuse = "refuse"
    unowned = "unowned"


def import_(
    path: Annotated[Path, typer.Argument(readable=False, help="A file written by pmloop export.")],
    missing_owners: Annotated[
        MissingOwners,
        typer.Option(
            "--missing-owners",
            help="Sessions owned by a username with no account here: refuse (import nothing) "
            "or unowned (import them without an owner).",
        ),
    ] = MissingOwners.refuse,
) -> None:
    """Add the sessions of an export; sessions already here are kept as they are.

    Each session's owner is matched to an account here by username.
    """
    from pmloop.store import EXPORT_SCHEMA, open_repository

    try:
        data = json.loads(read_text_file(path, "export file"))
    except json.JSONDecodeError as exc:
        fail(f"'{path}' is not valid JSON (line {exc.lineno}, column {exc.colno})")
    if not isinstance(data, dict) or data.get("schema") != EXPORT_SCHEMA:
        fail(f"'{path}' is not a pmloop export (schema {EXPORT_SCHEMA})")
    repository = open_repository()
    try:
        unowned = repository.missing_owners(data)
        added, kept = repository.import_(data, missing_owners.value)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        fail(f"'{path}' is a damaged export ({exc}); nothing was imported")
    _console().print(f"Imported {added} session(s); {kept} already here were left as they were")
    if unowned:
        names = ", ".join(unowned)
        _console().print(f"Sessions of {names} (no account here) were imported without an owner")
