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
from qingdan.workspace import Workspace

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

    workspace = Workspace()
    listset = workspace.open(lists)
    (got,) = workspace.lists(listset, [lists / "out" / f"{kind}.yaml"])
    assert got.kind is not None
    titles = {column.title: column.field for column in got.kind.columns}
    registry, tree = listset.departments, listset.categories.get(kind)
    data = yaml.safe_load((lists / "out" / f"{kind}.yaml").read_text("utf-8"))
    assert len(data["items"]) == ROWS

    def reads(value: Any) -> set[str]:
        """The texts a value can be typed as: itself, a department's registered names, a
        category's name, an entry's parts."""
        if isinstance(value, dict):
            return {t for v in value.values() for t in reads(v)}
        if isinstance(value, list):
            return {t for v in value for t in reads(v)}
        texts = {str(value)}
        dept = registry.get(value) if registry and isinstance(value, str) else None
        if dept is not None:
            texts |= {dept.name, dept.label, dept.code, *(dept.aliases or ())}
        node = tree.nodes.get(value) if tree is not None and isinstance(value, str) else None
        if node is not None:
            texts |= {node.name, node.code}
        return texts

    for row, item in enumerate(data["items"]):
        typed = filled[row]
        for head, text in typed.items():
            field = titles[head]
            assert field in item, (item.get("code"), head)
            # "标题：值；标题：值" (a 期限, a 本地栏目, 部门：职责) holds each value
            parts = {part.rpartition("：")[2] for part in text.split("；")}
            assert parts <= reads(item[field]), (item.get("code"), head, text, item[field])
