"""Labeled asks and turns: the set the match thresholds were chosen on (see _formats.py)."""

# (question id, what the candidate says, the fact or concern it should match, or None)
ASKS: list[tuple[str, str, str | None]] = [
    (
        "fixture-ambiguity-summaries-thumbs-down",
        "Are long meetings worse than short ones?",
        "long_meetings_only",
    ),
    (
        "fixture-ambiguity-summaries-thumbs-down",
        "Is it concentrated in meetings of a particular duration?",
        "long_meetings_only",
    ),
    (
        "fixture-ambiguity-summaries-thumbs-down",
        "Did we ship anything to the summarizer last week?",
        "context_cut",
    ),
    (
        "fixture-ambiguity-summaries-thumbs-down",
        "Was there any change to the transcript we send to the model?",
        "context_cut",
    ),
    ("fixture-ambiguity-summaries-thumbs-down", "Has the feedback button moved?", "new_button"),
    ("fixture-ambiguity-summaries-thumbs-down", "Any holidays this week?", "holiday_week"),
    ("fixture-ambiguity-summaries-thumbs-down", "What is the company's annual revenue?", None),
    ("fixture-ambiguity-summaries-thumbs-down", "How many engineers are on the team?", None),
    ("fixture-ambiguity-summaries-thumbs-down", "What language are most meetings held in?", None),
    ("fixture-ambiguity-summaries-thumbs-down", "What do users write in their comments?", None),
    (
        "fixture-ambiguity-agent-costs",
        "Is one customer responsible for most of it?",
        "one_customer",
    ),
    (
        "fixture-ambiguity-agent-costs",
        "How many model calls does each ticket take now?",
        "retries_loop",
    ),
    ("fixture-ambiguity-agent-costs", "Did token prices go up?", "price_unchanged"),
    ("fixture-ambiguity-agent-costs", "What is our gross margin?", None),
    ("fixture-ambiguity-agent-costs", "Who approved this quarter's budget?", None),
    ("fixture-ambiguity-agent-costs", "How happy are customers with the agent?", None),
]

TURNS: list[tuple[str, str, str | None]] = [
    (
        "fixture-roleplay-legal-voice-clone",
        "Before any clone is made, the voice owner has to say a consent sentence live.",
        "consent_check",
    ),
    (
        "fixture-roleplay-legal-voice-clone",
        "We'll begin with a small beta of podcasters rather than everyone.",
        "launch_scope",
    ),
    (
        "fixture-roleplay-legal-voice-clone",
        "I will personally own the takedown queue and respond within 24 hours.",
        "takedown_owner",
    ),
    (
        "fixture-roleplay-legal-voice-clone",
        "I understand your worry, this is an exciting feature for our users.",
        None,
    ),
    (
        "fixture-roleplay-legal-voice-clone",
        "Our competitors have already launched something similar.",
        None,
    ),
    ("fixture-roleplay-legal-voice-clone", "The audio quality is the best on the market.", None),
    (
        "fixture-roleplay-sales-accuracy",
        "Let's run a pilot on their own contracts so they can measure it.",
        "deal_at_risk",
    ),
    (
        "fixture-roleplay-sales-accuracy",
        "We only quote the 91% catch rate that we measured.",
        "false_claim",
    ),
    (
        "fixture-roleplay-sales-accuracy",
        "A lawyer still reviews every contract the assistant flags.",
        "human_review",
    ),
    (
        "fixture-roleplay-sales-accuracy",
        "This deal is worth a lot to the company this quarter.",
        None,
    ),
    ("fixture-roleplay-sales-accuracy", "I'll talk to marketing about the website copy.", None),
]
