"""Write pmloop's list of common passwords from the ranked list in the zxcvbn package.

    pip download --no-deps -d /tmp/zx zxcvbn && unzip -q -o /tmp/zx/zxcvbn-*.whl -d /tmp/zx
    .venv/bin/python scripts/common_passwords.py /tmp/zx/zxcvbn/frequency_lists.py

zxcvbn (MIT licence) ranks 30,000 leaked passwords by frequency. This keeps the 5,000 most
common, and every one of the 30,000 that is long enough to pass pmloop's length rule,
lower-cased, one per line, in ``src/pmloop/store/data/common_passwords.txt``; pmloop reads that
file and nothing else, offline. The package's file is parsed, never imported.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

KEEP = 5000
LONG = 10  # pmloop's shortest allowed password: every listed one this long is kept
OUT = Path(__file__).resolve().parent.parent / "src/pmloop/store/data/common_passwords.txt"
HEADER = f"""\
# Common passwords, most common first, lower-cased: the {KEEP:,} most common, then every other
# one of at least {LONG} characters. pmloop refuses them, and them with only digits or symbols
# added before or after. Taken from the ranked 'passwords' frequency list of the zxcvbn package
# (MIT licence, Copyright (c) 2016 Daniel Wolf) by scripts/common_passwords.py.
"""


def ranked_passwords(frequency_lists: Path) -> list[str]:
    """The 'passwords' list of zxcvbn's frequency_lists.py, most common first."""
    tree = ast.parse(frequency_lists.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "passwords":
                    return _words(value)
    raise SystemExit(f"{frequency_lists}: no 'passwords' list found")


def _words(value: ast.expr) -> list[str]:
    """A list literal, a comma-separated string, or ``"...".split(",")``."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        value = value.func.value
    found = ast.literal_eval(value)
    return found.split(",") if isinstance(found, str) else [str(w) for w in found]


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: common_passwords.py PATH/TO/zxcvbn/frequency_lists.py")
    kept: dict[str, None] = {}  # ordered, without repeats
    for rank, word in enumerate(ranked_passwords(Path(sys.argv[1]))):
        word = word.strip().lower()
        if word and word.isprintable() and (rank < KEEP or len(word) >= LONG):
            kept.setdefault(word)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(HEADER + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"wrote {len(kept)} passwords to {OUT}")


if __name__ == "__main__":
    main()
