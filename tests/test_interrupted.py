"""Interrupted and failing writes: a killed resolve is marked and finished by the next run, no
temporary file outlives it, and outputs that cannot be written are clear errors (exit 2)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, run_here
from qingdan import validation
from qingdan.errors import QingdanError
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


def _killed_at(cwd: Path, step: int, folder: Path, *args: str, env: dict[str, str]) -> int:
    """Run qingdan, kill -9 at its ``step``-th write in or beside ``folder`` (0: never);
    the number of writes it got to."""
    count = cwd / "writes.txt"
    killer = Path(__file__).with_name("kill_at.py")
    run = subprocess.run(
        [sys.executable, str(killer), str(step), str(folder), str(count), *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        check=False,
    )
    if step:
        assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    else:
        assert run.returncode in (0, 1), run.stderr.decode()
        return int(count.read_text("utf-8"))
    return step


def _left_behind(folder: Path) -> list[str]:
    """What a killed write may leave: staged folders and temporary files, anywhere."""
    return sorted(p.name for p in folder.rglob(".*") if p.name.endswith((".tmp", ".new", ".old")))


def _spread(count: int, points: int = 6) -> list[int]:
    """Kill points from the first write to the last, evenly spread."""
    return sorted({1 + (count - 1) * i // (points - 1) for i in range(points)})


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_resolve_killed_at_any_write_leaves_the_previous_output_whole(sample: Path) -> None:
    """kill -9 at writes from the first to the last: the output folder is the previous one or
    the new one, whole, never a mixture; the next resolve finishes the job and leaves nothing
    behind (no staged folder, no temporary file)."""
    env = {"QINGDAN_CACHE_DIR": str(sample / "cache")}
    out = sample / "out"
    assert run_here("resolve", "-C", "lists", "-o", "out", cwd=sample, env=env).code == 0
    before = _tree(out)
    catalog = sample / "lists" / "catalog" / "mulu" / "duty.yaml"
    edit(catalog, "扩大党的组织覆盖和工作覆盖。", "扩大党的组织覆盖和工作覆盖，提升组织力。")
    args = ("resolve", "-C", "lists", "-o", "out")
    shutil.copytree(out, sample / "previous")
    count = _killed_at(sample, 0, out, *args, env=env)
    after = _tree(out)
    assert after != before
    for step in _spread(count):
        shutil.rmtree(out)
        shutil.copytree(sample / "previous", out)
        _killed_at(sample, step, out, *args, env=env)
        assert _tree(out) in (before, after), f"a mixture after a kill at write {step}"
        assert run_here(*args, cwd=sample, env=env).code == 0
        assert _tree(out) == after, f"killed at write {step} of {count}"
        assert _left_behind(sample) == [], f"killed at write {step} of {count}"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_diff_workbook_killed_at_any_write_keeps_the_previous_one(sample: Path) -> None:
    """kill -9 while ``diff -o`` writes: the workbook there is the previous one, byte for byte,
    or the new one, whole; the next run removes the temporary file the kill left (and only
    its own: another output's is left alone)."""
    git(sample, "init", "-q", "-b", "main")
    git(sample, "add", "-A")
    git(sample, "commit", "-qm", "一")
    edit(sample / "lists" / "catalog" / "mulu" / "duty.yaml", "扩大党的组织覆盖", "扩大党组织覆盖")
    book = sample / "表.xlsx"
    args = ("diff", "-C", "lists", "HEAD", "-o", "表.xlsx")
    book.write_bytes(b"the previous workbook")
    count = _killed_at(sample, 0, book, *args, env={})
    other = sample / ".其他.xlsx.0123abcd.tmp"  # not this output's
    other.write_bytes(b"PK")
    for step in range(1, count + 1):
        book.write_bytes(b"the previous workbook")
        _killed_at(sample, step, book, *args, env={})
        if book.read_bytes() != b"the previous workbook":
            assert zipfile.ZipFile(book).testzip() is None, f"half a workbook at write {step}"
        assert run_here(*args, cwd=sample).code == 0
        assert zipfile.ZipFile(book).testzip() is None
        assert [p.name for p in sample.glob(".表.xlsx.*")] == [], f"killed at write {step}"
    assert other.exists()


@pytest.mark.parametrize("target", ["a-file", os.devnull])
def test_resolve_onto_a_file_is_an_error(sample: Path, target: str) -> None:
    (sample / "a-file").write_text("x", "utf-8")
    run = run_here("resolve", "-C", "lists", "-o", target, cwd=sample)
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
    run = run_here("check", "-C", "lists", "--base", "HEAD", "--summary", target, cwd=sample)
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
