"""Spoken answers on this machine: nice -n 10 python benchmarks/voice.py [--clips 40].

Synthesises bank reference answers with espeak-ng (every other clip with fillers and a pause put
in), keeps the clips of 60-150 seconds, and for each one measures:
- real-time factor: transcription time / audio time (the bundled tiny.en, int8, 2 threads),
  told which question is answered as the product tells it (``--no-context``: not told);
- word error rate of the transcript as heard against the text espeak-ng read, fillers included,
  and of the two with their fillers taken out (what the grade reads against the answer);
- the content grade of the transcript (fillers taken out) against the grade of the same text
  typed: exactly equal, or within one level.
It prints a Markdown table and the process's peak resident memory; ``--transcripts FILE`` also
writes each clip's text read and transcript heard (JSON lines), to read the errors or score them
again. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pmloop.bank import load_bank
from pmloop.grading import Examiner
from pmloop.vocabulary import Level
from pmloop.voice import (
    AnswerContext,
    WhisperTranscriber,
    analyse,
    strip_fillers,
    word_error_rate,
)

FILLERS = ("Um,", "Uh,", "You know,", "Um,")


def speak(pieces: list[str | float], out: Path, wpm: int) -> float:
    """espeak-ng reads the text pieces, sox adds the silences; returns the clip's seconds."""
    parts: list[str] = []
    for number, piece in enumerate(pieces):
        part = out.with_name(f"{out.stem}-{number:03d}.wav")
        if isinstance(piece, str):
            raw = part.with_suffix(".raw.wav")
            subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(wpm), "-w", str(raw), piece],
                           check=True, capture_output=True)  # fmt: skip
            subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(part)], check=True)
            raw.unlink()
        else:
            subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(part), "trim",
                            "0", str(piece)], check=True)  # fmt: skip
        parts.append(str(part))
    subprocess.run(["sox", *parts, str(out)], check=True)
    for part in parts:
        Path(part).unlink()
    seconds = subprocess.run(["soxi", "-D", str(out)], capture_output=True, text=True, check=True)
    return float(seconds.stdout)


def with_fillers(text: str) -> list[str | float]:
    """The answer with a filler opening every third sentence and one 2.5-second pause."""
    sentences = re.split(r"(?<=[.?!])\s+", text)
    pieces: list[str | float] = []
    chunk: list[str] = []
    for number, sentence in enumerate(sentences):
        if number % 3 == 0:
            filler = FILLERS[(number // 3) % len(FILLERS)]
            sentence = f"{filler} {sentence[0].lower()}{sentence[1:]}"
        chunk.append(sentence)
        if number == len(sentences) // 2:
            pieces += [" ".join(chunk), 2.5]
            chunk = []
    pieces.append(" ".join(chunk))
    return pieces


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=40)
    parser.add_argument("--wpm", type=int, default=150, help="espeak-ng's speaking rate")
    parser.add_argument("--no-context", action="store_true",
                        help="do not tell the transcriber which question is answered")  # fmt: skip
    parser.add_argument("--transcripts", type=Path, metavar="FILE",
                        help="write each clip's text read and transcript heard here")  # fmt: skip
    args = parser.parse_args()
    if args.transcripts:
        args.transcripts.write_text("", encoding="utf-8")
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        sys.exit("benchmarks/voice.py needs espeak-ng and sox (apt-get install espeak-ng sox)")
    bank = load_bank()
    examiner = Examiner(bank)
    transcriber = WhisperTranscriber(threads=2)
    rows: list[tuple[str, float, float, float, int, int, int, float]] = []
    work = Path(tempfile.mkdtemp(prefix="pmloop-voice-bench-"))
    levels = (Level.STRONG, Level.SENIOR, Level.SURFACE, Level.BELOW_BAR)
    try:
        for level in levels:
            for question in bank:
                if len(rows) >= args.clips:
                    break
                text = question.references.at(level)
                filled = len(rows) % 2 == 1
                pieces: list[str | float] = with_fillers(text) if filled else [text]
                clip = work / f"{len(rows):03d}.wav"
                seconds = speak(pieces, clip, args.wpm)
                if not 60 <= seconds <= 150:
                    clip.unlink()
                    continue
                started = time.perf_counter()
                about = None if args.no_context else AnswerContext.of(question)
                transcript = transcriber.transcribe(clip, about)
                took = time.perf_counter() - started
                speech = analyse(transcript)
                graded_text = strip_fillers(speech.transcript)
                typed = examiner.grade(text, question_id=question.id).level
                spoken = examiner.grade(graded_text, question_id=question.id).level
                read = " ".join(p for p in pieces if isinstance(p, str))
                wer = word_error_rate(read, speech.transcript)
                wer_content = word_error_rate(strip_fillers(read), graded_text)
                if args.transcripts:
                    with args.transcripts.open("a", encoding="utf-8") as out:
                        heard = {"question": question.id, "read": read, "heard": speech.transcript}
                        out.write(json.dumps(heard) + "\n")
                rows.append((question.id, seconds, took / seconds, wer, typed, spoken,
                             speech.filler_count, wer_content))  # fmt: skip
                print(f"{len(rows):2d} {question.id[:40]:40s} {seconds:6.1f}s "
                      f"rtf {took / seconds:.3f} wer {wer:.3f} ({wer_content:.3f} without "
                      f"fillers) typed {typed} spoken {spoken} fillers {speech.filler_count}"
                      f"{' (put in)' if filled else ''}", file=sys.stderr, flush=True)  # fmt: skip
                clip.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not rows:
        sys.exit("no clip came out between 60 and 150 seconds")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds = [r[1] for r in rows]
    rtf = [r[2] for r in rows]
    wer = [r[3] for r in rows]
    exact = sum(r[4] == r[5] for r in rows) / len(rows)
    within = sum(abs(r[4] - r[5]) <= 1 for r in rows) / len(rows)
    print(f"| clips | {len(rows)} ({min(seconds):.0f}-{max(seconds):.0f} s, "
          f"{sum(seconds) / 60:.0f} min of audio) |")  # fmt: skip
    print("| --- | --- |")
    print(f"| real-time factor, median (max) | {statistics.median(rtf):.3f} ({max(rtf):.3f}) |")
    print(f"| peak resident memory (grader + model) | {peak_mb:.0f} MB |")
    content = [r[7] for r in rows]
    print(f"| word error rate against the text read, median (mean) | "
          f"{statistics.median(wer):.1%} ({statistics.fmean(wer):.1%}) |")  # fmt: skip
    print(f"| the same, fillers taken out of both, median (mean) | "
          f"{statistics.median(content):.1%} ({statistics.fmean(content):.1%}) |")  # fmt: skip
    print(f"| transcript grade = typed grade | {exact:.0%} |")
    print(f"| transcript grade within one level of typed | {within:.0%} |")


if __name__ == "__main__":
    main()
