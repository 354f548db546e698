"""The rows of one sheet as item values, each value remembering the cell it came from.

Below the header, a row with nothing in the mapped columns is skipped (offices leave empty rows
between groups), as is a repeated header row (a printed table repeats it on every page). A row
whose cells all hold one text (a category row merged across the table, as exports write them)
names the category of the rows below it; so does a category cell left empty under a filled one.
Departments and categories are written as the workbook names them; whether the registry and the
category tree know them is the validation's question (``conversion``), with suggestions there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qingdan.findings import Finding, Location
from qingdan.importing.cells import Problem, cell_text, parse, shape
from qingdan.importing.headers import Column, Header, normalized
from qingdan.importing.reading import Sheet
from qingdan.kinds import Kind
from qingdan.messages import finding
from qingdan.registry import Category, CategoryTree

_CATEGORY_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[、.．])\s*"
)


MAX_TITLE = 40
"""Longer text in a row's first filled cell is data, never a repeated column title."""


@dataclass(slots=True)
class Row:
    """One item read from a sheet row: its values and, per field, the 1-based column it came
    from (``row`` is the 1-based sheet row), so that findings can name the cell."""

    sheet: str
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)

    def location(self, display: str, name: str | None = None) -> Location:
        column = self.columns.get(name or "", min(self.columns.values(), default=1))
        return Location(display, self.row, column, self.sheet)


@dataclass(slots=True)
class SheetRows:
    sheet: str
    header: Header
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def read_rows(sheet: Sheet, header: Header, tree: CategoryTree | None, display: str) -> SheetRows:
    """The items of ``sheet`` below ``header``, with findings for cells that cannot be read."""
    kind = header.kind
    out = SheetRows(sheet.name, header)
    mapped = [c for c in header.columns if c.target]
    titles = [normalized(c.title.rpartition("/")[2]) for c in mapped]
    category = kind.roles.category
    current: Any = None
    for index in range(header.last_row + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        texts = [cell_text(cells[c.index]) if c.index < len(cells) else "" for c in mapped]
        filled = [t for t in texts if t]
        if not filled or _repeats(texts, titles):
            continue
        if len(filled) == len(texts) > 2 and len(set(filled)) == 1:
            current = _category_of(filled[0], tree)
            continue
        row = _row(
            sheet.name,
            number=index + 1,
            cells=cells,
            texts=texts,
            columns=mapped,
            kind=kind,
            display=display,
            findings=out.findings,
        )
        if category in row.values:
            current = row.values[category] = _category_of(row.values[category], tree)
        elif current is not None:
            row.values[category] = current
        _fill_lead(row, kind)
        out.rows.append(row)
    return out


def _repeats(texts: list[str], titles: list[str]) -> bool:
    """A header row repeated below the header (a printed table repeats it on every page)."""
    i, first = next((i, t) for i, t in enumerate(texts) if t)
    if len(first) > MAX_TITLE or normalized(first) != titles[i]:
        return False
    return [normalized(t) for t in texts] == titles


def ordered(kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
    """An item's values in the schema's field order, as people write list files."""
    order = kind.item.property_names(())
    rank = {name: i for i, name in enumerate(order)}
    return dict(sorted(values.items(), key=lambda kv: rank.get(kv[0], len(order))))


def _row(
    sheet: str,
    *,
    number: int,
    cells: Sequence[Any],
    texts: list[str],
    columns: list[Column],
    kind: Kind,
    display: str,
    findings: list[Finding],
) -> Row:
    row = Row(sheet, number)
    parts: dict[str, dict[str, tuple[str, int]]] = {}
    for column, text in zip(columns, texts, strict=True):
        target = column.target
        assert target is not None
        if not text:
            continue
        raw = cells[column.index]
        where = Location(display, number, column.index + 1, sheet)
        if target.part is not None:
            parts.setdefault(target.field, {})[target.part] = (text, column.index + 1)
            row.columns.setdefault(target.field, column.index + 1)
            continue
        value = parse(raw, kind.item, [target.field], kind.texts.get(target.field))
        row.columns[target.field] = column.index + 1
        if isinstance(value, Problem):
            findings.append(_cell_finding(where, kind, target.field, raw, value.reason))
            continue
        row.values[target.field] = value
        lost = _lost_zero(raw, value, kind, target.field)
        if lost:
            findings.append(
                finding(
                    "import.number-cell",
                    where,
                    field=kind.item.title([target.field]),
                    value=value,
                    title=kind.item.title([target.field]),
                )
            )
    for name, given in parts.items():
        entries = _entries(given)
        if isinstance(entries, Problem):
            where = Location(display, number, min(c for _, c in given.values()), sheet)
            findings.append(_cell_finding(where, kind, name, "", entries.reason))
        else:
            row.values[name] = entries
    return row


def _entries(given: dict[str, tuple[str, int]]) -> list[dict[str, str]] | Problem:
    """Entries of a nested field split over columns (部门 | 职责): the n-th line of each column
    makes the n-th entry; a column with one line gives it to every entry."""
    lines = {
        part: [t for t in re.split(r"\s*[\r\n]+\s*", text) if t]
        for part, (text, _) in given.items()
    }
    count = max(len(v) for v in lines.values())
    if any(len(v) not in (1, count) for v in lines.values()):
        return Problem("各列的行数不一致，无法逐行对应；请每行写一个部门及其职责")
    return [{part: v[i] if len(v) > 1 else v[0] for part, v in lines.items()} for i in range(count)]


def _cell_finding(where: Location, kind: Kind, name: str, raw: Any, reason: str) -> Finding:
    title = kind.item.title([name])
    return finding(
        "import.cell", where, field=title, title=title, value=cell_text(raw), reason=reason
    )


def _lost_zero(raw: Any, value: Any, kind: Kind, name: str) -> bool:
    """A number cell in a text field whose pattern takes a leading 0 (a phone number with its
    area code): Excel dropped the 0 when the cell was typed as a number."""
    if not isinstance(raw, int | float) or isinstance(raw, bool) or not isinstance(value, str):
        return False
    pattern = shape(kind.item, (name,)).pattern
    if pattern is None or len(value) < 7 or value.startswith("1"):
        return False
    return re.search(pattern, "0" + value) is not None


def _category_of(text: Any, tree: CategoryTree | None) -> Any:
    """A category cell as the tree's code when the tree knows the name ("一、应急管理" too)."""
    if not isinstance(text, str) or tree is None:
        return text
    for candidate in (text, _CATEGORY_NUMBER.sub("", text), text.rpartition("/")[2]):
        found = tree.resolve(candidate.strip())
        if isinstance(found, Category):
            return found.code
    return text


def _fill_lead(row: Row, kind: Kind) -> None:
    """A 主体责任 written without its department belongs to the row's 牵头部门 (the kind's
    ``x-qingdan.territorial`` names both fields)."""
    roles = kind.territorial
    if not roles or roles.get("lead") not in row.values:
        return
    main = roles.get("main", "")
    entries = row.values.get(main)
    who = shape(kind.item, (main, "*")).refs
    if not isinstance(entries, list) or not who:
        return
    lead = row.values[roles["lead"]]
    row.values[main] = [
        {who[0]: lead, **e} if isinstance(e, dict) and who[0] not in e else e for e in entries
    ]
