"""A change-record batch drafted from the changes no record covers (``check --draft``).

``check`` already knows every uncovered change: which item, of which unit, what kind of change
and which fields, from what to what. The draft writes that down as a record file, one entry per
change, so the user only adds what qingdan cannot know: the reason and the approval. Those are
left as ``待填写`` (``records.PLACEHOLDER``), which ``validate`` reports until they are filled in;
everything else in the draft is a valid record.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qingdan import atomic
from qingdan.comparison import CheckResult
from qingdan.diff import ItemChange
from qingdan.errors import QingdanError
from qingdan.listset import ListSet, display_path
from qingdan.outputs import Source, check_file
from qingdan.records import IDENTITY_FIELDS, PLACEHOLDER
from qingdan.schemas import builtin
from qingdan.source import read_regular
from qingdan.yamlwrite import dump

MARK = "# 调整记录草稿：由 qingdan check --draft 生成"
"""The first line of every draft; a file that starts with it and still has a placeholder may be
written over by the next draft (nothing of the user's is in it yet)."""

HEADER = (
    MARK + "（与 {base} 比对，{count} 处变化没有调整记录）。\n"
    "# 请把每个“待填写”换成实际内容：调整批次、批准机关、批准文号、批准日期（写成 2026-03-02）\n"
    "# 和每一项的调整理由；核对调整类型（取消的也可能是“收回”，新增的也可能是“下放”）。\n"
    "# 格式见 docs/changes.md；填写完成后运行 qingdan check --base {base}。\n"
)


def check_target(path: Path, listset: ListSet, bases: Sequence[ListSet]) -> None:
    """Before the audit: the draft can be written to ``path`` without losing anyone's work."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise QingdanError(f"调整记录草稿只能写成 .yaml 文件，而不是“{path.name}”。")
    records = records_dir(listset)
    if path.parent.resolve() == records.resolve() and not records.exists():
        return  # the list set's own records folder, made with the draft: not a typo's guess
    allow = frozenset({Source.CHANGES})
    check_file(path, listset, what="调整记录草稿", allow=allow, bases=bases)
    if path.exists() and not _is_draft(path):
        raise QingdanError(
            f"{display_path(path)} 已经存在，而且不是还没有填写的草稿：为免覆盖已有的调整记录，"
            "请在 --draft 中换一个文件名，或先把这个文件移走。"
        )


def records_dir(listset: ListSet) -> Path:
    return listset.root / listset.config.changes


def uncovered(result: CheckResult, target: Path) -> list[ItemChange]:
    """The changes the draft is for: no record covers them, or only the draft being replaced."""
    own = display_path(target)
    coverage = result.comparison.coverage
    return [
        change
        for change in result.comparison.diff.changes
        if (entry := coverage.entry(change)) is None or entry.location.file == own
    ]


def write_draft(result: CheckResult, base: str, changes: list[ItemChange], target: Path) -> None:
    text = HEADER.format(base=base, count=len(changes)) + render(result, changes)
    try:
        target.parent.mkdir(exist_ok=True)  # only ever the records folder (see check_target)
        atomic.write_bytes(target, text.encode("utf-8"))
    except OSError as error:
        shown = display_path(target)
        raise QingdanError(f"无法写入 {shown}：{error.strerror or error}。") from error


def render(result: CheckResult, changes: list[ItemChange]) -> str:
    """The batch as YAML, each entry under a comment naming the item the way people do."""
    head = {
        "batch": PLACEHOLDER,
        "approval": {"authority": PLACEHOLDER, "number": PLACEHOLDER, "date": PLACEHOLDER},
    }
    words = result.comparison.words
    lines = [dump(head), "changes:\n"]
    for change in changes:
        item = change.item
        lines.append(
            f"  # {words.unit_label(item.unit)} {words.kind_title(item.kind)} "
            f"{item.code} {item.name}\n"
        )
        entry = dump([_entry(change, result.comparison.listset)])
        lines.extend(f"  {line}\n" for line in entry.splitlines())
    return "".join(lines)


def _entry(change: ItemChange, listset: ListSet | None) -> dict[str, Any]:
    item = change.item
    entry: dict[str, Any] = {"type": change.type.value, "items": sorted(change.codes)}
    if _is_township(item.unit, listset):
        entry["units"] = [item.unit]
    fields = [f for f in change.fields if f.field not in IDENTITY_FIELDS]
    if fields:
        entry["fields"] = [f.field for f in fields]
    entry["content"] = "；".join(f"{f.title}：“{f.old}” → “{f.new}”" for f in change.fields) or (
        f"{change.type.value}事项“{item.name}”"
    )
    entry["reason"] = PLACEHOLDER
    return entry


def _is_township(unit: str, listset: ListSet | None) -> bool:
    """Whether a record may name the unit in ``units``: the types the schema allows there."""
    registry = listset.departments if listset else None
    department = registry.get(unit) if registry else None
    allowed = next(
        (r.types for r in builtin("changes").ref_fields if r.path[-2:] == ("units", "*")), ()
    )
    return department is not None and department.type in allowed


def _is_draft(path: Path) -> bool:
    try:
        text = read_regular(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    values = (line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return text.startswith(MARK) and any(line.endswith(f": {PLACEHOLDER}") for line in values)
