"""A list file's items as text pieces, so versions can be compared without parsing what is equal.

Between two versions of a list most items are byte-for-byte the same. Splitting the ``items``
sequence at its entry lines lets the diff set identical pieces aside and parse only the rest, one
piece at a time. Only plainly written files are split; anything unusual (flow style, anchors,
block scalars, keys after ``items``) gets ``None`` and is parsed whole by the caller.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

import yaml_rs

from qingdan.fastyaml import DEEP, deep_block, slow_bytes
from qingdan.source import Source

_FIRST = re.compile(r"\n( *)(?=[^ \r\n#])")


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    offset: int
    """Where the piece starts in its file's text (with the leading newline ``split`` adds)."""


@dataclass(frozen=True, slots=True)
class Split:
    head: dict[str, Any]
    """The file's fields other than ``items`` (kind, unit …)."""
    pieces: list[Piece]
    text: str

    def lines(self, pieces: list[Piece]) -> list[int]:
        """1-based lines of pieces (in file order), counted only for the pieces asked about."""
        out, line, at = [], 0, 0
        for piece in pieces:
            line += self.text.count("\n", at, piece.offset)
            at = piece.offset
            out.append(line)
        return out


def split(source: Source) -> Split | None:
    """Header fields and item pieces, or None when the file is not plainly written.

    Every scan over the text is anchored on a literal newline (hence the one put in front), so
    ``re`` skips from line to line instead of trying each character: diffing a large version
    is dominated by these scans.
    """
    if slow_bytes(source.data):
        return None
    text = "\n" + source.text
    at = text.find("\nitems:")
    if at < 0 or text.find("\nitems:", at + 1) >= 0:
        return None
    end = text.find("\n", at + 1)
    end = len(text) if end < 0 else end
    if not _LINE_REST.fullmatch(text, at + 7, end):
        return None
    head = _parse(text[1:end])
    if not isinstance(head, dict) or head.get("items") is not None or deep_block(text[:end]):
        return None
    head.pop("items", None)
    first = _FIRST.search(text, end)
    if first is None:
        return Split(head, [], text)
    indent = first.group(1)
    if not text.startswith(("-\n", "- ", "-\r"), first.end(1)):
        return None
    size = len(indent)
    odd = re.compile(
        rf"\n(?:(?! {{{size + 1}}}| {{{size}}}-[ \r\n]| *(?:#|\r?\n|\r?$))|[ ?:-]{{{DEEP}}})"
    )
    if odd.search(text, first.start()):  # keys after items, or nesting too deep for yaml-rs
        return None
    entry = re.compile(rf"\n{indent}-[ \r\n]")
    bounds = [*(m.start() + 1 for m in entry.finditer(text, first.start())), len(text)]
    pieces = [Piece(text[b:e], b) for b, e in itertools.pairwise(bounds)]
    return Split(head, pieces, text)


_LINE_REST = re.compile(r"[ \t]*(?:#.*)?\r?")


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
