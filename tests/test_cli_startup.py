"""The CLI starts fast: heavy dependencies load only when a command needs them."""

import subprocess
import sys


def test_importing_the_cli_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, pmloop.cli; "
        "heavy = [m for m in ('onnxruntime', 'tokenizers', 'numpy', 'pydantic', 'yaml', "
        "'sqlalchemy', 'fastapi') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_and_version(pmloop_cli) -> None:  # type: ignore[no-untyped-def]
    help_run = pmloop_cli("--help")
    assert help_run.code == 0
    for command in ("grade", "questions"):
        assert command in help_run.stdout
    version = pmloop_cli("--version")
    assert version.code == 0 and version.stdout.startswith("pmloop ")


def test_usage_errors_are_one_line_naming_the_help(pmloop_cli) -> None:  # type: ignore[no-untyped-def]
    cases = {
        ("grade", "--nope"): "No such option: --nope (see 'pmloop grade --help')",
        ("grade", "-q", "x", "-a"): "Option '-a' requires an argument",
        ("practice", "--questions", "abc"): "Invalid value for '--questions'",
        ("nope",): "No such command 'nope' (see 'pmloop --help')",
        ("users", "nope"): "(see 'pmloop users --help')",
    }
    for args, expected in cases.items():
        run = pmloop_cli(*args)
        assert run.code == 2, args
        assert run.stderr.count("\n") == 1 and run.stderr.startswith("pmloop: error: "), run.stderr
        assert expected in run.stderr, args
        assert run.stdout == ""
    bare = pmloop_cli()  # no command: the help, as a user expects
    assert bare.code == 2 and "Usage: pmloop" in bare.stdout + bare.stderr
