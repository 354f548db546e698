"""``qingdan explain``."""

from __future__ import annotations

import sys

import typer

from qingdan.cli import app


@app.command()
def explain(
    code: str = typer.Argument(  # typer 0.12 cannot read "str | None"
        None, help="问题代码，如 text.space；不写则列出全部代码。", show_default=False
    ),
) -> None:
    """说明一个问题代码：严重程度、含义、提示文字、处理办法和示例。"""
    from qingdan.errors import QingdanError
    from qingdan.explanations import catalogue
    from qingdan.reporters import explain_report

    known = catalogue()
    if code is None:
        explain_report.index(known, sys.stdout)
        return
    wanted = code.strip().lower()
    entry = known.entries.get(wanted)
    if entry is None:
        near = known.near(wanted)
        hint = f"是不是：{'、'.join(near)}？" if near else ""
        raise QingdanError(f"没有问题代码“{code}”。{hint}运行 qingdan explain 列出全部代码。")
    explain_report.text(entry, sys.stdout)
