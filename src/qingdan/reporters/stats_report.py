"""Rendering ``qingdan stats``: a rich table, JSON, or Markdown to paste into a report."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import groupby
from typing import TextIO

from rich.table import Table
from rich.text import Text

from qingdan import __version__
from qingdan.present.visible import visible
from qingdan.reporters.display import AUTO
from qingdan.stats import COLUMNS, Row, Stats, listed

Titles = Callable[[str], str]
_KEYS = ("inherited", "local", "modified", "added", "exited", "omitted")


def _sentence(counts: tuple[int, ...]) -> str:
    """The sentence offices write: 继承120项，修改完善5项，增加3项个性化事项，不采用2项."""
    inherited, local, modified, added, exited, omitted = counts
    filled = f"（其中{local}项只填写了本地信息）" if local else ""
    left = f"，准入期满退出{exited}项" if exited else ""
    return (
        f"继承{inherited + local}项{filled}，修改完善{modified}项，"
        f"增加{added}项个性化事项{left}，不采用{omitted}项"
    )


def _groups(stats: Stats) -> groupby[tuple[str, str], Row]:
    return groupby(stats.rows, key=lambda r: (r.unit, r.kind))


def text(stats: Stats, kind_title: Titles, stream: TextIO) -> None:
    console = AUTO.console(stream)
    totals = stats.totals()
    for (unit, kind), rows in _groups(stats):
        title = Text(visible(f"{unit} · {kind_title(kind)}"), style="table.title")
        table = Table(title=title, title_justify="left")
        table.add_column("领域/类别")
        for column in (*COLUMNS, "合计"):
            table.add_column(column, justify="right")
        for row in rows:
            # a category's name is printed as it is written: never read as markup, and with
            # its control characters shown (a Text passes the console's own guard by)
            table.add_row(Text(visible(row.category)), *map(str, row.counts), str(row.total))
        total = totals[(unit, kind)]
        table.add_row("合计", *map(str, total), str(listed(total)), style="bold")
        console.print(table)
        console.print(f"  {_sentence(total)}。\n")
    if not stats.rows:
        console.print("没有派生清单（带 derive 的清单文件），无可统计。")
    for line in _gap_lines(stats, kind_title):
        console.print(Text(visible(line)))


def _gap_lines(stats: Stats, kind_title: Titles) -> list[str]:
    """待补充 per list, with its fields: "清水镇 · 公共服务事项清单：待补充 3 项（咨询电话 2 项、…）"."""
    if not stats.gaps:
        return []
    lines = [f"待补充 {stats.missing()} 项（标为“待补充”或“原文未载”的内容，导出时为空白）："]
    for (unit, kind), gaps in groupby(stats.gaps, key=lambda g: (g.unit, g.kind)):
        listed = list(gaps)
        fields = "、".join(f"{g.field} {g.count} 项" for g in listed)
        total = sum(g.count for g in listed)
        lines.append(f"  {unit} · {kind_title(kind)}：待补充 {total} 项（{fields}）")
    return lines


def json_report(stats: Stats, kind_title: Titles, stream: TextIO) -> None:
    data = {
        "version": 1,
        "tool": {"name": "qingdan", "version": __version__},
        "columns": list(COLUMNS),
        "rows": [
            {
                "unit": r.unit,
                "kind": r.kind,
                "kind_title": kind_title(r.kind),
                "category": r.category,
                **dict(zip(_KEYS, r.counts, strict=True)),
            }
            for r in stats.rows
        ],
        "missing": {
            "total": stats.missing(),
            "fields": [
                {"unit": g.unit, "kind": g.kind, "field": g.field, "count": g.count}
                for g in stats.gaps
            ],
        },
    }
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def markdown(stats: Stats, kind_title: Titles, stream: TextIO) -> None:
    totals = stats.totals()
    for (unit, kind), rows in _groups(stats):
        stream.write(f"### {unit} {kind_title(kind)}\n\n")
        stream.write("| 领域/类别 | " + " | ".join((*COLUMNS, "合计")) + " |\n")
        stream.write("|---|" + "---:|" * (len(COLUMNS) + 1) + "\n")
        for row in rows:
            cells = [row.category, *map(str, row.counts), str(row.total)]
            stream.write("| " + " | ".join(cells) + " |\n")
        total = totals[(unit, kind)]
        sums = [f"**{n}**" for n in (*total, listed(total))]
        stream.write("| **合计** | " + " | ".join(sums) + " |\n\n")
        stream.write(f"{_sentence(total)}。\n\n")
    for line in _gap_lines(stats, kind_title):
        stream.write(f"- {line.strip()}\n" if line.startswith(" ") else f"{line}\n\n")


RENDERERS: dict[str, Callable[[Stats, Titles, TextIO], None]] = {
    "text": text,
    "json": json_report,
    "markdown": markdown,
}
