"""The workbook being written: its styles, safe cells, and an atomic save.

xlsxwriter writes 10,000 rows 5.6× faster than openpyxl, and in ``streaming`` mode it keeps one
row in memory at a time. Still, it spends about 15 µs on a cell, and a district's export has
over a million: the body rows of a streamed sheet are written by ``SheetRows`` instead. It only
writes: tests read the result back with openpyxl.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from qingdan import atomic
from qingdan.errors import QingdanError, os_reason
from qingdan.listset import display_path
from qingdan.workbook.cells import FORMULA_START, CellNote, clean, needs_care, safe
from qingdan.workbook.layout import Fonts, lines, row_height_of

Run = tuple[str, str]
"""A piece of cell text and its style name (rich text: a cell whose pieces look different)."""

STYLES: dict[str, dict[str, Any]] = {
    "title": {"align": "center", "valign": "vcenter", "text_wrap": True, "bold": True},
    "subtitle": {"align": "center", "valign": "vcenter", "text_wrap": True},
    "head": {"align": "center", "valign": "vcenter", "text_wrap": True, "bold": True, "border": 1},
    "body": {"valign": "top", "text_wrap": True, "border": 1},
    "centered": {"align": "center", "valign": "top", "text_wrap": True, "border": 1},
    "section": {"valign": "vcenter", "bold": True, "border": 1, "bg_color": "#F2F2F2"},
    "entry": {"valign": "top", "text_wrap": True},
    "deleted": {"font_strikeout": True, "font_color": "#C00000"},
    "inserted": {"bold": True, "underline": 1, "font_color": "#C00000"},
    "plain": {},
}
"""Cell looks by name. Title rows take the title font, head and section rows the head font,
everything else the body font; the marks of edited text stay distinct in black-and-white print."""
_FACE = {"title": "title", "head": "head", "section": "head"}
_ESCAPE = re.compile(r"[&<>\r]|_x[0-9A-Fa-f]{4}_")
"""What a cell's XML text cannot hold as it is: markup, a carriage return (XML reads it as a line
break), and text that looks like Excel's own ``_xHHHH_`` escape."""


