"""A written workbook as text a person can review: what a user sees and prints, never bytes.

Per sheet: page setup, print titles, print area (where set), frozen panes, header and footer, column widths, merged
ranges, data validations, then every row with its height and cell texts. A cell stored with a
quote prefix (kept a text when edited) is shown with a leading ', a line break as ⏎.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

CM = 2.54


def dump(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    out: list[str] = []
    for sheet in book.worksheets:
        out += _sheet(sheet)
    return "\n".join(out) + "\n"


def _sheet(sheet: Any) -> list[str]:
    setup, margins = sheet.page_setup, sheet.page_margins
    fit = sheet.sheet_properties.pageSetUpPr
    lines = [
        f"## {sheet.title}" + ("（隐藏）" if sheet.sheet_state != "visible" else ""),
        f"page: {setup.orientation} paper={setup.paperSize} "
        f"fit={bool(fit and fit.fitToPage)} {setup.fitToWidth or 1}x{setup.fitToHeight} "
        f"centred={sheet.print_options.horizontalCentered} margins(cm) "
        f"L{margins.left * CM:.1f} R{margins.right * CM:.1f} "
        f"T{margins.top * CM:.1f} B{margins.bottom * CM:.1f}",
        f"print titles: {sheet.print_title_rows}  frozen: {sheet.freeze_panes}"
        + (f"  print area: {sheet.print_area}" if sheet.print_area else ""),
        f"header: {_part(sheet.oddHeader.center)}",
        f"footer: {_part(sheet.oddFooter.center)}",
        "widths: " + " ".join(_widths(sheet)),
        "merged: " + " ".join(sorted((str(r) for r in sheet.merged_cells.ranges), key=_order)),
    ]
    for rule in sheet.data_validations.dataValidation:
        lines.append(
            f"validation {rule.sqref}: {rule.type} {rule.operator or ''} {rule.formula1 or ''} "
            f"blank={rule.allow_blank} prompt=“{rule.promptTitle or ''}｜{rule.prompt or ''}” "
            f"error=“{rule.error or ''}”".replace("  ", " ")
        )
    for row in sheet.iter_rows():
        height = sheet.row_dimensions[row[0].row].height
        cells = [_cell(c) for c in row]
        while cells and cells[-1] == "":
            cells.pop()
        lines.append(f"{row[0].row} [{height}] | " + " | ".join(cells))
    return [*lines, ""]


def _part(part: Any) -> str:
    return f"“{part.text}” font={part.font} size={part.size}" if part.text else "—"


def _widths(sheet: Any) -> list[str]:
    found = {}
    for dim in sheet.column_dimensions.values():
        if dim.width:
            for index in range(dim.min, dim.max + 1):
                found[index] = dim.width
    return [f"{get_column_letter(i)}={w:.1f}" for i, w in sorted(found.items())]


def _order(ref: str) -> tuple[int, str]:
    start = ref.split(":", maxsplit=1)[0]
    digits = "".join(ch for ch in start if ch.isdigit())
    return int(digits or 0), start


def _cell(cell: Any) -> str:
    if cell.value is None:
        return ""
    text = str(cell.value).replace("\n", "⏎")
    quoted = cell.quotePrefix
    return f"'{text}" if quoted else text
