"""A resolved list as the table people read: columns, category sections, numbered rows of text.

Every output a person reads as a table — the Excel workbook, the printed book, the web page — is
drawn from a ``Table``, so that a list reads the same in each: the same columns in the same order
with the same Chinese titles (from the kind's ``x-qingdan.columns``), the same 序号, the same
sections per top-level category (领域), and each value rendered as text the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from qingdan.kinds import Column, Kind
from qingdan.model import Item, ResolvedList
from qingdan.present.vocabulary import Vocabulary
from qingdan.registry import CategoryTree

UNCATEGORIZED = "（未分类）"


class Numbering(StrEnum):
    """How 序号 counts: through the whole list, or again from 1 in each section."""

    CONTINUOUS = "continuous"
    PER_SECTION = "per-section"


@dataclass(frozen=True, slots=True)
class Row:
    number: int
    """序号 as printed."""
    cells: tuple[str, ...]
    """One text per column of the table."""
    item: Item
    index: int
    """The item's place in its list (what ``ResolvedList.location`` takes)."""


@dataclass(frozen=True, slots=True)
class Section:
    """The rows of one top-level category, in list order."""

    code: str
    name: str
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Table:
    kind: Kind
    unit: str
    """The unit as people name it (the registry's short name where it has one)."""
    title: str
    """清水镇属地管理事项清单"""
    columns: tuple[Column, ...]
    sections: tuple[Section, ...]

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for section in self.sections for row in section.rows)


def table(
    listed: ResolvedList,
    words: Vocabulary,
    numbering: Numbering = Numbering.CONTINUOUS,
    columns: Callable[[Kind], tuple[Column, ...]] = lambda kind: kind.columns,
) -> Table | None:
    """The table of one list; None for a list whose kind the set does not have. ``columns``
    picks the kind's columns to show (the printed book shows ``Kind.print_columns``)."""
    kind = listed.kind
    if kind is None:
        return None
    shown = columns(kind)
    unit = words.unit_label(listed.unit)
    tree = words.categories.get(kind.name)
    sections: dict[str, list[tuple[int, Item]]] = {}
    for index, item in enumerate(listed.items):
        sections.setdefault(_top(tree, item.category), []).append((index, item))
    order = _section_order(tree, list(sections))
    built = []
    number = 0
    for code in order:
        if numbering is Numbering.PER_SECTION:
            number = 0
        rows = []
        for index, item in sections[code]:
            number += 1
            rows.append(Row(number, _cells(kind, shown, item, words, tree), item, index))
        built.append(Section(code, _name(tree, code), tuple(rows)))
    return Table(kind, unit, f"{unit}{kind.title}", shown, tuple(built))


def _cells(
    kind: Kind,
    columns: tuple[Column, ...],
    item: Item,
    words: Vocabulary,
    tree: CategoryTree | None,
) -> tuple[str, ...]:
    category = kind.roles.category
    return tuple(
        _name(tree, item.category)
        if column.field == category and item.category
        else words.text(kind.name, column.field, item.values.get(column.field))
        for column in columns
    )


def _top(tree: CategoryTree | None, code: str) -> str:
    """The top-level category an item's category sits under (its code), or the code itself."""
    node = tree.resolve(code) if tree is not None and code else None
    if node is None or isinstance(node, list):
        return code
    assert tree is not None
    while node.parent and node.parent in tree.nodes:
        node = tree.nodes[node.parent]
    return node.code


def _section_order(tree: CategoryTree | None, codes: list[str]) -> list[str]:
    """Sections in the category tree's order; unknown categories after, in list order."""
    if tree is None:
        return codes
    known = {code: tree.nodes[code].order for code in codes if code in tree.nodes}
    return sorted(codes, key=lambda c: (c not in known, known.get(c, 0)))


def _name(tree: CategoryTree | None, code: str) -> str:
    if not code:
        return UNCATEGORIZED
    node = tree.resolve(code) if tree is not None else None
    return node.name if node is not None and not isinstance(node, list) else code
