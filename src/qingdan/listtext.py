"""A list file's items as byte pieces, so versions can be compared without reading what is equal.

Between two versions of a list most items are byte-for-byte the same. Splitting the ``items``
sequence at its entry lines lets the diff set identical pieces aside, and decode and parse only
the rest, one piece at a time. Only plainly written files are split; anything unusual (another
encoding, flow style, anchors, block scalars, keys after ``items``) gets ``None`` and is vetted
and parsed whole by the caller, which is also where unreadable files are reported.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from qingdan.fastyaml import DEEP, deep_block, rust_load, slow_bytes

_FIRST = re.compile(rb"\n( *)(?=[^ \r\n#])")
_LINE_REST = re.compile(rb"[ \t]*(?:#[^\n]*)?\r?")
_ODD = "\\n(?:(?! {{{deeper}}}| {{{indent}}}-[ \\r\\n]| *(?:#|\\r?\\n|\\r?$))|[ ?:-]{{{deep}}})"
"""A line that ends the plain items sequence (a key after it, a wrongly indented line) or nests
deeper than yaml-rs can safely parse."""


@dataclass(eq=False, slots=True)
class Split:
    head: dict[str, Any]
    """The file's fields other than ``items`` (kind, unit …)."""
    pieces: list[bytes]
    """Each item's text after its ``- ``, up to the next item."""
    offsets: list[int]
    """Where each piece's line starts in ``data`` (which has a newline put in front)."""
    data: bytes
    indent: bytes
    keep: list[int] = field(default_factory=list)
    """Indices of the pieces still to compare (all, until equal ones are set aside)."""

    def lines(self) -> list[int]:
        """1-based lines of the kept pieces, counted only for them."""
        out, line, at = [], 0, 0
        for index in self.keep:
            offset = self.offsets[index]
            line += self.data.count(b"\n", at, offset)
            at = offset
            out.append(line)
        return out

    def item(self, index: int) -> dict[str, Any] | None:
        """The item a kept piece holds, or None when the piece is not plainly one item."""
        piece = self.indent + b"- " + self.pieces[index]
        if _odd(len(self.indent)).search(
            b"\n" + piece
        ):  # a key after items, a stray line, or too deep for yaml-rs
            return None
        try:
            text = piece.decode("utf-8")
        except UnicodeDecodeError:
            return None
        value = _parse("items:\n" + text)
        if not isinstance(value, dict) or len(value) != 1:
            return None
        items = value.get("items")
        if isinstance(items, list) and len(items) == 1 and isinstance(items[0], dict):
            return items[0]
        return None


def split(raw: bytes) -> Split | None:
    """Header fields and item pieces, or None when the file is not plainly written.

    Works on bytes with C-level searches only: pieces equal on both sides need no decoding,
    checking or parsing at all, and on a large version that is nearly all of them. Whatever
    is odd in a piece that differs makes ``Split.item`` refuse it, and the caller then parses
    the whole file.
    """
    data = b"\n" + raw.removeprefix(codecs.BOM_UTF8)
    if slow_bytes(data) or b"\0" in data:
        return None
    at = data.find(b"\nitems:")
    if at < 0:
        return None
    end = data.find(b"\n", at + 1)
    end = len(data) if end < 0 else end
    if not _LINE_REST.fullmatch(data, at + 7, end):
        return None
    head = _head(data[1:end])
    if head is None:
        return None
    first = _FIRST.search(data, end)
    if first is None:
        return Split(head, [], [], data, b"")
    indent = first.group(1)
    if data[first.end(1) : first.end(1) + 2] != b"- ":
        return None
    separator = b"\n" + indent + b"- "
    pieces = data[first.start() :].split(separator)[1:]
    offsets = list(
        itertools.accumulate(
            (len(p) + len(separator) for p in pieces[:-1]), initial=first.start() + 1
        )
    )
    return Split(head, pieces, offsets, data, indent, list(range(len(pieces))))


@functools.cache
def _odd(indent: int) -> re.Pattern[bytes]:
    return re.compile(_ODD.format(deeper=indent + 1, indent=indent, deep=DEEP).encode())


def _head(data: bytes) -> dict[str, Any] | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if deep_block(text):
        return None
    head = _parse(text)
    if not isinstance(head, dict) or head.get("items") is not None:
        return None
    head.pop("items", None)
    return head


def _parse(text: str) -> Any:
    """yaml-rs's data where PyYAML would agree; anything else is parsed whole, with locations."""
    loaded = rust_load(text)
    return None if loaded is None else loaded[0]


_ENTRY = re.compile(
    rb"^[ \t]*- code:[ \t]*(?:\"([^\"\\\n]*)\"|'([^'\n]*)'|([^\s#'\"][^\s#]*))[ \t]*(?:#[^\n]*)?\r?$",
    re.M,
)


def entry_lines(data: bytes, entries: int) -> dict[str, int] | None:
    """1-based line of each ``- code: X`` entry of an overlay (its modify and omit operations),
    read from the text: what a fast-path parse cannot say. None unless the text shows exactly
    ``entries`` such lines, each with a code of its own — anything unusual is left to a
    located parse."""
    found: dict[str, int] = {}
    line, at = 1, 0
    for match in _ENTRY.finditer(data):
        line += data.count(b"\n", at, match.start())
        at = match.start()
        raw = match.group(1) or match.group(2) or match.group(3) or b""
        code = raw.decode("utf-8", "replace")
        if code in found:
            return None
        found[code] = line
    return found if len(found) == entries else None
