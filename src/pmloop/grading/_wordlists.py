"""Load the offline grader's word lists and patterns from their data files, once.

The files live in ``pmloop/grading/offline/data`` (``PMLOOP_GRADER_DATA`` names another folder
holding the same files, for tuning them without reinstalling). They are validated the way the
bank is: every problem is collected with its file and line and reported in one error, which
the CLI prints as one line. A hash of the files goes into the offline grader's version, so an
edited list never passes as the same grader.

Each file is a mapping of named entries; ``SCHEMA`` says which entries each file must hold and
of what kind. The kinds:

- ``any_of``: ``why`` and ``any_of``, a list of regular expressions joined by ``any_of`` in
  ``pmloop.grading._text`` into one case-insensitive pattern;
- ``regex``: ``why`` and ``regex``, one hand-written case-insensitive expression;
- ``word_groups``: ``why`` and ``groups``, a mapping of a concept to its words;
- ``concept_patterns``: ``why`` and ``groups``, a list of ``concept`` and ``any_of``;
- ``competency_patterns``: ``why`` and ``by_competency``, a competency id to ``any_of``;
- ``feature_rows``: ``why`` and ``rows``, the level model's feature table (``name``,
  ``label``, ``sign``, ``prior``, optional ``cap`` and ``neutral``), one row per feature;
- ``habit_rows``: ``why`` and ``rows``, the consequence habits (``id``, ``label``,
  ``why_it_matters``, ``competencies``, ``any_of``);
- ``red_line_rows``: ``why`` and ``rows``, the general red lines (``id``, ``text``, ``any_of``).

Any other key anywhere that is named ``any_of`` or ``regex`` is compiled the same way, so a
broken expression is found wherever it sits.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pmloop._coldstart import compile_pattern
from pmloop.errors import BankProblem, LexiconError
from pmloop.grading._text import any_of

__all__ = [
    "SCHEMA",
    "WordLists",
    "data_folder",
    "load_word_lists",
    "word_lists",
]

try:  # the C parser is several times faster; fall back where libyaml is absent
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

#: Every data file and the entries it must hold, with each entry's kind.
SCHEMA: dict[str, dict[str, str]] = {
    "lexicon.yaml": {
        "concept_words": "word_groups",
        "phrase_concepts": "concept_patterns",
        "frameworks": "any_of",
        "skeleton_frameworks": "any_of",
        "ai_terms": "any_of",
        "substance": "any_of",
        "cliches": "any_of",
        "collapse": "any_of",
        "certainty": "any_of",
        "restatements": "any_of",
        "hedges": "any_of",
        "mechanisms": "any_of",
        "specifics": "regex",
        "generic_process": "any_of",
        "dismissal": "any_of",
        "competency_cues": "competency_patterns",
        "senior_terms": "any_of",
        "jargon": "any_of",
        "reasoning": "any_of",
        "decision": "any_of",
        "absolutes": "any_of",
        "condition": "any_of",
    },
    "features.yaml": {
        "features": "feature_rows",
        "consequence_habits": "habit_rows",
    },
    "substance.yaml": {
        "aimed_at_grader": "any_of",
        "argues": "any_of",
        "abstract_concepts": "any_of",
        "turns_to_another_problem": "any_of",
        "reframes_as_another_problem": "any_of",
        "announces_plan": "any_of",
        "planned_elsewhere": "concept_patterns",
        "asks_for_plan": "concept_patterns",
        "asks_conversation": "any_of",
        "speaks_to_someone": "any_of",
        "asks_what_was_told": "any_of",
        "reports_telling": "any_of",
        "hedges_without_call": "any_of",
        "asks_call": "any_of",
        "asks_yes_no": "any_of",
        "opens_with_verdict": "any_of",
        "states_verdict": "any_of",
        "deliberates": "any_of",
        "condemns": "any_of",
        "reports": "any_of",
        "withholds_warning": "any_of",
        "for_appearance": "any_of",
        "stronger_safeguard": "any_of",
        "withholds_news": "any_of",
        "for_the_deal": "any_of",
        "drops_doubt": "any_of",
        "general_red_lines": "red_line_rows",
    },
}

Path_ = tuple[str | int, ...]


def data_folder() -> Path:
    """The folder the word lists are read from: ``PMLOOP_GRADER_DATA`` or the packaged one."""
    from pmloop.settings import get_settings

    override = get_settings().grader_data
    if override is not None:
        return Path(override)
    return Path(__file__).resolve().parent / "offline" / "data"


@dataclass
class WordLists:
    """The parsed data files, their compiled patterns and a hash of their bytes."""

    folder: Path
    digest: str
    data: dict[str, Any]
    patterns: dict[Path_, re.Pattern[str]] = field(default_factory=dict)
    problems: list[BankProblem] = field(default_factory=list)
    _files: dict[str, str] = field(default_factory=dict)
    _nodes: dict[str, yaml.Node | None] = field(default_factory=dict)

    def pattern(self, *path: str | int) -> re.Pattern[str]:
        """The compiled pattern of entry ``path[0]`` (``any_of`` or ``regex``, or deeper)."""
        if path in self.patterns:
            return self.patterns[path]
        for key in ("any_of", "regex"):
            if (*path, key) in self.patterns:
                return self.patterns[(*path, key)]
        raise KeyError(path)

    def entry(self, name: str) -> Any:
        """The parsed value of a top-level entry, whichever file holds it."""
        return self.data[name]

    def problem(self, path: Sequence[str | int], message: str) -> None:
        """Record a problem at ``path`` (entry name first), located by file and line."""
        name = str(path[0])
        file = self._files.get(name, str(self.folder))
        node = self._nodes.get(file)
        self.problems.append(
            BankProblem(
                file,
                _line_of(node, path),
                None,
                ".".join(str(p) for p in path),
                message,
            )
        )

    def raise_problems(self) -> None:
        """Raise one error naming every problem found, if any."""
        if self.problems:
            raise LexiconError(self.problems)


def load_word_lists(
    folder: Path | None = None,
    checks: Sequence[Callable[[WordLists], None]] = (),
) -> WordLists:
    """Read, validate and compile every data file in ``folder`` (default: ``data_folder()``).

    ``checks`` run after the files parse, each adding problems through ``WordLists.problem``;
    every problem found raises one ``LexiconError``.
    """
    root = folder if folder is not None else data_folder()
    digest = hashlib.sha256()
    lists = WordLists(root, "", {})
    for name, entries in SCHEMA.items():
        path = root / name
        try:
            raw = path.read_bytes()
        except OSError as exc:
            lists.problems.append(BankProblem(str(path), None, None, "", f"cannot read: {exc}"))
            continue
        digest.update(name.encode() + b"\0" + raw + b"\0")
        _parse(lists, path, raw, entries)
    lists.digest = digest.hexdigest()
    if not lists.problems:
        for check in checks:
            check(lists)
    lists.raise_problems()
    return lists


def _parse(lists: WordLists, path: Path, raw: bytes, entries: dict[str, str]) -> None:
    file = str(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        lists.problems.append(BankProblem(file, None, None, "", f"not UTF-8 (byte {exc.start})"))
        return
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        from pmloop.bank._loader import yaml_syntax_problem

        lists.problems.append(yaml_syntax_problem(file, exc))
        return
    finally:
        loader.dispose()
    lists._nodes[file] = node
    if not isinstance(data, dict):
        lists.problems.append(BankProblem(file, 1, None, "", "the file needs named entries"))
        return
    for name in data:
        if name not in entries:
            lists._files[str(name)] = file
            lists.problem([str(name)], f"unknown entry (this file holds {', '.join(entries)})")
    for name, kind in entries.items():
        lists._files[name] = file
        if name not in data:
            lists.problems.append(BankProblem(file, None, None, name, "missing entry"))
            continue
        value = data[name]
        lists.data[name] = value
        before = len(lists.problems)
        _check_kind(lists, name, kind, value)
        if len(lists.problems) == before:
            _compile_all(lists, (name,), value)


def _need(lists: WordLists, path: Path_, value: Any, kind: type, what: str) -> bool:
    if isinstance(value, kind) and (not isinstance(value, str | list | dict) or value):
        return True
    lists.problem(path, f"must be {what}")
    return False


def _strings(lists: WordLists, path: Path_, value: Any) -> None:
    if _need(lists, path, value, list, "a non-empty list of strings"):
        for index, item in enumerate(value):
            _need(lists, (*path, index), item, str, "a non-empty string")


def _check_kind(lists: WordLists, name: str, kind: str, value: Any) -> None:
    path: Path_ = (name,)
    if not _need(lists, path, value, dict, "a mapping with 'why' and its contents"):
        return
    _need(lists, (*path, "why"), value.get("why"), str, "a sentence saying what the entry is for")
    content = {
        "any_of": "any_of",
        "regex": "regex",
        "word_groups": "groups",
        "concept_patterns": "groups",
        "competency_patterns": "by_competency",
        "feature_rows": "rows",
        "habit_rows": "rows",
        "red_line_rows": "rows",
    }[kind]
    extra = set(value) - {"why", content}
    for key in sorted(extra):
        lists.problem((*path, key), f"unknown key (a {kind} entry holds 'why' and '{content}')")
    body = value.get(content)
    where = (*path, content)
    if kind == "any_of":
        _strings(lists, where, body)
    elif kind == "regex":
        _need(lists, where, body, str, "one regular expression")
    elif kind == "word_groups":
        if _need(lists, where, body, dict, "a mapping of a concept to its words"):
            for concept, words in body.items():
                _strings(lists, (*where, str(concept)), words)
    elif kind == "concept_patterns":
        if _need(lists, where, body, list, "a list of 'concept' and 'any_of'"):
            for index, group in enumerate(body):
                spot = (*where, index)
                if _need(lists, spot, group, dict, "a mapping of 'concept' and 'any_of'"):
                    _need(lists, (*spot, "concept"), group.get("concept"), str, "a concept name")
                    _strings(lists, (*spot, "any_of"), group.get("any_of"))
    elif kind == "competency_patterns":
        from pmloop.vocabulary import Competency

        if _need(lists, where, body, dict, "a mapping of competency ids to 'any_of'"):
            known = {c.value for c in Competency}
            for competency, group in body.items():
                spot = (*where, str(competency))
                if competency not in known:
                    lists.problem(spot, f"unknown competency (one of {', '.join(sorted(known))})")
                elif _need(lists, spot, group, dict, "a mapping with 'any_of'"):
                    _strings(lists, (*spot, "any_of"), group.get("any_of"))
    elif _need(lists, where, body, list, "a non-empty list of rows"):
        check = {"feature_rows": _feature_row, "habit_rows": _habit_row}.get(kind, _red_line_row)
        seen: set[str] = set()
        for index, row in enumerate(body):
            spot = (*where, index)
            if _need(lists, spot, row, dict, "a mapping"):
                check(lists, spot, row, seen)
        if kind == "feature_rows":
            from pmloop.vocabulary import MODEL_FLAGS

            for flag in MODEL_FLAGS:
                if f"flag_{flag.value}" not in seen:
                    lists.problem(where, f"no row for the model flag 'flag_{flag.value}'")


_NUMBER = (int, float)


def _row_keys(
    lists: WordLists, spot: Path_, row: dict[str, Any], required: dict[str, str], optional: set[str]
) -> None:
    for key in sorted(set(row) - set(required) - optional, key=str):
        lists.problem((*spot, str(key)), f"unknown key (a row holds {', '.join(required)})")
    for key, what in required.items():
        if key not in row:
            lists.problem(spot, f"missing '{key}' ({what})")


def _unique(lists: WordLists, spot: Path_, value: Any, seen: set[str]) -> None:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", value):
        lists.problem(spot, "must be an identifier (lower case, digits and _)")
    elif value in seen:
        lists.problem(spot, f"'{value}' appears twice")
    else:
        seen.add(value)


def _feature_row(lists: WordLists, spot: Path_, row: dict[str, Any], seen: set[str]) -> None:
    required = {"name": "its id", "label": "what it measures", "sign": "-1, 0 or 1"}
    required["prior"] = "the weight before fitting"
    _row_keys(lists, spot, row, required, {"cap", "neutral"})
    if "name" in row:
        _unique(lists, (*spot, "name"), row["name"], seen)
    if "label" in row:
        _need(lists, (*spot, "label"), row["label"], str, "a non-empty string")
    if "sign" in row and (isinstance(row["sign"], bool) or row["sign"] not in (-1, 0, 1)):
        lists.problem((*spot, "sign"), "must be -1, 0 or 1")
    for key in ("prior", "cap", "neutral"):
        value = row.get(key)
        if key in row and (isinstance(value, bool) or not isinstance(value, _NUMBER)):
            lists.problem((*spot, key), "must be a number")
    cap = row.get("cap")
    if isinstance(cap, _NUMBER) and not isinstance(cap, bool) and cap <= 0:
        lists.problem((*spot, "cap"), "must be above 0")


def _red_line_row(lists: WordLists, spot: Path_, row: dict[str, Any], seen: set[str]) -> None:
    required = {"id": "its id", "text": "the call it names", "any_of": "its patterns"}
    _row_keys(lists, spot, row, required, set())
    if "id" in row:
        _unique(lists, (*spot, "id"), row["id"], seen)
    if "text" in row:
        _need(lists, (*spot, "text"), row["text"], str, "a non-empty string")
    if "any_of" in row:
        _strings(lists, (*spot, "any_of"), row["any_of"])


def _habit_row(lists: WordLists, spot: Path_, row: dict[str, Any], seen: set[str]) -> None:
    from pmloop.vocabulary import Competency

    required = {"id": "its id", "label": "what it is", "why_it_matters": "why it matters"}
    required |= {"competencies": "the competencies it shows", "any_of": "its patterns"}
    _row_keys(lists, spot, row, required, set())
    if "id" in row:
        _unique(lists, (*spot, "id"), row["id"], seen)
    for key in ("label", "why_it_matters"):
        if key in row:
            _need(lists, (*spot, key), row[key], str, "a non-empty string")
    if "any_of" in row:
        _strings(lists, (*spot, "any_of"), row["any_of"])
    competencies = row.get("competencies")
    if "competencies" in row and _need(
        lists, (*spot, "competencies"), competencies, list, "a list of competency ids"
    ):
        known = {c.value for c in Competency}
        for index, competency in enumerate(competencies or []):
            if competency not in known:
                lists.problem(
                    (*spot, "competencies", index),
                    f"unknown competency (one of {', '.join(sorted(known))})",
                )


def _compile_all(lists: WordLists, path: Path_, value: Any) -> None:
    """Compile every ``any_of`` list and ``regex`` string under ``value``."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = (*path, str(key))
            if key == "any_of" and isinstance(item, list):
                _compile(lists, here, item, joined=True)
            elif key == "regex" and isinstance(item, str):
                _compile(lists, here, [item], joined=False)
            else:
                _compile_all(lists, here, item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _compile_all(lists, (*path, index), item)


def _compile(lists: WordLists, path: Path_, items: list[Any], joined: bool) -> None:
    if not all(isinstance(i, str) and i for i in items):
        for index, item in enumerate(items):
            _need(lists, (*path, index), item, str, "a non-empty string")
        return
    try:
        compiled = any_of(*items) if joined else compile_pattern(items[0], re.IGNORECASE)
    except re.error:
        # find the expressions to blame, each with its own line
        for index, item in enumerate(items):
            try:
                re.compile(item, re.IGNORECASE)
            except re.error as exc:
                lists.problem((*path, index) if joined else path, f"bad regular expression: {exc}")
        if not any(p.field.startswith(".".join(map(str, path))) for p in lists.problems):
            lists.problem(path, "the expressions do not combine into one pattern")
        return
    lists.patterns[path] = compiled


def _line_of(node: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    """The 1-based line of the deepest key or item along ``path`` that exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if pair is None:
                break
            node, line = pair[1], pair[0].start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


_LOADED: WordLists | None = None


def word_lists() -> WordLists:
    """The word lists every module of the grader reads, loaded once per process."""
    global _LOADED
    if _LOADED is None:
        _LOADED = load_word_lists()
    return _LOADED
