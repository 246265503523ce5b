"""The LLM backend: a judge behind any OpenAI-compatible server or Anthropic, and the ensemble.

Needs the optional extra: ``pip install 'pmloop[llm]'``. See the README's "LLM backends".
"""

from pmloop.grading.llm._cache import ReplyCache
from pmloop.grading.llm._grader import (
    ENSEMBLE_RULE,
    EnsembleGrader,
    Judgement,
    LLMGrader,
    build_ensemble_grader,
    build_llm_grader,
)
from pmloop.grading.llm._prompt import ANSWER_PLACEHOLDER, JudgeReply, build_prompt, reply_schema
from pmloop.grading.llm._providers import LLMUnavailable, make_provider
from pmloop.grading.llm._quotes import QuoteCheck, check_quote
from pmloop.grading.llm._settings import LLMSettings
from pmloop.grading.llm._talk import LLMConversation, Talked

__all__ = [
    "ANSWER_PLACEHOLDER",
    "ENSEMBLE_RULE",
    "EnsembleGrader",
    "JudgeReply",
    "Judgement",
    "LLMConversation",
    "LLMGrader",
    "LLMSettings",
    "LLMUnavailable",
    "QuoteCheck",
    "ReplyCache",
    "Talked",
    "build_ensemble_grader",
    "build_llm_grader",
    "build_prompt",
    "check_quote",
    "make_provider",
    "reply_schema",
]
