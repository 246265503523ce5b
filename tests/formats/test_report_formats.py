"""The Markdown and HTML reports show what the interactive questions drew out."""

from html.parser import HTMLParser
from typing import Any

import pytest

from pmloop.coach import AnswerInput, AnswerPrompt, Coach, LoopSettings
from pmloop.grading import Examiner, Grade
from pmloop.report import build_scorecard, scorecard_html, scorecard_markdown
from pmloop.store import open_repository

AMBIGUITY = "fixture-ambiguity-summaries-thumbs-down"
ROLEPLAY = "fixture-roleplay-legal-voice-clone"
LONG = "The rise is entirely in meetings longer than an hour; short meetings are unchanged."
CUT = "Last Monday infra lowered the transcript length sent to the model to save cost."
CONSENT = "Nothing stops cloning a voice without its owner's consent"


class ScriptedIO:
    def __init__(self, replies: list[AnswerInput]) -> None:
        self.replies = iter(replies)

    def ask(self, prompt: AnswerPrompt) -> AnswerInput:
        return next(self.replies)

    def notice(self, text: str) -> None:
        pass

    def feedback(self, prompt: AnswerPrompt, grade: Grade) -> None:
        pass


@pytest.fixture(scope="module")
def card(format_examiner: Examiner, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A loop where the call came before the infra change was asked for (asked only at the
    follow-up), and a roleplay that ran out of turns with one concern met."""
    path = tmp_path_factory.mktemp("report") / "pmloop.db"
    coach = Coach(format_examiner, open_repository(f"sqlite:///{path}"))
    session = coach.start(LoopSettings(plan=(AMBIGUITY, ROLEPLAY), follow_ups=1))
    person = format_examiner.bank.get(ROLEPLAY).stakeholder
    assert person is not None
    replies = [
        AnswerInput(command="ask", ask="Does meeting length make a difference?"),
        AnswerInput(
            text="Long meetings got worse, so I would roll back the latest prompt change for "
            "them today and watch the thumbs-down rate for a week."
        ),
        AnswerInput(command="ask", ask="Did anything ship or change last week?"),
        AnswerInput(text="Then the cut transcript is the cause; I restore it for long meetings."),
        AnswerInput(
            text="Nobody gets cloned unless they record a consent statement in their own voice."
        ),
        *[AnswerInput(text="I think this launch matters a lot for us.")] * (person.max_turns - 1),
    ]
    assert coach.run(session.id, ScriptedIO(replies)).finished
    return build_scorecard(coach.repository.get(session.id), format_examiner.bank)


def test_the_scorecard_knows_when_each_fact_was_asked_and_which_concerns_were_met(
    card: Any,
) -> None:
    ambiguity, roleplay = card.interactions
    asked = {f.id: f.asked for f in ambiguity.facts}
    assert asked == {
        "long_meetings_only": "before",
        "context_cut": "after",
        "new_button": "never",
        "holiday_week": "never",
    }
    assert [f.id for f in ambiguity.decided_without] == ["context_cut"]
    assert roleplay.outcome == "unresolved"
    assert [(c.id, c.met) for c in roleplay.concerns] == [
        ("consent_check", True),
        ("launch_scope", False),
        ("takedown_owner", False),
    ]


def test_markdown_report_lists_facts_and_concerns(card: Any) -> None:
    md = scorecard_markdown(card)
    section = md.split("## What the interactive questions drew out", 1)[1]
    assert "**Q1, ambiguity: the call came before 1 of the 2 facts that change it**" in section
    assert f"- Asked for before the call: {LONG} (changes the call)" in section
    assert f"- Asked for only after the call: {CUT} (changes the call)" in section
    assert "- Never asked for: The thumbs-down button moved" in section
    assert "**Q2, roleplay with Priya Raman, Lead counsel: the turns ran out" in section
    assert f"- Met: {CONSENT}" in section
    assert "- Left open: " in section and "(one to hold, not to trade)" in section


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str]] = []
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._tag = tag

    def handle_data(self, data: str) -> None:
        if self._tag in ("h2", "h3", "li") and data.strip():
            self.items.append((self._tag, data.strip()))


def test_html_report_lists_facts_and_concerns(card: Any) -> None:
    parser = _Text()
    parser.feed(scorecard_html(card, []))
    items = parser.items
    start = items.index(("h2", "What the interactive questions drew out"))
    drawn = items[start + 1 :]
    assert drawn[0] == ("h3", "Q1, ambiguity: the call came before 1 of the 2 facts that change it")
    assert ("li", f"Asked for before the call: {LONG} (changes the call)") in drawn
    assert ("li", f"Asked for only after the call: {CUT} (changes the call)") in drawn
    roleplay = next(i for i, item in enumerate(drawn) if item[1].startswith("Q2, roleplay"))
    assert drawn[roleplay][0] == "h3"
    assert ("li", f"Met: {CONSENT}") in drawn[roleplay:]
    left = [text for tag, text in drawn[roleplay:] if text.startswith("Left open: ")]
    assert len(left) == 2


def test_a_loop_of_interview_questions_has_no_such_section(
    examiner: Examiner, tmp_path: Any
) -> None:
    coach = Coach(examiner, open_repository(f"sqlite:///{tmp_path / 'pmloop.db'}"))
    session = coach.start(LoopSettings(questions=1, follow_ups=0, seed=1))
    coach.run(session.id, ScriptedIO([AnswerInput(text="We test it on real traffic first.")]))
    card = build_scorecard(coach.repository.get(session.id), examiner.bank)
    assert card.interactions == ()
    assert "interactive questions" not in scorecard_markdown(card)
    assert "interactive questions" not in scorecard_html(card, [])
