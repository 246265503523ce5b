"""Spoken answers: offline transcription, recording, and the delivery read beside the grade.

Everything here but the delivery read needs the optional extra ``pmloop[voice]``; the heavy
imports happen on first use, so the base install and ``pmloop --help`` never load them.
"""

from pmloop.errors import AudioError
from pmloop.voice._delivery import PAUSE_SECONDS, Speech, analyse, strip_fillers
from pmloop.voice._measure import normalise_words, word_error_rate
from pmloop.voice._transcribe import (
    AUDIO_FORMATS,
    MAX_AUDIO_SECONDS,
    AnswerContext,
    Transcriber,
    Transcript,
    WhisperTranscriber,
    Word,
    check_audio_name,
    default_transcriber,
    read_audio,
    transcript_from,
)

__all__ = [
    "AUDIO_FORMATS",
    "AnswerContext",
    "AudioError",
    "MAX_AUDIO_SECONDS",
    "PAUSE_SECONDS",
    "Speech",
    "Transcriber",
    "Transcript",
    "WhisperTranscriber",
    "Word",
    "analyse",
    "check_audio_name",
    "default_transcriber",
    "normalise_words",
    "read_audio",
    "strip_fillers",
    "transcript_from",
    "word_error_rate",
]
