"""What changed between two versions of a list set, item by item, classified as offices do.

Items match by township and code. Files with equal content are never read; in files that differ,
item pieces with equal text are set aside unparsed (``qingdan.listtext``), so a diff costs about
what changed, not what exists. Unmatched items then pair up when they are the same matter under a
new code (recoded) or in another township (moved); the rest are additions and removals.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from qingdan.checks.schema import type_name
from qingdan.errors import QingdanError
from qingdan.fastyaml import fast_parse
from qingdan.findings import Finding, Location, Severity
from qingdan.header import Header, read_base, read_header
from qingdan.kinds import Roles
from qingdan.listset import find_root
from qingdan.listtext import Split, entry_lines, split
from qingdan.messages import finding
from qingdan.model import ResolvedDocument, is_derived
from qingdan.present.vocabulary import Vocabulary
from qingdan.source import Source, vet_bytes
from qingdan.versions import DERIVED, Version
from qingdan.workspace import Workspace
from qingdan.yamldoc import YamlDocument, parse

RECODE_MIN_SCORE = 0.75
"""How alike (0–1, names and contents by character pairs) a removed and an added item must be
to count as one matter under a new code rather than a removal plus an addition."""
LONG_TEXT = 24
"""Texts at least this long get a character-level highlight instead of a plain old → new."""


class ChangeType(StrEnum):
    """What a diff can see; a change record may name a removal 收回 or an addition 下放."""

    ADDED = "新增"
    REMOVED = "取消"
    RECATEGORIZED = "类别变更"
    RENAMED = "更名"
    MODIFIED = "调整"


SUMMARY_ORDER = ("新增", "下放", "取消", "收回", "类别变更", "更名", "调整")


def summarize(types: Iterable[str]) -> str:
    """Counts the way offices report them: 新增3项、取消1项、调整5项."""
    counts = Counter(types)
    parts = [f"{t}{counts[t]}项" for t in SUMMARY_ORDER if counts[t]]
    return "、".join(parts) if parts else "没有变化"


@dataclass(slots=True)
class Item:
    unit: str
    kind: str
    code: str
    data: dict[str, Any]
    path: str
    """The file's path in its version (relative to the list set root)."""
    file: str
    """The file as messages name it."""
    line: int | None
    derived: bool = False
    """Resolved from a derived list file."""
    roles: Roles = field(default_factory=Roles)
    """Which of its fields are code, name and category (from the kind's metadata)."""

    @property
    def name(self) -> str:
        return _text(self.data.get(self.roles.name))

    @property
    def category(self) -> str:
        return _text(self.data.get(self.roles.category))

    @property
    def location(self) -> Location:
        return Location(self.file, self.line or 0, 1 if self.line else 0)


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    title: str
    old: str
    new: str


@dataclass(slots=True)
class ItemChange:
    type: ChangeType
    old: Item | None
    new: Item | None
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def item(self) -> Item:
        """The item as it is now (as it was, for removals)."""
        found = self.new or self.old
        assert found is not None
        return found

    @property
    def codes(self) -> set[str]:
        return {i.code for i in (self.old, self.new) if i is not None}


@dataclass(eq=False)
class Diff:
    old_label: str
    new_label: str
    changes: list[ItemChange] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    """What could not be compared (a file that cannot be read or resolved): exit 2."""
    findings: list[Finding] = field(default_factory=list)
    """Problems that did not stop the comparison, such as a stale operation in a derived list
    (its base no longer has the item it modifies): shown with their lines beside the changes."""
    files_compared: int = 0
    files_read: int = 0

    def summary(self) -> str:
        return summarize(c.type.value for c in self.changes)


def compare(old: Version, new: Version, words: Vocabulary, workspace: Workspace) -> Diff:
    """Every item change from ``old`` to ``new``; derived lists are resolved in ``workspace``."""
    result = Diff(old.label, new.label)
    paths = sorted(set(old.lists) | set(new.lists))
    result.files_compared = len(paths)
    touched = frozenset(p for p in paths if old.lists.get(p) != new.lists.get(p))
    changed = set(touched)
    expand = old.derives or new.derives
    if expand:
        if old.bases != new.bases:
            changed |= old.derived_files() | new.derived_files()
        else:
            changed |= _affected(old, changed) | _affected(new, changed)
    only = _limit(old, new, touched, words) if expand else None
    run = _Run(result, workspace, words, only, touched)
    gone, came, derived = _collect(old, new, changed, run)
    if derived and not expand:
        # a derived list changes when its base does, even where its own text is the same
        more = (old.derived_files() | new.derived_files()) - changed
        extra_gone, extra_came, _ = _collect(old, new, more, run)
        gone += extra_gone
        came += extra_came
    result.changes = _Matcher(words).match(gone, came)
    return result


