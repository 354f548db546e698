"""The integrations a list repository uses, run for real: the pre-commit hooks in
``.pre-commit-hooks.yaml`` and the GitHub Actions workflow in ``docs/ci/github-actions.yml``.

The pre-commit tests install the hooks the way a list repository does (``repo:`` + ``rev:``),
from a snapshot of this working tree, into a hook environment that pre-commit builds with pip:
that needs PyPI once per test session. ``pre-commit try-repo`` is not used: it snapshots only
tracked files (``git add -u``) and builds a fresh hook environment on every call.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, SAMPLE

LISTS = SAMPLE
HOOKS = REPO / ".pre-commit-hooks.yaml"
WORKFLOW = REPO / "docs" / "ci" / "github-actions.yml"
BIN = Path(sys.executable).parent

# One item edit that needs a change record, and the record that covers it.
EDITED_FILE = "townships/baihe/duty.yaml"
EDITED_CODE = "ZR-01-001"
EDITED_LINE = 8
EDIT_FROM = "落实镇党委管党治党主体责任"
EDIT_TO = "全面落实镇党委管党治党主体责任"
RECORD_FILE = "changes/2026-01.yaml"
RECORD = """\
batch: 2026年第1批
title: 白鹤镇职责任务清单调整
approval:
  authority: 中共锦川市青岚区委机构编制委员会办公室
  number: 青岚编办发〔2026〕3号
  date: "2026-03-02"
changes:
  - type: 调整
    items: [ZR-01-001]
    units: [白鹤镇]
    reason: 落实全面从严治党要求，完善职责表述
