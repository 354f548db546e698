"""Everything that can be said about one list file on its own.

This is the unit of parallel work and of caching: its result depends only on the file's bytes and
the list set's support files (config, registry, category trees, schemas).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from qingdan import admissions, missing
from qingdan.checks import rules, text
from qingdan.checks.overlay import overlay_findings
from qingdan.checks.schema import SchemaFindings, implicit_findings, pointer
from qingdan.findings import Finding
from qingdan.kinds import Kind
from qingdan.listset import ListSet
from qingdan.messages import finding
from qingdan.model import Resolved, ResolvedDocument, is_derived
from qingdan.schemas import PathPart
from qingdan.yamldoc import YamlDocument

Entry = tuple[str, str, int]
"""(code, name, index in ``items``) of one item; located only if a cross-file rule needs it."""


@dataclass(slots=True, eq=False)
class FileOutcome:
    """What one file contributes: its findings, and what cross-file rules need of it."""

    display: str
    findings: list[Finding] = field(default_factory=list)
    kind: str | None = None
    unit: str | None = None
    items: int = 0
    entries: list[Entry] = field(default_factory=list)
    derived: bool = False
    """Resolved from a base list: the outcome also depends on the files in ``deps``."""
    deps: list[str] = field(default_factory=list)
    """The files a derived list's items stand on (absolute paths), up its chain."""
    tally: list[tuple[str, str, int]] = field(default_factory=list)
    """For a derived list: its items counted by category and provenance (``qingdan stats``)."""
    written_unit: str | None = None
    """``unit`` as the file writes it (``unit`` holds the registry's code); of a derived
    list, as its resolved list has it."""
    missing: list[tuple[str, int]] = field(default_factory=list)
    """Marked-missing values (``{待补充: …}``) in the list's items, counted per field title,
    inherited ones included: what ``stats`` and the book's 编制说明 report as 待补充."""

    def to_cache(self) -> dict[str, Any]:
        return {
            "missing": self.missing,
            "display": self.display,
            "deps": self.deps,
            "tally": self.tally,
            "written_unit": self.written_unit,
            "findings": [f.to_tuple() for f in self.findings],
            "kind": self.kind,
            "unit": self.unit,
            "items": self.items,
            "entries": self.entries,
            "derived": self.derived,
        }

    @classmethod
    def from_cache(cls, display: str, raw: dict[str, Any]) -> FileOutcome:
        """The outcome as ``to_cache`` wrote it; raises TypeError, ValueError or KeyError on
        anything else (a damaged cache), so that the caller discards it rather than trust it."""
        return cls(
            display,
            [Finding.from_tuple(t) for t in raw["findings"]],
            _text_or_none(raw["kind"]),
            _text_or_none(raw["unit"]),
            int(raw["items"]),
            [(_text(c), _text(n), int(i)) for c, n, i in raw["entries"]],
            bool(raw.get("derived")),
            [_text(d) for d in raw.get("deps") or ()],
            [(_text(c), _text(h), int(n)) for c, h, n in raw.get("tally") or ()],
            _text_or_none(raw.get("written_unit")),
            [(_text(f), int(n)) for f, n in raw.get("missing") or ()],
        )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _text_or_none(value: Any) -> str | None:
    return None if value is None else _text(value)


Resolve = Callable[[YamlDocument], Resolved]
"""Resolves a derived list (the command's workspace does it, with the bases it has read)."""


def check_file(
    doc: YamlDocument, listset: ListSet, today: dt.date, resolve: Resolve
) -> FileOutcome:
    """Check a parsed list file (whose reading problems are already on ``doc``)."""
    outcome = FileOutcome(doc.display, list(doc.findings))
    if not doc.ok:
        return outcome
    if isinstance(doc.data, dict) and "provenance" in doc.data:  # written by qingdan resolve
        doc.data = {k: v for k, v in doc.data.items() if k != "provenance"}
    overlay = None
    if is_derived(doc.data):
        outcome.derived = True
        resolved = resolve(doc)
        outcome.deps = [str(p) for p in resolved.sources]
        outcome.findings.extend(resolved.findings)
        if not resolved.items and resolved.findings:
            return outcome
        overlay, doc = doc, ResolvedDocument(doc.display, resolved, doc)
    kind = _kind_of(doc, listset, outcome)
    if kind is None:
        return outcome
    if overlay is not None:
        outcome.findings.extend(overlay_findings(overlay, kind))
        tally = resolved.tally(kind.local_fields, kind.roles.category)
        outcome.tally = admissions.exits(tally, resolved, kind, listset.admissions, today)
        outcome.written_unit = resolved.unit
    _FileCheck(doc, kind, listset, today, outcome).run()
    return outcome


