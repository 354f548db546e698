"""Shared fixtures: the real CLI in a subprocess (or its entry point in this process), and the
``--update-golden`` switch."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any
from unittest import mock

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "fixtures" / "qinglan"
"""A hand-written list set (the sample lists/ as it was before it was derived): tests edit copies
of it by text, so it stays fixed whatever becomes of the shipped sample."""


def load_yaml(path: Path) -> Any:
    """A YAML file as PyYAML's safe loader reads it, through libyaml where PyYAML has it: the
    pure-Python reader takes seconds over the sample's lists. For reading what a test checks,
    not for testing what PyYAML makes of a file."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite expected outputs of data-driven cases from the current behaviour",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def settle(root: Path) -> None:
    """Date every file under ``root`` a minute back. A cached answer made within seconds of a
    file's edit is not reused (``cache.SETTLE_NS``: a second edit could get the same time), so a
    test that checks the second run comes from the cache first makes its files look older."""
    then = time.time() - 60
    for path in root.rglob("*"):
        os.utime(path, (then, then), follow_symlinks=False)


def run_qingdan(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> Run:
    """Run the installed entry point exactly as a user would (a hang fails after ``timeout``)."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", **(env or {})}
    full_env.setdefault("QINGDAN_CACHE_DIR", str(cwd / ".cache-not-used"))
    exe = Path(sys.executable).with_name("qingdan")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "qingdan"]
    proc = subprocess.run(
        [*cmd, *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


class Hung(BaseException):
    """A run in this process outlasted its timeout. Not an ``Exception``: no handler in qingdan
    may take it for an error of its own."""


@contextlib.contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Interrupt the test process with ``Hung`` after ``seconds`` (POSIX timers)."""
    if seconds is None:
        yield
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise Hung(f"the run did not end within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_here(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float | None = None
) -> Run:
    """Run the entry point the installed command calls (``qingdan.cli.main``) in this process,
    with the arguments, folder, environment and output streams ``run_qingdan`` gives it.

    For the many runs whose subject is what a command reports, not how its process starts: a
    subprocess spends most of such a run starting Python and importing qingdan again. Start-up,
    imports, encodings and signals are tested through ``run_qingdan``. A ``timeout`` needs a
    timer signal; where there is none (Windows), the run gets a process of its own."""
    if timeout is not None and not hasattr(signal, "setitimer"):
        return run_qingdan(*args, cwd=cwd, env=env, timeout=timeout)
    from qingdan.cli import main

    full_env = {"COLUMNS": "200", **(env or {})}
    if "QINGDAN_CACHE_DIR" not in {**os.environ, **full_env}:
        full_env["QINGDAN_CACHE_DIR"] = str(cwd / ".cache-not-used")
    out, err = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="") for _ in range(2))
    code = 0
    with (
        mock.patch.dict(os.environ, full_env),
        mock.patch.object(sys, "argv", ["qingdan", *args]),
        contextlib.chdir(cwd),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        _deadline(timeout),
    ):
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return Run(code, _written(out), _written(err))


def _written(stream: io.TextIOWrapper) -> str:
    """What was written, read back as ``run_qingdan`` reads a pipe (universal newlines)."""
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return io.TextIOWrapper(io.BytesIO(buffer.getvalue()), encoding="utf-8").read()


@pytest.fixture
def qingdan() -> type[Run]:
    return Run
