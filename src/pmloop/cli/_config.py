"""``pmloop config``: every setting, its value and where it came from."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

__all__ = ["HELP", "config"]

HELP = """Show every setting pmloop reads, its value and where it came from.

Each setting comes from an environment variable (named in the output) or is the default.
API keys are masked: enough to tell two keys apart, never enough to use one.
"""


class ConfigFormat(StrEnum):
    text = "text"
    json = "json"


def config(
    output_format: Annotated[
        ConfigFormat, typer.Option("--format", help="text or json.")
    ] = ConfigFormat.text,
) -> None:
    from pmloop.settings import describe_settings

    settings = describe_settings()
    if output_format is ConfigFormat.json:
        data = {"settings": [s.to_json_dict() for s in settings]}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    shown = [(s, "(not set)" if s.value is None else str(s.value)) for s in settings]
    name_width = max(len(s.name) for s, _ in shown)
    value_width = max(len(value) for _, value in shown)
    for setting, value in shown:
        sys.stdout.write(
            f"{setting.name:<{name_width}}  {value:<{value_width}}  "
            f"{setting.source} ({setting.variable})\n"
        )
