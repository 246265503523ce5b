"""The interview: loop profiles, the question planner, and the follow-up policy. Pure logic."""

from pmloop.interview._followup import (
    MAX_FOLLOW_UPS,
    Edge,
    FollowUp,
    FollowUpPolicy,
    find_edge,
)
from pmloop.interview._formats import (
    CONCERN_MATCH,
    FACT_MATCH,
    STANCE_MARGIN,
    UNKNOWN_FACT,
    FactFinder,
    StakeholderEngine,
    StakeholderReply,
    discovery_note,
)
from pmloop.interview._interviewer import Interviewer
from pmloop.interview._planner import PROFILES, LoopPlanner, LoopProfile

__all__ = [
    "CONCERN_MATCH",
    "STANCE_MARGIN",
    "FACT_MATCH",
    "MAX_FOLLOW_UPS",
    "PROFILES",
    "Edge",
    "FollowUp",
    "FactFinder",
    "FollowUpPolicy",
    "Interviewer",
    "LoopPlanner",
    "LoopProfile",
    "StakeholderEngine",
    "StakeholderReply",
    "UNKNOWN_FACT",
    "discovery_note",
    "find_edge",
]
