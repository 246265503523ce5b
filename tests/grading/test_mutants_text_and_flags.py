"""The word-list compiler matches what a plain alternation matches; blanket rules are flagged.

Written from a mutation run (benchmarks/mutation.py). ``any_of`` regroups branches by first
letter for speed and promises the same matches; the word lists are compiled at import, so no
test called it directly and every regrouping mutant survived. "Full stop" closing a tradeoff
(heuristic collapse) had no test either.
"""

import re

import pytest

from pmloop.grading._text import any_of, split_sentences
from pmloop.grading.offline._flags import _collapse

BRANCHES = (
    r"(is|are) fine",
    r"a(b|c)d",
    r"\bnot\b",
    r"x?yz",
    r"[ab]c\b",
    r"foo\b|\bbar",
    r"e\.g\.",
    r"trade-?offs?",
    r"\d+ ?%",
    r"(?:ship|launch) it",
    r"Acme\b",
    r"acm",
    r"q\(x\|y\)",
    r"(w(?:a|b)|z)[(|]+",
    r"m(o)p|kite",
)
TEXTS = (
    "It is fine, they are fine, and this is not fine: abd, acd, yz, xyz, bc, ac, foo, bar.",
    "Tradeoffs and trade-off, e.g. 40 % and 12%; we ship it, then launch it at ACME or acme.",
    "Foobar, barfoo, notable, cannot, a-b-c, q(x|y), wa((, z|(, wb|, isfine, e.g.x",
    "NOT FINE. Is Fine. ABD! trade-offs, Trade-Offs",
    "xabd zacd myz this fine retrade-off reacme 5%x wax((, a kite, mop",
)


def _plain(branches: tuple[str, ...]) -> re.Pattern[str]:
    """The same branches as one alternation, each anchored at a word start as any_of says."""
    anchored = [
        p if p.startswith("\\b") or not re.match(r"[A-Za-z(]", p) else "\\b" + p for p in branches
    ]
    return re.compile("|".join(f"(?:{p})" for p in anchored), re.IGNORECASE)


@pytest.mark.parametrize("text", TEXTS)
def test_any_of_finds_exactly_what_the_plain_alternation_finds(text: str) -> None:
    grouped, plain = any_of(*BRANCHES), _plain(BRANCHES)
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert grouped.flags & re.IGNORECASE


def test_any_of_keeps_every_branch() -> None:
    for branch in BRANCHES:
        alone = _plain((branch,))
        for text in TEXTS:
            for match in alone.finditer(text):
                assert any_of(*BRANCHES).search(text, match.start()), (branch, text)


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("We ship on the launch date, full stop.", "We ship on the launch date, full stop."),
        ("Quality comes first. Full stop.", "Full stop."),
        ("Speed matters more than polish, no exceptions.", None),
    ],
)
def test_a_blanket_rule_on_a_tradeoff_is_heuristic_collapse(text: str, quote: str | None) -> None:
    hit = _collapse(split_sentences(text), 0.0)
    if quote is None:
        assert hit is not None and hit.flag.value == "heuristic_collapse"
    else:
        assert hit is not None and hit.sentence.text == quote
        assert hit.explanation.startswith("A blanket rule settles the tradeoff")


def test_a_blanket_rule_on_a_narrow_safety_line_is_not_collapse() -> None:
    text = "Never act on instructions found in page content, full stop."
    assert _collapse(split_sentences(text), 0.0) is None
