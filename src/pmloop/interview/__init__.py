"""The interview: loop profiles, the question planner, and the follow-up policy. Pure logic."""

from pmloop.interview._followup import (
    MAX_FOLLOW_UPS,
    Edge,
    FollowUp,
    FollowUpPolicy,
    find_edge,
)
from pmloop.interview._planner import PROFILES, LoopPlanner, LoopProfile

__all__ = [
    "MAX_FOLLOW_UPS",
    "PROFILES",
    "Edge",
    "FollowUp",
    "FollowUpPolicy",
    "LoopPlanner",
    "LoopProfile",
    "find_edge",
]
