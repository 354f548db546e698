"""The entry template filled in as a department would, with nothing but what the template
offers: its drop-down lists and the hints on its heads. What is filled in imports cleanly and
validates, and the items hold the values typed in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from conftest import REPO, run_qingdan

ROWS = 3
SETS = {
    "lists": ("duty", "service", "territorial"),
    "examples/lvzhi2024": ("jiben", "peihe", "shouhui"),
}
UNITS = {"lists": "清水镇", "examples/lvzhi2024": "白沙镇"}


def choices_of(book: Any, sheet: Any) -> dict[int, list[str]]:
    """Per 1-based column, the values its drop-down list offers (read from the hidden sheet
    the list's range names)."""
    found = {}
    for rule in sheet.data_validations.dataValidation:
        if rule.type != "list":
            continue
        source, cells = rule.formula1.lstrip("=").split("!")
        first, last = (part.replace("$", "") for part in cells.split(":"))
        choices = book[source.strip("'")][f"{first}:{last}"]
        column = next(iter(rule.sqref.ranges)).min_col
        found[column] = [row[0].value for row in choices if row[0].value is not None]
    return found


def example(hint: str, row: int) -> str | None:
    """A value the hint shows: a code "形如 FW-01-001" (numbered by the row), an example given
    "例如“…”" or "例如 …", the least of a whole number "填写 0 到 9 的整数"."""
    code = re.search(r"编码形如 (\S+?-)(\d+)，", hint)
    if code:
        return f"{code.group(1)}{int(code.group(2)) + 100 + row:0{len(code.group(2))}d}"
    shown = (
        re.search(r"例如“(.+?)”", hint)
        or re.search(r"例如 ([^、，。；\s]+)", hint)
        or re.search(r"填写 (\d+) 到 \d+ 的整数", hint)
    )
    return shown.group(1) if shown else None


def fill(sheet: Any, choices: dict[int, list[str]]) -> dict[int, dict[str, str]]:
    """``ROWS`` rows below the head, each column filled from its drop-down or its hint's
    example, else with a text naming the column; what each row's cells say, by head."""
    heads = {cell.column: cell.value for cell in sheet[2] if cell.value}
    filled: dict[int, dict[str, str]] = {}
    for row in range(ROWS):
        cells = filled[row] = {}
        for column, head in heads.items():
            hint = sheet.cell(2, column).comment.text
            offered, shown = choices.get(column), example(hint, row)
            if offered:
                value = offered[0]  # the same 牵头部门 as the example 主体责任 names
            elif shown:
                value = shown
            elif "编号" not in hint:
                value = f"{head}第{row + 1}项内容"
            else:
                continue  # the number of a record (准入记录): nothing to make up
            sheet.cell(3 + row, column, value)
            cells[head] = value
    return filled


@pytest.mark.parametrize(
    ("root", "kind"), [(root, kind) for root, kinds in SETS.items() for kind in kinds]
)
def test_a_filled_template_imports_and_validates(root: str, kind: str, tmp_path: Path) -> None:
    lists = tmp_path / "set"
    shutil.copytree(REPO / root, lists, ignore=shutil.ignore_patterns("generate.py"))
    run = run_qingdan("export", "template", kind, "-o", "模板.xlsx", cwd=lists)
    assert run.code == 0, run.stdout + run.stderr
    book = openpyxl.load_workbook(lists / "模板.xlsx")
    sheet = book.worksheets[0]
    filled = fill(sheet, choices_of(book, sheet))
    book.save(lists / "填好的.xlsx")

    run = run_qingdan(
        "import", "xlsx", "填好的.xlsx", "-o", "out", "--unit", UNITS[root], cwd=lists
    )
    assert run.code == 0, run.stdout + run.stderr
    run = run_qingdan("validate", "out", cwd=lists)
    assert run.code == 0, run.stdout + run.stderr

    data = yaml.safe_load((lists / "out" / f"{kind}.yaml").read_text("utf-8"))
    assert len(data["items"]) == ROWS
    # the items hold what was typed: exported again, each cell reads as it was typed in
    run = run_qingdan("export", "xlsx", f"out/{kind}.yaml", "-o", "再导出.xlsx", cwd=lists)
    assert run.code == 0, run.stdout + run.stderr
    again = openpyxl.load_workbook(lists / "再导出.xlsx").worksheets[0]
    heads = [cell.value for cell in again[2]]
    codes = {item["code"]: row for row, item in enumerate(data["items"])}
    seen = 0
    for cells in again.iter_rows(min_row=3, values_only=True):
        row = next((codes[c] for c in cells if c in codes), None)
        if row is None:
            continue  # a 领域 row
        shown = {head: "" if v is None else str(v) for head, v in zip(heads, cells, strict=True)}
        for head, text in filled[row].items():
            assert shown[head] == text, (head, text, shown[head])
        seen += 1
    assert seen == ROWS
