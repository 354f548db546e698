"""What a department answers for: every item that names it, as 牵头, 主体 or 配合.

Residents and staff ask "找谁" (DOMAIN.md); a department asks the reverse, "what is ours". Both
``qingdan who``, the book's department index and the site's department pages read it here.

Who answers for an item comes from the kinds, not from field names: in a kind whose metadata
splits responsibility (``x-qingdan.territorial``) its lead field names the 牵头 department and its
main field the 主体 ones, and every other department reference is 配合; in other kinds a reference
to one department names who carries the item (主体) and a list of departments those who work with
it (配合). Department references are the schema's ``x-ref: department`` places.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from qingdan.checks.rules import values_at
from qingdan.findings import Severity

if TYPE_CHECKING:
    from qingdan.kinds import Kind
    from qingdan.model import Item, ResolvedList
    from qingdan.present.vocabulary import Vocabulary
    from qingdan.registry import Department, Departments


class Duty(StrEnum):
    """What a department answers for in an item, strongest first."""

    LEAD = "牵头"
    MAIN = "主体"
    COOPERATE = "配合"


_RANK = {duty: rank for rank, duty in enumerate(Duty)}


@dataclass(frozen=True, slots=True)
class Answer:
    """One department an item names, in its strongest duty there."""

    department: str
    """As the item writes it (a code or a registered name)."""
    duty: Duty
    detail: str
    """What the item says the department does there (a party's 职责), empty where it says none."""


def answers(kind: Kind, item: Item) -> list[Answer]:
    """Every department ``item`` names, once per name as written, in its strongest duty."""
    split = kind.territorial or {}
    lead, main = split.get("lead"), split.get("main")
    values = item.values
    out: dict[str, Answer] = {}
    for ref in kind.item.ref_fields:
        if ref.target != "department":
            continue
        head = ref.path[0]
        if head in kind.answers:  # the preset says in which role this field names departments
            duty = Duty(kind.answers[head])
        elif split:
            duty = Duty.LEAD if head == lead else Duty.MAIN if head == main else Duty.COOPERATE
        else:
            duty = Duty.COOPERATE if "*" in ref.path else Duty.MAIN
        found = values_at(dict(values), ref.path)
        several = [(w, v) for w, many in found if isinstance(many, list) for v in many]
        for where, value in found + several:  # a field may name one party or several
            if not isinstance(value, str) or not value:
                continue
            known = out.get(value)
            detail = _detail(values, where)
            if known is None:
                out[value] = Answer(value, duty, detail)
            elif _RANK[duty] < _RANK[known.duty] or not known.detail:
                # the strongest duty, and what the item says the department does wherever it
                # says it (a 牵头 department's own work is written where it is named 主体)
                strongest = min(duty, known.duty, key=_RANK.__getitem__)
                out[value] = Answer(value, strongest, known.detail or detail)
    return list(out.values())


def _detail(values: Any, where: tuple[Any, ...]) -> str:
    """The other texts of the entry a department is named in ("department" beside "duty"):
    what the item says that department does, whatever the kind calls the field."""
    if len(where) < 2:
        return ""
    entry = values
    for part in where[:-1]:
        entry = entry[part]
    if not isinstance(entry, dict):
        return ""
    own = where[-1]
    return "；".join(v for k, v in entry.items() if k != own and isinstance(v, str) and v)


@dataclass(frozen=True, slots=True)
class Charge:
    """One item a department answers for."""

    duty: Duty
    code: str
    name: str
    category: str
    """The item's category as people name it (防灾减灾), its code where the tree lacks it."""
    detail: str
    index: int
    """The item's place in its list (what ``ResolvedList.location`` takes)."""


@dataclass(frozen=True, slots=True)
class ListCharges:
    """The items of one list a department answers for in one duty."""

    kind: str
    title: str
    """The kind's title: 属地管理事项清单."""
    display: str
    """The list file, as shown."""
    charges: tuple[Charge, ...]


@dataclass(frozen=True, slots=True)
class UnitCharges:
    unit: str
    """The township (or district) as people name it."""
    lists: tuple[ListCharges, ...]

    @property
    def count(self) -> int:
        return sum(len(listed.charges) for listed in self.lists)


@dataclass(frozen=True, slots=True)
class DutyCharges:
    duty: Duty
    units: tuple[UnitCharges, ...]

    @property
    def count(self) -> int:
        return sum(unit.count for unit in self.units)


@dataclass(frozen=True, slots=True)
class Duties:
    """Everything one department answers for: per duty (牵头, 主体, 配合, each present, maybe
    empty), per unit in list file order, per list, items in list order."""

    department: Department
    groups: tuple[DutyCharges, ...]
    skipped: tuple[str, ...]
    """Lists of a kind the set does not have: not read for it."""
    faulty: tuple[str, ...]
    """Lists with errors (validate lists them): what they say may be incomplete."""

    @property
    def count(self) -> int:
        """Items the department answers for (an item it holds two duties in counts once)."""
        return sum(group.count for group in self.groups)


@dataclass(frozen=True, slots=True)
class InList:
    """What one department answers for in one list: what ``who`` caches per list file."""

    display: str
    unit: str
    """As the file writes it."""
    label: str
    """The unit as people name it."""
    kind: str
    """Empty for a kind the set does not have."""
    title: str
    faulty: bool
    charges: tuple[Charge, ...]


def in_list(
    department: Department, listed: ResolvedList, registry: Departments, words: Vocabulary
) -> InList:
    """What ``department`` answers for in ``listed``: the items that name it by any name the
    registry has for it."""
    kind = listed.kind
    faulty = any(f.severity is Severity.ERROR for f in listed.findings)
    label = words.unit_label(listed.unit)
    if kind is None:
        return InList(listed.display, listed.unit, label, "", "", faulty, ())
    mine: dict[str, bool] = {}

    def is_mine(name: str) -> bool:
        known = mine.get(name)
        if known is None:
            dept = registry.get(name)
            known = mine[name] = dept is not None and dept.code == department.code
        return known

    charges = []
    tree = words.categories.get(kind.name)
    for index, item in enumerate(listed.items):
        named = [a for a in answers(kind, item) if is_mine(a.department)]
        if not named:
            continue
        duty = min((a.duty for a in named), key=_RANK.__getitem__)
        detail = next((a.detail for a in named if a.detail), "")
        category = _category_name(tree, item.category)
        charges.append(Charge(duty, item.code, item.name, category, detail, index))
    return InList(listed.display, listed.unit, label, kind.name, kind.title, faulty, tuple(charges))


def duties_of(
    department: Department,
    lists: Iterable[ResolvedList],
    registry: Departments,
    words: Vocabulary,
    unit: Department | None = None,
) -> Duties:
    """What ``department`` answers for in ``lists`` (only ``unit``'s lists when given)."""
    return grouped(
        department,
        (in_list(department, listed, registry, words) for listed in lists),
        registry,
        unit,
    )


def grouped(
    department: Department,
    lists: Iterable[InList],
    registry: Departments,
    unit: Department | None = None,
) -> Duties:
    """One department's charges per list, grouped by duty, then unit (in list file order)."""
    found: dict[Duty, dict[str, list[ListCharges]]] = {duty: {} for duty in Duty}
    skipped: list[str] = []
    faulty: list[str] = []
    for listed in lists:
        if unit is not None and not _same_unit(listed.unit, unit, registry):
            continue
        if listed.faulty:
            faulty.append(listed.display)
        elif not listed.kind:
            skipped.append(listed.display)
        per_duty: dict[Duty, list[Charge]] = {}
        for charge in listed.charges:
            per_duty.setdefault(charge.duty, []).append(charge)
        for duty, charges in per_duty.items():
            entry = ListCharges(listed.kind, listed.title, listed.display, tuple(charges))
            found[duty].setdefault(listed.label, []).append(entry)
    groups = tuple(
        DutyCharges(duty, tuple(UnitCharges(u, tuple(ls)) for u, ls in found[duty].items()))
        for duty in Duty
    )
    return Duties(department, groups, tuple(skipped), tuple(faulty))


def _same_unit(written: str, wanted: Department, registry: Departments) -> bool:
    dept = registry.get(written)
    return dept is not None and dept.code == wanted.code


def _category_name(tree: Any, code: str) -> str:
    node = tree.resolve(code) if tree is not None and code else None
    return node.name if node is not None and not isinstance(node, list) else code


def near(registry: Departments, name: str) -> list[str]:
    """Registered departments a person may have meant by ``name``: close spellings first, then
    those whose names contain it (住建 → 区住房和城乡建设局 is not close, but it is there)."""
    close = registry.suggest(name)
    typed = name.strip()
    if typed:
        close += [
            d.name
            for d in registry.entries
            if any(typed in key for key in (d.name, d.short or "", *d.aliases))
        ]
    return list(dict.fromkeys(close))[:5]
