"""``qingdan who``: every item one department answers for, as 牵头, 主体 and 配合."""

from __future__ import annotations

import io
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qingdan.cli import app

if TYPE_CHECKING:
    from qingdan.duties import Duties
    from qingdan.listset import ListSet
    from qingdan.model import ResolvedList
    from qingdan.registry import Department, Departments


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


@app.command()
def who(
    department: str = typer.Argument(
        ..., help="部门：部门名录中的全称、简称、别名或编码，如 区住建局。", metavar="部门"
    ),
    path: Path = typer.Argument(
        None,
        help="查哪些清单：清单集文件夹、某个镇（街道）的文件夹或一个清单文件；默认为当前清单集。",
        metavar="路径",
        show_default=False,
    ),
    unit: str = typer.Option(
        None, "--unit", "-u", help="只看这个镇（街道）的清单，如 白鹤镇。", show_default=False
    ),
    output_format: Format = typer.Option(
        Format.text,
        "--format",
        "-f",
        help="输出格式：text（默认）、json、markdown（贴到报告中）、xlsx（Excel 表格，须用 -o）。",
    ),
    output: Path = typer.Option(
        None, "--output", "-o", help="写到哪个文件；默认显示在屏幕上。", show_default=False
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="不使用、也不更新缓存（结果相同，只是更慢）。"
    ),
) -> None:
    """列出一个部门承担的全部事项：按牵头、主体、配合分组，再按镇（街道）和清单列出，附事项数。

    部门可写全称、简称、别名或编码；派生清单按展开后的内容查。
    例：qingdan who 区住建局；qingdan who 区应急局 --unit 白鹤镇；
    qingdan who 区住建局 --format xlsx -o 区住建局承担的事项.xlsx。
    退出码：0 完成；1 有的清单有错误（结果可能不完整）；2 无法运行。
    """
    from qingdan.cache import default_dir
    from qingdan.cli.place import selection
    from qingdan.cli.reporting import warn_faulty
    from qingdan.duties import grouped
    from qingdan.duty_cache import charges
    from qingdan.errors import QingdanError
    from qingdan.listset import display_path
    from qingdan.outputs import check_file
    from qingdan.present.visible import visible
    from qingdan.present.vocabulary import vocabulary

    workspace, listset, files = selection(path, nothing="没有可查的事项")
    registry = listset.departments
    if registry is None or not registry.entries:
        raise QingdanError("清单集没有部门名录（departments.yaml），无法按部门查找。")
    wanted = _department(registry, department, "部门")
    township = _department(registry, unit, "镇（街道）") if unit is not None else None
    if output_format is Format.xlsx and (output is None or output.suffix.lower() != ".xlsx"):
        raise QingdanError("--format xlsx 须用 -o 写到一个 .xlsx 文件，如 -o 区住建局.xlsx。")
    if output is not None:
        check_file(output, listset, what="输出文件", bases=workspace.bases(listset))
    words = vocabulary(listset)
    cache = None if no_cache else default_dir()
    found = charges(workspace, listset, files, wanted, words, cache_dir=cache)
    duties = grouped(wanted, found, registry, township)
    if output_format is Format.xlsx:
        assert output is not None
        paths = {display_path(path): path for path in files}
        named = {ls.display for group in duties.groups for u in group.units for ls in u.lists}
        lists = {d: workspace.resolved_list(listset, paths[d]) for d in paths if d in named}
        _workbook(duties, lists, listset, output)
    else:
        _report(duties, output_format, output)
    for display in duties.skipped:
        typer.echo(f"注意：{visible(display)} 的清单类型不在清单集的 kinds 中，未查。", err=True)
    warn_faulty(duties.faulty)
    if duties.faulty:
        raise typer.Exit(1)
    if output is not None:
        typer.echo(f"已写出 {display_path(output)}：{duties.count} 个事项。")


def _department(registry: Departments, name: str, what: str) -> Department:
    from qingdan.duties import near
    from qingdan.errors import QingdanError

    found = registry.get(name)
    if found is not None:
        return found
    close = near(registry, name)
    hint = (
        f"您是不是要找：{'、'.join(close)}？"
        if close
        else "请写部门名录中的全称、简称、别名或编码。"
    )
    raise QingdanError(f"部门名录中没有{what}“{name}”。{hint}")


def _report(duties: Duties, output_format: Format, output: Path | None) -> None:
    from qingdan import atomic
    from qingdan.reporters.who_report import RENDERERS

    render = RENDERERS[output_format.value]
    if output is None:
        render(duties, sys.stdout)
        return
    buffer = io.StringIO()
    render(duties, buffer)
    atomic.write_bytes(output, buffer.getvalue().encode("utf-8"))


def _workbook(
    duties: Duties, lists: dict[str, ResolvedList], listset: ListSet, output: Path
) -> None:
    from qingdan.present.vocabulary import vocabulary
    from qingdan.workbook.duties import write_duties
    from qingdan.workbook.layout import Fonts
    from qingdan.workbook.lists import Look

    config = listset.config
    look = Look(Fonts.of(config.export), config.edition, config.region, several=True)
    for note in write_duties(duties, lists, vocabulary(listset), look, output):
        typer.echo(f"注意：{note.message}", err=True)
