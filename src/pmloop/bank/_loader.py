"""Load bank YAML files, validate them, and report every problem with file, line and field."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import marshal
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from pmloop.bank._models import Question
from pmloop.errors import BankError, BankProblem, UnknownQuestionError
from pmloop.vocabulary import Competency

__all__ = ["Bank", "bank_files", "default_bank_path", "load_bank", "validate_bank"]

_SUFFIXES = (".yaml", ".yml")

try:  # the C loader is several times faster; fall back where libyaml is absent
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def default_bank_path() -> Path:
    """The folder of the bank that ships with pmloop."""
    return Path(str(resources.files("pmloop.bank").joinpath("data")))


@dataclass(frozen=True)
class Bank:
    """A validated set of questions, in file order, with a hash of the files they came from."""

    questions: tuple[Question, ...]
    content_hash: str
    source: Path
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({q.id: q for q in self.questions})

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def get(self, question_id: str) -> Question:
        """The question with this id; an unknown id raises with the closest ids suggested."""
        try:
            return self._by_id[question_id]
        except KeyError:
            close = difflib.get_close_matches(question_id, self._by_id, n=3, cutoff=0.4)
            if not close:  # a fragment such as "latency" still deserves a hint
                close = [qid for qid in self._by_id if question_id.lower() in qid][:3]
            raise UnknownQuestionError(question_id, close) from None

    def select(
        self, competency: Competency | None = None, tag: str | None = None
    ) -> list[Question]:
        """Questions whose primary or secondary competency and tags match the filters."""
        chosen = []
        for question in self.questions:
            if competency is not None and competency not in question.competencies:
                continue
            if tag is not None and tag not in question.tags:
                continue
            chosen.append(question)
        return chosen


def bank_files(path: Path) -> list[Path]:
    """The YAML files a bank path stands for: the file itself, or every YAML file below it."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in _SUFFIXES and p.is_file())
    return [path]


def yaml_syntax_problem(file: str, exc: yaml.YAMLError) -> BankProblem:
    """A YAML parse error as one problem line, at the line where the parser gave up."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    reason = getattr(exc, "problem", None) or " ".join(str(exc).split())
    return BankProblem(file, line, None, "", f"YAML syntax: {reason}")


def load_bank(path: Path | str | None = None) -> Bank:
    """Load and validate a bank from a file or folder (default: the packaged bank)."""
    root = Path(path) if path is not None else default_bank_path()
    questions, digest, problems = _read(root)
    if problems:
        raise BankError(problems)
    return Bank(questions=tuple(questions), content_hash=digest, source=root)


def validate_bank(path: Path | str) -> list[BankProblem]:
    """Every problem in the bank at ``path``; an empty list means it is valid."""
    return _read(Path(path))[2]


def _read(root: Path) -> tuple[list[Question], str, list[BankProblem]]:
    problems: list[BankProblem] = []
    if not root.exists():
        return [], "", [BankProblem(str(root), None, None, "", "no such file or folder")]
    files = bank_files(root)
    if not files:
        return [], "", [BankProblem(str(root), None, None, "", "no .yaml or .yml files found")]
    digest = hashlib.sha256()
    raws: list[tuple[Path, bytes]] = []
    for file in files:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            problems.append(BankProblem(str(file), None, None, "", f"cannot read: {exc.strerror}"))
            continue
        digest.update(file.name.encode() + b"\0" + raw + b"\0")
        raws.append((file, raw))
    if not problems:
        cached = _from_cache(digest.hexdigest(), raws)
        if cached is not None:
            return cached, digest.hexdigest(), []
    questions: list[Question] = []
    seen: dict[str, str] = {}
    documents: list[Any] = []
    for file, raw in raws:
        parsed, file_problems = _parse_file(file, raw, documents)
        problems.extend(file_problems)
        for question, line in parsed:
            if question.id in seen:
                problems.append(
                    BankProblem(
                        str(file),
                        line,
                        question.id,
                        "id",
                        f"duplicate id (also in {seen[question.id]})",
                    )
                )
                continue
            seen[question.id] = file.name
            questions.append(question)
    if not problems:
        _to_cache(digest.hexdigest(), documents)
    return questions, digest.hexdigest(), problems


def _cache_file(digest: str) -> Path | None:
    from pmloop._coldstart import disk_cache_folder

    folder = disk_cache_folder()
    return folder / f"bank-{digest[:24]}.marshal" if folder is not None else None


def _from_cache(digest: str, raws: list[tuple[Path, bytes]]) -> list[Question] | None:
    """The questions of a bank parsed before (same files, same bytes), validated again.

    The cache holds only the parsed YAML; anything odd about it (or any question that no longer
    validates) returns None, and the files are read the slow way, with their line numbers.
    """
    path = _cache_file(digest)
    if path is None:
        return None
    try:
        documents = marshal.loads(path.read_bytes())
        if len(documents) != len(raws):
            return None
        questions = [Question.model_validate(item) for document in documents for item in document]
    except Exception:
        return None
    if len({q.id for q in questions}) != len(questions):
        return None
    return questions


def _to_cache(digest: str, documents: list[Any]) -> None:
    path = _cache_file(digest)
    if path is None:
        return
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(marshal.dumps(documents))
        os.replace(temporary, path)
    except (OSError, ValueError):  # unwritable, or a value marshal cannot hold: no cache
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _parse_file(
    file: Path, raw: bytes, documents: list[Any]
) -> tuple[list[tuple[Question, int | None]], list[BankProblem]]:
    name = str(file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [BankProblem(name, None, None, "", f"not UTF-8 text (byte {exc.start})")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        return [], [yaml_syntax_problem(name, exc)]
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return [], [
            BankProblem(name, 1, None, "questions", "the file needs a top-level 'questions' list")
        ]

    parsed: list[tuple[Question, int | None]] = []
    problems: list[BankProblem] = []
    items: list[Any] = data["questions"]
    documents.append(items)
    for index, item in enumerate(items):
        location: Sequence[str | int] = ("questions", index)
        line = _line_of(node, location)
        question_id = item.get("id") if isinstance(item, dict) else None
        try:
            parsed.append((Question.model_validate(item), line))
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                problems.append(
                    BankProblem(
                        name,
                        _line_of(node, (*location, *loc)),
                        str(question_id) if question_id is not None else f"#{index + 1}",
                        ".".join(str(part) for part in loc),
                        _message(error),
                    )
                )
    return parsed, problems


def _message(error: Any) -> str:
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _line_of(node: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    """The 1-based line of the deepest node along ``path`` that exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = next((v for k, v in node.value if k.value == part), None)
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
