"""A department's duties as a workbook (``qingdan who --format xlsx``): a sheet per duty and
list kind (牵头·属地管理事项清单), rows as the list workbooks draw them, one township after the
other with a 镇（街道） column, so that a department prints what it answers for as it prints the
lists themselves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from qingdan.duties import Duties
from qingdan.model import ResolvedList
from qingdan.present.vocabulary import Vocabulary
from qingdan.rows import Rendered, table
from qingdan.workbook.cells import CellNote
from qingdan.workbook.lists import Heading, ListsWorkbook, Look, Sheets, sheet_columns


def write_duties(
    duties: Duties,
    lists: Mapping[str, ResolvedList],
    words: Vocabulary,
    look: Look,
    path: Path,
) -> list[CellNote]:
    """Write ``duties`` to ``path`` (``lists``: the resolved lists by display name); returns
    the cells whose text had to be cleaned or cut."""
    label = duties.department.label
    book = ListsWorkbook.create(replace(look, several=True), Sheets.KIND, f"{label}承担的事项")
    rendered = Rendered()
    for group in duties.groups:
        for unit in group.units:
            for listed in unit.lists:
                source = lists[listed.display]
                chosen = replace(source, items=tuple(source.items[c.index] for c in listed.charges))
                made = table(chosen, words, rendered=rendered, columns=sheet_columns)
                if made is None:
                    continue
                title = f"{label}{group.duty.value}的事项（{listed.title}）"
                book.add(chosen, made, Heading(f"{group.duty.value}·{listed.title}", title))
    return book.save(path)
