"""Rendering ``qingdan show``: one item through its levels, as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TextIO

from qingdan import __version__
from qingdan.findings import Location
from qingdan.lineage import Lineage, Step, Trail
from qingdan.present.visible import visible

Renderer = Callable[[Sequence[Lineage], TextIO], None]


def _at(location: Location) -> str:
    return f"{location.file}:{location.line}" if location.line else location.file


def _indented(text: str, lead: str) -> str:
    return text.replace("\n", "\n" + lead)


def _step(step: Step, titles: dict[str, str]) -> list[str]:
    what = step.how
    if step.how == "修改":
        what += " " + "、".join(titles.get(f, f) for f in step.fields)
    lines = [f"  {step.unit}：{what}　{_at(step.location)}"]
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
        units = "、".join(trail.overridden)
        lines.append(
            f"      ！{units}改过这个字段，{now.unit}的值盖过了它：上级的修改在本级看不到。"
        )
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


RENDERERS: dict[str, Renderer] = {"text": text, "json": json_report}
