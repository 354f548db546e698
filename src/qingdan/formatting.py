"""List files in one canonical layout (``qingdan fmt``), comments and blank lines kept.

The layout: keys in the order of the kind's schema (its item's ``properties``: the order the
preset writes an item in, code, name and category first; ``x-qingdan.columns`` is the order of
print, where 领域 comes before the name); a derived list's ``derive`` keys in the order of its
schema, the fields under ``set``, ``base`` and ``add.item`` as the kind orders an item's); two spaces of
indentation, list entries indented under their key; a value quoted only where it would read as
something else unquoted (a number, a date, ``yes``, under YAML 1.1 as PyYAML reads it or 1.2 as
yaml-rs does), then in double quotes; UTF-8 without a BOM; the file's own line ends (a file
written on Windows with CRLF keeps them, so that Notepad and git see no change of every line).

ruamel.yaml's round trip keeps comments, blank lines and flow style (``[a, b]``) as they are,
and writes the shipped sample lists back byte for byte; a line-based rewriter would have to
parse YAML itself to know where an item's keys begin and end. A formatted text is used only
when qingdan's own reader reads it to the same data as the file it came from: otherwise the
file is left as it is, and that is reported.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.tokens import CommentToken

from qingdan.kinds import Kind
from qingdan.model import is_derived
from qingdan.schemas import PathPart, builtin

BOM = "\ufeff"
UNPARSED = "YAML 格式有误，未重排；请先运行 qingdan validate 查看并修正"
STR = "tag:yaml.org,2002:str"
_PYYAML = yaml.resolver.Resolver()

Order = Callable[[tuple[PathPart, ...]], list[str]]
"""The keys a mapping at a path should have, in order (``"*"`` for any list entry)."""


class FormatError(Exception):
    """The text cannot be formatted: it does not parse (where, 1-based), or reads otherwise."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class _Emitter(Emitter):
    """ruamel's emitter, quoting the way qingdan's readers need: a text that PyYAML (YAML 1.1)
    would read as a number, boolean or date is quoted even where YAML 1.2 would not, and a
    quoted text is double-quoted, as the lists are written by hand and by qingdan."""

    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        event = self.event
        if style == "'":
            return '"'
        if style == "" and _read_otherwise(event):
            return '"'
        return style


def _read_otherwise(event: Any) -> bool:
    """A plain text PyYAML would not read as a text (``yes``, ``1_000``, ``2026-03-02``)."""
    if event.tag not in (None, STR) or not event.implicit[0]:
        return False
    if event.tag is None and not event.implicit[1]:
        return False
    resolved = _PYYAML.resolve(yaml.ScalarNode, event.value, (True, False))  # type: ignore[no-untyped-call]
    return bool(resolved != STR)


def _yaml() -> YAML:
    handler = YAML()
    handler.Emitter = _Emitter
    handler.width = 1 << 16  # never fold a long Chinese sentence
    handler.indent(mapping=2, sequence=4, offset=2)
    handler.preserve_quotes = False
    handler.allow_duplicate_keys = False
    return handler


def order_for(kind: Kind | None, derived: bool) -> Order:
    """Key order of a plain list (the kind's schema) or a derived list (the derive schema,
    with item fields under ``set``, ``base`` and ``add.item``)."""
    derive = builtin("derive")

    def in_item(rest: tuple[PathPart, ...]) -> list[str]:
        return kind.item.property_names(rest) if kind else []

    def plain(path: tuple[PathPart, ...]) -> list[str]:
        if path[:2] == ("items", "*"):
            return in_item(path[2:])
        return kind.schema.property_names(path) if kind else ["kind", "unit", "items"]

    def overlay(path: tuple[PathPart, ...]) -> list[str]:
        if path[:3] == ("derive", "modify", "*") and path[3:4] in (("set",), ("base",)):
            return in_item(path[4:])
        if path[:4] == ("derive", "add", "*", "item"):
            return in_item(path[4:])
        return derive.property_names(path)

    return overlay if derived else plain


def canonical(text: str, order_of: Callable[[Any], Order]) -> str:
    """``text`` in the canonical layout; ``order_of`` gives the key order for the parsed data.
    Raises ``FormatError`` for a text that does not parse."""
    handler = _yaml()
    newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    source = text.removeprefix(BOM).replace("\r\n", "\n")
    try:
        data = handler.load(source)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        raise FormatError(UNPARSED, line, column) from None
    except Exception:  # noqa: BLE001  (ruamel raises several kinds of its own for bad input)
        raise FormatError(UNPARSED) from None
    if data is None:
        return text
    _sort(data, (), order_of(data))
    out = io.StringIO()
    handler.dump(data, out)
    return out.getvalue().replace("\n", newline)


