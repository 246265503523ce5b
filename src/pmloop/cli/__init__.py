"""The ``pmloop`` command line: a thin shell over the library.

Each command group lives in its own module and imports what it needs inside the command, so
``pmloop --help`` never loads pydantic, onnxruntime or the bank.
"""

from __future__ import annotations

from typing import Any

import typer

from pmloop import __version__
from pmloop.cli import _config, _eval, _grade, _practice, _questions, _serve, _users
from pmloop.cli._common import fail

__all__ = ["app", "main"]

app = typer.Typer(
    name="pmloop",
    help="Practise AI product-manager interview loops and get graded feedback, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pmloop {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Practise AI product-manager interview loops and get graded feedback, offline."""


app.command("grade", help=_grade.HELP, no_args_is_help=False)(_grade.grade)
app.add_typer(_questions.app, name="questions")
app.command("eval", help=_eval.HELP)(_eval.evaluate)
app.command("practice")(_practice.practice)
app.command("resume")(_practice.resume)
app.command("sessions")(_practice.sessions)
app.command("report")(_practice.report)
app.command("progress")(_practice.progress)
app.command("drill")(_practice.drill)
app.command("export")(_practice.export)
app.command("import")(_practice.import_)
app.command("serve")(_serve.serve)
app.add_typer(_users.app, name="users")
app.command("config", help=_config.HELP)(_config.config)


def _click_exceptions() -> Any:
    """Click's exception classes: newer typer releases carry their own copy of click."""
    try:
        from typer._click import exceptions as vendored

        return vendored
    except ImportError:  # pragma: no cover - typer releases that use click itself
        from click import exceptions

        return exceptions


def main() -> None:
    """Run the CLI; every expected error becomes one line on stderr and an exit status."""
    from pmloop.errors import InputError, PmloopError

    click = _click_exceptions()
    try:
        _cache_patterns()
        status = app(prog_name="pmloop", standalone_mode=False)
    except click.NoArgsIsHelpError as exc:
        exc.show()  # a bare group or command prints its help, as a user expects
        raise SystemExit(2) from None
    except click.UsageError as exc:
        # one line, not click's usage block: the command's help is one flag away
        command = exc.ctx.command_path if exc.ctx is not None else "pmloop"
        message = exc.format_message().rstrip(".")
        fail(f"{message} (see '{command} --help')", exc.exit_code)
    except click.ClickException as exc:
        fail(exc.format_message(), exc.exit_code)
    except typer.Abort:
        fail("interrupted", 130)
    except PmloopError as exc:
        fail(str(exc), 2 if isinstance(exc, InputError) else 1)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    if not status:
        # only a command that did its work writes the start-up caches: one that was refused
        # (a foreign database, a bad setting) leaves the home as it found it
        from pmloop._coldstart import save_disk_caches

        save_disk_caches()
    raise SystemExit(status if isinstance(status, int) else 0)


def _cache_patterns() -> None:
    """Compiled patterns and the parsed bank kept in the cache folder: a fast cold start."""
    from pmloop._coldstart import use_disk_caches
    from pmloop.config import cache_dir

    use_disk_caches(cache_dir())
