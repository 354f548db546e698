"""YAML text → node tree → plain data, with the guards PyYAML does not give.

* duplicate keys are findings (PyYAML silently keeps the last one);
* anchors and aliases are refused, so an alias bomb cannot expand;
* nesting depth is bounded *before* composing (libyaml's composer recurses in C and would crash);
* unknown tags are never constructed;
* plain scalars YAML reads as dates keep their text (and are remembered, so that a date where the
  schema wants text can be reported); numbers, booleans and nulls keep their YAML type, and the
  schema check reports them against the original text.

The node tree is kept alongside the data so that a JSON path can be turned into line:column.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qingdan.findings import Finding, Location
from qingdan.lookalikes import culprit
from qingdan.messages import YAML_PROBLEMS, finding
from qingdan.source import Source, read_raw, vet_bytes

MAX_DEPTH = 64
"""Real list files nest 6 levels deep; libyaml's recursive composer crashes near 50,000."""

MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300
"""Python refuses to turn longer decimal text into an integer, or an integer into such text."""
MAX_INT_BITS = int(MAX_INT_DIGITS * math.log2(10))

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_MAYBE_ALIAS = re.compile(rb"(?:^|[\s\[{,:?-])[&*][^\s\]},]", re.MULTILINE)
_BLOCK_PREFIX = re.compile(r"^[ \t?:-]*", re.MULTILINE)
_FLOW_PAIR = re.compile(r"\[[^\[\]{}]*\]|\{[^\[\]{}]*\}")

_PLAIN = (None, "")
_NUMBER_START = frozenset("0123456789+-.")
YAML12_NUMBER = re.compile(
    r"[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)\Z"
)
"""Numbers in the YAML 1.2 core schema that YAML 1.1 leaves as text (``0838``, ``1e3``)."""


def _yaml12_number(text: str) -> str:
    """How a YAML 1.2 reader shows the number, noting a leading zero it drops."""
    body = text.lstrip("+-")
    if body[:2] in ("0o", "0x"):
        whole = int(body[2:], 8 if body[1] == "o" else 16)
        if whole.bit_length() > MAX_INT_BITS:
            return "一个位数过多的数"
        return ("-" if text.startswith("-") else "") + str(whole)
    number = float(text)
    exact = number.is_integer() and "." not in text and "e" not in text.lower()
    shown = str(int(number)) if exact else str(number)
    lost = len(body) > 1 and body[0] == "0" and body[1].isdigit()
    return f"{shown}，开头的 0 会丢失" if lost else shown


_SCALARS = yaml.SafeLoader("")  # only its construct_yaml_* methods are used, never its parser


class Loader(yaml.CSafeLoader):
    """libyaml's composer with PyYAML's safe tags, resolved faster.

    For every scalar libyaml calls back into Python's ``Resolver.resolve``, which for a plain
    scalar looks up the implicit resolvers registered for its first character. Chinese text
    starts with a character that has none, so it is text without the call: the same answer,
    and about a third of the time a list file takes to compose.
    """

    _typed_starts = frozenset(yaml.SafeLoader.yaml_implicit_resolvers)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0] and value and value[0] not in self._typed_starts:
            return _STR
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


PathPart = str | int


class _Abort(Exception):
    """Stops building a document after a finding that makes its data meaningless."""


