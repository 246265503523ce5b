"""Typed settings with module-level defaults; ``PMLOOP_HOME`` moves all user data."""

from __future__ import annotations

import os
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
    explicit = os.environ.get("PMLOOP_HOME")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pmloop"


def cache_dir() -> Path:
    """Derived data that can be rebuilt at any time (embeddings of the bank)."""
    return pmloop_home() / "cache"


def max_answer_words() -> int:
    """The longest answer, in words, that pmloop will grade."""
    raw = os.environ.get("PMLOOP_MAX_ANSWER_WORDS", "")
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_MAX_ANSWER_WORDS
    return value if value > 0 else DEFAULT_MAX_ANSWER_WORDS
