"""准入 records (DOMAIN.md §6): nothing is pushed to a township outside its list without one.

A file in ``admissions/`` is one record: the matter, who applied, on what basis, for how long,
with what staff, funds and powers (权随事转), the township's and the reviewers' opinions, the
approval, and where it stands (申请→审核→审批→进入→退出). Items cite a record by its ``id`` in
their admission field (the kind's ``admission`` role). When a set keeps records (it has the
folder), an item a derived list adds outside its catalog must cite an approved one; an item whose
short-term record has ended, or was withdrawn, has left the list (退出).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qingdan.checks import rules
from qingdan.findings import Finding, Location
from qingdan.kinds import Kind
from qingdan.messages import finding
from qingdan.model import Resolved, ResolvedList, text
from qingdan.registry import Departments
from qingdan.schemas import PathPart, builtin
from qingdan.yamldoc import YamlDocument

APPROVED = frozenset({"审批", "进入"})
"""Statuses under which a record lets its items into a list."""
EXITED = "退出"
SHORT_TERMS = frozenset({"阶段性", "临时性"})
NOTICE_DAYS = 30
"""How long before a short-term record ends validate starts to warn, so the office can extend
it or prepare the item's exit in time."""
SUFFIXES = (".yaml", ".yml")

Hit = tuple[str, tuple[PathPart, ...], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Admission:
    id: str
    term: str
    end: dt.date | None
    status: str
    location: Location

    def ended(self, today: dt.date) -> bool:
        """退出: withdrawn, or a short-term record past its end date."""
        return self.status == EXITED or (
            self.term in SHORT_TERMS and self.end is not None and self.end < today
        )


@dataclass(frozen=True, slots=True)
class Admissions:
    """A set's 准入 records by id; ``kept`` when the set has an admissions folder at all, which
    is what makes citing one obligatory for added items."""

    records: dict[str, Admission]
    kept: bool

    @classmethod
    def none(cls) -> Admissions:
        return cls({}, False)


def files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.endswith(SUFFIXES) and p.is_file())


def load(
    docs: Iterable[YamlDocument | None], registry: Departments | None, sink: list[Finding]
) -> Admissions:
    """The records of a set's admissions folder, read and checked against the schema (None
    for a file with errors, already reported)."""
    schema = builtin("admissions")
    records: dict[str, Admission] = {}
    for doc in docs:
        if doc is None:
            continue
        refs = rules.department_refs(doc.data, registry, schema.ref_fields)
        sink.extend(_finding(doc, code, where, values) for code, where, values in refs)
        record = _record(doc)
        if record.id in records:
            first = records[record.id].location
            sink.append(
                finding(
                    "admission.duplicate-id",
                    doc.location(("id",)),
                    path="/id",
                    id=record.id,
                    first=f"{first.file}:{first.line}",
                )
            )
        else:  # a record with a misspelt department still stands: its items are not unknown
            records[record.id] = record
    return Admissions(records, True)


def _finding(
    doc: YamlDocument, code: str, where: tuple[PathPart, ...], values: dict[str, Any]
) -> Finding:
    path = "".join(f"/{p}" for p in where)
    return finding(code, doc.location(where), path=path, **values)


def _record(doc: YamlDocument) -> Admission:
    data = doc.data
    end = data.get("end")
    return Admission(
        id=str(data["id"]),
        term=str(data["type"]),
        end=dt.date.fromisoformat(end) if isinstance(end, str) else None,
        status=str(data["status"]),
        location=doc.location(("id",)),
    )


def item_hits(
    item: dict[str, Any], kind: Kind, admissions: Admissions, today: dt.date, *, added: bool
) -> Iterator[Hit]:
    """What the records say of one item: an added item without an approved record, a cited
    record that does not exist, and an item whose record has ended or is about to."""
    key = kind.roles.admission
    cited = item.get(key)
    if not isinstance(cited, str):
        if added and admissions.kept:
            yield "admission.missing", (key,), {"key": key}
        return
    record = admissions.records.get(cited)
    if record is None:
        if admissions.kept:
            known = "、".join(sorted(admissions.records)) or "无"
            yield "admission.unknown", (key,), {"id": cited, "known": known}
        return
    if record.ended(today):
        why = "已撤销（状态为“退出”）" if record.status == EXITED else f"已于 {record.end} 到期"
        yield "admission.expired", (key,), {"id": cited, "why": why, "term": record.term}
        return
    if record.status not in APPROVED:
        yield "admission.not-approved", (key,), {"id": cited, "status": record.status}
        return
    if record.term in SHORT_TERMS and record.end is not None:
        left = (record.end - today).days
        if left <= NOTICE_DAYS:
            values = {"id": cited, "term": record.term, "end": record.end, "days": left}
            yield "admission.expiring", (key,), values


def exited(item: dict[str, Any], kind: Kind, admissions: Admissions, today: dt.date) -> bool:
    """True when the item's own record has ended: it still reads in the list, but has left it."""
    cited = item.get(kind.roles.admission)
    record = admissions.records.get(cited) if isinstance(cited, str) else None
    return record is not None and record.ended(today)


def exits(
    tally: list[tuple[str, str, int]],
    resolved: Resolved,
    kind: Kind,
    admissions: Admissions,
    today: dt.date,
) -> list[tuple[str, str, int]]:
    """A derived list's counts (``Resolved.tally``) with the items whose record has ended moved
    to 退出: they are still written in the list, but have left it."""
    counts = Counter({(category, how): n for category, how, n in tally})
    for item, origin in zip(resolved.items, resolved.origins, strict=True):
        if exited(item, kind, admissions, today):
            category = text(item.get(kind.roles.category))
            how: str = origin.source
            if how == "修改" and origin.fields and set(origin.fields) <= kind.local_fields:
                how = "填写本地信息"  # as Resolved.tally counted it
            counts[(category, how)] -= 1
            counts[(category, EXITED)] += 1
    return [(category, how, n) for (category, how), n in counts.items() if n]


def exits_unrecorded(
    lists: Iterable[ResolvedList],
    admissions: Admissions,
    today: dt.date,
    recorded: Callable[[str], bool],
) -> list[Finding]:
    """``check``: an item whose record has ended has left the list (退出), which is a change
    like any other; still listed and with no new record of its removal, it is one nobody made."""
    found = []
    for listed in lists:
        if listed.kind is None:
            continue
        key = listed.kind.roles.admission
        for index, item in enumerate(listed.items):
            cited = item.values.get(key)
            record = admissions.records.get(cited) if isinstance(cited, str) else None
            if record is None or not record.ended(today) or recorded(item.code):
                continue
            why = "已撤销" if record.status == EXITED else f"已于 {record.end} 到期"
            found.append(
                finding(
                    "change.expired-listed",
                    listed.location(index, key),
                    item=item.code,
                    field=listed.kind.item.title((key,)),
                    path=f"/items/{index}/{key}",
                    id=record.id,
                    why=why,
                    name=item.name,
                )
            )
    return found
