"""A list file's items as text pieces, so versions can be compared without parsing what is equal.

Between two versions of a list most items are byte-for-byte the same. Splitting the ``items``
sequence at its entry lines lets the diff set identical pieces aside and parse only the rest, one
piece at a time. Only plainly written files are split; anything unusual (flow style, anchors,
block scalars, keys after ``items``) gets ``None`` and is parsed whole by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml_rs

from qingdan.fastyaml import plain
from qingdan.source import Source

_ITEMS = re.compile(r"^items:[ \t]*(?:#.*)?$", re.MULTILINE)
_FIRST = re.compile(r"^( *)(?:-(?=[ \r\n])|[^ \r\n#])", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    line: int
    """1-based line of the piece's ``-``."""


@dataclass(frozen=True, slots=True)
class Split:
    head: dict[str, Any]
    """The file's fields other than ``items`` (kind, unit …)."""
    pieces: list[Piece]


def split(source: Source) -> Split | None:
    """Header fields and item pieces, or None when the file is not plainly written."""
    if not plain(source):
        return None
    text = source.text
    found = list(_ITEMS.finditer(text))
    if len(found) != 1:
        return None
    start = found[0].end()
    head = _parse(text[:start])
    if not isinstance(head, dict) or head.get("items") is not None:
        return None
    first = _FIRST.search(text, start)
    if first is None:
        return Split(head, [])
    if not text.startswith("-", first.end(1)):
        return None
    indent = len(first.group(1))
    stray = re.compile(rf"^(?! {{{indent + 1}}}| {{{indent}}}-(?=[ \r\n])| *(?:#|\r?$))", re.M)
    if stray.search(text, first.start()):
        return None
    head.pop("items", None)
    return Split(head, _pieces(text, first.start(), indent, text.count("\n", 0, first.start())))


def _pieces(text: str, start: int, indent: int, line: int) -> list[Piece]:
    """Pieces from each entry line to the next; ``line`` counts the lines before ``start``."""
    body = text[start:]
    starts = [m.start() for m in re.finditer(rf"^ {{{indent}}}-(?=[ \r\n])", body, re.M)]
    pieces, at, line = [], 0, line + 1
    for begin, end in zip(starts, [*starts[1:], len(body)], strict=True):
        line += body.count("\n", at, begin)
        at = begin
        pieces.append(Piece(body[begin:end], line))
    return pieces


def parse_piece(piece: Piece) -> dict[str, Any] | None:
    """The item a piece holds, or None when it does not hold exactly one mapping."""
    value = _parse("items:\n" + piece.text)
    if not isinstance(value, dict):
        return None
    items = value.get("items")
    if isinstance(items, list) and len(items) == 1 and isinstance(items[0], dict):
        return items[0]
    return None


def _parse(text: str) -> Any:
    try:
        return yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001  (whatever yaml-rs dislikes is parsed whole, with locations)
        return None
