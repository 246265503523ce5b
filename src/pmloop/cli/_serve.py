"""``pmloop serve``: the local web app."""

from __future__ import annotations

import socket
import threading
import webbrowser
from typing import Annotated, Any

import typer

from pmloop.cli._common import BankOption, GraderOption, fail

__all__ = ["serve"]


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening, or one error line and exit status 1."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:  # taken port, unknown host name, address not on this machine
        sock.close()
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", 1)
    sock.set_inheritable(True)
    return sock


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on (0: any free port, announced).")
    ] = 8765,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser window.")
    ] = False,
    multi_user: Annotated[
        bool,
        typer.Option("--multi-user", help="A shared coaching server: accounts, cohorts, roles."),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", help="Worker processes behind the one port (they stop when serve stops)."
        ),
    ] = 1,
    insecure_cookies: Annotated[
        bool,
        typer.Option(
            "--insecure-cookies",
            help="Send sign-in cookies over plain HTTP (only behind a TLS-terminating proxy).",
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            "--forwarded-allow-ips",
            help="Comma-separated addresses of proxies whose X-Forwarded-For and "
            "X-Forwarded-Proto are believed (sign-in limits then count the client's address). "
            "Default: none; every request is the TCP peer it came from.",
        ),
    ] = "",
    grader: GraderOption = None,
    bank: BankOption = None,
) -> None:
    """Practise in the browser: the same loop, feedback and progress as the terminal."""
    import os

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from pmloop.grading import grader_factory
    from pmloop.settings import get_settings
    from pmloop.store import open_engine

    if not 0 <= port < 65536:
        fail("--port must be between 0 (any free port) and 65535")
    if not 1 <= workers <= 64:
        fail("--workers must be between 1 and 64")
    # a grader that cannot be loaded here is one line now, not a traceback in every worker
    grader_factory(grader or get_settings().grader)
    open_engine().dispose()  # create or upgrade the schema once, before any worker starts
    # bind before saying anything: a taken port is one line and exit 1, never a traceback
    sock = _listen(host, port)
    port = int(sock.getsockname()[1])  # the port the system gave, when asked for any (0)
    os.environ["PMLOOP_MULTI_USER"] = "1" if multi_user else "0"
    os.environ["PMLOOP_SECURE_COOKIES"] = "0" if insecure_cookies else "1"
    # the local app answers only to the names it was started for (see pmloop.web._local)
    os.environ["PMLOOP_SERVE_HOST"], os.environ["PMLOOP_SERVE_PORT"] = host, str(port)
    # each worker ends itself when this process dies, even by kill -9 (see pmloop.web)
    os.environ["PMLOOP_SERVE_PARENT"] = str(os.getpid()) if workers > 1 else ""  # "": unset
    if bank is not None:
        os.environ["PMLOOP_BANK"] = str(bank)
    if grader is not None:
        os.environ["PMLOOP_GRADER"] = grader
    # one worker: the app (and its grader) is built here, so what fails is one line, not a
    # traceback from inside uvicorn; more workers each build their own from the variables above
    app: Any = "pmloop.web:create_app_from_env"
    if workers == 1:
        from pmloop.web import create_app_from_env

        try:
            app = create_app_from_env()
        except BaseException:
            sock.close()
            raise
    url = f"http://{host}:{port}/"
    mode = "shared server" if multi_user else "local app"
    typer.echo(f"pmloop ({mode}) is serving on {url} (Ctrl-C stops it)")
    if not no_browser and not multi_user:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    proxies = [p.strip() for p in forwarded_allow_ips.split(",") if p.strip()]
    config = uvicorn.Config(
        app, factory=workers > 1, host=host, port=port, workers=workers,
        log_level="warning",
        # uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1 (or $FORWARDED_ALLOW_IPS)
        proxy_headers=bool(proxies), forwarded_allow_ips=proxies,
    )  # fmt: skip
    try:
        if workers > 1:
            Multiprocess(config, sockets=[sock]).run()
        else:
            uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
