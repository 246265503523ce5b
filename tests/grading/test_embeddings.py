"""The embedding model: real weights, hash-checked, normalised vectors."""

import shutil
from pathlib import Path

import pytest

from pmloop.errors import ModelIntegrityError
from pmloop.grading._embeddings import Embedder, model_file


def test_vectors_are_unit_length_and_meaningful() -> None:
    vectors = Embedder().embed(
        [
            "How would you evaluate a chatbot before launch?",
            "What checks would you run on an assistant before releasing it?",
            "My favourite pasta recipe uses fresh basil.",
        ]
    )
    assert vectors.shape == (3, 384)
    norms = (vectors**2).sum(axis=1) ** 0.5
    assert all(abs(n - 1) < 1e-4 for n in norms)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_a_tampered_model_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "model.onnx"
    shutil.copyfile(model_file(), copy)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    monkeypatch.setenv("PMLOOP_EMBEDDING_MODEL", str(copy))
    with pytest.raises(ModelIntegrityError, match="does not match its published sha256"):
        Embedder().embed(["anything"])


def test_a_missing_model_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelIntegrityError, match="cannot read"):
        Embedder(path=tmp_path / "absent.onnx").embed(["anything"])
