"""Features of an answer that a reader can name: consequence-awareness, specificity, substance.

Each consequence feature is a pattern over sentences; when one fires, the sentence is the evidence.
A term only counts as explained when the same or the next sentence ties it to a cost, a failure,
a mechanism or a decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pmloop.grading._lexicon import (
    AI_TERMS,
    JARGON_FOLDED,
    MECHANISMS,
    MECHANISMS_FOLDED,
    REASONING_FOLDED,
    SPECIFICS,
    SUBSTANCE,
    SUBSTANCE_FOLDED,
)
from pmloop.grading._text import Folded, Span
from pmloop.grading._wordlists import word_lists
from pmloop.vocabulary import Competency

__all__ = [
    "BREAKDOWN",
    "CONSEQUENCE_FEATURES",
    "ConsequenceFeature",
    "JargonProfile",
    "TermUse",
    "detect_consequence",
    "find_specifics",
    "find_term_uses",
    "jargon_profile",
]


@dataclass(frozen=True)
class ConsequenceFeature:
    """A named habit of senior answers, detected by patterns over one sentence."""

    id: str
    label: str
    why_it_matters: str
    pattern: re.Pattern[str]
    competencies: frozenset[Competency]


#: The habits, from ``consequence_habits`` in ``offline/data/features.yaml``.
CONSEQUENCE_FEATURES: tuple[ConsequenceFeature, ...] = tuple(
    ConsequenceFeature(
        row["id"],
        row["label"],
        row["why_it_matters"],
        word_lists().pattern("consequence_habits", "rows", index),
        frozenset(Competency(c) for c in row["competencies"]),
    )
    for index, row in enumerate(word_lists().entry("consequence_habits")["rows"])
)
#: The habits' patterns, each matched over the lowered sentence (the same matches, faster).
_HABIT_PATTERNS = tuple((f.id, Folded(f.pattern)) for f in CONSEQUENCE_FEATURES)


#: Words a sentence needs to show a habit on its own; a shorter one of at least
#: ``_SHORT_WORDS`` shows it only when the sentence after it has ``_BACKED_WORDS`` or more.
_ARGUED_WORDS = 6
_SHORT_WORDS = 3
_BACKED_WORDS = 8


def detect_consequence(
    sentences: list[Span], bare: frozenset[Span] = frozenset()
) -> dict[str, list[Span]]:
    """For each consequence feature, the sentences that show it (empty list when absent).

    A habit has to be argued, not named: a sentence in ``bare`` (a sentence whose AI terms are
    all left unexplained) shows nothing, nor does one under six words unless it has three and
    the sentence after it, of eight words or more, carries the argument ("Average hides
    segments." before the breakdown it asks for). A line of a few words on its own, or before
    another, is a slogan a weak answer is padded with: "Watch who gets hurt. Set a kill
    threshold."
    """
    found: dict[str, list[Span]] = {f.id: [] for f in CONSEQUENCE_FEATURES}
    for index, span in enumerate(sentences):
        count = len(span.text.split())
        if span in bare or count < _SHORT_WORDS:
            continue
        if count < _ARGUED_WORDS:
            after = sentences[index + 1] if index + 1 < len(sentences) else None
            if after is None or after in bare or len(after.text.split()) < _BACKED_WORDS:
                continue
        for habit, pattern in _HABIT_PATTERNS:
            if pattern.search(span.text):
                found[habit].append(span)
    return found


@dataclass(frozen=True)
class TermUse:
    """One AI term in the answer and whether it is tied to substance nearby."""

    term: str
    sentence: Span
    explained: bool


def find_term_uses(sentences: list[Span]) -> list[TermUse]:
    """Every AI term, marked explained when its sentence or the next carries substance."""
    uses: list[TermUse] = []
    for index, span in enumerate(sentences):
        terms = [m.group(0) for m in AI_TERMS.finditer(span.text)]
        if not terms:
            continue
        here = _substance_outside(span.text, terms)
        after = index + 1 < len(sentences) and bool(SUBSTANCE.search(sentences[index + 1].text))
        # A sentence that is mostly a list of terms explains none of them, whatever follows.
        listy = len(terms) >= 3 and here < 2
        for term in terms:
            uses.append(TermUse(term, span, explained=not listy and (here > 0 or after)))
    return uses


def _substance_outside(text: str, terms: list[str]) -> int:
    stripped = text
    for term in terms:
        stripped = stripped.replace(term, " ")
    return len(SUBSTANCE_FOLDED.findall(stripped)) + len(MECHANISMS_FOLDED.findall(stripped))


def find_specifics(text: str) -> list[str]:
    """Numbers with units and named mechanisms, in order of appearance."""
    hits = [(m.start(), m.group(0)) for m in SPECIFICS.finditer(text)]
    hits += [(m.start(), m.group(0)) for m in MECHANISMS.finditer(text)]
    return [h for _, h in sorted(hits)]


@dataclass(frozen=True)
class JargonProfile:
    """How much of the answer is vocabulary and how much is argument."""

    hits: int
    reasoning: int
    stuffed: tuple[Span, ...]

    def per_100_words(self, words: int) -> float:
        """Jargon terms per 100 words."""
        return 100.0 * self.hits / max(words, 1)


#: A list that opens with a measure and the first way to split it ("error rate by clinic, shift,
#: language"): the breakdown asked for, not a run of terms. "By design" and the like split
#: nothing.
BREAKDOWN = re.compile(
    r"^\W*[\w -]{1,30}?\b(by|per|across|split by|broken down by) (?!(design|default|nature|"
    r"itself|themselves|now|then|far|the way|hand)\b)\w",
    re.IGNORECASE,
)


def jargon_profile(sentences: list[Span]) -> JargonProfile:
    """Count jargon and reasoning words; a sentence that lists terms without arguing is stuffed.

    A sentence is stuffed when it names three or more distinct terms and they outnumber the
    words that carry an argument in it by two or more.
    """
    hits = reasoning = 0
    stuffed = []
    for span in sentences:
        # one term however inflected: "segment" and "segments" are one
        terms = {m.group(0).lower().removesuffix("s") for m in JARGON_FOLDED.finditer(span.text)}
        argued = len(REASONING_FOLDED.findall(span.text))
        hits += len(terms)
        reasoning += argued
        if (
            (len(terms) >= 3 and len(terms) >= argued + 2)
            or (_is_term_list(span.text) and argued <= 1 and _listed(span.text))
        ) and not BREAKDOWN.match(span.text):
            stuffed.append(span)
    return JargonProfile(hits, reasoning, tuple(stuffed))


#: Commas and "and"/"or" between items; not the comma inside a figure ("$250,000").
_LIST_SPLIT = re.compile(r",(?!\d)\s*(?:and |or )?|\s+(?:and|or)\s+")


def _listed(text: str) -> bool:
    """Whether a list names a term among its items, not only in its heading: "Segments, not
    the average: language, doc length, email vs docs" lists concrete cuts under one."""
    head, colon, rest = text.partition(":")
    if colon and rest.strip() and len(head.split()) <= 6:
        return bool(JARGON_FOLDED.search(rest))
    return bool(JARGON_FOLDED.search(text))


def _is_term_list(text: str) -> bool:
    """A sentence that is mostly a run of five or more short comma-separated items."""
    items = [item.split() for item in _LIST_SPLIT.split(text)]
    short = [item for item in items if 0 < len(item) <= 3]
    return len(items) >= 5 and len(short) >= 0.6 * len(items)
