"""``qingdan check``."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path

import typer

from qingdan.cli import DIR_OPTION, app


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    markdown = "markdown"


@app.command()
def check(
    base: str = typer.Option(
        ...,
        "--base",
        "-b",
        help="与哪个 git 版本比对（如 origin/main、HEAD）。",
        show_default=False,
    ),
    directory: Path = DIR_OPTION,
    output: Format = typer.Option(
        Format.text,
        "--format",
        "-f",
        help="输出格式：text、json、github（GitHub Actions 注释）、markdown。",
    ),
    summary: Path = typer.Option(
        None,
        "--summary",
        help="另外把 Markdown 摘要写入这个文件；在 GitHub Actions 中默认写入 $GITHUB_STEP_SUMMARY。",
        show_default=False,
    ),
    staged: bool = typer.Option(
        False,
        "--staged",
        help="比对暂存区（下一次提交的内容）而不是文件夹：没有 git add 的调整记录不算（提交前钩子用）。",
    ),
    strict: bool = typer.Option(False, "--strict", help="有警告也返回退出码 1。"),
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用、也不更新校验缓存。"),
) -> None:
    """合并前的检查：校验当前清单，并确认与 --base 相比的每一处变化都有经批准的调整记录。

    没有调整记录的变化、记录了却没有变化的事项，都是错误。
    退出码：0 通过；1 未通过；2 无法运行。
    """
    from qingdan.cache import default_dir
    from qingdan.cli.place import working_set
    from qingdan.comparison import check as run_check
    from qingdan.reporters.review import REVIEWERS, markdown
    from qingdan.validation import Options, validate

    root = working_set(directory)
    assert root is not None
    options = Options(cache_dir=None if no_cache else default_dir())
    result = run_check(root, base, validate([root], options), staged=staged)
    REVIEWERS[output.value](result, sys.stdout)
    target = summary or (
        Path(os.environ["GITHUB_STEP_SUMMARY"])
        if output is Format.github and os.environ.get("GITHUB_STEP_SUMMARY")
        else None
    )
    if target is not None:
        with target.open("a", encoding="utf-8") as stream:
            markdown(result, stream)
    raise typer.Exit(result.validation.exit_code(strict=strict))
