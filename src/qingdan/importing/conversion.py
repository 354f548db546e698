"""A workbook into list files: sheets → items → list data, validated as the files it would
write, every finding placed at the workbook cell it came from.

Nothing is written here; the command writes the lists only when ``Conversion.result`` has no
errors, so a workbook with a problem leaves the output folder as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qingdan.checks import crossfile
from qingdan.checks.listfile import FileOutcome
from qingdan.errors import QingdanError
from qingdan.findings import Finding, Location, ValidationResult
from qingdan.importing.cells import cell_text
from qingdan.importing.codes import CodeMaker
from qingdan.importing.headers import Header, find_header
from qingdan.importing.items import Row, SheetRows, ordered, read_rows
from qingdan.importing.overlay import derived
from qingdan.importing.reading import Sheet, read_workbook
from qingdan.kinds import Kind
from qingdan.listset import ListSet, display_path, find_root
from qingdan.messages import finding
from qingdan.validation import check_file_bytes
from qingdan.workspace import Workspace
from qingdan.yamlwrite import dump

PLACEHOLDER_CODE = "derive.reason-placeholder"
UNIT_TYPE = "镇街"
"""The registry type of the units lists belong to, looked for in a workbook's title rows."""


@dataclass(frozen=True, slots=True)
class Request:
    workbook: Path
    folder: Path
    """Where the list files go (``<folder>/<kind>.yaml``)."""
    kind: str | None = None
    unit: str | None = None
    derive_from: str | None = None


@dataclass(frozen=True, slots=True)
class ImportedList:
    path: Path
    text: str
    """The file as it is validated and written: a comment naming the workbook, then the YAML."""


@dataclass(frozen=True, slots=True)
class Checked:
    """A list as validated, with what places its items at the workbook's cells."""

    outcome: FileOutcome
    place: Place
    display: str
    first_sheet: str


@dataclass(slots=True)
class Conversion:
    lists: list[ImportedList] = field(default_factory=list)
    result: ValidationResult = field(default_factory=ValidationResult)
    placeholders: int = 0
    """Reasons left as placeholders in a derived list (``--derive-from``), for the user to fill."""
    checked: list[Checked] = field(default_factory=list)


def cross_checked(listset: ListSet, conversions: Sequence[Conversion]) -> list[Finding]:
    """The rules over several files (codes unique per township, names unique per list, a code
    never standing for two items: ``checks.crossfile``) on every list the workbooks make, each
    finding at the cell its item came from: run before anything is written."""
    checked = [c for conversion in conversions for c in conversion.checked]
    by_outcome = {id(c.outcome): c for c in checked}

    def locate(outcome: FileOutcome, index: int, key: str) -> Location:
        found = by_outcome[id(outcome)]
        row = found.place.get(f"/items/{index}")
        if row is None:
            return Location(found.display, sheet=found.first_sheet)
        return row.location(found.display, key)

    def label(unit: str) -> str:
        dept = listset.departments.get(unit) if listset.departments else None
        return dept.label if dept else unit

    return crossfile.check([c.outcome for c in checked], label, listset.kinds, locate)


def convert(workspace: Workspace, listset: ListSet, request: Request) -> Conversion:
    """Read ``request.workbook`` and build its lists, or raise QingdanError if it has none."""
    display = display_path(request.workbook)
    sheets = read_workbook(request.workbook)
    kinds = _kinds(listset, request.kind)
    found: list[Finding] = []
    groups: dict[str, list[SheetRows]] = {}
    titles: list[str] = []
    for sheet in sheets:
        where = Location(display, sheet=sheet.name)
        if sheet.hidden:
            found.append(finding("import.hidden-sheet", where, sheet=sheet.name))
            continue
        header = find_header(sheet.rows, kinds, listset.config.import_aliases)
        if header is None:
            if any(cell_text(v) for row in sheet.rows for v in row):
                found.append(
                    finding("import.no-header", where, sheet=sheet.name, kinds=_titles(kinds))
                )
            continue
        titles += [cell_text(v) for row in sheet.rows[: header.last_row] for v in row]
        found += _unknown_columns(header, sheet, display)
        tree = listset.categories.get(header.kind.name)
        read = read_rows(sheet, header, tree, display)
        found += read.findings
        groups.setdefault(header.kind.name, []).append(read)
    if not groups:
        raise QingdanError(
            f"表格 {display} 中没有可识别的清单：找不到含有{_titles(kinds)}等列名的表头行。"
            "请检查表头，或在 qingdan.yaml 的 import.aliases 中写明列名对应的字段（见 docs/format.md）。"
        )
    unit = _unit(listset, request.unit, [*titles, request.workbook.stem], display)
    conversion = Conversion()
    for name, parts in groups.items():
        kind = listset.kinds[name]
        rows = [row for part in parts for row in part.rows]
        fields = frozenset().union(*(part.header.fields for part in parts))
        path = request.folder / f"{name}.yaml"
        if request.derive_from:
            made = derived(
                workspace,
                listset,
                kind=kind,
                unit=unit,
                base_unit=request.derive_from,
                rows=rows,
                fields=fields,
            )
            data, place = made.data, made.place
            conversion.placeholders += made.placeholders
        else:
            found += _codes(kind, rows, display)
            data, place = _plain(kind, unit, rows), _item_place(rows)
        text = f"# 由 qingdan import xlsx 从 {request.workbook.name} 读入\n" + dump(data)
        conversion.lists.append(ImportedList(path, text))
        validated, outcome = _validated(
            workspace,
            listset,
            text=text,
            path=path,
            display=display,
            place=place,
            first_sheet=parts[0].sheet,
        )
        # the other place a rule names is the workbook's row, not a file not yet written
        outcome = replace(outcome, display=display)
        conversion.checked.append(Checked(outcome, place, display, parts[0].sheet))
        # the placeholders are the user's to fill in: the command counts them instead
        found += [f for f in validated if f.code != PLACEHOLDER_CODE]
        conversion.result.items += len(rows)
    result = conversion.result
    result.findings = list(dict.fromkeys(found))
    result.files = 1
    result.sources = [display]
    result.sort()
    return conversion


