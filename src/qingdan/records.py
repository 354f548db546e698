"""Change records (调整记录): which approved adjustment covers which change of a list.

A record file in ``changes/`` is one adjustment batch: its approval and the items it adjusts,
each with a type and a reason. ``validate`` checks the files like lists; ``check`` asks whether
every change between two versions is covered by a record that is new in the later version, and
whether every such record's items really changed.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from qingdan.checks import overlay, rules
from qingdan.checks.schema import pointer
from qingdan.diff import ChangeType, Diff, ItemChange, summarize
from qingdan.findings import Finding, Location
from qingdan.listset import ListSet, checked
from qingdan.messages import finding
from qingdan.registry import Departments
from qingdan.schemas import builtin
from qingdan.versions import Version
from qingdan.yamldoc import YamlDocument, load_bytes

ACCEPTS: dict[ChangeType, frozenset[str]] = {
    ChangeType.ADDED: frozenset({"新增", "下放"}),
    ChangeType.REMOVED: frozenset({"取消", "收回"}),
    ChangeType.MODIFIED: frozenset({"调整"}),
    ChangeType.RENAMED: frozenset({"更名", "调整"}),
    ChangeType.RECATEGORIZED: frozenset({"类别变更", "调整"}),
}
"""Which recorded types fit a detected change (收回 is a removal, 下放 an addition)."""

DERIVE_WORDS = {"不采用": "取消", "修改": "调整"}
"""Words of derived lists (derive.md) that people write as a record type, and the record's word."""

PLACEHOLDER = overlay.PLACEHOLDER
"""What ``check --draft`` leaves in the fields only the user can fill in (``x-placeholder``)."""

IDENTITY_FIELDS = ("code", "unit", "kind")
"""Changed fields that say which item it is rather than what it says; records do not list them."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One adjustment of a batch: its type, items, reason and the batch's approval."""

    batch: str
    type: str
    codes: tuple[str, ...]
    units: frozenset[str]
    fields: tuple[str, ...]
    reason: str
    reference: str
    date: str
    """The approval's date as written (2026-03-02)."""
    content: str
    """What the adjustment does, in the record's words (empty where it does not say)."""
    location: Location
    code_lines: tuple[Location, ...]
    key: str
    """Identity across versions: the batch and the entry's whole content."""

    def covers(self, change: ItemChange) -> bool:
        if not change.codes & set(self.codes):
            return False
        units = {i.unit for i in (change.old, change.new) if i is not None}
        return not self.units or bool(units & self.units)


@dataclass(eq=False)
class Coverage:
    """Which entry covers which change, and the findings of a ``check``."""

    by_change: dict[int, Entry] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def entry(self, change: ItemChange) -> Entry | None:
        return self.by_change.get(id(change))

    def type_of(self, change: ItemChange) -> str:
        """The type offices print: a recorded 收回 or 下放 names a removal or addition better."""
        entry = self.entry(change)
        if entry is not None and entry.type in ACCEPTS[change.type]:
            return entry.type
        return change.type.value

    def summary(self, diff: Diff) -> str:
        return summarize(self.type_of(c) for c in diff.changes)


# --- reading -----------------------------------------------------------------------------------


def read_entries(
    version: Version, registry: Departments | None = None
) -> tuple[list[Entry], list[Finding]]:
    """Entries of a version's record files; files with errors contribute findings, not entries."""
    entries: list[Entry] = []
    found: list[Finding] = []
    paths = sorted(version.records)
    for path, raw in version.read(paths).items():
        doc = _readable(load_bytes(raw, version.display(path)), found)
        if doc is not None:
            found.extend(_rules(doc, registry))
            entries.extend(_entries(doc))
    return entries, found


def check_records(listset: ListSet, version: Version) -> tuple[int, list[Finding]]:
    """What ``validate`` says of a list set's record files: (files read, findings)."""
    entries, found = read_entries(version, listset.departments)
    kinds = list(listset.kinds.values())
    examples = "、".join(k.code_example for k in kinds)
    for entry in entries:
        for code, loc in zip(entry.codes, entry.code_lines, strict=True):
            if not any(k.code_regex.match(code) for k in kinds):  # it cannot name any item
                found.append(
                    finding(
                        "change.bad-code",
                        loc,
                        item=code,
                        field="事项编码",
                        code=code,
                        examples=examples,
                    )
                )
    return len(version.records), found


def _readable(doc: YamlDocument, sink: list[Finding]) -> YamlDocument | None:
    """The record file checked against its schema, where a draft's placeholders and a derive
    word used as the type each get one finding of their own. They stand in for valid values
    during the check, so they neither hide the file's other problems nor, in ``check``, turn
    every change of the batch into an uncovered one."""
    if not doc.ok or not isinstance(doc.data, dict):
        return checked(doc, builtin("changes"), sink)
    data = copy.deepcopy(doc.data)
    schema = builtin("changes")
    for pattern, _ in schema.annotated("x-placeholder"):
        for where, value in rules.values_at(data, pattern):
            if value == PLACEHOLDER:
                title = schema.field_title(where)
                sink.append(
                    finding(
                        "change.placeholder",
                        doc.location(where),
                        item=_item_of(data, where),
                        field=title,
                        path=pointer(where),
                        title=title,
                        placeholder=PLACEHOLDER,
                    )
                )
                examples = schema.keyword(schema.at(where), "examples")
                _put(data, where, examples[0] if examples else value)
    for where, value in rules.values_at(data, ("changes", "*", "type")):
        if isinstance(value, str) and value in DERIVE_WORDS:
            sink.append(
                finding(
                    "change.derive-word",
                    doc.location(where),
                    item=_item_of(data, where),
                    field=schema.field_title(where),
                    path=pointer(where),
                    word=value,
                    type=DERIVE_WORDS[value],
                )
            )
            _put(data, where, DERIVE_WORDS[value])
    return checked(dataclasses.replace(doc, data=data), schema, sink)


