"""A pull request is hostile input (docs/threat-model.md): whatever its files, qingdan neither
hangs, nor reads or writes outside the repository, nor lets the gate pass when it cannot check.

Every run here has a timeout of seconds: a case that hangs fails instead of blocking CI. Most
run in the test process (``run``); the inputs that could hold a run inside one system call or
one regular-expression match, where no timer reaches it, or leave a thread waiting on a FIFO,
get a process of their own (``run_apart``): FIFOs, devices, deep nesting, backtracking patterns.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE, Run, run_here, run_qingdan
from test_diff import edit, git

QUICK = 60
"""Seconds any run here may take; each is a second or two when nothing hangs."""

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and symbolic links are POSIX")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """One command in this process, given up on after ``QUICK`` seconds."""
    result = run_here(*args, cwd=cwd, env=env, timeout=QUICK)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def run_apart(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """One command in a process of its own, killed after ``QUICK`` seconds."""
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


# --- 3. nothing hangs ---------------------------------------------------------------------------


def fifo(path: Path) -> None:
    """Put a FIFO (no writer: reading it blocks forever) where ``path`` was."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


@posix_only
@pytest.mark.parametrize(
    "where",
    [
        "townships/qingshui/duty.yaml",
        "catalog/mulu/duty.yaml",
        "departments.yaml",
        "catalog/departments.yaml",
        "categories/duty.yaml",
        "changes/2026-01.yaml",
    ],
)
@pytest.mark.parametrize("command", ["validate", "stats", "resolve"])
def test_a_fifo_in_place_of_any_file_is_refused_not_waited_on(
    repo: Path, where: str, command: str
) -> None:
    """Every file the set reads: a FIFO is reported as not a regular file, within seconds."""
    fifo(repo / where)
    result = run_apart(command, "--no-cache", cwd=repo)
    if command == "validate":  # the others need only end: they say less of unreadable files
        assert result.code in (1, 2)
        assert "不是普通文件" in result.stdout + result.stderr


@posix_only
def test_a_fifo_as_the_cache_is_discarded(repo: Path, tmp_path: Path) -> None:
    """A cache file that is a FIFO: the run goes on without it."""
    cache = tmp_path / "cache"
    env = {"QINGDAN_CACHE_DIR": str(cache)}
    assert run_apart("validate", cwd=repo, env=env).code == 0
    for path in cache.glob("*.json"):
        fifo(path)
    result = run_apart("validate", cwd=repo, env=env)
    assert result.code == 0, result.stdout + result.stderr


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_is_not_read(plain: Path, device: str) -> None:
    """A list file linking to a device outside the repository is refused, not read for ever."""
    target = plain / "townships" / "qingshui" / "duty.yaml"
    target.unlink()
    target.symlink_to(device)
    result = run_apart("validate", "--no-cache", cwd=plain)
    assert result.code == 1
    assert "townships/qingshui/duty.yaml" in result.stdout and "file.unreadable" in result.stdout


def custom_preset(root: Path) -> Path:
    """The bundled preset copied into the set as a custom one; returns its folder."""
    preset = root / "presets" / "own"
    shutil.copytree(REPO / "src" / "qingdan" / "schemas" / "sanzhang", preset)
    config(root, "preset: presets/own")
    return preset


@posix_only
def test_a_fifo_as_a_schema_ref_target_is_refused(plain: Path) -> None:
    """A custom preset whose ``$ref`` target is a FIFO: a config finding, within seconds."""
    preset = custom_preset(plain)
    assert run_apart("validate", "--no-cache", cwd=plain).code == 0
    fifo(preset / "common.schema.json")
    result = run_apart("validate", "--no-cache", cwd=plain)
    assert result.code == 1
    assert "config.invalid" in result.stdout and "common.schema.json" in result.stdout


CATASTROPHIC = "^(a+)+$"
LONG_CODE = "a" * 40 + "!"


