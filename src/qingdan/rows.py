"""A resolved list as the table people read: columns, category sections, numbered rows of text.

Every output a person reads as a table — the Excel workbook, the printed book, the web page — is
drawn from a ``Table``, so that a list reads the same in each: the same columns in the same order
with the same Chinese titles (from the kind's ``x-qingdan.columns``), the same 序号, the same
sections per top-level category (领域), and each value rendered as text the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from qingdan.kinds import Column, Kind
from qingdan.missing import is_missing
from qingdan.model import Item, ResolvedList
from qingdan.present.values import fill, render, yes_no
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


class Rendered:
    """Cell texts already made in one export, by field and value identity.

    A derived set's townships share their inherited values (the very objects of the base
    list), so an export of a hundred townships renders each shared value once. Each entry
    keeps its value alive, so that its identity cannot pass to another value meanwhile; past
    ``LIMIT`` entries it starts afresh, so that memory stays bounded on a province's lists."""

    LIMIT = 50_000

    def __init__(self) -> None:
        self._texts: dict[tuple[str, int], tuple[Any, str]] = {}

    def get(self, field: str, value: Any, make: Callable[[], str]) -> str:
        key = (field, id(value))
        found = self._texts.get(key)
        if found is None:
            if len(self._texts) >= self.LIMIT:
                self._texts.clear()
            found = self._texts[key] = (value, make())
        return found[1]


def table(
    listed: ResolvedList,
    words: Vocabulary,
    numbering: Numbering = Numbering.CONTINUOUS,
    rendered: Rendered | None = None,
    columns: Callable[[Kind], tuple[Column, ...]] = lambda kind: kind.columns,
) -> Table | None:
    """The table of one list; None for a list whose kind the set does not have. ``rendered``
    shares cell texts between the tables of one export; ``columns`` picks the kind's columns to
    show (the printed book shows ``Kind.print_columns``)."""
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
    context = _Context.of(kind, shown, words, tree, rendered or Rendered())
    built = []
    number = 0
    for code in order:
        if numbering is Numbering.PER_SECTION:
            number = 0
        rows = []
        for index, item in sections[code]:
            number += 1
            rows.append(Row(number, _cells(context, item), item, index))
        built.append(Section(code, _name(tree, code), tuple(rows)))
    return Table(kind, unit, f"{unit}{kind.title}", shown, tuple(built))


Paths = dict[str, list[tuple[Any, ...]]]
"""Per field, where department names sit in its value (``()``: the value itself)."""


def _department_paths(kind: Kind) -> Paths:
    paths: Paths = {}
    for ref in kind.item.ref_fields:
        if ref.target == "department":
            paths.setdefault(str(ref.path[0]), []).append(ref.path[1:])
    return paths


@dataclass(frozen=True, slots=True)
class _Context:
    """What making one table's cells needs, gathered once per table."""

    kind: Kind
    columns: tuple[Column, ...]
    words: Vocabulary
    tree: CategoryTree | None
    departments: Paths
    memo: Rendered
    plan: tuple[tuple[str, bool, bool], ...] = ()
    """Per column: its field, whether it is the category, whether a text in it reads as
    written (no department names in it)."""
    names: dict[str, str] = dataclasses.field(default_factory=dict)
    """Category names by code, as looked up once."""

    @classmethod
    def of(
        cls,
        kind: Kind,
        columns: tuple[Column, ...],
        words: Vocabulary,
        tree: CategoryTree | None,
        memo: Rendered,
    ) -> _Context:
        departments = _department_paths(kind)
        category = kind.roles.category
        plan = tuple((c.field, c.field == category, c.field not in departments) for c in columns)
        return cls(kind, columns, words, tree, departments, memo, plan)


def _cells(context: _Context, item: Item) -> tuple[str, ...]:
    values = item.values
    cells = []
    for name, is_category, plain in context.plan:
        value = values.get(name)
        if is_category and item.category:
            code = item.category
            found = context.names.get(code)
            if found is None:
                found = context.names[code] = _name(context.tree, code)
            cells.append(found)
        elif plain and value.__class__ is str:
            cells.append(value)  # most cells: a text as written
        elif value is None or is_missing(value):
            cells.append("")  # a marked-missing value is blank, as render() gives it
        else:
            cells.append(context.memo.get(name, value, partial(_text, context, name, value)))
    return tuple(cells)


def _text(context: _Context, field: str, value: Any) -> str:
    """A value as its cell reads: departments by the names people know them by (区应急局, not
    D01); a list of texts one a line; entries of a field with a text in the kind's metadata (``x-qingdan.texts``) read
    through it, one entry a line: ``{value}`` is a plain entry, ``{n}`` its number when there
    are several, ``{field}`` a field of an entry."""
    kind, words = context.kind, context.words
    for path in context.departments.get(field, ()):
        value = _relabel(value, path, words.unit_label)
    template = kind.texts.get(field)
    entries = value if isinstance(value, list) else [value]
    if template is None and isinstance(value, list) and all(isinstance(e, str) for e in value):
        return "\n".join(value)  # joined with 、 it could not be read back: 、 is in the texts
    if template is None or any(isinstance(e, list) for e in entries):
        return words.text(kind.name, field, value)

    def title(path: tuple[str, ...]) -> str:
        return words.leaf(kind.name, path)

    at = (field, "*") if isinstance(value, list) else (field,)

    def part(key: str, v: Any) -> str:
        if isinstance(v, bool):  # 必需/非必需 where the schema names its words (x-words)
            return yes_no(kind.item, (*at, key))[0 if v else 1]
        return v if isinstance(v, str) else render(v, title, (field, "*", key))

    def parts(entry: Any) -> dict[str, str]:
        if isinstance(entry, dict):
            return {k: part(k, v) for k, v in entry.items()}
        return {"value": entry if isinstance(entry, str) else render(entry, title, (field, "*"))}

    def line(entry: Any, number: str) -> str:
        if is_missing(entry):
            return ""
        if not isinstance(entry, dict) and "{value}" not in template:
            # a plain entry where entries may also be written out in full (a material as just
            # "户口簿", a time limit as just "5个工作日"): its text as written
            plain = "[{n}.]{value}" if "{n}" in template else "{value}"
            return fill(plain, {**parts(entry), "n": number})
        return fill(template, {**parts(entry), "n": number})

    several = len(entries) > 1
    return "\n".join(
        line(entry, str(number) if several else "") for number, entry in enumerate(entries, 1)
    )


def _relabel(value: Any, path: tuple[Any, ...], label: Callable[[str], str]) -> Any:
    """``value`` with the department names at ``path`` ("*": every entry) as ``label`` gives
    them; the item's own values are left as they are."""
    if not path:
        if isinstance(value, list):  # one party or several (``office: [党政办, 社事办]``)
            return [label(v) if isinstance(v, str) else v for v in value]
        return label(value) if isinstance(value, str) else value
    head, rest = path[0], path[1:]
    if head == "*" and isinstance(value, list):
        return [_relabel(entry, rest, label) for entry in value]
    if isinstance(value, dict) and head in value:
        return {**value, head: _relabel(value[head], rest, label)}
    return value


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
