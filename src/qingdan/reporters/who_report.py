"""Rendering ``qingdan who``: what one department answers for, as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TextIO

from qingdan import __version__
from qingdan.duties import Duties, DutyCharges
from qingdan.present.visible import markdown_cell, visible

Renderer = Callable[[Duties, TextIO], None]


def headline(duties: Duties) -> str:
    """共 12 项：牵头 2 项、主体 7 项、配合 3 项，涉及 4 个镇（街道）"""
    counts = "、".join(f"{group.duty.value} {group.count} 项" for group in duties.groups)
    units = {unit.unit for group in duties.groups for unit in group.units}
    return f"共 {duties.count} 项：{counts}，涉及 {len(units)} 个单位"


def _name(duties: Duties) -> str:
    dept = duties.department
    return f"{dept.name}（{dept.short}）" if dept.short and dept.short != dept.name else dept.name


def text(duties: Duties, stream: TextIO) -> None:
    stream.write(visible(f"{_name(duties)}承担的事项：{headline(duties)}。\n"))
    for group in duties.groups:
        if not group.count:
            continue
        stream.write(f"\n{group.duty.value}（{group.count} 项）\n")
        for unit in group.units:
            stream.write(visible(f"  {unit.unit}（{unit.count} 项）\n"))
            for listed in unit.lists:
                stream.write(
                    visible(f"    {listed.title}　{listed.display}（{len(listed.charges)} 项）\n")
                )
                for charge in listed.charges:
                    where = f"　〔{charge.category}〕" if charge.category else ""
                    stream.write(visible(f"      {charge.code}　{charge.name}{where}\n"))
                    if charge.detail:
                        stream.write(visible(f"        职责：{charge.detail}\n"))
    if not duties.count:
        stream.write("所选清单中没有写到这个部门的事项。\n")


def _group_json(group: DutyCharges) -> dict[str, object]:
    return {
        "duty": group.duty.value,
        "count": group.count,
        "units": [
            {
                "unit": unit.unit,
                "count": unit.count,
                "lists": [
                    {
                        "kind": listed.kind,
                        "title": listed.title,
                        "file": listed.display,
                        "items": [
                            {
                                "code": c.code,
                                "name": c.name,
                                "category": c.category,
                                "detail": c.detail,
                            }
                            for c in listed.charges
                        ],
                    }
                    for listed in unit.lists
                ],
            }
            for unit in group.units
        ],
    }


def json_report(duties: Duties, stream: TextIO) -> None:
    dept = duties.department
    data = {
        "version": 1,
        "tool": {"name": "qingdan", "version": __version__},
        "department": {"code": dept.code, "name": dept.name, "short": dept.short},
        "count": duties.count,
        "counts": {group.duty.value: group.count for group in duties.groups},
        "groups": [_group_json(group) for group in duties.groups],
        "skipped": list(duties.skipped),
        "with_errors": list(duties.faulty),
    }
    stream.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")  # one write, not 90,000


def markdown(duties: Duties, stream: TextIO) -> None:
    stream.write(
        f"## {markdown_cell(_name(duties))}承担的事项\n\n{markdown_cell(headline(duties))}。\n"
    )
    for group in duties.groups:
        if not group.count:
            continue
        stream.write(f"\n### {group.duty.value}（{group.count} 项）\n")
        for unit in group.units:
            stream.write(f"\n#### {markdown_cell(unit.unit)}（{unit.count} 项）\n\n")
            stream.write("| 清单 | 事项编码 | 事项名称 | 领域 | 职责 |\n|---|---|---|---|---|\n")
            for listed in unit.lists:
                for c in listed.charges:
                    cells = (listed.title, c.code, c.name, c.category, c.detail)
                    stream.write("| " + " | ".join(markdown_cell(v) for v in cells) + " |\n")


RENDERERS: dict[str, Renderer] = {"text": text, "json": json_report, "markdown": markdown}