@pytest.mark.parametrize("in_catalog", [False, True])
def test_a_backtracking_code_pattern_runs_in_linear_time(repo: Path, in_catalog: bool) -> None:
    """``code_patterns`` with catastrophic backtracking (in the set or its catalog) against a
    long code: the code is still judged, in a second, not in hours."""
    root = repo / "catalog" if in_catalog else repo
    config(root, f'code_patterns: {{duty: "{CATASTROPHIC}"}}')
    duty = root / ("mulu/duty.yaml" if in_catalog else "townships/qingshui/duty.yaml")
    text = duty.read_text("utf-8")
    duty.write_text(text.replace("code: ZR-", f"code: {LONG_CODE}ZR-", 1), "utf-8")
    result = run_apart("validate", "--no-cache", "--format", "json", cwd=repo)
    assert result.code == 1
    assert any(f["code"] == "rule.code-pattern" for f in findings(result))


def test_a_pattern_only_a_backtracking_engine_can_run_is_a_config_error(plain: Path) -> None:
    """A look-around cannot run in linear time: refused at its line, not run."""
    config(plain, 'code_patterns: {duty: "^(?=ZR)ZR-.*$"}')
    result = run("validate", "--no-cache", "--format", "json", cwd=plain)
    assert result.code == 1
    found = [f for f in findings(result) if f["code"] == "config.invalid"]
    assert found and found[0]["file"] == "qingdan.yaml" and found[0]["line"] == 9
    assert "前后查找" in str(found[0]["message"])


def test_a_backtracking_derive_codes_pattern_runs_in_linear_time(repo: Path) -> None:
    """A derived list's ``codes`` with catastrophic backtracking, against a long added code."""
    duty = repo / "townships" / "qingshui" / "duty.yaml"
    edit(duty, "codes: ^[A-Z]{2}-[0-9]{2}-1[0-9]{2}$", f"codes: '{CATASTROPHIC}'")
    edit(duty, "code: ZR-02-101", f"code: {LONG_CODE}")
    result = run_apart("validate", "--no-cache", "--format", "json", cwd=repo)
    assert any(f["code"] == "derive.local-code" for f in findings(result)), result.stdout


def test_a_set_that_is_its_own_base_is_a_finding(repo: Path) -> None:
    """``base: {path: .}``: every command ends, and validate says the chain loops."""
    edit(repo / "qingdan.yaml", "path: catalog", "path: .")
    result = run("validate", "--no-cache", "--format", "json", cwd=repo)
    loops = [f for f in findings(result) if f["code"] == "derive.base-loop"]
    assert loops and loops[0]["file"] == "qingdan.yaml" and loops[0]["line"] == 11
    for command in ("stats", "resolve", "rebase"):
        run(command, cwd=repo)


def test_two_sets_naming_each_other_as_base_end(repo: Path) -> None:
    """A district and its catalog each the other's base, with a unit found in neither."""
    (repo / "catalog" / "qingdan.yaml").write_text(
        (repo / "catalog" / "qingdan.yaml").read_text("utf-8")
        + 'base:\n  path: ..\n  edition: "2026年版"\n',
        "utf-8",
    )
    edit(repo / "townships" / "qingshui" / "duty.yaml", "from: 锦川市青岚区", "from: 不存在的区")
    result = run("validate", "--no-cache", "--format", "json", cwd=repo)
    codes = {f["code"] for f in findings(result)}
    assert {"derive.base-loop", "derive.no-base"} <= codes
    for command in ("stats", "resolve"):
        run(command, cwd=repo)


def test_diff_of_a_folder_far_too_big_to_be_lists_stops(tmp_path: Path, plain: Path) -> None:
    """``qingdan diff ../.. HEAD`` from deep in a large tree: a clear error, not a disk read."""
    big = tmp_path / "big"
    big.mkdir()
    for n in range(50_001):
        (big / f"{n}.txt").touch()
    result = run("diff", str(big), str(plain), cwd=plain)
    assert result.code == 2 and "超过 50000 个" in result.stderr


