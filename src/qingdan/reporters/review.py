"""Rendering a ``check``: the validation findings and the audit of changes against records."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import TextIO

from qingdan.comparison import CheckResult
from qingdan.findings import Severity
from qingdan.present.visible import markdown_cell
from qingdan.reporters import REPORTERS, Reporter, changes, github, json_report
from qingdan.reporters import text as text_report
from qingdan.reporters.display import Display
from qingdan.reporters.summary import summary_line

Reviewer = Callable[[CheckResult, TextIO, Display], None]


def verdict(result: CheckResult) -> str:
    validation = result.validation
    audit = [f for f in validation.findings if f.code.startswith("change.")]
    uncovered = sum(1 for f in audit if f.code == "change.uncovered")
    unused = sum(1 for f in audit if f.code == "change.unused")
    c = result.comparison
    head = result.note or f"与 {c.diff.old_label} 相比：{c.coverage.summary(c.diff)}"
    if not validation.errors:
        return f"{head}。检查通过。"
    parts = []
    if uncovered:
        parts.append(f"{uncovered} 处变化没有调整记录")
    if unused:
        parts.append(f"{unused} 个记录的事项没有变化")
    other = validation.errors - uncovered - unused
    if other:
        parts.append(f"{other} 个校验错误")
    return f"{head}。检查未通过：{'，'.join(parts)}。"


def text(result: CheckResult, stream: TextIO, display: Display) -> None:
    text_report.render(result.validation, stream, display)
    if display.quiet:
        return
    console = display.console(stream)
    c = result.comparison
    if c.diff.changes:
        stream.write("\n")
        changes.text(c.diff, c.coverage, c.words, stream, console)
    style = "bold red" if result.validation.errors else "bold green"
    console.print(verdict(result), style=style)


def json_review(result: CheckResult, stream: TextIO, display: Display) -> None:
    c = result.comparison
    data = {
        **json_report.as_dict(result.validation),
        "verdict": verdict(result),
        "diff": changes.as_dict(c.diff, c.coverage, c.words),
    }
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def github_review(result: CheckResult, stream: TextIO, display: Display) -> None:
    github.render(result.validation, stream, display)
    if not display.quiet:
        stream.write(verdict(result) + "\n")


def findings_only(reporter: Reporter) -> Reviewer:
    """A validation format for ``check``: its findings include the audit of changes."""

    def review(result: CheckResult, stream: TextIO, display: Display) -> None:
        reporter(result.validation, stream, display)

    return review


def markdown(result: CheckResult, stream: TextIO, display: Display) -> None:
    """The pull-request summary: verdict, what blocks the merge, then the changes."""
    validation = result.validation
    mark = "❌" if validation.errors else "✅"
    stream.write(f"## {mark} 清单检查\n\n{verdict(result)}\n\n{summary_line(validation)}\n\n")
    problems = [f for f in validation.findings if f.severity is Severity.ERROR]
    if problems:
        stream.write("| 位置 | 事项 | 问题 |\n|---|---|---|\n")
        for f in problems[: changes.MAX_ROWS]:
            cells = [str(f.location), f.item or "", f.message]
            stream.write("| " + " | ".join(markdown_cell(c) for c in cells) + " |\n")
        stream.write("\n")
    buffer = io.StringIO()
    c = result.comparison
    changes.markdown(c.diff, c.coverage, c.words, buffer)
    stream.write(buffer.getvalue())


REVIEWERS: dict[str, Reviewer] = {
    **{name: findings_only(reporter) for name, reporter in REPORTERS.items()},
    "text": text,
    "json": json_review,
    "github": github_review,
    "markdown": markdown,
}
