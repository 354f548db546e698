"""Mutated list files through every command that reads them: never a traceback.

A city catalog and a district with a derived township (tests/test_derive.py's chain) in a git
repository; each example mutates the catalog or the township's overlay (types swapped, huge
numbers, control and bidi characters, very long strings, line endings), commits it, and runs
validate, resolve, stats, diff of two folders, diff of two revisions and of the working tree,
and check, in this process (a subprocess each would cost a second). Anything but a report, a
``QingdanError`` (exit 2) or an exit code is a failure.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qingdan.cli import app
from qingdan.errors import QingdanError
from test_derive import build_chain
from test_diff import git
from test_fuzz import TOKENS, mutated, mutations

FILES = ("city/townships/catalog/duty.yaml", "district/townships/qingshui/duty.yaml")
HOSTILE = [
    "[a, b]",
    "{a: 1}",
    "- x\n",
    ": [1]\n",
    "9" * 4400,
    "0x" + "f" * 4000,
    "_1",
    "0o17",
    "1e1",
    '"\\e[31m红色\\e]0;pwned\\a"',
    "\x1b[31m",
    "\u202e",
    "\u2066",
    "x" * 20_000,
    "字" * 5000,
    "\r\n",
    "\r",
]
COMMANDS = [
    ("validate", "district"),
    ("resolve", "-C", "district", "-o", "out"),
    ("stats", "-C", "district"),
    ("diff", "original/district", "district"),
    ("diff", "-C", "district", "HEAD~1", "HEAD"),
    ("diff", "-C", "district", "HEAD~1"),
    ("check", "-C", "district", "--base", "HEAD~1"),
]
RUNS: dict[str, int] = {}
"""Commands run per command name, for the README's reliability figures (``-s`` prints them)."""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fuzz-commands")
    build_chain(root)
    shutil.copytree(root / "city", root / "original" / "city")
    shutil.copytree(root / "district", root / "original" / "district")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "原样")
    before = os.environ.get("QINGDAN_CACHE_DIR")
    os.environ["QINGDAN_CACHE_DIR"] = str(root / "cache")
    yield root
    if before is None:
        del os.environ["QINGDAN_CACHE_DIR"]
    else:
        os.environ["QINGDAN_CACHE_DIR"] = before
    print("\ncommand fuzz runs:", RUNS)


def run(args: tuple[str, ...], cwd: Path) -> None:
    """One command as ``qingdan.cli.main`` runs it; raises whatever would be a traceback."""
    sink = io.StringIO()
    with (
        contextlib.chdir(cwd),
        contextlib.redirect_stdout(sink),
        contextlib.redirect_stderr(sink),
        contextlib.suppress(QingdanError, click.exceptions.Exit, SystemExit),
    ):
        app(args=list(args), standalone_mode=False)
    RUNS[args[0]] = RUNS.get(args[0], 0) + 1


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from(FILES),
    mutations(HOSTILE + TOKENS, reach=3000),
    st.sampled_from(["\n", "\r\n"]),
)
def test_every_command_survives_a_mutated_list_file(
    repo: Path, target: str, edits: list[tuple[int, str, int]], newline: str
) -> None:
    path = repo / target
    text = path.read_text("utf-8")
    text = mutated(text, edits)
    path.write_bytes(text.replace("\n", newline).encode("utf-8", "surrogatepass"))
    git(repo, "commit", "-qam", "改动")
    try:
        for args in COMMANDS:
            run(args, repo)
    finally:
        git(repo, "reset", "-q", "--hard", "HEAD~1")
