"""Pieces every command shares: the --bank option, error output, reading user files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO, NoReturn

import typer

if TYPE_CHECKING:
    from pmloop.settings import Settings

__all__ = [
    "BankOption",
    "GraderOption",
    "MaxCostOption",
    "llm_settings",
    "fail",
    "fail_with_problems",
    "read_capped",
    "read_text_file",
    "write_output",
]

BankOption = Annotated[
    Path | None,
    typer.Option(
        "--bank",
        envvar="PMLOOP_BANK",
        readable=False,
        help="Use this bank file or folder instead of the packaged bank.",
        show_default=False,
    ),
]

MaxCostOption = Annotated[
    float | None,
    typer.Option(
        "--max-cost",
        min=0,
        help="US dollars the LLM judge may spend in this run before it stops calling the model "
        "(default: PMLOOP_LLM_MAX_COST; needs PMLOOP_LLM_PRICE_INPUT and _OUTPUT).",
        show_default=False,
    ),
]

GraderOption = Annotated[
    str | None,
    typer.Option(
        "--grader",
        help="Grader: offline, llm, ensemble, or one a plugin registers "
        "(default: PMLOOP_GRADER, else offline).",
        show_default=False,
    ),
]


def fail(message: str, status: int = 2) -> NoReturn:
    """Print one error line to stderr and exit with ``status``."""
    sys.stderr.write(f"pmloop: error: {message}\n")
    sys.stderr.flush()
    raise SystemExit(status)


def fail_with_problems(problems: Sequence[object], where: Path) -> NoReturn:
    """Print every problem on its own stderr line, then fail with how many there were."""
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    fail(f"{len(problems)} problem(s) in {where}")


def read_text_file(path: Path, what: str, limit: int | None = None) -> str:
    """Read a UTF-8 text file the user named, or raise ``AnswerFileError`` saying why not.

    With ``limit``, at most that many bytes are read: a bigger file (or ``/dev/zero``) raises
    ``AnswerTooLongError`` instead of filling memory.
    """
    from pmloop.errors import AnswerFileError

    try:
        with path.open("rb") as handle:
            raw = read_capped(handle, limit, f"{what} '{path}'")
    except FileNotFoundError:
        raise AnswerFileError(f"{what} '{path}' does not exist") from None
    except IsADirectoryError:
        raise AnswerFileError(f"{what} '{path}' is a folder, not a file") from None
    except PermissionError:
        raise AnswerFileError(f"{what} '{path}' cannot be read (permission denied)") from None
    except OSError as exc:
        raise AnswerFileError(f"{what} '{path}' cannot be read ({exc.strerror})") from None
    return decode_utf8(raw, f"{what} '{path}'")


def read_capped(stream: BinaryIO, limit: int | None, what: str) -> bytes:
    """All of ``stream``, or ``AnswerTooLongError`` once it passes ``limit`` bytes."""
    from pmloop.errors import AnswerTooLongError

    if limit is None:
        return stream.read()
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise AnswerTooLongError(
            f"{what} is over {limit:,} bytes, longer than any answer within the word limit"
        )
    return raw


def decode_utf8(raw: bytes, what: str) -> str:
    """Decode UTF-8 (a leading byte-order mark is allowed) or raise ``AnswerFileError``."""
    from pmloop.errors import AnswerFileError

    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnswerFileError(
            f"{what} is not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8"
        ) from None


def write_output(text: str, output: Path | None) -> bool:
    """Write ``text`` to ``output``, or to stdout when it is None; True when a file was written."""
    if output is None:
        sys.stdout.write(text)
        return False
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write '{output}': {exc.strerror}")
    return True


def llm_settings(max_cost: float | None) -> Settings | None:
    """The environment's settings with ``--max-cost`` applied, or None when it was not given."""
    if max_cost is None:
        return None
    from pmloop.settings import get_settings

    return get_settings(llm_max_cost=max_cost)
