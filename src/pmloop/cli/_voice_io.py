"""``pmloop practice --voice``: speak each answer, read the transcript, correct it, submit.

Enter starts recording and Enter stops it, with a level meter and the elapsed time below; the
recording is transcribed on this machine and the transcript (fillers taken out) opens in the
usual answer box, saved as the draft at once, to correct before it is submitted. The content
grade comes first; the delivery read follows it. Whatever goes wrong with the audio, the answer
box stays: typing always works, and nothing already written is lost.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from pmloop.cli._terminal_io import COMMANDS, TerminalIO, show_prompt, split_command
from pmloop.coach import AnswerInput, AnswerPrompt
from pmloop.errors import AudioError
from pmloop.grading import Grade
from pmloop.voice import AnswerContext, Speech, Transcriber, analyse, strip_fillers
from pmloop.voice._record import MicrophoneRecorder, Recorder

__all__ = ["VoiceTerminalIO", "level_meter"]


def level_meter(level: float, width: int = 12) -> str:
    """A bar for an input level from 0 to 1."""
    filled = max(0, min(width, round(level * width)))
    return "▮" * filled + "▯" * (width - filled)


class VoiceTerminalIO(TerminalIO):
    """A terminal loop where answers are spoken, then corrected as text."""

    def __init__(
        self,
        console: Console,
        recorder: Recorder,
        transcriber: Transcriber,
        self_rating: bool = True,
        keep_audio: Path | None = None,
    ) -> None:
        super().__init__(console, self_rating=self_rating)
        self.recorder = recorder
        self.transcriber = transcriber
        self.keep_audio = keep_audio
        self._told_voice = False
        self._speech: dict[tuple[str, int, int], Speech] = {}

    def ask(self, prompt: AnswerPrompt, show: bool = True) -> AnswerInput:
        """Record, transcribe, and hand the transcript to the answer box to correct."""
        from prompt_toolkit import PromptSession

        if show:
            show_prompt(self.console, prompt)
        if not self._told_voice:
            self.console.print(
                Text(
                    "Voice: Enter starts recording and Enter stops it · t then Enter types this "
                    "answer instead · :hint, :skip, :quit work as usual",
                    style="dim",
                )
            )
            self._told_voice = True
        try:
            choice = PromptSession[str]().prompt("Enter to record › ")
        except EOFError:
            return AnswerInput(text=prompt.draft, command="quit")
        if choice.strip() in COMMANDS or choice.strip().startswith(":ask "):
            reply = split_command(choice)
            return replace(reply, text=prompt.draft) if reply.command != "answer" else reply
        if choice.strip().lower() == "t":
            return super().ask(prompt, show=False)
        path = self._record()
        if path is None:
            return super().ask(prompt, show=False)
        try:
            self.console.print(Text("Transcribing on this machine…", style="dim"))
            try:
                about = AnswerContext.of(prompt.question, prompt.text)
                transcript = self.transcriber.transcribe(path, about)
            except AudioError as exc:
                self.notice(f"{exc}. Type the answer instead.")
                return super().ask(prompt, show=False)
            self._keep(path, prompt)
        finally:
            if isinstance(self.recorder, MicrophoneRecorder):
                path.unlink(missing_ok=True)
        speech = analyse(transcript, prompt.minutes * 60)
        heard = strip_fillers(speech.transcript)
        text = f"{prompt.draft.rstrip()}\n{heard}" if prompt.draft.strip() else heard
        prompt.save_draft(text)  # the transcript is kept from this moment, whatever happens
        self.console.print(
            Text(
                "The transcript, fillers taken out: correct it, then Esc Enter or Ctrl-D submits.",
                style="dim",
            )
        )
        reply = super().ask(replace(prompt, draft=text), show=False)
        if reply.command != "answer" or not reply.text.strip():
            return reply
        self._speech[(prompt.session_id, prompt.number, prompt.depth)] = speech
        return replace(
            reply,
            source="voice",
            audio_seconds=transcript.duration,
            transcript=speech.transcript,
            delivery=speech.model_dump(mode="json"),
        )

    def _record(self) -> Path | None:
        """Record until Enter; None (after saying why) when nothing could be recorded."""
        from prompt_toolkit import PromptSession

        try:
            self.recorder.start()
        except AudioError as exc:
            self.notice(f"{exc}; type the answer instead.")
            return None
        started = time.monotonic()

        def status() -> str:
            # redrawn ten times a second on the prompt line itself
            elapsed = int(time.monotonic() - started)
            meter = level_meter(self.recorder.level())
            return f"● REC {elapsed // 60}:{elapsed % 60:02d}  {meter}  Enter stops › "

        try:
            PromptSession[str](refresh_interval=0.1).prompt(status)
        except (EOFError, KeyboardInterrupt):
            self.recorder.stop()
            raise KeyboardInterrupt from None
        return self.recorder.stop()

    def _keep(self, path: Path, prompt: AnswerPrompt) -> None:
        if self.keep_audio is None:
            return
        self.keep_audio.mkdir(parents=True, exist_ok=True)
        name = f"{prompt.session_id}-q{prompt.number}-{prompt.depth}{path.suffix or '.wav'}"
        shutil.copyfile(path, self.keep_audio / name)

    def feedback(self, prompt: AnswerPrompt, grade: Grade) -> None:
        """The content grade, then the delivery read of the answer just spoken."""
        super().feedback(prompt, grade)
        speech = self._speech.pop((prompt.session_id, prompt.number, prompt.depth), None)
        if speech is not None:
            from pmloop.cli._grade import render_delivery

            render_delivery(speech, self.console)


def open_voice(model: Path | None) -> tuple[Recorder | None, Transcriber, str | None]:
    """The recorder and transcriber for --voice, the model loading in the background; with no
    microphone the recorder is None and the reason is returned, to say once and type instead."""
    import threading

    from pmloop.voice import default_transcriber
    from pmloop.voice._record import open_recorder
    from pmloop.voice._transcribe import bundled_model_path

    transcriber = default_transcriber(model)
    if model is None and transcriber.model_path is None:
        bundled_model_path()  # a missing extra or a damaged model fails now, with one line
    try:
        recorder: Any = open_recorder()
    except AudioError as exc:
        return None, transcriber, str(exc)

    def warm() -> None:
        try:
            transcriber._load()
        except Exception:  # noqa: BLE001 - reported when the first answer is transcribed
            pass

    threading.Thread(target=warm, name="pmloop-whisper", daemon=True).start()
    return recorder, transcriber, None
