"""``pmloop serve``: the local web app."""

from __future__ import annotations

import threading
import webbrowser
from typing import Annotated

import typer

from pmloop.cli._common import BankOption, fail

__all__ = ["serve"]


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser window.")
    ] = False,
    multi_user: Annotated[
        bool,
        typer.Option("--multi-user", help="A shared coaching server: accounts, cohorts, roles."),
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes behind the one port.")
    ] = 1,
    insecure_cookies: Annotated[
        bool,
        typer.Option(
            "--insecure-cookies",
            help="Send sign-in cookies over plain HTTP (only behind a TLS-terminating proxy).",
        ),
    ] = False,
    bank: BankOption = None,
) -> None:
    """Practise in the browser: the same loop, feedback and progress as the terminal."""
    import os

    import uvicorn

    from pmloop.store import open_engine

    if not 0 < port < 65536:
        fail("--port must be between 1 and 65535")
    if not 1 <= workers <= 64:
        fail("--workers must be between 1 and 64")
    open_engine().dispose()  # create or upgrade the schema once, before any worker starts
    os.environ["PMLOOP_MULTI_USER"] = "1" if multi_user else ""
    os.environ["PMLOOP_SECURE_COOKIES"] = "" if insecure_cookies else "1"
    if bank is not None:
        os.environ["PMLOOP_BANK"] = str(bank)
    url = f"http://{host}:{port}/"
    mode = "shared server" if multi_user else "local app"
    typer.echo(f"pmloop ({mode}) is serving on {url} (Ctrl-C stops it)")
    if not no_browser and not multi_user:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    try:
        uvicorn.run(
            "pmloop.web:create_app_from_env", factory=True, host=host, port=port,
            workers=workers, log_level="warning",
        )  # fmt: skip
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror}", 1)
