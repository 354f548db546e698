"""A list set as the bound book offices print (印制成册), whatever form it is written in.

DOMAIN.md §7: cover (编制机关, title, edition, date) → 印发通知 (optional) → 目录 → 编制说明 (the
set's own text, and counts per list and 领域; for a derived set how much was 继承 / 修改 / 新增 /
不采用) → one part per list, a table per top-level category → appendix: an index by department of
every item each department answers for. This module gathers that content (and finds the characters its fonts lack); ``pdfbook`` and
``htmlbook`` write it out.

Who answers for an item comes from the kinds, not from field names: in a kind whose metadata
splits responsibility (``x-qingdan.territorial``) its lead field names the 牵头 department and its
main field the 主体 ones, and every other department reference is 配合; in other kinds a reference
to one department names who carries the item (主体) and a list of departments those who work with
it (配合).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from qingdan.checks.rules import values_at
from qingdan.fonts import Role
from qingdan.messages import finding
from qingdan.present.vocabulary import vocabulary
from qingdan.rows import Numbering, Table, table

if TYPE_CHECKING:
    from collections.abc import Iterable

    from qingdan.findings import Finding
    from qingdan.fonts import Fonts
    from qingdan.kinds import Kind
    from qingdan.listset import ListSet
    from qingdan.model import Item, ResolvedList
    from qingdan.registry import Departments
    from qingdan.stats import Stats


class Duty(StrEnum):
    """What a department answers for in an item, in the order the index lists them."""

    LEAD = "牵头"
    MAIN = "主体"
    COOPERATE = "配合"


@dataclass(frozen=True, slots=True)
class Part:
    """One list of the book: its table, and the list it was drawn from (for locations)."""

    listed: ResolvedList
    table: Table


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the department index: an item the department answers for, and where it is."""

    duty: Duty
    part: int
    """Index of the item's part in ``Book.parts``."""
    row: int
    """Index of the item's row in that part's ``table.rows``."""


@dataclass(frozen=True, slots=True)
class Book:
    title: str
    unit: str
    """The township a ``--per-township`` book is for (printed under the title); empty for a set's."""
    compiler: str
    edition: str
    date: str
    """As printed: 2026年3月2日."""
    notice: str
    explanation: str
    parts: tuple[Part, ...]
    index: tuple[tuple[str, tuple[Entry, ...]], ...]
    """Department (as people name it) → its entries, 牵头 first; departments in registry order."""
    derived: tuple[tuple[str, tuple[int, ...]], ...]
    """Per derived list (清水镇职责任务清单): its counts in the columns of ``stats.COLUMNS``."""

    @property
    def items(self) -> int:
        return sum(len(part.table.rows) for part in self.parts)


def gather(
    listset: ListSet,
    lists: Iterable[ResolvedList],
    stats: Stats | None,
    today: dt.date | None = None,
    unit: str = "",
) -> Book:
    """The book of ``lists`` (a whole set's, in file order, or one township's: ``unit``, its name
    as the cover prints it under the title)."""
    config = listset.config
    spec = config.book
    words = vocabulary(listset)
    numbering = Numbering(spec.numbering)
    parts = []
    for listed in lists:
        drawn = table(listed, words, numbering, columns=lambda kind: kind.print_columns)
        if drawn is not None:
            parts.append(Part(listed, drawn))
    units = {part.listed.unit for part in parts}
    when = dt.date.fromisoformat(spec.date) if spec.date else today or dt.date.today()
    return Book(
        title=spec.title or config.name,
        unit=unit,
        compiler=config.compiler,
        edition=config.edition,
        date=f"{when.year}年{when.month}月{when.day}日",
        notice=spec.notice,
        explanation=_with_gaps(spec.explanation, stats.missing(units) if stats else 0),
        parts=tuple(parts),
        index=_index(parts, listset.departments),
        derived=tuple(
            (f"{words.unit_label(unit)}{words.kind_title(kind)}", counts)
            for (unit, kind), counts in (stats.totals() if stats else {}).items()
            if unit in units
        ),
    )


def _with_gaps(explanation: str, missing: int) -> str:
    """编制说明 with the count of values still to be filled in, so a printed book says why
    some cells are blank."""
    if not missing:
        return explanation
    line = f"清单中尚有 {missing} 项内容待补充（原文未载或有待核实），表中相应位置暂为空白。"
    return f"{explanation}\n\n{line}" if explanation else line


def by_unit(lists: Iterable[ResolvedList]) -> dict[str, list[ResolvedList]]:
    """The lists of each township (unit), in file order: what ``--per-township`` prints apart."""
    grouped: dict[str, list[ResolvedList]] = {}
    for listed in lists:
        grouped.setdefault(listed.unit, []).append(listed)
    return grouped


def _index(
    parts: list[Part], registry: Departments | None
) -> tuple[tuple[str, tuple[Entry, ...]], ...]:
    found: dict[str, list[Entry]] = {}
    for p, part in enumerate(parts):
        kind = part.table.kind
        for r, row in enumerate(part.table.rows):
            for department, duty in _answers(kind, row.item):
                dept = registry.get(department) if registry else None
                name = dept.label if dept else department
                found.setdefault(name, []).append(Entry(duty, p, r))
    rank = {d.label: i for i, d in enumerate(registry.entries)} if registry else {}
    order = sorted(found, key=lambda name: (rank.get(name, len(rank)), name))
    duties = list(Duty)
    return tuple(
        (name, tuple(sorted(found[name], key=lambda e: duties.index(e.duty)))) for name in order
    )


def _answers(kind: Kind, item: Item) -> list[tuple[str, Duty]]:
    """(department, duty) for every department the item names, once per department."""
    split = kind.territorial or {}
    lead, main = split.get("lead"), split.get("main")
    out: dict[str, Duty] = {}
    for ref in kind.item.ref_fields:
        if ref.target != "department":
            continue
        if split:
            head = ref.path[0]
            duty = Duty.LEAD if head == lead else Duty.MAIN if head == main else Duty.COOPERATE
        else:
            duty = Duty.COOPERATE if "*" in ref.path else Duty.MAIN
        found = values_at(dict(item.values), ref.path)
        for _, value in found + [
            (p, v) for p, many in found if isinstance(many, list) for v in many
        ]:
            if isinstance(value, str) and value:
                known = out.get(value)
                if known is None or list(Duty).index(duty) < list(Duty).index(known):
                    out[value] = duty
    return list(out.items())


def missing_glyphs(book: Book, fonts: Fonts) -> list[Finding]:
    """One finding per item field that holds characters the table font cannot print."""
    found = []
    for part in book.parts:
        columns = part.table.columns
        for row in part.table.rows:
            for column, text in zip(columns, row.cells, strict=True):
                lacking = fonts.missing(Role.FANG, text)
                if lacking:
                    found.append(
                        finding(
                            "book.missing-glyph",
                            part.listed.location(row.index, column.field),
                            item=row.item.code,
                            field=column.title,
                            title=column.title,
                            chars="、".join(f"“{c}”（U+{ord(c):04X}）" for c in lacking),
                            font=fonts.families[Role.FANG],
                        )
                    )
    return found
