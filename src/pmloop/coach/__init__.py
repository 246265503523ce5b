"""The coach: runs practice loops over the interview logic, the grader and the store."""

from pmloop.coach._loop import (
    AnswerInput,
    AnswerPrompt,
    Coach,
    LoopIO,
    LoopOutcome,
    LoopSettings,
)
from pmloop.coach._scripted import ScriptedAnswers, ScriptedIO, load_script

__all__ = [
    "AnswerInput",
    "AnswerPrompt",
    "Coach",
    "LoopIO",
    "LoopOutcome",
    "LoopSettings",
    "ScriptedAnswers",
    "ScriptedIO",
    "load_script",
]