def _own_values(
    doc: YamlDocument, valid: list[tuple[int, dict[str, Any]]]
) -> list[tuple[int, dict[str, Any]]]:
    """The values a file itself wrote: all of a plain list; of a derived one, the items it adds
    and the fields it sets. Inherited text was checked in the base file, where its findings are
    reported (text hygiene does not depend on the list set, unlike references), so scanning it
    again here would only find the same thing at the same place, at half the cost of validate.
    """
    if not isinstance(doc, ResolvedDocument):
        return valid
    own = []
    for index, item in valid:
        origin = doc.origins[index]
        if origin.source == "新增":
            own.append((index, item))
        elif origin.source == "修改":
            own.append((index, {k: item[k] for k in origin.fields if k in item}))
    return own


def _kind_of(doc: YamlDocument, listset: ListSet, outcome: FileOutcome) -> Kind | None:
    data = doc.data
    if not isinstance(data, dict):
        what = "内容是列表" if isinstance(data, list) else f"内容只是一个值（{str(data)[:20]}）"
        outcome.findings.append(finding("file.not-a-list", doc.location(()), detail=what))
        return None
    name = data.get("kind")
    if name is None:
        detail = "缺少 kind（清单类型）" if "items" in data else "没有 kind 和 items 字段"
        outcome.findings.append(finding("file.not-a-list", doc.location(()), detail=detail))
        return None
    kind = listset.kinds.get(name) if isinstance(name, str) else None
    if kind is None:
        outcome.findings.append(
            finding(
                "list.unknown-kind",
                doc.location(("kind",)),
                kind=name,
                known="、".join(listset.kinds) or "无",
                field="清单类型",
                path="/kind",
            )
        )
    return kind