@dataclass(frozen=True, slots=True)
class _Run:
    """What reading the files of one comparison shares."""

    result: Diff
    workspace: Workspace
    words: Vocabulary
    only: frozenset[str] | None = None
    """When every change that derived lists stand on is in plain lists, the codes of the items
    that differ there: a derived list whose own text is the same on both sides can differ only
    in these, so it is resolved for them alone (a catalog edit then costs what it touches)."""
    touched: frozenset[str] = frozenset()
    """Files of the set whose own text differs between the versions."""

    def codes_for(self, path: str) -> frozenset[str] | None:
        return None if self.only is None or path in self.touched else self.only

    def roles(self, head: dict[str, Any]) -> Roles:
        return _roles(self.words, head.get("kind"))


def _limit(
    old: Version, new: Version, touched: frozenset[str], words: Vocabulary
) -> frozenset[str] | None:
    """The codes of every item that differs in the lists derived lists stand on, or None when
    that cannot be told from the text alone (an overlay, a config or a registry changed)."""
    if touched & (old.derived_files() | new.derived_files()):
        return None
    own_old = old.read(p for p in sorted(touched) if p in old.lists)
    own_new = new.read(p for p in sorted(touched) if p in new.lists)
    pairs = [(own_old.get(p), own_new.get(p)) for p in sorted(touched)]
    if old.bases != new.bases:
        base_old, base_new = old.read_bases(), new.read_bases()
        if set(old.bases) - set(base_old) != set(new.bases) - set(base_new) or any(
            old.bases.get(p) != new.bases.get(p) for p in set(old.bases) - set(base_old)
        ):
            return None  # a support file that is not YAML changed: anything may differ
        pairs += [
            (base_old.get(p), base_new.get(p))
            for p in sorted(set(base_old) | set(base_new))
            if old.bases.get(p) != new.bases.get(p)
        ]
    codes: set[str] = set()
    for before, after in pairs:
        found = _differing_codes(before, after, words)
        if found is None:
            return None
        codes |= found
    return frozenset(codes)


def _differing_codes(
    before: bytes | None, after: bytes | None, words: Vocabulary
) -> set[str] | None:
    """Codes of the items whose text differs between two versions of a plain list; None for
    anything else (a derived list, a config, a file the splitter does not take)."""
    sides = []
    for data in (before, after):
        if data is None:
            continue
        pieces = split(data)
        if pieces is None or not _is_list(pieces.head) or DERIVED in b"\n" + data:
            return None
        sides.append(pieces)
    if len(sides) == 2 and sides[0].head != sides[1].head:
        return None
    common = Counter(sides[0].pieces) & Counter(sides[1].pieces) if len(sides) == 2 else Counter()
    codes: set[str] = set()
    for side in sides:
        key = _roles(words, side.head["kind"]).code
        budget = Counter(common)
        for index, piece in enumerate(side.pieces):
            if budget[piece]:
                budget[piece] -= 1
                continue
            item = side.item(index)
            code = item.get(key) if item is not None else None
            if not isinstance(code, str):
                return None
            codes.add(code)
    return codes


def _roles(words: Vocabulary, kind: Any) -> Roles:
    found = words.kinds.get(kind) if isinstance(kind, str) else None
    return found.roles if found else Roles()


