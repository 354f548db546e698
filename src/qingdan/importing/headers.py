"""Which rows of a sheet are its header, which list kind the sheet holds, and which field each
column fills.

Offices title their columns in many ways (事项名称/项目名称, 牵头部门/主体责任单位, 依据/实施依据/
法律依据…) and often in two levels (职责分工 over 乡镇（街道）职责 and 配合部门). A column is
matched by its header text, compared without spaces, line breaks, ``*`` marks or full-width forms,
against the names a kind declares: each field's Chinese title in the item schema, the aliases in
its ``x-qingdan.aliases``, and the aliases the list set adds in ``qingdan.yaml`` (``import.aliases``).
In a two-level header the lower cell is tried first, then "upper/lower" for a part of a field
(主体责任 over 部门 and 职责), then the upper cell. The kind of a sheet is the one whose names
match the most columns of some row near the top, including its name field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qingdan.kinds import Kind

HEADER_ROWS = 20
"""How far down a sheet the header is looked for (title rows, notes and dates come first)."""
MIN_FIELDS = 2
"""A row is a header when it names the kind's name field and at least this many fields."""
COMPUTED = frozenset({"序号"})
"""Headers of columns that are computed when a list is printed and never stored (DOMAIN.md §2)."""
_NOISE = re.compile(r"[\s*＊]+")


@dataclass(frozen=True, slots=True)
class Target:
    """What a column fills: a field, or one property of each entry of a field (``main`` →
    ``department``) when the header splits a nested field into columns."""

    field: str
    part: str | None = None


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    """0-based column of the sheet."""
    title: str
    """The header as written, for messages."""
    target: Target | None
    """None when the header names no field of the kind."""


@dataclass(frozen=True, slots=True)
class Header:
    kind: Kind
    last_row: int
    """0-based row of the header's last line: the data start below it."""
    columns: tuple[Column, ...]

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(c.target.field for c in self.columns if c.target)


def normalized(text: Any) -> str:
    """A header as it is compared: full-width forms folded, no spaces, line breaks or ``*``."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", str(text)))


def names(kind: Kind, extra: Mapping[str, Sequence[str]] = {}) -> dict[str, Target]:
    """Every header name of ``kind`` and what it fills; later sources win over earlier ones:
    titles, then the kind's aliases, then the list set's (``extra``, keyed like the aliases)."""
    found: dict[str, Target] = {}
    item = kind.item
    for field in item.property_names(()):
        title = item.title([field])
        found[normalized(title)] = Target(field)
        for part in item.property_names([field, "*"]):
            found[_pair(title, item.title([field, "*", part]))] = Target(field, part)
    declared = kind.meta.get("aliases")
    for source in (declared if isinstance(declared, dict) else {}, extra):
        for key, aliases in source.items():
            field, _, part = str(key).partition(".")
            for alias in aliases if isinstance(aliases, list | tuple) else ():
                found[normalized(alias)] = Target(field, part or None)
    return found


def find_header(
    rows: Sequence[Sequence[Any]], kinds: Iterable[Kind], extra: Mapping[str, Any] = {}
) -> Header | None:
    """The best header in the first rows of a sheet over ``kinds``, or None if no row names at
    least the name field and one other field of any kind."""
    best: tuple[tuple[int, int], Header] | None = None
    for kind in kinds:
        vocabulary = names(kind, extra.get(kind.name) or {})
        for row in range(min(HEADER_ROWS, len(rows))):
            for levels, header in enumerate(_candidates(rows, row, kind, vocabulary)):
                fields = header.fields
                if kind.roles.name not in fields or len(fields) < MIN_FIELDS:
                    continue
                # more fields win; at a tie, one header row over a title row above it
                score = (len(fields), -levels)
                if best is None or score > best[0]:
                    best = (score, header)
    return best[1] if best else None


def _candidates(
    rows: Sequence[Sequence[Any]], row: int, kind: Kind, vocabulary: dict[str, Target]
) -> Iterable[Header]:
    top = rows[row]
    yield _header(kind, row, [(c, t, _target(t, vocabulary)) for c, t in _texts(top)])
    if row + 1 >= len(rows):
        return
    below = rows[row + 1]
    cells = []
    for c, upper in _texts(top, below):
        lower = str(below[c]).strip() if c < len(below) and below[c] != "" else ""
        if lower and normalized(lower) != normalized(upper):
            target = (
                _target(lower, vocabulary)
                or vocabulary.get(_pair(upper, lower))
                or _target(upper, vocabulary)
            )
            cells.append((c, f"{upper}/{lower}" if upper else lower, target))
        else:
            cells.append((c, upper, _target(upper, vocabulary)))
    yield _header(kind, row + 1, cells)


def _texts(*rows: Sequence[Any]) -> list[tuple[int, str]]:
    """(column, text of the first row) for each column where any of ``rows`` has text."""
    width = max(len(r) for r in rows)
    out = []
    for c in range(width):
        if any(c < len(r) and str(r[c]).strip() for r in rows):
            first = rows[0]
            out.append((c, str(first[c]).strip() if c < len(first) else ""))
    return out


def _target(text: str, vocabulary: dict[str, Target]) -> Target | None:
    return vocabulary.get(normalized(text)) if text else None


def _header(kind: Kind, row: int, cells: list[tuple[int, str, Target | None]]) -> Header:
    """Columns in order; a second column filling the same target fills nothing."""
    seen: set[Target] = set()
    columns = []
    for index, title, mapped in cells:
        if normalized(title) in COMPUTED:
            continue
        target = None if mapped in seen else mapped
        if target is not None:
            seen.add(target)
        columns.append(Column(index, title, target))
    return Header(kind, row, tuple(columns))


def _pair(upper: str, lower: str) -> str:
    return f"{normalized(upper)}/{normalized(lower)}"
