"""The coach: runs practice loops over the interview logic, the grader and the store."""

from pmloop.coach._drill import DrillPlan, plan_drill
from pmloop.coach._loop import (
    Answered,
    AnswerInput,
    AnswerPrompt,
    Asked,
    Coach,
    Discovery,
    LoopIO,
    LoopOutcome,
    LoopSettings,
    Step,
)
from pmloop.coach._scripted import ScriptedAnswers, ScriptedIO, load_script

__all__ = [
    "Answered",
    "AnswerInput",
    "AnswerPrompt",
    "Asked",
    "Coach",
    "Discovery",
    "DrillPlan",
    "LoopIO",
    "LoopOutcome",
    "LoopSettings",
    "ScriptedAnswers",
    "ScriptedIO",
    "Step",
    "load_script",
    "plan_drill",
]
