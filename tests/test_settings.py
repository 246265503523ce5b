"""The settings object: every PMLOOP_* variable parsed in one place, shown by ``pmloop config``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmloop.errors import SettingsError
from pmloop.settings import Settings, describe_settings, get_settings, mask_secret


@pytest.fixture(autouse=True)
def _no_llm_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        alias = Settings.model_fields[name].validation_alias
        if isinstance(alias, str) and alias != "PMLOOP_HOME":
            monkeypatch.delenv(alias, raising=False)


@pytest.mark.parametrize("word", ["0", "false", "no", "", "FALSE", "Off", " no "])
def test_false_words_turn_a_boolean_off(monkeypatch: pytest.MonkeyPatch, word: str) -> None:
    # before the settings object, the web app read bool("0") as True: cookies stayed Secure
    monkeypatch.setenv("PMLOOP_SECURE_COOKIES", word)
    monkeypatch.setenv("PMLOOP_MULTI_USER", word)
    settings = get_settings()
    assert settings.secure_cookies is False
    assert settings.multi_user is False


@pytest.mark.parametrize("word", ["1", "true", "yes", "on", "TRUE"])
def test_true_words_turn_a_boolean_on(monkeypatch: pytest.MonkeyPatch, word: str) -> None:
    monkeypatch.setenv("PMLOOP_MULTI_USER", word)
    assert get_settings().multi_user is True


def test_defaults_without_any_variable() -> None:
    settings = get_settings()
    assert settings.grader == "offline"
    assert settings.llm_provider == "openai"
    assert settings.secure_cookies is True and settings.multi_user is False
    assert settings.max_answer_words == 3000
    assert settings.llm_timeout == 60.0 and settings.llm_max_retries == 2
    assert settings.llm_api_key is None and settings.anthropic_api_key is None
    assert settings.llm_price_input is None and settings.llm_max_cost is None


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMLOOP_MAX_ANSWER_WORDS", "")
    monkeypatch.setenv("PMLOOP_LLM_BASE_URL", "")
    monkeypatch.setenv("PMLOOP_DATABASE_URL", " ")
    settings = get_settings()
    assert settings.max_answer_words == 3000
    assert settings.llm_base_url is None and settings.database_url is None


def test_every_variable_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    values = {
        "PMLOOP_HOME": str(tmp_path / "h"),
        "PMLOOP_DATABASE_URL": "sqlite:///x.db",
        "PMLOOP_BANK": str(tmp_path / "bank"),
        "PMLOOP_EMBEDDING_MODEL": str(tmp_path / "m.onnx"),
        "PMLOOP_GRADER_DATA": str(tmp_path / "lists"),
        "PMLOOP_MAX_ANSWER_WORDS": "12",
        "PMLOOP_GRADER": "llm",
        "PMLOOP_LLM_PROVIDER": "anthropic",
        "PMLOOP_LLM_BASE_URL": "http://127.0.0.1:11434/v1",
        "PMLOOP_LLM_MODEL": "gemma3:270m",
        "PMLOOP_LLM_TIMEOUT": "2.5",
        "PMLOOP_LLM_MAX_RETRIES": "0",
        "PMLOOP_LLM_PRICE_INPUT": "0.15",
        "PMLOOP_LLM_PRICE_OUTPUT": "0.6",
        "PMLOOP_LLM_MAX_COST": "1",
        "PMLOOP_MULTI_USER": "1",
        "PMLOOP_SECURE_COOKIES": "0",
        "PMLOOP_SERVE_HOST": "127.0.0.1",
        "PMLOOP_SERVE_PORT": "8765",
        "PMLOOP_SERVE_PARENT": "4242",
        "PMLOOP_WHISPER_MODEL": str(tmp_path / "whisper"),
        "PMLOOP_VOICE_INPUT": str(tmp_path / "answer.wav"),
        "PMLOOP_VOICE_DEVICE": "virtual-mic",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    s = get_settings()
    assert s.data_home() == tmp_path / "h"
    assert s.database_url == "sqlite:///x.db"
    assert s.bank == tmp_path / "bank" and s.embedding_model == tmp_path / "m.onnx"
    assert s.max_answer_words == 12 and s.grader_data == tmp_path / "lists"
    assert (s.grader, s.llm_provider, s.llm_model) == ("llm", "anthropic", "gemma3:270m")
    assert s.llm_base_url == "http://127.0.0.1:11434/v1"
    assert (s.llm_timeout, s.llm_max_retries) == (2.5, 0)
    assert (s.llm_price_input, s.llm_price_output, s.llm_max_cost) == (0.15, 0.6, 1.0)
    assert s.multi_user is True and s.secure_cookies is False
    assert (s.serve_host, s.serve_port, s.serve_parent) == ("127.0.0.1", 8765, 4242)
    assert s.whisper_model == tmp_path / "whisper" and s.voice_input == tmp_path / "answer.wav"
    assert s.voice_device == "virtual-mic"
    # every field that names a variable was set by this test: none was forgotten
    shown = {item.variable: item.source for item in describe_settings(s)}
    for name in values:
        assert shown[name] == "environment", name


def test_home_falls_back_to_the_xdg_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PMLOOP_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert get_settings().data_home() == tmp_path / "xdg" / "pmloop"


def test_the_openai_key_falls_back_to_openai_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-0000000001")
    settings = get_settings()
    assert settings.llm_api_key is not None
    assert settings.llm_api_key.get_secret_value() == "sk-openai-0000000001"
    assert settings.provider_api_key() == settings.llm_api_key
    monkeypatch.setenv("PMLOOP_LLM_API_KEY", "sk-pmloop-0000000002")
    key = get_settings().llm_api_key
    assert key is not None and key.get_secret_value() == "sk-pmloop-0000000002"


def test_anthropic_reads_its_own_key_or_pmloops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMLOOP_LLM_PROVIDER", "anthropic")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-0000000001")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-000000000003")
    settings = get_settings()
    assert settings.llm_api_key is None  # OPENAI_API_KEY is for the openai provider only
    key = settings.provider_api_key()
    assert key is not None and key.get_secret_value() == "sk-ant-000000000003"
    monkeypatch.setenv("PMLOOP_LLM_API_KEY", "sk-pmloop-0000000002")
    key = get_settings().provider_api_key()
    assert key is not None and key.get_secret_value() == "sk-pmloop-0000000002"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PMLOOP_SECURE_COOKIES", "maybe", "PMLOOP_SECURE_COOKIES must be one of 1, true"),
        ("PMLOOP_MAX_ANSWER_WORDS", "lots", "PMLOOP_MAX_ANSWER_WORDS must be a whole number"),
        ("PMLOOP_MAX_ANSWER_WORDS", "0", "PMLOOP_MAX_ANSWER_WORDS must be a whole number of at"),
        ("PMLOOP_LLM_PROVIDER", "gemini", "PMLOOP_LLM_PROVIDER must be one of openai or anthr"),
        ("PMLOOP_LLM_TIMEOUT", "soon", "PMLOOP_LLM_TIMEOUT must be a number"),
        ("PMLOOP_LLM_TIMEOUT", "0", "PMLOOP_LLM_TIMEOUT must be a number of seconds greater"),
        ("PMLOOP_LLM_MAX_COST", "-1", "PMLOOP_LLM_MAX_COST must be a number of US dollars"),
        ("PMLOOP_LLM_MAX_RETRIES", "1.5", "PMLOOP_LLM_MAX_RETRIES must be a whole number"),
        ("PMLOOP_LLM_MAX_TOKENS", "10", "PMLOOP_LLM_MAX_TOKENS must be a whole number of at l"),
        ("PMLOOP_SERVE_PORT", "70000", "PMLOOP_SERVE_PORT must be a port number"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        get_settings()
    message = str(caught.value)
    assert message.startswith(expected), message
    assert f"(got {value!r})" in message and "\n" not in message


def test_a_bad_key_value_is_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    # no key can fail to parse as a string; a bad provider next to a key must not print the key
    monkeypatch.setenv("PMLOOP_LLM_API_KEY", "sk-secret-value-123456")
    monkeypatch.setenv("PMLOOP_LLM_PROVIDER", "nope")
    with pytest.raises(SettingsError) as caught:
        get_settings()
    assert "sk-secret" not in str(caught.value)


def test_keys_are_masked() -> None:
    from pydantic import SecretStr

    assert mask_secret(SecretStr("sk-proj-abcdefghijklmnop1234")) == "sk-…1234"
    assert mask_secret(SecretStr("short")) == "****"
    assert mask_secret(None) is None


def test_the_cli_reports_a_bad_variable_in_one_line(pmloop_cli: Callable[..., Any]) -> None:
    run = pmloop_cli(
        "grade", "-q", "How would you evaluate it?", "-a", "An answer.",
        env={"PMLOOP_MAX_ANSWER_WORDS": "many"},
    )  # fmt: skip
    assert run.code == 2
    assert run.stderr == (
        "pmloop: error: PMLOOP_MAX_ANSWER_WORDS must be a whole number (got 'many')\n"
    )


def test_pmloop_config_shows_values_sources_and_masked_keys(
    pmloop_cli: Callable[..., Any], pmloop_home: Path
) -> None:
    env = {
        "PMLOOP_GRADER": "ensemble",
        "PMLOOP_LLM_API_KEY": "",
        "OPENAI_API_KEY": "sk-live-abcdefghijklmnopqrstuvwxyz9876",
        "PMLOOP_SECURE_COOKIES": "0",
    }
    run = pmloop_cli("config", env=env)
    assert run.code == 0, run.stderr
    text: str = run.stdout
    assert "abcdefghijklmnopqrstuvwxyz" not in text
    lines = {line.split()[0]: line.split() for line in text.splitlines()}
    assert lines["grader"] == ["grader", "ensemble", "environment", "(PMLOOP_GRADER)"]
    # the key pmloop will use came from OPENAI_API_KEY: the row names where it came from
    assert lines["llm_api_key"] == ["llm_api_key", "sk-…9876", "environment", "(OPENAI_API_KEY)"]
    assert lines["llm_timeout"] == ["llm_timeout", "60.0", "default", "(PMLOOP_LLM_TIMEOUT)"]
    assert lines["llm_model"] == ["llm_model", "(not", "set)", "default", "(PMLOOP_LLM_MODEL)"]
    assert lines["home"][1:] == [str(pmloop_home), "environment", "(PMLOOP_HOME)"]
    as_json = pmloop_cli("config", "--format", "json", env=env)
    assert as_json.code == 0
    rows = {r["name"]: r for r in json.loads(as_json.stdout)["settings"]}
    assert rows["llm_api_key"]["value"] == "sk-…9876"
    assert rows["llm_api_key"]["source"] == "environment"
    assert rows["llm_api_key"]["variable"] == "OPENAI_API_KEY"
    assert rows["secure_cookies"] == {
        "name": "secure_cookies",
        "variable": "PMLOOP_SECURE_COOKIES",
        "value": False,
        "source": "environment",
        "description": rows["secure_cookies"]["description"],
    }
    assert rows["llm_timeout"]["source"] == "default" and rows["llm_timeout"]["value"] == 60.0
    assert "abcdefghijklmnopqrstuvwxyz" not in as_json.stdout


def test_the_environment_is_read_on_every_call_though_settings_are_built_once_per_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PMLOOP_MAX_ANSWER_WORDS", "1200")
    first = get_settings()
    assert get_settings() is first  # the same environment: not validated again
    monkeypatch.setenv("PMLOOP_MAX_ANSWER_WORDS", "900")
    assert get_settings().max_answer_words == 900  # a change is seen at once
    monkeypatch.setenv("PMLOOP_MAX_ANSWER_WORDS", "1200")
    assert get_settings().max_answer_words == 1200
    assert get_settings(max_answer_words=50).max_answer_words == 50  # overrides are never kept
    assert get_settings().max_answer_words == 1200
