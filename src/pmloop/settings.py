"""Every setting pmloop reads from the environment, in one pydantic model.

Each field names the variable it comes from (``PMLOOP_HOME``, ``PMLOOP_GRADER``, ...); nothing
else in pmloop reads ``os.environ``. ``get_settings()`` reads the environment afresh on every
call, so a test that sets a variable with ``monkeypatch.setenv`` sees it at once and there is
no cache to reset. A value that cannot be used raises ``SettingsError``: one line that names the
variable, what it must be and what it was.

Rules a reader might not guess:

- A boolean is true for ``1``, ``true``, ``yes`` or ``on`` and false for ``0``, ``false``,
  ``no``, ``off`` or an empty value (any case).
- An empty value of any other variable counts as unset: its default applies.
- ``llm_api_key`` is ``PMLOOP_LLM_API_KEY``, else (provider ``openai`` only) ``OPENAI_API_KEY``.
  ``anthropic_api_key`` is ``PMLOOP_LLM_API_KEY`` when the provider is ``anthropic``, else
  ``ANTHROPIC_API_KEY``. ``Settings.provider_api_key()`` is the key for the configured provider.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from pmloop.config import DEFAULT_MAX_ANSWER_WORDS
from pmloop.errors import SettingsError

__all__ = [
    "DEFAULT_MAX_ANSWER_WORDS",
    "FALSE_WORDS",
    "TRUE_WORDS",
    "Setting",
    "Settings",
    "describe_settings",
    "get_settings",
    "mask_secret",
]

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def _field(default: Any, variable: str, help: str) -> Any:
    return Field(default, validation_alias=variable, description=help)


class Settings(BaseModel):
    """pmloop's configuration. Field ``x`` is read from ``PMLOOP_X`` unless its alias says else.

    A plain model read from a filtered copy of the environment (``get_settings``): the
    environment and keyword arguments are its only sources, so pydantic-settings, a fifth of a
    cold ``pmloop grade`` to import, is not needed.
    """

    model_config = ConfigDict(
        extra="ignore",
        populate_by_name=True,
        validate_default=False,
    )

    # where data lives
    home: Path | None = _field(
        None, "PMLOOP_HOME", "Folder for every file pmloop writes (default: XDG data folder)."
    )
    xdg_data_home: Path | None = _field(
        None, "XDG_DATA_HOME", "Used when PMLOOP_HOME is unset: pmloop writes to its pmloop/."
    )
    database_url: str | None = _field(
        None, "PMLOOP_DATABASE_URL", "SQLAlchemy URL of the session database (default: SQLite)."
    )
    bank: Path | None = _field(
        None, "PMLOOP_BANK", "A bank file or folder to use instead of the packaged bank."
    )
    embedding_model: Path | None = _field(
        None, "PMLOOP_EMBEDDING_MODEL", "The MiniLM ONNX file (default: the installed package)."
    )
    grader_data: Path | None = _field(
        None,
        "PMLOOP_GRADER_DATA",
        "A folder of offline-grader word lists to use instead of the packaged ones.",
    )
    max_answer_words: int = _field(
        DEFAULT_MAX_ANSWER_WORDS, "PMLOOP_MAX_ANSWER_WORDS", "Longest answer graded, in words."
    )

    # grading
    grader: str = _field(
        "offline", "PMLOOP_GRADER", "Grader used when --grader is not given (pmloop.graders)."
    )
    llm_provider: Literal["openai", "anthropic"] = _field(
        "openai", "PMLOOP_LLM_PROVIDER", "Wire format of the LLM server: openai or anthropic."
    )
    llm_base_url: str | None = _field(
        None, "PMLOOP_LLM_BASE_URL", "Base URL of an OpenAI-compatible server (Ollama, vLLM...)."
    )
    llm_model: str | None = _field(None, "PMLOOP_LLM_MODEL", "Model name sent to the server.")
    llm_api_key: SecretStr | None = Field(
        None,
        validation_alias="PMLOOP_LLM_API_KEY",
        description="API key (openai provider: falls back to OPENAI_API_KEY).",
    )
    openai_api_key: SecretStr | None = _field(
        None, "OPENAI_API_KEY", "Read when PMLOOP_LLM_API_KEY is unset and the provider is openai."
    )
    anthropic_api_key: SecretStr | None = _field(
        None, "ANTHROPIC_API_KEY", "Anthropic key (PMLOOP_LLM_API_KEY wins for anthropic)."
    )
    llm_timeout: float = _field(60.0, "PMLOOP_LLM_TIMEOUT", "Seconds before an LLM call fails.")
    llm_max_retries: int = _field(
        2, "PMLOOP_LLM_MAX_RETRIES", "Retries after a timeout, 429 or 5xx."
    )
    llm_max_tokens: int = _field(
        2048, "PMLOOP_LLM_MAX_TOKENS", "Longest reply, in tokens, an LLM call may write."
    )
    llm_price_input: float | None = _field(
        None, "PMLOOP_LLM_PRICE_INPUT", "USD per million input tokens, for cost figures."
    )
    llm_price_output: float | None = _field(
        None, "PMLOOP_LLM_PRICE_OUTPUT", "USD per million output tokens, for cost figures."
    )
    llm_max_cost: float | None = _field(
        None, "PMLOOP_LLM_MAX_COST", "USD a session may spend on LLM calls before it stops."
    )

    # pmloop serve (set by the serve command for its worker processes; rarely set by hand)
    multi_user: bool = _field(False, "PMLOOP_MULTI_USER", "Serve as a shared server.")
    secure_cookies: bool = _field(
        True, "PMLOOP_SECURE_COOKIES", "Mark sign-in cookies Secure (HTTPS only)."
    )
    serve_host: str | None = _field(None, "PMLOOP_SERVE_HOST", "Host the served app answers to.")
    serve_port: int | None = _field(None, "PMLOOP_SERVE_PORT", "Port the served app answers on.")
    serve_parent: int | None = _field(
        None, "PMLOOP_SERVE_PARENT", "Process id a worker exits with."
    )

    # spoken answers (pmloop[voice])
    whisper_model: Path | None = _field(
        None, "PMLOOP_WHISPER_MODEL", "A faster-whisper model folder (default: bundled tiny.en)."
    )
    voice_input: Path | None = _field(
        None, "PMLOOP_VOICE_INPUT", "practice --voice records this audio file, not the microphone."
    )
    voice_device: str | None = _field(
        None, "PMLOOP_VOICE_DEVICE", "PortAudio input device to record from (default: the default)."
    )

    @field_validator("multi_user", "secure_cookies", mode="before")
    @classmethod
    def _boolean(cls, value: object) -> object:
        if isinstance(value, str):
            word = value.strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ValueError("must be one of 1, true, yes, on, 0, false, no, off or empty")
        return value

    @field_validator(
        "max_answer_words", "llm_max_retries", "llm_max_tokens", "serve_port", "serve_parent"
    )
    @classmethod
    def _whole(cls, value: int | None, info: Any) -> int | None:
        if value is None:
            return None
        least = {"max_answer_words": 1, "serve_parent": 1, "llm_max_tokens": 64}.get(
            info.field_name, 0
        )
        if value < least:
            raise ValueError(f"must be a whole number of at least {least}")
        if info.field_name == "serve_port" and value > 65535:
            raise ValueError("must be a port number, 0 to 65535")
        return value

    @field_validator(
        "llm_timeout", "llm_price_input", "llm_price_output", "llm_max_cost", mode="after"
    )
    @classmethod
    def _positive(cls, value: float | None, info: Any) -> float | None:
        if value is None:
            return None
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("must be a finite number")
        if info.field_name == "llm_timeout" and value <= 0:
            raise ValueError("must be a number of seconds greater than 0")
        if value < 0:
            raise ValueError("must be a number of US dollars, 0 or more")
        return value

    @field_validator("grader", mode="after")
    @classmethod
    def _grader_name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must name a grader")
        return value.strip()

    def model_post_init(self, context: Any) -> None:
        # the provider's key: PMLOOP_LLM_API_KEY first, then the provider's own variable
        own = self.llm_api_key
        if own is None and self.llm_provider == "openai":
            self.llm_api_key = self.openai_api_key
        if own is not None and self.llm_provider == "anthropic":
            self.anthropic_api_key = own

    def provider_api_key(self) -> SecretStr | None:
        """The API key for ``llm_provider``."""
        return self.anthropic_api_key if self.llm_provider == "anthropic" else self.llm_api_key

    def data_home(self) -> Path:
        """The folder that holds every file pmloop writes for the user."""
        if self.home is not None:
            return self.home.expanduser()
        base = self.xdg_data_home or Path.home() / ".local" / "share"
        return base / "pmloop"


def _variables(name: str, settings: Settings) -> tuple[str, ...]:
    """The variables a field may come from, first present wins (``Settings`` says the rules)."""
    if name == "llm_api_key":
        own = ("PMLOOP_LLM_API_KEY",)
        return own + (("OPENAI_API_KEY",) if settings.llm_provider == "openai" else ())
    if name == "anthropic_api_key":
        if settings.llm_provider == "anthropic":
            return ("PMLOOP_LLM_API_KEY", "ANTHROPIC_API_KEY")
        return ("ANTHROPIC_API_KEY",)
    alias = Settings.model_fields[name].validation_alias
    assert isinstance(alias, str)
    return (alias,)


def _present(environ: Mapping[str, str]) -> dict[str, str]:
    """The variables pmloop reads that hold a value; an empty one counts as unset.

    Booleans are the exception: an empty boolean is a value (false), kept as such.
    """
    booleans = {"PMLOOP_MULTI_USER", "PMLOOP_SECURE_COOKIES"}
    names = {
        field.validation_alias
        for field in Settings.model_fields.values()
        if isinstance(field.validation_alias, str)
    }
    return {
        name: value
        for name, value in environ.items()
        if name in names and (value.strip() or name in booleans)
    }


#: Settings already built, by the variables they were built from: the environment is read on
#: every call, but building and validating the model again for the same values costs a
#: millisecond a grade (bounded: a process sees few distinct environments)
_BUILT: dict[frozenset[tuple[str, str]], Settings] = {}


def get_settings(**overrides: Any) -> Settings:
    """The settings as the environment holds them now, read afresh on every call.

    Keyword arguments (field names) override the environment. Raises ``SettingsError`` naming
    the first variable whose value cannot be used. Nothing should change the object returned:
    with no overrides, the same one is returned while the environment stays the same.
    """
    key = frozenset(_present(os.environ).items()) if not overrides else None
    if key is not None and key in _BUILT:
        return _BUILT[key]
    values: dict[str, Any] = dict(_present(os.environ))
    for name in overrides:
        # a keyword argument wins over the variable its field is read from
        field = Settings.model_fields.get(name)
        if field is not None and isinstance(field.validation_alias, str):
            values.pop(field.validation_alias, None)
    values.update(overrides)
    try:
        built = Settings.model_validate(values)
    except ValidationError as exc:
        raise SettingsError(_explain(exc, _present(os.environ))) from None
    if key is not None:
        if len(_BUILT) >= 16:
            _BUILT.clear()
        _BUILT[key] = built
    return built


def _explain(exc: ValidationError, values: Mapping[str, str]) -> str:
    error = exc.errors()[0]
    variable = str(error["loc"][0]) if error["loc"] else "a setting"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "literal_error":
        message = "must be one of " + message.removeprefix("Input should be ").replace("'", "")
    elif error["type"] in ("int_parsing", "int_from_float"):
        message = "must be a whole number"
    elif error["type"] == "float_parsing":
        message = "must be a number"
    got = values.get(variable)
    shown = "****" if got is not None and "KEY" in variable else got
    suffix = f" (got {shown!r})" if shown is not None else ""
    return f"{variable} {message}{suffix}"


def mask_secret(secret: SecretStr | None) -> str | None:
    """A key as ``sk-…abcd``: enough to tell two keys apart, never enough to use one."""
    if secret is None:
        return None
    value = secret.get_secret_value()
    if len(value) < 12:
        return "****"
    return f"{value[:3]}…{value[-4:]}"


class Setting:
    """One line of ``pmloop config``: a setting, its value as shown and where it came from."""

    def __init__(
        self, name: str, variable: str, value: object, source: str, description: str
    ) -> None:
        self.name = name
        self.variable = variable
        self.value = value
        self.source = source
        self.description = description

    def to_json_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "variable": self.variable,
            "value": self.value,
            "source": self.source,
            "description": self.description,
        }


def describe_settings(settings: Settings | None = None) -> list[Setting]:
    """Every setting with its value (secrets masked) and its source: environment or default."""
    present = _present(os.environ)
    settings = settings or get_settings()
    out = []
    for name, field in Settings.model_fields.items():
        variables = _variables(name, settings)
        came_from = next((v for v in variables if v in present), None)
        value = getattr(settings, name)
        if name == "home" and value is None:
            value = settings.data_home()  # where pmloop writes, when nothing moved it
        if isinstance(value, SecretStr):
            shown: object = mask_secret(value)
        elif isinstance(value, Path):
            shown = str(value)
        else:
            shown = value
        out.append(
            Setting(
                name=name,
                variable=came_from or variables[0],
                value=shown,
                source="environment" if came_from else "default",
                description=field.description or "",
            )
        )
    return out
