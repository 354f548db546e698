"""Field values as the text a person reads, and character-level edits between two texts.

Used by the terminal and Markdown reports, the revision table, rebase and the coming exports, so
that a value reads the same wherever it is shown.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_FIELD = re.compile(r"\{(\w+)\}")


def render(value: Any, title: Callable[[tuple[str, ...]], str], path: tuple[str, ...] = ()) -> str:
    """A field value as the text a person reads in a table cell; ``title`` names sub-fields."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(
            f"{title((*path, k))}：{render(v, title, (*path, k))}" for k, v in value.items()
        )
    if isinstance(value, list):
        rows = [render(v, title, (*path, "*")) for v in value]
        if all(not isinstance(v, dict | list) for v in value):
            return "、".join(rows)
        return (
            rows[0] if len(rows) == 1 else "\n".join(f"（{i}）{r}" for i, r in enumerate(rows, 1))
        )
    return str(value)


def fill(template: str, parts: Mapping[str, str]) -> str:
    """``template`` with each ``{field}`` replaced by its text; a ``[…]`` group is left out when
    a field in it is empty, so "{title}[（{number}）]" reads "《条例》" for a basis without 文号."""

    def group(match: re.Match[str]) -> str:
        fields = _FIELD.findall(match.group(1))
        return match.group(1) if all(parts.get(f) for f in fields) else ""

    return _FIELD.sub(lambda m: parts.get(m.group(1), ""), _OPTIONAL.sub(group, template))


def highlight(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level edit of ``old`` into ``new``: ``("=", t)``, ``("-", t)``, ``("+", t)``."""
    ops: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("=", old[i1:i2]))
            continue
        if i2 > i1:
            ops.append(("-", old[i1:i2]))
        if j2 > j1:
            ops.append(("+", new[j1:j2]))
    return ops
