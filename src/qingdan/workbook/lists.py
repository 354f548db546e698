"""Resolved lists as print-ready workbooks: a sheet per kind, per township and kind, or a
workbook per township (``qingdan export xlsx``).

Each sheet is one table as ``qingdan.rows`` makes it: a title row, the head row (frozen and
repeated on every printed page), then per 领域 a category row and the items' rows, 序号 first.
A sheet holding several townships' lists gets a 镇（街道） column, so that every row says whose
it is — in print, and for ``qingdan import`` reading the workbook back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qingdan.model import ResolvedList
from qingdan.rows import Table
from qingdan.workbook.cells import CellNote
from qingdan.workbook.layout import LINE_FACTOR, Fonts, lines, row_height, set_up_page, sheet_name
from qingdan.workbook.writer import Writer

NUMBER = ("序号", 5.0)
UNIT = ("镇（街道）", 10.0)
TITLE_ROW, HEAD_ROW = 0, 1


@dataclass(frozen=True, slots=True)
class Listed:
    """A list and its table: the table for the cells, the list for saying where a text is."""

    source: ResolvedList
    table: Table


@dataclass(frozen=True, slots=True)
class SheetPlan:
    """One sheet: its wanted name, the title it prints, and the lists it holds, in order."""

    name: str
    title: str
    lists: tuple[Listed, ...]


def by_kind(lists: Sequence[Listed], region: str) -> list[SheetPlan]:
    """A sheet per list kind, each township's list after the other; one township's sheet is
    titled as its list is (清水镇属地管理事项清单), several townships' by the region."""
    kinds: dict[str, list[Listed]] = {}
    for listed in lists:
        kinds.setdefault(listed.table.kind.name, []).append(listed)
    plans = []
    for group in kinds.values():
        kind_title = group[0].table.kind.title
        units = {listed.table.unit for listed in group}
        title = group[0].table.title if len(units) == 1 else f"{region}镇（街道）{kind_title}"
        plans.append(SheetPlan(kind_title, title, tuple(group)))
    return plans


def by_list(lists: Sequence[Listed]) -> list[SheetPlan]:
    """A sheet per list: per township and kind."""
    return [SheetPlan(listed.table.title, listed.table.title, (listed,)) for listed in lists]


def by_unit(lists: Sequence[Listed]) -> dict[str, list[SheetPlan]]:
    """A workbook per township (named by it), a sheet per kind in it."""
    units: dict[str, list[Listed]] = {}
    for listed in lists:
        units.setdefault(listed.table.unit, []).append(listed)
    return {
        unit: [
            SheetPlan(listed.table.kind.title, listed.table.title, (listed,)) for listed in group
        ]
        for unit, group in units.items()
    }


def write_lists(
    plans: Iterable[SheetPlan], path: Path, *, fonts: Fonts, title: str, edition: str
) -> list[CellNote]:
    """Write one workbook of ``plans`` to ``path``, whole or not at all; returns the cells whose
    text had to be cleaned or cut (``QingdanError`` if the file cannot be written)."""
    writer = Writer(fonts, title=title, streaming=True)
    taken: set[str] = set()
    for plan in plans:
        _sheet(writer, plan, sheet_name(plan.name, taken), edition)
    writer.save(path)
    return writer.notes


def _sheet(writer: Writer, plan: SheetPlan, name: str, edition: str) -> None:
    sheet = writer.book.add_worksheet(name)
    several = len({listed.table.unit for listed in plan.lists}) > 1
    columns = [NUMBER, *([UNIT] if several else [])]
    columns += [(c.title, float(c.width)) for c in plan.lists[0].table.columns]
    widths = [width for _, width in columns]
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    last = len(columns) - 1
    size = writer.fonts.title_size
    sheet.set_row(TITLE_ROW, lines(plan.title, sum(widths), size) * size * LINE_FACTOR + 10)
    sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last, "", writer.style("title"))
    writer.put(sheet, TITLE_ROW, 0, plan.title, style="title", source="表名")
    heads = [head for head, _ in columns]
    sheet.set_row(HEAD_ROW, row_height(heads, widths, writer.fonts.size))
    for index, head in enumerate(heads):
        writer.put(sheet, HEAD_ROW, index, head, style="head", source="表头")
    row = HEAD_ROW + 1
    for listed in plan.lists:
        row = _rows(writer, sheet, listed, row, widths, unit=several)
    header = f"{plan.title}（{edition}）" if edition else plan.title
    set_up_page(sheet, head_rows=(HEAD_ROW, HEAD_ROW), header=header, fonts=writer.fonts)


def _rows(
    writer: Writer, sheet: Any, listed: Listed, row: int, widths: list[float], *, unit: bool
) -> int:
    """The list's sections from ``row`` on; returns the row after them."""
    table, last = listed.table, len(widths) - 1
    size = writer.fonts.size
    for section in table.sections:
        label = f"{table.unit}　{section.name}" if unit else section.name
        sheet.set_row(row, size * LINE_FACTOR + 6)
        sheet.merge_range(row, 0, row, last, "", writer.style("section"))
        writer.put(sheet, row, 0, label, style="section", source=f"{listed.source.display} 领域行")
        row += 1
        for entry in section.rows:
            cells = [*([table.unit] if unit else []), *entry.cells]
            sheet.set_row(row, row_height(["", *cells], widths, size))
            sheet.write_number(row, 0, entry.number, writer.style("centered"))
            source = f"{listed.source.display} 事项 {entry.item.code}"
            for index, text in enumerate(cells, 1):
                writer.put(sheet, row, index, text, style="body", source=source)
            row += 1
    return row
