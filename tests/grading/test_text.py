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
    assert stem("evaluating") == stem("evaluation") or stem("evaluated") == stem("evaluating")
    assert stem("regressions") == stem("regression")
    assert "the" not in content_stems("the model and the data")
