"""A scripted LLM server on a real loopback socket, speaking OpenAI chat completions and
Anthropic Messages, and the settings that point pmloop at it.

Loaded by ``tests/llm/conftest.py`` (which serves it as the ``fake_llm`` fixture) and imported by
the tests through ``load()`` there, so there is one copy of each class.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pmloop.grading.llm import LLMGrader
from pmloop.settings import Settings

#: Builds a grader of the given class over the session's offline grader (the ``make`` fixture).
Make = Callable[[type[LLMGrader], Settings], LLMGrader]

QUESTION_ID = "researcher-disagreed-model-readiness-story"


@dataclass
class Step:
    """One scripted reply: a status, a JSON (or raw text) body, headers, and a delay first."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float


ScriptItem = Step | Callable[[Seen], Step]


class FakeLLM:
    """The server's script and what it saw; ``push`` queues replies, used in order."""

    def __init__(self) -> None:
        self.script: deque[ScriptItem] = deque()
        #: what answers once the script has run out (None: a 500 saying so)
        self.default: ScriptItem | None = None
        self.seen: list[Seen] = []
        self.closing = threading.Event()
        self.url = ""

    def push(self, *items: ScriptItem) -> None:
        self.script.extend(items)

    @property
    def openai_url(self) -> str:
        return self.url + "/v1"

    def settings(self, provider: str = "openai", **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "llm_provider": provider,
            "llm_base_url": self.openai_url if provider == "openai" else self.url,
            "llm_model": "judge-test",
            # PMLOOP_LLM_API_KEY wins for either provider; the Anthropic one comes on its own
            "llm_api_key": "sk-test" if provider == "openai" else None,
            "anthropic_api_key": "sk-ant-test",
            "llm_timeout": 5.0,
            "llm_max_retries": 0,
        }
        values.update(overrides)
        return Settings(**values)

    def env(self, provider: str = "openai", **extra: str) -> dict[str, str]:
        env = {
            "PMLOOP_LLM_PROVIDER": provider,
            "PMLOOP_LLM_BASE_URL": self.openai_url if provider == "openai" else self.url,
            "PMLOOP_LLM_MODEL": "judge-test",
            "PMLOOP_LLM_API_KEY": "sk-test",
            "PMLOOP_LLM_TIMEOUT": "5",
            "PMLOOP_LLM_MAX_RETRIES": "0",
        }
        env.update(extra)
        return env


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"_raw": raw.decode("utf-8", "replace")}
            seen = Seen(
                self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic()
            )
            fake.seen.append(seen)
            item = fake.script.popleft() if fake.script else fake.default
            if item is None:
                step = Step(500, _openai_error("no scripted reply left", "server_error"))
            elif callable(item):
                step = item(seen)
            else:
                step = item
            if step.delay and fake.closing.wait(step.delay):
                return
            data = step.body if isinstance(step.body, str) else json.dumps(step.body)
            payload = data.encode("utf-8")
            try:
                self.send_response(step.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for key, value in step.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client gave up (a timeout test)

    return Handler


@contextmanager
def serve() -> Iterator[FakeLLM]:
    """A scripted LLM server on 127.0.0.1 (a free port), stopped on leaving."""
    fake = FakeLLM()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.closing.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _openai_error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def openai_error(status: int, message: str, **headers: str) -> Step:
    kind = {400: "invalid_request_error", 429: "rate_limit_exceeded"}.get(status, "server_error")
    return Step(status, _openai_error(message, kind), dict(headers))


def anthropic_error(status: int, message: str, **headers: str) -> Step:
    kind = {429: "rate_limit_error", 529: "overloaded_error", 500: "api_error"}.get(
        status, "invalid_request_error"
    )
    return Step(status, {"type": "error", "error": {"type": kind, "message": message}}, headers)


def openai_reply(content: str, prompt_tokens: int = 1200, completion_tokens: int = 150) -> Step:
    return Step(
        200,
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "judge-test",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        },
    )


def anthropic_reply(
    grade: dict[str, Any], input_tokens: int = 1300, output_tokens: int = 160
) -> Step:
    return Step(
        200,
        {
            "id": "msg_test",
            "type": "message",
            "role": "assistant",
            "model": "judge-test",
            "content": [
                {"type": "tool_use", "id": "toolu_test", "name": "record_grade", "input": grade}
            ],
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        },
    )


def grade_reply(level: int, evidence: list[tuple[str, str]], **extra: Any) -> dict[str, Any]:
    """A judge reply in the schema pmloop asks for."""
    reply: dict[str, Any] = {
        "evidence": [{"signal": s, "quote": q} for s, q in evidence],
        "competencies": [],
        "level": level,
        "senior_delta": "Say which segment the eval under-sampled and how you would watch it.",
        "follow_up": "How would you know the spreadsheet fix held after launch?",
    }
    reply.update(extra)
    return reply


def answer_sent(seen: Seen) -> str:
    """The answer inside the nonce-fenced block of an OpenAI or Anthropic request."""
    body = seen.body
    user = body["messages"][-1]["content"] if "system" in body else body["messages"][1]["content"]
    start = user.index("<<ANSWER ")
    nonce = user[start + 9 : user.index(">>", start)]
    return str(user.split(f"<<ANSWER {nonce}>>\n", 1)[1].split(f"\n<<END {nonce}>>", 1)[0])


def echo_judge(level: int = 3) -> Callable[[Seen], Step]:
    """A judge for any question: quotes the answer's first words for the schema's first signal."""

    def reply(seen: Seen) -> Step:
        answer = answer_sent(seen)
        body = seen.body
        if "tools" in body:
            schema = body["tools"][0]["input_schema"]
        else:
            schema = body["response_format"]["json_schema"]["schema"]
        signals = schema["properties"]["evidence"]["items"]["properties"]["signal"].get("enum")
        quote = " ".join(answer.split()[:8])
        evidence = [(signals[0], quote)] if signals and quote in answer else []
        grade = grade_reply(level, evidence)
        if "tools" in body:
            return anthropic_reply(grade)
        return openai_reply(json.dumps(grade))

    return reply