class Writer:
    """One workbook, built in memory and saved whole or not at all."""

    def __init__(self, fonts: Fonts, *, title: str = "", streaming: bool = False) -> None:
        self.fonts = fonts
        self._buffer = BytesIO()
        self.book = xlsxwriter.Workbook(
            self._buffer, {"constant_memory": streaming, "strings_to_numbers": False}
        )
        self.book.set_properties({"title": title, "author": "qingdan", "creator": "qingdan"})
        self._formats: dict[tuple[str, bool], Any] = {}
        self.notes: list[CellNote] = []
        self._xf: dict[tuple[str, bool], int] = {}
        self.heads: dict[tuple[int, str], str] = {}
        self.stored: dict[tuple[str, float], dict[str, Stored]] = {}
        """Texts' cell XML and lines by style and column width, for the workbook's
        ``SheetRows``."""

    def style(self, name: str, *, quoted: bool = False) -> Any:
        """The xlsxwriter format ``name``, made once; ``quoted`` keeps an edited cell a text."""
        key = (name, quoted)
        found = self._formats.get(key)
        if found is None:
            face = getattr(self.fonts, _FACE.get(name, "body"))
            size = self.fonts.title_size if name == "title" else self.fonts.size
            spec = {"font_name": face, "font_size": size, **STYLES[name]}
            if quoted:
                spec["quote_prefix"] = True
            found = self._formats[key] = self.book.add_format(spec)
        return found

    def xf_index(self, name: str, *, quoted: bool = False) -> int:
        """The number style ``name`` has in the workbook's XML."""
        key = (name, quoted)
        found = self._xf.get(key)
        if found is None:
            found = self._xf[key] = self.style(name, quoted=quoted)._get_xf_index()
        return found

    def line_height(self, count: int) -> float:
        """Points a body row of ``count`` lines takes (``layout.row_height``)."""
        return row_height_of(count, self.fonts.size)

    def put(
        self,
        sheet: Any,
        row: int,
        column: int,
        text: str,
        *,
        style: str,
        source: str,
        look: Any = None,
    ) -> str:
        """Store ``text`` as text, whatever it looks like, and return it as stored; what had to
        be removed or cut is noted, with ``source`` saying where the text comes from. ``look``
        is ``style``'s format when the caller has it at hand (a hundred thousand rows)."""
        if needs_care(text):
            cell = safe(text)
            if cell.removed or cell.cut:
                self._note(sheet, row, column, source, cell.removed, cut=cell.cut)
            text = cell.text
        if not text:
            sheet.write_blank(row, column, None, look or self.style(style))
        elif text.startswith(FORMULA_START):
            sheet.write_string(row, column, text, self.style(style, quoted=True))
        else:
            sheet.write_string(row, column, text, look or self.style(style))
        return text

    def put_runs(
        self, sheet: Any, row: int, column: int, runs: Sequence[Run], *, style: str, source: str
    ) -> str:
        """Rich text: each run in its own look (over ``style``'s font), stored safely. Text too
        long for a cell loses its marks with its end: it is stored plain, and cut."""
        pieces = [(*clean(text), look) for text, look in runs]
        removed = sum(count for _, count, _ in pieces)
        whole = "".join(text for text, _, _ in pieces)
        if removed:
            self._note(sheet, row, column, source, removed, cut=False)
        if len({look for text, _, look in pieces if text}) < 2 or safe(whole).cut:
            return self.put(sheet, row, column, whole, style=style, source=source)
        parts: list[Any] = []
        for text, _, look in pieces:
            if text:
                parts += [self._run_style(look), text]
        sheet.write_rich_string(row, column, *parts, self.style(style))
        return whole

    def _run_style(self, look: str) -> Any:
        key = (f"run:{look}", False)
        found = self._formats.get(key)
        if found is None:
            spec = {"font_name": self.fonts.body, "font_size": self.fonts.size, **STYLES[look]}
            found = self._formats[key] = self.book.add_format(spec)
        return found

    def _note(
        self, sheet: Any, row: int, column: int, source: str, removed: int, *, cut: bool
    ) -> None:
        ref = xl_rowcol_to_cell(row, column)
        self.notes.append(CellNote(sheet.get_name(), ref, source, removed, cut))

    def save(self, path: Path) -> None:
        """Write the workbook to ``path`` whole or not at all (``QingdanError`` if refused)."""
        self.stored.clear()  # room for the workbook's bytes
        self.book.close()
        data = self._buffer.getbuffer()  # not a copy: a district's workbook is large
        try:
            atomic.write_bytes(path, data)
            for left in atomic.leftovers(path.parent, path.name):  # by an earlier, killed run
                left.unlink(missing_ok=True)
        except PermissionError as error:
            raise QingdanError(
                f"无法写入 {display_path(path)}：文件可能正在 Excel 或 WPS 中打开，请关闭后重试；"
                "若没有打开，请检查是否有写入该文件夹的权限。"
            ) from error
        except OSError as error:
            raise QingdanError(f"无法写入 {display_path(path)}：{os_reason(error)}。") from error


Cell = str | int
"""A cell of a streamed row: a text, stored as text whatever it looks like, or a number."""
Stored = tuple[str, str, str, int]
"""A text cell's XML after its reference, in three pieces (the text in the middle), and the
lines it wraps to."""
REMEMBERED = 2_000
"""Texts a workbook keeps the cell XML of per column, at most: the texts a derived set's
townships share are fewer, and a township's own texts then do not stay in memory."""


