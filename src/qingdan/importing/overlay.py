"""A workbook's items as a derived list on another unit's list (``--derive-from``).

An office that brings its current workbook into the derived structure wants to see what it
changed against the list it stands on: each row is matched to a base item by code, or failing
that by the most similar name (at least ``SIMILAR``); a matched row whose values differ in a
column the workbook has is a modification of those fields, an unmatched row an addition, and a
base item no row matched is not adopted. Only the office knows why, so every reason is left as
``PLACEHOLDER``, which ``validate`` reports until it is filled in.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from qingdan.checks.overlay import PLACEHOLDER
from qingdan.errors import QingdanError
from qingdan.importing.codes import CodeMaker
from qingdan.importing.items import Row, ordered
from qingdan.kinds import Kind
from qingdan.listset import ListSet
from qingdan.model import Item, ResolvedList
from qingdan.workspace import Workspace

SIMILAR = 0.75
"""Names at least this similar (difflib ratio) are the same item renamed or reworded."""


@dataclass(frozen=True, slots=True)
class Derived:
    data: dict[str, Any]
    place: dict[str, Row]
    """Which row each operation (``/derive/modify/0``) came from."""
    placeholders: int


def derived(
    workspace: Workspace,
    listset: ListSet,
    *,
    kind: Kind,
    unit: str,
    base_unit: str,
    rows: list[Row],
    fields: frozenset[str],
) -> Derived:
    """The derived list of ``unit`` on ``base_unit``'s list of ``kind`` that gives ``rows``."""
    base = _base_list(workspace, listset, kind, base_unit)
    matches = _matched(kind, list(base.items), rows)
    code = kind.roles.code
    taken = [i.code for i in base.items] + [str(r.values[code]) for r in rows if code in r.values]
    maker = CodeMaker(kind, taken)
    same = _Sameness(listset, kind)
    modify: list[dict[str, Any]] = []
    add: list[dict[str, Any]] = []
    place: dict[str, Row] = {}
    for row in rows:
        item = matches.get(id(row))
        if item is None:
            if code not in row.values:
                made = maker.make(row.values.get(kind.roles.category))
                if made is not None:
                    row.values[code] = made
            place[f"/derive/add/{len(add)}"] = row
            add.append({"item": ordered(kind, row.values), "reason": PLACEHOLDER})
            continue
        row.values[code] = item.code
        changed = {
            k: v
            for k, v in row.values.items()
            if k in fields and k != code and not same(k, v, item.values.get(k))
        }
        if changed:
            place[f"/derive/modify/{len(modify)}"] = row
            modify.append({"code": item.code, "set": ordered(kind, changed), "reason": PLACEHOLDER})
    used = {item.code for item in matches.values()}
    omit = [{"code": i.code, "reason": PLACEHOLDER} for i in base.items if i.code not in used]
    spec: dict[str, Any] = {"from": base_unit}
    spec.update({k: v for k, v in (("modify", modify), ("add", add), ("omit", omit)) if v})
    data = {"kind": kind.name, "unit": unit, "derive": spec}
    return Derived(data, place, len(modify) + len(add) + len(omit))


class _Sameness:
    """Whether a workbook value says what the base value says: the same department under
    another registered name (区应急管理局 = 区应急局), or a category the base item's category
    belongs to (a workbook names 应急管理 where the list has its sub-category 安全生产)."""

    def __init__(self, listset: ListSet, kind: Kind) -> None:
        self.registry = listset.departments
        self.tree = listset.categories.get(kind.name)
        self.category = kind.roles.category
        self.departments = {
            str(r.path[0])
            for r in kind.item.ref_fields
            if len(r.path) == 1 and r.target == "department"
        }

    def __call__(self, name: str, value: Any, base: Any) -> bool:
        if value == base:
            return True
        if not isinstance(value, str) or not isinstance(base, str):
            return False
        if name == self.category and self.tree is not None:
            node = self.tree.nodes.get(base)
            return node is not None and node.parent == value
        if name in self.departments and self.registry is not None:
            dept = self.registry.get(value)
            return dept is not None and dept is self.registry.get(base)
        return False


def _base_list(workspace: Workspace, listset: ListSet, kind: Kind, unit: str) -> ResolvedList:
    """``unit``'s list of ``kind`` in the set or, failing that, in its bases."""
    registry = listset.departments
    wanted = registry.get(unit) if registry else None
    for where in (listset, *workspace.bases(listset)):
        for found in workspace.lists(where):
            if found.kind is None or found.kind.name != kind.name:
                continue
            same = found.unit == unit or (
                wanted is not None and registry is not None and registry.get(found.unit) is wanted
            )
            if same:
                return found
    raise QingdanError(
        f"找不到“{unit}”的{kind.title}：--derive-from 要写本清单集或上级清单集中已有清单的单位，"
        "例如 --derive-from 锦川市青岚区。"
    )


def _matched(kind: Kind, items: list[Item], rows: Iterable[Row]) -> dict[int, Item]:
    """Row (by id) → the base item it is: same code first, then the most similar name."""
    code, name = kind.roles.code, kind.roles.name
    by_code = {i.code: i for i in items}
    matches: dict[int, Item] = {}
    free = dict(by_code)
    pending = []
    for row in rows:
        item = by_code.get(str(row.values.get(code, "")))
        if item is not None and item.code in free:
            matches[id(row)] = free.pop(item.code)
        else:
            pending.append(row)
    for row in pending:
        text = str(row.values.get(name, ""))
        scored = [
            (difflib.SequenceMatcher(None, text, i.name, autojunk=False).ratio(), c)
            for c, i in free.items()
        ]
        best = max(scored, default=(0.0, ""))
        if best[0] >= SIMILAR:
            matches[id(row)] = free.pop(best[1])
    return matches
