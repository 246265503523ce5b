"""The LLM judge and the ensemble: an LLM's level, checked by the offline grader.

Both graders grade every answer offline first. That grade is what the LLM judge falls back to
(a dead server, a timeout, a reply that will not validate, a spent budget), where the
grader-directed text the judge never sees comes from, and, in the ensemble, the source of the
hard gates that hold whatever the model says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from pmloop import __version__
from pmloop.bank import Bank
from pmloop.errors import SetupError
from pmloop.grading import CONSEQUENCE_FEATURES, OfflineGrader, offline_grader
from pmloop.grading._grade import (
    CompetencyGrade,
    DraftedRubric,
    Evidence,
    FollowUpTarget,
    Grade,
    GraderInfo,
    JudgeInfo,
    MissingSignal,
    SignalResult,
    Usage,
    total_usage,
)
from pmloop.grading._matching import QuestionContext
from pmloop.grading.llm._cache import ReplyCache
from pmloop.grading.llm._prompt import PROMPT_VERSION, JudgeReply, Prompt, build_prompt
from pmloop.grading.llm._providers import LLMUnavailable, Provider, Reply, make_provider
from pmloop.grading.llm._quotes import check_quote
from pmloop.grading.llm._settings import LLMSettings
from pmloop.grading.llm._talk import LLMConversation
from pmloop.grading.offline._substance import clean_answer
from pmloop.vocabulary import FLAG_CAPS, Flag, Level

__all__ = [
    "ENSEMBLE_RULE",
    "EnsembleGrader",
    "Judgement",
    "LLMGrader",
    "build_ensemble_grader",
    "build_llm_grader",
]

#: The ensemble's rule, as the grade's ``judge.rule`` and the docs state it.
ENSEMBLE_RULE = (
    "The offline grader's hard gates (off topic, red line, nothing specific, the anti-pattern "
    "caps, text aimed at the grader) hold whatever the LLM says; otherwise the LLM's level "
    "stands when its quotes verify, and the offline level when they do not."
)
#: Output tokens assumed for a call when checking the budget before it is made.
_EXPECTED_OUTPUT_TOKENS = 1000
_BAND_SCORE = {1: 12.5, 2: 37.5, 3: 62.5, 4: 87.5}
_Reply = TypeVar("_Reply", bound=BaseModel)


@dataclass
class Judgement:
    """What the model said about one answer, after its quotes were checked."""

    reply: JudgeReply | None
    usage: Usage
    #: why there is no reply (one line), when there is none
    failure: str | None = None
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (signal, verbatim quote)
    kept: int = 0
    snapped: int = 0
    dropped: int = 0
    #: a pasted question: the rubric the model drafted for it, and the notice when it could not
    rubric: DraftedRubric | None = None
    rubric_notice: str | None = None

    @property
    def quotes_verify(self) -> bool:
        """Enough quotes held up: none dropped, or more verified than dropped; and a level of
        strong or senior rests on at least one verified quote."""
        verified = self.kept + self.snapped
        if self.reply is not None and self.reply.level >= Level.STRONG and not verified:
            return False
        return self.dropped == 0 or verified > self.dropped


def _directed_spans(answer: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in clean_answer(answer).grader_directed]


class _Judge:
    """Calls the model for one answer: cache, budget, structured output, repair, quote checks."""

    def __init__(
        self,
        settings: LLMSettings,
        provider: Provider | None = None,
        cache: ReplyCache | None = None,
    ) -> None:
        self.provider = provider or make_provider(settings)
        self.cache = cache or ReplyCache()
        self.price_input = settings.llm_price_input
        self.price_output = settings.llm_price_output
        self.max_cost = settings.llm_max_cost
        if self.max_cost is not None and not self.priced:
            raise SetupError(
                "a maximum cost (--max-cost or PMLOOP_LLM_MAX_COST) needs the prices: set "
                "PMLOOP_LLM_PRICE_INPUT and "
                "PMLOOP_LLM_PRICE_OUTPUT (US dollars per million tokens)"
            )
        #: US dollars spent by this grader so far (one process: a grade run, a session, a server)
        self.spent = 0.0
        self._dead: str | None = None

    @property
    def priced(self) -> bool:
        return self.price_input is not None and self.price_output is not None

    @property
    def label(self) -> str:
        return f"{self.provider.name}:{self.provider.model}"

    def cost(self, input_tokens: int, output_tokens: int) -> float | None:
        if self.price_input is None or self.price_output is None:
            return None
        return (input_tokens * self.price_input + output_tokens * self.price_output) / 1e6

    def _affordable(self, prompt: Prompt) -> bool:
        if self.max_cost is None:
            return True
        expected = self.cost((len(prompt.system) + len(prompt.user)) // 4, _EXPECTED_OUTPUT_TOKENS)
        return self.spent + (expected or 0.0) <= self.max_cost

    def judge(self, prompt: Prompt, answer: str) -> Judgement:
        reply, usage, failure = self.ask(prompt, JudgeReply)
        if reply is None:
            return Judgement(reply=None, usage=usage, failure=failure or "no reply")
        return self._checked(reply, usage, answer)

    def ask(self, prompt: Prompt, shape: type[_Reply]) -> tuple[_Reply | None, Usage, str | None]:
        """One structured request: the cached reply if there is one, else the model's (one
        repair retry when it does not validate). Returns the reply or None, what it cost, and
        why there is no reply (one line)."""
        key = ReplyCache.key(self.provider.name, self.provider.model, prompt.key)
        cached = self.cache.get(key)
        if cached is not None:
            try:
                hit: _Reply | None = shape.model_validate(cached["reply"])
            except (KeyError, ValidationError):
                hit = None
            if hit is not None:
                usage = Usage(
                    calls=0,
                    input_tokens=0,
                    output_tokens=0,
                    latency_ms=0,
                    cost_usd=0.0 if self.priced else None,
                    cached=True,
                )
                return hit, usage, None
        replies: list[Reply] = []
        failure: str | None = None
        reply: _Reply | None = None
        repair: str | None = None
        for _attempt in range(2):  # the first try, then one repair
            if self._dead is not None:
                failure = self._dead
                break
            if not self._affordable(prompt):
                failure = (
                    f"the LLM budget of ${self.max_cost:g} would be exceeded "
                    f"(${self.spent:.4f} spent)"
                )
                break
            try:
                sent = self.provider.send(prompt, repair)
            except LLMUnavailable as exc:
                failure = str(exc)
                if str(exc).startswith("cannot reach"):
                    self._dead = failure  # no second wait on a server that is not there
                break
            replies.append(sent)
            self.spent += self.cost(sent.input_tokens, sent.output_tokens) or 0.0
            reply, problem = _parse(sent.text, shape)
            if reply is not None:
                break
            failure = f"the model's reply did not validate ({problem})"
            repair = (
                f"Your previous reply was:\n{sent.text[:4000]}\n\nIt is not valid: {problem}. "
                "Reply again with one JSON object that matches the schema, and nothing else."
            )
        usage = self._usage(replies)
        if reply is None:
            return None, usage, failure or "no reply"
        self.cache.put(key, {"reply": reply.model_dump(mode="json"), "model": self.label})
        return reply, usage, None

    def _usage(self, replies: list[Reply]) -> Usage:
        tokens_in = sum(r.input_tokens for r in replies)
        tokens_out = sum(r.output_tokens for r in replies)
        cost = self.cost(tokens_in, tokens_out)
        return Usage(
            calls=len(replies),
            input_tokens=tokens_in,
            output_tokens=tokens_out,
            latency_ms=sum(r.latency_ms for r in replies),
            cost_usd=None if cost is None else round(cost, 6),
        )

    @staticmethod
    def _checked(reply: JudgeReply, usage: Usage, answer: str) -> Judgement:
        judgement = Judgement(reply=reply, usage=usage)
        seen: set[tuple[str, str]] = set()
        for item in reply.evidence:
            check = check_quote(answer, item.quote)
            if check.quote is None:
                judgement.dropped += 1
                continue
            if check.status == "kept":
                judgement.kept += 1
            else:
                judgement.snapped += 1
            pair = (item.signal, check.quote)
            if pair not in seen:
                seen.add(pair)
                judgement.evidence.append(pair)
        return judgement


def _parse(text: str, shape: type[_Reply]) -> tuple[_Reply | None, str]:
    """The reply as a ``shape``, or None and a short reason."""
    body = text.strip()
    if body.startswith("```"):
        # a model that wraps its JSON in a code fence despite being told not to
        body = body.strip("`")
        body = body[body.find("{") :] if "{" in body else body
    try:
        # strict=False: a raw line break inside a string (llama.cpp's JSON grammar lets one
        # through) is still the reply the schema asked for
        data = json.loads(body, strict=False)
    except json.JSONDecodeError as exc:
        return None, f"not JSON: {exc.msg} at character {exc.pos}"
    try:
        return shape.model_validate(data), ""
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the object"
        return None, f"{where}: {first['msg']}"


def _why(context: QuestionContext, signal_id: str, missing: dict[str, MissingSignal]) -> str:
    if signal_id in missing:
        return missing[signal_id].why_it_matters
    if signal_id.startswith("drafted."):
        return "The rubric drafted for this pasted question asks for it."
    if context.question is not None:
        for signal in context.question.signals:
            if signal.id == signal_id:
                return signal.why_it_matters
    for feature in CONSEQUENCE_FEATURES:
        if signal_id.endswith(feature.id):
            return feature.why_it_matters
    return "The rubric for this question asks for it."


class LLMGrader:
    """``--grader llm``: the model's level, with its quotes held to the answer's words.

    Text the offline grader finds addressed to the grader is cut out before the answer is sent
    and can never raise the level above the offline grade's.
    """

    name = "llm"

    def __init__(
        self,
        bank: Bank,
        settings: LLMSettings,
        provider: Provider | None = None,
        cache: ReplyCache | None = None,
        offline: OfflineGrader | None = None,
    ) -> None:
        self.bank = bank
        self.offline = offline or offline_grader(bank)
        self._judge = _Judge(settings, provider, cache)
        self.version = f"{__version__}+prompt.{PROMPT_VERSION}"

    def close(self) -> None:
        """Close the connections to the model server (also done on leaving a ``with``)."""
        self._judge.provider.close()

    def __enter__(self) -> LLMGrader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def spent(self) -> float:
        """US dollars this grader has spent on calls so far."""
        return self._judge.spent

    @cached_property
    def conversation(self) -> LLMConversation:
        """The same model as interviewer (follow-ups, stakeholder lines, drafted rubrics), on
        this grader's connection, cache and budget."""
        return LLMConversation(self._judge)

    def judge(self, context: QuestionContext, answer: str) -> tuple[Grade, Judgement]:
        """The offline grade and the model's judgement of the same answer."""
        offline = self.offline(context, answer)
        rubric, drafting, notice = None, None, None
        if context.question is None:
            rubric, drafting, failure = self.conversation.draft_rubric(context.text)
            if rubric is None:
                notice = (
                    f"No rubric could be drafted for this pasted question ({failure}); the model "
                    "graded it on the general rubric."
                )
        prompt = build_prompt(
            context, answer, offline, _directed_spans(answer), self._judge.provider.model, rubric
        )
        judgement = self._judge.judge(prompt, answer)
        judgement.rubric, judgement.rubric_notice = rubric, notice
        if drafting is not None and (drafting.calls or drafting.cached):
            # the drafting call is paid for with the grade it serves
            summed = total_usage([drafting, judgement.usage])
            assert summed is not None
            judgement.usage = summed
        return offline, judgement

    def __call__(self, question: QuestionContext, answer: str) -> Grade:
        offline, judgement = self.judge(question, answer)
        return self._combine(question, offline, judgement)

    def _combine(self, context: QuestionContext, offline: Grade, judgement: Judgement) -> Grade:
        if judgement.reply is None:
            return _fallback(offline, judgement, self._judge.label)
        level = judgement.reply.level
        rule = "The LLM's level."
        if _directed(offline) and level > offline.level:
            level = offline.level
            rule = "Text aimed at the grader: the level is held at the offline grade's."
        return self._grade(context, offline, judgement, level, rule, flags_from_offline=False)

    def _grade(
        self,
        context: QuestionContext,
        offline: Grade,
        judgement: Judgement,
        level: int,
        rule: str,
        flags_from_offline: bool,
    ) -> Grade:
        reply = judgement.reply
        assert reply is not None
        quotes: dict[str, list[str]] = {}
        for signal, quote in judgement.evidence:
            quotes.setdefault(signal, []).append(quote)
        missing_by_id = {m.id: m for m in offline.missing}
        rubric = judgement.rubric
        # a pasted question's drafted signals first: they are this question's own
        specs = [(s.id, s.label, s.level) for s in rubric.signals] if rubric is not None else []
        specs += [(s.id, s.label, s.level) for s in offline.signals]
        signals = [
            SignalResult(
                id=sid,
                label=label,
                level=level,
                met=bool(quotes.get(sid)),
                quotes=quotes.get(sid, [])[:2],
            )
            for sid, label, level in specs
        ]
        missing = [
            MissingSignal(id=s.id, label=s.label, why_it_matters=_why(context, s.id, missing_by_id))
            for s in signals
            if not s.met
        ]
        missing.sort(key=lambda m: not any(s.id == m.id and s.level == "senior" for s in signals))
        # a signal's quotes go to the competency the offline grade filed it under
        home = {e.signal: c.id for c in offline.competencies for e in c.evidence}
        judged = {c.id: c.level for c in reply.competencies}
        competencies = []
        for competency in context.competencies:
            own = judged.get(competency.value, level)
            own = max(level - 1, min(level + 1, own, level if level < reply.level else 4))
            evidence = [
                Evidence(quote=q, signal=s)
                for s, q in judgement.evidence
                if home.get(s, context.competencies[0]) == competency
            ][:4]
            competencies.append(
                CompetencyGrade(id=competency, level=own, score=_BAND_SCORE[own], evidence=evidence)
            )
        flags = (
            list(offline.flags)
            if flags_from_offline
            else [f for f in offline.flags if f.id is Flag.GRADER_DIRECTED]
        )
        returned = judgement.kept + judgement.snapped + judgement.dropped
        notices = [judgement.rubric_notice] if judgement.rubric_notice else []
        if judgement.dropped:
            notices.append(
                f"{judgement.dropped} of the model's {returned} quotes were not in the answer "
                "and were dropped."
            )
        disagreement = abs(reply.level - offline.level) >= 2
        if disagreement:
            notices.append(
                f"Two graders disagree: the LLM judge ({self._judge.label}) said "
                f"{Level(reply.level).title.lower()}, the offline grader said "
                f"{Level(offline.level).title.lower()}. Read both before trusting either."
            )
        return offline.model_copy(
            update={
                "level": level,
                "level_name": Level(level).label,
                "score": _BAND_SCORE[level],
                "confidence": round((judgement.kept + judgement.snapped) / returned, 3)
                if returned
                else 0.5,
                "competencies": competencies,
                "signals": signals,
                "flags": flags,
                "missing": missing,
                "senior_delta": reply.senior_delta.strip() or offline.senior_delta,
                "follow_up": reply.follow_up.strip() or offline.follow_up,
                "follow_up_target": FollowUpTarget(kind="general")
                if reply.follow_up.strip()
                else offline.follow_up_target,
                "grader": GraderInfo(name=self.name, version=self.version, model=self._judge.label),
                "drivers": [],
                "register_": None,
                "usage": judgement.usage,
                "rubric": rubric,
                "judge": JudgeInfo(
                    llm_level=reply.level,
                    offline_level=offline.level,
                    quotes_kept=judgement.kept,
                    quotes_snapped=judgement.snapped,
                    quotes_dropped=judgement.dropped,
                    rule=rule,
                    disagreement=disagreement,
                ),
                "notices": notices,
            }
        )


