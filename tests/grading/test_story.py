"""'Tell me about a time' asks for something that happened: a plan is another answer."""

import pytest

import pmloop
from pmloop.grading import Examiner
from pmloop.vocabulary import Level

QUESTION = "introduced-release-gate-teams-resisted-story"
PLAN = (
    "I'd set up a regression suite of 300 real conversations and block any prompt change that "
    "drops more than two points on it. I would get the teams to agree on the bar first, and "
    "we'd review the failures every week so the gate earns trust instead of being routed around."
)
STORY = (
    "At my last job four teams shipped prompt changes straight to production. After a change "
    "broke refund answers for a week, I proposed a gate: 300 real conversations, rerun on every "
    "change. Two leads fought it because it added a day to every release. I sat with them, we "
    "cut the suite to what ran in twenty minutes, and we agreed that a failing case could be "
    "overridden with a written reason. In the first month it caught two regressions; it also "
    "slowed one urgent fix, which I still think was the right price."
)


def test_a_plan_for_a_behavioural_question_is_not_an_answer() -> None:
    grade = pmloop.grade(None, PLAN, question_id=QUESTION)
    assert grade.level == Level.BELOW_BAR
    off = [f for f in grade.flags if f.id.value == "off_topic"]
    assert off and "says what you would do" in off[0].explanation


def test_a_story_is_not_flagged() -> None:
    grade = pmloop.grade(None, STORY, question_id=QUESTION)
    assert "off_topic" not in {f.id.value for f in grade.flags}
    assert grade.level >= Level.SURFACE


def test_a_follow_up_may_be_answered_with_a_plan(examiner: Examiner) -> None:
    grade = examiner.grade(
        PLAN, question_id=QUESTION, follow_up="What would you do differently next time?"
    )
    assert "off_topic" not in {f.id.value for f in grade.flags}


TOLD_QUESTION = "explained-model-failure-to-customer-story"
POSTMORTEM = (
    "Our invoice model swapped the date and due date on 212 of a retailer's invoices, and 37 "
    "suppliers were paid late. Day one we pulled the documents and found a new template the "
    "parser had never seen. Day two we re-ran their whole 90-day backlog and found 14 more. The "
    "fix had three parts: a template check in front of extraction, review for any date field "
    "under 0.9 confidence, and an eval slice of 200 unusual layouts run on every release. Late "
    "payments from date errors went to zero over the next quarter."
)
TOLD = POSTMORTEM.replace(
    "Day one",
    "I called their finance lead that afternoon and told her plainly what our model had done "
    "and which invoices it touched; I did not guess at the cause until we knew it. Day one",
)


def test_a_story_that_never_says_what_was_told_answers_another_question() -> None:
    grade = pmloop.grade(None, POSTMORTEM, question_id=TOLD_QUESTION)
    off = [f for f in grade.flags if f.id.value == "off_topic"]
    assert off and "what you told them" in off[0].explanation
    assert grade.level == Level.BELOW_BAR


def test_the_same_story_that_says_what_was_told_is_on_topic() -> None:
    grade = pmloop.grade(None, TOLD, question_id=TOLD_QUESTION)
    assert "off_topic" not in {f.id.value for f in grade.flags}
    assert grade.level >= Level.STRONG


@pytest.mark.parametrize(
    "telling",
    [
        # review 25: what was said, told in other ways
        "I got their finance lead on the phone within the hour and told her what our model had "
        "done.",
        "My first message to their finance lead, that afternoon, was blunt about what our model "
        "had done.",
        "Her team heard it from me that afternoon, in plain words.",
    ],
)
def test_a_story_that_says_what_was_told_in_other_words_is_on_topic(telling: str) -> None:
    grade = pmloop.grade(
        None, POSTMORTEM.replace("Day one", telling + " Day one"), question_id=TOLD_QUESTION
    )
    assert "off_topic" not in {f.id.value for f in grade.flags}
