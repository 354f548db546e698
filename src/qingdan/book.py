"""A list set as the bound book offices print (印制成册), whatever form it is written in.

DOMAIN.md §7: cover (编制机关, title, edition, date) → 印发通知 (optional) → 目录 → 编制说明 (the
set's own text, and counts per list and 领域; for a derived set how much was 继承 / 修改 / 新增 /
不采用) → one part per list, a table per top-level category → appendices: an index by department of
every item each department answers for, and the change log (调整记录) where the set has change
records. This module gathers that content (and finds the characters its fonts lack); ``pdfbook`` and
``htmlbook`` write it out.

Who answers for an item, and in which duty, is ``qingdan.duties``' to say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qingdan.duties import Duty, answers
from qingdan.fonts import Role
from qingdan.messages import finding
from qingdan.present.vocabulary import vocabulary
from qingdan.rows import Numbering, Row, Table, table

if TYPE_CHECKING:
    from collections.abc import Iterable

    from qingdan.findings import Finding
    from qingdan.fonts import Fonts
    from qingdan.listset import ListSet
    from qingdan.model import ResolvedList
    from qingdan.present.vocabulary import Vocabulary
    from qingdan.records import Entry as Record
    from qingdan.registry import Departments
    from qingdan.stats import Stats


@dataclass(frozen=True, slots=True)
class Part:
    """One list of the book: its table, and the list it was drawn from (for locations)."""

    listed: ResolvedList
    table: Table
    rows: tuple[Row, ...]
    """The table's rows in order (``Table.rows`` makes them anew each time it is read)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the department index: an item the department answers for, and where it is."""

    duty: Duty
    part: int
    """Index of the item's part in ``Book.parts``."""
    row: int
    """Index of the item's row in that part's ``table.rows``."""


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the change log (调整记录): an approved adjustment of one item, as printed."""

    date: str
    """The approval's date as printed: 2026年3月2日."""
    item: str
    """The item's code and name (the code alone for an item the book no longer holds)."""
    change: str
    """The adjustment's type, then what it does and where, in the record's words."""
    reason: str
    approval: str
    """The approving authority and its document number (文号)."""


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
    changes: tuple[Change, ...] = ()
    """The change log, oldest approval first; empty where the set has no change records."""

    @property
    def items(self) -> int:
        return sum(len(part.rows) for part in self.parts)


def gather(
    listset: ListSet,
    lists: Iterable[ResolvedList],
    stats: Stats | None,
    *,
    today: dt.date | None = None,
    unit: str = "",
    records: Iterable[Record] = (),
) -> Book:
    """The book of ``lists`` (a whole set's, in file order, or one township's: ``unit``, its name
    as the cover prints it under the title), with the change log of ``records`` (the set's
    change records; a township's book keeps those that concern it)."""
    config = listset.config
    spec = config.book
    words = vocabulary(listset)
    numbering = Numbering(spec.numbering)
    parts = []
    for listed in lists:
        drawn = table(listed, words, numbering, columns=lambda kind: kind.print_columns)
        if drawn is not None:
            parts.append(Part(listed, drawn, drawn.rows))
    units = {part.listed.unit for part in parts}
    when = dt.date.fromisoformat(spec.date) if spec.date else today or dt.date.today()
    return Book(
        title=spec.title or config.name,
        unit=unit,
        compiler=config.compiler,
        edition=config.edition,
        date=_date(when),
        notice=spec.notice,
        explanation=_with_gaps(spec.explanation, stats.missing(units) if stats else 0),
        parts=tuple(parts),
        index=_index(parts, listset.departments),
        derived=tuple(
            (f"{words.unit_label(unit)}{words.kind_title(kind)}", counts)
            for (unit, kind), counts in (stats.totals() if stats else {}).items()
            if unit in units
        ),
        changes=_changes(records, parts, words, unit),
    )


def _date(when: dt.date) -> str:
    return f"{when.year}年{when.month}月{when.day}日"


def _changes(
    records: Iterable[Record], parts: list[Part], words: Vocabulary, unit: str
) -> tuple[Change, ...]:
    """One line per item of each record entry, by approval date (a batch keeps its order)."""
    names = {row.item.code: row.item.name for part in parts for row in part.rows}
    lines = []
    for record in records:
        places = sorted(words.unit_label(u) for u in record.units)
        if unit and places and unit not in places:
            continue
        try:
            when = _date(dt.date.fromisoformat(record.date))
        except ValueError:
            when = record.date
        where = f"（{'、'.join(places)}）" if places and not unit else ""
        what = "：".join(filter(None, (record.type, record.content))) + where
        for code in record.codes:
            item = f"{code} {names[code]}" if code in names else code
            lines.append((record.date, Change(when, item, what, record.reason, record.reference)))
    return tuple(change for _, change in sorted(lines, key=lambda line: line[0]))


def numeral(number: int) -> str:
    """一、二、… as the printed book numbers its parts (and （一）… its sections)."""
    digits = "一二三四五六七八九"
    if number < 10:
        return digits[number - 1]
    tens, ones = divmod(number, 10)
    return (digits[tens - 1] if tens > 1 else "") + "十" + (digits[ones - 1] if ones else "")


def appendices(book: Book) -> list[str]:
    """The appendices' headings in order: 附录 alone, or 附录一 and 附录二 when there are two."""
    names = [n for n, has in (("部门职责索引", book.index), ("调整记录", book.changes)) if has]
    if len(names) == 1:
        return [f"附录　{names[0]}"]
    return [f"附录{'一二'[i]}　{name}" for i, name in enumerate(names)]


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
        for r, row in enumerate(part.rows):
            for answer in answers(kind, row.item):
                dept = registry.get(answer.department) if registry else None
                name = dept.label if dept else answer.department
                found.setdefault(name, []).append(Entry(answer.duty, p, r))
    rank = {d.label: i for i, d in enumerate(registry.entries)} if registry else {}
    order = sorted(found, key=lambda name: (rank.get(name, len(rank)), name))
    duties = list(Duty)
    return tuple(
        (name, tuple(sorted(found[name], key=lambda e: duties.index(e.duty)))) for name in order
    )


def missing_glyphs(book: Book, fonts: Fonts) -> list[Finding]:
    """One finding per item field that holds characters the table font cannot print."""
    cells = [cell for part in book.parts for row in part.rows for cell in row.cells]
    absent = set(fonts.missing(Role.FANG, "".join(set("".join(cells)))))
    if not absent:  # the usual case: one pass over the book's characters, none per cell
        return []
    found = []
    for part in book.parts:
        columns = part.table.columns
        for row in part.rows:
            for column, text in zip(columns, row.cells, strict=True):
                lacking = [c for c in dict.fromkeys(text) if c in absent]
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
