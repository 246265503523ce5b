"""The delivery read of a spoken answer: pace, fillers, pauses, hedges, the first point, talk
time. It reads how the answer was said; the content grade reads what was said, from the
transcript with its fillers taken out, so delivery never moves the content level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from pmloop.voice._transcribe import FILLER_SOUNDS, Transcript

__all__ = [
    "FAST_WPM",
    "PAUSE_SECONDS",
    "SLOW_WPM",
    "Pace",
    "Pause",
    "Speech",
    "SpeechSpan",
    "analyse",
    "strip_fillers",
]

#: A silence between two words at least this long is a pause worth naming.
PAUSE_SECONDS = 2.0
#: Words per minute over a stretch of the answer beyond which it ran fast, or below it slow.
FAST_WPM = 185.0
SLOW_WPM = 105.0
#: The stretch of speech pace is read over.
WINDOW_SECONDS = 20.0

# Sounds that fill silence always count; the phrases only where they are set off as filler
# ("you know, the risk" is filler, "you know the risk" is not).
_FILLERS = re.compile(
    rf"\b(?:{FILLER_SOUNDS})\b"
    r"|\b(?:you know|I mean)(?=[,.?!]|$)"
    r"|(?<=, )like(?=,)",
    re.IGNORECASE,
)
_HEDGES = re.compile(
    r"\b(?:I think|I guess|I suppose|I feel like|I'?m not sure|maybe|probably|perhaps|"
    r"possibly|kind of|sort of|might)\b",
    re.IGNORECASE,
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SpeechSpan(_Model):
    """A stretch of the transcript: its text, where it sits, and when it was said."""

    text: str = Field(max_length=200)
    start: int = Field(ge=0, description="Character offset in the transcript.")
    end: int = Field(ge=0)
    at: float = Field(ge=0, description="Seconds from the start of the recording.")


class Pause(_Model):
    """A silence of ``PAUSE_SECONDS`` or more between two words."""

    at: float = Field(ge=0, description="When the silence began, in seconds.")
    seconds: float = Field(ge=0)
    after: str = Field(max_length=80, description="The word before the silence.")


class Pace(_Model):
    """A stretch of the answer that ran fast or slow."""

    start: float = Field(ge=0)
    end: float = Field(ge=0)
    words_per_minute: float = Field(ge=0)
    read: str = Field(pattern="^(fast|slow)$")


class Speech(_Model):
    """How a spoken answer was delivered: the ``speech`` object of a grade."""

    transcript: str = Field(max_length=60000, description="What was heard, fillers included.")
    duration: float = Field(ge=0, description="Length of the recording in seconds.")
    words: int = Field(ge=0)
    words_per_minute: float = Field(ge=0, description="Over the time from first to last word.")
    pace: list[Pace] = Field(default_factory=list, max_length=200)
    fillers: list[SpeechSpan] = Field(default_factory=list, max_length=2000)
    filler_count: int = Field(ge=0)
    fillers_per_minute: float = Field(ge=0)
    pauses: list[Pause] = Field(default_factory=list, max_length=2000)
    hedges: list[SpeechSpan] = Field(default_factory=list, max_length=2000)
    first_point_seconds: float | None = Field(
        default=None, description="When the first call or recommendation began; None: none made."
    )
    first_point: str | None = Field(default=None, max_length=400)
    budget_seconds: float | None = Field(default=None, ge=0)

    def lines(self) -> list[str]:
        """The delivery read as short lines, worst news last."""
        out = [
            f"Spoken {_clock(self.duration)} · {self.words} words · "
            f"{self.words_per_minute:.0f} words per minute"
        ]
        for stretch in self.pace:
            out.append(
                f"  ran {stretch.read} from {_clock(stretch.start)} to {_clock(stretch.end)} "
                f"({stretch.words_per_minute:.0f} wpm)"
            )
        said = ", ".join(f'"{f.text}" at {_clock(f.at)}' for f in self.fillers[:8])
        more = f" and {len(self.fillers) - 8} more" if len(self.fillers) > 8 else ""
        out.append(
            f"Fillers: {self.filler_count} ({self.fillers_per_minute:.1f} a minute)"
            + (f": {said}{more}" if said else "")
        )
        if self.pauses:
            gaps = ", ".join(
                f"{p.seconds:.1f} s after “{p.after}” at {_clock(p.at)}" for p in self.pauses
            )
            out.append(f"Pauses over {PAUSE_SECONDS:.0f} s: {gaps}")
        else:
            out.append(f"Pauses over {PAUSE_SECONDS:.0f} s: none")
        kinds = {h.text.lower(): h.text for h in self.hedges}
        hedges = ", ".join(f'"{h}"' for h in kinds.values())
        out.append(f"Hedges: {len(self.hedges)}" + (f" ({hedges})" if hedges else ""))
        if self.first_point_seconds is None:
            out.append("First point: no call or recommendation heard")
        else:
            out.append(f"First point at {_clock(self.first_point_seconds)}: “{self.first_point}”")
        if self.budget_seconds:
            share = self.duration / self.budget_seconds
            verdict = "over" if share > 1 else "within"
            out.append(
                f"Talk time {_clock(self.duration)} of a {_clock(self.budget_seconds)} budget "
                f"({share:.0%}, {verdict})"
            )
        return out


def _clock(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class _Placed:
    start: int
    end: int
    at: float
    stop: float


def _placed(transcript: Transcript) -> tuple[str, list[_Placed]]:
    """The transcript text and each word's character span in it."""
    text = ""
    spans: list[_Placed] = []
    for w in transcript.words:
        piece = w.text if text else w.text.lstrip()
        start = len(text) + (len(piece) - len(piece.lstrip()))
        text += piece
        spans.append(_Placed(start, len(text), w.start, w.end))
    return text, spans


