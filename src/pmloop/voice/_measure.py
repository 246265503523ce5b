"""Word error rate: how far a transcript is from the text that was spoken."""

from __future__ import annotations

import re

__all__ = ["normalise_words", "word_error_rate"]

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()  # fmt: skip
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


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


def normalise_words(text: str) -> list[str]:
    """Lower-case words without punctuation; digits and % spelled out, as a voice says them."""
    text = text.lower().replace("%", " percent ").replace("’", "'")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    out: list[str] = []
    for token in re.findall(r"[a-z0-9']+", text):
        token = token.strip("'")
        if not token:
            continue
        if token.isdigit():
            out.extend(_number_words(int(token)))
        else:
            out.append(token)
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
