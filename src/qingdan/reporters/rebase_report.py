"""Rendering ``qingdan rebase``: conflicts side by side, then what needs doing, then what flows."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from qingdan import __version__
from qingdan.rebase import Note, Rebase
from qingdan.reporters.display import AUTO


def headline(report: Rebase) -> str:
    done = "已记录新版次" if report.applied else "未改动（加 --apply 记录新版次）"
    return (
        f"上级清单 {report.old_edition} → {report.new_edition}：{len(report.conflicts)} 处冲突需要决定，"
        f"{len(report.attention)} 项需要处理，{len(report.flowing)} 项自动生效；{done}。"
    )


def text(report: Rebase, stream: TextIO) -> None:
    console = AUTO.console(stream)
    if report.conflicts:
        table = Table(
            title="冲突：本级修改过、上级新版也改了的字段（本级的值仍然有效）", title_justify="left"
        )
        for column in ("镇（街道）", "事项", "字段", "上级原值", "上级新值", "本级现值", "位置"):
            table.add_column(column, overflow="fold")
        for c in report.conflicts:
            cells = (c.unit, f"{c.code} {c.name}", c.title, c.base_old, c.base_new, c.local)
            table.add_row(*map(Text, (*cells, str(c.location))))  # values as text, never markup
        console.print(table)
        console.print(
            "  保留本级的值：不用改动；改用上级的新值：删除 modify 中这个字段（或整条修改）。\n"
        )
    _notes(console, "需要处理", report.attention)
    _notes(console, "自动生效", report.flowing)
    style = "bold yellow" if report.conflicts or report.attention else "bold green"
    console.print(f"[{style}]{escape(headline(report))}[/]")


def _notes(console: Console, title: str, notes: list[Note]) -> None:
    if not notes:
        return
    console.print(f"[bold]{title}[/]")
    for note in notes:
        console.print(
            f"  {escape(str(note.location))}  [cyan]{escape(note.code)}[/] {escape(note.name)}：{escape(note.what)}"
        )
    console.print()


def json_report(report: Rebase, stream: TextIO) -> None:
    def plain(obj: Any) -> dict[str, Any]:
        data = asdict(obj)
        loc = data.pop("location")
        data.update(file=loc["file"], line=loc["line"])
        return data

    json.dump(
        {
            "version": 1,
            "tool": {"name": "qingdan", "version": __version__},
            "old_edition": report.old_edition,
            "new_edition": report.new_edition,
            "applied": report.applied,
            "conflicts": [plain(c) for c in report.conflicts],
            "attention": [plain(n) for n in report.attention],
            "flowing": [plain(n) for n in report.flowing],
        },
        stream,
        ensure_ascii=False,
        indent=2,
    )
    stream.write("\n")
