"""A list file's ``kind`` and ``unit``, read cheaply and exactly, wherever they stand in the file.

Finding the base of a derived list means knowing the (kind, unit) of every list file of a set.
Top-level keys of a block mapping start at column 0, so one scan of the whole text finds them in
any order, after any comment and past any size of ``derive:``; a value that is not plain (quoted,
or something odd) is read by the YAML parser itself, and a file whose header does not show in
that form (flow style, a key written in quotes) is parsed whole. The answer is the parsed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from qingdan.source import Source
from qingdan.yamldoc import parse

_TOP_KEY = re.compile(rb"^(kind|unit)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$", re.MULTILINE)
_PLAIN_VALUE = re.compile(r"[^\s'\"&*!|>%@`#{}\[\],?:-][^#]*?")
"""A plain one-line scalar that YAML reads as the same text (the header values are names)."""


@dataclass(frozen=True, slots=True)
class Header:
    kind: str | None
    unit: str | None
    base: str | None = None
    """``derive.from``: the unit whose list a derived list stands on (read by ``read_base``)."""


_DERIVE = re.compile(rb"^derive[ \t]*:[ \t]*(?:#.*)?\n", re.MULTILINE)
_FIRST_KEY = re.compile(rb"(?:[ \t]*(?:#.*)?\n)*( +)([^\s#][^\n]*)")


def read_header(source: Source) -> Header:
    """``kind`` and ``unit`` of a list file (None where missing or not text)."""
    found: dict[str, str] = {}
    for match in _TOP_KEY.finditer(source.data):
        key = match.group(1).decode()
        if key in found:  # a duplicate key: let the parser decide which one counts
            return _parsed(source)
        raw = (match.group(2) or b"").decode("utf-8", "replace")
        if raw[:1] in ("'", '"'):
            value = _quoted(match.group(0))
        else:
            value = raw.split(" #", 1)[0].rstrip()
            value = value if _PLAIN_VALUE.fullmatch(value) else None
        if value is None:
            return _parsed(source)
        found[key] = value
    if len(found) < 2:
        return _parsed(source)
    return Header(found["kind"], found["unit"])


def read_base(source: Source) -> Header:
    """``kind``, ``unit`` and ``derive.from``: where a derived list's chain goes next.

    ``from`` is found among the keys of the ``derive:`` block at its own indentation; when the
    block does not look like that (flow style, odd layout), the file is parsed.
    """
    header = read_header(source)
    block = _DERIVE.search(source.data)
    if block is None:
        return _parsed(source)
    first = _FIRST_KEY.match(source.data, block.end())
    if first is None:
        return _parsed(source)
    indent = first.group(1)
    key = re.compile(rb"^" + indent + rb"from[ \t]*:[ \t]+(.*?)[ \t]*$", re.MULTILINE)
    end = re.compile(rb"^\S", re.MULTILINE).search(source.data, block.end())
    found = key.search(source.data, block.end(), end.start() if end else len(source.data))
    if found is None:
        return _parsed(source)
    raw = found.group(1).decode("utf-8", "replace")
    if raw[:1] in ("'", '"'):
        value = _quoted(found.group(0).strip())
    else:
        value = raw.split(" #", 1)[0].rstrip()
        value = value if _PLAIN_VALUE.fullmatch(value) else None
    if value is None:
        return _parsed(source)
    return Header(header.kind, header.unit, value)


def _quoted(line: bytes) -> str | None:
    """A quoted value that closes on its own line, read by YAML itself."""
    try:
        data = yaml.load(line, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    value = next(iter(data.values()), None) if isinstance(data, dict) else None
    return value if isinstance(value, str) and "\n" not in value else None


def _parsed(source: Source) -> Header:
    doc = parse(source)
    data: Any = doc.data if doc.ok else None
    if not isinstance(data, dict):
        return Header(None, None)
    kind, unit, spec = data.get("kind"), data.get("unit"), data.get("derive")
    base = spec.get("from") if isinstance(spec, dict) else None
    return Header(
        kind if isinstance(kind, str) else None,
        unit if isinstance(unit, str) else None,
        base if isinstance(base, str) else None,
    )