"""

# The two layouts a list repository can have: the list set at its root, or in a subfolder
# named to the hooks through their args.
LAYOUTS = {
    "root": ("", {}),
    "subfolder": (
        "lists",
        {"qingdan-validate": ["lists"], "qingdan-check": ["-C", "lists"]},
    ),
}


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment for git and pre-commit: no user or system git config, no git state
    leaking in from an enclosing hook, no pre-commit SKIP."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SKIP", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"}
    }
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        PYTHONIOENCODING="utf-8",
        PRE_COMMIT_COLOR="never",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        COLUMNS="200",
    )
    env.update(extra)
    return env


def _run(
    *cmd: str | Path, cwd: Path, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _git(repo: Path, *args: str, env: dict[str, str]) -> str:
    proc = _run("git", "-c", "commit.gpgsign=false", *args, cwd=repo, env=env)
    assert proc.returncode == 0, f"git {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}"
    return proc.stdout.strip()


def _init_repo(path: Path, env: dict[str, str]) -> None:
    path.mkdir(parents=True, exist_ok=True)
    _git(path, "init", "-q", "-b", "main", env=env)
    _git(path, "config", "user.name", "清单测试", env=env)
    _git(path, "config", "user.email", "qingdan-test@example.org", env=env)
    _git(path, "config", "commit.gpgsign", "false", env=env)


def _list_repo(path: Path, subdir: str, env: dict[str, str]) -> Path:
    """A git repository holding a copy of the sample list set (at ``subdir``), committed."""
    _init_repo(path, env)
    listset = path / subdir if subdir else path
    shutil.copytree(LISTS, listset, dirs_exist_ok=True)
    _git(path, "add", "-A", env=env)
    _git(path, "commit", "-q", "-m", "清单初稿", env=env)
    return listset


def _edit_item(listset: Path) -> None:
    target = listset / EDITED_FILE
    text = target.read_text(encoding="utf-8")
    assert EDIT_FROM in text
    target.write_text(text.replace(EDIT_FROM, EDIT_TO, 1), encoding="utf-8")


def _add_record(listset: Path) -> None:
    (listset / RECORD_FILE).parent.mkdir(exist_ok=True)
    (listset / RECORD_FILE).write_text(RECORD, encoding="utf-8")


def _prefix(subdir: str) -> str:
    return f"{subdir}/" if subdir else ""


# --- pre-commit ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HookRepo:
    """This working tree as a hook repository, and a pre-commit store with its environment."""

    url: Path
    rev: str
    env: dict[str, str]
    pre_commit: tuple[str, ...]


def _pre_commit_command() -> tuple[str, ...]:
    exe = BIN / "pre-commit"
    if exe.exists():
        return (str(exe),)
    probe = subprocess.run(
        [sys.executable, "-c", "import pre_commit"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        pytest.fail(
            "pre-commit is not installed in this environment; it is a dev dependency: "
            "run `.venv/bin/pip install -e '.[dev]'` (or `make test`, which does)."
        )
    return (sys.executable, "-m", "pre_commit")


def _snapshot(target: Path, env: dict[str, str]) -> str:
    """Commit this working tree (tracked and untracked, minus ignored files) into a new
    repository, as a list repository's ``rev:`` would pin it; return the commit."""
    listed = _run("git", "ls-files", "-z", "-co", "--exclude-standard", cwd=REPO, env=env)
    assert listed.returncode == 0, listed.stderr
    target.mkdir()
    for name in filter(None, listed.stdout.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _init_repo(target, env)
    _git(target, "add", "-A", env=env)
    _git(target, "commit", "-q", "-m", "snapshot of the qingdan working tree", env=env)
    return _git(target, "rev-parse", "HEAD", env=env)


def _write_config(
    repo: Path, hooks: HookRepo, args: dict[str, list[str]], extra: dict[str, Any] | None = None
) -> None:
    entries: list[dict[str, Any]] = []
    for hook_id in ("qingdan-validate", "qingdan-check"):
        entry: dict[str, Any] = {"id": hook_id}
        if hook_id in args:
            entry["args"] = args[hook_id]
        entry.update((extra or {}).get(hook_id, {}))
        entries.append(entry)
    config = {"repos": [{"repo": str(hooks.url), "rev": hooks.rev, "hooks": entries}]}
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HookRepo]:
    """Build the hook environment once per session (pip install of qingdan from PyPI)."""
    base = tmp_path_factory.mktemp("pre-commit")
    env = _clean_env(
        PRE_COMMIT_HOME=str(base / "home"),
        QINGDAN_CACHE_DIR=str(base / "qingdan-cache"),
    )
    command = _pre_commit_command()
    rev = _snapshot(base / "qingdan", env)
    hooks = HookRepo(base / "qingdan", rev, env, command)

    consumer = base / "consumer"
    _init_repo(consumer, env)
    _write_config(consumer, hooks, {})
    started = time.monotonic()
    proc = _run(*command, "install-hooks", cwd=consumer, env=env, timeout=600)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        pytest.fail(
            "pre-commit could not build the qingdan hook environment. It pip-installs qingdan "
            "and its dependencies, so it needs PyPI (or a pip index/cache set through PIP_* "
            f"variables).\n--- pre-commit output ---\n{proc.stdout}{proc.stderr}"
        )
    print(f"\npre-commit hook environment built in {elapsed:.1f} s")
    yield hooks
    shutil.rmtree(base / "home", ignore_errors=True)


def _hook_lines(output: str) -> dict[str, str]:
    """pre-commit's status line per hook name: Passed, Failed or Skipped."""
    found = re.findall(
        r"^(\S.*?)\.*(?:\(no files to check\))?(Passed|Failed|Skipped)$", output, re.M
    )
    return {name.strip(): status for name, status in found}


