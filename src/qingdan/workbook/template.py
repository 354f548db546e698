"""Entry workbooks (填报模板): a kind's columns to fill in, with what each column takes.

A department that fills in a list in Excel should not have to guess a category name or how the
registry spells a department: every column names what it takes in a note on its head and in a
prompt on its cells, and columns with a closed set of values (categories, departments, the
schema's enums) offer them as a drop-down list. The head is the one ``export xlsx`` writes, so
what is filled in reads back with ``qingdan import xlsx`` like an exported list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from qingdan.kinds import Column, Kind
from qingdan.present.values import fill, yes_no
from qingdan.registry import CategoryTree, Departments
from qingdan.workbook.layout import Fonts, row_height, set_up_page, sheet_name
from qingdan.workbook.writer import Writer

ENTRY_ROWS = 500
"""Rows the drop-downs and checks cover: more than any township's list of one kind."""
CHOICES_SHEET = "选项"
GUIDE_SHEET = "填写说明"
HEAD_ROW = 1
MAX_PROMPT = 255
MAX_PROMPT_TITLE = 32
MULTILINE = "多项内容每项一行（单元格内按 Alt+Enter 换行）。"


@dataclass(frozen=True, slots=True)
class Rule:
    """What one column takes, as the template says it."""

    column: Column
    required: bool
    choices: tuple[str, ...]
    """A closed set of values: the cell must be one of them (empty: free text)."""
    max_length: int | None
    hints: tuple[str, ...]
    """Sentences for the prompt and the guide: format, allowed values, how to write lists."""
    whole: tuple[int, int] | None = None
    """The least and the greatest whole number the column takes (a number field)."""

    @property
    def prompt(self) -> str:
        head = "必填。" if self.required else "选填。"
        return (head + "".join(self.hints))[:MAX_PROMPT]


def rules(
    kind: Kind, categories: CategoryTree | None, departments: Departments | None
) -> list[Rule]:
    """Each column's rule, from the kind's schema, the set's category tree and its registry."""
    declared = kind.item.keyword(kind.item.at(()), "required")
    required = set(declared) if isinstance(declared, list) else set()
    out = []
    for column in kind.columns:
        chain = kind.item.at((column.field,)) or []
        keyword = kind.item.keyword
        hints: list[str] = []
        choices: tuple[str, ...] = ()
        ref = next((r for r in kind.item.ref_fields if r.path == (column.field,)), None)
        enum = keyword(chain, "enum")
        is_list = keyword(chain, "type") == "array"
        if ref is not None and ref.target == "category" and categories is not None:
            choices = _category_names(categories)
            hints.append("从下拉列表中选择领域（类别）。")
        elif ref is not None and ref.target == "department" and departments is not None:
            choices = _department_names(departments, ref.types)
            hints.append("从下拉列表中选择部门名录中的部门。")
        elif isinstance(enum, list):
            choices = tuple(str(v) for v in enum)
            hints.append(f"可选：{'、'.join(choices)}。")
        if column.field == kind.roles.code:
            hints.append(f"编码形如 {kind.code_example}，发布后不再改变。")
        if is_list:
            hints.append(_list_hint(kind, column.field))
        shown = _example(kind, column.field, departments)
        if shown:
            hints.append(f"例如“{shown}”。")
        if is_list and any(
            r.target == "department" and r.path == (column.field, "*") for r in kind.item.ref_fields
        ):
            hints.append("部门名称与部门名录一致（全称、简称或编码）。")
        description = keyword(chain, "description")
        if isinstance(description, str) and description != "请填写内容。":
            hints.append(description)
        whole = _whole(keyword, chain)
        if whole is not None:
            hints.append(f"填写 {whole[0]} 到 {whole[1]} 的整数。")
        max_length = keyword(chain, "maxLength")
        if isinstance(max_length, int) and not choices:
            hints.append(f"不超过 {max_length} 字。")
        else:
            max_length = None
        out.append(Rule(column, column.field in required, choices, max_length, tuple(hints), whole))
    return out


def _whole(keyword: Any, chain: list[dict[str, Any]]) -> tuple[int, int] | None:
    """The range of a whole-number field (Excel checks it as typed)."""
    if keyword(chain, "type") != "integer":
        return None
    least, most = keyword(chain, "minimum"), keyword(chain, "maximum")
    return (least if isinstance(least, int) else 0, most if isinstance(most, int) else 2**31 - 1)


