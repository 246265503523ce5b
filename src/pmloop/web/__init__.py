"""The web app: ``pmloop serve``. FastAPI, Jinja2 and HTMX; every asset served locally."""

from pmloop.web._app import create_app

__all__ = ["create_app"]