class _FileCheck:
    def __init__(
        self, doc: YamlDocument, kind: Kind, listset: ListSet, today: dt.date, out: FileOutcome
    ) -> None:
        self.doc, self.kind, self.out = doc, kind, out
        self.region = listset.config.region
        self.admissions = listset.admissions
        self.main_percent = listset.config.township_main_percent
        self.ctx = rules.RuleContext(
            kind, listset.departments, listset.categories.get(kind.name), today
        )
        out.kind = kind.name

    def run(self) -> None:
        data: dict[str, Any] = self.doc.data
        items = data.get("items")
        valid_items = self._schema(data, items)
        self.out.findings.extend(implicit_findings(self.doc, self.kind.schema, self._title))
        unit = data.get("unit")
        self.out.unit = unit if isinstance(unit, str) else None
        self.out.written_unit = self.out.written_unit or self.out.unit
        if self.ctx.departments is not None and isinstance(unit, str):
            dept = self.ctx.departments.get(unit)
            self.out.unit = dept.code if dept else unit
        self._file_rules(data)
        self._item_rules(valid_items)
        self._entries(items if isinstance(items, list) else [])

    def _schema(self, data: dict[str, Any], items: Any) -> list[tuple[int, dict[str, Any]]]:
        """Schema findings; returns the items that passed, which the rules then look at."""
        schema, item_schema = self.kind.schema, self.kind.item
        self.out.items = len(items) if isinstance(items, list) else 0
        if schema.is_valid(data):
            return list(enumerate(items))
        shell = dict(data)
        if isinstance(items, list):
            shell["items"] = []
        found = SchemaFindings(self.doc, schema, (), None).translate(schema.errors(shell))
        self.out.findings.extend(found)
        if not isinstance(items, list):
            return []
        valid = []
        for index, item in enumerate(items):
            if item_schema.is_valid(item):
                valid.append((index, item))
                continue
            code = item.get(self.kind.roles.code) if isinstance(item, dict) else None
            code = code if isinstance(code, str) else None
            translator = SchemaFindings(self.doc, item_schema, ("items", index), code)
            found = translator.translate(item_schema.errors(item))
            if not found:  # the two validators disagree: still say something useful
                detail = "；".join(item_schema.fast_messages(item)) or "未知原因"
                found = [
                    finding(
                        "schema.invalid",
                        self.doc.location(("items", index)),
                        title="事项",
                        detail=detail,
                        item=code,
                        path=pointer(("items", index)),
                    )
                ]
            self.out.findings.extend(found)
        return valid

    def _file_rules(self, data: dict[str, Any]) -> None:
        head = tuple(r for r in self.kind.schema.ref_fields if r.path[:1] != ("items",))
        if data.get("unit") == self.region:  # the list for the whole region: its guidance list
            head = tuple(r for r in head if r.path != ("unit",))
        for code, path, values in rules.references(data, self.ctx, head):
            self._add(code, path, values)

    def _item_rules(self, valid: list[tuple[int, dict[str, Any]]]) -> None:
        refs = self.kind.item.ref_fields
        numbers = self.kind.item.document_numbers
        for index, item in valid:
            for code, path, values in rules.check_item(item, self.ctx, refs, numbers):
                self._add(code, ("items", index, *path), values)
        self._township_share(valid)
        self._admissions(valid)
        own = _own_values(self.doc, valid)
        self._missing(valid, own)
        quick = self.doc.dumped is not None and text.clean_json(self.doc.dumped)
        hits = [] if quick else text.scan(own)
        self.out.findings.extend(
            text.findings(hits, self.doc.location, self._item_code, self._title)
        )

    def _admissions(self, valid: list[tuple[int, dict[str, Any]]]) -> None:
        """准入: items a derived list adds cite an approved record; ended records end items."""
        origins = self.doc.origins if isinstance(self.doc, ResolvedDocument) else None
        for index, item in valid:
            added = origins is not None and origins[index].source == "新增"
            found = admissions.item_hits(
                item, self.kind, self.admissions, self.ctx.today, added=added
            )
            for code, path, values in found:
                self._add(code, ("items", index, *path), values)

    def _missing(
        self, valid: list[tuple[int, dict[str, Any]]], own: list[tuple[int, dict[str, Any]]]
    ) -> None:
        """A warning at each marker the file itself wrote (inherited ones are reported in the
        base list), and the count of all of them by field."""
        if not missing.anywhere([item for _, item in valid]):
            return
        counts: Counter[str] = Counter()
        for _, item in valid:
            counts.update(self.kind.item.field_title(p) for p, _ in missing.found(item))
        self.out.missing = sorted(counts.items())
        for index, item in own:
            for path, marker in missing.found(item):
                at = ("items", index, *path)
                values = {"title": self._title(at), "note": missing.note(marker)}
                self._add("value.missing", at, values)

    def _township_share(self, valid: list[tuple[int, dict[str, Any]]]) -> None:
        if not self.kind.territorial or not valid:
            return
        key = self.kind.roles.code
        mains = [str(item.get(key)) for _, item in valid if rules.township_main(item, self.ctx)]
        count = len(mains)
        share = count / len(valid)
        limit = self.main_percent / 100
        if share > limit:
            self.out.findings.append(
                finding(
                    "rule.township-main-share",
                    self.doc.location(("items",), key=True),
                    count=count,
                    total=len(valid),
                    share=f"{share:.0%}",
                    limit=f"{limit:.0%}",
                    codes="、".join(mains),
                    path="/items",
                )
            )

    def _add(self, code: str, path: tuple[PathPart, ...], values: dict[str, Any]) -> None:
        self.out.findings.append(
            finding(
                code,
                self.doc.location(path),
                item=self._item_code(path),
                field=self._title(path),
                path=pointer(path),
                **values,
            )
        )

    def _item_code(self, path: tuple[PathPart, ...]) -> str | None:
        if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
            item = self.doc.data["items"][path[1]]
            code = item.get(self.kind.roles.code) if isinstance(item, dict) else None
            return code if isinstance(code, str) else None
        return None

    def _title(self, path: tuple[PathPart, ...]) -> str:
        if len(path) >= 2 and path[0] == "items":
            return self.kind.item.field_title(path[2:])
        return self.kind.schema.field_title(path)

    def _entries(self, items: list[Any]) -> None:
        for index, item in enumerate(items):
            if isinstance(item, dict):
                roles = self.kind.roles
                code, name = item.get(roles.code), item.get(roles.name)
                if isinstance(code, str) and isinstance(name, str):
                    self.out.entries.append((code, name, index))
