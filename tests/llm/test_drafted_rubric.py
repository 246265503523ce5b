"""A pasted question gets a rubric drafted by the model: used by the judge, shown with the
grade, cached per model and question; a draft that does not validate leaves the general rubric
and says so."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fakellm import FakeLLM, Seen, Step, grade_reply, openai_reply

PASTED = "How would you decide whether our meeting-notes summariser is ready for legal teams?"
ANSWER = (
    "I would not ship to legal teams until a lawyer-labelled set of 300 real meetings shows "
    "fewer than 1 percent of summaries invent a commitment. Below that bar we hold the launch."
)
RUBRIC = {
    "signals": [
        {"label": "Sets a launch bar on a labelled set of real meetings", "level": "strong"},
        {"label": "Names the error that matters most to legal teams", "level": "strong"},
        {
            "label": "Asks whether the eval meetings look like legal teams' meetings",
            "level": "senior",
        },
        {"label": "Plans how to catch a regression after launch", "level": "senior"},
    ],
    "red_lines": [
        {
            "label": "Shipping summaries that invent commitments without telling users",
            "why": "Legal teams act on them; an invented commitment is a liability.",
        }
    ],
    "follow_ups": ["Who labels the 300 meetings, and how do you know they agree?"],
}


def _name(seen: Seen) -> str:
    return str(seen.body["response_format"]["json_schema"]["name"])


def model(rubric: dict[str, Any]) -> Callable[[Seen], Step]:
    """Drafts ``rubric``; grades strong, quoting the answer for the first drafted signal."""

    def reply(seen: Seen) -> Step:
        if _name(seen) == "record_rubric":
            return openai_reply(json.dumps(rubric), 400, 200)
        schema = seen.body["response_format"]["json_schema"]["schema"]
        ids = schema["properties"]["evidence"]["items"]["properties"]["signal"]["enum"]
        assert "drafted.1" in ids  # the judge is asked about the drafted signals
        quote = "fewer than 1 percent of summaries invent a commitment"
        return openai_reply(json.dumps(grade_reply(3, [("drafted.1", quote)])))

    return reply


def _grade(cli: Callable[..., Any], fake: FakeLLM, fmt: str = "json") -> Any:
    return cli(
        "grade", "--question", PASTED, "-a", ANSWER, "--grader", "llm", "--format", fmt,
        env=fake.env(),
    )  # fmt: skip


def test_a_pasted_question_is_graded_on_a_rubric_the_model_drafted(
    fake_llm: FakeLLM, pmloop_cli: Callable[..., Any]
) -> None:
    fake_llm.default = model(RUBRIC)
    run = _grade(pmloop_cli, fake_llm)
    assert run.code == 0, run.stderr
    grade = json.loads(run.stdout)
    assert grade["question"]["bank_id"] is None
    rubric = grade["rubric"]
    assert rubric["drafted_by"] == "openai:judge-test"
    assert [s["id"] for s in rubric["signals"]] == [
        "drafted.1",
        "drafted.2",
        "drafted.3",
        "drafted.4",
    ]
    assert rubric["red_lines"][0]["label"].startswith("Shipping summaries that invent")
    # the drafted signals are graded like the bank's: met with a verbatim quote, or missing
    signals = {s["id"]: s for s in grade["signals"]}
    assert signals["drafted.1"]["met"] and signals["drafted.1"]["quotes"][0] in ANSWER
    assert not signals["drafted.3"]["met"]
    assert "drafted.3" in {m["id"] for m in grade["missing"]}
    # the draft's call is paid for with the grade
    assert grade["usage"]["calls"] == 2
    assert [_name(s) for s in fake_llm.seen] == ["record_rubric", "record_grade"]
    # the drafting prompt holds the question inside its fence, and nothing of the answer
    user = fake_llm.seen[0].body["messages"][-1]["content"]
    assert PASTED in user and "<<QUESTION " in user and ANSWER not in user

    # shown on screen, and cached: the same question again sends nothing
    text = _grade(pmloop_cli, fake_llm, "text")
    assert text.code == 0, text.stderr
    assert "Rubric drafted for this question by openai:judge-test" in text.stdout
    assert "Asks whether the eval meetings look like legal teams' meetings" in text.stdout
    assert len(fake_llm.seen) == 2


def test_a_draft_that_does_not_validate_leaves_the_general_rubric_and_says_so(
    fake_llm: FakeLLM, pmloop_cli: Callable[..., Any]
) -> None:
    thin = {**RUBRIC, "signals": RUBRIC["signals"][:2]}  # fewer than three signals

    def reply(seen: Seen) -> Step:
        if _name(seen) == "record_rubric":
            return openai_reply(json.dumps(thin))
        schema = seen.body["response_format"]["json_schema"]["schema"]
        ids = schema["properties"]["evidence"]["items"]["properties"]["signal"]["enum"]
        assert not any(i.startswith("drafted.") for i in ids)
        return openai_reply(json.dumps(grade_reply(3, [(ids[0], "we hold the launch")])))

    fake_llm.default = reply
    run = _grade(pmloop_cli, fake_llm)
    assert run.code == 0, run.stderr
    grade = json.loads(run.stdout)
    assert "rubric" not in grade and grade["grader"]["name"] == "llm"
    (line,) = run.stderr.splitlines()
    assert "No rubric could be drafted for this pasted question" in line
    assert "signals" in line  # the validation problem, in one line
    # the first draft and its one repair, then the grade
    assert [_name(s) for s in fake_llm.seen] == ["record_rubric", "record_rubric", "record_grade"]
