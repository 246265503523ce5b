"""Mark the evidence and the anti-patterns inside the answer text itself."""

from __future__ import annotations

from html import escape

__all__ = ["highlight_answer"]


def highlight_answer(answer: str, evidence: list[str], flags: list[tuple[str, str]]) -> str:
    """The answer as HTML with evidence quotes in <mark> and flagged sentences marked.

    ``flags`` are (flag title, quote) pairs. Quotes are verbatim substrings of the answer; where
    marks would overlap, the flag wins, since that is what the person most needs to see.
    """
    spans: list[tuple[int, int, str, str]] = []
    for title, quote in flags:
        start = answer.find(quote)
        if start >= 0:
            spans.append((start, start + len(quote), "flag", title))
    for quote in evidence:
        start = answer.find(quote)
        if start >= 0:
            spans.append((start, start + len(quote), "evidence", "evidence for the grade"))
    spans.sort(key=lambda s: (s[0], s[2] != "flag"))
    out: list[str] = []
    position = 0
    for start, end, kind, title in spans:
        if start < position:
            continue  # overlaps a mark already placed
        out.append(escape(answer[position:start]))
        out.append(
            f'<mark class="{kind}" title="{escape(title)}">{escape(answer[start:end])}</mark>'
        )
        position = end
    out.append(escape(answer[position:]))
    return "".join(out).replace("\n", "<br>\n")
