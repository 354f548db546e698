"""Human output: findings grouped by file, then a summary line."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from qingdan.findings import Severity, ValidationResult
from qingdan.reporters.summary import summary_line

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


def render(result: ValidationResult, stream: TextIO) -> None:
    console = Console(file=stream, highlight=False, soft_wrap=True)
    for file, group in groupby(result.findings, key=lambda f: f.location.file):
        console.print(f"[bold]{escape(file)}[/]")
        for f in group:
            where = f"{f.location.line}:{f.location.column}" if f.location.line else "-"
            subject = " ".join(p for p in (f.item, f.field) if p)
            subject = f"[cyan]{escape(subject)}[/] " if subject else ""
            console.print(
                f"  {where:>7}  [{_STYLE[f.severity]}]{f.severity.label}[/]  {subject}"
                f"{escape(f.message)}  [dim]{f.code}[/]"
            )
        console.print()
    style = "bold red" if result.errors else ("yellow" if result.warnings else "bold green")
    console.print(f"[{style}]{escape(summary_line(result))}[/]")
