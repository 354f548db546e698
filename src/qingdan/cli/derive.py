"""``qingdan resolve`` and ``qingdan stats``: derived lists written out, and counted."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qingdan.cli import DIR_OPTION, app
from qingdan.cli.reporting import ReportFormat

if TYPE_CHECKING:
    from qingdan.listset import ListSet
    from qingdan.workspace import Workspace


SET_ARGUMENT = typer.Argument(None, help="清单集文件夹；默认为当前文件夹。", show_default=False)


def open_named(directory: Path | None, option: Path | None) -> tuple[Workspace, ListSet]:
    """The command's workspace and the list set it works on."""
    from qingdan.cli.place import open_usable, working_set
    from qingdan.errors import QingdanError

    if directory is not None and option is not None:
        raise QingdanError("清单集文件夹只能写一次：要么写在命令后面，要么用 -C。")
    root = working_set(directory or option)
    assert root is not None
    return open_usable(root)


@app.command()
def resolve(
    directory: Path = SET_ARGUMENT,
    option: Path = DIR_OPTION,
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        help="写到哪个文件夹；默认为 qingdan.yaml 中的 resolved（resolved/）。",
        show_default=False,
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="不使用缓存：每个派生清单都重新展开（结果相同，只是更慢）。"
    ),
) -> None:
    """把派生清单（以上级清单为基础、写明修改/增加/不采用的清单）展开成普通清单集。

    展开结果可以像手写的清单一样校验、比对和导出；每个事项注明来源（继承、修改、新增），
    不采用的上级事项连同理由一并列出。内容没有变化的文件不会重写。
    退出码：0 完成；1 派生有错误（未写出任何文件）；2 无法运行。
    """
    from qingdan.cache import default_dir
    from qingdan.findings import ValidationResult
    from qingdan.listset import display_path
    from qingdan.reporters import text as text_report
    from qingdan.resolved_set import output_dir, resolve_set

    workspace, listset = open_named(directory, option)
    out = output or output_dir(listset)
    result = resolve_set(workspace, listset, out, cache_dir=None if no_cache else default_dir())
    if result.findings:
        report = ValidationResult(findings=list(dict.fromkeys(result.findings)))
        report.sort()
        text_report.render(report, sys.stdout)
        if report.errors:
            typer.echo("派生有错误，未写出任何文件。", err=True)
            raise typer.Exit(1)
    typer.echo(
        f"已展开到 {display_path(out)}：写入 {len(result.written)} 个文件，"
        f"{result.unchanged} 个未变，删除 {len(result.removed)} 个过时的文件。"
    )


@app.command()
def stats(
    directory: Path = SET_ARGUMENT,
    option: Path = DIR_OPTION,
    output: ReportFormat = typer.Option(
        ReportFormat.text,
        "--format",
        "-f",
        help="输出格式：text（表格）、json、markdown（贴到报告中）。",
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用、也不更新校验缓存。"),
) -> None:
    """统计派生清单与上级清单的差异：按镇街、清单和领域列出继承、修改、新增、不采用的事项数。"""
    from qingdan.cache import default_dir
    from qingdan.present.vocabulary import vocabulary
    from qingdan.reporters.stats_report import RENDERERS
    from qingdan.stats import collect
    from qingdan.validation import Options

    workspace, listset = open_named(directory, option)
    result = collect(workspace, listset, Options(cache_dir=None if no_cache else default_dir()))
    RENDERERS[output.value](result, vocabulary(listset).kind_title, sys.stdout)
    if result.findings:
        typer.echo("部分派生清单有错误，统计可能不完整；请运行 qingdan validate 查看。", err=True)
        raise typer.Exit(1)


class RebaseFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def rebase(
    directory: Path = SET_ARGUMENT,
    option: Path = DIR_OPTION,
    old: str = typer.Option(
        None,
        "--from",
        help="上级清单集的上一版：文件夹，或上级清单集所在 git 仓库中的版本；默认为本清单集依据的版次"
        "（base.edition）在 git 历史中的那一版。",
        metavar="版本",
        show_default=False,
    ),
    apply_: bool = typer.Option(False, "--apply", help="把上级的新版次记入 qingdan.yaml。"),
    output: RebaseFormat = typer.Option(
        RebaseFormat.text, "--format", "-f", help="输出格式：text 或 json。"
    ),
) -> None:
    """上级清单（指导目录）发布新版后：列出上级的变化对本级派生清单的影响。

    本级修改过、上级也改了的字段是冲突，并排列出上级原值、上级新值和本级现值；上级新增的事项、
    上级取消的事项也逐项说明。其余变化随派生自动生效。--apply 把新版次记入 qingdan.yaml。
    退出码：0 无需人工处理；1 有冲突或需要处理的事项；2 无法运行。
    """
    from qingdan.rebase import apply, plan
    from qingdan.reporters.rebase_report import json_report, text

    workspace, listset = open_named(directory, option)
    if apply_:
        from qingdan.listset import CONFIG_NAME
        from qingdan.outputs import check_file

        check_file(listset.root / CONFIG_NAME, what="配置文件")
    report = plan(workspace, listset, old)
    if apply_:
        apply(listset, report)
    (json_report if output is RebaseFormat.json else text)(report, sys.stdout)
    raise typer.Exit(1 if report.conflicts or report.attention else 0)
