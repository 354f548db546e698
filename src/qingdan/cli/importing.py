"""``qingdan import xlsx``: an office workbook into list files."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from qingdan.cli import DIR_OPTION, app, chinese
from qingdan.cli import reporting as rep
from qingdan.reporters.display import Color

import_app = chinese.Typer(
    name="import",
    help="从 Excel 表格读入清单。",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(import_app, name="import")


@import_app.callback()
def import_() -> None:
    """从 Excel 表格读入清单。"""


@import_app.command()
def xlsx(
    files: list[Path] = typer.Argument(
        ...,
        help="要读入的表格：.xlsx、.xls 或 .ods，可以写几个（如各镇街报来的表格）。",
        metavar="表格…",
        show_default=False,
    ),
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        help="清单文件写到哪个文件夹（每种清单一个 类型.yaml）；默认为与表格同名的文件夹。"
        "读入几个表格时，每个表格写到这个文件夹下与表格同名的文件夹。",
        show_default=False,
    ),
    kind: str = typer.Option(
        None,
        "--kind",
        help="表格中的清单类型（如 territorial）；默认按表头识别。",
        metavar="类型",
        show_default=False,
    ),
    unit: str = typer.Option(
        None,
        "--unit",
        help="清单所属的镇（街道）；默认从表格标题或文件名中识别。",
        metavar="单位",
        show_default=False,
    ),
    derive_from: str = typer.Option(
        None,
        "--derive-from",
        help="写成以这个单位的同类清单为基础的派生清单（修改、增加、不采用，理由待填写）。",
        metavar="单位",
        show_default=False,
    ),
    directory: Path = DIR_OPTION,
    quiet: rep.Quiet = False,
    color: rep.ColorOption = Color.auto,
) -> None:
    """把单位现有的 Excel 表格读成清单文件：识别标题行、两级表头、合并单元格和各种列名。

    读入的清单先按 qingdan validate 的规则校验（含几个表格之间编码、名称重复的检查），问题指向表格中的
    单元格（如 属地管理事项清单!C17）；任何一个表格有错误时，一个文件也不写出。
    退出码：0 完成；1 表格中有错误（未写出任何文件）；2 无法运行。
    """
    from qingdan.atomic import write_bytes
    from qingdan.cli.place import open_usable, working_set
    from qingdan.importing.conversion import Request, combined, convert, cross_checked
    from qingdan.listset import display_path
    from qingdan.outputs import check_folder
    from qingdan.reporters import text

    folders = _folders(files, output)
    root = working_set(directory)
    assert root is not None
    workspace, listset = open_usable(root)
    several = len(files) > 1
    bases = workspace.bases(listset)
    for folder in [output] if several and output is not None else folders:
        check_folder(folder, listset, what="清单文件夹", bases=bases)
    conversions = [
        convert(
            workspace,
            listset,
            Request(file, folder, kind=kind, unit=unit, derive_from=derive_from),
        )
        for file, folder in zip(files, folders, strict=True)
    ]
    result = combined(conversions, cross_checked(listset, conversions))
    if result.findings:
        text.render(result, sys.stdout, rep.display(quiet, color))
    if result.errors:
        typer.echo("表格中有错误，未写出任何文件。请按提示修改表格后再导入。", err=True)
        raise typer.Exit(1)
    if several and output is not None:
        output.mkdir(exist_ok=True)
    written = []
    for folder, conversion in zip(folders, conversions, strict=True):
        folder.mkdir(exist_ok=True)
        for imported in conversion.lists:
            write_bytes(imported.path, imported.text.encode("utf-8"))
            written.append(display_path(imported.path))
    typer.echo(f"已读入 {result.items} 个事项，写出 {'、'.join(written)}。")
    placeholders = sum(c.placeholders for c in conversions)
    if placeholders:
        typer.echo(f"派生清单中有 {placeholders} 处理由待填写，请逐项写明后运行 qingdan validate。")


def _folders(files: list[Path], output: Path | None) -> list[Path]:
    """Where each workbook's lists go, once every workbook is known to be one."""
    from qingdan.errors import QingdanError
    from qingdan.importing.reading import is_workbook
    from qingdan.listset import display_path

    for file in files:
        if not file.is_file():
            raise QingdanError(f"表格不存在：{display_path(file)}。请检查文件名。")
        if not is_workbook(file):
            raise QingdanError(f"{display_path(file)} 不是 .xlsx、.xls 或 .ods 表格。")
    if len({file.resolve() for file in files}) < len(files):
        raise QingdanError("同一个表格写了两次，请每个表格只写一次。")
    if len(files) == 1:
        return [output or Path(files[0].stem)]
    folders = [output / file.stem if output else Path(file.stem) for file in files]
    if len(set(folders)) < len(folders):
        raise QingdanError("有几个表格同名，会写到同一个文件夹：请改名后再读入。")
    return folders
