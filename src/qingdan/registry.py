"""The department registry and the category trees: what list items may refer to."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from qingdan.findings import Finding
from qingdan.messages import finding
from qingdan.yamldoc import YamlDocument


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str
    type: str
    short: str | None = None
    aliases: tuple[str, ...] = ()
    covers: str | None = None
    """For a collective party (``type: 统称``: 镇街, 区直有关部门, 村（社区）), the type of unit
    it stands for: published lists give a role to "the townships" or "the county's departments"
    as a whole, and such a name is neither one department nor a made-up one."""

    @property
    def label(self) -> str:
        return self.short or self.name

    @property
    def acts_as(self) -> str:
        """The type the party answers as: a collective party's ``covers``, else its own."""
        return self.covers or self.type


@dataclass(slots=True)
class Departments:
    """Looks a department up by code, full name, short name or alias."""

    entries: list[Department] = field(default_factory=list)
    by_key: dict[str, Department] = field(default_factory=dict)

    def get(self, key: str) -> Department | None:
        return self.by_key.get(key) or self.by_key.get(key.strip())

    def suggest(self, key: str) -> list[str]:
        """Registered names close to ``key``, one per department (its full name)."""
        close = difflib.get_close_matches(key, list(self.by_key), n=6, cutoff=0.8)
        return list(dict.fromkeys(self.by_key[k].name for k in close))[:2]


def load_departments(doc: YamlDocument) -> tuple[Departments, list[Finding]]:
    """Build the registry from a schema-valid document; duplicates are findings."""
    registry = Departments()
    findings: list[Finding] = []
    entries = doc.data.get("departments", []) if isinstance(doc.data, dict) else []
    first_line: dict[str, int] = {}
    for index, raw in enumerate(entries):
        if not isinstance(raw, dict):
            continue
        dept = Department(
            code=str(raw.get("code")),
            name=str(raw.get("name")),
            type=str(raw.get("type")),
            short=raw.get("short"),
            aliases=tuple(raw.get("aliases") or ()),
            covers=raw.get("covers"),
        )
        registry.entries.append(dept)
        for key_name, key in _keys(raw):
            loc = doc.location(("departments", index, key_name))
            if key in registry.by_key and registry.by_key[key] is not dept:
                findings.append(
                    finding(
                        "registry.duplicate",
                        loc,
                        name=key,
                        first=first_line[key],
                        path=f"/departments/{index}/{key_name}",
                    )
                )
                continue
            registry.by_key[key] = dept
            first_line[key] = loc.line
    return registry, findings


def _keys(raw: dict[str, Any]) -> list[tuple[str, str]]:
    keys = [("code", raw.get("code")), ("name", raw.get("name")), ("short", raw.get("short"))]
    keys += [("aliases", a) for a in raw.get("aliases") or ()]
    return [(k, v) for k, v in keys if isinstance(v, str)]


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name: str
    parent: str | None
    order: int


@dataclass(slots=True)
class CategoryTree:
    kind: str
    nodes: dict[str, Category] = field(default_factory=dict)
    by_name: dict[str, list[Category]] = field(default_factory=dict)

    def resolve(self, ref: str) -> Category | list[Category] | None:
        """A category by code or unique name; a list means the name is ambiguous."""
        if ref in self.nodes:
            return self.nodes[ref]
        named = self.by_name.get(ref)
        if not named:
            return None
        return named[0] if len(named) == 1 else named


def load_categories(doc: YamlDocument, kind: str) -> tuple[CategoryTree, list[Finding]]:
    tree = CategoryTree(kind)
    findings: list[Finding] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    first: dict[str, int] = {}
    order = 0

    def add(raw: dict[str, Any], path: tuple[str | int, ...], parent: str | None) -> None:
        nonlocal order
        code, name = str(raw.get("code")), str(raw.get("name"))
        loc = doc.location((*path, "code"))
        if code in tree.nodes:
            pointer = "".join(f"/{p}" for p in (*path, "code"))
            findings.append(
                finding("category.duplicate", loc, code=code, first=first[code], path=pointer)
            )
            return
        order += 1
        node = Category(code, name, parent, order)
        tree.nodes[code] = node
        tree.by_name.setdefault(name, []).append(node)
        first[code] = loc.line
        for j, child in enumerate(raw.get("children") or ()):
            if isinstance(child, dict):
                add(child, (*path, "children", j), code)

    for i, raw in enumerate(data.get("categories") or ()):
        if isinstance(raw, dict):
            add(raw, ("categories", i), None)
    return tree, findings
