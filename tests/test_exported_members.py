"""Every public name a package lists in __all__ exists, and nothing private is listed."""

import importlib

import pytest

PACKAGES = [
    "pmloop",
    "pmloop.bank",
    "pmloop.grading",
    "pmloop.grading.offline",
    "pmloop.settings",
    "pmloop.report",
    "pmloop.evaluation",
    "pmloop.vocabulary",
    "pmloop.errors",
    "pmloop.config",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist_and_are_public(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert len(exported) == len(set(exported))
    for member in exported:
        assert hasattr(module, member), f"{name}.{member}"
        assert not member.startswith("_") or member == "__version__"