def _list_hint(kind: Kind, field: str) -> str:
    """How to write a list in one cell: an entry a line, entries with parts as the export
    writes them (部门：职责)."""
    template = kind.texts.get(field)
    names = kind.item.property_names((field, "*"))
    if template is None or not names:
        return MULTILINE
    shown = re.sub(r"\[[^\[\]]*\{n\}[^\[\]]*\]", "", template)  # numbered when several
    shown = shown.replace("[", "").replace("]", "")
    for name in names:
        shown = shown.replace(f"{{{name}}}", kind.item.title((field, "*", name)))
    return f"{MULTILINE}每项写成“{shown}”。"


def _example(kind: Kind, field: str, departments: Departments | None) -> str | None:
    """A cell of a nested field as the export writes it and the import reads it: its
    required parts (a department from the registry, a choice, else the part's title) and,
    where the kind's text template writes it, every part with a closed set of values (a
    choice, a number, a yes/no); a 本地栏目 map reads "栏目名称：内容"."""
    item = kind.item
    entry = (field, "*") if item.keyword(item.at((field,)), "type") == "array" else (field,)
    names = item.property_names(entry)
    chain = item.at(entry)
    whole = next((r for r in item.ref_fields if r.path == entry), None)
    if whole is not None and whole.target == "department" and departments is not None:
        return next(iter(_department_names(departments, whole.types)), None)
    if not names:
        free = isinstance(item.keyword(chain, "additionalProperties"), dict)
        return "栏目名称：内容" if free and entry == (field,) else None
    declared = item.keyword(chain, "required")
    required = [n for n in names if isinstance(declared, list) and n in declared] or names[:1]
    refs = {r.path[-1]: r for r in item.ref_fields if r.path[:-1] == entry}

    def value(name: str) -> str | None:
        """A department, a choice, a number or a yes/no; a text is the part's title."""
        ref = refs.get(name)
        if ref is not None and ref.target == "department" and departments is not None:
            return next(iter(_department_names(departments, ref.types)), None)
        at = item.at((*entry, name))
        enum, type_ = item.keyword(at, "enum"), item.keyword(at, "type")
        if isinstance(enum, list) and enum:
            return str(enum[0])
        if type_ == "integer":
            least = item.keyword(at, "minimum")
            return str(max(least, 1) if isinstance(least, int) else 1)
        if type_ == "boolean":
            return yes_no(item, (*entry, name))[0]
        return item.title((*entry, name)) if name in required else None

    template = kind.texts.get(field)
    shown = {name: value(name) for name in (names if template else required)}
    parts = {name: text for name, text in shown.items() if text}
    if template is not None:
        return fill(template, parts) or None
    return "；".join(f"{item.title((*entry, n))}：{v}" for n, v in parts.items())


def _category_names(tree: CategoryTree) -> tuple[str, ...]:
    """Category names in tree order; a name two categories share is given by its code."""
    return tuple(
        node.name if len(tree.by_name.get(node.name, ())) == 1 else node.code
        for node in tree.nodes.values()
    )


def _department_names(registry: Departments, types: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(d.label for d in registry.entries if not types or d.type in types))


@dataclass(frozen=True, slots=True)
class Entry:
    """One kind's sheet of the template, and what its columns take."""

    kind: Kind
    rules: tuple[Rule, ...]


def write_template(entries: Sequence[Entry], path: Path, *, fonts: Fonts, title: str) -> None:
    """Write the template to ``path``, whole or not at all (``QingdanError`` if refused): a
    sheet per kind, the guide to every column, and the hidden sheet the drop-downs read."""
    writer = Writer(fonts, title=title)
    taken = {CHOICES_SHEET, GUIDE_SHEET}
    sheets = [
        (entry, writer.book.add_worksheet(sheet_name(entry.kind.title, taken))) for entry in entries
    ]
    guide = writer.book.add_worksheet(GUIDE_SHEET)
    choices = writer.book.add_worksheet(CHOICES_SHEET)
    choices.hide()
    lists = _choice_lists(writer, choices, [rule for entry in entries for rule in entry.rules])
    for entry, sheet in sheets:
        _entry_sheet(writer, sheet, entry, lists)
    _guide(writer, guide, entries)
    writer.save(path)


