"""Sentence spans and word normalisation that every grading stage shares.

Spans keep offsets into the original answer so that every quote a grader reports is a verbatim
substring of what the candidate wrote.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pmloop._coldstart import compile_pattern

__all__ = [
    "Span",
    "any_of",
    "content_stems",
    "split_sentences",
    "stem",
    "stem_idf",
    "tfidf_vector",
    "words",
]

# A sentence ends at . ! ? (optionally closed by a quote or bracket) followed by whitespace, at a
# blank line, or before a line that starts a list item. A single line break inside a paragraph
# is hard wrapping, not a boundary. List markers are not part of the sentence.
_BOUNDARY = compile_pattern(
    r"(?<=[.!?])[\"')\]]*\s+|\r?\n[ \t\r]*\n\s*|\r?\n(?=[ \t]*(?:[-*•·>]|\d{1,2}[.)])\s)"
)
_LEADING = compile_pattern(r"^(?:\s|[-*•·>]|\d{1,2}[.)](?=\s))+")
_WORD = compile_pattern(r"[a-z0-9]+(?:['’][a-z]+)?(?:[-/][a-z0-9]+)*", re.IGNORECASE)
_ABBREVIATIONS = ("e.g.", "i.e.", "vs.", "approx.", "cf.", "eg.", "ie.")
_MARKER_ONLY = compile_pattern(r"^\s*(?:[-*•·>]\s*)?\d{1,2}[.)]?\s*$")


@dataclass(frozen=True)
class Span:
    """A sentence of the answer: its text and where it sits in the original string."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentence spans, skipping list markers and blank lines."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        piece_end = match.start()
        if "\n" not in match.group():
            # "e.g. latency" is not a sentence end, and "3. Third" starts an item, not ends one
            if text[max(start, piece_end - 5) : piece_end].lower().endswith(_ABBREVIATIONS):
                continue
            if _MARKER_ONLY.match(text[start:piece_end]):
                continue
        _add(spans, text, start, piece_end)
        start = match.end()
    _add(spans, text, start, len(text))
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    lead = _LEADING.match(piece)
    if lead:
        start += lead.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start >= 2 and any(c.isalnum() for c in text[start:end]):
        spans.append(Span(start, end, text[start:end]))


def words(text: str) -> list[str]:
    """Lower-cased word tokens; hyphenated and slashed compounds stay whole."""
    return list(_words(text))


#: One grade reads the same answer's words several times (relevance, register, substance):
#: the last few texts are kept, as tuples, so a caller's list is always its own.
@lru_cache(maxsize=256)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower().replace("’", "'") for w in _WORD.findall(text))


_SUFFIXES = (
    "ational", "ization", "isation", "fulness", "ousness", "iveness",
    "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ities", "ity",
    "ies", "ied", "ers", "er", "ed", "es", "ly", "s",
)  # fmt: skip