def _affected(version: Version, changed: set[str]) -> set[str]:
    """Derived lists of a version, with base sets unchanged, whose items may differ although
    their own text does not: those whose chain runs through a changed list of this set.

    The chain is read from each derived file's ``kind``, ``unit`` and ``derive.from``. A ``from``
    that names neither a list of this set nor one of a base set (a name the registry maps, say)
    counts as reaching every changed list of its kind, so nothing that may differ is left out.
    """
    if not changed:
        return set()
    derived = version.derived_files()
    in_bases = {
        (h.kind, h.unit)
        for p, data in version.read_bases().items()
        for h in [_header(version, p, data, read_header)]
    }
    heads = {p: _header(version, p, d, read_base) for p, d in version.read(derived).items()}
    units = {(h.kind, h.unit): p for p, h in heads.items()}
    kinds_changed = {heads[p].kind for p in changed if p in heads}
    plain = version.read(p for p in changed - derived if p in version.lists)
    for path, data in plain.items():
        head = _header(version, path, data, read_header)
        units[(head.kind, head.unit)] = path
        kinds_changed.add(head.kind)
    reached = set(changed)
    grew = True
    while grew:
        grew = False
        for path, head in heads.items():
            if path in reached:
                continue
            base = units.get((head.kind, head.base))
            unknown = base is None and (head.kind, head.base) not in in_bases
            if (unknown and head.kind in kinds_changed) or base in reached:
                reached.add(path)
                grew = True
    return reached & derived


def _header(version: Version, path: str, data: bytes, reader: Callable[[Source], Header]) -> Header:
    source = vet_bytes(data, version.display(path))
    return Header(None, None) if isinstance(source, Finding) else reader(source)


def _collect(
    old: Version, new: Version, paths: set[str], run: _Run
) -> tuple[list[Item], list[Item], bool]:
    """Items left to match from these files, and whether any of them was a derived list."""
    old_data, new_data = _read_both(old, new, paths)
    run.result.files_read += len(old_data) + len(new_data)
    gone: list[Item] = []
    came: list[Item] = []
    derived = False
    for path in sorted(paths):
        sides = [(old, old_data.get(path)), (new, new_data.get(path))]
        found = _file_items(path, sides, run)
        if found is not None:  # else a side cannot be read: its items are unknown, not removed
            gone.extend(found[0])
            came.extend(found[1])
            derived = derived or any(i.derived for i in (*found[0], *found[1]))
    return gone, came, derived


# --- reading items ---------------------------------------------------------------------------


