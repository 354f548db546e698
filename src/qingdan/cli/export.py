"""``qingdan export``: the lists in the forms people read them in, outside qingdan."""

from __future__ import annotations

from qingdan.cli import app, chinese

export = chinese.Typer(
    name="export",
    help="导出清单：Excel 表格、印制文本。",
    no_args_is_help=True,
)
app.add_typer(export)
