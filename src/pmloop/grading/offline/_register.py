"""Register: which of the bank's reference answers an answer reads most like.

Every bank question carries four reference answers, one written at each level. Generic process
talk ("align stakeholders, define success metrics, iterate") reads the same whatever the
question, so a surface answer sits close to surface references on *other* questions; concrete
mechanisms, quantities and decisions sit close to strong and senior ones. The register of an
answer is the similarity-weighted mean level of its nearest reference answers, by tf-idf cosine
over content stems, with the answer's own question left out.

Nothing here is fitted: the index is built from the bank alone, so a labeled set can measure it
without leaking into it. Length earns nothing, since cosine similarity ignores it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from pmloop.bank import Question
from pmloop.grading._text import content_stems, stem_idf, tfidf_vector
from pmloop.vocabulary import Level

__all__ = ["NEIGHBOURS", "PostingIndex", "Register", "RegisterIndex"]

#: How many nearest reference answers vote on the register.
NEIGHBOURS = 40
#: How much a closer reference outweighs a farther one: weight = exp(SHARPNESS * cosine).
SHARPNESS = 10.0
#: The register of an answer that shares no content word with any reference: no evidence either way.
NEUTRAL = 2.5
#: The same, for the vote among strong and senior references only.
NEUTRAL_LEAN = 3.5


class PostingIndex:
    """An inverted index over tf-idf documents (each a term-to-weight map), for scoring one
    vector against all of them at once.

    The postings are packed end to end, each term's run at (start, length): scoring gathers the
    vector's runs and sums them per document in one pass, in the same order (and so to the same
    floating-point sums) as a loop over the postings would.
    """

    def __init__(self, docs: Iterable[dict[str, float]]) -> None:
        # every posting flattened in document order, its term numbered by first appearance; a
        # stable sort by term then packs each term's run in document order (a cold start
        # builds several of these, so the per-posting work stays in numpy)
        numbers: dict[str, int] = {}
        terms: list[int] = []
        weights: list[float] = []
        sizes: list[int] = []
        for doc in docs:
            terms += [numbers.setdefault(term, len(numbers)) for term in doc]
            weights += doc.values()
            sizes.append(len(doc))
        self._count = len(sizes)
        term_array = np.array(terms, dtype=np.int64)
        order = np.argsort(term_array, kind="stable")
        doc_array = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        self._packed_docs = doc_array[order]
        self._packed_weights = np.array(weights, dtype=np.float64)[order]
        lengths = np.bincount(term_array, minlength=len(numbers))
        starts = np.cumsum(lengths) - lengths
        self._runs: dict[str, tuple[int, int]] = dict(
            zip(numbers, zip(starts.tolist(), lengths.tolist(), strict=True), strict=True)
        )

    def reached(self, weights: dict[str, float]) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any]]:
        """The documents sharing a term with ``weights``, in the order they are first reached,
        and the dot product of ``weights`` with each."""
        runs = [
            (self._runs[term], weight) for term, weight in weights.items() if term in self._runs
        ]
        if not runs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        starts = np.array([start for (start, _), _ in runs], dtype=np.int64)
        lengths = np.array([length for (_, length), _ in runs], dtype=np.int64)
        factors = np.array([weight for _, weight in runs], dtype=np.float64)
        # positions of every posting of every run, in run order
        ends = np.cumsum(lengths)
        positions = np.arange(int(ends[-1]), dtype=np.int64) + np.repeat(
            starts - ends + lengths, lengths
        )
        docs = self._packed_docs[positions]
        products = np.repeat(factors, lengths) * self._packed_weights[positions]
        sums = np.bincount(docs, weights=products, minlength=self._count)
        _, first = np.unique(docs, return_index=True)
        reached = docs[np.sort(first)]
        return reached, sums[reached]

    def scores(self, weights: dict[str, float]) -> dict[int, float]:
        """The dot product of ``weights`` with every document sharing a term with it, by
        document number, in the order the documents are first reached."""
        reached, sums = self.reached(weights)
        return dict(zip(reached.tolist(), sums.tolist(), strict=True))


@dataclass(frozen=True)
class Neighbour:
    """One reference answer that voted, with how close it is."""

    question_id: str
    level: Level
    similarity: float


@dataclass(frozen=True)
class Register:
    """The level an answer's wording reads at, 1.0 (below bar) to 4.0 (senior)."""

    level: float
    #: the same vote among strong and senior references only, 3.0 (strong) to 4.0 (senior)
    senior_lean: float
    neighbours: tuple[Neighbour, ...]
    #: content stems the answer shares with its closest references, most telling first
    shared: tuple[str, ...]

    @property
    def feature(self) -> float:
        """The register scaled to 0-1."""
        return (self.level - 1.0) / 3.0

    @property
    def lean_feature(self) -> float:
        """The senior lean scaled to 0-1."""
        return self.senior_lean - 3.0