def check_workbook(
    workspace: Workspace, path: Path, working: Callable[[], Path | None]
) -> ValidationResult:
    """What ``import xlsx`` would report on the workbook at ``path``, nothing written: read
    against the list set the workbook is in, else the one the command works in (``working``)."""
    try:
        root = find_root(path.resolve())
    except QingdanError:
        fallback = working()
        if fallback is None:
            raise
        root = fallback
    listset = workspace.open(root)
    if not listset.usable:
        raise QingdanError("清单集的配置有错误，请先运行 qingdan validate 查看并修正。")
    conversion = convert(workspace, listset, Request(path, Path(path.stem)))
    return combined([conversion], cross_checked(listset, [conversion]))


def combined(conversions: Sequence[Conversion], more: Sequence[Finding]) -> ValidationResult:
    """One report on several workbooks' conversions, with the findings over all of them."""
    result = ValidationResult()
    for conversion in conversions:
        result.findings += conversion.result.findings
        result.items += conversion.result.items
        result.files += conversion.result.files
        result.sources += conversion.result.sources
    result.findings = list(dict.fromkeys([*result.findings, *more]))
    result.sort()
    return result


def _kinds(listset: ListSet, given: str | None) -> list[Kind]:
    if given is None:
        return list(listset.kinds.values())
    if given not in listset.kinds:
        known = "、".join(listset.kinds)
        raise QingdanError(f"清单集没有清单类型“{given}”：可用的类型有 {known}。")
    return [listset.kinds[given]]


def _titles(kinds: list[Kind]) -> str:
    names = dict.fromkeys(f"“{k.item.title([k.roles.name])}”" for k in kinds)
    return "或".join(names)


def _unknown_columns(header: Header, sheet: Sheet, display: str) -> list[Finding]:
    kind = header.kind
    return [
        finding(
            "import.unknown-column",
            Location(display, header.last_row + 1, column.index + 1, sheet.name),
            title=column.title,
            kind=kind.title,
        )
        for column in header.columns
        if column.target is None
    ]


def _unit(listset: ListSet, given: str | None, titles: list[str], display: str) -> str:
    """The unit named with ``--unit``, else the 镇街 the workbook's title rows (or its file
    name) name, the longest name found winning (白鹤镇人民政府 over 白鹤镇)."""
    registry = listset.departments
    if given:
        dept = registry.get(given) if registry else None
        return dept.label if dept else given
    named: list[tuple[int, str]] = []
    for dept in registry.entries if registry else ():
        if dept.type != UNIT_TYPE:
            continue
        for key in (dept.name, dept.short, *dept.aliases):
            if key and any(key in t for t in titles):
                named.append((len(key), dept.label))
    if named:
        return max(named)[1]
    raise QingdanError(
        f"看不出表格 {display} 是哪个镇（街道）的清单：标题行和文件名中都没有部门名录中登记的"
        "镇街名称。请在表格标题中写明，或导入时用 --unit 写明，例如 --unit 白鹤镇。"
    )


def _codes(kind: Kind, rows: list[Row], display: str) -> list[Finding]:
    """Codes for rows without one, each reported with the code made."""
    code = kind.roles.code
    maker = CodeMaker(kind, (str(r.values[code]) for r in rows if code in r.values))
    found = []
    for row in rows:
        if code in row.values:
            continue
        made = maker.make(row.values.get(kind.roles.category))
        where = row.location(display, code if code in row.columns else kind.roles.name)
        name = str(row.values.get(kind.roles.name, ""))
        if made is None:
            found.append(finding("import.no-code", where, item=name, example=kind.code_example))
            continue
        row.values[code] = made
        found.append(finding("import.code-made", where, item=made, code=made))
    return found


def _plain(kind: Kind, unit: str, rows: list[Row]) -> dict[str, Any]:
    return {"kind": kind.name, "unit": unit, "items": [ordered(kind, r.values) for r in rows]}


Place = dict[str, Row]
"""Which row a JSON pointer prefix of the written list (``/items/3``) came from."""


def _item_place(rows: list[Row]) -> Place:
    return {f"/items/{i}": row for i, row in enumerate(rows)}


_POINTER = re.compile(
    r"^(/(?:items|derive/(?:modify|add|omit))/\d+)(?:/(?:set|item))?(?:/([^/]+))?"
)


def _validated(
    workspace: Workspace,
    listset: ListSet,
    *,
    text: str,
    path: Path,
    display: str,
    place: Place,
    first_sheet: str,
) -> tuple[list[Finding], FileOutcome]:
    """The findings ``validate`` would report on the written file, at the cells they are about,
    and what the rules over several files need of it."""
    raw = text.encode("utf-8")
    outcome = check_file_bytes(raw, display_path(path), workspace, listset, dt.date.today())
    placed = []
    for f in outcome.findings:
        match = _POINTER.match(f.path)
        row = place.get(match.group(1)) if match else None
        if row is not None:
            where = row.location(display, match.group(2) if match else None)
        else:
            where = Location(display, sheet=first_sheet)
        placed.append(replace(f, location=where))
    return placed, outcome
