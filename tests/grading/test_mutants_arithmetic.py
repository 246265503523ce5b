"""Stated arithmetic, kind by kind: a wrong sum is named with the right figure, a right one passes.

Written from a mutation run (benchmarks/mutation.py): only the before-after-change form had a
test, so a product, a share, a percentage of a base or a monthly cost read as a yearly one could
have stopped being checked, or been checked against the wrong figure, with every test passing.
An ``arithmetic`` flag holds an answer at surface, so both directions matter.
"""

import pytest

from pmloop.grading._text import split_sentences
from pmloop.grading.offline._substance import check_arithmetic


def _problem(text: str) -> str | None:
    hits = check_arithmetic(split_sentences(text))
    assert len(hits) <= 1
    return hits[0].explanation.split(";")[0] if hits else None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # a product: within 12 percent is fine
        ("40k calls times $0.02 is $890.", None),
        ("40k calls times $0.02 is $910.", "40k times $0.02 is 800, not $910"),
        ("40k calls times $0.02 is $8,000.", "40k times $0.02 is 800, not $8,000"),
        (
            "1.5 million users times 3 sessions is 45 million sessions.",
            "1.5 million times 3 is 4.5 million, not 45 million",
        ),
        ("1.5 million users times 3 sessions is 4.5 million sessions.", None),
        (
            "Serving 2,000 tickets times $0.05 is $1,000 a day.",
            "2,000 times $0.05 is 100, not $1,000",
        ),
        # a share of a count: within 15 percent of the share is fine
        ("10 of 100 is 11.4 percent.", None),
        ("10 of 100 is 11.6 percent.", "10 of 100 is 10 percent, not 11.6 percent"),
        ("30 of 400 is 15 percent.", "30 of 400 is 7.5 percent, not 15 percent"),
        ("400 of 30 is 15 percent.", None),  # more than the whole: not a share
        ("30 of 0 is 15 percent.", None),
        # a percentage of a base
        ("0.6 percent of 2 million tasks is 12,000 tasks.", None),
        (
            "0.6 percent of 2 million tasks is 1,200 tasks.",
            "0.6 percent of 2 million is 12,000, not 1,200",
        ),
        ("150 percent of 20 is 3.", None),  # a rate over 100 is a growth figure, not a share
        # a daily or monthly amount and its yearly total
        ("It costs $2,000 a month, or $24,000 a year.", None),
        ("It costs $1,000 a month, or $11,500 a year.", None),
        (
            "It costs $1,000 a month, or $10,500 a year.",
            "$1,000 a month is not $10,500 a year (it is about 12,000)",
        ),
        ("It costs $100 a day, or $36,500 a year.", None),
        ("It costs $100 a day, or $25,000 a year.", None),  # working days
        (
            "It costs $100 a day, which is $50,000 a year.",
            "$100 a day is not $50,000 a year (it is about 36,500)",
        ),
    ],
)
def test_each_kind_of_sum_is_checked_with_the_right_figure(text: str, problem: str | None) -> None:
    assert _problem(text) == problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Cost went from $10 to $15, a 46 percent increase.", None),
        (
            "Cost went from $10 to $15, a 44 percent increase.",
            "$10 to $15 is a 50 percent change, not 44 percent",
        ),
        ("Cost fell by 50 percent, from $10 to $5.", None),
        (
            "Cost fell by 30 percent, from $10 to $5.",
            "$10 to $5 is a 50 percent change, not 30 percent",
        ),
        # a small change: within two points of the relative change
        ("Errors went from 100 to 104, a 5.9 percent rise.", None),
        (
            "Errors went from 100 to 104, a 6.1 percent rise.",
            "100 to 104 is a 4 percent change, not 6.1 percent",
        ),
        # percentages may change by points
        ("Accuracy went from 89 to 95 percent, a 6 percent gain.", None),
        ("Accuracy went from 20 to 30 percent, a 10 percent gain.", None),
        (
            "Accuracy went from 20 to 30 percent, a 11.5 percent gain.",
            "20 to 30 percent is a 50 percent change, not 11.5 percent",
        ),
        (
            "Costs went from $20 to $30, a 10 percent gain.",
            "$20 to $30 is a 50 percent change, not 10 percent",
        ),
        ("Accuracy went from 80 to 90 percent, a 11 percent gain.", None),
        (
            "Accuracy went from 80 to 90 percent, a 15 percent gain.",
            "80 to 90 percent is a 12 percent change, not 15 percent",
        ),
        # units: plural and singular are one unit, "percent", "per cent" and "%" are one unit,
        # and a scale word multiplies
        (
            "Latency fell from 2 seconds to 1 second, a 30 percent cut.",
            "2 seconds to 1 second is a 50 percent change, not 30 percent",
        ),
        (
            "Churn went from 20 percent to 30%, a 15 percent gain.",
            "20 percent to 30% is a 50 percent change, not 15 percent",
        ),
        ("Churn went from 20 percent to 30%, a 10 percent gain.", None),
        ("Churn went from 20 per cent to 30 per cent, a 10 percent gain.", None),
        ("Signups went from 2k to 2,500, a 25 percent rise.", None),
        (
            "Signups went from 2k to 2,500, a 60 percent rise.",
            "2k to 2,500 is a 25 percent change, not 60 percent",
        ),
        # nothing to compare: different units, no change, no base
        ("Latency went from 1.3 s to 2,400 ms, a 50 percent increase.", None),
        ("Cost went from $10 to $10, a 44 percent increase.", None),
        ("Cost went from $0 to $15, a 44 percent increase.", None),
    ],
)
def test_a_stated_change_is_checked_against_its_before_and_after(
    text: str, problem: str | None
) -> None:
    assert _problem(text) == problem