def fake_git(tmp_path: Path, body: str) -> dict[str, str]:
    """PATH with a ``git`` that runs ``body`` (a shell script) instead of git."""
    folder = tmp_path / "fakebin"
    folder.mkdir()
    script = folder / "git"
    script.write_text(f"#!/bin/sh\n{body}\n", "utf-8")
    script.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "QINGDAN_GIT_TIMEOUT": "1"}


@posix_only
@pytest.mark.parametrize("command", [["diff"], ["check", "--base", "HEAD"]])
def test_a_git_that_never_answers_is_given_up_on(
    repo: Path, tmp_path: Path, command: list[str]
) -> None:
    env = fake_git(tmp_path, "exec sleep 600")
    result = run(*command, cwd=repo, env=env)
    assert result.code == 2 and "没有响应" in result.stderr


@posix_only
@pytest.mark.parametrize("garbage", ["garbage", "/", "1 2 3\\tx"])
def test_a_git_that_prints_garbage_is_an_error(repo: Path, tmp_path: Path, garbage: str) -> None:
    env = fake_git(tmp_path, f"printf '{garbage}'")
    result = run("diff", cwd=repo, env=env)
    assert result.code == 2 and result.stderr.startswith("错误：")


# --- 4. nothing outside the set is read ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("departments: /etc/passwd", "departments"),
        ("departments: ../../../../../../etc/passwd", "departments"),
        ("departments: /proc/self/environ", "departments"),
        ("departments: /dev/zero", "departments"),
        ("categories: /etc", "categories"),
        ("changes: ../..", "changes"),
        ("lists: /etc", "lists"),
        ("preset: ../..", "preset"),
    ],
)
def test_a_config_path_out_of_the_set_is_a_finding_and_never_read(
    plain: Path, line: str, key: str
) -> None:
    """The finding is at the key's line in qingdan.yaml, and nothing of the file is echoed."""
    config(plain, line)
    # a device or a /proc file, read by mistake, would hold the run inside one system call
    call = run_apart if line.split(": ")[1].startswith(("/dev/", "/proc/")) else run
    for command in ("validate", "stats", "resolve"):
        result = call(command, "--no-cache", cwd=plain)
        assert result.code in (1, 2)
        assert "root:" not in result.stdout + result.stderr  # /etc/passwd's first line
    result = call("validate", "--no-cache", "--format", "json", cwd=plain)
    [found] = [f for f in findings(result) if f["code"] == "config.invalid"]
    last = len((plain / "qingdan.yaml").read_text("utf-8").splitlines())
    assert found["file"] == "qingdan.yaml" and found["line"] == last
    assert key in str(found["message"]) or "预设" in str(found["message"])
    assert "清单集" in str(found["message"])


@posix_only
def test_a_registry_linking_out_of_the_repository_is_not_read(plain: Path) -> None:
    (plain / "departments.yaml").unlink()
    (plain / "departments.yaml").symlink_to("/etc/passwd")
    result = run("validate", "--no-cache", cwd=plain)
    assert result.code == 1
    assert "仓库之外" in result.stdout and "root:" not in result.stdout


def test_a_base_out_of_the_repository_is_a_finding(repo: Path, tmp_path: Path) -> None:
    """A base set must be in the same repository (a copy beside the checkout is not read)."""
    shutil.copytree(repo / "catalog", tmp_path / "elsewhere")
    edit(repo / "qingdan.yaml", "path: catalog", f"path: {tmp_path / 'elsewhere'}")
    result = run("validate", "--no-cache", "--format", "json", cwd=repo)
    [found] = [f for f in findings(result) if f["path"] == "/base/path"]
    assert found["code"] == "config.invalid" and "绝对路径" in str(found["message"])
    edit(repo / "qingdan.yaml", f"path: {tmp_path / 'elsewhere'}", "path: ../../elsewhere")
    result = run("validate", "--no-cache", "--format", "json", cwd=repo)
    [found] = [f for f in findings(result) if f["path"] == "/base/path"]
    assert "仓库之外" in str(found["message"])


