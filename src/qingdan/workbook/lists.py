"""Resolved lists as print-ready workbooks: a sheet per kind, per township and kind, or a
workbook per township (``qingdan export xlsx``).

Each sheet is one table as ``qingdan.rows`` makes it: a title row, the head row (frozen and
repeated on every printed page), then per 领域 a category row and the items' rows, 序号 first.
A sheet holding several townships' lists gets a 镇（街道） column, so that every row says whose
it is — in print, and for ``qingdan import`` reading the workbook back.

Lists are written as they are resolved, one after the other, and sheets are streamed to disk
row by row: a district's 100,000 items never sit in memory as tables at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from qingdan.findings import Finding, Severity
from qingdan.kinds import Column, Kind
from qingdan.model import ResolvedList
from qingdan.present.vocabulary import Vocabulary
from qingdan.rows import Numbering, Rendered, Table, table
from qingdan.workbook.cells import CellNote
from qingdan.workbook.layout import (
    LINE_FACTOR,
    MAX_PAGE_BREAKS,
    Fonts,
    lines,
    page_room,
    print_widths,
    row_height,
    set_up_page,
    sheet_name,
)
from qingdan.workbook.writer import SheetRows, Writer

XLSX = ".xlsx"
WINDOWS_FORBIDDEN = str.maketrans('<>:"/\\|?*', "_" * 9)
NUMBER = ("序号", 5.0)
UNIT = ("镇（街道）", 10.0)
SECTION = ("领域", 10.0)
SECTION_TAKEN = "所属领域"
"""The 领域 column's title where the kind has a column titled 领域 of its own."""
TITLE_ROW, HEAD_ROW = 0, 1


class Categories(StrEnum):
    """How a sheet shows the 领域 its items are in (``export.categories``)."""

    ROWS = "rows"
    """A 领域 row above the items of each."""
    MERGED = "merged"
    """A 领域 column, merged over the rows of each, and again on each printed page."""


class Sheets(StrEnum):
    """What one sheet holds."""

    KIND = "kind"
    """Every selected list of a kind, one township after the other."""
    LIST = "list"
    """One list: one township's list of one kind."""


@dataclass(frozen=True, slots=True)
class Look:
    """What every sheet of a workbook shares."""

    fonts: Fonts
    edition: str
    region: str
    several: bool
    """Whether sheets by kind hold several townships (then titled by the region, with a
    镇（街道） column); known from the selection before any list is read."""
    categories: Categories = Categories.ROWS


@dataclass(frozen=True, slots=True)
class Heading:
    """A sheet's name and title row, where the caller names its sheets."""

    name: str
    title: str


@dataclass(slots=True)
class _Sheet:
    sheet: Any
    widths: list[float]
    unit: bool
    merged: bool
    """Whether 领域 is a merged column (else rows)."""
    room: float
    """Points of rows a printed page holds (``layout.page_room``)."""
    used: float
    """Points of rows on the page being filled."""
    printed: int
    """The sheet's first columns, which make its print area (``sheet_columns``)."""
    row: int = HEAD_ROW + 1
    breaks: list[int] = field(default_factory=list)
    """Rows a printed page starts at, so that no merged 领域 cell runs over a page's end."""


