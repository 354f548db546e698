"""Rendering a diff: rich text for people, JSON for programs, Markdown for pull requests."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from itertools import groupby
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape

from qingdan import __version__
from qingdan.diff import (
    LONG_TEXT,
    SUMMARY_ORDER,
    Diff,
    FieldChange,
    ItemChange,
)
from qingdan.findings import Finding, Severity
from qingdan.present.values import highlight
from qingdan.present.visible import markdown_cell
from qingdan.present.vocabulary import Vocabulary
from qingdan.records import Coverage
from qingdan.reporters.display import AUTO

SCHEMA_VERSION = 1
CONTEXT = 16
"""Unchanged characters kept on each side of an edit when a long text is shortened."""

Renderer = Callable[[Diff, Coverage, Vocabulary, TextIO], None]


def headline(diff: Diff, coverage: Coverage) -> str:
    return f"{diff.old_label} → {diff.new_label}：{coverage.summary(diff)}"


def _group_key(change: ItemChange) -> tuple[str, str]:
    return change.item.unit, change.item.kind


def _code(change: ItemChange) -> str:
    if change.old and change.new and change.old.code != change.new.code:
        return f"{change.old.code} → {change.new.code}"
    return change.item.code


def _shorten(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Long unchanged runs keep a little context on each side, so the edit stays in view."""
    out = []
    last = len(ops) - 1
    for index, (op, run) in enumerate(ops):
        if op == "=" and len(run) > 2 * CONTEXT + 1:
            head = run[:CONTEXT] if index > 0 else ""
            tail = run[-CONTEXT:] if index < last else ""
            out.append((op, f"{head}…{tail}"))
        else:
            out.append((op, run))
    return out


# --- text ------------------------------------------------------------------------------------


def text(
    diff: Diff,
    coverage: Coverage,
    words: Vocabulary,
    stream: TextIO,
    console: Console | None = None,
) -> None:
    """``console`` is given by ``check``, whose ``--color`` decides for the whole report."""
    console = console or AUTO.console(stream)
    style = {"新增": "green", "下放": "green", "取消": "red", "收回": "red"}
    for (unit, kind), group in groupby(diff.changes, key=_group_key):
        console.print(
            f"[bold]{escape(words.unit_label(unit))} · {escape(words.kind_title(kind))}[/]"
        )
        for change in group:
            kind_of = coverage.type_of(change)
            item = change.item
            where = f"{item.file}:{item.line}" if item.line else item.file
            console.print(
                f"  [{style.get(kind_of, 'yellow')}]{kind_of:<4}[/] [cyan]{escape(_code(change))}[/]"
                f"  {escape(item.name)}  [dim]{escape(where)}[/]"
            )
            for fc in change.fields:
                shown = _rich_field(fc, plain=console.color_system is None)
                console.print(f"        {escape(fc.title)}：{shown}")
            entry = coverage.entry(change)
            if entry is not None:
                console.print(
                    f"        [dim]调整记录：{escape(entry.batch)} {escape(entry.reference)}[/]"
                )
        console.print()
    for note in diff.findings:
        label = "错误" if note.severity is Severity.ERROR else "警告"
        console.print(
            f"[bold yellow]注意[/] {escape(str(note.location))}  {label}  {escape(note.message)}"
            f"  [dim]{escape(note.code)}[/]"
        )
    for problem in diff.problems:
        console.print(
            f"[bold red]无法比对[/] {escape(str(problem.location))}：{escape(problem.message)}"
        )
    console.print(f"[bold]{escape(headline(diff, coverage))}[/]")


def _rich_field(fc: FieldChange, *, plain: bool) -> str:
    """Short values as old → new; long ones inline, edits marked by colour, or without colour
    (a pipe, a log) the way ``git diff --word-diff`` marks them: [-deleted-]{+inserted+}."""
    if len(fc.old) < LONG_TEXT and len(fc.new) < LONG_TEXT and "\n" not in fc.old + fc.new:
        old = escape(fc.old) if fc.old else "（空）"
        new = escape(fc.new) if fc.new else "（空）"
        return f"[red]{old}[/] → [green]{new}[/]"
    if plain:
        marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    else:
        marks = {"=": "{}", "-": "[red strike]{}[/]", "+": "[bold green underline]{}[/]"}
    return "".join(marks[op].format(escape(t)) for op, t in _shorten(highlight(fc.old, fc.new)))


# --- JSON ------------------------------------------------------------------------------------


