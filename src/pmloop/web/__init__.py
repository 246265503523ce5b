"""The web app: ``pmloop serve``. FastAPI, Jinja2 and HTMX; every asset served locally."""

import os

from fastapi import FastAPI

from pmloop.web._app import create_app

__all__ = ["create_app", "create_app_from_env"]


def create_app_from_env() -> FastAPI:
    """The app as ``pmloop serve`` configured it (each worker process calls this).

    ``pmloop serve`` passes its options to the workers in ``PMLOOP_*`` variables; every one is
    read through ``pmloop.settings``, as is the grader (``PMLOOP_GRADER``).
    """
    from pmloop.grading import Examiner
    from pmloop.settings import get_settings

    settings = get_settings()
    parent = settings.serve_parent
    if parent is not None and parent != os.getpid():
        from pmloop.web._worker import exit_with_parent

        exit_with_parent(parent)
    bound = None
    if settings.serve_host is not None and settings.serve_port is not None:
        bound = (settings.serve_host, settings.serve_port)
    return create_app(
        Examiner(settings.bank, settings.grader, settings=settings),
        multi_user=settings.multi_user,
        secure_cookies=settings.secure_cookies,
        bound=bound,
    )
