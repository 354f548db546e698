"""``qingdan show``: one item as each level has it, and where each field's text is written."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qingdan.cli import app
from qingdan.cli.reporting import ReportFormat

if TYPE_CHECKING:
    from qingdan.lineage import Note
    from qingdan.listset import ListSet
    from qingdan.workspace import Workspace


@app.command()
def show(
    code: str = typer.Argument(..., help="事项编码，如 SD-07-002。", metavar="事项编码"),
    path: Path = typer.Argument(
        None,
        help="在哪些清单中找：清单集文件夹、某个镇（街道）的文件夹或一个清单文件；默认为当前清单集。",
        metavar="路径",
        show_default=False,
    ),
    unit: str = typer.Option(
        None,
        "--unit",
        "-u",
        help="只看这个镇（街道）（或区）的清单，如 白鹤镇；默认每张有这个事项的清单都列出。",
        show_default=False,
    ),
    output_format: ReportFormat = typer.Option(
        ReportFormat.text, "--format", "-f", help="输出格式：text（默认）、json 或 markdown。"
    ),
) -> None:
    """显示一个事项在各级清单中的样子：市级目录的原文、区级的修改、镇（街道）的修改，逐个字段
    写明现行的值写在哪个文件的哪一行，每项修改的理由和依据文件；本级改过、上级也改过的字段会标出。

    例：qingdan show SD-07-002 --unit 白鹤镇；qingdan show ZR-05-004 townships/baihe。
    退出码：0 完成；2 无法运行（如没有这个编码）。
    """
    from qingdan.cli.place import selection
    from qingdan.errors import QingdanError
    from qingdan.lineage import find, levels, lineage, near_codes
    from qingdan.present.vocabulary import vocabulary
    from qingdan.reporters.show_report import RENDERERS

    workspace, listset, files = selection(path, nothing="没有可查的事项")
    words = vocabulary(listset)
    lists = list(workspace.lists(listset, files))
    found = find(lists, code.strip())
    if unit is not None:
        found = [(listed, i) for listed, i in found if _unit_is(listset, listed.unit, unit)]
    if not found:
        close = near_codes(lists, code)
        hint = f"相近的编码：{'、'.join(close)}。" if close else "请检查编码是否写对。"
        where = f"{unit}的" if unit else ""
        raise QingdanError(f"{where}清单中没有编码为“{code}”的事项。{hint}")
    notes = _conflicts(workspace, listset, code.strip())
    shown = [
        lineage(listed, index, words, levels(workspace, listset, listed), notes)
        for listed, index in found
    ]
    RENDERERS[output_format.value](shown, sys.stdout)


def _unit_is(listset: ListSet, written: str, wanted: str) -> bool:
    registry = listset.departments
    if registry is None:
        return written == wanted
    mine, theirs = registry.get(written), registry.get(wanted)
    return written == wanted or (mine is not None and mine is theirs)


def _conflicts(workspace: Workspace, listset: ListSet, code: str) -> tuple[Note, ...]:
    """Base changes to fields this set overrides, when the base has a newer edition than the
    one the set was derived from (``qingdan rebase`` finds them)."""
    from qingdan.errors import QingdanError
    from qingdan.lineage import Note
    from qingdan.rebase import plan

    spec, base = listset.config.base, workspace.base_set(listset)
    if spec is None or base is None or spec.edition == base.config.edition:
        return ()
    try:
        report = plan(workspace, listset, None)
    except QingdanError as exc:
        typer.echo(f"注意：无法与上级的上一版比对，未标出上级新版的冲突：{exc}", err=True)
        return ()
    return tuple(
        Note(
            f"上级新版（{report.new_edition}）改了{c.title}：由“{c.base_old}”改为“{c.base_new}”，"
            f"本级的值仍是“{c.local}”。请核对后修改，或运行 qingdan rebase 查看全部冲突。",
            c.location,
        )
        for c in report.conflicts
        if c.code == code
    )
