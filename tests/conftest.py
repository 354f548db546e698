"""Shared fixtures: the real CLI in a subprocess, and the ``--update-golden`` switch."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "fixtures" / "qinglan"
"""A hand-written list set (the sample lists/ as it was before it was derived): tests edit copies
of it by text, so it stays fixed whatever becomes of the shipped sample."""


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


@pytest.fixture
def qingdan() -> type[Run]:
    return Run
