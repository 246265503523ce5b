"""The grader registry: every grader is an entry point in the ``pmloop.graders`` group.

pmloop registers its own graders in its ``pyproject.toml``; any installed package can add one
the same way, under a name ``--grader`` and ``PMLOOP_GRADER`` then accept::

    [project.entry-points."pmloop.graders"]
    mygrader = "mypackage.grading:build_my_grader"

The object an entry point names is a factory with the signature
``(bank: Bank, settings: Settings) -> Grader``: it is called once per process (per examiner)
and the grader it returns grades every answer. An entry point may name an extra
(``"pmloop.grading.llm:build_llm_grader [llm]"``): when its module cannot be imported, the
error says which extra to install.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING

from pmloop.errors import SetupError, UnknownGraderError

if TYPE_CHECKING:
    from pmloop.bank import Bank
    from pmloop.grading._protocol import Grader
    from pmloop.settings import Settings

__all__ = [
    "GRADER_GROUP",
    "GraderFactory",
    "GraderUnavailableError",
    "build_grader",
    "grader_factory",
    "grader_names",
]

#: The entry-point group graders register in.
GRADER_GROUP = "pmloop.graders"

GraderFactory = Callable[["Bank", "Settings"], "Grader"]


class GraderUnavailableError(SetupError):
    """A registered grader cannot be loaded here (its module or a dependency is missing)."""


def _registered() -> dict[str, list[EntryPoint]]:
    found: dict[str, list[EntryPoint]] = {}
    for point in entry_points(group=GRADER_GROUP):
        same = found.setdefault(point.name, [])
        # an editable install can list the same distribution twice; one copy is enough
        if all(other.value != point.value for other in same):
            same.append(point)
    return found


def grader_names() -> list[str]:
    """Every registered grader name, sorted (whether or not its dependencies are installed)."""
    return sorted(_registered())


def grader_factory(name: str) -> GraderFactory:
    """The factory registered under ``name``, imported; one clear error when it cannot be."""
    registered = _registered()
    points = registered.get(name)
    if not points:
        available = ", ".join(sorted(registered)) or "none (is pmloop installed?)"
        raise UnknownGraderError(f"unknown grader '{name}'; available: {available}")
    if len(points) > 1:
        where = ", ".join(sorted(p.value for p in points))
        raise GraderUnavailableError(
            f"the grader name '{name}' is registered twice ({where}); uninstall one of them"
        )
    point = points[0]
    try:
        factory = point.load()
    except ImportError as exc:
        raise GraderUnavailableError(_unavailable(point, exc)) from None
    if not callable(factory):
        raise GraderUnavailableError(
            f"the {name} grader's entry point {point.value} is not callable"
        )
    built: GraderFactory = factory
    return built


def _unavailable(point: EntryPoint, exc: ImportError) -> str:
    """Why a registered grader cannot be imported, and what to install, in one line."""
    module = point.module
    missing = getattr(exc, "name", None) or ""
    # the grader's own module (or its package) is missing: nothing an extra can fix
    if missing and (module == missing or module.startswith(missing + ".")):
        return (
            f"the {point.name} grader is registered but its module {module} is not installed "
            f"({exc})"
        )
    distribution = point.dist.name if point.dist is not None else None
    if point.extras and distribution:
        extra = ",".join(point.extras)
        return (
            f"the {point.name} grader needs the {extra} extra: "
            f"pip install '{distribution}[{extra}]' ({exc})"
        )
    return f"the {point.name} grader cannot be loaded ({exc})"


def build_grader(name: str, bank: Bank, settings: Settings) -> Grader:
    """Build the grader registered under ``name`` over ``bank``, configured by ``settings``.

    A factory that imports its client library only when called gets the same one-line error
    as one whose module cannot be imported.
    """
    factory = grader_factory(name)
    try:
        return factory(bank, settings)
    except ImportError as exc:
        point = _registered()[name][0]
        raise GraderUnavailableError(_unavailable(point, exc)) from None
