"""Word error rate: how far a transcript is from the text that was spoken."""

from __future__ import annotations

import re

from pmloop._numbers import ONES as _ONES
from pmloop._numbers import TENS as _TENS

__all__ = ["normalise_words", "word_error_rate"]


def _number_words(number: int) -> list[str]:
    if number < 20:
        return [_ONES[number]]
    if number < 100:
        tens, ones = divmod(number, 10)
        return [_TENS[tens - 2]] + ([_ONES[ones]] if ones else [])
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return [_ONES[hundreds], "hundred"] + (_number_words(rest) if rest else [])
    if number < 1_000_000:
        thousands, rest = divmod(number, 1000)
        return [*_number_words(thousands), "thousand"] + (_number_words(rest) if rest else [])
    return [str(number)]


#: Currency signs, said after the amount ("$4,100" is "four thousand one hundred dollars").
_CURRENCY = {"$": "dollars", "£": "pounds", "€": "euros"}
_AMOUNT = re.compile(
    r"([$£€])\s?(\d[\d,]*(?:\.\d+)?)(\s?(?:k|m|bn|thousand|million|billion|trillion)\b)?"
)
# British and American spellings of one word are the same word heard: both sides are folded to
# the American one ("prioritise", "behaviour", "labelled" are "prioritize", "behavior", "labeled")
_SPELLING = [
    (re.compile(r"^(\w{2,}[^aeiou\W])is(e|es|ed|ing|ation|ations)$"), r"\1iz\2"),
    (re.compile(r"^(\w+)ys(e|es|ed|ing)$"), r"\1yz\2"),
    (re.compile(r"^(behavi|col|hon|fav|lab|neighb|rum|hum|harb|flav|endeav)our(\w*)$"), r"\1or\2"),
    (
        re.compile(
            r"^(label|cancel|model|travel|signal|fuel|total|channel|level|counsel|dial)"
            r"l(ed|ing|er|ers)$"
        ),
        r"\1\2",
    ),  # fmt: skip
    (re.compile(r"^(cent|theat|met|lit|fib)re(s?)$"), r"\1er\2"),
    (re.compile(r"^(catalog|dialog|analog)ue(s?)$"), r"\1\2"),
]
_WORDS = {"programme": "program", "programmes": "programs", "judgement": "judgment",
          "licence": "license", "defence": "defense", "offence": "offense", "grey": "gray",
          "practise": "practice", "practised": "practiced", "enrol": "enroll",
          "fulfil": "fulfill", "towards": "toward", "okay": "ok"}  # fmt: skip


#: A filler sound drawn out is the same sound: "umm" and "uhh" are "um" and "uh" heard.
_DRAWN_OUT = [
    (re.compile(r"^u+m+$"), "um"),
    (re.compile(r"^u+h+$"), "uh"),
    (re.compile(r"^h+m+$"), "hmm"),
    (re.compile(r"^e+r+m+$"), "erm"),
    (re.compile(r"^a+h+$"), "ah"),
]


def _american(word: str) -> str:
    for sound, written in _DRAWN_OUT:
        if sound.match(word):
            return written
    word = _WORDS.get(word, word)
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


def normalise_words(text: str) -> list[str]:
    """Lower-case words without punctuation, as a voice says them: digits, decimals, % and
    currency amounts spelled out, British spellings folded to American ones, a drawn-out
    filler ("umm") written as the sound ("um")."""
    text = text.lower().replace("%", " percent ").replace("’", "'")
    text = _AMOUNT.sub(lambda m: f"{m.group(2)}{m.group(3) or ''} {_CURRENCY[m.group(1)]}", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(r"(?<=\d)\.(?=\d)", " point ", text)
    out: list[str] = []
    for token in re.findall(r"[a-z0-9']+", text):
        token = token.strip("'")
        if not token:
            continue
        if token.isdigit():
            out.extend(_number_words(int(token)))
        else:
            out.append(_american(token))
    return out


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / words in ``reference``, over normalised words."""
    ref, hyp = normalise_words(reference), normalise_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, said in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != said))
        previous = current
    return previous[-1] / len(ref)