@dataclass(slots=True)
class YamlDocument:
    """One parsed file: its data, the nodes behind it, and what went wrong while reading."""

    display: str
    data: Any = None
    root: Node | None = None
    findings: list[Finding] = field(default_factory=list)
    implicit: list[tuple[ScalarNode, str, str]] = field(default_factory=list)
    """Plain scalars some YAML reader types: (node, what it becomes, the value shown)."""
    dumped: str | None = None
    """The data as compact JSON, kept by the fast path for quick whole-file text checks."""

    @property
    def ok(self) -> bool:
        return self.root is not None or (self.data is not None and not self.findings)

    @property
    def locatable(self) -> bool:
        """Whether ``location`` gives lines (a fast-path document has none)."""
        return self.root is not None

    def location(self, path: Iterable[PathPart], *, key: bool = False) -> Location:
        """Line:column of the value at ``path`` (of its key with ``key=True``).

        Stops at the deepest node that exists, so a missing field points at its parent mapping.
        """
        node = self.root
        mark_node: Node | None = node
        for part in path:
            if isinstance(node, MappingNode):
                found = None
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and k.value == part:
                        found = (k, v)
                if found is None:
                    break
                mark_node = found[0] if key else found[1]
                node = found[1]
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
                mark_node = node
            else:
                break
        return self.mark_location(mark_node)

    def mark_location(self, node: Node | None) -> Location:
        if node is None:
            return Location(self.display, 1 if self.root else 0, 1 if self.root else 0)
        mark = node.start_mark
        return Location(self.display, mark.line + 1, mark.column + 1)

    def node_at(self, path: Iterable[PathPart]) -> Node | None:
        node = self.root
        for part in path:
            if isinstance(node, MappingNode):
                node = next(
                    (v for k, v in node.value if isinstance(k, ScalarNode) and k.value == part),
                    None,
                )
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                node = node.value[part] if 0 <= part < len(node.value) else None
            else:
                return None
        return node

    def paths_of(self, targets: Iterable[Node]) -> dict[int, tuple[PathPart, ...]]:
        """JSON paths of the given nodes (by ``id``), in one walk; for the rare implicit values."""
        wanted = {id(t) for t in targets}
        found: dict[int, tuple[PathPart, ...]] = {}
        stack: list[tuple[Node, tuple[PathPart, ...]]] = [(self.root, ())] if self.root else []
        while stack and len(found) < len(wanted):
            node, path = stack.pop()
            if id(node) in wanted:
                found[id(node)] = path
            if isinstance(node, MappingNode):
                stack.extend((v, (*path, k.value)) for k, v in node.value)
            elif isinstance(node, SequenceNode):
                stack.extend((v, (*path, i)) for i, v in enumerate(node.value))
        return found


def _too_deep(source: Source) -> bool:
    return _depth_bound(source) > MAX_DEPTH and _exact_depth(source.data) > MAX_DEPTH


def parse(source: Source) -> YamlDocument:
    """Parse vetted UTF-8 YAML into a document with nodes, the authoritative (slow) path."""
    data, display = source.data, source.display
    doc = YamlDocument(display)
    if _too_deep(source):
        doc.findings.append(finding("yaml.too-deep", Location(display, 1, 1), limit=MAX_DEPTH))
        return doc
    loader = Loader(data)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        doc.findings.append(_syntax_finding(exc, source))
        return doc
    except yaml.YAMLError as exc:  # reader errors carry no mark
        doc.findings.append(finding("yaml.syntax", Location(display, 1, 1), detail=str(exc)))
        return doc
    finally:
        loader.dispose()
    if root is None:
        doc.findings.append(finding("file.empty", Location(display)))
        return doc
    maybe_alias = (b"&" in data or b"*" in data) and _MAYBE_ALIAS.search(data) is not None
    builder = _Builder(doc, guard_aliases=maybe_alias)
    try:
        doc.data = builder.build(root)
    except _Abort:
        return doc
    doc.root = root
    return doc


