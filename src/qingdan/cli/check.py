"""``qingdan check``."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qingdan.cli import DIR_OPTION, app
from qingdan.cli import reporting as rep
from qingdan.reporters.display import Color

if TYPE_CHECKING:
    from qingdan.comparison import CheckResult
    from qingdan.listset import ListSet


@app.command()
def check(
    base: str = typer.Option(
        ...,
        "--base",
        "-b",
        help="与哪个 git 版本比对（如 origin/main、HEAD）。",
        metavar="版本",
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
    draft: Path = typer.Option(
        None,
        "--draft",
        help="把没有调整记录的变化写成一份调整记录草稿（如 changes/2026-02.yaml），"
        "每处变化一条，调整理由和批准信息留作“待填写”。",
        show_default=False,
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
    from qingdan.outputs import check_file
    from qingdan.reporters.review import REVIEWERS
    from qingdan.validation import Options, validate
    from qingdan.workspace import Workspace

    chosen = rep.selection(select, ignore)
    root = working_set(directory)
    assert root is not None
    workspace = Workspace()
    listset = workspace.open(root)
    if draft is not None:
        from qingdan.drafts import check_target

        check_target(draft, listset, workspace.bases(listset))
    target = summary or (
        Path(os.environ["GITHUB_STEP_SUMMARY"])
        if output == "github" and os.environ.get("GITHUB_STEP_SUMMARY")
        else None
    )
    if target is not None:
        check_file(target, listset, what="摘要", bases=workspace.bases(listset))
    options = Options(cache_dir=None if no_cache else default_dir())
    validation = validate(workspace, [root], options)
    result = run_check(workspace, root, base, validation, staged=staged)
    if draft is not None:
        _draft(result, base, draft, listset)
    result = replace(result, validation=rep.filtered(result.validation, chosen, audited=True))
    REVIEWERS[output](result, sys.stdout, rep.display(quiet, color))
    if target is not None:
        _append_summary(result, target)
    raise typer.Exit(result.validation.exit_code(strict=strict))


def _append_summary(result: CheckResult, target: Path) -> None:
    """Appended, as GitHub's step summary wants; a disk that fails is an error, not a crash."""
    from qingdan.errors import QingdanError, os_reason
    from qingdan.listset import display_path
    from qingdan.reporters.display import Display
    from qingdan.reporters.review import markdown

    try:
        with target.open("a", encoding="utf-8") as stream:
            markdown(result, stream, Display())
    except OSError as error:
        shown = display_path(target)
        raise QingdanError(f"无法写入摘要 {shown}：{os_reason(error)}。") from error


def _draft(result: CheckResult, base: str, target: Path, listset: ListSet) -> None:
    from qingdan.drafts import records_dir, uncovered, write_draft
    from qingdan.listset import display_path

    changes = uncovered(result, target)
    shown = display_path(target)
    if not changes:
        what = (
            "每处变化都有调整记录" if result.comparison.diff.changes else f"与 {base} 相比没有变化"
        )
        typer.echo(f"{what}，没有写出草稿 {shown}。", err=True)
        return
    write_draft(result, base, changes, target)
    typer.echo(
        f"已写出调整记录草稿 {shown}：{len(changes)} 处变化各一条。"
        "请把其中的“待填写”换成调整理由和批准信息，核对调整类型，再运行 qingdan check。",
        err=True,
    )
    records = records_dir(listset)
    if records.resolve() not in target.resolve().parents:
        typer.echo(
            f"注意：草稿不在调整记录文件夹 {display_path(records)} 中，qingdan check 不会读取它；"
            "填写完成后请把它移到那里。",
            err=True,
        )