def _sort(node: Any, path: tuple[PathPart, ...], order: Order) -> None:
    """Keys in order, children first. The whole-line comments and blank lines between two
    entries stand before the entry that follows them (``# 应急管理`` heads its items), and move
    with it; the ones after a mapping's last value (which stand before whatever follows the
    mapping) stay at its end."""
    if isinstance(node, CommentedSeq):
        for value in node:
            _sort(value, (*path, "*"), order)
        return
    if not isinstance(node, CommentedMap):
        return
    for key, value in node.items():
        _sort(value, (*path, str(key)), order)
    keys = list(node)
    rank = {k: i for i, k in enumerate(order(path))}
    wanted = sorted(keys, key=lambda k: (rank.get(k, len(rank)), keys.index(k)))
    if wanted == keys:
        return
    trailing = _take(_slot(node))
    heads = {after: (key, _take(_after(node, key))) for key, after in pairwise(keys)}
    for key in wanted:
        node.move_to_end(key)
    for key, (before, head) in heads.items():
        if head is not None:
            # before the entry it headed; one that is now first keeps its place
            place = wanted[wanted.index(key) - 1] if key != wanted[0] else before
            _put(_after(node, place), head)
    _put(_slot(node), trailing)


Slot = tuple[Any, Any, int] | None
"""Where a comment after a value is kept: (container, key, position in its comment entry)."""


def _slot(node: Any) -> Slot:
    """Where the comment after ``node``'s last value is kept."""
    if not node or (getattr(node, "fa", None) is not None and node.fa.flow_style()):
        return None
    return _after(node, list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1)


def _after(container: Any, key: Any) -> Slot:
    """Where the comment after the value of ``key`` (the deepest last value under it) is kept."""
    value = container[key]
    deeper = _slot(value) if isinstance(value, CommentedMap | CommentedSeq) else None
    if deeper is not None:
        return deeper
    return container, key, 2 if isinstance(container, CommentedMap) else 0


def _take(slot: Slot) -> CommentToken | None:
    """Remove and return the whole-line comments and blank lines kept at ``slot`` (the value's
    own end-of-line comment stays with it)."""
    if slot is None:
        return None
    container, key, position = slot
    entry = container.ca.items.get(key)
    token = entry[position] if entry and len(entry) > position else None
    if not isinstance(token, CommentToken):
        return None
    own, _, rest = token.value.partition("\n")
    if not rest:
        return None
    entry[position] = CommentToken(own + "\n", token.start_mark) if own.strip() else None
    return CommentToken(rest, token.start_mark)


def _put(slot: Slot, moved: CommentToken | None) -> None:
    if slot is None or moved is None:
        return
    container, key, position = slot
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    token = entry[position]
    if isinstance(token, CommentToken):
        token.value += moved.value
    else:
        entry[position] = CommentToken("\n" + moved.value, moved.start_mark)


@dataclass(frozen=True, slots=True)
class Formatted:
    """One file's text as it is and as it would be formatted."""

    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def format_text(text: str, kinds: dict[str, Kind]) -> Formatted:
    """``text`` and its canonical form; ``FormatError`` when it does not parse, or when the
    form would read to other data than the text (then nothing may replace it)."""
    after = canonical(text, orders(kinds))
    if after != text and not _same_data(text, after):
        raise FormatError("重排后读出的内容会与原文件不同，为免改变内容，未重排这个文件")
    return Formatted(text, after)


def _same_data(before: str, after: str) -> bool:
    """Whether both texts read to the same data, as validate reads them (PyYAML, YAML 1.1)."""
    try:
        old = yaml.load(before.removeprefix(BOM), Loader=yaml.CSafeLoader)
        new = yaml.load(after, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return False
    return bool(old == new)


def orders(kinds: dict[str, Kind]) -> Callable[[Any], Order]:
    """The key order for a list's data, from the kind it names and whether it derives."""

    def order_of(data: Any) -> Order:
        named = data.get("kind") if isinstance(data, dict) else None
        kind = kinds.get(named) if isinstance(named, str) else None
        return order_for(kind, is_derived(data))

    return order_of
