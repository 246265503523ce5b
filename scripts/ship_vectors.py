"""Write the packaged bank's question embeddings into the package, so a fresh home needs none.

    .venv/bin/python scripts/ship_vectors.py

Run it after changing any question's text; tests/grading/test_matching.py fails until then.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from pmloop.bank import load_bank
from pmloop.grading._embeddings import MODEL_SHA256, default_embedder
from pmloop.grading._matching import SHIPPED_VECTORS, texts_hash

DATA = Path(__file__).resolve().parents[1] / "src" / "pmloop" / "grading" / "data"


def main() -> int:
    texts = [q.text for q in load_bank()]
    vectors = default_embedder().embed(texts).astype(np.float32)
    with (DATA / SHIPPED_VECTORS).open("wb") as out:
        np.save(out, vectors, allow_pickle=False)
    meta = {"texts": texts_hash(texts), "model": MODEL_SHA256, "questions": len(texts)}
    (DATA / "bank_vectors.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(texts)} question embeddings to {DATA / SHIPPED_VECTORS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
