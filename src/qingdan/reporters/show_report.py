"""Rendering ``qingdan show``: one item through its levels, as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TextIO

from qingdan import __version__
from qingdan.findings import Location
from qingdan.lineage import INHERITED, Lineage, Step, Trail
from qingdan.present.visible import markdown_cell, visible

Renderer = Callable[[Sequence[Lineage], TextIO], None]


def _at(location: Location) -> str:
    return f"{location.file}:{location.line}" if location.line else location.file


def _indented(text: str, lead: str) -> str:
    return text.replace("\n", "\n" + lead)


def _what(step: Step, titles: dict[str, str]) -> str:
    """What a level did, as a person reads it: the fields it changed, or that it took the
    item as it is."""
    if step.how == "修改":
        return "修改 " + "、".join(titles.get(f, f) for f in step.fields)
    if step.how == INHERITED:
        return "继承，未改"
    return step.how


def _overridden(trail: Trail) -> str:
    units = "、".join(trail.overridden)
    now = trail.current.unit
    return f"{units}改过这个字段，{now}的值盖过了它：上级的修改在本级看不到。"


def _step(step: Step, titles: dict[str, str]) -> list[str]:
    lines = [f"  {step.unit}：{_what(step, titles)}　{_at(step.location)}"]
    if step.reason:
        lines.append(f"      理由：{step.reason}")
    if step.document:
        lines.append(f"      文件：{step.document}")
    return lines


def _trail(trail: Trail) -> list[str]:
    now = trail.current
    lead = " " * 6
    lines = [f"  {trail.title}：{_indented(now.value, lead)}"]
    lines.append(f"      写在 {_at(now.location)}（{now.unit}{now.how}）")
    for earlier in reversed(trail.values[:-1]):
        lines.append(f"      {earlier.unit}{earlier.how}：{_indented(earlier.value, lead + '  ')}")
        lines.append(f"        {_at(earlier.location)}")
    if trail.overridden:
        lines.append(f"      ！{_overridden(trail)}")
    return lines


def text(lineages: Sequence[Lineage], stream: TextIO) -> None:
    for number, found in enumerate(lineages):
        if number:
            stream.write("\n")
        titles = {t.field: t.title for t in found.fields}
        lines = [
            f"{found.code} {found.name}　{found.unit}{found.title}（{found.display}）",
            "",
            "各级：",
        ]
        for step in found.steps:
            lines += _step(step, titles)
        lines += ["", "逐个字段（先写现行的值和它写在哪里，再写上级各级的值）："]
        for trail in found.fields:
            lines += _trail(trail)
        if found.notes:
            lines += ["", "上级改动："]
            lines += [f"  {_at(note.location)}：{note.message}" for note in found.notes]
        stream.write(visible("\n".join(lines)) + "\n")


def _location(location: Location) -> dict[str, object]:
    return {"file": location.file, "line": location.line, "column": location.column}


def json_report(lineages: Sequence[Lineage], stream: TextIO) -> None:
    data = {
        "version": 1,
        "tool": {"name": "qingdan", "version": __version__},
        "items": [
            {
                "code": found.code,
                "name": found.name,
                "kind": found.kind,
                "unit": found.unit,
                "file": found.display,
                "levels": [
                    {
                        "unit": step.unit,
                        "file": step.display,
                        "how": step.how,
                        "fields": list(step.fields),
                        "reason": step.reason,
                        "document": step.document,
                        "location": _location(step.location),
                    }
                    for step in found.steps
                ],
                "fields": [
                    {
                        "field": trail.field,
                        "title": trail.title,
                        "values": [
                            {
                                "unit": w.unit,
                                "how": w.how,
                                "value": w.value,
                                "location": _location(w.location),
                            }
                            for w in trail.values
                        ],
                        "overridden": list(trail.overridden),
                    }
                    for trail in found.fields
                ],
                "notes": [
                    {"message": note.message, "location": _location(note.location)}
                    for note in found.notes
                ],
            }
            for found in lineages
        ],
    }
    stream.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")  # one write, not 90,000


def _md_at(location: Location) -> str:
    return f"`{_at(location)}`"


def markdown(lineages: Sequence[Lineage], stream: TextIO) -> None:
    parts = []
    for found in lineages:
        titles = {t.field: t.title for t in found.fields}
        lines = [
            f"## {markdown_cell(found.code)} {markdown_cell(found.name)}",
            "",
            f"{markdown_cell(found.unit)}{markdown_cell(found.title)}（{_md_at(Location(found.display))}）",
            "",
            "### 各级",
            "",
            "| 级别 | 做了什么 | 写在 | 理由 | 依据文件 |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {markdown_cell(s.unit)} | {markdown_cell(_what(s, titles))} | {_md_at(s.location)} "
            f"| {markdown_cell(s.reason)} | {markdown_cell(s.document)} |"
            for s in found.steps
        ]
        lines += [
            "",
            "### 逐个字段",
            "",
            "| 字段 | 现行的值 | 写在 | 上级各级的值 |",
            "|---|---|---|---|",
        ]
        for trail in found.fields:
            now = trail.current
            earlier = "<br>".join(
                f"{markdown_cell(w.unit)}{markdown_cell(w.how)}：{markdown_cell(w.value)}（{_md_at(w.location)}）"
                for w in reversed(trail.values[:-1])
            )
            if trail.overridden:
                earlier += ("<br>" if earlier else "") + f"**{markdown_cell(_overridden(trail))}**"
            lines.append(
                f"| {markdown_cell(trail.title)} | {markdown_cell(now.value)} "
                f"| {_md_at(now.location)}（{markdown_cell(now.unit)}{markdown_cell(now.how)}） | {earlier} |"
            )
        if found.notes:
            lines += ["", "### 上级改动", ""]
            lines += [f"- {_md_at(n.location)}：{markdown_cell(n.message)}" for n in found.notes]
        parts.append("\n".join(lines) + "\n")
    stream.write("\n".join(parts))


RENDERERS: dict[str, Renderer] = {"text": text, "json": json_report, "markdown": markdown}
