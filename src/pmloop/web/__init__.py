"""The web app: ``pmloop serve``. FastAPI, Jinja2 and HTMX; every asset served locally."""

import os

from fastapi import FastAPI

from pmloop.web._app import create_app

__all__ = ["create_app", "create_app_from_env"]


def create_app_from_env() -> FastAPI:
    """The app as ``pmloop serve`` configured it (each worker process calls this)."""
    from pmloop.grading import Examiner

    parent = os.environ.get("PMLOOP_SERVE_PARENT")
    if parent and parent.isdigit() and int(parent) != os.getpid():
        from pmloop.web._worker import exit_with_parent

        exit_with_parent(int(parent))
    return create_app(
        Examiner(os.environ.get("PMLOOP_BANK") or None),
        multi_user=bool(os.environ.get("PMLOOP_MULTI_USER")),
        secure_cookies=bool(os.environ.get("PMLOOP_SECURE_COOKIES", "1")),
        bound=_bound(),
    )


def _bound() -> tuple[str, int] | None:
    """The host and port ``pmloop serve`` listens on, as it left them in the environment."""
    host, port = os.environ.get("PMLOOP_SERVE_HOST"), os.environ.get("PMLOOP_SERVE_PORT", "")
    return (host, int(port)) if host is not None and port.isdigit() else None