@dataclass(slots=True)
class ListsWorkbook:
    """One workbook being written: lists go in with ``add`` as they come, ``save`` ends it."""

    writer: Writer
    look: Look
    sheets: Sheets
    _open: dict[str, _Sheet] = field(default_factory=dict)
    _names: set[str] = field(default_factory=set)

    @classmethod
    def create(cls, look: Look, sheets: Sheets, title: str) -> ListsWorkbook:
        return cls(Writer(look.fonts, title=title, streaming=True), look, sheets)

    def add(self, source: ResolvedList, table: Table, heading: Heading | None = None) -> None:
        """Write ``table`` on its sheet, which is made when its first list comes; ``heading``
        names a sheet of the caller's own (a department's 牵头 items of one kind)."""
        key = heading.name if heading else table.kind.name
        if heading is None and self.sheets is Sheets.LIST:
            key = source.display
        target = self._open.get(key)
        if target is None:
            target = self._open[key] = self._new_sheet(table, heading)
        target.row = _rows(self.writer, target, source, table)
        target.sheet.print_area(0, 0, target.row - 1, target.printed - 1)

    def save(self, path: Path) -> list[CellNote]:
        """Write the workbook to ``path`` whole or not at all; the cells whose text had to be
        cleaned or cut (``QingdanError`` if the file cannot be written)."""
        self.writer.save(path)
        return self.writer.notes

    def _new_sheet(self, table: Table, heading: Heading | None) -> _Sheet:
        by_kind = self.sheets is Sheets.KIND
        several = by_kind and self.look.several
        name = table.kind.title if by_kind else table.title
        title = f"{self.look.region}镇（街道）{table.kind.title}" if several else table.title
        if heading is not None:
            name, title = heading.name, heading.title
        writer = self.writer
        sheet = writer.book.add_worksheet(sheet_name(name, self._names))
        merged = self.look.categories is Categories.MERGED
        titles = {c.title for c in table.columns}
        section = SECTION if SECTION[0] not in titles else (SECTION_TAKEN, SECTION[1])
        fixed = [NUMBER, *([UNIT] if several else []), *([section] if merged else [])]
        printed = _printed(table)
        shares = [(c.print_width or c.width / 2, float(c.width)) for c in table.columns[:printed]]
        fits = print_widths([w for _, w in fixed], shares)
        own = [
            (c.title, fits[i] if i < printed else float(c.width))
            for i, c in enumerate(table.columns)
        ]
        columns = [*fixed, *own]
        widths = [width for _, width in columns]
        area = len(fixed) + printed
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        size = writer.fonts.title_size
        title_height = lines(title, sum(widths[:area]), size) * size * LINE_FACTOR + 10
        sheet.set_row(TITLE_ROW, title_height)
        sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, area - 1, "", writer.style("title"))
        writer.put(sheet, TITLE_ROW, 0, title, style="title", source="表名")
        heads = [head for head, _ in columns]
        head_height = row_height(heads, widths, writer.fonts.size)
        sheet.set_row(HEAD_ROW, head_height)
        for index, head in enumerate(heads):
            writer.put(sheet, HEAD_ROW, index, head, style="head", source="表头")
        edition = self.look.edition
        header = f"{title}（{edition}）" if edition else title
        set_up_page(sheet, head_rows=(HEAD_ROW, HEAD_ROW), header=header, fonts=writer.fonts)
        room = page_room(widths[:area], head_height)
        return _Sheet(sheet, widths, several, merged, room, title_height, area)


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an export goes: one workbook, or a workbook per township in a folder."""

    path: Path
    folder: bool
    sheets: Sheets
    title: str
    """The workbook's title (one workbook); a township's workbook is titled by the township."""


@dataclass(slots=True)
class Exported:
    """What an export did, or why it wrote nothing (``errors``)."""

    lists: int = 0
    items: int = 0
    notes: list[CellNote] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Lists of a kind the set does not have (validate reports them)."""


def export_lists(
    lists: Iterable[ResolvedList],
    words: Vocabulary,
    numbering: Numbering,
    look: Look,
    destination: Destination,
) -> Exported:
    """Write ``lists`` as they are resolved. A list with errors means nothing is written (a
    table printed from a list that failed to resolve would be wrong on paper), but every list
    is still read, so that all errors are reported at once."""
    books: dict[str, ListsWorkbook] = {}
    done, rendered = Exported(), Rendered()
    for source in lists:
        errors = [f for f in source.findings if f.severity is Severity.ERROR]
        done.errors += errors
        if done.errors:
            continue
        made = table(source, words, numbering, rendered, sheet_columns)
        if made is None:
            done.skipped.append(source.display)
            continue
        key = made.unit if destination.folder else ""
        book = books.get(key)
        if book is None:
            title = made.unit if destination.folder else destination.title
            book = books[key] = ListsWorkbook.create(look, destination.sheets, title)
        book.add(source, made)
        done.lists += 1
        done.items += len(made.rows)
    if done.errors:
        return done
    if destination.folder and books:
        destination.path.mkdir(exist_ok=True)
    for key, book in books.items():
        path = destination.path / file_name(key) if destination.folder else destination.path
        done.notes += book.save(path)
    return done


