"""Match rubric signals to the sentences of an answer.

A signal is met when one sentence (or two adjacent ones) covers enough of one of its paraphrases,
weighted by how rare each word is across the rubric. Synonyms are folded into shared concepts
first, so the plain-words way of saying a thing meets the jargon way.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pmloop.grading._lexicon import concepts
from pmloop.grading._text import Span, content_stems
from pmloop.vocabulary import Competency

__all__ = ["SignalMatch", "SignalMatcher", "SignalSpec", "build_idf", "text_concepts"]

#: Share of a paraphrase's (rarity-weighted) words a sentence must cover to show the signal.
MATCH_THRESHOLD = 0.42
#: Fewest distinct shared words for a match, so one rare word cannot carry it alone.
MIN_SHARED = 2
#: Rarity-weighted overlap that shows a signal however long the paraphrase is: several
#: informative words in common say the same thing even when the paraphrase says more.
ABSOLUTE_OVERLAP = 20.0


@dataclass(frozen=True)
class SignalSpec:
    """A rubric signal as the grader sees it, from a bank question or a competency rubric."""

    id: str
    label: str
    level: str
    why_it_matters: str
    paraphrases: tuple[str, ...]
    competency: Competency | None = None
    patterns: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class SignalMatch:
    """Whether the answer shows a signal, how closely, and the sentences that show it."""

    spec: SignalSpec
    met: bool
    score: float
    quotes: tuple[Span, ...]


@lru_cache(maxsize=1024)
def text_concepts(text: str) -> frozenset[str]:
    """Concept tokens of a text: content-word stems with synonyms folded together (the last
    texts kept: one grade reads the answer's and the question's concepts several times)."""
    return frozenset(concepts(text, content_stems(text)))


def build_idf(documents: Iterable[str]) -> dict[str, float]:
    """Inverse document frequency of each concept token over ``documents``."""
    counts: Counter[str] = Counter()
    total = 0
    for document in documents:
        counts.update(text_concepts(document))
        total += 1
    return {token: math.log((1 + total) / (1 + n)) + 1.0 for token, n in counts.items()}


@dataclass(frozen=True)
class _Variant:
    tokens: frozenset[str]
    weight: float


class SignalMatcher:
    """Finds which of a fixed set of signals an answer shows."""

    def __init__(self, specs: Sequence[SignalSpec], idf: dict[str, float]) -> None:
        self.specs = tuple(specs)
        self._idf = idf
        self._default_idf = max(idf.values(), default=1.0)
        self._variants: list[list[_Variant]] = []
        for spec in self.specs:
            variants = []
            for text in (spec.label, *spec.paraphrases):
                tokens = text_concepts(text)
                if tokens:
                    variants.append(_Variant(tokens, math.fsum(self._w(t) for t in tokens)))
            self._variants.append(variants)

    def _w(self, token: str) -> float:
        return self._idf.get(token, self._default_idf)

    def match(
        self, sentences: Sequence[Span], tokens: Sequence[frozenset[str]]
    ) -> list[SignalMatch]:
        """Score every signal against every sentence and adjacent pair of sentences."""
        windows: list[tuple[tuple[Span, ...], frozenset[str]]] = [
            ((span,), toks) for span, toks in zip(sentences, tokens, strict=True)
        ]
        windows += [
            ((sentences[i], sentences[i + 1]), tokens[i] | tokens[i + 1])
            for i in range(len(sentences) - 1)
        ]
        results = []
        for spec, variants in zip(self.specs, self._variants, strict=True):
            best_score: float = 0.0
            best_window: tuple[Span, ...] = ()
            for window, window_tokens in windows:
                for variant in variants:
                    shared = variant.tokens & window_tokens
                    if len(shared) < MIN_SHARED:
                        continue
                    overlap = math.fsum(self._w(t) for t in shared)  # exact: sets iterate by hash
                    score = max(
                        overlap / variant.weight, MATCH_THRESHOLD * overlap / ABSOLUTE_OVERLAP
                    )
                    # a two-sentence window must beat a single sentence clearly to be preferred
                    if len(window) == 2:
                        score *= 0.9
                    if score > best_score:
                        best_score, best_window = score, window
            if best_score < MATCH_THRESHOLD and spec.patterns:
                for span in sentences:
                    if any(p.search(span.text) for p in spec.patterns):
                        best_score, best_window = 1.0, (span,)
                        break
            met = best_score >= MATCH_THRESHOLD
            results.append(SignalMatch(spec, met, round(best_score, 3), best_window if met else ()))
        return results
