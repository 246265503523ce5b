"""``pmloop users``: accounts for the shared coaching server."""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from pmloop.cli._common import fail

if TYPE_CHECKING:
    from pmloop.store import Accounts

__all__ = ["app"]

app = typer.Typer(help="Accounts for 'pmloop serve --multi-user'.", no_args_is_help=True)

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]
Username = Annotated[str, typer.Argument(help="The account's name (any case).")]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != password:
        fail("the passwords differ")
    return password


def _accounts() -> Accounts:
    from pmloop.store import Accounts, open_engine

    return Accounts(open_engine())


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="The new account's name.")],
    role: Annotated[str, typer.Option("--role", help="learner or coach.")] = "learner",
    cohort: Annotated[
        str | None, typer.Option("--cohort", help="The cohort (a coach sees its learners).")
    ] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create an account (the password is asked for, or read with --password-stdin).

    Names are ASCII letters, digits and . _ @ + -, unique whatever their case. A password has
    at least 10 characters, does not contain the name, and is not a common password.
    """
    from pmloop.store import check_password, check_username

    if role == "coach" and not cohort:
        fail("a coach needs --cohort: the learners they may see")
    username = check_username(username)
    password = _read_password(password_stdin)
    check_password(username, password)
    user = _accounts().add_user(username, password, role, cohort)
    typer.echo(f"Added {user.role} '{user.username}'" + (f" in cohort {cohort}" if cohort else ""))


@app.command("passwd")
def passwd(username: Username, password_stdin: PasswordStdin = False) -> None:
    """Give an account a new password; every browser signed in as it must sign in again."""
    accounts = _accounts()
    user = accounts.find(username)
    if user is None:
        fail(f"no account is named '{username.strip()}'")
    ended = accounts.set_password(user.username, _read_password(password_stdin))
    typer.echo(f"Changed the password of '{user.username}'; ended {ended} sign-in(s)")


@app.command("revoke")
def revoke(username: Username) -> None:
    """End every sign-in of an account: each browser signed in as it must sign in again."""
    accounts = _accounts()
    user = accounts.find(username)
    if user is None:
        fail(f"no account is named '{username.strip()}'")
    ended = accounts.revoke(user.username)
    typer.echo(f"Ended {ended} sign-in(s) of '{user.username}'")


@app.command("remove")
def remove(
    username: Username,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an account and its sign-ins. Its sessions are kept, without an owner."""
    accounts = _accounts()
    user = accounts.find(username)
    if user is None:
        fail(f"no account is named '{username.strip()}'")
    if not yes and not typer.confirm(f"Remove the {user.role} '{user.username}'?"):
        fail("nothing removed", 1)
    removed, kept = accounts.remove_user(user.username)
    typer.echo(
        f"Removed {removed.role} '{removed.username}'; {kept} session(s) kept without an owner "
        "('pmloop sessions' lists them)"
    )
