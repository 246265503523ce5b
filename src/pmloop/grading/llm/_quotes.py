"""Holding a model's quotes to the grade's contract: every quote is a verbatim substring.

A quote found as written is kept. One that differs only in case, spacing, curly quotes or
dashes, or in a word or two (a model that "tidies" what it quotes), is snapped to the span of
the answer it meant. Anything else is dropped and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

__all__ = ["QuoteCheck", "check_quote"]

_WORD = re.compile(r"\S+")
_TRIM = " \t\r\n\"'“”‘’«».…,;:"
_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."})
#: Words that must agree, as a share of the longer of the two, for a near miss to be snapped.
_NEAR = 0.8
#: A quote shorter than this many words is kept only when found as written (give or take case).
_MIN_FUZZY_WORDS = 4


@dataclass(frozen=True)
class QuoteCheck:
    """What became of one quote."""

    status: Literal["kept", "snapped", "dropped"]
    quote: str | None


def _norm_word(word: str) -> str:
    return word.translate(_FOLD).strip(_TRIM + "()[]!?").casefold()


def _loose(text: str) -> tuple[str, list[int]]:
    """``text`` folded (case, quotes, dashes, runs of space), with each character's origin."""
    out: list[str] = []
    origin: list[int] = []
    space = False
    for index, char in enumerate(text):
        if char.isspace():
            if out and not space:
                out.append(" ")
                origin.append(index)
            space = True
            continue
        space = False
        for folded in char.translate(_FOLD).casefold():
            out.append(folded)
            origin.append(index)
    return "".join(out), origin


def check_quote(answer: str, quote: str) -> QuoteCheck:
    """Keep, snap or drop ``quote`` against ``answer``."""
    raw = quote.strip()
    if raw and raw in answer:
        return QuoteCheck("kept", raw)
    core = raw.strip(_TRIM)
    if not core:
        return QuoteCheck("dropped", None)
    if core in answer:
        return QuoteCheck("snapped", core)
    loose_answer, origin = _loose(answer)
    for candidate in (raw, core):
        loose_quote, _ = _loose(candidate)
        at = loose_answer.find(loose_quote)
        if at != -1 and loose_quote:
            start, end = origin[at], origin[at + len(loose_quote) - 1] + 1
            return QuoteCheck("snapped", answer[start:end])
    return _nearest_words(answer, core)


def _nearest_words(answer: str, quote: str) -> QuoteCheck:
    wanted = [_norm_word(w) for w in quote.split()]
    wanted = [w for w in wanted if w]
    if len(wanted) < _MIN_FUZZY_WORDS:
        return QuoteCheck("dropped", None)
    spans = [(m.start(), m.end()) for m in _WORD.finditer(answer)]
    words = [_norm_word(answer[s:e]) for s, e in spans]
    present = set(wanted)
    best, best_gap, best_span = 0.0, 0, (0, 0)
    for start in range(len(words)):
        if words[start] not in present:
            continue
        for size in range(max(len(wanted) - 2, 1), len(wanted) + 3):
            if start + size > len(words):
                break
            matcher = SequenceMatcher(None, wanted, words[start : start + size], False)
            same = sum(block.size for block in matcher.get_matching_blocks())
            score = same / max(len(wanted), size)
            gap = abs(size - len(wanted))
            if score > best or (score == best and gap < best_gap):
                best, best_gap, best_span = score, gap, (start, start + size - 1)
    if best < _NEAR:
        return QuoteCheck("dropped", None)
    first, last = best_span
    text = answer[spans[first][0] : spans[last][1]]
    trimmed = text.strip(_TRIM)
    return QuoteCheck("snapped", trimmed or text)
