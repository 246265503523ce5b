"""How alike two bank questions are, so a loop never holds two near-duplicates.

Two questions can read differently and test the same thing: two agents whose steps compound to
71 percent end to end, asked about in different words. Their question texts are far apart; what
gives them away is a rubric signal they share. So the similarity of two questions is the larger
of the cosine of their question texts (the embeddings the resolver already has) and the closest
pair of their rubric signals, each signal embedded as the mean of its label and paraphrases.
The packaged bank's signal embeddings ship with pmloop; another bank's are cached on disk.
"""

from __future__ import annotations

import io
import json
from importlib import resources
from typing import TYPE_CHECKING

from pmloop.bank import Bank, Question
from pmloop.config import cache_dir
from pmloop.grading._embeddings import MODEL_SHA256
from pmloop.grading._matching import QuestionResolver, _write_atomically, texts_hash

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "NEAR_DUPLICATE",
    "SHIPPED_SIGNALS",
    "QuestionSimilarity",
    "signal_texts",
    "texts_hash_of_signals",
]

#: Questions this alike (cosine) are near-duplicates: a loop holds at most one of them.
NEAR_DUPLICATE = 0.72
SHIPPED_SIGNALS = "signal_vectors.npy"


def signal_texts(bank: Bank) -> list[tuple[int, str]]:
    """(signal number, text) for every signal's label and paraphrases, in bank order."""
    out: list[tuple[int, str]] = []
    number = 0
    for question in bank:
        for signal in question.signals:
            out += [(number, text) for text in (signal.label, *signal.paraphrases)]
            number += 1
    return out


def texts_hash_of_signals(bank: Bank) -> str:
    """The key of a bank's signal embeddings: every signal text, in order."""
    return texts_hash([text for _, text in signal_texts(bank)])


def signal_centroids(bank: Bank, embed: object) -> npt.NDArray[np.float32]:
    """One unit vector per signal: the mean of its label's and paraphrases' embeddings."""
    import numpy as np

    pairs = signal_texts(bank)
    vectors = embed.embed([text for _, text in pairs])  # type: ignore[attr-defined]
    owners = np.array([n for n, _ in pairs])
    count = int(owners.max()) + 1 if len(owners) else 0
    centroids = np.zeros((count, vectors.shape[1]), dtype=np.float32)
    np.add.at(centroids, owners, vectors)
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
    return centroids


class QuestionSimilarity:
    """``similarity(a, b)``: how alike two questions of the resolver's bank are (cosine)."""

    def __init__(self, resolver: QuestionResolver) -> None:
        self.resolver = resolver
        self.bank = resolver.bank
        self._index = {q.id: i for i, q in enumerate(self.bank)}
        rows: list[int] = []
        for question in self.bank:
            rows.append(len(question.signals))
        self._starts = [sum(rows[:i]) for i in range(len(rows))]
        self._counts = rows
        self._signals: npt.NDArray[np.float32] | None = None

    def _signal_vectors(self) -> npt.NDArray[np.float32]:
        if self._signals is not None:
            return self._signals
        import numpy as np

        key = texts_hash_of_signals(self.bank)
        vectors = _shipped(key)
        path = cache_dir() / f"signals-{key[:20]}-{MODEL_SHA256[:12]}.npy"
        if vectors is None and path.exists():
            try:
                vectors = np.load(path, allow_pickle=False).astype(np.float32)
            except (OSError, ValueError):
                vectors = None  # a damaged cache is rebuilt, never trusted
        if vectors is None or vectors.shape[0] != sum(self._counts):
            vectors = signal_centroids(self.bank, self.resolver._embedder())
            buffer = io.BytesIO()
            np.save(buffer, vectors.astype(np.float16), allow_pickle=False)
            _write_atomically(path, buffer.getvalue())
        self._signals = vectors
        return vectors

    def __call__(self, a: Question, b: Question) -> float:
        """The larger of the question-text cosine and the closest pair of rubric signals."""
        i, j = self._index[a.id], self._index[b.id]
        texts = self.resolver.bank_vectors()
        text = float(texts[i] @ texts[j])
        signals = self._signal_vectors()
        block = (
            signals[self._starts[i] : self._starts[i] + self._counts[i]]
            @ signals[self._starts[j] : self._starts[j] + self._counts[j]].T
        )
        return max(text, float(block.max()) if block.size else 0.0)


def _shipped(key: str) -> npt.NDArray[np.float32] | None:
    import numpy as np

    folder = resources.files("pmloop.grading").joinpath("data")
    try:
        meta = json.loads(folder.joinpath("signal_vectors.json").read_text(encoding="utf-8"))
        if meta.get("texts") != key or meta.get("model") != MODEL_SHA256:
            return None
        with folder.joinpath(SHIPPED_SIGNALS).open("rb") as handle:
            loaded = np.load(handle, allow_pickle=False)
    except (OSError, ValueError, KeyError):
        return None
    vectors: npt.NDArray[np.float32] = loaded.astype(np.float32)
    return vectors
