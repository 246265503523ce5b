"""Write the packaged bank's question and signal embeddings into the package, so a fresh home
needs none.

    .venv/bin/python scripts/ship_vectors.py

Run it after changing any question's text or any signal's label or paraphrases;
tests/grading/test_matching.py and tests/interview/test_near_duplicates.py fail until then.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from pmloop.bank import load_bank
from pmloop.grading._embeddings import MODEL_SHA256, default_embedder
from pmloop.grading._matching import SHIPPED_VECTORS, texts_hash
from pmloop.grading._similar import SHIPPED_SIGNALS, signal_centroids, signal_texts

DATA = Path(__file__).resolve().parents[1] / "src" / "pmloop" / "grading" / "data"


def main() -> int:
    bank = load_bank()
    texts = [q.text for q in bank]
    vectors = default_embedder().embed(texts).astype(np.float32)
    with (DATA / SHIPPED_VECTORS).open("wb") as out:
        np.save(out, vectors, allow_pickle=False)
    meta = {"texts": texts_hash(texts), "model": MODEL_SHA256, "questions": len(texts)}
    (DATA / "bank_vectors.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(texts)} question embeddings to {DATA / SHIPPED_VECTORS}")
    signals = signal_centroids(bank, default_embedder()).astype(np.float16)
    with (DATA / SHIPPED_SIGNALS).open("wb") as out:
        np.save(out, signals, allow_pickle=False)
    key = texts_hash([text for _, text in signal_texts(bank)])
    meta = {"texts": key, "model": MODEL_SHA256, "signals": int(signals.shape[0])}
    (DATA / "signal_vectors.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {signals.shape[0]} signal embeddings to {DATA / SHIPPED_SIGNALS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
