"""Chinese titles of kinds, fields, categories and units, from a list set's kinds and registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qingdan.config import DEFAULT_PRESET
from qingdan.kinds import Kind, available_kinds, load_kind, preset_dir
from qingdan.present.values import render
from qingdan.registry import CategoryTree

if TYPE_CHECKING:
    from qingdan.listset import ListSet


class Vocabulary:
    """Chinese titles of kinds and fields, and field order, from the kinds' schemas."""

    def __init__(
        self,
        kinds: dict[str, Kind],
        unit_label: Callable[[str], str] = str,
        categories: dict[str, CategoryTree] | None = None,
    ) -> None:
        self.kinds = kinds
        self.unit_label = unit_label
        self.categories = categories or {}

    def text(self, kind: str, key: str, value: Any) -> str:
        """A field's value as a person reads it; a category code gets its name (0102 防灾减灾)."""
        tree = self.categories.get(kind)
        if tree is not None and isinstance(value, str) and self._is_category(kind, key):
            node = tree.resolve(value)
            if node is not None and not isinstance(node, list) and node.code == value:
                return f"{value} {node.name}"
        return render(value, lambda path: self.leaf(kind, path), (key,))

    def kind_title(self, kind: str) -> str:
        found = self.kinds.get(kind)
        return found.title if found else kind

    def title(self, kind: str, path: Iterable[str | int]) -> str:
        found = self.kinds.get(kind)
        path = list(path)
        return found.item.field_title(path) if found else ".".join(map(str, path))

    def _is_category(self, kind: str, key: str) -> bool:
        found = self.kinds.get(kind)
        refs = found.item.ref_fields if found else ()
        return any(r.path == (key,) and r.target == "category" for r in refs)

    def leaf(self, kind: str, path: tuple[str, ...]) -> str:
        """The title of one sub-field, without the enclosing list's title."""
        found = self.kinds.get(kind)
        return found.item.title(path) if found else path[-1]

    def order(self, kind: str, keys: Iterable[str]) -> list[str]:
        found = self.kinds.get(kind)
        known = [c.field for c in found.columns] if found else []
        if found:
            known += [f for f in found.item.property_names(()) if f not in known]
        rank = {k: i for i, k in enumerate(known)}
        return sorted(set(keys), key=lambda k: (rank.get(k, len(rank)), k))


def vocabulary(listset: ListSet | None) -> Vocabulary:
    """Titles from the list set's kinds, or from the built-in preset outside any list set."""
    if listset is not None and listset.kinds:
        registry = listset.departments

        def label(unit: str) -> str:
            dept = registry.get(unit) if registry else None
            return dept.label if dept else unit

        return Vocabulary(listset.kinds, label, listset.categories)
    folder = preset_dir(DEFAULT_PRESET, Path.cwd())
    return Vocabulary({name: load_kind(folder, name) for name in available_kinds(folder)})
