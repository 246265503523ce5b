"""The two wire formats, each through its provider's maintained client library.

``openai`` speaks to any OpenAI-compatible chat-completions server (OpenAI, Ollama, llama.cpp's
server, vLLM, LM Studio) through its base URL; ``anthropic`` to the Messages API. Both clients
retry timeouts, 429s and 5xx with backoff (honouring Retry-After) ``llm_max_retries`` times; what
still fails comes back as ``LLMUnavailable`` with a one-line reason.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Protocol

from pmloop.errors import DependencyError, SetupError
from pmloop.grading.llm._prompt import Prompt
from pmloop.grading.llm._settings import LLMSettings

__all__ = ["LLMUnavailable", "Provider", "Reply", "make_provider"]


class LLMUnavailable(Exception):
    """The model could not be reached or kept failing; the message is one line."""


@dataclass(frozen=True)
class Reply:
    """What came back from one call: the reply's text (JSON, if the model obeyed) and its cost."""

    text: str
    input_tokens: int
    output_tokens: int
    latency_ms: int


class Provider(Protocol):
    """Sends one prompt and returns the reply's text."""

    name: str
    model: str

    def send(self, prompt: Prompt, repair: str | None = None) -> Reply:
        """One request; ``repair`` is a note on why the previous reply did not validate."""
        ...

    def close(self) -> None:
        """Close the client's connections."""
        ...


def _secret(value: Any) -> str | None:
    if value is None:
        return None
    raw = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    return raw or None


def _user_text(prompt: Prompt, repair: str | None) -> str:
    if repair is None:
        return prompt.user
    return f"{prompt.user}\n\n{repair}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] if text else type(exc).__name__


class OpenAIProvider:
    """Chat completions: ``response_format`` json_schema, else JSON mode, else plain text."""

    name = "openai"

    def __init__(self, settings: LLMSettings, model: str) -> None:
        try:
            import openai
        except ImportError:
            raise DependencyError("pmloop[llm]", "the LLM grader") from None
        self._openai = openai
        self.model = model
        self.max_tokens = settings.llm_max_tokens
        self.base_url = settings.llm_base_url or None
        key = _secret(settings.llm_api_key)
        if key is None and self.base_url is None:
            raise SetupError(
                "the llm grader needs an API key: set PMLOOP_LLM_API_KEY or OPENAI_API_KEY, "
                "or PMLOOP_LLM_BASE_URL for a local server"
            )
        self.client = openai.OpenAI(
            api_key=key or "no-key",  # local servers ignore it; the client wants one
            base_url=self.base_url,
            timeout=settings.llm_timeout,
            max_retries=settings.llm_max_retries,
        )
        #: json_schema until the server refuses it; then json_object; then plain text
        self.mode = "json_schema"

    def _format(self, prompt: Prompt) -> dict[str, Any] | None:
        if self.mode == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": prompt.name, "strict": True, "schema": prompt.schema},
            }
        if self.mode == "json_object":
            # JSON mode; servers that read a schema beside it (llama-cpp-python's) constrain to it
            return {"type": "json_object", "schema": prompt.schema}
        return None

    def send(self, prompt: Prompt, repair: str | None = None) -> Reply:
        openai = self._openai
        while True:
            system = prompt.system
            if self.mode != "json_schema":
                system += "\n\nThe JSON schema of the reply:\n" + json.dumps(prompt.schema)
            kwargs: dict[str, Any] = {
                "model": self.model,
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": _user_text(prompt, repair)},
                ],
                "temperature": 0,
                "max_tokens": self.max_tokens,
            }
            response_format = self._format(prompt)
            if response_format is not None:
                kwargs["response_format"] = response_format
            started = time.monotonic()
            try:
                response = self.client.chat.completions.create(**kwargs)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                # a server without structured output refuses the response_format: step down
                if self.mode == "json_schema":
                    self.mode = "json_object"
                    continue
                if self.mode == "json_object":
                    self.mode = "plain"
                    continue
                raise LLMUnavailable(f"the server refused the request: {_one_line(exc)}") from None
            except openai.APITimeoutError:
                raise LLMUnavailable(
                    f"no reply within {self.client.timeout} s (after retries)"
                ) from None
            except openai.APIConnectionError as exc:
                raise LLMUnavailable(f"cannot reach {self._where()}: {_one_line(exc)}") from None
            except openai.APIStatusError as exc:
                if self.mode == "json_schema" and "json_schema" in str(exc):
                    # llama-cpp-python's server refuses the response_format type with a 500
                    self.mode = "json_object"
                    continue
                raise LLMUnavailable(
                    f"{self._where()} answered HTTP {exc.status_code}: {_one_line(exc)}"
                ) from None
            latency = int((time.monotonic() - started) * 1000)
            choices = getattr(response, "choices", None) or []
            text = (choices[0].message.content or "") if choices else ""
            usage = getattr(response, "usage", None)
            return Reply(
                text=text,
                input_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
                output_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
                latency_ms=latency,
            )

    def _where(self) -> str:
        return self.base_url or "the OpenAI API"

    def close(self) -> None:
        self.client.close()


