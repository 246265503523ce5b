"""Pasted questions are matched to the bank; the bank's embeddings are cached on disk."""

from pathlib import Path

import numpy as np
import pytest

from pmloop.bank import Bank
from pmloop.grading import MATCH_THRESHOLD, QuestionResolver
from pmloop.grading._embeddings import Embedder, default_embedder


class CountingEmbedder:
    """Wraps the real embedder and counts how many texts it was asked to embed."""

    def __init__(self) -> None:
        self.real = default_embedder()
        self.texts = 0

    def embed(self, texts: list[str]):  # type: ignore[no-untyped-def]
        self.texts += len(texts)
        return self.real.embed(texts)


def _resolver(
    bank: Bank, cache: Path, counter: CountingEmbedder, shipped: bool = False
) -> QuestionResolver:
    return QuestionResolver(bank, embedder=lambda: counter, cache=cache, shipped=shipped)  # type: ignore[arg-type, return-value]


def test_exact_text_needs_no_model(bank: Bank, tmp_path: Path) -> None:
    counter = CountingEmbedder()
    question = bank.get("drive-thru-voice-latency-vs-larger-model")
    context = _resolver(bank, tmp_path, counter).resolve("  " + question.text.upper() + " ")
    assert context.question == question and context.similarity == 1.0
    assert counter.texts == 0


def test_a_reworded_question_matches_and_reports_similarity(bank: Bank, tmp_path: Path) -> None:
    context = _resolver(bank, tmp_path, CountingEmbedder()).resolve(
        "How would you evaluate a new LLM feature before launch?"
    )
    assert context.question is not None
    assert context.question.id == "eval-new-llm-feature-before-launch"
    assert context.similarity is not None and MATCH_THRESHOLD <= context.similarity < 1.0


def test_an_unrelated_question_gets_inferred_competencies(bank: Bank, tmp_path: Path) -> None:
    context = _resolver(bank, tmp_path, CountingEmbedder()).resolve(
        "How would you explain model uncertainty to a product designer on your team?"
    )
    assert context.question is None
    assert context.similarity is not None and context.similarity < MATCH_THRESHOLD
    assert context.competencies[0].value == "cross_functional_influence"


def test_bank_embeddings_are_cached_by_content_hash(bank: Bank, tmp_path: Path) -> None:
    first = CountingEmbedder()
    _resolver(bank, tmp_path, first).resolve("What would you measure for a voice ordering bot?")
    assert first.texts == len(bank) + 1
    assert [p.name for p in tmp_path.glob("bank-*.npy")] != []

    second = CountingEmbedder()
    _resolver(bank, tmp_path, second).resolve("What would you measure for a voice ordering bot?")
    assert second.texts == 1  # only the pasted question


def test_a_damaged_cache_is_rebuilt(bank: Bank, tmp_path: Path) -> None:
    _resolver(bank, tmp_path, CountingEmbedder()).bank_vectors()
    (cache,) = tmp_path.glob("bank-*.npy")
    cache.write_bytes(b"not numpy")
    counter = CountingEmbedder()
    vectors = _resolver(bank, tmp_path, counter).bank_vectors()
    assert vectors.shape == (len(bank), 384) and counter.texts == len(bank)


def test_embedder_type_is_reused() -> None:
    assert isinstance(default_embedder(), Embedder)
    assert default_embedder() is default_embedder()


def test_the_packaged_banks_embeddings_ship_and_are_current(bank: Bank, tmp_path: Path) -> None:
    """A fresh home embeds only the pasted question (scripts/ship_vectors.py keeps them current)."""
    counter = CountingEmbedder()
    resolver = _resolver(bank, tmp_path, counter, shipped=True)
    shipped = resolver.bank_vectors()
    assert counter.texts == 0, "run scripts/ship_vectors.py: the bank's question texts changed"
    assert list(tmp_path.glob("bank-*.npy")) == []
    fresh = _resolver(bank, tmp_path, CountingEmbedder()).bank_vectors()
    assert np.allclose(shipped, fresh, atol=1e-3)


def test_a_pasted_question_seen_before_is_matched_without_the_model(
    bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "How would you evaluate a new LLM feature before launch?"
    first = QuestionResolver(bank, cache=tmp_path).resolve(text)
    (stored,) = tmp_path.glob("query-*/*.npy")

    # a new process (a new resolver) matches the same text from the disk: the model never runs
    def refuse(self: Embedder, texts: list[str]) -> object:
        raise AssertionError(f"the model was asked to embed {texts}")

    monkeypatch.setattr(Embedder, "embed", refuse)
    again = QuestionResolver(bank, cache=tmp_path).resolve(text)
    assert (again.question, again.similarity) == (first.question, first.similarity)
    # another wording is not served from it
    with pytest.raises(AssertionError, match="the model was asked"):
        QuestionResolver(bank, cache=tmp_path).resolve(text + " Be specific.")
    monkeypatch.undo()

    # a damaged file is embedded afresh and rewritten, never trusted
    stored.write_bytes(b"not an array")
    fixed = QuestionResolver(bank, cache=tmp_path).resolve(text)
    assert (fixed.question, fixed.similarity) == (first.question, first.similarity)
    assert np.load(stored).shape == (384,)
