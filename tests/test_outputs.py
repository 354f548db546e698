"""Outputs written safely: file modes, symbolic links, and every ``-o`` checked before work."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SAMPLE, run_here
from test_derive import _new_city_edition, build_chain
from test_diff import edit, git


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, whatever the test runner's is (the CLI runs inherit it)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def chain(tmp_path: Path) -> Path:
    """A district list set derived from a city catalog beside it (see test_derive.py)."""
    return build_chain(tmp_path)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder``, so a test can see that nothing was written."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
        if not any(part.startswith(".cache") for part in p.relative_to(folder).parts)
    }


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_resolve_writes_files_readable_by_others_as_any_program_would(
    chain: Path, umask_022: None
) -> None:
    run = run_here("resolve", cwd=chain)
    assert run.code == 0, run.stderr
    written = [p for p in (chain / "resolved").rglob("*") if p.is_file()]
    assert written
    assert {p.relative_to(chain).as_posix(): mode(p) for p in written} == {
        p.relative_to(chain).as_posix(): 0o644 for p in written
    }


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_existing_revision_table_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE, repo / "lists")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "2025年版")
    lists = repo / "lists"
    edit(lists / "townships/qingshui/territorial.yaml", "开展安全生产宣传引导；", "开展宣传引导；")
    table = tmp_path / "修订对照表.xlsx"
    table.write_bytes(b"old")
    table.chmod(0o640)
    run = run_here("diff", "-o", str(table), cwd=lists)
    assert run.code == 0, run.stderr
    assert table.read_bytes()[:2] == b"PK"  # the new workbook, in place of the old bytes
    assert mode(table) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")
def test_rebase_apply_writes_through_a_symlinked_config(chain: Path, umask_022: None) -> None:
    """The link stays a link and its target gets the new edition, with the target's mode."""
    old = _new_city_edition(chain)
    shared = chain.parent / "shared" / "qingdan.yaml"
    shared.parent.mkdir()
    (chain / "qingdan.yaml").rename(shared)
    shared.chmod(0o664)
    (chain / "qingdan.yaml").symlink_to(shared)
    run = run_here("rebase", "--from", str(old), "--apply", cwd=chain)
    assert run.code == 1, run.stdout + run.stderr  # a conflict is left for a person
    assert (chain / "qingdan.yaml").is_symlink()
    assert os.readlink(chain / "qingdan.yaml") == str(shared)
    assert 'edition: "2027年版"' in shared.read_text("utf-8")
    assert mode(shared) == 0o664
    assert sorted(p.name for p in shared.parent.iterdir()) == ["qingdan.yaml"]


BAD_OUTPUTS = [
    # (command, what the user typed, what the message must say)
    (["resolve", "-o", "../city"], "上级清单集"),
    (["resolve", "-o", "qingdan.yaml/sub"], "qingdan.yaml 是一个文件，不是文件夹"),
    (["resolve", "-o", "."], "不能是清单集本身"),
    (["resolve", "-o", "townships/out"], "清单目录"),
    (["resolve", "-o", "categories"], "类别树文件夹"),
    (["resolve", "-o", "../missing/out"], "文件夹 ../missing 不存在"),
    (["resolve", "-o", "../other"], "已有一个清单集"),
    (["diff", "HEAD", "-o", "qingdan.yaml/x.xlsx"], "qingdan.yaml 是一个文件，不是文件夹"),
    (["diff", "HEAD", "-o", "../missing/x.xlsx"], "文件夹 ../missing 不存在"),
    (["diff", "HEAD", "-o", "../city/对照表.xlsx"], "上级清单集"),
    (["diff", "HEAD", "-o", "changes/对照表.xlsx"], "调整记录文件夹"),
    (["diff", "HEAD", "-o", "folder.xlsx"], "是一个文件夹"),
]


@pytest.mark.parametrize(("args", "says"), BAD_OUTPUTS, ids=[" ".join(a) for a, _ in BAD_OUTPUTS])
def test_a_bad_output_path_is_refused_before_anything_is_written(
    chain: Path, args: list[str], says: str
) -> None:
    git(chain.parent, "init", "-q", "-b", "main")
    (chain / "changes").mkdir()
    (chain / "folder.xlsx").mkdir()
    shutil.copytree(SAMPLE, chain.parent / "other", ignore=shutil.ignore_patterns("townships"))
    before = snapshot(chain.parent)
    run = run_here(*args, cwd=chain)
    assert run.code == 2, run.stdout + run.stderr
    assert run.stderr.startswith("错误：") and says in run.stderr, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert snapshot(chain.parent) == before
