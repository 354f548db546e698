"""Field values as the text a person reads, and character-level edits between two texts.

Used by the terminal and Markdown reports, the revision table, rebase and the coming exports, so
that a value reads the same wherever it is shown.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

from qingdan.missing import is_missing
from qingdan.schemas import PathPart, Schema

WORDS = "x-words"
"""On a yes/no property of a schema: the words a table says for yes and for no, e.g.
["必需", "非必需"] for a material's 是否必需 (else 是/否)."""
YES_NO = ("是", "否")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_FIELD = re.compile(r"\{(\w+)\}")


def render(value: Any, title: Callable[[tuple[str, ...]], str], path: tuple[str, ...] = ()) -> str:
    """A field value as the text a person reads in a table cell; ``title`` names sub-fields.
    A marked-missing value (``{待补充: …}``) is a blank cell: the sheet shows what is known,
    and ``validate`` and ``stats`` say what is still to be filled in."""
    if value is None or is_missing(value):
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


@functools.lru_cache(maxsize=256)
def yes_no(schema: Schema, path: tuple[PathPart, ...]) -> tuple[str, str]:
    """The words a yes/no at ``path`` of ``schema`` reads as: its ``x-words``, else 是/否."""
    found = Schema.keyword(schema.at(path), WORDS)
    if isinstance(found, list) and len(found) == 2 and all(isinstance(w, str) for w in found):
        return found[0], found[1]
    return YES_NO


def fill(template: str, parts: Mapping[str, str]) -> str:
    """``template`` with each ``{field}`` replaced by its text; a ``[…]`` group is left out when
    a field in it is empty, so "{title}[（{number}）]" reads "《条例》" for a basis without 文号."""
    known = _Parts(parts)
    return "".join(
        text.format_map(known)
        for text, fields, optional in segments(template)
        if not optional or all(parts.get(f) for f in fields)
    )


class _Parts(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


@functools.lru_cache(maxsize=256)
def segments(template: str) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    """A template as its plain and optional (``[…]``) pieces, each with the fields it names:
    parsed once per template, as a table fills the same few thousands of times (and as
    ``importing.texts`` reads cells back through it)."""
    pieces, start = [], 0
    for match in _OPTIONAL.finditer(template):
        pieces.append((template[start : match.start()], False))
        pieces.append((match.group(1), True))
        start = match.end()
    pieces.append((template[start:], False))
    return tuple((text, tuple(_FIELD.findall(text)), optional) for text, optional in pieces if text)


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