@pytest.mark.parametrize("where", ["long", "loop"])
def test_a_base_path_no_file_can_have_is_a_finding(repo: Path, where: str) -> None:
    """A base path longer than the system allows, or a link loop: a finding, on every command."""
    if where == "loop":
        if os.name != "posix":
            pytest.skip("symbolic links are POSIX")
        (repo / "loop").symlink_to("loop")
    path = "a" * 5000 if where == "long" else "loop"
    edit(repo / "qingdan.yaml", "path: catalog", f"path: {path}")
    result = run("validate", "--no-cache", "--format", "json", cwd=repo)
    assert any(f["path"] == "/base/path" for f in findings(result))
    for command in ("stats", "resolve", "diff", "rebase"):
        run(command, cwd=repo)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"$schema": "http://127.0.0.1:9/meta.json"}, "不从网络读取"),
        ({"properties": {"kind": {"$ref": "../../../../etc/passwd"}}}, "同一文件夹"),
        (
            {
                "x-deep": [
                    [
                        [
                            [
                                [
                                    [
                                        [
                                            [
                                                [
                                                    [
                                                        [
                                                            [
                                                                [
                                                                    [
                                                                        [
                                                                            [
                                                                                [
                                                                                    [
                                                                                        [
                                                                                            [
                                                                                                [
                                                                                                    [
                                                                                                        [
                                                                                                            [
                                                                                                                [
                                                                                                                    [
                                                                                                                        [
                                                                                                                            [
                                                                                                                                [
                                                                                                                                    [
                                                                                                                                        [
                                                                                                                                            [
                                                                                                                                                [
                                                                                                                                                    [
                                                                                                                                                        [
                                                                                                                                                            [
                                                                                                                                                                [
                                                                                                                                                                    [
                                                                                                                                                                        [
                                                                                                                                                                            [
                                                                                                                                                                                [
                                                                                                                                                                                    [
                                                                                                                                                                                        [
                                                                                                                                                                                            [
                                                                                                                                                                                                [
                                                                                                                                                                                                    [
                                                                                                                                                                                                        [
                                                                                                                                                                                                            [
                                                                                                                                                                                                                [
                                                                                                                                                                                                                    [
                                                                                                                                                                                                                        [
                                                                                                                                                                                                                            [
                                                                                                                                                                                                                                [
                                                                                                                                                                                                                                    [
                                                                                                                                                                                                                                        [
                                                                                                                                                                                                                                            [
                                                                                                                                                                                                                                                [
                                                                                                                                                                                                                                                    [
                                                                                                                                                                                                                                                        [
                                                                                                                                                                                                                                                            [
                                                                                                                                                                                                                                                                [
                                                                                                                                                                                                                                                                    [
                                                                                                                                                                                                                                                                        [
                                                                                                                                                                                                                                                                            [
                                                                                                                                                                                                                                                                                [
                                                                                                                                                                                                                                                                                    [
                                                                                                                                                                                                                                                                                        [
                                                                                                                                                                                                                                                                                            1
                                                                                                                                                                                                                                                                                        ]
                                                                                                                                                                                                                                                                                    ]
                                                                                                                                                                                                                                                                                ]
                                                                                                                                                                                                                                                                            ]
                                                                                                                                                                                                                                                                        ]
                                                                                                                                                                                                                                                                    ]
                                                                                                                                                                                                                                                                ]
                                                                                                                                                                                                                                                            ]
                                                                                                                                                                                                                                                        ]
                                                                                                                                                                                                                                                    ]
                                                                                                                                                                                                                                                ]
                                                                                                                                                                                                                                            ]
                                                                                                                                                                                                                                        ]
                                                                                                                                                                                                                                    ]
                                                                                                                                                                                                                                ]
                                                                                                                                                                                                                            ]
                                                                                                                                                                                                                        ]
                                                                                                                                                                                                                    ]
                                                                                                                                                                                                                ]
                                                                                                                                                                                                            ]
                                                                                                                                                                                                        ]
                                                                                                                                                                                                    ]
                                                                                                                                                                                                ]
                                                                                                                                                                                            ]
                                                                                                                                                                                        ]
                                                                                                                                                                                    ]
                                                                                                                                                                                ]
                                                                                                                                                                            ]
                                                                                                                                                                        ]
                                                                                                                                                                    ]
                                                                                                                                                                ]
                                                                                                                                                            ]
                                                                                                                                                        ]
                                                                                                                                                    ]
                                                                                                                                                ]
                                                                                                                                            ]
                                                                                                                                        ]
                                                                                                                                    ]
                                                                                                                                ]
                                                                                                                            ]
                                                                                                                        ]
                                                                                                                    ]
                                                                                                                ]
                                                                                                            ]
                                                                                                        ]
                                                                                                    ]
                                                                                                ]
                                                                                            ]
                                                                                        ]
                                                                                    ]
                                                                                ]
                                                                            ]
                                                                        ]
                                                                    ]
                                                                ]
                                                            ]
                                                        ]
                                                    ]
                                                ]
                                            ]
                                        ]
                                    ]
                                ]
                            ]
                        ]
                    ]
                ]
            },
            "嵌套",
        ),
        ({"$defs": {}}, "$defs/item"),
        ({"x-qingdan": [1, 2]}, "x-qingdan"),
        (
            {"x-qingdan": {"columns": [{"field": "code", "width": "宽"}]}},
            "x-qingdan/columns/0/width",
        ),
        ({"x-qingdan": {"code_pattern": 5}}, "x-qingdan/code_pattern"),
    ],
)
def test_a_custom_preset_it_cannot_use_is_a_finding(
    plain: Path, change: dict[str, object], said: str
) -> None:
    """Network schemas, files out of the preset folder, 10,000-deep JSON, a kind without item
    definitions, x-qingdan of the wrong shape: each a config finding, no request, no traceback."""
    preset = custom_preset(plain)
    schema = preset / "duty.schema.json"
    document = json.loads(schema.read_text("utf-8"))
    document.update(change)
    schema.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    result = run("validate", "--no-cache", "--format", "json", cwd=plain)
    assert result.code == 1
    [found] = [f for f in findings(result) if f["code"] == "config.invalid"]
    assert said in str(found["message"]) and found["file"] == "qingdan.yaml"


