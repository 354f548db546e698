"""``qingdan check``."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import typer

from qingdan.cli import DIR_OPTION, app
from qingdan.cli import reporting as rep
from qingdan.reporters.display import Color


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
    output: rep.ReviewFormatOption = rep.ReviewFormat("text"),
    quiet: rep.Quiet = False,
    color: rep.ColorOption = Color.auto,
    select: rep.Select = None,
    ignore: rep.Ignore = None,
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
    from qingdan.comparison import check as run_check
    from qingdan.comparison import set_root
    from qingdan.reporters.display import Display
    from qingdan.reporters.review import REVIEWERS, markdown
    from qingdan.validation import Options, validate

    chosen = rep.selection(select, ignore)
    root = set_root(directory)
    if root is None:
        from qingdan.errors import QingdanError

        raise QingdanError("当前文件夹不在清单集中：请进入清单集文件夹，或用 -C 写明它的位置。")
    options = Options(cache_dir=None if no_cache else default_dir())
    result = run_check(root, base, validate([root], options), staged=staged)
    result = replace(result, validation=rep.filtered(result.validation, chosen, audited=True))
    REVIEWERS[output](result, sys.stdout, rep.display(quiet, color))
    target = summary or (
        Path(os.environ["GITHUB_STEP_SUMMARY"])
        if output == "github" and os.environ.get("GITHUB_STEP_SUMMARY")
        else None
    )
    if target is not None:
        with target.open("a", encoding="utf-8") as stream:
            markdown(result, stream, Display())
    raise typer.Exit(result.validation.exit_code(strict=strict))
