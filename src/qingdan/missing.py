"""Marked-missing values: a field whose value the source did not publish, or the office has yet
to fill in, written ``phone: {待补充: 向民政办核实}`` or ``phone: {原文未载: ""}``.

One notation for every field of every kind: a map with exactly one reserved key (``待补充`` or
``原文未载``) whose value is a note. A map, not a reserved text, because a text such as "待补充"
would be a valid 受理条件 and could not be told from a real one, and because numbers, yes/no
values, lists and enums have no text to reserve; no field of a list holds a map with these keys.

The kind's schema is widened where it is loaded (``allow``): every field of every object it
defines first asks "is this a marker?", so the schema stays the one judge of a value and no
rule needs to know which fields may be missing. Fields that say what an item *is* (its code,
name and category, ``x-qingdan.roles``) cannot be marked: without them there is no item.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

KEYS = ("待补充", "原文未载")
"""待补充: the office will fill it in; 原文未载: the published source does not say."""

WRAPPER = "x-missing"
"""Marks a field schema widened by ``allow``; ``Schema.chain`` steps through it to the field."""

DEF = "__missing"

MARKER: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": 1,
    "propertyNames": {"enum": list(KEYS)},
    "additionalProperties": {"type": ["string", "null"]},
}


def is_missing(value: Any) -> bool:
    """True for a marked-missing value (``{待补充: 说明}``)."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key, note = next(iter(value.items()))
    return key in KEYS and (note is None or isinstance(note, str))


def note(value: dict[str, Any]) -> str:
    """The marker's key and note as a person reads them: "待补充（向民政办核实）"."""
    key, text = next(iter(value.items()))
    return f"{key}（{text}）" if text else str(key)


def allow(document: dict[str, Any], exempt: Iterable[str]) -> dict[str, Any]:
    """``document`` (a bundled kind schema) with every field under ``$defs`` accepting a marker;
    the item's ``exempt`` fields (its roles) keep their schema as written."""
    defs = document.get("$defs")
    if not isinstance(defs, dict):
        return document
    kept = frozenset(exempt)
    widened = {
        name: _widen(node, kept if name == "item" else frozenset()) for name, node in defs.items()
    }
    return {**document, "$defs": {**widened, DEF: MARKER}}


def _widen(node: Any, exempt: frozenset[str] = frozenset()) -> Any:
    if isinstance(node, list):
        return [_widen(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _widen(v) for k, v in node.items() if k != "properties"}
    extra = out.get("additionalProperties")
    if isinstance(extra, dict):  # a typed map (``extra``): each of its entries is a field
        out["additionalProperties"] = _wrapped(extra)
    props = node.get("properties")
    if isinstance(props, dict):
        out["properties"] = {
            key: _widen(sub) if key in exempt else _wrapped(_widen(sub))
            for key, sub in props.items()
        }
    return out


def _wrapped(field: Any) -> Any:
    if not isinstance(field, dict):
        return field  # ``true``/``false`` schemas: nothing to widen
    return {WRAPPER: True, "if": {"$ref": f"#/$defs/{DEF}"}, "then": True, "else": field}


def anywhere(values: list[Any]) -> bool:
    """Whether any of ``values`` may hold a marker: one pass of the JSON encoder (in C) over a
    whole list's items, where ``found`` walks each item's 36 nodes in Python (1.3 s of a
    10,000-row import). A reserved word written as a key anywhere answers yes; ``found`` then
    tells markers from other maps."""
    try:
        text = json.dumps(values, ensure_ascii=False, default=str)
    except (TypeError, ValueError):  # keys JSON cannot write: look item by item
        return True
    return any(f'"{key}":' in text for key in KEYS)


def found(
    value: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """The markers in an item with where they are, depth first."""
    if is_missing(value):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from found(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from found(v, (*path, i))
