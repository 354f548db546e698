"""A workbook as cell grids: one ``Sheet`` per worksheet, merged cells filled in.

Guards come first, since a workbook is a zip of XML that may unpack to far more than it weighs:
its size on disk, the sizes its zip says it unpacks to, and the rows of each sheet are checked
before a sheet is read into memory. Each problem is a ``QingdanError`` saying what to do.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qingdan.errors import QingdanError
from qingdan.listset import display_path

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
"""What ``import`` and ``validate`` read as a workbook."""

MAX_BYTES = 100 * 1024 * 1024
"""A district's whole set as a workbook is a few MB; more is not an office list."""
MAX_UNPACKED = 1024 * 1024 * 1024
"""What the zip of an .xlsx/.ods may unpack to, all parts together."""
MAX_RATIO = 200
"""Real workbooks pack 5-20 to 1; a part packed much tighter is a zip bomb."""
MAX_ROWS = 200_000
"""Rows of one sheet; 20 times a large district's list (DOMAIN.md §8)."""
MAX_CELLS = 20_000_000
"""Cells of one sheet (rows × columns) held in memory at once."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""An OLE compound file: an .xls, or an .xlsx that Excel encrypted with a password."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: its cells by 0-based row and column, each merged range filled with its
    first cell's value (a category merged over ten rows belongs to all ten)."""

    name: str
    hidden: bool
    rows: list[list[Any]]


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def read_workbook(path: Path) -> list[Sheet]:
    """Every worksheet of the workbook at ``path``, in workbook order."""
    _vet(path)
    import python_calamine as calamine  # noqa: PLC0415  (heavy: only when a workbook is read)

    shown = display_path(path)
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            last = sheet.end  # 0-based (row, column) of the last cell, None when empty
            if last is not None:
                _vet_size(shown, meta.name, last[0] + 1, last[1] + 1)
            rows = sheet.to_python(skip_empty_area=False)
            _fill_merged(rows, sheet.merged_cell_ranges or ())
            hidden = meta.visible != calamine.SheetVisibleEnum.Visible
            sheets.append(Sheet(meta.name, hidden, rows))
    except calamine.PasswordError as exc:
        raise _protected(shown) from exc
    except (calamine.CalamineError, ValueError, OSError) as exc:
        raise QingdanError(
            f"无法读取表格 {shown}：{exc}。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再试。"
        ) from exc
    return sheets


def _vet(path: Path) -> None:
    shown = display_path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise QingdanError(f"无法读取表格 {shown}：{exc.strerror or exc}。") from exc
    if size > MAX_BYTES:
        raise QingdanError(
            f"表格 {shown} 有 {size // (1024 * 1024)} MB，超过上限 {MAX_BYTES // (1024 * 1024)} MB，"
            "为防止耗尽内存未读取。请把它按清单或镇街拆分成几个文件。"
        )
    if head == _OLE and path.suffix.lower() != ".xls":
        raise _protected(shown)
    if head.startswith(b"PK"):
        _vet_zip(path, shown)
    elif head != _OLE:
        raise QingdanError(
            f"{shown} 不是 Excel/WPS 表格（.xlsx、.xls、.ods）：文件内容不像表格。"
            "请确认文件没有损坏，或用 Excel、WPS 打开后另存为 .xlsx。"
        )


def _vet_zip(path: Path, shown: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise QingdanError(
            f"表格 {shown} 已损坏，无法打开（{exc}）。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再试。"
        ) from exc
    unpacked = sum(p.file_size for p in parts)
    bomb = any(
        p.file_size > 1024 * 1024 and p.file_size > MAX_RATIO * max(p.compress_size, 1)
        for p in parts
    )
    if unpacked > MAX_UNPACKED or bomb:
        raise QingdanError(
            f"表格 {shown} 解压后有 {unpacked // (1024 * 1024)} MB，远大于正常的表格"
            "（可能是“压缩炸弹”），为防止耗尽内存未读取。请检查文件来源。"
        )


def _vet_size(shown: str, sheet: str, height: int, width: int) -> None:
    if height > MAX_ROWS or height * width > MAX_CELLS:
        raise QingdanError(
            f"表格 {shown} 的工作表“{sheet}”有 {height} 行 × {width} 列，超过上限 {MAX_ROWS} 行"
            f"（或 {MAX_CELLS} 个单元格）。如果表格下方或右侧有误填的内容（或整列设了格式），"
            "请删除那些行、列后另存；清单过大时请拆分成几个文件。"
        )


def _protected(shown: str) -> QingdanError:
    return QingdanError(
        f"表格 {shown} 设置了打开密码，无法读取。请用 Excel 或 WPS 打开它，"
        "在“文件 → 信息 → 保护工作簿”（WPS：“文件 → 文档加密”）中取消密码，另存后再试。"
    )


def _fill_merged(rows: list[list[Any]], ranges: Any) -> None:
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(left, min(right, len(row) - 1) + 1):
                row[c] = value