def _read_both(
    old: Version, new: Version, paths: set[str]
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    with ThreadPoolExecutor(max_workers=2) as pool:  # git and the disk both wait, not compute
        old_read = pool.submit(old.read, [p for p in sorted(paths) if p in old.lists])
        new_data = new.read([p for p in sorted(paths) if p in new.lists])
        return old_read.result(), new_data


@dataclass(slots=True)
class _FileItems:
    """A file's items: unparsed pieces when the file could be split, else parsed items."""

    head: dict[str, Any]
    split: Split | None = None
    items: list[Item] = field(default_factory=list)
    resolved: dict[str, tuple[int, dict[str, Any]]] | None = None
    """A derived list's resolved items by code (with their index), before they become ``Item``s:
    the items equal on both sides (most of them) are set aside without locating them."""
    located: ResolvedDocument | None = None
    path: str = ""
    display: str = ""
    relocate: Callable[[], ResolvedDocument | None] | None = None
    """For an overlay read on the fast path (no lines): resolve it again from the located parse,
    which is done only when an item left to compare was written by the overlay itself and its
    line cannot be read off the text."""
    text: bytes = b""
    """The overlay's text, where the lines of its operations can be read without parsing."""
    roles: Roles = field(default_factory=Roles)

    def build(self) -> None:
        """Turn the resolved items left to compare into ``Item``s, located at the operation that
        wrote them (inherited ones are the base file's, and have no line in this file)."""
        if self.resolved is None or self.located is None:
            return
        lines = self._lines()
        for index, value in self.resolved.values():
            where = (self.path, self.display)
            item = _item(self.head, _plain(value), where, lines.get(index), self.roles)
            if item is not None:
                item.derived = True
                self.items.append(item)
        self.resolved = None

    def _lines(self) -> dict[int, int]:
        assert self.located is not None and self.resolved is not None
        origins = self.located.origins
        own = [index for index, _ in self.resolved.values() if origins[index].source != "继承"]
        if not own:
            return {}
        overlay = self.located.overlay
        if not overlay.locatable:
            spec = overlay.data.get("derive") or {}
            count = len(spec.get("modify") or ()) + len(spec.get("omit") or ())
            by_code = entry_lines(self.text, count)
            ops: list[dict[str, Any]] = spec.get("modify") or []
            if by_code is not None and all(origins[i].source == "修改" for i in own):
                found = {i: by_code.get(ops[int(origins[i].path[2])]["code"]) for i in own}
                if all(found.values()):
                    return {i: line for i, line in found.items() if line}
            again = self.relocate() if self.relocate is not None else None
            if again is None:
                return {}
            by_index = _by_code(again.data["items"], self.roles)
            self.resolved = {c: by_index[c] for c in self.resolved if c in by_index}
            self.located, origins, overlay = again, again.origins, again.overlay
            own = [i for i, _ in self.resolved.values() if origins[i].source != "继承"]
        return {i: overlay.location(origins[i].path).line for i in own}


def _by_code(items: list[Any], roles: Roles) -> dict[str, tuple[int, dict[str, Any]]]:
    key = roles.code
    return {
        item[key]: (index, item)
        for index, item in enumerate(items)
        if isinstance(item, dict) and isinstance(item.get(key), str)
    }


def _items(version: Version, path: str, raw: bytes | None, run: _Run) -> _FileItems | None:
    """A file's items; empty when the version has no such file, None when it cannot be read."""
    if raw is None:
        return _FileItems({})
    pieces = split(raw)
    if pieces is not None and _is_list(pieces.head):
        return _FileItems(pieces.head, pieces, roles=run.roles(pieces.head))
    return _whole(version, path, raw, run)


def _whole(version: Version, path: str, raw: bytes, run: _Run) -> _FileItems | None:
    """Vet and parse a whole file on the located path (files the splitter does not take)."""
    display = version.display(path)
    source = vet_bytes(raw, display)
    if isinstance(source, Finding):
        run.result.problems.append(source)
        return None
    if DERIVED in b"\n" + source.data:
        fast = fast_parse(source)
        if fast is not None and is_derived(fast.data):
            located = lambda: parse(source)  # noqa: E731
            return _derived(version, path, fast, run, located_parse=located, text=source.data)
    doc = parse(source)
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    if not errors and is_derived(doc.data):
        return _derived(version, path, doc, run)
    if errors or not isinstance(doc.data, dict) or not _is_list(doc.data):
        run.result.problems.extend(
            errors or [finding("file.not-a-list", doc.location(()), detail="无法比对")]
        )
        return None
    data = _plain(doc.data)
    head = {k: v for k, v in data.items() if k != "items"}
    found = _FileItems(head, roles=run.roles(head))
    for index, value in enumerate(data.get("items") or []):
        line = doc.location(("items", index)).line
        item = _item(head, value, (path, display), line, found.roles)
        if item is not None:
            found.items.append(item)
        elif isinstance(value, dict) and found.roles.code in value:
            run.result.problems.append(_code_not_text(doc, index, found.roles.code, value))
    return found


def _code_not_text(doc: YamlDocument, index: int, key: str, item: dict[str, Any]) -> Finding:
    """An item whose code is a list or a mapping cannot be matched: say so, rather than
    showing it as cancelled."""
    where = doc.location(("items", index, key))
    actual = type_name(item[key])
    return finding("schema.type", where, title="事项编码", expected="文本", actual=actual)


def _derived(
    version: Version,
    path: str,
    doc: YamlDocument,
    run: _Run,
    *,
    located_parse: Callable[[], YamlDocument] | None = None,
    text: bytes = b"",
) -> _FileItems | None:
    """A derived list's resolved items, from the files of the same version; an item made by an
    operation in this file is located at that operation.

    An operation that no longer fits its base (the catalog dropped an item a township modifies:
    the normal case when a base changes) is a finding beside the comparison; only a list that
    cannot be resolved at all stops it. ``doc`` may come from the fast parser (no lines) with
    ``located_parse`` to get them: anything found, or any item of the overlay's own that is left
    to compare, is then resolved again from the located parse."""
    display = version.display(path)
    disk = version.on_disk(path)
    root = _root_of(disk) if disk is not None and disk.is_file() else None
    if disk is None or root is None:
        run.result.problems.append(
            finding("file.not-a-list", doc.location(()), detail="派生清单不在清单集中，无法展开")
        )
        return None
    listset = run.workspace.open(root)
    only = run.codes_for(path)
    resolved = run.workspace.resolve(doc, disk, listset, only)
    if resolved.findings and located_parse is not None:
        again = located_parse()
        if again.ok and is_derived(again.data):
            return _derived(version, path, again, run)
        # yaml-rs took what PyYAML calls broken (``: x`` with no key): PyYAML's word counts
        errors = [f for f in again.findings if f.severity is Severity.ERROR]
        run.result.problems.extend(
            errors or [finding("file.not-a-list", again.location(()), detail="无法比对")]
        )
        return None
    errors = [f for f in resolved.findings if f.severity is Severity.ERROR]
    # limited to a few codes, a list may rightly have none of them left: only a list that
    # cannot be resolved at all stops the comparison
    if errors and not resolved.items and (only is None or not _resolves(run, doc, disk)):
        run.result.problems.extend(errors)
        return None
    run.result.findings.extend(f for f in resolved.findings if f not in run.result.findings)
    head = {"kind": resolved.kind, "unit": resolved.unit}
    located = ResolvedDocument(display, resolved, doc)

    def relocate() -> ResolvedDocument | None:
        assert located_parse is not None
        again = located_parse()
        if again.root is None:
            return None
        again_resolved = run.workspace.resolve(again, disk, listset, only)
        return ResolvedDocument(display, again_resolved, again)

    return _FileItems(
        head,
        resolved=_by_code(resolved.items, run.roles(head)),
        located=located,
        path=path,
        display=display,
        relocate=relocate if located_parse is not None else None,
        text=text,
        roles=run.roles(head),
    )


def _resolves(run: _Run, doc: YamlDocument, disk: Path) -> bool:
    root = _root_of(disk)
    return root is not None and bool(
        run.workspace.resolve(doc, disk, run.workspace.open(root)).items
    )


def _root_of(path: Path) -> Path | None:
    try:
        return find_root(path)
    except QingdanError:
        return None


def _is_list(data: dict[str, Any]) -> bool:
    return isinstance(data.get("kind"), str) and isinstance(data.get("unit"), str)


def _set_aside_equal(before: _FileItems, after: _FileItems) -> None:
    """Keep only pieces not present, byte for byte, on both sides of a file with one header."""
    if before.split is None or after.split is None or before.head != after.head:
        return
    common = Counter(before.split.pieces) & Counter(after.split.pieces)
    if not common:
        return
    for side in (before.split, after.split):
        budget = Counter(common)
        kept = []
        for index, piece in enumerate(side.pieces):
            if budget[piece]:
                budget[piece] -= 1
            else:
                kept.append(index)
        side.keep = kept


def _file_items(
    path: str, sides: list[tuple[Version, bytes | None]], run: _Run
) -> tuple[list[Item], list[Item]] | None:
    """Items of one file left to compare on each side, or None when a side cannot be read."""
    before, after = (_items(v, path, raw, run) for v, raw in sides)
    if before is None or after is None:
        return None
    if before.resolved is not None and after.resolved is not None:
        for code in [
            c for c, (_, v) in before.resolved.items() if after.resolved.get(c, (0, None))[1] == v
        ]:
            del before.resolved[code], after.resolved[code]
    before.build()
    after.build()
    _set_aside_equal(before, after)
    parsed = [_parsed(v, path, found) for (v, _), found in zip(sides, (before, after), strict=True)]
    if parsed[0] is not None and parsed[1] is not None:
        return parsed[0], parsed[1]
    # the splitter was fooled by a piece: compare the whole files instead
    whole = [_whole(v, path, raw, run) if raw is not None else _FileItems({}) for v, raw in sides]
    first, second = whole
    if first is None or second is None:
        return None
    first.build()
    second.build()
    return first.items, second.items


def _parsed(version: Version, path: str, found: _FileItems) -> list[Item] | None:
    """Items of the pieces left to compare (None when a piece does not hold one item)."""
    if found.split is None:
        return found.items
    display = version.display(path)
    items = []
    for index, line in zip(found.split.keep, found.split.lines(), strict=True):
        value = found.split.item(index)
        if value is None or not isinstance(value.get(found.roles.code, ""), str):
            return None  # the whole file's parse says where
        item = _item(found.head, value, (path, display), line, found.roles)
        if item is not None:
            items.append(item)
    return items


def _item(
    head: dict[str, Any], value: Any, where: tuple[str, str], line: int | None, roles: Roles
) -> Item | None:
    if not isinstance(value, dict) or not isinstance(value.get(roles.code), str):
        return None
    path, display = where
    unit, kind, code = str(head["unit"]), str(head["kind"]), value[roles.code]
    return Item(unit, kind, code, value, path, display, line, roles=roles)


def _plain(value: Any) -> Any:
    """Dates as the text they were written as, so both parsers' data compare equal."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# --- matching and classifying ----------------------------------------------------------------

_IDENTITY = ("unit", "kind", "code")


class _Matcher:
    def __init__(self, words: Vocabulary) -> None:
        self.words = words

    def match(self, gone: list[Item], came: list[Item]) -> list[ItemChange]:
        before = {(i.unit, i.code): i for i in gone}
        after = {(i.unit, i.code): i for i in came}
        changes = [
            self._changed(before.pop(key), after.pop(key)) for key in list(before) if key in after
        ]
        pairs = self._moved(before, after) + self._recoded(before, after)
        changes += [self._changed(a, b) for a, b in pairs]
        changes += [ItemChange(ChangeType.REMOVED, i, None) for i in before.values()]
        changes += [ItemChange(ChangeType.ADDED, None, i) for i in after.values()]
        changes = [c for c in changes if c.type is not ChangeType.MODIFIED or c.fields]
        changes.sort(key=_order)
        return changes

    def _moved(
        self, before: dict[tuple[str, str], Item], after: dict[tuple[str, str], Item]
    ) -> list[tuple[Item, Item]]:
        """The same code gone from one township and new in exactly one other."""
        by_code: dict[str, list[tuple[str, str]]] = {}
        for key in after:
            by_code.setdefault(key[1], []).append(key)
        gone_codes = Counter(code for _, code in before)
        pairs = []
        for key in list(before):
            targets = by_code.get(key[1], [])
            if len(targets) == 1 and gone_codes[key[1]] == 1:
                pairs.append((before.pop(key), after.pop(targets[0])))
        return pairs

    def _recoded(
        self, before: dict[tuple[str, str], Item], after: dict[tuple[str, str], Item]
    ) -> list[tuple[Item, Item]]:
        """Greedy best-first pairing of alike items within a township."""
        if not before or not after:
            return []
        grams = {id(i): _grams(i) for i in (*before.values(), *after.values())}
        scored = []
        for old_key, old in before.items():
            for new_key, new in after.items():
                if old.unit == new.unit:
                    score = _alike(grams[id(old)], grams[id(new)])
                    if score >= RECODE_MIN_SCORE:
                        scored.append((score, old_key, new_key))
        pairs = []
        for _, old_key, new_key in sorted(scored, key=lambda s: -s[0]):
            if old_key in before and new_key in after:
                pairs.append((before.pop(old_key), after.pop(new_key)))
        return pairs

    def _changed(self, old: Item, new: Item) -> ItemChange:
        fields = [
            FieldChange(name, title, old_text, new_text)
            for name, title, old_text, new_text in self._fields(old, new)
            if old_text != new_text
        ]
        names = {f.field for f in fields}
        roles = new.roles
        if names & {"kind", roles.category}:
            kind = ChangeType.RECATEGORIZED
        elif names & {roles.code, roles.name}:
            kind = ChangeType.RENAMED
        else:
            kind = ChangeType.MODIFIED
        return ItemChange(kind, old, new, fields)

    def _fields(self, old: Item, new: Item) -> Iterable[tuple[str, str, str, str]]:
        words = self.words
        yield "unit", "所属镇街", words.unit_label(old.unit), words.unit_label(new.unit)
        yield "kind", "清单", words.kind_title(old.kind), words.kind_title(new.kind)
        for key in words.order(new.kind, (*old.data, *new.data)):
            if old.data.get(key) != new.data.get(key):
                title = words.title(new.kind, [key])
                yield (
                    key,
                    title,
                    words.text(new.kind, key, old.data.get(key)),
                    words.text(new.kind, key, new.data.get(key)),
                )


def _grams(item: Item) -> tuple[set[str], set[str]]:
    rest = {k: v for k, v in item.data.items() if k not in (item.roles.code, item.roles.name)}
    body = json.dumps(rest, ensure_ascii=False, sort_keys=True)
    return _bigrams(item.name), _bigrams(body)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def _alike(a: tuple[set[str], set[str]], b: tuple[set[str], set[str]]) -> float:
    return 0.4 * _dice(a[0], b[0]) + 0.6 * _dice(a[1], b[1])


def _order(change: ItemChange) -> tuple[str, str, str]:
    item = change.item
    return (item.unit, item.kind, item.code)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
