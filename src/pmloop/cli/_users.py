"""``pmloop users``: accounts for the shared coaching server."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from pmloop.cli._common import fail

__all__ = ["app"]

app = typer.Typer(help="Accounts for 'pmloop serve --multi-user'.", no_args_is_help=True)


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="The new account's name.")],
    role: Annotated[str, typer.Option("--role", help="learner or coach.")] = "learner",
    cohort: Annotated[
        str | None, typer.Option("--cohort", help="The cohort (a coach sees its learners).")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account (the password is asked for, or read with --password-stdin)."""
    from pmloop.store import Accounts, open_engine

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            fail("the passwords differ")
    if role == "coach" and not cohort:
        fail("a coach needs --cohort: the learners they may see")
    user = Accounts(open_engine()).add_user(username, password, role, cohort)
    typer.echo(f"Added {user.role} '{user.username}'" + (f" in cohort {cohort}" if cohort else ""))
