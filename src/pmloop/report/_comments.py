"""A coach's comments on a session, as a section of the Markdown and HTML reports."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from pmloop.report._markdown import md_text
from pmloop.report._terminal import _flat
from pmloop.store import CommentRecord

__all__ = ["comments_html", "comments_markdown"]


def _where(comment: CommentRecord) -> str:
    return f"Q{comment.question_index + 1}" + (
        f" follow-up {comment.depth}" if comment.depth else ""
    )


def comments_markdown(comments: Sequence[CommentRecord]) -> list[str]:
    """The lines of a "Coach comments" section; none when there are no comments."""
    if not comments:
        return []
    lines = ["", "## Coach comments", ""]
    lines += [
        f"- {_where(c)}, {md_text(c.author)} on “{md_text(c.quote)}”: {md_text(c.body)}"
        for c in comments
    ]
    return lines


def comments_html(comments: Sequence[CommentRecord]) -> str:
    """A "Coach comments" section; empty when there are no comments."""
    if not comments:
        return ""
    items = "".join(
        f"<li>{_where(c)}, {escape(c.author)} on "
        f'<span class="quote">“{escape(_flat(c.quote))}”</span>: {escape(c.body)}</li>'
        for c in comments
    )
    return f"<h2>Coach comments</h2><ul>{items}</ul>"