def _status(output: str, hook: str) -> str:
    names = {h["id"]: h["name"] for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    lines = _hook_lines(output)
    assert names[hook] in lines, f"no status line for {hook}:\n{output}"
    return lines[names[hook]]


@dataclass
class Committer:
    """A list repository with the hooks installed as its git pre-commit hook."""

    repo: Path
    listset: Path
    prefix: str
    env: dict[str, str]

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        return _run(
            "git",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-m",
            message,
            cwd=self.repo,
            env=self.env,
        )

    def add(self, *paths: str) -> None:
        _git(self.repo, "add", "--", *paths, env=self.env)

    def head(self) -> str:
        return _git(self.repo, "rev-parse", "HEAD", env=self.env)


def _committer(
    tmp_path: Path,
    hooks: HookRepo,
    layout: str,
    extra: dict[str, Any] | None = None,
) -> Committer:
    subdir, args = LAYOUTS[layout]
    env = {**hooks.env, "QINGDAN_CACHE_DIR": str(tmp_path / "qingdan-cache")}
    repo = tmp_path / "repo"
    listset = _list_repo(repo, subdir, env)
    _write_config(repo, hooks, args, extra)
    _git(repo, "add", ".pre-commit-config.yaml", env=env)
    _git(repo, "commit", "-q", "-m", "启用 pre-commit", env=env)
    proc = _run(*hooks.pre_commit, "install", cwd=repo, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return Committer(repo, listset, _prefix(subdir), env)


def test_hook_manifest_is_valid() -> None:
    proc = _run(*_pre_commit_command(), "validate-manifest", HOOKS, cwd=REPO, env=_clean_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert set(hooks) == {"qingdan-validate", "qingdan-check", "qingdan-fmt"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False  # the rules need the whole list set
    assert hooks["qingdan-validate"]["entry"] == "qingdan validate"
    assert hooks["qingdan-check"]["entry"] == "qingdan check --base HEAD --staged"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pre_commit_check_needs_a_change_record(
    tmp_path: Path, hook_repo: HookRepo, layout: str
) -> None:
    repo = _committer(tmp_path, hook_repo, layout)
    before = repo.head()

    _edit_item(repo.listset)
    repo.add(".")
    refused = repo.commit("调整白鹤镇基层党组织建设职责")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert repo.head() == before
    assert _status(out, "qingdan-validate") == "Passed", out
    assert _status(out, "qingdan-check") == "Failed", out
    assert EDITED_CODE in out
    assert "没有调整记录" in out
    assert f"{repo.prefix}{EDITED_FILE}" in out

    _add_record(repo.listset)
    repo.add(".")
    accepted = repo.commit("调整白鹤镇基层党组织建设职责")
    out = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, out
    assert _status(out, "qingdan-validate") == "Passed", out
    assert _status(out, "qingdan-check") == "Passed", out
    committed = _git(repo.repo, "show", "--name-only", "--format=", "HEAD", env=repo.env)
    assert set(committed.splitlines()) == {
        f"{repo.prefix}{EDITED_FILE}",
        f"{repo.prefix}{RECORD_FILE}",
    }


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pre_commit_validate_reports_yaml_error(
    tmp_path: Path, hook_repo: HookRepo, layout: str
) -> None:
    repo = _committer(tmp_path, hook_repo, layout)
    broken = "townships/guihu/service.yaml"
    lines = (repo.listset / broken).read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("    target:"))
    lines[index] = "  " + lines[index]  # a mapping key indented under a plain scalar
    (repo.listset / broken).write_text("".join(lines), encoding="utf-8")
    repo.add(".")

    proc = repo.commit("误改缩进")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert _status(out, "qingdan-validate") == "Failed", out
    validate_part = out.split("- hook id: qingdan-validate", 1)[1].split("- hook id:", 1)[0]
    # The text report groups findings under their file; each row starts with line:column.
    assert re.search(
        rf"^{re.escape(repo.prefix + broken)}\n\s+{index + 1}:\d+\s+错误\s+YAML 语法错误",
        validate_part,
        re.M,
    ), validate_part


def test_pre_commit_check_runs_when_a_list_is_deleted(tmp_path: Path, hook_repo: HookRepo) -> None:
    """pre-commit passes no deleted files to hooks, so qingdan-validate (files: yaml) is
    skipped; qingdan-check is always_run and still demands a record for the removed items."""
    repo = _committer(tmp_path, hook_repo, "root")
    _git(repo.repo, "rm", "-q", "townships/shiqiao/service.yaml", env=repo.env)
    proc = repo.commit("删除石桥镇公共服务事项清单")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert _status(out, "qingdan-validate") == "Skipped", out
    assert _status(out, "qingdan-check") == "Failed", out
    assert "被删除了" in out
    assert "没有调整记录" in out


def test_pre_commit_check_base_can_be_overridden(tmp_path: Path, hook_repo: HookRepo) -> None:
    """``args: [--base, main]`` checks the whole branch, so a later commit may refine an item
    whose record came in an earlier commit of the same branch (with --base HEAD it may not)."""
    repo = _committer(tmp_path, hook_repo, "root", {"qingdan-check": {"args": ["--base", "main"]}})
    _git(repo.repo, "switch", "-q", "-c", "调整", env=repo.env)
    _edit_item(repo.listset)
    _add_record(repo.listset)
    repo.add(".")
    first = repo.commit("调整白鹤镇基层党组织建设职责")
    assert first.returncode == 0, first.stdout + first.stderr

    target = repo.listset / EDITED_FILE
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("加强本镇各级党组织建设", "加强本镇各级党组织建设工作", 1))
    repo.add(".")
    second = repo.commit("修改措辞")
    out = second.stdout + second.stderr
    assert second.returncode == 0, out
    assert _status(out, "qingdan-check") == "Passed", out


# --- GitHub Actions --------------------------------------------------------------------------


def _workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _steps() -> list[dict[str, Any]]:
    (job,) = _workflow()["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def _check_step() -> dict[str, Any]:
    (step,) = [s for s in _steps() if "qingdan check" in s.get("run", "")]
    return step


def _expand(value: str, context: dict[str, str]) -> str:
    """Substitute ``${{ name }}`` expressions the way the runner would."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in context, f"the test does not know the expression ${{{{ {name} }}}}"
        return context[name]

    return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", one, value)


def test_workflow_shape() -> None:
    proc = _run(
        BIN / "check-jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
        WORKFLOW,
        cwd=REPO,
        env=_clean_env(),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr

    workflow = _workflow()
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    steps = _steps()
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch must be there to diff against
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert "$QINGDAN_PACKAGE" in install["run"]
    assert "git+" in workflow["env"]["QINGDAN_PACKAGE"]
    assert steps.index(install) < steps.index(_check_step())
    assert _check_step()["env"]["BASE_REF"] == "${{ github.base_ref }}"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_workflow_check_step(tmp_path: Path, layout: str) -> None:
    subdir = LAYOUTS[layout][0]
    prefix = _prefix(subdir)
    env = _clean_env(QINGDAN_CACHE_DIR=str(tmp_path / "qingdan-cache"))
    repo = tmp_path / "repo"
    listset = _list_repo(repo, subdir, env)
    # What actions/checkout leaves with fetch-depth 0: the base branch as a remote-tracking
    # ref, and the pull request's commit checked out.
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD", env=env)
    _git(repo, "switch", "-q", "-c", "feature", env=env)
    _edit_item(listset)
    _git(repo, "commit", "-q", "-am", "调整白鹤镇基层党组织建设职责", env=env)

    step = _check_step()
    script = tmp_path / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    context = {"github.base_ref": "main"}
    workflow_env = {k: _expand(str(v), context) for k, v in _workflow().get("env", {}).items()}
    if subdir:
        workflow_env["LIST_DIR"] = subdir  # what the comment tells users to change
    step_env = {k: _expand(str(v), context) for k, v in step.get("env", {}).items()}

    def run_step(summary: Path) -> subprocess.CompletedProcess[str]:
        runner = {
            **env,
            **workflow_env,
            **step_env,
            "GITHUB_ACTIONS": "true",
            "GITHUB_STEP_SUMMARY": str(summary),
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        }
        # The runner's default shell for `run:` on Linux.
        return _run(
            "bash", "--noprofile", "--norc", "-eo", "pipefail", script, cwd=repo, env=runner
        )

    failed_summary = tmp_path / "summary-failed.md"
    failed = run_step(failed_summary)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    annotations = [line for line in failed.stdout.splitlines() if line.startswith("::error ")]
    assert annotations, failed.stdout
    assert re.match(
        rf"::error file={re.escape(prefix + EDITED_FILE)},line={EDITED_LINE}\b.*{EDITED_CODE}",
        annotations[0],
    ), annotations
    assert len(annotations) == 1, annotations
    summary = failed_summary.read_text(encoding="utf-8")
    assert "❌" in summary
    assert "检查未通过" in summary
    assert "没有调整记录" in summary
    assert "origin/main" in summary

    _add_record(listset)
    _git(repo, "add", "-A", env=env)
    _git(repo, "commit", "-q", "-m", "补充调整记录", env=env)
    passed_summary = tmp_path / "summary-passed.md"
    passed = run_step(passed_summary)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "::error" not in passed.stdout
    summary = passed_summary.read_text(encoding="utf-8")
    assert "✅" in summary
    assert "检查通过" in summary
    assert "青岚编办发〔2026〕3号" in summary
