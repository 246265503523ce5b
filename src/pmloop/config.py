"""Thin helpers over ``pmloop.settings``; ``PMLOOP_HOME`` moves all user data."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "DEFAULT_MAX_ANSWER_WORDS",
    "cache_dir",
    "max_answer_words",
    "pmloop_home",
]

#: Answers longer than this many words are refused (``PMLOOP_MAX_ANSWER_WORDS`` overrides).
DEFAULT_MAX_ANSWER_WORDS = 3000


def pmloop_home() -> Path:
    """The folder that holds every file pmloop writes for the user."""
    from pmloop.settings import get_settings

    return get_settings().data_home()


def cache_dir() -> Path:
    """Derived data that can be rebuilt at any time (embeddings of the bank)."""
    return pmloop_home() / "cache"


def max_answer_words() -> int:
    """The longest answer, in words, that pmloop will grade (``PMLOOP_MAX_ANSWER_WORDS``)."""
    from pmloop.settings import get_settings

    return get_settings().max_answer_words