class EnsembleGrader(LLMGrader):
    """``--grader ensemble``: the LLM's level inside the offline grader's hard gates."""

    name = "ensemble"

    def _combine(self, context: QuestionContext, offline: Grade, judgement: Judgement) -> Grade:
        if judgement.reply is None:
            return _fallback(offline, judgement, self._judge.label)
        proposed = judgement.reply.level
        caps = [(FLAG_CAPS[f.id], f.id) for f in offline.flags if f.id in FLAG_CAPS]
        if judgement.quotes_verify:
            level, rule = proposed, "The LLM's level: its quotes verify."
        else:
            level = offline.level
            rule = "The offline level: the LLM's quotes did not verify."
        if caps:
            cap = min(c for c, _ in caps)
            if level > cap:
                names = ", ".join(str(f) for c, f in caps if c == cap)
                level, rule = int(cap), f"Held at {cap.title.lower()} by the offline gate: {names}."
        if _directed(offline) and level > offline.level:
            level = offline.level
            rule = "Text aimed at the grader: the level is held at the offline grade's."
        return self._grade(context, offline, judgement, level, rule, flags_from_offline=True)


def _directed(grade: Grade) -> bool:
    return any(f.id is Flag.GRADER_DIRECTED for f in grade.flags)


def _fallback(offline: Grade, judgement: Judgement, label: str) -> Grade:
    """The offline grade, saying plainly that it is one and why."""
    notice = (
        f"LLM judge ({label}) gave no usable grade: {judgement.failure}. This is the offline grade."
    )
    return offline.model_copy(
        update={
            "usage": judgement.usage if judgement.usage.calls else None,
            "judge": JudgeInfo(
                llm_level=None,
                offline_level=offline.level,
                quotes_kept=0,
                quotes_snapped=0,
                quotes_dropped=0,
                rule="The offline level: the LLM gave no usable grade.",
            ),
            "notices": [
                *offline.notices,
                *([judgement.rubric_notice] if judgement.rubric_notice else []),
                notice,
            ],
        }
    )


def build_llm_grader(bank: Bank, settings: LLMSettings) -> LLMGrader:
    """The ``llm`` grader over ``bank`` with the configured provider and model."""
    return LLMGrader(bank, settings)


def build_ensemble_grader(bank: Bank, settings: LLMSettings) -> EnsembleGrader:
    """The ``ensemble`` grader over ``bank`` with the configured provider and model."""
    return EnsembleGrader(bank, settings)
