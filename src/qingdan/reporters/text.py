"""Human output: findings grouped by file, then a summary line."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.markup import escape

from qingdan.findings import Finding, Severity, ValidationResult
from qingdan.reporters.display import AUTO, Display
from qingdan.reporters.summary import summary_line

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


def subject(f: Finding) -> str:
    """The item code and field title a finding is about, as the user names them."""
    return " ".join(p for p in (f.item, f.field) if p)


def placed_subject(f: Finding) -> str:
    """``subject`` after the workbook cell (``属地管理事项清单!C17``) for reports that give
    places as lines: a cell has no line a code viewer could show."""
    return " ".join(p for p in (f.location.cell, subject(f)) if p)


def render(result: ValidationResult, stream: TextIO, display: Display = AUTO) -> None:
    console = display.console(stream)
    for index, (file, group) in enumerate(groupby(result.findings, key=lambda f: f.location.file)):
        if index and display.quiet:
            console.print()
        console.print(f"[bold]{escape(file)}[/]")
        for f in group:
            loc = f.location
            where = loc.cell or (f"{loc.line}:{loc.column}" if loc.line else "-")
            about = f"[cyan]{escape(subject(f))}[/] " if subject(f) else ""
            console.print(
                f"  {where:>7}  [{STYLE[f.severity]}]{f.severity.label}[/]  {about}"
                f"{escape(f.message)}  [dim]{f.code}[/]"
            )
        if not display.quiet:
            console.print()
    if display.quiet:
        return
    style = "bold red" if result.errors else ("yellow" if result.warnings else "bold green")
    console.print(f"[{style}]{escape(summary_line(result))}[/]")