class AnthropicProvider:
    """The Messages API; the reply is the input of a forced tool call."""

    name = "anthropic"

    def __init__(self, settings: LLMSettings, model: str) -> None:
        try:
            import anthropic
        except ImportError:
            raise DependencyError("pmloop[llm]", "the LLM grader") from None
        self._anthropic = anthropic
        self.model = model
        self.max_tokens = settings.llm_max_tokens
        self.base_url = settings.llm_base_url or None
        key = _secret(settings.anthropic_api_key)
        if key is None:
            raise SetupError("the Anthropic provider needs ANTHROPIC_API_KEY")
        self.client = anthropic.Anthropic(
            api_key=key,
            base_url=self.base_url,
            timeout=settings.llm_timeout,
            max_retries=settings.llm_max_retries,
        )

    def send(self, prompt: Prompt, repair: str | None = None) -> Reply:
        anthropic = self._anthropic
        started = time.monotonic()
        try:
            response = self.client.messages.create(
                model=self.model,
                max_tokens=self.max_tokens,
                system=prompt.system,
                messages=[{"role": "user", "content": _user_text(prompt, repair)}],
                tools=[
                    {
                        "name": prompt.name,
                        "description": prompt.purpose,
                        "input_schema": prompt.schema,
                    }
                ],
                tool_choice={"type": "tool", "name": prompt.name},
                extra_body={"temperature": 0},
            )
        except anthropic.APITimeoutError:
            raise LLMUnavailable(
                f"no reply within {self.client.timeout} s (after retries)"
            ) from None
        except anthropic.APIConnectionError as exc:
            raise LLMUnavailable(f"cannot reach {self._where()}: {_one_line(exc)}") from None
        except anthropic.APIStatusError as exc:
            raise LLMUnavailable(
                f"{self._where()} answered HTTP {exc.status_code}: {_one_line(exc)}"
            ) from None
        latency = int((time.monotonic() - started) * 1000)
        text = ""
        for block in getattr(response, "content", None) or []:
            if getattr(block, "type", None) == "tool_use":
                text = json.dumps(getattr(block, "input", None))
                break
            if getattr(block, "type", None) == "text" and not text:
                text = getattr(block, "text", "") or ""
        usage = getattr(response, "usage", None)
        return Reply(
            text=text,
            input_tokens=int(getattr(usage, "input_tokens", 0) or 0),
            output_tokens=int(getattr(usage, "output_tokens", 0) or 0),
            latency_ms=latency,
        )

    def _where(self) -> str:
        return self.base_url or "the Anthropic API"

    def close(self) -> None:
        self.client.close()


def make_provider(settings: LLMSettings) -> Provider:
    """The provider the settings name; a missing model or key is a one-line ``SetupError``."""
    model = settings.llm_model
    if not model:
        raise SetupError("the llm grader needs a model: set PMLOOP_LLM_MODEL")
    if settings.llm_provider == "anthropic":
        return AnthropicProvider(settings, model)
    if settings.llm_provider == "openai":
        return OpenAIProvider(settings, model)
    raise SetupError(
        f"unknown PMLOOP_LLM_PROVIDER '{settings.llm_provider}'; use openai or anthropic"
    )
