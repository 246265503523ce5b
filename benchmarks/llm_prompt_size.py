"""How big the LLM judge's prompt is: python benchmarks/llm_prompt_size.py.

Builds the prompt for every interview question of the packaged bank with its own strong
reference answer as the answer, and prints the characters sent (system prompt plus user
message) and a token estimate at four characters a token. Nothing is sent anywhere; multiply
the tokens by your provider's price to see what one grade costs. Nothing here is a test.
"""

from __future__ import annotations

import statistics

from pmloop.grading import Examiner
from pmloop.grading.llm._prompt import build_prompt
from pmloop.vocabulary import QuestionFormat


def main() -> None:
    examiner = Examiner()
    sizes = []
    for question in examiner.bank:
        if question.format is not QuestionFormat.INTERVIEW:
            continue
        context = examiner.context(question_id=question.id)
        answer = question.references.strong
        offline = examiner.grader(context, answer)
        prompt = build_prompt(context, answer, offline, [], "any-model")
        sizes.append(len(prompt.system) + len(prompt.user))
    sizes.sort()
    print(f"questions: {len(sizes)}")
    print(f"characters sent, median: {statistics.median(sizes):,.0f}  max: {sizes[-1]:,}")
    print(f"tokens at 4 characters each, median: {statistics.median(sizes) / 4:,.0f}")


if __name__ == "__main__":
    main()