def test_json_nested_ten_thousand_deep_is_refused(plain: Path) -> None:
    preset = custom_preset(plain)
    schema = preset / "duty.schema.json"
    text = schema.read_text("utf-8").rstrip()
    schema.write_text(text[:-1] + ', "x-deep": ' + "[" * 10_000 + "]" * 10_000 + "}", "utf-8")
    result = run_apart("validate", "--no-cache", cwd=plain)
    assert result.code == 1 and "嵌套过深" in result.stdout


# --- 5. tracebacks ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["null", "[1, 2]", '"全部"'])
def test_derive_of_the_wrong_type_is_a_finding_in_every_command(repo: Path, value: str) -> None:
    """``derive: null`` (or a list, or text): validate says so, nothing else breaks on it."""
    duty = repo / "townships" / "qingshui" / "duty.yaml"
    duty.write_text(f"kind: duty\nunit: 清水镇\nderive: {value}\n", "utf-8")
    assert run("validate", "--no-cache", cwd=repo).code == 1
    for command in ("stats", "resolve", "rebase", "diff"):
        run(command, cwd=repo)


@pytest.mark.parametrize("name", ["基层党建[/]", "基层:x:和:thumbs_up:[bold]"])
def test_markup_in_a_category_name_is_printed_as_written(repo: Path, name: str) -> None:
    """Values are text, never rich markup: shown as written, no crash, no emoji."""
    for tree in (repo / "categories" / "duty.yaml", repo / "catalog" / "categories" / "duty.yaml"):
        edit(tree, "name: 基层党建\n", f'name: "{name}"\n')
    result = run("stats", cwd=repo)
    assert result.code == 0, result.stderr
    assert name in result.stdout.replace("│", "") or name[:6] in result.stdout
    assert "👍" not in result.stdout


