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
    bank: BankOption = None,
) -> None:
    """Practise in the browser: the same loop, feedback and progress as the terminal."""
    import uvicorn

    from pmloop.grading import Examiner
    from pmloop.web import create_app

    if not 0 < port < 65536:
        fail("--port must be between 1 and 65535")
    app = create_app(Examiner(bank))
    url = f"http://{host}:{port}/"
    typer.echo(f"pmloop is serving on {url} (Ctrl-C stops it)")
    if not no_browser:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror}", 1)
