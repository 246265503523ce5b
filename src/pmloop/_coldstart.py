"""Caches that make a cold ``pmloop`` process fast: compiled patterns and the parsed bank.

They are off unless a program turns them on (``use_disk_caches``): the CLI does, with
``PMLOOP_HOME``'s cache folder. Library users and tests get no files written behind their back.

The parsed bank: ``bank/_loader.py`` keeps the parsed YAML of the bank's files under a name
carrying the files' hash (``disk_cache_folder``), and validates it again on every load; only the
YAML parsing (most of loading the bank) is skipped. Any problem sends it back to the files.

Compiled patterns: the grader's word lists compile into a few dozen large patterns. Python
compiles a pattern in two steps: parsing and code generation in pure Python (much of a cold
``pmloop grade``'s time after imports), then ``_sre.compile`` building the pattern object from
the generated code (fast). This cache keeps the generated code, so a later process runs only the
second step.

The file (``patterns.marshal``) is keyed by the exact Python build and the regex
engine's version, so another interpreter never reads it, and a pattern is cached only when the
object built from the saved code is equal (same pattern, flags and code) to what ``re.compile``
returns. Anything unexpected (a missing, corrupt or foreign file, a private API that changed)
falls back to ``re.compile``: the cache can make a start faster, never a grade different.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import sys
from pathlib import Path
from typing import Any

__all__ = ["compile_pattern", "disk_cache_folder", "save_disk_caches", "use_disk_caches"]

#: More entries than this and the file keeps only what the last process used.
_MAX_ENTRIES = 2000

_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


def _engine_key() -> tuple[Any, ...]:
    import _sre  # type: ignore[import-not-found]

    return (sys.version, sys.implementation.cache_tag, _sre.MAGIC, _sre.CODESIZE)


class _RegexCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.key = _engine_key()
        self.entries: dict[tuple[str, int], _Entry] = {}
        self.used: dict[tuple[str, int], _Entry] = {}
        self.dirty = False
        try:
            stored = marshal.loads(path.read_bytes())
            if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.key:
                self.entries = stored[1]
        except (OSError, EOFError, ValueError, TypeError):
            pass

    def compile(self, pattern: str, flags: int) -> re.Pattern[str]:
        key = (pattern, flags)
        entry = self.entries.get(key)
        if entry is not None:
            try:
                import _sre

                compiled: re.Pattern[str] = _sre.compile(pattern, *entry)
            except Exception:  # a stale or damaged entry: compile afresh below
                pass
            else:
                self.used[key] = entry
                return compiled
        compiled = re.compile(pattern, flags)
        entry = _generated(pattern, flags, compiled)
        if entry is not None:
            self.used[key] = entry
            self.dirty = True
        return compiled

    def save(self) -> None:
        if not self.dirty:
            return
        merged = {**self.entries, **self.used}
        if len(merged) > _MAX_ENTRIES:
            merged = dict(self.used)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(marshal.dumps((self.key, merged)))
            os.replace(temporary, self.path)
        except (OSError, ValueError):  # an unwritable home only costs the next start its time
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        self.dirty = False


def _generated(pattern: str, flags: int, reference: re.Pattern[str]) -> _Entry | None:
    """The code ``re.compile`` generates for ``pattern``, if it rebuilds ``reference`` exactly."""
    try:
        import _sre
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry: _Entry = (
            flags | parsed.state.flags,
            [int(op) for op in code],
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        rebuilt = _sre.compile(pattern, *entry)
    except Exception:  # the private compiler changed shape: no caching, no harm
        return None
    return entry if rebuilt == reference else None


_CACHE: _RegexCache | None = None
_FOLDER: Path | None = None


def use_disk_caches(folder: Path | None) -> None:
    """Keep compiled patterns and the parsed bank in ``folder`` from now on (None: stop)."""
    global _CACHE, _FOLDER
    _FOLDER = folder
    _CACHE = _RegexCache(folder / "patterns.marshal") if folder is not None else None


def disk_cache_folder() -> Path | None:
    """The folder the start-up caches live in, or None when they are off."""
    return _FOLDER


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile``, through the on-disk cache when one is in use."""
    if _CACHE is None:
        return re.compile(pattern, flags)
    return _CACHE.compile(pattern, int(flags))


def save_disk_caches() -> None:
    """Write the patterns compiled since the cache was loaded, if any were new."""
    if _CACHE is not None:
        _CACHE.save()
