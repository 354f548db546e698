"""``qingdan validate``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import typer

from qingdan.cli import DIR_OPTION, app
from qingdan.cli import reporting as rep
from qingdan.errors import QingdanError
from qingdan.reporters import REPORTERS
from qingdan.reporters.display import Color


@app.command()
def validate(
    paths: list[Path] = typer.Argument(
        None,
        help="清单集文件夹、其中的子文件夹或清单文件；不写则为当前文件夹。",
        show_default=False,
    ),
    output: rep.ValidateFormatOption = rep.ValidateFormat("text"),
    directory: Path = DIR_OPTION,
    quiet: rep.Quiet = False,
    color: rep.ColorOption = Color.auto,
    select: rep.Select = None,
    ignore: rep.Ignore = None,
    strict: bool = typer.Option(False, "--strict", help="有警告也返回退出码 1。"),
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用、也不更新校验缓存。"),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="并行进程数；0 表示按 CPU 核数。"),
    today: str = typer.Option(
        "",
        "--today",
        metavar="日期",
        help="按这一天检查事项期限和准入记录是否到期，写成 2026-03-02；默认为今天。",
        show_default=False,
    ),
) -> None:
    """校验清单：格式（JSON Schema）和编办规则（编码、部门、类别、依据、文本规范等）。

    也可以校验 Excel 表格（.xlsx、.xls、.ods）：按 qingdan import xlsx 的方式读入，问题指向
    工作表中的单元格，不写出任何文件。

    退出码：0 没有错误；1 有错误（或 --strict 时有警告）；2 无法运行。
    """
    from qingdan.cache import default_dir
    from qingdan.cli.place import working_set
    from qingdan.findings import ValidationResult
    from qingdan.importing.conversion import check_workbook
    from qingdan.importing.reading import is_workbook
    from qingdan.validation import Options
    from qingdan.validation import validate as run
    from qingdan.workspace import Workspace

    chosen = rep.selection(select, ignore)
    options = Options(
        cache_dir=None if no_cache else default_dir(), jobs=jobs or None, today=_date(today)
    )
    targets = paths or [working_set(directory) or Path.cwd()]
    books = [p for p in targets if is_workbook(p) and p.is_file()]
    lists = [p for p in targets if p not in books]
    workspace = Workspace()
    found = run(workspace, lists, options) if lists else ValidationResult()
    for book in books:  # read as `qingdan import xlsx` would, nothing written
        found.merge(check_workbook(workspace, book, lambda: working_set(directory)))
    result = rep.filtered(found, chosen, audited=False)
    REPORTERS[output](result, sys.stdout, rep.display(quiet, color))
    raise typer.Exit(result.exit_code(strict=strict))


def _date(text: str) -> dt.date | None:
    """``--today``: an ISO date, or none (the real today)."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise QingdanError(f"--today 的日期“{text}”写法不对，请写成 2026-03-02。") from None