class SheetRows:
    """The body rows of one streamed sheet, written as the sheet's XML by qingdan.

    A list sheet's body is plain: numbers and inline texts in a few styles, rows as tall as
    their wrapped text. Writing those cells here takes a fifth of xlsxwriter's time per cell
    (a district's export has over a million), and xlsxwriter still assembles the sheet around
    them (columns, merged ranges, page setup, the title and head rows it wrote). The rows go
    straight into the row file xlsxwriter streams the sheet through; this leans on its
    internals, pinned below xlsxwriter 4 and checked by the goldens, which read the result
    back: the sheet's row file ``fh``, its pending row ``_write_single_row``, its used range
    ``_check_dimensions`` and merge list ``merge``, and a format's ``_get_xf_index``.
    """

    def __init__(self, writer: Writer, sheet: Any, first: int, widths: Sequence[float]) -> None:
        """Rows from ``first`` on, in columns ``widths`` wide: what xlsxwriter holds of the
        rows before is written out."""
        self._writer, self._sheet, self._widths = writer, sheet, widths
        sheet._write_single_row(first)
        self._plans: dict[tuple[str, ...], list[tuple[str, dict[str, Stored]]]]
        self._plans = {}
        self._last = (first, 0)

    def row(
        self,
        row: int,
        cells: Sequence[Cell],
        styles: tuple[str, ...],
        *,
        source: str,
        height: float | None = None,
    ) -> None:
        """Row ``row`` (0-based, after the rows written before), a cell per style from column A
        on; an empty text is a blank cell in its style. The row is ``height`` points high, or
        as its wrapped texts need (``layout.row_height``). What had to be removed from a text
        or cut is noted as ``Writer.put`` notes it."""
        number = row + 1
        plan = self._plans.get(styles) or self._plan(styles)
        parts = [""]
        most = 1
        for column, ((name, stored), value) in enumerate(zip(plan, cells, strict=True)):
            if value.__class__ is int:
                xf = self._writer.xf_index(styles[column])
                parts.append(f'<c r="{name}{number}" s="{xf}"><v>{value}</v></c>')
                continue
            assert isinstance(value, str)
            found = stored.get(value) or self._text(row, column, value, styles[column], source)
            head, text, end, count = found
            parts.append(f'<c r="{name}{number}"{head}{text}{end}')
            most = max(most, count)
        if height is None:
            height = self._writer.line_height(most)
        pixels = int(height * 4.0 / 3.0 + 0.5)  # as xlsxwriter's set_row stores a height
        parts[0] = f'<row r="{number}" ht="{pixels * 0.75:.16g}" customHeight="1">'
        parts.append("</row>")
        self._sheet.fh.write("".join(parts))
        self._last = max(self._last, (row, len(cells) - 1))

    def measure(self, cells: Sequence[Cell], styles: tuple[str, ...]) -> float:
        """Points the row of ``cells`` will be high as ``row`` writes it."""
        plan = self._plans.get(styles) or self._plan(styles)
        size = self._writer.fonts.size
        most = 1
        for (_, stored), value, width in zip(plan, cells, self._widths, strict=True):
            if isinstance(value, str) and value:
                found = stored.get(value)
                most = max(most, found[3] if found else lines(value, width, size))
        return self._writer.line_height(most)

    def merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        """Merge a range of rows written here (its first cell holds the text)."""
        self._sheet.merge.append([first_row, first_column, last_row, last_column])

    def close(self) -> None:
        """End this run of rows: the sheet's used range takes them in."""
        self._sheet._check_dimensions(*self._last)

    def _plan(self, styles: tuple[str, ...]) -> list[tuple[str, dict[str, Stored]]]:
        """Per column of rows in ``styles``: its letters and the texts stored in it."""
        memo = self._writer.stored
        plan = [
            (xl_col_to_name(column), memo.setdefault((style, width), {}))
            for column, (style, width) in enumerate(zip(styles, self._widths, strict=True))
        ]
        self._plans[styles] = plan
        return plan

    def _text(self, row: int, column: int, value: str, style: str, source: str) -> Stored:
        """A text cell's XML after its reference, and the lines it wraps to. The townships of a
        derived set share most of their texts, so this is remembered for a text stored as it
        is (within a bound); it holds the text itself unless it had to be escaped."""
        writer = self._writer
        care = needs_care(value)
        text = value
        if care:
            cell = safe(value)
            if cell.removed or cell.cut:
                writer._note(self._sheet, row, column, source, cell.removed, cut=cell.cut)
            text = cell.text
        width = self._widths[column]
        if not text:
            found = (f' s="{writer.xf_index(style)}"/>', "", "", 1)
        else:
            xf = writer.xf_index(style, quoted=text.startswith(FORMULA_START))
            space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
            head = writer.heads.setdefault((xf, space), f' s="{xf}" t="inlineStr"><is><t{space}>')
            found = (head, _escaped(text), "</t></is></c>", lines(text, width, writer.fonts.size))
        if not care:
            stored = writer.stored[style, width]
            if len(stored) >= REMEMBERED:
                stored.clear()
            stored[value] = found
        return found


def _escaped(text: str) -> str:
    """``text`` as XML character data. Text that reads as Excel's ``_xHHHH_`` escape gets its
    underscore escaped (``_x005F``), as Excel writes it, so that Excel shows it as typed."""
    if _ESCAPE.search(text) is None:
        return text
    text = re.sub(r"(_x[0-9A-Fa-f]{4}_)", r"_x005F\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")  # a reference: XML readers keep it a carriage return
