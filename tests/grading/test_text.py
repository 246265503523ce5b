from hypothesis import given
from hypothesis import strategies as st

from pmloop.grading._text import content_stems, split_sentences, stem


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