def as_dict(diff: Diff, coverage: Coverage, words: Vocabulary) -> dict[str, Any]:
    counts = Counter(coverage.type_of(c) for c in diff.changes)
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "qingdan", "version": __version__},
        "old": diff.old_label,
        "new": diff.new_label,
        "summary": {
            "text": coverage.summary(diff),
            "counts": {t: counts[t] for t in SUMMARY_ORDER if counts[t]},
            "changes": len(diff.changes),
            "files_compared": diff.files_compared,
            "files_read": diff.files_read,
        },
        "changes": [_change_dict(c, coverage, words) for c in diff.changes],
        "problems": [_finding_dict(p) for p in diff.problems],
        "findings": [_finding_dict(f) for f in diff.findings],
    }


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "severity": f.severity.value,
        "message": f.message,
        "file": f.location.file,
        "line": f.location.line,
        "item": f.item,
    }


def _change_dict(change: ItemChange, coverage: Coverage, words: Vocabulary) -> dict[str, Any]:
    entry = coverage.entry(change)
    item = change.item
    return {
        "type": change.type.value,
        "recorded_type": coverage.type_of(change),
        "unit": item.unit,
        "kind": item.kind,
        "kind_title": words.kind_title(item.kind),
        "code": item.code,
        "old_code": change.old.code if change.old else None,
        "name": item.name,
        "old": {"file": change.old.file, "line": change.old.line} if change.old else None,
        "new": {"file": change.new.file, "line": change.new.line} if change.new else None,
        "fields": [
            {"field": f.field, "title": f.title, "old": f.old, "new": f.new} for f in change.fields
        ],
        "record": None
        if entry is None
        else {
            "batch": entry.batch,
            "type": entry.type,
            "reason": entry.reason,
            "approval": entry.reference,
        },
    }


def json_report(diff: Diff, coverage: Coverage, words: Vocabulary, stream: TextIO) -> None:
    # one write: json.dump makes a write per token, which costs more than the diff on big ones
    stream.write(json.dumps(as_dict(diff, coverage, words), ensure_ascii=False, indent=2) + "\n")


# --- Markdown --------------------------------------------------------------------------------

MAX_ROWS = 200
"""A pull-request comment has a size limit; beyond this many rows the table says how many more."""


def markdown(diff: Diff, coverage: Coverage, words: Vocabulary, stream: TextIO) -> None:
    stream.write(
        f"### 清单变化：{markdown_cell(diff.old_label)} → {markdown_cell(diff.new_label)}\n\n"
    )
    stream.write(f"**{coverage.summary(diff)}**\n\n")
    for note in diff.findings:
        stream.write(
            f"> 注意：{markdown_cell(str(note.location))} {markdown_cell(note.message)}（`{note.code}`）\n\n"
        )
    if not diff.changes:
        return
    stream.write("| 调整类型 | 镇（街道） | 清单 | 事项编码 | 事项名称 | 变化 | 调整记录 |\n")
    stream.write("|---|---|---|---|---|---|---|\n")
    for change in diff.changes[:MAX_ROWS]:
        item = change.item
        entry = coverage.entry(change)
        record = f"{entry.batch}（{entry.reference}）" if entry else "**无**"
        row = [
            coverage.type_of(change),
            words.unit_label(item.unit),
            words.kind_title(item.kind),
            _code(change),
            item.name,
            "、".join(f.title for f in change.fields),
            record,
        ]
        stream.write("| " + " | ".join(markdown_cell(c) for c in row) + " |\n")
    if len(diff.changes) > MAX_ROWS:
        stream.write(
            f"\n另有 {len(diff.changes) - MAX_ROWS} 项变化未列出，完整内容见 `qingdan diff` 的输出。\n"
        )
    detailed = [c for c in diff.changes[:MAX_ROWS] if c.fields]
    if detailed:
        stream.write("\n<details><summary>逐项对照</summary>\n\n")
        for change in detailed:
            stream.write(
                f"**{markdown_cell(_code(change))} {markdown_cell(change.item.name)}**\n\n"
            )
            for fc in change.fields:
                stream.write(f"- {markdown_cell(fc.title)}：{_md_field(fc)}\n")
            stream.write("\n")
        stream.write("</details>\n")


def _md_field(fc: FieldChange) -> str:
    parts = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return "".join(
        parts[op].format(markdown_cell(t)) for op, t in _shorten(highlight(fc.old, fc.new))
    )


RENDERERS: dict[str, Renderer] = {"text": text, "json": json_report, "markdown": markdown}
