"""The app ``pmloop serve``'s workers build reads its options through the settings object."""

from __future__ import annotations

import pytest

from pmloop.web import create_app_from_env


@pytest.mark.parametrize("off", ["0", "false", "no", ""])
def test_zero_turns_secure_cookies_and_multi_user_off(
    monkeypatch: pytest.MonkeyPatch, off: str
) -> None:
    # bool(os.environ.get(...)) read "0" as true: a shared server with Secure cookies
    monkeypatch.setenv("PMLOOP_SECURE_COOKIES", off)
    monkeypatch.setenv("PMLOOP_MULTI_USER", off)
    state = create_app_from_env().state.pmloop
    assert state.secure_cookies is False
    assert state.accounts is None


def test_one_turns_them_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMLOOP_SECURE_COOKIES", "1")
    monkeypatch.setenv("PMLOOP_MULTI_USER", "1")
    state = create_app_from_env().state.pmloop
    assert state.secure_cookies is True
    assert state.accounts is not None
