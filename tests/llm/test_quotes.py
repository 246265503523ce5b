"""The quote contract for a model's quotes: kept, snapped to the verbatim span, or dropped."""

from __future__ import annotations

import pytest

from pmloop.grading.llm import check_quote

ANSWER = (
    "We shipped the new model for text documents the next week.\n"
    "We kept  spreadsheets on the old one until a fix brought the invented-number rate down, "
    "which took five weeks — longer than “planned”."
)


@pytest.mark.parametrize(
    ("quote", "status", "expected"),
    [
        ("We shipped the new model", "kept", "We shipped the new model"),
        ("  We shipped the new model  ", "kept", "We shipped the new model"),
        ('"We shipped the new model"', "snapped", "We shipped the new model"),
        ("we kept spreadsheets on the old one", "snapped", "We kept  spreadsheets on the old one"),
        (
            'which took five weeks - longer than "planned"',
            "snapped",
            "which took five weeks — longer than “planned”",
        ),
        (
            "We shipped the new model for text files the next week",
            "snapped",
            "We shipped the new model for text documents the next week",
        ),
        ("We rebuilt the whole evaluation pipeline in one weekend", "dropped", None),
        ("five months", "dropped", None),
        ("", "dropped", None),
        ("...", "dropped", None),
    ],
)
def test_quotes_are_kept_snapped_or_dropped(quote: str, status: str, expected: str | None) -> None:
    check = check_quote(ANSWER, quote)
    assert (check.status, check.quote) == (status, expected)
    if check.quote is not None:
        assert check.quote in ANSWER
