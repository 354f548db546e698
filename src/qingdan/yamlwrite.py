"""Block-style YAML for the plain data a list file holds, written fast.

``qingdan resolve`` writes whole list sets; PyYAML's pure-Python emitter spent almost all of its
time on them, analysing every scalar character by character. This writer knows the only data it
is given (dict with str keys, list, str, int, float, bool, None) and the two readers it must
satisfy, PyYAML (YAML 1.1) and yaml-rs (YAML 1.2): one precompiled regex tells ordinary text,
which is written plain, from text a reader could type or misparse, which is double-quoted with
escapes, or for multi-line text written as a literal block. The layout is the one people write
in list files: 2-space indent, sequences indented under their key, keys in the given order,
Chinese as is, no anchors, no wrapping.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

INDENT = "  "

_SPECIAL_BUT_NEWLINE = (
    "\x00-\x09\x0b-\x1f\x7f-\xa0\xad"  # C0 (tab), DEL, C1 (NEL), no-break space, soft hyphen
    "\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f"  # invisible marks and fillers
    "\u2000-\u200f\u2028-\u202f\u205f-\u206f"  # spaces, zero widths, bidi, line/paragraph sep.
    "\u3164\ud800-\udfff\ufeff\ufff0-\uffff"  # filler, surrogates, BOM, specials, non-characters
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f"  # musical format controls, tag characters
)
_SPECIAL = "\n" + _SPECIAL_BUT_NEWLINE
"""Characters never written raw: YAML 1.1 line breaks, what readers reject, and what would
hide in an editor (zero-width, bidi controls). Text holding one is double-quoted, escaped."""

_INDICATORS = "-?:,\\[\\]{}#&*!|>'\"%@`"
_WORDS = "(?i:y|n|yes|no|on|off|true|false|null|inf|infinity|nan)"
"""Words YAML 1.1 types as booleans or null, YAML 1.2 as booleans, null or (Rust) floats."""

_PLAIN = re.compile(
    rf"(?![{_INDICATORS} \u3000])"  # no leading indicator or space
    rf"(?!{_WORDS}\Z)"
    r"(?![+._0-9~=<][\x00-\x7f]*\Z)"  # numbers, dates, times, .inf, ~, =, <<; yaml-rs drops _
    rf"[^{_SPECIAL}]+"
    r"(?<![ \u3000:])\Z"  # no trailing space or colon
)
"""Text written plain, provided it also holds no ``": "`` and no ``" #"``.

Anything YAML could read as other than this very string starts with an indicator, is one of the
words, or is ASCII starting with a digit, sign, dot or underscore (yaml-rs reads ``_1`` as 1);
for text beginning with a Chinese character (the common case) the lookaheads fail at once and one
character-class scan decides."""

_LITERAL = re.compile(rf"(?![ \n])[^{_SPECIAL_BUT_NEWLINE}]*\Z")
"""Multi-line text that a literal block reads back exactly: only the newline of the specials,
not beginning with a space or newline (the block's indentation is read from its first line)."""

_ESCAPE = re.compile(rf'[\\"{_SPECIAL}]')
_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SIMPLE_KEY_MAX = 256
"""Readers take an implicit key of at most 1024 characters (libyaml counts bytes); longer keys
use the explicit ``? key`` form."""


def dump(data: Any) -> str:
    """``data`` as one YAML document; TypeError for anything that is not list-file data."""
    out: list[str] = []
    if isinstance(data, dict) and data:
        _mapping(data, "", "", out)
    elif isinstance(data, list) and data:
        _sequence(data, "", "", out)
    else:
        out.append(_scalar(data, "") + "\n")
    return "".join(out)


def _mapping(data: dict[Any, Any], indent: str, lead: str, out: list[str]) -> None:
    """Append a block mapping; ``lead`` starts its first line (``- `` in a sequence)."""
    inner = indent + INDENT
    for key, value in data.items():
        if not isinstance(key, str):
            raise TypeError(f"mapping key {key!r} is not text")
        text = _key(key)
        head = f"{lead}{text}:" if len(text) <= _SIMPLE_KEY_MAX else f"{lead}? {text}\n{indent}:"
        lead = indent
        if isinstance(value, dict) and value:
            out.append(head + "\n")
            _mapping(value, inner, inner, out)
        elif isinstance(value, list) and value:
            out.append(head + "\n")
            _sequence(value, inner, inner, out)
        else:
            out.append(f"{head} {_scalar(value, indent)}\n")


def _sequence(items: list[Any], indent: str, lead: str, out: list[str]) -> None:
    """Append a block sequence; ``lead`` starts its first line (``- `` in a sequence)."""
    inner = indent + INDENT
    for value in items:
        if isinstance(value, dict) and value:
            _mapping(value, inner, lead + "- ", out)
        elif isinstance(value, list) and value:
            _sequence(value, inner, lead + "- ", out)
        else:
            out.append(f"{lead}- {_scalar(value, indent)}\n")
        lead = indent


def _scalar(value: Any, indent: str) -> str:
    """One value on its key's or dash's line; a literal block continues below, indented."""
    if isinstance(value, str):
        if _plain(value):
            return value
        if "\n" in value and _literal_ok(value):
            return _literal(value, indent + INDENT)
        return _quoted(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, dict | list) and not value:
        return "{}" if isinstance(value, dict) else "[]"
    raise TypeError(f"cannot write {type(value).__name__} as list-file data")


@lru_cache(maxsize=4096)
def _key(key: str) -> str:
    """Keys are mostly the same few field names, so their rendering is remembered."""
    return key if _plain(key) else _quoted(key)


def _plain(text: str) -> bool:
    return _PLAIN.match(text) is not None and ": " not in text and " #" not in text


def _literal_ok(text: str) -> bool:
    """Also no space before a line break or at the end, which editors and readers may drop."""
    return _LITERAL.match(text) is not None and " \n" not in text and text[-1] != " "


def _literal(text: str, indent: str) -> str:
    if text.endswith("\n\n"):
        header = "|+"
    elif text.endswith("\n"):
        header = "|"
    else:
        header = "|-"
    lines = text.split("\n")
    if not lines[-1]:
        lines.pop()
    return header + "".join(f"\n{indent}{line}" if line else "\n" for line in lines)


def _quoted(text: str) -> str:
    return f'"{_ESCAPE.sub(_escape, text)}"'


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    short = _SHORT_ESCAPES.get(char)
    if short is not None:
        return short
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    # YAML 1.1 wants a dot in a float: 1e+16 would read back as text
    return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text