def _choice_lists(writer: Writer, sheet: Any, all_rules: list[Rule]) -> dict[tuple[str, ...], str]:
    """Each distinct set of choices in a column of the hidden sheet; the range that names it."""
    ranges: dict[tuple[str, ...], str] = {}
    for rule in all_rules:
        if not rule.choices or rule.choices in ranges:
            continue
        column = len(ranges)
        writer.put(sheet, 0, column, rule.column.title, style="head", source=CHOICES_SHEET)
        for row, choice in enumerate(rule.choices, 1):
            writer.put(sheet, row, column, choice, style="plain", source=CHOICES_SHEET)
        letter = xl_col_to_name(column)
        ranges[rule.choices] = f"='{CHOICES_SHEET}'!${letter}$2:${letter}${len(rule.choices) + 1}"
    return ranges


def _entry_sheet(
    writer: Writer, sheet: Any, entry: Entry, lists: dict[tuple[str, ...], str]
) -> None:
    kind, last = entry.kind, len(entry.rules) - 1
    widths = [float(rule.column.width) for rule in entry.rules]
    heads = [rule.column.title for rule in entry.rules]
    title = f"{kind.title}（填报模板）"
    sheet.set_row(0, writer.fonts.title_size * 2)
    sheet.merge_range(0, 0, 0, last, "", writer.style("title"))
    writer.put(sheet, 0, 0, title, style="title", source="表名")
    sheet.set_row(HEAD_ROW, row_height(heads, widths, writer.fonts.size))
    first, end = HEAD_ROW + 1, HEAD_ROW + ENTRY_ROWS
    for index, rule in enumerate(entry.rules):
        sheet.set_column(index, index, rule.column.width, writer.style("entry"))
        writer.put(sheet, HEAD_ROW, index, rule.column.title, style="head", source="表头")
        sheet.write_comment(HEAD_ROW, index, rule.prompt, {"x_scale": 2, "y_scale": 2})
        sheet.data_validation(first, index, end, index, _validation(rule, lists))
    set_up_page(sheet, head_rows=(HEAD_ROW, HEAD_ROW), header=title, fonts=writer.fonts)


def _validation(rule: Rule, lists: dict[tuple[str, ...], str]) -> dict[str, Any]:
    """The cell check of a column: one of its choices, at most its length, or any text; the
    prompt says what it takes in every case."""
    prompt = {
        "input_title": rule.column.title[:MAX_PROMPT_TITLE],
        "input_message": rule.prompt,
    }
    if rule.choices:
        return {
            "validate": "list",
            "source": lists[rule.choices],
            "error_title": "不在可选范围内",
            "error_message": f"请从下拉列表中选择{rule.column.title}。",
            **prompt,
        }
    if rule.whole is not None:
        least, most = rule.whole
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": least,
            "maximum": most,
            "error_title": "不是整数",
            "error_message": f"{rule.column.title}填写 {least} 到 {most} 的整数。",
            **prompt,
        }
    if rule.max_length is not None:
        return {
            "validate": "length",
            "criteria": "<=",
            "value": rule.max_length,
            "error_title": "内容过长",
            "error_message": f"{rule.column.title}不超过 {rule.max_length} 字。",
            **prompt,
        }
    return {"validate": "any", **prompt}


def _guide(writer: Writer, sheet: Any, entries: Sequence[Entry]) -> None:
    """Every column of every kind with what it takes: the sheet to print and hand round."""
    heads = ("清单", "列", "是否必填", "填写要求")
    widths = (18.0, 18.0, 9.0, 80.0)
    for index, (head, width) in enumerate(zip(heads, widths, strict=True)):
        sheet.set_column(index, index, width)
        writer.put(sheet, 0, index, head, style="head", source=GUIDE_SHEET)
    row = 1
    for entry in entries:
        for rule in entry.rules:
            texts = (
                entry.kind.title,
                rule.column.title,
                "必填" if rule.required else "选填",
                "".join(rule.hints),
            )
            sheet.set_row(row, row_height(texts, widths, writer.fonts.size))
            for index, text in enumerate(texts):
                writer.put(sheet, row, index, text, style="body", source=GUIDE_SHEET)
            row += 1
    set_up_page(sheet, head_rows=(0, 0), header=GUIDE_SHEET, fonts=writer.fonts)