def _time_at(spans: list[_Placed], offset: int) -> float:
    for span in spans:
        if span.end > offset:
            return span.at
    return spans[-1].at if spans else 0.0


def _pace(transcript: Transcript) -> list[Pace]:
    words = transcript.words
    if not words:
        return []
    out: list[Pace] = []
    begin = words[0].start
    last = words[-1].end
    while begin < last:
        stop = min(begin + WINDOW_SECONDS, last)
        inside = [w for w in words if begin <= w.start < stop]
        if stop - begin < WINDOW_SECONDS / 2:
            break  # a short tail says too little about pace
        # silence is read as pauses, not pace: the stretch is measured over its speech only
        if len(inside) >= 8:
            spoken = max(inside[-1].end - inside[0].start, 1.0)
            wpm = len(inside) / spoken * 60
            read = "fast" if wpm > FAST_WPM else "slow" if wpm < SLOW_WPM else None
            if read:
                if out and out[-1].read == read and abs(out[-1].end - begin) < 0.01:
                    first = out.pop()
                    begin_at = first.start
                    spoken_all = max(inside[-1].end - begin_at, 1.0)
                    count = len([w for w in words if begin_at <= w.start < stop])
                    wpm = count / spoken_all * 60
                else:
                    begin_at = begin
                out.append(Pace(start=round(begin_at, 1), end=round(stop, 1),
                                words_per_minute=round(wpm, 1), read=read))  # fmt: skip
        begin = stop
    return out


def analyse(transcript: Transcript, budget_seconds: float | None = None) -> Speech:
    """Read the delivery of ``transcript``; ``budget_seconds`` is the answer's time budget."""
    from pmloop.grading._text import split_sentences
    from pmloop.grading.offline._substance import find_call

    text, spans = _placed(transcript)
    words = transcript.words
    speaking = (words[-1].end - words[0].start) if words else 0.0
    minutes = max(speaking, 1.0) / 60
    fillers = [
        SpeechSpan(text=m.group(), start=m.start(), end=m.end(), at=_time_at(spans, m.start()))
        for m in _FILLERS.finditer(text)
    ]
    hedges = [
        SpeechSpan(text=m.group(), start=m.start(), end=m.end(), at=_time_at(spans, m.start()))
        for m in _HEDGES.finditer(text)
    ]
    pauses = [
        Pause(at=a.end, seconds=round(b.start - a.end, 2), after=a.word.strip(",.?!;:")[:80])
        for a, b in zip(words, words[1:], strict=False)
        if b.start - a.end >= PAUSE_SECONDS
    ]
    call = find_call(split_sentences(strip_fillers(text)))
    first_at, first = None, None
    if call is not None:
        # the call was found in the text without fillers: find the same words in the transcript
        first = call.text[:400]
        head = re.escape(call.text.split()[0]) if call.text.split() else ""
        located = _locate(text, call.text)
        if located is None and head:
            found = re.search(head, text, re.IGNORECASE)
            located = found.start() if found else None
        first_at = _time_at(spans, located) if located is not None else None
    count = len(words)
    return Speech(
        transcript=text,
        duration=round(transcript.duration, 2),
        words=count,
        words_per_minute=round(count / minutes, 1) if count else 0.0,
        pace=_pace(transcript),
        fillers=fillers,
        filler_count=len(fillers),
        fillers_per_minute=round(len(fillers) / minutes, 2),
        pauses=pauses,
        hedges=hedges,
        first_point_seconds=first_at,
        first_point=first,
        budget_seconds=budget_seconds,
    )


def _locate(text: str, sentence: str) -> int | None:
    """Where the words of ``sentence`` begin in ``text``, fillers between them allowed."""
    tokens = re.findall(r"[\w'%]+", sentence)[:6]
    if not tokens:
        return None
    gap = r"(?:[\s,.;:!?-]+(?:(?:u+m+|u+h+m*|e+r+m*|a+h+|h+m+)[\s,.;:!?-]+)*)"
    pattern = gap.join(re.escape(t) for t in tokens)
    found = re.search(pattern, text, re.IGNORECASE)
    return found.start() if found else None


def strip_fillers(text: str) -> str:
    """``text`` without its fillers, tidied: what the content grade reads."""
    marked = _FILLERS.sub("\0", text)
    # a sentence that opened with fillers opens with the next word, capitalised
    marked = re.sub(
        r"(^|[.?!]\s+)(?:\0[,.]?\s*)+(\w)",
        lambda m: m.group(1) + m.group(2).upper(),
        marked,
    )
    # a filler goes with the commas that set it off: "would, you know, ship" -> "would ship"
    marked = re.sub(r",?\s*\0,?", "", marked)
    marked = re.sub(r"[ \t]{2,}", " ", marked)
    return marked.strip()
