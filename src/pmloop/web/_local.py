"""The local app answers only to its own names, and changes state only for its own pages.

A single-user ``pmloop serve`` has no sign-in, so two browser tricks would otherwise reach it:
a page elsewhere posting a form to ``http://127.0.0.1:PORT/sessions`` (cross-site request
forgery), and a page whose own domain is re-pointed at 127.0.0.1 reading the API as if it were
its own origin (DNS rebinding). Against the second, every request must name, in its ``Host``
header, an address the server was started for; a rebinding page can only send its own domain.
Against the first, every state-changing request must come from a page of this origin
(``Origin``, or ``Referer`` when a browser sends no ``Origin``), and forms also carry a token
that only a page of this origin can read (``_app``). A request with neither header comes from
no browser page; it is accepted only as JSON, which no page can send across origins without
a CORS preflight, and pmloop grants none.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request

__all__ = ["LocalOrigin"]

LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("", "0.0.0.0", "::")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _split(host: str) -> tuple[str, int | None] | None:
    """``name`` and ``port`` of a Host header (``[v6]:port`` too); None when malformed."""
    host = host.strip().lower()
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:]
    else:
        name, _, port = host.partition(":")
    if port and not port.isdigit():
        return None
    return name.rstrip("."), int(port) if port else None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class LocalOrigin:
    """The names a local server answers to: 127.0.0.1, localhost, [::1] and the address it
    was bound to, at its port (any port when it is not known); bound to a wildcard address,
    any IP address at its port too."""

    bound: str | None = None
    port: int | None = None

    def names(self) -> set[str]:
        """The host names accepted, lower case, without brackets."""
        extra = {self.bound.strip("[]").lower()} if self.bound not in (None, *WILDCARDS) else set()
        return {*LOCAL_NAMES, *extra}

    def host_problem(self, request: Request) -> str | None:
        """Why this request's Host is refused, or None when it is one of ours."""
        header = request.headers.get("host", "")
        parsed = _split(header)
        if parsed is not None:
            name, port = parsed
            default = 443 if request.url.scheme == "https" else 80
            port_ok = self.port is None or (port or default) == self.port
            wildcard = self.bound in WILDCARDS and _is_ip(name)
            if port_ok and (name in self.names() or wildcard):
                return None
        allowed = ", ".join(sorted(self.names()))
        return (
            f"this pmloop answers only to {allowed}"
            + (f" on port {self.port}" if self.port else "")
            + f", not to '{header[:100]}': open it by one of those names"
        )

    def origin_problem(self, request: Request) -> str | None:
        """Why this state-changing request is refused as not from our own pages, or None."""
        if request.method in SAFE_METHODS:
            return None
        own = request.headers.get("host", "").strip().lower()
        for header in ("origin", "referer"):
            value = request.headers.get(header)
            if value is None:
                continue
            source = urlsplit(value) if value != "null" else None
            if source and source.scheme in ("http", "https") and source.netloc.lower() == own:
                return None
            return (
                f"this request came from another site ({header}: {value[:100]}), and pmloop "
                "only takes changes from its own pages"
            )
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/json":  # no page can send this across origins unasked
            return None
        return (
            "this request says neither where it came from (no Origin or Referer) nor that it "
            "is JSON; send the form from a pmloop page, or JSON with Content-Type: "
            "application/json"
        )
