"""Hostile values in real list files: every command answers with a finding at the file's line or
a clear error, never a traceback and never a silent pass (issue 14)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, run_here
from test_diff import edit, git

CATALOG = "lists/catalog/mulu/duty.yaml"
BAIHE = "lists/townships/baihe/duty.yaml"
GUIHU = "lists/townships/guihu/duty.yaml"

COMMANDS: list[tuple[tuple[str, ...], bool]] = [
    (("validate", "lists"), True),
    (("resolve", "-C", "lists", "-o", "out"), False),
    (("stats", "-C", "lists"), False),
    (("rebase", "-C", "lists", "--from", "HEAD~1"), True),
    (("diff", "-C", "lists", "HEAD~1"), False),
    (("diff", "-C", "lists", "HEAD~1", "HEAD"), False),
    (("check", "-C", "lists", "--base", "HEAD~1"), True),
]
"""Every command that reads list files, from the working tree and from git (``HEAD~1`` is the
sample as shipped, ``HEAD`` and the working tree carry the hostile edit), and whether it shows the
hostile line itself: resolve and diff of a derived set see the derived lists, so they may point
at the ``derive.from`` of a list whose base is broken instead."""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "repo"
    shutil.copytree(REPO / "lists", root / "lists")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "原样")
    return root


def _codes_not_text(root: Path) -> list[tuple[str, int]]:
    edit(root / CATALOG, "  - code: ZR-01-002\n", "  - code: [a, b]\n")
    edit(root / CATALOG, "  - code: ZR-01-003\n", "  - code: {a: 1}\n")
    return [(CATALOG, 25), (CATALOG, 42)]


def _operation_codes_not_text(root: Path) -> list[tuple[str, int]]:
    edit(root / BAIHE, "    - code: ZR-07-006\n", "    - code: {a: 1}\n")
    edit(root / GUIHU, "    - code: ZR-02-004\n", "    - code: [x]\n")
    return [(BAIHE, 206), (GUIHU, 288)]


def _huge_numbers(root: Path) -> list[tuple[str, int]]:
    edit(root / CATALOG, "    office: 党建工作办公室\n", f"    office: {'9' * 5000}\n")
    edit(
        root / BAIHE,
        "      reason: 明确本镇责任人和咨询电话。\n",
        f"      reason: 0x{'f' * 4000}\n",
    )
    return [(CATALOG, 21), (BAIHE, 14)]


@pytest.mark.parametrize(
    "mutate",
    [_codes_not_text, _operation_codes_not_text, _huge_numbers],
    ids=["catalog-code-not-text", "operation-code-not-text", "huge-numbers"],
)
def test_every_command_reports_the_line_never_a_traceback(
    template: Path, tmp_path: Path, mutate: Callable[[Path], list[tuple[str, int]]]
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(template, root, symlinks=True)
    where = mutate(root)
    git(root, "commit", "-qam", "改坏")
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    for args, exact in COMMANDS:
        run = run_here(*args, cwd=root, env=env)
        shown = run.stdout + run.stderr
        assert "Traceback" not in shown, (args, run.stderr[-2000:])
        assert run.code in (1, 2), (args, run.code, shown[-2000:])
        if args[0] == "stats":  # counts only; it sends the user to validate
            assert "统计可能不完整；请运行 qingdan validate 查看" in run.stderr, args
        elif exact:
            assert any(_shows(shown, *w) for w in where), (args, shown[-2000:])
        else:
            assert re.search(r"lists/\S+\.yaml(?::|\n +)[0-9]+:[0-9]+", shown), (args, shown)


def _shows(output: str, file: str, line: int) -> bool:
    """Whether the output points at the line: ``file:line:col``, or under a file heading."""
    return file in output and re.search(rf"(?:^|[\s:]){line}:[0-9]", output, re.M) is not None


ESCAPES = "\\e[31m红色\\e]0;pwned\\a"
"""What a list file can hold in a double-quoted YAML value: a colour change and a window title."""


def test_control_characters_from_files_are_shown_not_obeyed(template: Path, tmp_path: Path) -> None:
    """Names and category names with escape sequences: every text output shows them as ␛ …,
    JSON keeps the value (escaped by JSON's rules)."""
    root = tmp_path / "repo"
    shutil.copytree(template, root, symlinks=True)
    for old in ("    name: 党员发展和教育管理\n", "    name: 村（社区）“两委”干部队伍建设\n"):
        edit(root / CATALOG, old, f'    name: "{ESCAPES}"\n')
    edit(root / "lists/categories/duty.yaml", "    name: 基层党建\n", f'    name: "{ESCAPES}"\n')
    git(root, "commit", "-qam", "控制字符")
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    for args in [
        ("validate", "lists"),
        ("validate", "lists", "-f", "github"),
        ("validate", "lists", "-f", "concise"),
        ("stats", "-C", "lists"),
        ("rebase", "-C", "lists", "--from", "HEAD~1"),
        ("diff", "-C", "lists", "HEAD~1"),
        ("diff", "-C", "lists", "HEAD~1", "-f", "markdown"),
        ("check", "-C", "lists", "--base", "HEAD~1"),
        ("validate", "\x1b]0;pwned\x07"),
    ]:
        run = run_here(*args, cwd=root, env=env)
        shown = run.stdout + run.stderr
        assert "Traceback" not in shown, (args, shown[-2000:])
        assert "\x1b" not in shown and "\x07" not in shown, (args, shown[-2000:])
        assert "␛]0;pwned␇" in shown, (args, shown[-2000:])
    report = run_here("diff", "-C", "lists", "HEAD~1", "-f", "json", cwd=root, env=env)
    assert "\\u001b[31m红色\\u001b]0;pwned\\u0007" in report.stdout  # JSON's own escapes
