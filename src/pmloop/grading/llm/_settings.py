"""What the LLM backend reads from pmloop's settings (a structural type, so any settings object
with these attributes will do)."""

from __future__ import annotations

from typing import Protocol

from pydantic import SecretStr

__all__ = ["LLMSettings"]


class LLMSettings(Protocol):
    """The ``PMLOOP_LLM_*`` settings the judge needs."""

    @property
    def llm_provider(self) -> str: ...
    @property
    def llm_base_url(self) -> str | None: ...
    @property
    def llm_model(self) -> str | None: ...
    @property
    def llm_api_key(self) -> SecretStr | None: ...
    @property
    def anthropic_api_key(self) -> SecretStr | None: ...
    @property
    def llm_timeout(self) -> float: ...
    @property
    def llm_max_retries(self) -> int: ...
    @property
    def llm_max_tokens(self) -> int: ...
    @property
    def llm_price_input(self) -> float | None: ...
    @property
    def llm_price_output(self) -> float | None: ...
    @property
    def llm_max_cost(self) -> float | None: ...