_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't could couldn't did didn't do does doesn't
    doing don't down during each few for from further get gets got had hadn't has hasn't have
    haven't having he her here hers herself him himself his how i i'd i'll i'm i've if in into is
    isn't it it's its itself just let's like me more most much must my myself no nor not now of
    off on once one only or other our ours ourselves out over own really same she should so some
    such than that that's the their theirs them themselves then there there's these they they'd
    they're this those through to too under until up us very was wasn't we we'd we'll we're we've
    were weren't what what's when where which while who whom why will with won't would wouldn't
    you you'd you'll you're your yours yourself yourselves say said think thing things way make
    going go want need well actually maybe probably kind sort lot lots""".split()
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stem, enough to make 'evaluating' meet 'evaluation'."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> list[str]:
    """Stems of the words in ``text`` that carry content (stopwords removed)."""
    return list(_content_stems(text))


@lru_cache(maxsize=256)
def _content_stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _words(text) if w not in _STOPWORDS and len(w) > 1)


def stem_idf(documents: Sequence[Iterable[str]]) -> tuple[dict[str, float], float]:
    """Inverse document frequency of each stem over ``documents`` (each a run of stems), and
    the weight of a stem none of them uses (as rare as a stem can be)."""
    frequency: Counter[str] = Counter()
    for stems in documents:
        frequency.update(set(stems))
    total = max(len(documents), 1)
    idf = {term: math.log((1 + total) / (1 + n)) + 1.0 for term, n in frequency.items()}
    return idf, math.log(1 + total) + 1.0


def tfidf_vector(stems: Iterable[str], idf: dict[str, float], unseen: float) -> dict[str, float]:
    """``stems`` as a unit-length tf-idf vector; a stem missing from ``idf`` weighs ``unseen``
    and still counts towards the length, so a few stray shared words cannot read as close."""
    counts = Counter(stems)
    weights = {t: (1.0 + math.log(n)) * idf.get(t, unseen) for t, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def any_of(*patterns: str) -> re.Pattern[str]:
    """One case-insensitive pattern that matches any of ``patterns``.

    Every phrase is matched from the start of a word. Branches that open at a word share a
    single "no word character before" assertion at the front instead of each testing ``\\b``
    at every position, and branches that open with a plain letter are grouped by that letter,
    so at each word start the engine tries one group instead of every branch: the same
    matches, several times faster.
    """
    # a branch that opens with a letter, or a group of letters, can only match at a word start
    patterns = tuple(
        p if p.startswith("\\b") or not re.match(r"[A-Za-z(]", p) else "\\b" + p for p in patterns
    )
    at_word = [p[2:] for p in patterns if p.startswith("\\b")]
    elsewhere = [p for p in patterns if not p.startswith("\\b")]
    parts = []
    if at_word:
        parts.append("(?<!\\w)(?:" + _by_first_letter(at_word) + ")")
    parts += [f"(?:{p})" for p in elsewhere]
    return compile_pattern("|".join(parts), re.IGNORECASE)


_LEADING_GROUP = compile_pattern(
    r"^\((?:\?:)?([A-Za-z][A-Za-z' ?-]*(?:\|[A-Za-z][A-Za-z' ?-]*)*)\)(?![?*+{])"
)


#: An escape or a character class: what ``_top_level_bar`` sets aside before counting groups.
_ESCAPE_OR_CLASS = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]", re.DOTALL)
_GROUPING = re.compile(r"[()|]")


def _top_level_bar(branch: str) -> bool:
    """Whether ``branch`` is itself an alternation outside any group (``a\\b|\\bb``)."""
    if "|" not in branch:
        return False
    depth = 0
    for char in _GROUPING.findall(_ESCAPE_OR_CLASS.sub("", branch)):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            return True
    return False


def _expand_leading_groups(branches: list[str]) -> list[str]:
    """``(is|are) fine`` becomes ``is fine`` and ``are fine``, so both can join a letter group."""
    out: list[str] = []
    for branch in branches:
        found = _LEADING_GROUP.match(branch)
        if found is None or _top_level_bar(branch):
            out.append(branch)
            continue
        tail = branch[found.end() :]
        out += [alternative + tail for alternative in found.group(1).split("|")]
    return out


def _by_first_letter(branches: list[str]) -> str:
    """``a(?:bc|xy)|b(?:...)|(?:others)``: branches that open with a plain letter, grouped by it.

    Branches keep their order within a group; a branch whose first letter carries a quantifier
    or opens a group or class stays whole, after the grouped ones.
    """
    groups: dict[str, list[str]] = {}
    rest: list[str] = []
    for branch in _expand_leading_groups(branches):
        if re.match(r"[A-Za-z](?![?*+{])", branch) and not _top_level_bar(branch):
            groups.setdefault(branch[0].lower(), []).append(branch[1:])
        else:
            rest.append(branch)
    out = [
        letter + "(?:" + "|".join(f"(?:{tail})" for tail in tails) + ")"
        for letter, tails in groups.items()
    ]
    out += [f"(?:{branch})" for branch in rest]
    return "|".join(out)


#: A group that turns case-insensitivity off ("(?-i:CIRCLES)"): such a pattern is not folded.
_CASE_SENSITIVE_PART = re.compile(r"\(\?[a-zA-Z]*-[a-zA-Z]*i")


#: What lowering a pattern leaves alone: an escape ("\\S" is not "\\s") and a group's name.
_KEEP_CASE = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)", re.DOTALL)


def _lowered_pattern(pattern: str) -> str | None:
    """``pattern`` with its letters lowered, but not those of an escape or a group's name
    (None when lowering would change its length)."""
    lowered = pattern.lower()
    if len(lowered) != len(pattern):
        return None
    parts: list[str] = []
    done = 0
    for kept in _KEEP_CASE.finditer(pattern):
        if kept.group(0) != lowered[kept.start() : kept.end()]:
            parts += [lowered[done : kept.start()], kept.group(0)]
            done = kept.end()
    parts.append(lowered[done:])
    return "".join(parts)


class Folded:
    """A case-insensitive pattern, run as a case-sensitive one over the lowered text.

    CPython's engine compares letters case-insensitively one call at a time; lowering the text
    once and matching exactly finds the same matches at the same offsets about twice as fast.
    A match is of the lowered text (its groups come back in lower case); a text whose lowering
    changes its length, or a pattern with a case-sensitive part, is matched as it was.
    """

    __slots__ = ("original", "_lower")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.original = pattern
        lower: re.Pattern[str] | None = None
        source = pattern.pattern
        if pattern.flags & re.IGNORECASE and not _CASE_SENSITIVE_PART.search(source):
            lowered = _lowered_pattern(source)
            if lowered is not None:
                lower = compile_pattern(lowered, pattern.flags & ~re.IGNORECASE)
        self._lower = lower

    def _pick(self, text: str) -> tuple[re.Pattern[str], str]:
        if self._lower is not None:
            low = text.lower()
            if len(low) == len(text):
                return self._lower, low
        return self.original, text

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        pattern, text = self._pick(text)
        return pattern.search(text, pos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pattern, text = self._pick(text)
        return pattern.finditer(text)

    def findall(self, text: str) -> list[Any]:
        pattern, text = self._pick(text)
        return pattern.findall(text)
