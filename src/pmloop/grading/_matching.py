"""Resolve what was asked: a bank id, a bank question's exact text, or any pasted question.

A pasted question is embedded and compared with every bank question. Close enough, it is graded
with that question's rubric; otherwise its competencies are inferred from its nearest bank
questions and it is graded with the competency-level rubric. The bank's embeddings are cached on
disk, keyed by the bank's content hash and the model's hash, so a cold process does not
re-embed the bank.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmloop.bank import Bank, Question
from pmloop.config import cache_dir
from pmloop.grading._embeddings import MODEL_SHA256, Embedder, default_embedder
from pmloop.grading._lexicon import COMPETENCY_CUES
from pmloop.vocabulary import Competency

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["MATCH_THRESHOLD", "QuestionContext", "QuestionResolver", "load_derived"]

#: Cosine similarity above which a pasted question is taken to be the bank question.
MATCH_THRESHOLD = 0.80
_NEIGHBOURS = 7
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class QuestionContext:
    """The question an answer is graded against, after matching it to the bank."""

    text: str
    question: Question | None
    similarity: float | None
    competencies: tuple[Competency, ...]
    #: the follow-up the answer replies to, when it is not the question itself
    follow_up: str | None = None


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text.strip().lower()).rstrip(" ?.!")


class QuestionResolver:
    """Turns a bank id or a question text into a ``QuestionContext``."""

    def __init__(
        self,
        bank: Bank,
        embedder: Callable[[], Embedder] = default_embedder,
        cache: Path | None = None,
        shipped: bool = True,
    ) -> None:
        self.bank = bank
        self._embedder = embedder
        self._cache = cache
        self._shipped = shipped
        self._vectors: npt.NDArray[np.float32] | None = None
        self._exact = {_normal(q.text): q for q in bank}
        self._seen: dict[str, QuestionContext] = {}

    def by_id(self, question_id: str) -> QuestionContext:
        """The bank question with this id (unknown ids raise with suggestions)."""
        question = self.bank.get(question_id)
        return QuestionContext(question.text, question, 1.0, tuple(question.competencies))

    def resolve(self, text: str) -> QuestionContext:
        """Match ``text`` to the bank, or infer its competencies when nothing is close."""
        key = _normal(text)
        if key in self._seen:
            return self._seen[key]
        exact = self._exact.get(key)
        if exact is not None:
            context = QuestionContext(text.strip(), exact, 1.0, tuple(exact.competencies))
        else:
            context = self._nearest(text.strip())
        self._seen[key] = context
        return context

    def _nearest(self, text: str) -> QuestionContext:
        import numpy as np

        vectors = self.bank_vectors()
        query = self._query_vector(text)
        sims = vectors @ query
        order = np.argsort(-sims)
        best = int(order[0])
        similarity = round(float(sims[best]), 4)
        if similarity >= MATCH_THRESHOLD:
            question = self.bank.questions[best]
            return QuestionContext(text, question, similarity, tuple(question.competencies))
        votes: dict[Competency, float] = {}
        for index in order[:_NEIGHBOURS]:
            neighbour = self.bank.questions[int(index)]
            weight = max(float(sims[index]), 0.0) ** 2
            votes[neighbour.primary] = votes.get(neighbour.primary, 0.0) + weight
            for secondary in neighbour.secondary:
                votes[secondary] = votes.get(secondary, 0.0) + 0.35 * weight
        total = sum(votes.values()) or 1.0
        shares = {c: v / total for c, v in votes.items()}
        # the words of the question count as much as its neighbours do
        cues = {c: len(p.findall(text)) for c, p in COMPETENCY_CUES.items()}
        cue_total = sum(cues.values())
        if cue_total:
            for competency, count in cues.items():
                shares[competency] = shares.get(competency, 0.0) + count / cue_total
        ranked = sorted(shares.items(), key=lambda item: -item[1])
        total = sum(v for _, v in ranked) or 1.0
        chosen = [ranked[0][0]] + [c for c, v in ranked[1:3] if v / total >= 0.15]
        return QuestionContext(text, None, similarity, tuple(chosen))

    def _query_vector(self, text: str) -> npt.NDArray[np.float32]:
        """The embedding of a pasted question. With the packaged model it is kept on disk, keyed
        by the model and the exact text: the same question pasted again is matched without
        loading the model (most of a cold grade's time), and to the same vector."""
        if self._embedder is not default_embedder:
            fresh: npt.NDArray[np.float32] = self._embedder().embed([text])[0]
            return fresh

        import hashlib

        import numpy as np

        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        path = (self._cache or cache_dir()) / f"query-{MODEL_SHA256[:12]}" / f"{digest}.npy"
        try:
            loaded: npt.NDArray[np.float32] = np.load(path, allow_pickle=False)
            if loaded.ndim == 1 and loaded.dtype == np.float32:
                return loaded
        except (OSError, ValueError):
            pass  # missing or damaged: embed afresh
        query: npt.NDArray[np.float32] = self._embedder().embed([text])[0]
        buffer = io.BytesIO()
        np.save(buffer, query, allow_pickle=False)
        _write_atomically(path, buffer.getvalue())
        return query

    def bank_vectors(self) -> npt.NDArray[np.float32]:
        """Embeddings of every bank question's text, from the disk cache when it is fresh."""
        if self._vectors is not None:
            return self._vectors
        import numpy as np

        texts = [q.text for q in self.bank]
        key = texts_hash(texts)
        folder = self._cache or cache_dir()
        path = folder / f"bank-{key[:20]}-{MODEL_SHA256[:12]}.npy"
        vectors: npt.NDArray[np.float32] | None = (
            _shipped_vectors(key, len(texts)) if self._shipped else None
        )
        if vectors is None and path.exists():
            try:
                loaded = np.load(path, allow_pickle=False)
                if loaded.shape[0] == len(self.bank):
                    vectors = loaded.astype(np.float32, copy=False)
            except (OSError, ValueError):
                vectors = None  # a damaged cache is rebuilt, never trusted
        if vectors is None:
            vectors = self._embedder().embed(texts)
            buffer = io.BytesIO()
            np.save(buffer, vectors, allow_pickle=False)
            _write_atomically(path, buffer.getvalue())
        self._vectors = vectors
        return vectors


#: The packaged bank's question embeddings ship with pmloop (scripts/ship_vectors.py writes
#: them), so a fresh home grades a pasted question without embedding the bank first.
SHIPPED_VECTORS = "bank_vectors.npy"


def texts_hash(texts: list[str]) -> str:
    """The key of a bank's question embeddings: its question texts, in order."""
    import hashlib

    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()


def _shipped_vectors(key: str, count: int) -> npt.NDArray[np.float32] | None:
    import numpy as np

    folder = resources.files("pmloop.grading").joinpath("data")
    try:
        meta = json.loads(folder.joinpath("bank_vectors.json").read_text(encoding="utf-8"))
        if meta.get("texts") != key or meta.get("model") != MODEL_SHA256:
            return None
        with folder.joinpath(SHIPPED_VECTORS).open("rb") as handle:
            loaded = np.load(handle, allow_pickle=False)
    except (OSError, ValueError, KeyError):
        return None
    if loaded.shape[0] != count:
        return None
    vectors: npt.NDArray[np.float32] = loaded.astype(np.float32, copy=False)
    return vectors


def load_derived(
    name: str, build: Callable[[], dict[str, Any]], keys: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Data built from the bank alone, read from the cache folder or built and saved there.

    ``name`` must change whenever the bank or the code that builds it changes (it carries the
    bank's content hash and the grader's rules hash). A damaged file is rebuilt, never trusted;
    a read-only home only costs the rebuild.
    """
    path = cache_dir() / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and all(key in data for key in keys):
            return data
    except (OSError, ValueError):
        pass
    from pmloop._coldstart import announce_build

    announce_build()
    data = build()
    _write_atomically(path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
    return data


def _write_atomically(path: Path, content: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temp, path)
    except OSError:
        pass  # the cache is an optimisation; a read-only home must not stop grading
