"""Pages and error answers: the Jinja templates, the CSRF cookie, the security headers."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from pmloop.interview import PROFILES
from pmloop.report import OVERALL_RULE, level_name
from pmloop.vocabulary import BARS, COMPETENCIES, FLAGS, Level
from pmloop.web._context import CSRF_COOKIE, is_api, web_state

__all__ = [
    "CSP",
    "SECURITY_HEADERS",
    "csp_with_styles",
    "error_response",
    "make_templates",
    "package_dir",
    "page",
]

#: Every response may load scripts, styles and images from this server only, run no inline
#: script, and be framed by nobody; the standalone report adds the hash of its own style block.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def package_dir(name: str) -> Path:
    """A folder shipped inside ``pmloop.web`` (templates, static)."""
    return Path(str(resources.files("pmloop.web").joinpath(name)))


def make_templates() -> Jinja2Templates:
    """The page templates, with the vocabulary every page may show."""
    templates = Jinja2Templates(directory=str(package_dir("templates")))
    templates.env.globals.update(
        COMPETENCIES=COMPETENCIES, FLAGS=FLAGS, Level=Level, level_name=level_name,
        PROFILES=PROFILES, BARS=BARS, OVERALL_RULE=OVERALL_RULE,
    )  # fmt: skip
    return templates


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render template ``name``; on a local server, give the browser a CSRF token if it has none."""
    state = web_state(request)
    login = context.setdefault("login", getattr(request.state, "login", None))
    context.setdefault("multi_user", state.multi_user)
    fresh = None
    if login is not None:
        csrf = login.csrf
    else:
        csrf = request.cookies.get(CSRF_COOKIE, "")
        if not state.multi_user and not (32 <= len(csrf) <= 64 and csrf.isascii()):
            csrf = fresh = secrets.token_urlsafe(32)
    context.setdefault("csrf", csrf)
    response = state.templates.TemplateResponse(request, name, context, status_code=status)
    if fresh is not None:
        response.set_cookie(
            CSRF_COOKIE, fresh, httponly=True, samesite="strict",
            secure=request.url.scheme == "https",
        )  # fmt: skip
    return response


def error_response(request: Request, status: int, message: str) -> Response:
    """``{"error": message}`` for the API, the error page for everything else."""
    if is_api(request):
        return JSONResponse({"error": message}, status_code=status)
    return page(request, "error.html", status=status, message=message)


def csp_with_styles(html: str) -> str:
    """The policy, also allowing the inline ``<style>`` blocks of ``html`` by their hashes."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    ]
    return CSP.replace("style-src 'self'", " ".join(["style-src 'self'", *hashes]))
