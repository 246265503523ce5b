"""Recording a spoken answer: the default microphone through PortAudio, or a file played as if
it were being recorded (the seam tests and demos use; ``PMLOOP_VOICE_INPUT=FILE``).

A recorder is started, shows its level while it runs, and when stopped hands back the audio
file it made. ``PMLOOP_VOICE_DEVICE`` names a PortAudio input device (a virtual one included)
instead of the default microphone.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
import wave
from pathlib import Path
from typing import Any, Protocol

from pmloop.errors import AudioError

__all__ = ["FileRecorder", "MicrophoneRecorder", "Recorder", "open_recorder"]

RATE = 16000


class Recorder(Protocol):
    """Records one answer at a time."""

    def start(self) -> None:
        """Begin recording (raises ``AudioError`` when there is nothing to record from)."""
        ...

    def level(self) -> float:
        """How loud the input is right now, 0 to 1, for a level meter."""
        ...

    def stop(self) -> Path:
        """Stop and return the recording (a file the caller may delete)."""
        ...


class MicrophoneRecorder:
    """16 kHz mono from a PortAudio input device (the default microphone unless named)."""

    def __init__(self, device: str | None = None) -> None:
        if device is None:
            from pmloop.settings import get_settings

            device = get_settings().voice_device
        self.device = device
        self._chunks: list[bytes] = []
        self._level = 0.0
        self._stream: Any = None
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise ``AudioError`` with the reason when no microphone can be opened here."""
        sounddevice = _sounddevice()
        try:
            info = sounddevice.query_devices(self.device, "input")
        except (ValueError, sounddevice.PortAudioError) as exc:
            raise AudioError(f"no microphone to record from ({_first_line(exc)})") from None
        if not info or int(info.get("max_input_channels", 0)) < 1:
            raise AudioError("no microphone to record from (no input device)")

    def start(self) -> None:
        """Open the input stream and keep what it hears."""
        import numpy as np

        sounddevice = _sounddevice()
        self._chunks = []

        def heard(data: Any, frames: int, when: Any, status: Any) -> None:
            with self._lock:
                self._chunks.append(bytes(data))
                samples = np.frombuffer(data, dtype=np.int16).astype(np.float32)
                self._level = min(float(np.sqrt(np.mean(samples**2))) / 8000.0, 1.0)

        try:
            self._stream = sounddevice.RawInputStream(
                samplerate=RATE, channels=1, dtype="int16", device=self.device, callback=heard
            )
            self._stream.start()
        except (ValueError, sounddevice.PortAudioError) as exc:
            raise AudioError(f"the microphone could not be opened ({_first_line(exc)})") from None

    def level(self) -> float:
        """The loudness of the last block heard."""
        return self._level

    def stop(self) -> Path:
        """Close the stream and write what was heard to a WAV file."""
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None
        with self._lock:
            audio = b"".join(self._chunks)
        handle, name = tempfile.mkstemp(prefix="pmloop-answer-", suffix=".wav")
        os.close(handle)
        with wave.open(name, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(audio)
        return Path(name)


class FileRecorder:
    """Plays a recording in as if it were spoken now: the level follows the file, and stopping
    hands back the whole file however long the 'recording' ran."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._started = 0.0
        self._levels: list[float] = []

    def check(self) -> None:
        """The file must exist."""
        if not self.path.is_file():
            raise AudioError(f"PMLOOP_VOICE_INPUT names '{self.path}', which is not a file")

    def start(self) -> None:
        """Start the clock (and read the file's loudness, a tenth of a second at a time)."""
        self.check()
        self._started = time.monotonic()
        if not self._levels:
            try:
                from pmloop.voice._transcribe import read_audio

                samples = read_audio(self.path)
                step = RATE // 10
                self._levels = [
                    min(float((samples[i : i + step] ** 2).mean()) ** 0.5 * 4, 1.0)
                    for i in range(0, len(samples), step)
                ]
            except AudioError:
                self._levels = [0.0]  # transcribing it will say what is wrong with it

    def level(self) -> float:
        """The file's loudness at the time elapsed since start."""
        index = int((time.monotonic() - self._started) * 10)
        return self._levels[index % len(self._levels)] if self._levels else 0.0

    def stop(self) -> Path:
        """The file itself."""
        return self.path


def _sounddevice() -> Any:
    try:
        import sounddevice
    except ImportError:
        from pmloop.errors import DependencyError

        raise DependencyError("pmloop[voice]", "recording answers") from None
    except OSError:
        raise AudioError(
            "PortAudio is not installed, so no microphone can be opened "
            "(apt-get install libportaudio2)"
        ) from None
    return sounddevice


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def open_recorder() -> FileRecorder | MicrophoneRecorder:
    """The recorder to use: ``PMLOOP_VOICE_INPUT`` (a file, read when recording starts) when set,
    else the microphone; ``AudioError`` saying why when there is no microphone."""
    from pmloop.settings import get_settings

    given = get_settings().voice_input
    if given is not None:
        return FileRecorder(given.expanduser())
    recorder = MicrophoneRecorder()
    recorder.check()
    return recorder
