"""Cell texts read back through the kind's text templates (``x-qingdan.texts``).

An export writes a 申请材料 as ``1.医疗救助申请表（原件）1份（必需）`` by the kind's template
``[{n}.]{name}[（{form}）][（{medium}）][{copies}份][（{required}）][（限{condition}）]…``. The
template is the convention both ways: turned into a pattern here, each ``{field}`` matching what
the schema lets it hold — one of its choices, digits for a number, the schema's words for a
yes/no (``x-words``), any text for a text — so that a cell reads back as the entry it was
printed from. A text placeholder is best set off by marks of its own in the template (``限…``,
``备注：…``): the choices and numbers then tell the parts apart.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from qingdan.present.values import segments, yes_no
from qingdan.schemas import PathPart, Schema

NUMBER_FIELD = "n"
"""The entry's number when a cell has several (``[{n}.]``), never a property."""
PLAIN_FIELD = "value"
"""A plain entry (``[{n}.]{value}``): the entry is the text itself."""


@dataclass(frozen=True, slots=True)
class Reader:
    """One template as a pattern over a whole entry's text, and how each part is read."""

    pattern: re.Pattern[str]
    kinds: dict[str, str]
    """Per property: "integer", "boolean" or "text" (a choice is a text)."""
    words: dict[str, tuple[str, str]]

    def read(self, text: str) -> dict[str, Any] | None:
        """The entry ``text`` was written from, or None if the template cannot have made it."""
        match = self.pattern.fullmatch(text.strip())
        if match is None:
            return None
        entry: dict[str, Any] = {}
        for name, part in match.groupdict().items():
            if part is None or name == NUMBER_FIELD:
                continue
            kind = self.kinds[name]
            if kind == "integer":
                entry[name] = int(part)
            elif kind == "boolean":
                entry[name] = part == self.words[name][0]
            else:
                entry[name] = part.strip()
        return entry


@functools.cache
def reader(template: str, schema: Schema, path: tuple[PathPart, ...]) -> Reader | None:
    """The reader of entries at ``path`` written by ``template``; None for a template of plain
    entries, which are read as the texts they are."""
    pattern: list[str] = []
    kinds: dict[str, str] = {}
    found_words: dict[str, tuple[str, str]] = {}
    for text, fields, optional in segments(template):
        if PLAIN_FIELD in fields:
            return None
        piece = "".join(
            _part(chunk, schema, path, kinds, found_words)
            for chunk in re.split(r"(\{\w+\})", text)
            if chunk
        )
        pattern.append(f"(?:{piece})?" if optional else piece)
    return Reader(re.compile("".join(pattern), re.DOTALL), kinds, found_words)


def _part(
    chunk: str,
    schema: Schema,
    path: tuple[PathPart, ...],
    kinds: dict[str, str],
    found_words: dict[str, tuple[str, str]],
) -> str:
    """The pattern of one piece of a template: a ``{field}`` or literal text."""
    field = re.fullmatch(r"\{(\w+)\}", chunk)
    if field is None:
        return re.escape(chunk)
    name = field.group(1)
    if name == NUMBER_FIELD:
        return rf"(?P<{name}>\d{{1,3}})"
    chain = schema.at((*path, name))
    choices = Schema.keyword(chain, "enum")
    kind = Schema.keyword(chain, "type")
    if kind == "integer":
        kinds[name] = "integer"
        return rf"(?P<{name}>\d+)"
    if kind == "boolean":
        kinds[name] = "boolean"
        found_words[name] = yes_no(schema, (*path, name))
        return f"(?P<{name}>{'|'.join(map(re.escape, found_words[name]))})"
    kinds[name] = "text"
    if isinstance(choices, list):
        options = sorted((str(c) for c in choices), key=len, reverse=True)
        return f"(?P<{name}>{'|'.join(map(re.escape, options))})"
    return rf"(?P<{name}>.+?)"
