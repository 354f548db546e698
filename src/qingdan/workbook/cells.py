"""Text as a workbook cell can hold it, whatever the user's files contain.

Excel refuses (or "repairs" away) a workbook with characters XML 1.0 forbids, takes text starting
with ``=`` for a formula when someone edits the cell, and cannot hold more than 32,767 UTF-16
units in a cell. A list is a published document: its texts are stored as typed, and what cannot
be stored is removed or cut *and said*, so that nobody prints a silently shortened duty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CELL = 32_767
"""Excel's limit on a cell's text, in UTF-16 code units."""
TRUNCATED = "…（已截断）"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make Excel or WPS take typed-in text for a formula."""

_NONCHARACTERS = "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)
)
_ILLEGAL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")
"""Control characters XML 1.0 forbids, lone surrogates, and Unicode noncharacters (U+FFFF …)."""


@dataclass(frozen=True, slots=True)
class Safe:
    """A text made storable, and what had to change for that."""

    text: str
    removed: int = 0
    """Characters dropped because no workbook can hold them."""
    cut: bool = False
    """Whether the text was shortened to Excel's cell limit (it then ends in ``TRUNCATED``)."""

    @property
    def formula_like(self) -> bool:
        """Whether Excel would read the text as a formula once edited: it gets a quote prefix."""
        return self.text.startswith(FORMULA_START)


def needs_care(text: str) -> bool:
    """Whether ``text`` has to go through ``safe``: most texts are stored as they are, and
    telling so is one C-level search."""
    return len(text) > MAX_CELL // 2 or _ILLEGAL.search(text) is not None


def clean(text: str) -> tuple[str, int]:
    """``text`` without the characters no workbook can hold, and how many there were."""
    return _ILLEGAL.subn("", text)


def safe(text: str) -> Safe:
    """``text`` without illegal characters and within the cell limit."""
    text, removed = clean(text)
    if len(text) <= MAX_CELL // 2 or _units(text) <= MAX_CELL:
        return Safe(text, removed)
    room = MAX_CELL - _units(TRUNCATED)
    kept = text[:room]
    while _units(kept) > room:  # characters beyond the BMP take two units each
        kept = kept[: len(kept) - (_units(kept) - room)]
    return Safe(kept + TRUNCATED, removed, cut=True)


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class CellNote:
    """A cell whose text could not be stored as it is, addressed as a user finds it."""

    sheet: str
    cell: str
    """A1 reference, e.g. ``E12``."""
    source: str
    """Where the text comes from: a list file and item code, or what the cell holds."""
    removed: int
    cut: bool

    @property
    def message(self) -> str:
        done = []
        if self.removed:
            done.append(f"删除了 {self.removed} 个 Excel 无法保存的字符（控制字符或非字符）")
        if self.cut:
            done.append(f"内容超过 Excel 单元格上限 {MAX_CELL} 字，已截断")
        return (
            f"{self.sheet}!{self.cell}（{self.source}）：{'；'.join(done)}。"
            "请在清单文件中修改这段文字。"
        )