def test_a_typo_in_lists_is_an_error_not_a_clean_pass(plain: Path) -> None:
    """``lists: nope``: exit 1 at the key, never "0 个事项：没有发现问题"."""
    config(plain, "lists: nope")
    result = run("validate", "--no-cache", "--format", "json", cwd=plain)
    assert result.code == 1
    [found] = findings(result)
    assert (
        found["code"] == "config.invalid" and found["line"] == 9 and "nope" in str(found["message"])
    )


@posix_only
def test_links_out_of_the_tree_and_non_utf8_names_in_history(repo: Path, tmp_path: Path) -> None:
    """A revision with a link to an absolute path, a link out of the tree and a file name that
    is not UTF-8: diff and check read it (the links are no list files), and the cache is kept."""
    (repo / "townships" / "abs.txt").symlink_to("/etc/passwd")
    (repo / "townships" / "out.txt").symlink_to("../../../../outside.txt")
    os.close(os.open(os.fsencode(repo / "townships") + b"/caf\xe9.yaml", os.O_CREAT | os.O_WRONLY))
    git(repo.parent, "add", "-A")
    git(repo.parent, "commit", "-q", "-m", "links")
    duty = repo / "catalog" / "mulu" / "duty.yaml"
    edit(duty, "name: 基层党组织建设\n", "name: 基层党组织建设工作\n")
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    result = run("diff", cwd=repo, env=env)
    assert result.code == 0 and "基层党组织建设工作" in result.stdout
    result = run("check", "--base", "HEAD", cwd=repo, env=env)
    assert result.code == 1 and "更名" in result.stdout
    assert list((tmp_path / "cache").glob("*.json"))


def test_a_backtracking_pattern_in_a_custom_preset_runs_in_linear_time(plain: Path) -> None:
    """A preset's own ``pattern`` keyword is a repository's pattern too: judged by RE2 on the
    detailed path as well, so an item it fails is reported in a second."""
    preset = custom_preset(plain)
    schema = preset / "duty.schema.json"
    document = json.loads(schema.read_text("utf-8"))
    document["$defs"]["item"]["properties"]["name"] = {"title": "职责任务", "pattern": CATASTROPHIC}
    schema.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    duty = plain / "townships" / "qingshui" / "duty.yaml"
    edit(duty, "name: 基层党组织建设\n", f"name: {LONG_CODE}\n")
    result = run_apart("validate", "--no-cache", "--format", "json", cwd=plain)
    assert result.code == 1
    assert any(f["code"] == "schema.pattern" and f["line"] == 9 for f in findings(result))


@pytest.mark.parametrize("where", ["folder", "missing/summary.md", "/dev/full"])
def test_a_summary_that_cannot_be_written_is_an_error_not_a_traceback(
    repo: Path, tmp_path: Path, where: str
) -> None:
    """``check --summary`` onto a folder, into a missing folder, or onto a full disk: exit 2."""
    if where == "/dev/full" and not Path(where).exists():
        pytest.skip("no /dev/full here")
    (tmp_path / "folder").mkdir()
    target = where if where.startswith("/") else str(tmp_path / where)
    result = run("check", "--base", "HEAD", "--summary", target, cwd=repo)
    assert result.code == 2 and result.stderr.startswith("错误：")


@posix_only
@pytest.mark.parametrize("command", ["validate", "stats", "resolve"])
def test_a_link_loop_in_place_of_a_list_file_is_reported(plain: Path, command: str) -> None:
    """A list file that is a link to itself: validate names it; nothing crashes."""
    (plain / "townships" / "qingshui" / "loop.yaml").symlink_to("loop.yaml")
    result = run(command, cwd=plain)
    if command != "stats":  # stats counts derived lists only, and there are none here
        assert result.code in (1, 2)
        assert "loop.yaml" in result.stdout + result.stderr


@posix_only
def test_resolve_does_not_write_a_set_without_the_registry_it_could_not_read(repo: Path) -> None:
    """A FIFO as departments.yaml: resolve stops (exit 2) rather than leave the registry out."""
    fifo(repo / "departments.yaml")
    result = run_apart("resolve", cwd=repo)
    assert result.code == 2 and "departments.yaml" in result.stderr
    assert not (repo / "resolved").exists()
