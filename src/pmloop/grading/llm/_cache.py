"""Replies already paid for, on disk under pmloop's cache folder, keyed by model and prompt hash.

Only replies that validated are kept, so a cached grade is one the judge really gave; deleting
the folder costs nothing but the calls to fill it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pmloop.config import cache_dir

__all__ = ["ReplyCache"]


class ReplyCache:
    """A folder of JSON files, one per (provider, model, prompt) key."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or cache_dir() / "llm"

    @staticmethod
    def key(provider: str, model: str, prompt_key: str) -> str:
        """The cache key of one prompt to one model."""
        return hashlib.sha256(f"{provider}\0{model}\0{prompt_key}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored reply, or None (a missing or unreadable file is a miss)."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Store a reply atomically; a cache that cannot be written is skipped silently."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(value, out)
            os.replace(temp, path)
        except OSError:
            return