def _item_of(data: dict[str, Any], path: tuple[Any, ...]) -> str | None:
    """The item codes of the entry ``path`` is in, as findings name their item."""
    if len(path) < 2 or path[0] != "changes" or not isinstance(data.get("changes"), list):
        return None
    codes = data["changes"][path[1]].get("items")
    return "、".join(map(str, codes)) if isinstance(codes, list) and codes else None


def _put(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _rules(doc: YamlDocument, registry: Departments | None) -> list[Finding]:
    schema = builtin("changes")
    hits = [
        *rules.department_refs(doc.data, registry, schema.ref_fields),
        *rules.document_numbers(doc.data, schema.document_numbers),
    ]
    return [
        finding(
            code,
            doc.location(path),
            field=schema.field_title(path),
            path=pointer(path),
            **values,
        )
        for code, path, values in hits
    ]


def _entries(doc: YamlDocument) -> list[Entry]:
    data: dict[str, Any] = doc.data
    approval = data["approval"]
    reference = f"{approval['authority']} {approval['number']}"
    out = []
    for index, raw in enumerate(data["changes"]):
        out.append(
            Entry(
                batch=data["batch"],
                type=raw["type"],
                codes=tuple(raw["items"]),
                units=frozenset(raw.get("units") or ()),
                fields=tuple(raw.get("fields") or ()),
                reason=raw["reason"],
                reference=reference,
                date=str(approval["date"]),
                content=str(raw.get("content") or ""),
                location=doc.location(("changes", index)),
                code_lines=tuple(
                    doc.location(("changes", index, "items", i)) for i in range(len(raw["items"]))
                ),
                key=json.dumps(
                    [data["batch"], raw], ensure_ascii=False, sort_keys=True, default=str
                ),
            )
        )
    return out


# --- coverage ----------------------------------------------------------------------------------


def cover(diff: Diff, entries: list[Entry]) -> Coverage:
    """Match each change to the entry that covers it (a later batch wins over an earlier one)."""
    result = Coverage()
    for change in diff.changes:
        entry = next((e for e in reversed(entries) if e.covers(change)), None)
        if entry is not None:
            result.by_change[id(change)] = entry
            result.findings.extend(_fit(change, entry))
    return result


@dataclass(frozen=True, slots=True)
class Audit:
    """What ``check`` needs to word its findings."""

    base: str
    records_dir: str
    unit_label: Callable[[str], str]
    kind_title: Callable[[str], str]
    where: Callable[[ItemChange], Location]


def audit(diff: Diff, pending: list[Entry], words: Audit) -> Coverage:
    """Coverage by the entries new in this version, with a finding for every change no entry
    covers and for every entry code that did not change."""
    result = cover(diff, pending)
    for change in diff.changes:
        if result.entry(change) is None:
            result.findings.append(_uncovered(change, words))
    for entry in pending:
        for code, loc in zip(entry.codes, entry.code_lines, strict=True):
            if not any(code in c.codes and entry.covers(c) for c in diff.changes):
                scope = "、".join(sorted(entry.units)) + "的" if entry.units else ""
                result.findings.append(
                    finding(
                        "change.unused",
                        loc,
                        item=code,
                        type=entry.type,
                        code=code,
                        base=words.base,
                        scope=scope,
                    )
                )
    return result


_VERBS = {
    ChangeType.ADDED: "是新增的",
    ChangeType.REMOVED: "被删除了",
    ChangeType.RECATEGORIZED: "变更了类别",
    ChangeType.RENAMED: "更改了名称或编码",
    ChangeType.MODIFIED: "有调整",
}


def _uncovered(change: ItemChange, words: Audit) -> Finding:
    item = change.item
    detail = (
        "、".join(f.title for f in change.fields) or f"{words.kind_title(item.kind)} {item.code}"
    )
    if change.old and change.new and change.old.code != change.new.code:
        detail = f"编码 {change.old.code} → {change.new.code}；{detail}"
    return finding(
        "change.uncovered",
        words.where(change),
        item=item.code,
        unit=words.unit_label(item.unit),
        kind=words.kind_title(item.kind),
        name=item.name,
        change=_VERBS[change.type],
        detail=detail,
        records=words.records_dir,
        base=words.base,
    )


def _fit(change: ItemChange, entry: Entry) -> list[Finding]:
    found = []
    code = change.item.code
    if entry.type not in ACCEPTS[change.type]:
        found.append(
            finding(
                "change.type-mismatch",
                entry.location,
                item=code,
                recorded=entry.type,
                actual=change.type.value,
                code=code,
            )
        )
    extra = [f.title for f in change.fields if f.field not in (*entry.fields, *IDENTITY_FIELDS)]
    if entry.fields and extra:
        found.append(
            finding(
                "change.fields-mismatch",
                entry.location,
                item=code,
                code=code,
                fields="、".join(extra),
                declared="、".join(entry.fields),
            )
        )
    return found
