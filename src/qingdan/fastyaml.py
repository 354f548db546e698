"""The fast path: Rust-parsed data (yaml-rs) for files that are plainly ordinary.

It has no line numbers, so it only ever answers "this file is clean"; whenever anything is odd or
any check finds anything, ``qingdan.yamldoc`` parses the file again, and only that answer counts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
import yaml_rs
from yaml.nodes import Node

from qingdan.findings import Finding, Location
from qingdan.schemas import PathPart
from qingdan.source import Source, read_source
from qingdan.yamldoc import MAX_DEPTH, YamlDocument, parse

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SLOW_BYTES = (b"&", b"*", b"!", b"%", b"\t", b"|", b">", b"@", b"`", b"\xef\xbb\xbf")
"""Anchors, aliases, tags, directives, block scalars, reserved indicators, tabs and a BOM after the
start: where libyaml and yaml-rs are known to disagree (fuzzing found tabs and ``|`` in flow;
yaml-rs skips a BOM at the start of any line, libyaml stops there), or where only the located path
has the guards. A file with any of them anywhere takes the located path."""
DEEP = MAX_DEPTH // 2 - 1
_DEEP_BLOCK = re.compile(rf"\n[ \t?:-]{{{DEEP}}}")
"""Enough indentation (or ``- `` on one line) to nest past MAX_DEPTH; yaml-rs bounds flow nesting
itself but would overflow its stack on deep block nesting. Anchored on a literal newline rather
than ``^`` with MULTILINE, so the scan jumps from line to line (several times faster)."""


_TIMESTAMP_RE = next(
    rx.pattern
    for rx_list in yaml.resolver.Resolver.yaml_implicit_resolvers.values()
    for tag, rx in rx_list
    if tag == _TIMESTAMP
)
_YAML11_ONLY = re.compile(
    r'"(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF'  # booleans only in YAML 1.1
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"  # sexagesimal: 9:00 is 540
    r"|[-+]?0b[01_]+|[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?"
    r"|<<|=|" + _TIMESTAMP_RE.removeprefix("^").removesuffix("$") + ')"',
    re.VERBOSE,
)
"""A whole string, in compact JSON, that YAML 1.2 (yaml-rs) leaves text but YAML 1.1 (PyYAML)
would type.

Seeing one in fast-parsed data means the value may have been unquoted; only the located path can
tell, so the file takes that path. Forms both versions type (``01``, ``true``) never reach here
as strings unless quoted, so they need no look. Strings with newlines are never typed.
"""


_END = r"(?=[\s,\]}:]|$)"
_ODD_NUMBER = re.compile(
    rf"(?:^|(?<=[\s\[{{,]))(?!-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?{_END})[-+]?[0-9._][\w.]*(?:[eE][-+][\w.]*)?{_END}",
    re.M | re.A,
)
"""A plain value that starts like a number and is not a plain decimal (``1e1``, ``012``, ``0o17``,
``_1``, ``+.1``): YAML 1.1 (PyYAML) and yaml-rs read these differently, as text or as another
number; yaml-rs even allows underscores anywhere. Quoted text that happens to match only costs a
trip down the located path."""


def compact_json(value: Any) -> str | None:
    """All of ``value`` as one compact JSON text (None if it holds dates or other non-JSON)."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None


def fast_parse(source: Source) -> YamlDocument | None:
    """Data without nodes, from the Rust parser yaml-rs, for files that are plainly ordinary.

    Returns None whenever the file needs the authoritative PyYAML path: possible anchors, aliases
    or tags, values YAML 1.1 and 1.2 disagree on, or anything yaml-rs rejects. The caller must
    also fall back when checking the data finds anything, since only the slow path has locations.
    """
    if not plain(source):
        return None
    loaded = rust_load(source.text)
    if loaded is None:
        return None
    return YamlDocument(source.display, data=loaded[0], dumped=loaded[1])


def rust_load(text: str) -> tuple[Any, str] | None:
    """yaml-rs's data for ``text`` and its compact JSON, or None unless PyYAML would read the
    same: no value the two YAML versions type differently, nothing JSON cannot hold (dates, an
    integer too long to print). The caller has ruled out the bytes and nesting yaml-rs gets wrong.
    """
    if _ODD_NUMBER.search(text):
        return None
    try:
        value = yaml_rs.loads(text, parse_datetime=True)
    except Exception:  # noqa: BLE001  (any complaint at all sends the text down the slow path)
        return None
    dumped = compact_json(value)
    if dumped is None or _YAML11_ONLY.search(dumped):
        return None
    return value, dumped


def plain(source: Source) -> bool:
    """Whether yaml-rs may be trusted with this text (same answer as PyYAML, no deep nesting)."""
    return not slow_bytes(source.data) and not deep_block(source.text)


def slow_bytes(data: bytes) -> bool:
    return any(c in data for c in _SLOW_BYTES)


def deep_block(text: str) -> bool:
    return (
        _DEEP_BLOCK.search("\n" + text[: DEEP + 1]) is not None
        or _DEEP_BLOCK.search(text) is not None
    )


class LazyDocument(YamlDocument):
    """A file read on the fast path whose nodes, and so its lines, are parsed only when a
    location is asked for: a base list that many lists stand on is needed for its data, and only
    a finding on one of its items needs a line."""

    __slots__ = ("_source",)

    def __init__(self, fast: YamlDocument, source: Source) -> None:
        super().__init__(fast.display, data=fast.data, dumped=fast.dumped)
        self._source = source

    @property
    def ok(self) -> bool:
        return True

    @property
    def locatable(self) -> bool:
        return True

    def location(self, path: Iterable[PathPart], *, key: bool = False) -> Location:
        self._locate()
        return super().location(path, key=key)

    def node_at(self, path: Iterable[PathPart]) -> Node | None:
        self._locate()
        return super().node_at(path)

    def _locate(self) -> None:
        if self.root is None:
            # the same text on the authoritative path: the same data, now with nodes
            self.root = parse(self._source).root


def read_quick(path: Path, display: str) -> YamlDocument:
    """One file, on the fast path where it can be (lines parsed on demand), else located: what
    is read for its data — a base list, a list to export — rather than to be checked."""
    source = read_source(path, display)
    if isinstance(source, Finding):
        return YamlDocument(display, findings=[source])
    fast = fast_parse(source)
    return LazyDocument(fast, source) if fast is not None else parse(source)
