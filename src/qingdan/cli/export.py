"""``qingdan export``: a group, so that each output (xlsx, template, book …) is one command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qingdan.cli import DIR_OPTION, app, chinese

if TYPE_CHECKING:
    from qingdan.workbook.lists import Exported

export_app = chinese.Typer(
    name="export",
    help="导出清单：可打印的 Excel 表格、填报模板、印制文本（PDF、网页）。",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")

XLSX = ".xlsx"


@export_app.callback()
def _group() -> None:
    """导出清单：可打印的 Excel 表格、填报模板、印制文本（PDF、网页）。"""


@export_app.command("xlsx")
def xlsx(
    path: Path = typer.Argument(
        None,
        help="导出哪些清单：清单集文件夹、某个镇（街道）的文件夹或一个清单文件；默认为当前清单集。",
        metavar="路径",
        show_default=False,
    ),
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        help="写到哪个 .xlsx 文件；写一个文件夹时，每个镇（街道）写一个工作簿。",
        show_default=False,
    ),
    per_township: bool = typer.Option(
        False, "--per-township", help="每个镇（街道）的每张清单一个工作表（默认每种清单一个）。"
    ),
    categories: str = typer.Option(
        None,
        "--categories",
        help="领域怎么排：rows（每个领域前一行领域名）或 merged（领域单独一列、合并单元格）；"
        "默认按 qingdan.yaml 的 export.categories，未写时为 rows。",
        metavar="rows|merged",
        show_default=False,
    ),
) -> None:
    """把清单导出为可直接打印的 Excel 表格（派生清单按展开后的内容导出）。

    每种清单一个工作表，列标题、列宽和序号按清单类型的设置；按领域分段，表头冻结并在每页重复，
    A4 横向、按页宽缩放，页眉为表名和版次，页脚为页码。
    例：qingdan export xlsx -o 清单.xlsx；
    qingdan export xlsx townships/qingshui -o 清水镇.xlsx；
    qingdan export xlsx -o 各镇街/（每个镇街一个工作簿）。
    退出码：0 已写出；1 清单有错误（未写出）；2 无法运行。
    """
    from qingdan.cli.place import selection
    from qingdan.errors import QingdanError
    from qingdan.listset import display_path
    from qingdan.outputs import check_file, check_folder
    from qingdan.present.vocabulary import vocabulary
    from qingdan.rows import Numbering
    from qingdan.workbook.layout import Fonts
    from qingdan.workbook.lists import Categories, Destination, Look, Sheets, export_lists

    if categories is not None and categories not in {c.value for c in Categories}:
        raise QingdanError(f"--categories 只能是 rows 或 merged，而不是“{categories}”。")
    workspace, listset, files = selection(path, nothing="没有可导出的内容")
    bases = workspace.bases(listset)
    folder = output.suffix.lower() != XLSX
    if folder:
        _check_folder_name(output)
        check_folder(output, listset, what="导出文件夹", bases=bases)
    else:
        check_file(output, listset, what="导出的表格", bases=bases)
    config = listset.config
    several = len({file.parent for file in files}) > 1
    arranged = Categories(categories or config.export.categories)
    look = Look(
        Fonts.of(listset.config.export),
        config.edition,
        config.region,
        several and not folder,
        arranged,
    )
    sheets = Sheets.LIST if per_township else Sheets.KIND
    destination = Destination(output, folder, sheets, config.name)
    numbering = Numbering(config.export.numbering)
    lists = workspace.lists(listset, files)
    done = export_lists(lists, vocabulary(listset), numbering, look, destination)
    _report(done)
    typer.echo(f"已写出 {display_path(output)}：{done.lists} 张清单、{done.items} 个事项。")


def _report(done: Exported) -> None:
    """Errors (exit 1: nothing was written), then what the user should know about the rest."""
    from qingdan.errors import QingdanError
    from qingdan.findings import ValidationResult
    from qingdan.reporters import text as text_report

    if done.errors:
        report = ValidationResult(findings=list(dict.fromkeys(done.errors)))
        report.sort()
        text_report.render(report, sys.stdout)
        typer.echo(
            "清单有错误，未写出表格：请修正后再导出（qingdan validate 列出全部问题）。", err=True
        )
        raise typer.Exit(1)
    for display in done.skipped:
        typer.echo(f"注意：{display} 的清单类型不在清单集的 kinds 中，未导出。", err=True)
    if not done.lists:
        raise QingdanError("没有可导出的清单：所选文件的清单类型都不在清单集的 kinds 中。")
    for note in done.notes:
        typer.echo(f"注意：{note.message}", err=True)


@export_app.command("template")
def template(
    kind: str = typer.Argument(
        None,
        help="哪种清单（如 duty、service、territorial）；不写则每种清单一个工作表。",
        metavar="清单类型",
        show_default=False,
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="写到哪个 .xlsx 文件。", show_default=False
    ),
    directory: Path = DIR_OPTION,
) -> None:
    """写出填报模板：各列的标题与导出的表格相同，表头批注和单元格提示说明每列怎么填，
    领域、部门和固定选项的列可从下拉列表中选择，并附“填写说明”工作表。

    例：qingdan export template territorial -o 属地管理事项填报模板.xlsx。
    退出码：0 已写出；2 无法运行。
    """
    from qingdan.cli.place import open_usable, working_set
    from qingdan.errors import QingdanError
    from qingdan.listset import display_path
    from qingdan.outputs import check_file
    from qingdan.workbook.layout import Fonts
    from qingdan.workbook.template import Entry, rules, write_template

    root = working_set(directory)
    assert root is not None
    workspace, listset = open_usable(root)
    if kind is not None and kind not in listset.kinds:
        known = "、".join(listset.kinds)
        raise QingdanError(f"清单集中没有“{kind}”这种清单：可选的有 {known}。")
    if output.suffix.lower() != XLSX:
        raise QingdanError(f"填报模板只能写成 .xlsx 文件，而不是“{output.name}”。")
    check_file(output, listset, what="填报模板", bases=workspace.bases(listset))
    kinds = [listset.kinds[kind]] if kind else list(listset.kinds.values())
    entries = [
        Entry(k, tuple(rules(k, listset.categories.get(k.name), listset.departments)))
        for k in kinds
    ]
    title = f"{listset.config.name} 填报模板"
    write_template(entries, output, fonts=Fonts.of(listset.config.export), title=title)
    typer.echo(f"已写出填报模板 {display_path(output)}：{'、'.join(k.title for k in kinds)}。")


def _check_folder_name(output: Path) -> None:
    from qingdan.errors import QingdanError

    if output.suffix and not output.exists():
        raise QingdanError(
            f"导出的表格只能写成 .xlsx 文件，而不是“{output.name}”；"
            "要每个镇（街道）写一个工作簿，请在 -o 中写一个文件夹。"
        )
