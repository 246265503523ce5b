"""`pmloop questions list --format json` reports each question's format."""

import json
from collections.abc import Callable
from pathlib import Path


def test_list_json_reports_each_format(pmloop_cli: Callable, format_bank_file: Path) -> None:
    run = pmloop_cli("questions", "list", "--format", "json", "--bank", str(format_bank_file))
    assert run.code == 0, run.stderr
    formats = {row["id"]: row["format"] for row in json.loads(run.stdout)}
    assert formats == {
        "fixture-ambiguity-summaries-thumbs-down": "ambiguity",
        "fixture-ambiguity-agent-costs": "ambiguity",
        "fixture-roleplay-legal-voice-clone": "roleplay",
        "fixture-roleplay-sales-accuracy": "roleplay",
    }
