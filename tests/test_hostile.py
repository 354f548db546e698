"""A pull request is hostile input (docs/threat-model.md): whatever its files, qingdan neither
hangs, nor reads or writes outside the repository, nor lets the gate pass when it cannot check.

Every run here has a timeout of seconds: a case that hangs fails instead of blocking CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE, Run, run_qingdan
from test_diff import edit, git

QUICK = 60
"""Seconds any run here may take; each is a second or two when nothing hangs."""

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and symbolic links are POSIX")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    result = run_qingdan(*args, cwd=cwd, env=env, timeout=QUICK)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The shipped sample (a district set on a city catalog) committed in a git repository;
    returns the list set folder."""
    top = tmp_path / "repo"
    shutil.copytree(REPO / "lists", top / "lists", ignore=shutil.ignore_patterns("resolved"))
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "sample")
    return top / "lists"


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    """A hand-written list set (no base) in a git repository."""
    top = tmp_path / "plain"
    shutil.copytree(SAMPLE, top / "set")
    git(top, "init", "-q", "-b", "main")
    return top / "set"


def config(root: Path, line: str) -> None:
    """Add a line to the set's qingdan.yaml (a later key of the same name replaces it)."""
    path = root / "qingdan.yaml"
    kept = [
        ln
        for ln in path.read_text("utf-8").splitlines()
        if not ln.startswith(line.split(":", maxsplit=1)[0] + ":")
    ]
    path.write_text("\n".join([*kept, line]) + "\n", "utf-8")


def findings(result: Run) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return found


# --- 1. resolve writes only what it wrote itself, only in the repository -----------------------


def test_resolve_into_a_folder_it_did_not_write_deletes_and_overwrites_nothing(
    repo: Path, tmp_path: Path
) -> None:
    """``-o`` onto a folder with someone's files: refused, and the files are all still there."""
    other = tmp_path / "v"
    (other / "townships").mkdir(parents=True)
    (other / "townships" / "keep.yaml").write_text("mine\n", "utf-8")
    result = run("resolve", "-o", str(other), cwd=repo)
    assert result.code == 2
    assert "不是空的" in result.stderr and "qingdan resolve" in result.stderr
    assert sorted(p.name for p in other.rglob("*")) == ["keep.yaml", "townships"]


def test_resolve_replaces_what_it_wrote_and_removes_its_own_stale_files(repo: Path) -> None:
    """Its own output (marked in its qingdan.yaml) is rewritten and its stale files removed."""
    assert run("resolve", cwd=repo).code == 0
    stale = repo / "resolved" / "townships" / "old" / "duty.yaml"
    stale.parent.mkdir()
    stale.write_text("kind: duty\n", "utf-8")
    result = run("resolve", cwd=repo)
    assert result.code == 0, result.stderr
    assert "删除 1 个过时的文件" in result.stdout and not stale.exists()


@pytest.mark.parametrize("where", ["/tmp/qingdan-hostile-out", "../x", "../../x"])
def test_a_resolved_folder_outside_the_set_is_a_config_error(
    repo: Path, tmp_path: Path, where: str
) -> None:
    """``resolved:`` outside the set: exit 2 naming the config line, nothing written."""
    config(repo, f"resolved: {where}")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = run("resolve", cwd=repo)
    assert result.code == 2
    assert "qingdan.yaml:" in result.stderr and "resolved（派生结果目录）" in result.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert not Path("/tmp/qingdan-hostile-out").exists()


@pytest.mark.parametrize("where", ["catalog", "changes", "townships", "categories", "."])
def test_resolve_never_writes_into_the_sets_sources(repo: Path, where: str) -> None:
    """``resolved:`` (or ``-o``) naming the base catalog, change records, lists or the set."""
    config(repo, f"resolved: {where}")
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    assert run("resolve", cwd=repo).code == 2
    config(repo, "resolved: resolved")
    assert run("resolve", "-o", str(repo / where), cwd=repo).code == 2
    after = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    assert {p: d for p, d in after.items() if p.name != "qingdan.yaml"} == {
        p: d for p, d in before.items() if p.name != "qingdan.yaml"
    }


@posix_only
def test_a_link_in_the_output_cannot_lead_it_into_the_sources(repo: Path) -> None:
    """A committed ``resolved/townships`` link to the lists: refused before a file is written."""
    assert run("resolve", cwd=repo).code == 0
    shutil.rmtree(repo / "resolved" / "townships")
    (repo / "resolved" / "townships").symlink_to("../townships")
    before = {p: p.read_bytes() for p in (repo / "townships").rglob("*.yaml")}
    result = run("resolve", "--no-cache", cwd=repo)
    assert result.code == 2 and "链接" in result.stderr
    assert {p: p.read_bytes() for p in (repo / "townships").rglob("*.yaml")} == before


# --- 2. the gate never passes on what it could not read ----------------------------------------


def test_check_against_a_base_whose_objects_are_gone_cannot_pass(repo: Path) -> None:
    """Objects deleted (a broken or shallow clone): exit 2 and no "检查通过"."""
    top = repo.parent
    git(top, "gc", "-q")
    for folder in (top / ".git" / "objects").iterdir():
        if len(folder.name) == 2:
            shutil.rmtree(folder)
    for pack in (top / ".git" / "objects" / "pack").iterdir():
        pack.unlink()
    result = run("check", "--base", "main", cwd=repo)
    assert result.code == 2
    assert "无法读取基准版本“main”" in result.stderr and "不能算作通过" in result.stderr
    assert "通过" not in result.stdout


def test_check_on_an_orphan_branch_against_head_cannot_pass(repo: Path) -> None:
    """An orphan branch has no HEAD commit, but the repository has history: not "first commit"."""
    git(repo.parent, "checkout", "-q", "--orphan", "fresh")
    result = run("check", "--base", "HEAD", cwd=repo)
    assert result.code == 2
    assert "无法读取基准版本“HEAD”" in result.stderr


def test_the_first_commit_of_a_repository_is_still_only_validated(plain: Path) -> None:
    """Truly no commit yet: validated, with the note that there was nothing to compare with."""
    result = run("check", "--base", "HEAD", cwd=plain)
    assert result.code == 0, result.stdout + result.stderr
    assert "还没有任何提交" in result.stdout


def test_a_merge_conflict_is_not_read_as_items_cancelled(repo: Path) -> None:
    """``check --staged`` mid-conflict: exit 2 naming the file, never its items as 取消."""
    top = repo.parent
    duty = repo / "townships" / "qingshui" / "duty.yaml"
    git(top, "checkout", "-q", "-b", "other")
    edit(duty, "unit: 清水镇", "unit: 清水镇 # 分支甲")
    git(top, "commit", "-q", "-am", "a")
    git(top, "checkout", "-q", "main")
    edit(duty, "unit: 清水镇", "unit: 清水镇 # 分支乙")
    git(top, "commit", "-q", "-am", "b")
    merge = subprocess.run(
        ["git", "merge", "-q", "other"], cwd=top, capture_output=True, check=False
    )
    assert merge.returncode != 0  # the conflict this test is about
    result = run("check", "--base", "main", "--staged", cwd=repo)
    assert result.code == 2
    assert "合并冲突" in result.stderr and "townships/qingshui/duty.yaml" in result.stderr
    assert "取消" not in result.stdout
