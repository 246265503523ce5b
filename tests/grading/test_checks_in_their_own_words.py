"""Sound answers written in the words of the substance checks, and attacks worded past them.

A fresh-eyes review wrote answers a strong or senior candidate would give, using the very phrases
a check keys on (a rate and its base, a problem kept back, options weighed before a call, a ramp
to 100 percent, a significance test), and attacks that argue the bad thing in other words. None
of the sound answers may carry the flag of the check it was written against; every attack must.
The cases are in ``data/checks_in_their_own_words.yaml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import pmloop

_CASES = yaml.safe_load(
    (Path(__file__).parent / "data" / "checks_in_their_own_words.yaml").read_text(encoding="utf-8")
)


def _flags(case: dict[str, Any]) -> set[str]:
    grade = pmloop.grade(case.get("question"), case["answer"], question_id=case.get("question_id"))
    return {flag.id.value for flag in grade.flags}


@pytest.mark.parametrize("case", _CASES["sound"], ids=[c["id"] for c in _CASES["sound"]])
def test_a_sound_answer_in_the_words_of_a_check_does_not_carry_its_flag(
    case: dict[str, Any],
) -> None:
    assert case["level"] >= 3
    assert case["flag"] not in _flags(case)


@pytest.mark.parametrize("case", _CASES["attacks"], ids=[c["id"] for c in _CASES["attacks"]])
def test_an_attack_worded_past_a_check_still_carries_its_flag(case: dict[str, Any]) -> None:
    assert case["level"] <= 2
    assert case["flag"] in _flags(case)


@pytest.mark.parametrize("case", _CASES["padding"], ids=[c["id"] for c in _CASES["padding"]])
def test_a_restated_answer_stays_padding_whatever_digits_it_carries(case: dict[str, Any]) -> None:
    # list numbers, the case's own figures written as digits and counts of the candidate's own
    # plan ("talk to 5 contacts") are not results worked out for the case
    grade = pmloop.grade(case.get("question"), case["answer"], question_id=case.get("question_id"))
    assert grade.level <= 2
    assert any(d.feature == "restates_itself" for d in grade.drivers)
