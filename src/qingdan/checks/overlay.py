"""Overlay values get the checks list values get, at their own lines.

A derived list's ``set`` and ``add`` values become item values, so they must meet the item
schema's rules about YAML types (``phone: 08386212345`` unquoted) exactly as a plain list does;
``reason`` and ``document`` are text a person reads in the printed list and the change log, so
text hygiene applies to them too. Values the resolved items carry are checked there; these checks
cover what only the overlay's own text can show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qingdan.checks import text
from qingdan.checks.schema import implicit_findings, item_code, pointer
from qingdan.findings import Finding
from qingdan.kinds import Kind
from qingdan.messages import finding
from qingdan.schemas import PathPart, Schema, builtin
from qingdan.yamldoc import YamlDocument

_ITEM_VALUES = {"modify": "set", "add": "item"}
"""Where an operation holds item values: ``derive/modify/j/set/…``, ``derive/add/j/item/…``."""
_NOTES = ("reason", "document")
"""An operation's own text fields."""
PLACEHOLDER = "待填写"
"""What qingdan leaves where only the user can write the text: the reasons of a derived list
written by ``import xlsx --derive-from``, the fields of a ``check --draft`` change record."""
_OPS = {"modify": "修改", "add": "增加", "omit": "不采用"}


def overlay_findings(doc: YamlDocument, kind: Kind) -> list[Finding]:
    """Implicit YAML types and text hygiene in a derived list file's own text.

    On the fast path (no nodes) only hygiene can be seen; any hit sends the file down the
    located path, where both checks run with lines.
    """
    if not isinstance(doc.data, dict):
        return []
    derive_schema = builtin("derive")

    def schema_at(path: tuple[PathPart, ...]) -> tuple[Schema, tuple[PathPart, ...]]:
        inner = _item_path(path)
        return (kind.item, inner) if inner is not None else (derive_schema, path)

    def title(path: tuple[PathPart, ...]) -> str:
        inner = _item_path(path)
        return kind.item.field_title(inner) if inner is not None else derive_schema.title(path)

    found = implicit_findings(doc, derive_schema, title, schema_at) if doc.root else []
    return found + _note_hygiene(doc, title) + _placeholders(doc)


def _placeholders(doc: YamlDocument) -> list[Finding]:
    """Reasons still reading 待填写: the list is not finished until each says why."""
    spec = doc.data.get("derive")
    found = []
    for op, word in _OPS.items():
        entries = spec.get(op) if isinstance(spec, dict) else None
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            if isinstance(entry, dict) and entry.get("reason") == PLACEHOLDER:
                where = ("derive", op, index, "reason")
                found.append(
                    finding(
                        "derive.reason-placeholder",
                        doc.location(where),
                        item=item_code(doc.data, where),
                        path=pointer(where),
                        op=word,
                        placeholder=PLACEHOLDER,
                    )
                )
    return found


def _item_path(path: tuple[PathPart, ...]) -> tuple[PathPart, ...] | None:
    """The path inside the item for a value an operation sets, else None."""
    if len(path) >= 4 and path[0] == "derive" and _ITEM_VALUES.get(str(path[1])) == path[3]:
        return path[4:]
    return None


def _note_hygiene(doc: YamlDocument, title: Callable[[tuple[PathPart, ...]], str]) -> list[Finding]:
    """Text hygiene in each operation's reason and document."""
    spec = doc.data.get("derive")
    if not isinstance(spec, dict):
        return []
    notes: list[tuple[int, Any]] = []
    places: list[tuple[PathPart, ...]] = []
    for op in ("modify", "add", "omit"):
        entries = spec.get(op)
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            kept = {
                k: entry[k]
                for k in _NOTES
                if isinstance(entry, dict) and isinstance(entry.get(k), str)
            }
            if kept:
                notes.append((len(places), kept))
                places.append(("derive", op, index))
    found = []
    for hit in text.scan(notes):
        place = places[int(hit.path[1])]
        where = (*place, *hit.path[2:])
        found.append(
            finding(
                hit.code,
                doc.location(where),
                item=item_code(doc.data, where),
                field=title(where),
                path=pointer(where),
                **hit.values,
            )
        )
    return found
