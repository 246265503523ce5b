"""``pmloop grade``: grade one answer, or a JSON Lines batch of answers."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pmloop.cli._common import (
    BankOption,
    GraderOption,
    MaxCostOption,
    decode_utf8,
    fail,
    llm_settings,
    read_capped,
    read_text_file,
)
from pmloop.config import max_answer_words

if TYPE_CHECKING:
    from rich.console import Console

    from pmloop.grading import Grade
    from pmloop.voice import Speech

__all__ = ["HELP", "grade"]

HELP = """Grade one answer to one question, per competency, with quoted evidence.

The question is any text (matched to the closest bank question when close enough) or a bank id.
The answer comes from --answer, --answer-file, or standard input; or it is spoken: with
--audio FILE (wav, mp3, m4a, webm or ogg) it is transcribed on this machine, graded on the
transcript with its fillers taken out, and shown with the delivery read beside the grade (pace,
fillers, pauses, hedges, the first point, talk time); needs pip install 'pmloop[voice]'.

With --batch FILE.jsonl, each line is {"question": ..., "answer": ...} (or "question_id" in place
of "question"), and one JSON grade per line is written to standard output.
"""


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def grade(
    question: Annotated[
        str | None, typer.Option("--question", "-q", help="The question, as asked.")
    ] = None,
    question_id: Annotated[
        str | None, typer.Option("--question-id", help="A bank question id instead of a text.")
    ] = None,
    answer: Annotated[str | None, typer.Option("--answer", "-a", help="The answer text.")] = None,
    answer_file: Annotated[
        Path | None,
        typer.Option(
            "--answer-file", "-f", readable=False, help="Read the answer from this UTF-8 file."
        ),
    ] = None,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            readable=False,
            help="Grade every line of a JSON Lines file; writes JSON Lines.",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", help="text (default), json or markdown.", show_default=False),
    ] = None,
    audio: Annotated[
        Path | None,
        typer.Option(
            "--audio",
            readable=False,
            help="A spoken answer to transcribe and grade: wav, mp3, m4a, webm or ogg.",
        ),
    ] = None,
    minutes: Annotated[
        float,
        typer.Option("--minutes", help="With --audio: the time budget talk time is read against."),
    ] = 4.0,
    whisper_model: Annotated[
        Path | None,
        typer.Option(
            "--whisper-model",
            readable=False,
            help="With --audio: a faster-whisper model folder to use instead of the bundled "
            "tiny.en (default: PMLOOP_WHISPER_MODEL).",
            show_default=False,
        ),
    ] = None,
    grader: GraderOption = None,
    max_cost: MaxCostOption = None,
    bank: BankOption = None,
) -> None:
    if batch is not None:
        if question or question_id or answer is not None or answer_file or audio:
            fail("--batch takes questions and answers from the file; drop the other options")
        if output_format not in (None, OutputFormat.json):
            fail("--batch writes JSON Lines; use --format json or leave --format out")
        _grade_batch(batch, grader, bank, max_cost)
        return
    if question and question_id:
        fail("give either --question or --question-id, not both")
    if not question and not question_id:
        fail("give the question with --question TEXT or --question-id ID")
    if audio is not None:
        if answer is not None or answer_file is not None:
            fail("give the answer as --audio or as text, not both")
        if minutes <= 0:
            fail("--minutes must be more than 0")
        _grade_audio(audio, question, question_id, grader, bank, minutes, whisper_model,
                     output_format or OutputFormat.text, max_cost)  # fmt: skip
        return
    text = _read_answer(answer, answer_file)

    from pmloop.grading import Examiner

    examiner = Examiner(bank, grader, llm_settings(max_cost))
    result = examiner.grade(text, question, question_id)
    _notices(result)
    _print(result, text, output_format or OutputFormat.text)


def _grade_audio(
    audio: Path,
    question: str | None,
    question_id: str | None,
    grader: str | None,
    bank: Path | None,
    minutes: float,
    model: Path | None,
    output_format: OutputFormat,
    max_cost: float | None = None,
) -> None:
    """Transcribe, grade the transcript without its fillers, and add the delivery read."""
    from pmloop.grading import Examiner
    from pmloop.voice import (
        AnswerContext,
        analyse,
        check_audio_name,
        default_transcriber,
        strip_fillers,
    )

    check_audio_name(audio.name)  # a wrong format is refused before any model loads
    examiner = Examiner(bank, grader, llm_settings(max_cost))
    asked = examiner.context(question, question_id)  # an unknown question fails here, first
    about = AnswerContext(asked.text)  # the question is read to the transcriber first
    speech = analyse(default_transcriber(model).transcribe(audio, about), minutes * 60)
    text = strip_fillers(speech.transcript)
    result = examiner.grade(text, question, question_id)
    _notices(result)
    if output_format is OutputFormat.json:
        data = result.to_json_dict()
        data["speech"] = speech.model_dump(mode="json")
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if output_format is OutputFormat.markdown:
        from pmloop.report import grade_markdown

        sys.stdout.write(grade_markdown(result, text))
        sys.stdout.write(
            "\n## Delivery\n\n" + "".join(f"- {line.strip()}\n" for line in speech.lines())
        )
        return
    from rich.console import Console
    from rich.text import Text

    from pmloop.report import render_grade

    console = Console(highlight=False, soft_wrap=False)
    console.print(Text("Transcript (fillers taken out before grading)", style="bold"))
    console.print(Text(text), style="green")
    console.print()
    render_grade(result, console)
    render_delivery(speech, console)


def render_delivery(speech: Speech, console: Console) -> None:
    """The delivery read, after the content grade."""
    from rich.text import Text

    console.print(Text("Delivery (how it was said; it does not change the grade)", style="bold"))
    for line in speech.lines():
        console.print(Text(f"  {line}"))


def _notices(result: Grade, where: str = "") -> None:
    """What the reader must know about how the grade was made, one line each on stderr."""
    for notice in result.notices:
        sys.stderr.write(f"pmloop: notice: {where}{notice}\n")


def _read_answer(answer: str | None, answer_file: Path | None) -> str:
    if answer is not None and answer_file is not None:
        fail("give either --answer or --answer-file, not both")
    if answer is not None:
        return answer
    # an answer within the word limit is far below this many bytes; read no more than that
    limit = max_answer_words() * _BYTES_PER_WORD
    if answer_file is not None:
        return read_text_file(answer_file, "answer file", limit)
    if sys.stdin is None or sys.stdin.isatty():
        fail("give the answer with --answer TEXT, --answer-file PATH, or on standard input")
    return decode_utf8(read_capped(sys.stdin.buffer, limit, "standard input"), "standard input")


#: Bytes read per word of the answer limit before an answer is refused unread: a word and its
#: space are a few bytes even in scripts of four bytes a character.
_BYTES_PER_WORD = 200


def _print(result: Grade, answer: str, output_format: OutputFormat) -> None:
    if output_format is OutputFormat.json:
        sys.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2) + "\n")
    elif output_format is OutputFormat.markdown:
        from pmloop.report import grade_markdown

        sys.stdout.write(grade_markdown(result, answer))
    else:
        from rich.console import Console

        from pmloop.report import render_grade

        render_grade(result, Console(highlight=False, soft_wrap=False))


def _grade_batch(
    path: Path, grader: str | None, bank: Path | None, max_cost: float | None = None
) -> None:
    from pmloop.errors import InputError
    from pmloop.grading import Examiner

    text = read_text_file(path, "batch file")
    examiner = Examiner(bank, grader, llm_settings(max_cost))
    bad = 0
    out = sys.stdout
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            question, question_id, answer = _batch_item(line)
            result = examiner.grade(answer, question, question_id)
        except InputError as exc:
            bad += 1
            sys.stderr.write(f"pmloop: error: {path}:{number}: {exc}\n")
            continue
        _notices(result, f"{path}:{number}: ")
        out.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")
    out.flush()
    if bad:
        raise SystemExit(2)


def _batch_item(line: str) -> tuple[str | None, str | None, str]:
    from pmloop.errors import BatchLineError

    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BatchLineError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(item, dict):
        raise BatchLineError('each line must be an object like {"question": ..., "answer": ...}')
    question, question_id, answer = (
        item.get("question"),
        item.get("question_id"),
        item.get("answer"),
    )
    if not isinstance(answer, str):
        raise BatchLineError('"answer" must be a string')
    if question is not None and not isinstance(question, str):
        raise BatchLineError('"question" must be a string')
    if question_id is not None and not isinstance(question_id, str):
        raise BatchLineError('"question_id" must be a string')
    if not question and not question_id:
        raise BatchLineError('each line needs "question" or "question_id"')
    return question, question_id, answer
