"""How numbers under a hundred are spelled in English, for the code that reads or says them."""

from __future__ import annotations

__all__ = ["ONES", "TENS"]

#: "zero" to "nineteen", each at its own value
ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen").split()  # fmt: skip
#: "twenty" to "ninety": TENS[0] is 20, TENS[7] is 90
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
