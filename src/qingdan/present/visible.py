"""File content made harmless on a terminal: control characters shown, never obeyed.

A value from a list file can hold an escape sequence (``\\x1b[31m`` recolours the terminal,
``\\x1b]0;…\\a`` sets its title) or a bidi control that reorders what follows it on the line. Every
text a terminal shows that may carry file content goes through ``visible``: the C0 controls (but
newline and tab) become their Unicode pictures (``␛``), DEL, the C1 controls and the bidi controls
are written as escapes (``\\x9b``, ``\\u202e``). ``markdown_cell`` does the same for a Markdown table
cell (a review comment, ``who -f markdown``); JSON, SARIF and GitHub annotations escape by their own
rules in their reporters.
"""

from __future__ import annotations

import re

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_TABLE: dict[int, str] = {
    **{c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)},
    0x7F: "\u2421",
    **{c: f"\\x{c:02x}" for c in range(0x80, 0xA0)},
    **{c: f"\\u{c:04x}" for c in _BIDI},
}


_STEERING = re.compile("[" + "".join(re.escape(chr(c)) for c in _TABLE) + "]")
"""Finds whether a text needs translating: a search in C over the (nearly always clean) text costs
a tenth of ``str.translate``'s per-character table lookups, which a 9,810-item ``who`` felt."""


def visible(text: str) -> str:
    """``text`` with every character that would steer the terminal shown instead."""
    return text.translate(_TABLE) if _STEERING.search(text) else text


def markdown_cell(value: str) -> str:
    """Text safe inside a Markdown table cell (and free of HTML the comment would run)."""
    return (
        visible(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\n", "<br>")
    )
