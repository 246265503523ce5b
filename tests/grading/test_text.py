import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmloop.grading._text import Folded, content_stems, split_sentences, stem
from pmloop.grading._wordlists import word_lists


def test_sentences_are_verbatim_spans_without_list_markers() -> None:
    answer = (
        "First, latency.  It costs 400 ms, e.g. for retrieval!\n- Second point here\n\n3. Third?"
    )
    spans = split_sentences(answer)
    assert [s.text for s in spans] == [
        "First, latency.",
        "It costs 400 ms, e.g. for retrieval!",
        "Second point here",
        "Third?",
    ]
    for span in spans:
        assert answer[span.start : span.end] == span.text


@given(st.text(max_size=400))
def test_spans_always_index_the_original_text(text: str) -> None:
    for span in split_sentences(text):
        assert text[span.start : span.end] == span.text
        assert span.text.strip() == span.text


def test_stems_meet_across_inflections() -> None:
    assert stem("evaluating") == stem("evaluated") == stem("evaluates")
    assert stem("regressions") == stem("regression")
    assert "the" not in content_stems("the model and the data")


def test_any_of_groups_branches_without_changing_what_matches() -> None:
    from pmloop.grading._text import any_of

    branches = (
        r"\bgrounded\b|\bgrounding\b",  # an alternation passed as one branch
        r"(is|are) (basically|pretty much) fine\b",  # a leading group of words
        r"(that'?s|it'?s) on them\b",
        r"\b(RAG|LLM)s?\b",
        r"e?vals?\b",  # the first letter is optional
        r"\d+ ?percent",
        r"(?:no|zero)[- ]errors?",
    )
    text = (
        "Grounding is basically fine, and grounded answers are pretty much fine; it's on them. "
        "RAGs and LLM evals, vals, 40 percent, zero errors, No-error."
    )
    found = [m.group(0) for m in any_of(*branches).finditer(text)]
    assert found == [
        "Grounding",
        "is basically fine",
        "grounded",
        "are pretty much fine",
        "it's on them",
        "RAGs",
        "LLM",
        "evals",
        "vals",
        "40 percent",
        "zero errors",
        "No-error",
    ]


# a pattern folded to run over the lowered text --------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        # escapes keep their case (\S is not \s), classes and names survive
        (r"\bI'?d (not )?(ship|HOLD)\S*\W", "Honestly I'd HOLD it. i'd ship-it now. I'D not Ship!"),
        (r"(?P<Amount>\d+) ?(K|M)\b[^.]{0,20}\bCosts?\b", "That is 40 k a month; 2M Costs more."),
        (r"[A-Z]{2,}\b|\bÉté\b", "The NPS moved in ÉTÉ and été, not in spring."),
        # a text whose lowering changes its length is matched as it was
        (r"\bistanbul\b", "İstanbul and ISTANBUL and istanbul"),
    ],
)
def test_a_folded_pattern_finds_the_same_matches_at_the_same_offsets(
    pattern: str, text: str
) -> None:
    original = re.compile(pattern, re.IGNORECASE)
    folded = Folded(original)
    spans = [m.span() for m in original.finditer(text)]
    assert spans
    assert [m.span() for m in folded.finditer(text)] == spans
    assert len(folded.findall(text)) == len(original.findall(text))
    first = folded.search(text)
    assert first is not None and first.span() == spans[0]


def test_a_pattern_with_a_case_sensitive_part_is_not_folded() -> None:
    original = re.compile(r"(?-i:\bDone\.)|\bship it\b", re.IGNORECASE)
    folded = Folded(original)
    assert [m.span() for m in folded.finditer("done. Done. SHIP IT")] == [(6, 11), (12, 19)]


_WORDS = (
    "I'd we would not never ship hold the model users customers quietly drop 'not sure' "
    "message always return top diagnosis confidence internally without telling them because "
    "average looked fine segment 40 percent of 2,000 notes irreversible can't undo rollback "
    "regression calibrated Done. İ é ß ﬁ SHIP HOLD Quietly Without Telling"
).split()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30), st.randoms())
def test_the_lexicons_folded_patterns_match_as_the_originals_do(
    words: list[str], rnd: random.Random
) -> None:
    text = " ".join(w.upper() if rnd.random() < 0.2 else w for w in words)
    lists = word_lists()
    for entry in ("certainty", "dismissal", "hedges", "jargon"):
        original = lists.pattern(entry)
        assert [m.span() for m in Folded(original).finditer(text)] == [
            m.span() for m in original.finditer(text)
        ]
    rows = [("general_red_lines", i) for i in range(len(lists.entry("general_red_lines")["rows"]))]
    rows += [
        ("consequence_habits", i) for i in range(len(lists.entry("consequence_habits")["rows"]))
    ]
    for entry, index in rows:
        original = lists.pattern(entry, "rows", index)
        found = Folded(original).search(text)
        expected = original.search(text)
        assert (found and found.span()) == (expected and expected.span())
