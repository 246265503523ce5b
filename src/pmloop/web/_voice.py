"""Spoken answers in the browser: ``POST /api/v1/transcribe`` takes a recording as the request
body and returns the transcript (fillers taken out, for the answer box) and the delivery read.

The page records with MediaRecorder (``static/voice.js``), sends the recording here, shows the
transcript in the answer box to correct, and submits it with the delivery read in a hidden
``speech`` field; the answer is then graded like a typed one. The recording itself is never
stored. The body is raw audio, not a form, so it is read with a size cap before anything
parses it; the Host and Origin checks of the app apply, and the page's CSRF token comes in the
``X-CSRF-Token`` header.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from pmloop.voice import AnswerContext, Speech
from pmloop.web._context import CSRF_COOKIE, BankDep, StateDep, Viewer, same_token
from pmloop.web._models import API_ERRORS, ErrorBody

__all__ = ["MAX_SPEECH_CHARS", "MAX_UPLOAD_BYTES", "delivery_lines", "router", "voice_reply"]

#: The largest recording accepted: minutes of compressed speech are a few megabytes.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
#: The longest delivery read a submitted answer may carry (JSON).
MAX_SPEECH_CHARS = 400_000
#: What the browser or a client may send, by Content-Type, and the file format it means.
CONTENT_TYPES = {
    "audio/webm": "webm",
    "video/webm": "webm",
    "audio/ogg": "ogg",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/mp4": "m4a",
    "audio/x-m4a": "m4a",
    "audio/m4a": "m4a",
}


class Transcribed(BaseModel):
    """A recorded answer, transcribed: the text for the answer box and the delivery read."""

    text: str = Field(description="The transcript without its fillers: what is graded.")
    speech: Speech = Field(description="The delivery read, the grade's speech object.")


#: This route's error statuses, beside the ones every API route shares.
VOICE_ERRORS: dict[int | str, dict[str, Any]] = {
    **API_ERRORS,
    413: {"model": ErrorBody, "description": "The recording is over 25 MB."},
    415: {"model": ErrorBody, "description": "The body is not one of the audio types taken."},
}

router = APIRouter(responses=VOICE_ERRORS)


def _format(content_type: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if kind not in CONTENT_TYPES:
        shown = kind or "none"
        raise HTTPException(
            415,
            f"a recording must be sent as audio (webm, ogg, wav, mp3 or m4a); the Content-Type "
            f"was {shown}",
        )
    return CONTENT_TYPES[kind]


@router.post("/api/v1/transcribe", tags=["voice"])
async def transcribe(
    request: Request,
    viewer: Viewer,
    state: StateDep,
    bank: BankDep,
    minutes: float = 4.0,
    question_id: Annotated[str | None, Query(max_length=200)] = None,
) -> Transcribed:
    """Transcribe a recorded answer (the request body: webm, ogg, wav, mp3 or m4a audio).

    Returns ``text`` (the transcript without fillers, what is graded once submitted) and
    ``speech`` (the delivery read: the ``speech`` object of a grade). ``question_id`` names the
    bank question answered: the transcriber then listens for its words. 413 when the body is
    over 25 MB, 415 for a body that is not audio, 422 for audio that cannot be used (silent,
    damaged, too long) or an unknown question.
    """
    # the shared server's sign-in checked the token (Viewer); the local app checks it here
    if state.accounts is None and not same_token(
        request.headers.get("x-csrf-token"), request.cookies.get(CSRF_COOKIE)
    ):
        raise HTTPException(403, "the page is out of date or not from this app; reload it")
    if not 0 < minutes <= 60:
        raise HTTPException(422, "minutes must be more than 0 and at most 60")
    about = None
    if question_id is not None:
        if question_id not in bank:
            raise HTTPException(422, f"no question '{question_id}' in the bank")
        about = AnswerContext.of(bank.get(question_id))
    suffix = _format(request.headers.get("content-type", ""))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, _too_big())
    handle, name = tempfile.mkstemp(prefix="pmloop-upload-", suffix=f".{suffix}")
    path = Path(name)
    try:
        size = 0
        with os.fdopen(handle, "wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    raise HTTPException(413, _too_big())
                out.write(chunk)
        if size == 0:
            raise HTTPException(422, "the recording is empty: nothing was recorded")
        return await run_in_threadpool(_transcribe, path, minutes, about)
    finally:
        path.unlink(missing_ok=True)


def _too_big() -> str:
    return (
        f"the recording is over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; send a shorter answer "
        "or a compressed format (webm, ogg, mp3, m4a)"
    )


def _transcribe(path: Path, minutes: float, about: AnswerContext | None) -> Transcribed:
    from pmloop.voice import analyse, default_transcriber, strip_fillers

    speech = analyse(default_transcriber().transcribe(path, about), minutes * 60)
    return Transcribed(text=strip_fillers(speech.transcript), speech=speech)


def voice_reply(speech: str) -> dict[str, Any]:
    """The fields of an answer submitted with a delivery read (the form's hidden ``speech``):
    a spoken answer's source, length, transcript and read; a typed one's source alone.

    A read that does not parse is dropped, never the answer: it is stored as spoken, without
    its delivery read, and graded as always.
    """
    if not speech.strip():
        return {"source": "typed"}
    try:
        read = Speech.model_validate_json(speech)
    except (ValidationError, json.JSONDecodeError):
        return {"source": "voice"}
    return {
        "source": "voice",
        "audio_seconds": read.duration,
        "transcript": read.transcript,
        "delivery": read.model_dump(mode="json"),
    }


def delivery_lines(delivery: dict[str, Any] | None) -> list[str] | None:
    """A stored delivery read as the lines the page shows under the grade."""
    if not delivery:
        return None
    try:
        return Speech.model_validate(delivery).lines()
    except ValidationError:
        return None