def test_the_flag_quotes_the_sentence_and_says_why_it_costs() -> None:
    text = "We serve many teams. 30 of 400 is 15 percent. That is fine."
    hits = check_arithmetic(split_sentences(text))
    assert [h.flag.value for h in hits] == ["arithmetic"]
    assert hits[0].sentence.text == "30 of 400 is 15 percent."
    assert text[hits[0].sentence.start : hits[0].sentence.end] == hits[0].sentence.text
    assert hits[0].explanation == (
        "30 of 400 is 7.5 percent, not 15 percent; numbers that do not add up earn no credit "
        "and invite the next question."
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # a sum written out: exact to its last digit, or within 5 percent when said "about"
        ("Blended: 0.6 × 90 + 0.4 × 70 = 82 percent.", None),
        (
            "Blended: 0.6 × 90 + 0.4 × 70 = 85 percent.",
            "0.6 × 90 + 0.4 × 70 is 82, not 85",
        ),
        ("So 1,200 × 25 = 30K a month.", None),
        ("So 1,240 × 25 = about 30K a month.", None),
        ("$2.4 million minus $900,000 minus $300,000 is $1.2 million.", None),
        (
            "$2.4 million minus $900,000 minus $300,000 is $1.5 million.",
            "$2.4 million minus $900,000 minus $300,000 is 1.2 million, not $1.5 million",
        ),
        ("25% × 8,000 = 2,000 reviews.", None),
        ("25% × 8,000 = 20,000 reviews.", "25 percent of 8,000 is 2,000, not 20,000"),
        ("The team is on call 24/7 is 100 percent of the time.", None),  # not a division
        # a count times an amount each, across units of time
        ("9,000 reviews at 40 seconds each is 100 hours.", None),
        (
            "9,000 reviews at 40 seconds each is 60 hours.",
            "9,000 at 40 seconds each is 100 hours, not 60",
        ),
        ("500 seats at $30 each is $15,000.", None),
        # a share of a count, carried on in the same sentence
        ("800,000 riders, about 15 percent of them at night, so 120,000 trips.", None),
        (
            "800,000 riders, about 15 percent of them at night, so 150,000 trips.",
            "15 percent of 800,000 is 120,000, not 150,000",
        ),
        # a weekly amount and its monthly total
        ("That's 600 escalations weekly, or 2,600 a month.", None),
        (
            "That's 600 escalations weekly, or 3,600 a month.",
            "600 a week is not 3,600 a month (it is about 2,610)",
        ),
        # a change said before its numbers, or with a unit between them
        ("Reading speed should rise 20 percent, from 80 to 96 words.", None),
        (
            "Reading speed should rise 15 percent, from 80 to 96 words.",
            "80 to 96 is a 20 percent change, not 15 percent",
        ),
        ("Tickets went from 2,000 a week to 2,500, that's the 25 percent rise.", None),
        (
            "Tickets went from 2,000 a week to 2,500, that's the 40 percent rise.",
            "2,000 to 2,500 is a 25 percent change, not 40 percent",
        ),
        ("That's 250 refunds at about $30 each, so $7,500 a month.", None),
        (
            "That's 250 refunds at about $30 each, so $750 a month.",
            "250 at $30 each is 7,500, not $750",
        ),
        # a rate said again as "N in every M": either the share or its complement
        # a share of a share
        ("4 percent of 20 percent is 0.8 percent of all images.", None),
        (
            "4 percent of 20 percent is 0.08 percent of all images.",
            "4 percent of 20 percent is 0.8 percent, not 0.08 percent",
        ),
        # a total spread over a count, per unit of that count
        ("$1.1 million over 3,000 seats is $367 a seat.", None),
        ("$1.1 million over 3,000 seats is about $370 a seat.", None),
        (
            "$1.1 million over 3,000 seats is $450 a seat.",
            "$1.1 million over 3,000 seats is 367 a seat, not $450",
        ),
        (
            "$90,000 spread across 300 clients comes to $400 per client.",
            "$90,000 over 300 clients is 300 a client, not $400",
        ),
        ("$2.4M over 3 years is $800K a year.", None),
        ("$1.1 million over 3 years is $450 a seat.", None),  # not the same thing counted
        ("98 percent precision, which means 2 in every 100 flags are wrong.", None),
        (
            "98 percent precision, which means 2 in every 1,000 flags are wrong.",
            "98 percent is not 2 in 1,000 (that is 0.2 percent)",
        ),
    ],
)
def test_written_out_sums_counts_each_and_rates_are_checked(text: str, problem: str | None) -> None:
    assert _problem(text) == problem