class _Builder:
    """Turns nodes into dicts, lists and scalars; one instance per document."""

    def __init__(self, doc: YamlDocument, *, guard_aliases: bool) -> None:
        self.doc = doc
        self.seen: set[int] | None = set() if guard_aliases else None

    def build(self, node: Node) -> Any:
        seen = self.seen
        if seen is not None:
            if id(node) in seen:
                line = node.start_mark.line + 1
                self.doc.findings.append(
                    finding("yaml.alias", self.doc.mark_location(node), line=line)
                )
                raise _Abort
            seen.add(id(node))
        cls = node.__class__
        if cls is ScalarNode:
            return self.scalar(node)  # type: ignore[arg-type]
        if node.tag not in _COLLECTION_TAGS:
            self.bad_tag(node)
        if cls is MappingNode:
            return self.mapping(node)  # type: ignore[arg-type]
        return [self.build(child) for child in node.value]

    def mapping(self, node: MappingNode) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                what = "映射" if isinstance(key_node, MappingNode) else "列表"
                self.doc.findings.append(
                    finding("yaml.complex-key", self.doc.mark_location(key_node), what=what)
                )
                raise _Abort
            key = self.scalar(key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                line = key_node.start_mark.line + 1
                self.doc.findings.append(
                    finding("yaml.alias", self.doc.mark_location(key_node), line=line)
                )
                raise _Abort
            if key in result:
                first = self._first_line(node, key)
                self.doc.findings.append(
                    finding(
                        "yaml.duplicate-key",
                        self.doc.mark_location(key_node),
                        key=key_node.value,
                        first=first,
                    )
                )
            result[key] = self.build(value_node)
        return result

    @staticmethod
    def _first_line(node: MappingNode, key: object) -> int:
        """Line of the first key that reads as ``key`` (``1`` and ``01`` are the same key)."""
        for k, _ in node.value:
            typed = k.value if k.tag in (_STR, _TIMESTAMP) else _SCALARS.construct_object(k)
            if typed == key:
                return int(k.start_mark.line) + 1
        return 0

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            value = node.value
            if value[:1] in _NUMBER_START and node.style in _PLAIN and YAML12_NUMBER.match(value):
                self.doc.implicit.append((node, "数字", _yaml12_number(value)))
            return value
        if tag in _SCALAR_TAGS:
            return self.typed(node)
        if tag == _TIMESTAMP:
            self.doc.implicit.append((node, "日期", node.value))
            return node.value
        if tag == "tag:yaml.org,2002:merge":
            return node.value
        self.bad_tag(node)
        return None  # pragma: no cover - bad_tag raises

    def typed(self, node: ScalarNode) -> Any:
        """A number, boolean or null; an integer too long for Python to read or show (a decimal
        one raises here, a hexadecimal one would raise wherever it is printed) is a finding."""
        try:
            value = _SCALARS.construct_object(node)
            if value.__class__ is int and value.bit_length() > MAX_INT_BITS:
                raise ValueError(node.value)
        except ValueError:
            digits = sum(c.isalnum() for c in node.value)
            where = self.doc.mark_location(node)
            self.doc.findings.append(
                finding("yaml.number-too-long", where, digits=digits, limit=MAX_INT_DIGITS)
            )
            raise _Abort from None
        return value

    def bad_tag(self, node: Node) -> None:
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        self.doc.findings.append(finding("yaml.tag", self.doc.mark_location(node), tag=tag))
        raise _Abort


def _depth_bound(source: Source) -> int:
    """A cheap upper bound on nesting depth, tight for ordinary files.

    Block nesting needs indentation (or another ``- ``/``? `` on the line), so twice the longest
    line prefix bounds it; flow nesting is bounded by peeling innermost bracket pairs, each pass
    being one C-level regex substitution.
    """
    data, text = source.data, source.text
    opens = data.count(b"[") + data.count(b"{")
    block = 2 * (max(map(len, _BLOCK_PREFIX.findall(text)), default=0) + 1)
    if opens + block <= MAX_DEPTH:
        return opens + block
    flow = 0
    while flow <= MAX_DEPTH:
        text, n = _FLOW_PAIR.subn("", text)
        if not n:
            break
        flow += 1
    return flow + block


def _exact_depth(data: bytes) -> int:
    """The real nesting depth, counted from PyYAML's pure-Python event stream.

    Only suspicious files get here. The pure-Python scanner and parser are iterative state machines
    with no nesting limit of their own, so the count does not depend on how (or whether) the
    bundled libyaml reports depth: libyaml 0.2.5 stops at 1,000 levels with an English scanner error
    that would otherwise read as a syntax error. Counting stops as soon as the limit is passed.
    """
    depth = deepest = 0
    try:
        for event in yaml.parse(data, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
                if deepest > MAX_DEPTH:
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return deepest  # the composer will report the syntax error itself
    return deepest


def _syntax_finding(exc: yaml.MarkedYAMLError, source: Source) -> Finding:
    """The look-alike character behind the error if there is one, else libyaml's complaint."""
    display = source.display
    mark = exc.problem_mark or exc.context_mark
    found = culprit(source.text)
    if found is not None:
        return finding(found.code, Location(display, found.line, found.column), **found.values)
    loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display, 1, 1)
    problem = f"{exc.context or ''} {exc.problem or ''}"
    detail = next((zh for en, zh in YAML_PROBLEMS if en in problem), None)
    if detail is None:
        detail = f"无法解析（{(exc.problem or exc.context or '').strip()}）。请检查这一行的格式。"
    return finding("yaml.syntax", loc, detail=detail)


def load_file(path: Path, display: str) -> YamlDocument:
    """Read, vet and parse one file; every failure is a finding on the returned document."""
    raw = read_raw(path, display)
    if isinstance(raw, Finding):
        return YamlDocument(display, findings=[raw])
    return load_bytes(raw, display)


def load_bytes(raw: bytes, display: str) -> YamlDocument:
    source = vet_bytes(raw, display)
    if isinstance(source, Finding):
        return YamlDocument(display, findings=[source])
    return parse(source)
