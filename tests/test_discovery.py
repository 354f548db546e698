"""Found from anywhere: -C on every command, and the list set below the repository root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE, run_here
from test_diff import git

LISTS = REPO / "lists"
USING = "使用清单集 lists"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A list repository shaped like this one: the set in lists/, a test fixture set deeper
    down, two commits of which the second changes one phone number."""
    root = tmp_path / "repo"
    shutil.copytree(LISTS, root / "lists")
    shutil.copytree(SAMPLE, root / "tests" / "fixtures" / "set")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "初版")
    duty = root / "lists" / "townships" / "qingshui" / "duty.yaml"
    duty.write_text(duty.read_text("utf-8").replace("0838-6212026", "0838-6219999", 1), "utf-8")
    git(root, "commit", "-qam", "更新电话")
    return root


def test_validate_from_the_repository_root_uses_the_set_below(repo: Path) -> None:
    """Run where there is no qingdan.yaml: the nearest set below is used, and named."""
    run = run_here("validate", "--no-cache", cwd=repo)
    assert run.code == 0, run.stdout + run.stderr
    assert USING in run.stderr
    assert "没有发现问题" in run.stdout


def test_diff_from_the_repository_root(repo: Path) -> None:
    """``qingdan diff HEAD~1 HEAD`` at the root finds the set in lists/ and shows the change."""
    run = run_here("diff", "HEAD~1", "HEAD", cwd=repo)
    assert run.code == 0, run.stdout + run.stderr
    assert USING in run.stderr
    assert "0838-6219999" in run.stdout
    assert "清水镇" in run.stdout


def test_several_sets_at_one_level_are_named(tmp_path: Path) -> None:
    """Two sets side by side: no guess, both are named, exit 2."""
    for name in ("2025版", "2026版"):
        shutil.copytree(SAMPLE, tmp_path / name)
    run = run_here("validate", cwd=tmp_path)
    assert run.code == 2
    assert run.stderr.startswith("错误：")
    assert "2025版" in run.stderr
    assert "2026版" in run.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--no-cache"),
        ("stats",),
        ("rebase",),
        ("diff", "HEAD~1", "HEAD"),
        ("check", "--base", "HEAD", "--no-cache"),
    ],
    ids=lambda a: a[0],
)
def test_every_command_takes_dash_c(repo: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    """From an unrelated folder, -C names the set (here: the repository root above it)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = run_here(*args, "-C", str(repo / "lists"), cwd=elsewhere)
    assert run.code == 0, run.stdout + run.stderr
    assert "错误" not in run.stderr


def test_resolve_takes_dash_c(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "resolved"
    run = run_here("resolve", "-C", str(repo), "-o", str(out), cwd=tmp_path)
    assert run.code == 0, run.stdout + run.stderr
    assert "使用清单集 repo/lists" in run.stderr
    assert (out / "townships" / "qingshui" / "duty.yaml").is_file()


def test_dash_c_to_a_missing_folder(tmp_path: Path) -> None:
    run = run_here("stats", "-C", str(tmp_path / "nope"), cwd=tmp_path)
    assert run.code == 2
    assert "文件夹不存在" in run.stderr
