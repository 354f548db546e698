"""One item through the levels: the city catalog's text, what the district changed, what the
township has, field by field, with each change's reason and document and where it is written.

A person about to edit one sentence of a township's item needs to know which file holds the text
they see (often the district's or the city's, not the township's own), and whether a higher level
changed a field their level overrides: a district's change the township never sees. Both come
from the item's ``Origin`` chain (derivation writes it); a base edition that changed since a
modification was written comes from the findings derivation makes (``derive.base-changed``)
and, when the base has a newer edition, from ``rebase``'s conflicts. A level that takes the item
unchanged leaves no origin of its own (it passes its base's on), so the levels themselves come
from the list's base files (``ResolvedList.sources``): every level is named, the unchanged ones
as 继承.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qingdan.findings import Location
from qingdan.model import Origin, ResolvedList

if TYPE_CHECKING:
    from qingdan.kinds import Kind
    from qingdan.listset import ListSet
    from qingdan.present.vocabulary import Vocabulary
    from qingdan.schemas import PathPart
    from qingdan.workspace import Workspace

WRITTEN = "原文"
"""How the topmost level's item reads: written whole there (a plain list's item)."""
INHERITED = "继承"
"""How a level that takes the item as its base has it reads."""


@dataclass(frozen=True, slots=True)
class Step:
    """What one level did to the item."""

    unit: str
    """The level, as people name it: 锦川市, 锦川市青岚区, 白鹤镇."""
    display: str
    """Its list file."""
    how: str
    """原文 (a plain list's item), 修改, 新增, or 继承 (the level took it unchanged)."""
    reason: str
    document: str
    location: Location
    """Where the item or the operation is written."""
    fields: tuple[str, ...]
    """The fields this level wrote (every field for 原文 and 新增)."""


@dataclass(frozen=True, slots=True)
class Written:
    """One level's value of one field."""

    unit: str
    how: str
    value: str
    """As a person reads it."""
    location: Location


@dataclass(frozen=True, slots=True)
class Trail:
    """One field through the levels: each value written, top-down; the last is the one in force."""

    field: str
    title: str
    values: tuple[Written, ...]
    overridden: tuple[str, ...]
    """Higher levels whose change of this field a lower level's value replaces."""

    @property
    def current(self) -> Written:
        return self.values[-1]

    @property
    def changed(self) -> bool:
        return len(self.values) > 1


@dataclass(frozen=True, slots=True)
class Note:
    """A change higher up since this level's modification was written."""

    message: str
    location: Location


@dataclass(frozen=True, slots=True)
class Lineage:
    code: str
    name: str
    kind: str
    title: str
    """The kind's title."""
    unit: str
    display: str
    steps: tuple[Step, ...]
    """Top-down: the city catalog first, the list's own level last."""
    fields: tuple[Trail, ...]
    notes: tuple[Note, ...]


def chain(origin: Origin) -> list[Origin]:
    """The origins behind one resolved item, top level first."""
    found = [origin]
    while found[-1].base is not None:
        base = found[-1].base
        assert base is not None
        found.append(base)
    return found[::-1]


def levels(workspace: Workspace, listset: ListSet, listed: ResolvedList) -> list[ResolvedList]:
    """The lists ``listed`` stands on, top level first (the city catalog, then the district):
    each from the set that holds its file, the nearest such set when sets nest."""
    sets = [listset, *workspace.bases(listset)]
    found = []
    for path in reversed(listed.sources):
        owners = [s for s in sets if path.is_relative_to(s.root.resolve())]
        owner = max(owners, key=lambda s: len(s.root.resolve().parts), default=listset)
        found.append(workspace.resolved_list(owner, path))
    return found


def lineage(
    listed: ResolvedList,
    index: int,
    words: Vocabulary,
    above: Sequence[ResolvedList],
    notes: tuple[Note, ...] = (),
) -> Lineage:
    """Item ``index`` of ``listed`` through its levels; ``above``: the lists it stands on, top
    level first (``levels``); ``notes``: base changes found elsewhere (a newer base edition's
    conflicts), kept where they are in this item's files."""
    kind = listed.kind
    assert kind is not None
    item = listed.items[index]
    written: dict[str, list[Written]] = {}
    acted: dict[str, Step] = {}
    for origin in chain(item.origin):
        step, values = _step(origin, words)
        acted[step.display] = step
        for field, value in values.items():
            where = _field_location(origin, field)
            text = words.text(kind.name, field, value)
            written.setdefault(field, []).append(Written(step.unit, step.how, text, where))
    steps = _levels(acted, [*above, listed], words)
    trails = tuple(_trail(kind, field, written[field]) for field in _order(kind, written))
    files = {step.display for step in steps}
    stale = tuple(
        Note(f.message, f.location)
        for f in listed.findings
        if f.code == "derive.base-changed" and f.item == item.code
    )
    return Lineage(
        item.code,
        item.name,
        kind.name,
        kind.title,
        words.unit_label(listed.unit),
        listed.display,
        tuple(steps),
        trails,
        stale + tuple(note for note in notes if note.location.file in files),
    )


def _levels(acted: dict[str, Step], lists: list[ResolvedList], words: Vocabulary) -> list[Step]:
    """A step per level from the one the item is first written at down to the list's own: the
    step of each level that wrote something (``acted``, by file), 继承 for each other one, at
    its ``derive`` (where it names its base)."""
    first = next(iter(acted))
    start = next((k for k, listed in enumerate(lists) if listed.display == first), 0)
    steps = []
    for listed in lists[start:]:
        step = acted.pop(listed.display, None)
        if step is None:
            at = listed.document.location(("derive", "from"))
            unit = words.unit_label(listed.unit)
            step = Step(unit, listed.display, INHERITED, "", "", at, ())
        steps.append(step)
    # a level whose file is none of ``lists`` (``above`` left out) is still shown, first
    return [*acted.values(), *steps]


def _step(origin: Origin, words: Vocabulary) -> tuple[Step, Mapping[str, Any]]:
    """One level's step, and the field values it wrote."""
    doc, path = origin.doc, origin.path
    data = doc.data if isinstance(doc.data, dict) else {}
    unit = words.unit_label(str(data.get("unit") or ""))
    if path[:2] == ("derive", "modify"):
        entry = _at(data, path)
        values = entry.get("set") or {}
        how = "修改"
    elif path[:2] == ("derive", "add"):
        entry = _at(data, path[:-1])
        values = entry.get("item") or {}
        how = "新增"
    else:
        entry, values, how = {}, _at(data, path), WRITTEN
    reason, document = str(entry.get("reason") or ""), str(entry.get("document") or "")
    location = doc.location(path)
    return Step(unit, doc.display, how, reason, document, location, tuple(values)), values


def _at(data: Any, path: tuple[PathPart, ...]) -> dict[str, Any]:
    for part in path:
        data = data[part]
    return data if isinstance(data, dict) else {}


def _field_location(origin: Origin, field: str) -> Location:
    if origin.path[:2] == ("derive", "modify"):
        return origin.doc.location((*origin.path, "set", field))
    return origin.doc.location((*origin.path, field))


def _order(kind: Kind, written: Mapping[str, list[Written]]) -> list[str]:
    """Fields in the kind's column order, then the rest of its schema's."""
    known = [c.field for c in kind.columns]
    known += [f for f in kind.item.property_names(()) if f not in known]
    rank = {f: i for i, f in enumerate(known)}
    return sorted(written, key=lambda f: (rank.get(f, len(rank)), f))


def _trail(kind: Kind, field: str, values: list[Written]) -> Trail:
    overridden = tuple(w.unit for w in values[:-1] if w.how == "修改")
    return Trail(field, kind.item.title((field,)), tuple(values), overridden)


def find(lists: list[ResolvedList], code: str) -> list[tuple[ResolvedList, int]]:
    """Every list holding an item ``code``, with the item's index there."""
    found = []
    for listed in lists:
        if listed.kind is None:
            continue
        for index, item in enumerate(listed.items):
            if item.code == code:
                found.append((listed, index))
                break
    return found


def near_codes(lists: list[ResolvedList], code: str) -> list[str]:
    """Codes of the lists close to ``code``: a digit typed wrong, a letter missing."""
    import difflib  # noqa: PLC0415  (only for a code that is not there)

    codes = {item.code for listed in lists for item in listed.items if item.code}
    typed = code.strip().upper()
    return difflib.get_close_matches(typed, sorted(codes), n=5, cutoff=0.7)