@dataclass(frozen=True)
class _Doc:
    question_id: str
    level: Level
    weights: dict[str, float]


def reference_stems(questions: Iterable[Question]) -> list[tuple[str, Level, list[str]]]:
    """Each reference answer's content stems, in question and level order (what the index
    reads; the grader keeps them in its disk cache, so a cold start skips the stemming)."""
    return [
        (question.id, level, content_stems(question.references.at(level)))
        for question in questions
        for level in Level
    ]


class RegisterIndex:
    """A tf-idf index over the reference answers of a set of questions."""

    def __init__(
        self,
        questions: Iterable[Question],
        cached: Sequence[tuple[str, int, list[str]]] | None = None,
    ) -> None:
        """Index the references of ``questions``, or ``cached`` (``reference_stems`` of them)."""
        texts = (
            [(question_id, Level(level), words) for question_id, level, words in cached]
            if cached is not None
            else reference_stems(questions)
        )
        self._idf, self._unseen_idf = stem_idf([stems for _, _, stems in texts])
        self._docs: list[_Doc] = []
        for question_id, level, stems in texts:
            self._docs.append(_Doc(question_id, level, self._weigh(stems)))
        self._index = PostingIndex(doc.weights for doc in self._docs)
        # each reference's question (as a number) and level, by reference number
        self._numbers = {
            qid: n for n, qid in enumerate(dict.fromkeys(d.question_id for d in self._docs))
        }
        self._questions = np.array(
            [self._numbers[d.question_id] for d in self._docs], dtype=np.int64
        )
        self._levels = np.array([d.level.value for d in self._docs], dtype=np.int64)

    def __len__(self) -> int:
        return len(self._docs)

    def _weigh(self, stems: Iterable[str]) -> dict[str, float]:
        return tfidf_vector(stems, self._idf, self._unseen_idf)

    def read(self, answer: str, exclude: str | None = None) -> Register:
        """The register of ``answer``, leaving out the references of question ``exclude``."""
        weights = self._weigh(content_stems(answer))
        reached, similarities = self._index.reached(weights)
        if exclude is not None:
            keep = self._questions[reached] != self._numbers.get(exclude, -1)
            reached, similarities = reached[keep], similarities[keep]
        # closest first, a tie to the earlier reference
        order = np.lexsort((reached, -similarities))
        ranked = list(
            zip(
                similarities[order[:NEIGHBOURS]].tolist(),
                reached[order[:NEIGHBOURS]].tolist(),
                strict=True,
            )
        )
        if not ranked:
            return Register(NEUTRAL, NEUTRAL_LEAN, (), ())
        level = self._vote(ranked, NEUTRAL)
        # the same vote among strong and senior references only: does the answer read like the
        # strong way of getting it right, or the senior one?
        upper_order = order[self._levels[reached[order]] >= Level.STRONG.value][:NEIGHBOURS]
        upper = list(
            zip(similarities[upper_order].tolist(), reached[upper_order].tolist(), strict=True)
        )
        lean = self._vote(upper, NEUTRAL_LEAN) if upper else NEUTRAL_LEAN
        neighbours = tuple(
            Neighbour(self._docs[i].question_id, self._docs[i].level, round(s, 4))
            for s, i in ranked[:5]
        )
        shared: dict[str, float] = defaultdict(float)
        for _, index in ranked[:5]:
            for term, doc_weight in self._docs[index].weights.items():
                if term in weights:
                    shared[term] += weights[term] * doc_weight
        telling = sorted(shared, key=lambda term: (-shared[term], term))[:6]
        return Register(level, lean, neighbours, tuple(telling))

    def _vote(self, ranked: list[tuple[float, int]], neutral: float) -> float:
        """Similarity-weighted mean level of ``ranked``; missing voters vote ``neutral``."""
        # references that share nothing with the answer still vote, as the weakest neighbours
        votes = [(similarity, self._docs[index].level.value) for similarity, index in ranked]
        missing = float(NEIGHBOURS - len(votes))
        total = sum(math.exp(SHARPNESS * s) for s, _ in votes) + missing
        return (sum(math.exp(SHARPNESS * s) * v for s, v in votes) + missing * neutral) / total
