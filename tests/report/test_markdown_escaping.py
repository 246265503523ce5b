"""Markdown reports hold user text as text: rendered by a CommonMark renderer (markdown-it-py,
with GFM tables), no markup or HTML a person typed becomes a tag, a link or an image, and the
words still read as they were typed."""

from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from pmloop.bank import Bank
from pmloop.grading import Examiner
from pmloop.report import build_scorecard, grade_markdown, scorecard_markdown
from pmloop.store import open_repository

QUESTION_ID = "eval-new-llm-feature-before-launch"
PAYLOADS = [
    "<script>alert('answer')</script>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(1))",
    "![tracker](http://example.invalid/pixel.png)",
    "<a href='http://example.invalid'>link</a>",
    "**not bold** and _not italic_ and `not code`",
    "a | pipe | in a table cell",
    "&lt;b&gt; stays as typed",
]
ANSWER = (
    "I'd start with failure modes on real tickets, grouped by harm.\n"
    "# not a heading\n"
    "- not a list item\n"
    "1. not a numbered item\n"
    "> not a quote\n"
    "```\n"
    "not a fence\n"
    "\n" + "\n".join(PAYLOADS) + "\n"
    "    not code either\n"
)
#: Tags our own Markdown may produce; nothing a user typed may add to them.
ALLOWED = {
    "h1", "h2", "h3", "p", "strong", "em", "ul", "ol", "li", "blockquote", "table", "thead",
    "tbody", "tr", "th", "td", "br", "details", "summary", "code",
}  # fmt: skip


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _render(markdown: str) -> _Page:
    page = _Page()
    page.feed(MarkdownIt("commonmark").enable("table").render(markdown))
    return page


def _assert_inert(page: _Page) -> str:
    tags = {tag for tag, _ in page.tags}
    assert tags <= ALLOWED, tags - ALLOWED
    assert all(attrs == [] for _, attrs in page.tags), [t for t in page.tags if t[1]]
    return " ".join(" ".join(page.text).split())


def test_a_grade_in_markdown_keeps_the_answer_and_question_as_text(examiner: Examiner) -> None:
    question = "How would you evaluate <script>alert('question')</script> **before** launch?"
    grade = examiner.grade(ANSWER, question)
    page = _render(grade_markdown(grade, ANSWER))
    text = _assert_inert(page)
    assert "<script>alert('question')</script> **before** launch?" in text
    for line in ANSWER.splitlines():
        if line.strip():
            assert line.strip() in text, line
    assert "<details>" not in text  # our own block stayed HTML


def test_a_scorecard_in_markdown_keeps_quotes_as_text(
    examiner: Examiner, bank: Bank, tmp_path: Path
) -> None:
    repo = open_repository(f"sqlite:///{tmp_path / 'md.db'}")
    session = repo.create_session("practice", "general", {}, [QUESTION_ID], "offline t")
    turn = repo.submit(session.id, 0, 0, QUESTION_ID, "Q?", "question", None, ANSWER)
    grade = examiner.grade(ANSWER, question_id=QUESTION_ID).to_json_dict()
    # whatever the grader picked, make the quotes carry the payloads
    for competency in grade["competencies"]:
        for n, evidence in enumerate(competency["evidence"]):
            evidence["quote"] = PAYLOADS[n % len(PAYLOADS)]
    grade["flags"] = [
        {**flag, "quote": PAYLOADS[n % len(PAYLOADS)]} for n, flag in enumerate(grade["flags"])
    ]
    repo.attach_grade(turn, grade)
    card = build_scorecard(repo.get(session.id), bank)
    assert any(q.text in PAYLOADS for r in card.competencies for q in r.quotes)
    page = _render(scorecard_markdown(card))
    text = _assert_inert(page)
    for quote in {q.text for r in card.competencies for q in r.quotes[:2]}:
        assert f"“{quote}”" in text, quote
    repo.engine.dispose()
