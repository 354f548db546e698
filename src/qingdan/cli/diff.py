"""``qingdan diff``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qingdan.cli import DIR_OPTION, app
from qingdan.cli.reporting import ReportFormat

if TYPE_CHECKING:
    from qingdan.comparison import Comparison
    from qingdan.diff import ItemChange
    from qingdan.workspace import Workspace


@app.command()
def diff(
    old: str = typer.Argument(
        None,
        help="旧版本：文件夹、清单文件或 git 版本（如 HEAD~1、main）；不写则为 HEAD。",
        metavar="旧版本",
        show_default=False,
    ),
    new: str = typer.Argument(
        None,
        help="新版本：同上；不写则为当前的工作区（磁盘上的文件）。",
        metavar="新版本",
        show_default=False,
    ),
    directory: Path = DIR_OPTION,
    output: ReportFormat = typer.Option(
        ReportFormat.text,
        "--format",
        "-f",
        help="输出格式：text（给人看）、json（给程序读）、markdown（贴到合并请求）。",
    ),
    workbook: Path = typer.Option(
        None, "--output", "-o", help="另外写出修订对照表（.xlsx），可直接打印。", show_default=False
    ),
    exit_code: bool = typer.Option(
        False, "--exit-code", help="有变化时返回退出码 1（与 git diff --exit-code 相同）。"
    ),
) -> None:
    """比对两个版本的清单：逐项列出新增、取消、调整、更名、类别变更，并给出修订对照表。

    例：qingdan diff HEAD~1 HEAD；qingdan diff 2025版 2026版；qingdan diff HEAD（与工作区比）。
    退出码：0 完成（或没有变化）；1 有变化（仅 --exit-code 时）；2 无法比对。
    """
    from qingdan.cli.place import working_set
    from qingdan.comparison import compare_specs
    from qingdan.reporters.changes import RENDERERS
    from qingdan.workspace import Workspace

    root = working_set(directory, required=False)
    workspace = Workspace()
    if workbook is not None:
        _check_workbook(workspace, workbook, root)
    result = compare_specs(workspace, old, new, root)
    RENDERERS[output.value](result.diff, result.coverage, result.words, sys.stdout)
    if workbook is not None:
        _write_workbook(result, workbook)
    if result.diff.problems:
        raise typer.Exit(2)
    raise typer.Exit(1 if exit_code and result.diff.changes else 0)


def _check_workbook(workspace: Workspace, path: Path, root: Path | None) -> None:
    from qingdan.errors import QingdanError
    from qingdan.outputs import check_file

    if path.suffix.lower() != ".xlsx":
        raise QingdanError(f"修订对照表只能写成 .xlsx 文件，而不是“{path.name}”。")
    listset = workspace.open(root) if root else None
    bases = workspace.bases(listset) if listset else []
    check_file(path, listset, what="修订对照表", bases=bases)


def _write_workbook(result: Comparison, path: Path) -> None:
    from qingdan.revision_table import Approval, write_revision_table

    def note(change: ItemChange) -> Approval | None:
        entry = result.coverage.entry(change)
        if entry is None:
            return None
        return Approval(entry.reason, entry.reference, result.coverage.type_of(change))

    name = result.listset.config.name if result.listset else None
    write_revision_table(
        result.diff,
        path,
        title=f"{name or '清单'} 修订对照表",
        note=note,
        words=result.words,
    )
    from qingdan.listset import display_path

    typer.echo(f"已写出修订对照表：{display_path(path)}", err=True)