def sheet_columns(kind: Kind) -> tuple[Column, ...]:
    """A sheet's columns: the kind's printed ones first (``Kind.print_columns``: the print
    area, widened to fill the page by ``layout.print_widths``), then the others at their
    screen width, there to read and for ``import xlsx`` but not printed — the 34 columns of a
    service list fitted to one page's width would print at 2 pt."""
    printed = kind.print_columns
    fields = {c.field for c in printed}
    return (*printed, *(c for c in kind.columns if c.field not in fields))


def _printed(table: Table) -> int:
    """How many of the table's first columns print (``sheet_columns`` puts them first; a
    table made with the kind's own order prints up to its first column not printed)."""
    shown = {c.field for c in table.kind.print_columns}
    columns = table.columns
    return next((i for i, c in enumerate(columns) if c.field not in shown), len(columns))


def file_name(unit: str) -> str:
    """A township's workbook name, valid on Windows too."""
    return (unit.translate(WINDOWS_FORBIDDEN).strip(". ") or "清单") + XLSX


def _rows(writer: Writer, target: _Sheet, source: ResolvedList, table: Table) -> int:
    """The list's sections from the sheet's next row on; returns the row after them."""
    out = SheetRows(writer, target.sheet, target.row, target.widths)
    if target.merged:
        _merged_sections(out, target, source, table)
    else:
        _section_rows(writer, out, target, source, table)
    out.close()
    target.sheet.set_h_pagebreaks(target.breaks[:MAX_PAGE_BREAKS])
    return target.row


def _section_rows(
    writer: Writer, out: SheetRows, target: _Sheet, source: ResolvedList, table: Table
) -> None:
    """Per 领域 a merged row with its name, then its items."""
    last = len(target.widths) - 1  # all columns: import reads a row of one text as a 领域
    section_styles = ("section",) * len(target.widths)
    blanks = [""] * last
    styles = ("centered", *["body"] * last)
    unit = [table.unit] if target.unit else []
    for section in table.sections:
        label = f"{table.unit}　{section.name}" if target.unit else section.name
        height = writer.fonts.size * LINE_FACTOR + 6
        where = f"{source.display} 领域行"
        out.row(target.row, [label, *blanks], section_styles, source=where, height=height)
        out.merge(target.row, 0, target.row, last)
        target.row += 1
        for entry in section.rows:
            where = f"{source.display} 事项 {entry.item.code}"
            out.row(target.row, [entry.number, *unit, *entry.cells], styles, source=where)
            target.row += 1


def _merged_sections(out: SheetRows, target: _Sheet, source: ResolvedList, table: Table) -> None:
    """Items with their 领域 in a column merged over the rows of each: a page break comes
    where the rows fill a page, and a 领域 running over it starts again on the next page,
    named, so that every printed page says which 领域 its items are in."""
    column = 2 if target.unit else 1
    styles = ("centered",) * (column + 1) + ("body",) * (len(target.widths) - column - 1)
    unit = [table.unit] if target.unit else []
    for section in table.sections:
        start = target.row
        for entry in section.rows:
            row = target.row
            cells: list[str | int] = [entry.number, *unit, "", *entry.cells]
            if row == start:
                cells[column] = section.name
            height = out.measure(cells, styles)
            if target.used + height > target.room and target.used > 0:
                target.breaks.append(row)
                target.used = 0
                if row > start:
                    _merge(out, start, row - 1, column)
                    start, cells[column] = row, section.name
                    height = out.measure(cells, styles)
            where = f"{source.display} 事项 {entry.item.code}"
            out.row(row, cells, styles, source=where, height=height)
            target.used += height
            target.row += 1
        _merge(out, start, target.row - 1, column)


def _merge(out: SheetRows, first: int, last: int, column: int) -> None:
    if last > first:
        out.merge(first, column, last, column)
