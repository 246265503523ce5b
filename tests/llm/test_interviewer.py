"""The model as interviewer, over real HTTP: follow-ups worded from the whole thread, a roleplay
stakeholder in their own voice, both checked, stored once and replayed without a second call."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakellm import FakeLLM, Make, Seen, Step, echo_judge, openai_reply

from pmloop.bank import Bank
from pmloop.coach import AnswerInput, Coach, LoopSettings
from pmloop.grading import Examiner, OfflineGrader
from pmloop.grading.llm import LLMGrader, ReplyCache
from pmloop.store import Repository, open_repository
from pmloop.web import create_app

QUESTION = "eval-new-llm-feature-before-launch"
ROLEPLAY = "carrier-help-bot-support-director-switch-off"
ANSWER = (
    "I would build an eval set of 400 real support tickets, score accuracy per intent, and "
    "launch to 5 percent of users first."
)
FOLLOW_UP = "You said 400 real tickets: which intents would you refuse to launch on, and why?"
LINE = "Fine, no more credits. But who fixes the transcript my agents never see, and by when?"


def _schema(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if "tools" in body:
        return body["tools"][0]["name"], body["tools"][0]["input_schema"]
    spec = body["response_format"]["json_schema"]
    return spec["name"], spec["schema"]


def _user(body: dict[str, Any]) -> str:
    return str(body["messages"][-1]["content"])


def interviewer(question: str = FOLLOW_UP, says: str = LINE) -> Any:
    """A fake model that grades (echo judge), asks ``question`` and says ``says``."""
    judge = echo_judge(level=3)

    def reply(seen: Seen) -> Step:
        name, schema = _schema(seen.body)
        if name == "record_follow_up":
            target = schema["properties"]["target"]["enum"][0]
            return openai_reply(json.dumps({"target": target, "question": question}), 900, 40)
        if name == "record_stakeholder_line":
            return openai_reply(json.dumps({"says": says}), 700, 30)
        return judge(seen)

    return reply


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return open_repository(f"sqlite:///{tmp_path / 'pmloop.db'}")


@pytest.fixture
def cache(tmp_path: Path) -> ReplyCache:
    return ReplyCache(tmp_path / "replies")


@pytest.fixture
def coach(
    fake_llm: FakeLLM, bank: Bank, offline: OfflineGrader, repo: Repository, cache: ReplyCache
) -> Iterator[Coach]:
    with LLMGrader(bank, fake_llm.settings(), cache=cache, offline=offline) as grader:
        yield Coach(Examiner(bank, grader), repo)


def _calls(fake: FakeLLM, name: str) -> list[Seen]:
    return [s for s in fake.seen if _schema(s.body)[0] == name]


def test_the_follow_up_is_worded_by_the_model_from_the_whole_thread(
    fake_llm: FakeLLM, coach: Coach, cache: ReplyCache
) -> None:
    fake_llm.default = interviewer()
    session = coach.start(LoopSettings(plan=(QUESTION,)))
    step = coach.current(session.id)
    assert step is not None
    answered = coach.answer(step, AnswerInput(text=ANSWER))
    assert answered.grade is not None

    # the request carried the question, the rubric's open gaps and the answer, fenced
    (request,) = _calls(fake_llm, "record_follow_up")
    user = _user(request.body)
    assert "QUESTION: Before this LLM feature launches, how would you evaluate it?" in user
    assert ANSWER in user and "<<THREAD " in user and "THE GAP TO PROBE:" in user
    # the gaps offered are open ones: no signal the answer showed is a target
    shown = {s.id for s in answered.grade.signals if s.met}
    targets = _schema(request.body)[1]["properties"]["target"]["enum"]
    assert targets and not {t.removeprefix("signal:") for t in targets} & shown

    # the model's question is the next prompt, marked as worded by it and paid for here
    assert answered.grade.follow_up == FOLLOW_UP
    assert answered.grade.follow_up_target.by == "openai:judge-test"
    assert answered.grade.usage is not None and answered.grade.usage.calls == 2
    step = coach.current(session.id)
    assert step is not None and step.prompt.depth == 1 and step.prompt.text == FOLLOW_UP

    # a replay (a page reload, a resume) reads the stored grade: no second call and the same
    # prompt, even with the reply cache gone and a model that would now say something else
    shutil.rmtree(cache.folder)
    fake_llm.default = interviewer(question="What would make you hold the launch?")
    before = len(fake_llm.seen)
    again = coach.current(session.id)
    assert again is not None and again.prompt.text == FOLLOW_UP
    assert len(fake_llm.seen) == before
    fake_llm.default = interviewer()

    # the second follow-up's thread holds both answers and the first follow-up
    coach.answer(
        step, AnswerInput(text="Refunds and account closures: a wrong answer there costs money.")
    )
    second = _calls(fake_llm, "record_follow_up")[-1]
    assert FOLLOW_UP in _user(second.body) and ANSWER in _user(second.body)


@pytest.mark.parametrize(
    ("question", "why"),
    [
        (
            "Before this LLM feature launches, how would you evaluate it?",
            "repeats one already asked",
        ),
        ("Tell me more about your plan.", "asks nothing"),
        ("", "an empty follow-up"),
    ],
)
def test_a_follow_up_that_fails_its_checks_leaves_the_offline_one(
    fake_llm: FakeLLM, coach: Coach, question: str, why: str
) -> None:
    fake_llm.default = interviewer(question=question)
    session = coach.start(LoopSettings(plan=(QUESTION,)))
    step = coach.current(session.id)
    assert step is not None
    grade = coach.answer(step, AnswerInput(text=ANSWER)).grade
    assert grade is not None
    assert grade.follow_up and grade.follow_up != question
    assert grade.follow_up_target.by is None and grade.follow_up_target.kind != "none"
    (notice,) = [n for n in grade.notices if "interviewer's model" in n]
    assert why in notice and "offline interviewer's" in notice


def test_a_dead_model_server_leaves_the_offline_follow_up_and_keeps_the_answer(
    make: Make, bank: Bank, repo: Repository, fake_llm: FakeLLM
) -> None:
    settings = fake_llm.settings(llm_base_url="http://127.0.0.1:9/v1")
    coach = Coach(Examiner(bank, make(LLMGrader, settings)), repo)
    session = coach.start(LoopSettings(plan=(QUESTION,)))
    step = coach.current(session.id)
    assert step is not None
    grade = coach.answer(step, AnswerInput(text=ANSWER)).grade
    assert grade is not None and grade.grader.name == "offline"
    assert grade.follow_up and grade.follow_up_target.by is None
    assert any("cannot reach" in n for n in grade.notices)
    assert repo.get(session.id).turns[0].answer == ANSWER


def test_a_roleplay_stakeholder_speaks_in_their_own_voice(
    fake_llm: FakeLLM, coach: Coach, bank: Bank, cache: ReplyCache
) -> None:
    fake_llm.default = interviewer()
    question = bank.get(ROLEPLAY)
    assert question.stakeholder is not None
    session = coach.start(LoopSettings(plan=(ROLEPLAY,)))
    step = coach.current(session.id)
    assert step is not None
    turn = "From tonight the bot offers no credits at all; a person decides every credit."
    answered = coach.answer(step, AnswerInput(text=turn))
    assert answered.grade is not None

    (request,) = _calls(fake_llm, "record_stakeholder_line")
    user = _user(request.body)
    assert "YOU ARE: Marisol Vega, Director of Customer Care." in user and turn in user
    # the engine still decides which concerns are met; the model only says the chosen line
    assert "[met] " + question.stakeholder.concerns[0].label in user
    assert "THE LINE TO SAY, IN YOUR OWN VOICE:" in user

    step = coach.current(session.id)
    assert step is not None and step.prompt.text == f"Marisol Vega: {LINE}"
    assert step.prompt.kind == "stakeholder"
    shutil.rmtree(cache.folder)
    fake_llm.default = interviewer(says="I still want it off.")
    before = len(fake_llm.seen)
    assert coach.current(session.id).prompt.text == f"Marisol Vega: {LINE}"  # type: ignore[union-attr]
    assert len(fake_llm.seen) == before


def test_the_session_page_shows_who_graded_who_worded_and_every_notice(
    fake_llm: FakeLLM,
    coach: Coach,
    repo: Repository,
    serving: Callable[..., AbstractContextManager[str]],
) -> None:
    fake_llm.default = interviewer()
    app = create_app(coach.examiner, repo)
    session = coach.start(LoopSettings(plan=(QUESTION,))).id
    with serving(app, lifespan="off") as base:
        first = httpx.post(
            f"{base}/api/v1/sessions/{session}/answers",
            json={"question_index": 0, "depth": 0, "text": ANSWER},
            timeout=60,
        )
        assert first.status_code == 201, first.text
        # the next follow-up's wording fails its check: the offline one is asked, with a notice
        fake_llm.default = interviewer(question="Tell me more.")
        second = httpx.post(
            f"{base}/api/v1/sessions/{session}/answers",
            json={"question_index": 0, "depth": 1, "text": "Refunds: a wrong answer costs money."},
            timeout=60,
        )
        assert second.status_code == 201, second.text
        page = httpx.get(f"{base}/sessions/{session}", timeout=60)
    assert page.status_code == 200
    html = page.text
    assert "Graded by llm (openai:judge-test)" in html
    assert f"Follow-up 1: {FOLLOW_UP}".replace("'", "&#39;") in html
    assert "Worded by openai:judge-test from your thread." in html
    notice = "The interviewer&#39;s model (openai:judge-test) gave no usable follow-up"
    assert html.count(notice) == 1 and 'class="notice grade-notice"' in html
