"""The item model: what a list is made of once it is read, whichever way it was written.

A list file is either plain (``items:``) or derived (``derive:``, DOMAIN.md §5); either way a
command works on a ``ResolvedList``: frozen ``Item``s whose identity (code, name, category) is
read through the kind's declared roles, each with the ``Origin`` that says which file and line
wrote it and at which level. ``derivation`` builds these; checks, diff and exporters read them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from yaml.nodes import Node

from qingdan.findings import Finding, Location
from qingdan.kinds import Kind, Roles
from qingdan.schemas import PathPart
from qingdan.yamldoc import YamlDocument

Source = Literal["本级", "继承", "修改", "新增"]
"""本级: written in the list itself (a plain list); the others as a derived list has them."""


def is_derived(data: Any) -> bool:
    return isinstance(data, dict) and "derive" in data and "items" not in data


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one resolved item came from."""

    source: Source
    doc: YamlDocument
    """The file whose text produced the item (the overlay, or the base file)."""
    path: tuple[PathPart, ...]
    """The item's path in that file: ``items/k``, ``derive/add/j/item`` or ``derive/modify/j``."""
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """For modified items: field → (base value, local value)."""
    reason: str = ""
    base: Origin | None = None
    """For modified items: where the unmodified item came from."""


@dataclass(frozen=True, slots=True)
class Omitted:
    code: str
    name: str
    reason: str
    category: str


@dataclass(eq=False)
class Resolved:
    kind: str
    unit: str
    items: list[dict[str, Any]] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    omitted: list[Omitted] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    base: str = ""
    """The base list, as people name it: 锦川市 职责任务清单（2026年版）."""
    sources: list[Path] = field(default_factory=list)
    """Every file the items stand on: the base list, its own base, and so on up the chain; what a
    cached result of this list depends on besides its own text."""

    @property
    def data(self) -> dict[str, Any]:
        return {"kind": self.kind, "unit": self.unit, "items": self.items}

    def tally(self, local_fields: frozenset[str], category: str) -> list[tuple[str, str, int]]:
        """(category code, how, count) of the list as offices count it: 继承, 填写本地信息 (a
        modification of the unit's own contact fields only), 修改, 新增, 不采用."""
        counts: Counter[tuple[str, str]] = Counter()
        for item, origin in zip(self.items, self.origins, strict=True):
            how: str = origin.source
            if how == "修改" and origin.fields and set(origin.fields) <= local_fields:
                how = "填写本地信息"
            counts[(text(item.get(category)), how)] += 1
        for left_out in self.omitted:
            counts[(left_out.category, "不采用")] += 1
        return [(category, how, n) for (category, how), n in counts.items()]


class ResolvedDocument(YamlDocument):
    """Resolved data whose locations are those of the operations and base items behind it."""

    __slots__ = ("origins", "overlay")

    def __init__(self, display: str, resolved: Resolved, overlay: YamlDocument) -> None:
        super().__init__(display, data=resolved.data)
        self.origins = resolved.origins
        self.overlay = overlay
        self.root = overlay.root

    def location(self, path: Any, *, key: bool = False) -> Location:
        path = tuple(path)
        if len(path) < 2 or path[0] != "items" or not isinstance(path[1], int):
            where = ("derive", "from") if path[:1] == ("items",) else path
            return self.overlay.location(where, key=key)
        doc, where = _source_of(self.origins[path[1]], path[2:])
        return doc.location(where, key=key)

    def node_at(self, path: Any) -> Node | None:
        """The node an item field was written as, in the file it was written in."""
        path = tuple(path)
        if len(path) < 2 or path[0] != "items" or not isinstance(path[1], int):
            return self.overlay.node_at(path)
        doc, where = _source_of(self.origins[path[1]], path[2:])
        return doc.node_at(where)

    @property
    def ok(self) -> bool:
        return True

    @property
    def locatable(self) -> bool:
        return self.overlay.locatable


def _source_of(
    origin: Origin, rest: tuple[PathPart, ...]
) -> tuple[YamlDocument, tuple[PathPart, ...]]:
    """The document and path an item field of a resolved list was written at."""
    if origin.source == "修改":
        if rest and rest[0] in origin.fields:
            return origin.doc, (*origin.path, "set", *rest)
        if origin.base is not None:
            return _source_of(origin.base, rest)
    return origin.doc, (*origin.path, *rest)


def text(value: Any) -> str:
    """A value that should be a string, as one (anything else reads as empty)."""
    return value if isinstance(value, str) else ""


@dataclass(frozen=True, slots=True)
class Item:
    """One item of a resolved list: its values (read-only), and where they came from."""

    values: Mapping[str, Any]
    origin: Origin
    roles: Roles

    @property
    def code(self) -> str:
        return text(self.values.get(self.roles.code))

    @property
    def name(self) -> str:
        return text(self.values.get(self.roles.name))

    @property
    def category(self) -> str:
        return text(self.values.get(self.roles.category))

    @property
    def source(self) -> Source:
        return self.origin.source


@dataclass(frozen=True, slots=True)
class ResolvedList:
    """One list file as every command sees it: plain or derived, its items resolved."""

    path: Path
    display: str
    kind: Kind | None
    """None when the file names a kind the set does not have (validate reports it)."""
    unit: str
    """As the file writes it."""
    items: tuple[Item, ...]
    omitted: tuple[Omitted, ...]
    findings: tuple[Finding, ...]
    document: YamlDocument
    """Located where the file was parsed with lines: ``location`` goes through it."""
    derived: bool
    base: str = ""
    """For a derived list, its base as people name it: 锦川市 职责任务清单（2026年版）."""
    sources: tuple[Path, ...] = ()
    """For a derived list, every file its items stand on up the chain (``Resolved.sources``)."""

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def location(self, index: int, *fields: PathPart) -> Location:
        """Where field ``fields`` of item ``index`` is written (the operation or the base line
        for a derived list)."""
        return self.document.location(("items", index, *fields))


def items_of(
    data: Any, origins: list[Origin] | None, doc: YamlDocument, roles: Roles
) -> tuple[Item, ...]:
    """A list's item mappings as frozen ``Item``s; plain lists get their own origins."""
    values = data.get("items") if isinstance(data, dict) else None
    if not isinstance(values, list):
        return ()
    if origins is None:
        origins = [Origin("本级", doc, ("items", k)) for k in range(len(values))]
    return tuple(
        Item(MappingProxyType(value), origin, roles)
        for value, origin in zip(values, origins, strict=True)
        if isinstance(value, dict)
    )
