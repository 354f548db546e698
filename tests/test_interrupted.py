"""Interrupted and failing writes: a killed resolve is marked and finished by the next run, no
temporary file outlives it, and outputs that cannot be written are clear errors (exit 2)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, run_qingdan
from qingdan import validation
from qingdan.errors import QingdanError
from qingdan.outputs import UNFINISHED
from qingdan.validation import Options, validate
from qingdan.workspace import Workspace
from test_diff import edit, git


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "lists", tmp_path / "lists")
    return tmp_path


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _killed_while_writing(cwd: Path, env: dict[str, str], out: Path) -> bool:
    """Start resolve and kill -9 it as soon as it starts writing; False if it finished first."""
    exe = Path(sys.executable).with_name("qingdan")
    proc = subprocess.Popen(
        [str(exe), "resolve", "-C", "lists", "-o", str(out)],
        cwd=cwd,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if (out / UNFINISHED).exists():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
    proc.wait()
    return False


def test_resolve_killed_while_writing_is_marked_then_finished(sample: Path) -> None:
    """kill -9 during the write: the folder says it is unfinished (validate refuses it, exit 2),
    and the next resolve completes it: the new output, whole, with no mark and no .tmp file."""
    env = {"QINGDAN_CACHE_DIR": str(sample / "cache")}
    out = sample / "out"
    assert run_qingdan("resolve", "-C", "lists", "-o", "out", cwd=sample, env=env).code == 0
    catalog = sample / "lists" / "catalog" / "mulu" / "duty.yaml"
    edit(catalog, "扩大党的组织覆盖和工作覆盖。", "扩大党的组织覆盖和工作覆盖，提升组织力。")
    if not _killed_while_writing(sample, env, out):
        pytest.skip("resolve finished before it could be killed")
    # what a kill halfway through a file leaves beside it
    (out / "townships" / "qingshui" / ".duty.yaml.0123abcd.tmp").write_bytes(b"kind: du")
    refused = run_qingdan("validate", "out", cwd=sample, env=env)
    assert refused.code == 2
    assert "被中断的 qingdan resolve 的输出" in refused.stderr
    assert run_qingdan("resolve", "-C", "lists", "-o", "out", cwd=sample, env=env).code == 0
    fresh = sample / "fresh"
    assert run_qingdan("resolve", "-C", "lists", "-o", "fresh", "--no-cache", cwd=sample).code == 0
    assert _tree(out) == _tree(fresh)
    assert run_qingdan("validate", "out", cwd=sample, env=env).code == 0


def test_diff_workbook_removes_what_a_killed_write_left(sample: Path) -> None:
    git(sample, "init", "-q", "-b", "main")
    git(sample, "add", "-A")
    git(sample, "commit", "-qm", "一")
    left = sample / ".表.xlsx.0123abcd.tmp"
    left.write_bytes(b"PK\x03\x04")
    other = sample / ".其他.xlsx.0123abcd.tmp"  # not this output's: left alone
    other.write_bytes(b"PK")
    run = run_qingdan("diff", "-C", "lists", "HEAD", "-o", "表.xlsx", cwd=sample)
    assert run.code == 0, run.stderr
    assert (sample / "表.xlsx").is_file()
    assert not left.exists()
    assert other.exists()


@pytest.mark.parametrize("target", ["a-file", os.devnull])
def test_resolve_onto_a_file_is_an_error(sample: Path, target: str) -> None:
    (sample / "a-file").write_text("x", "utf-8")
    run = run_qingdan("resolve", "-C", "lists", "-o", target, cwd=sample)
    assert run.code == 2
    assert "是一个文件，不是文件夹" in run.stderr
    assert (sample / "a-file").read_text("utf-8") == "x"


@pytest.mark.parametrize(
    ("target", "said"),
    [
        ("a-folder", "是一个文件夹"),
        ("missing/summary.md", "文件夹 missing 不存在"),
        ("/dev/full", "磁盘已满"),
    ],
)
def test_check_summary_that_cannot_be_written_is_an_error(
    sample: Path, target: str, said: str
) -> None:
    if target == "/dev/full" and not Path(target).exists():
        pytest.skip("no /dev/full here")
    (sample / "a-folder").mkdir()
    git(sample, "init", "-q", "-b", "main")
    git(sample, "add", "-A")
    git(sample, "commit", "-qm", "一")
    run = run_qingdan("check", "-C", "lists", "--base", "HEAD", "--summary", target, cwd=sample)
    assert run.code == 2, run.stderr
    assert run.stderr.startswith("错误：") and said in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def _dies(path: Path) -> None:
    os._exit(9)  # as a worker killed by the system would


@pytest.mark.skipif(sys.platform == "win32", reason="workers are forked in this test")
def test_killed_validate_worker_is_a_clear_error(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(validation, "_check_one", _dies)
    with pytest.raises(QingdanError, match="工作进程意外退出"):
        validate(Workspace(), [sample / "lists"], Options(jobs=2))
