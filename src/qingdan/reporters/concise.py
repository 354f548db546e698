"""One line per finding, ``file:line:col: 错误 message [code]``: for grep, editors and logs."""

from __future__ import annotations

from typing import TextIO

from rich.markup import escape

from qingdan.findings import ValidationResult
from qingdan.reporters.display import Display
from qingdan.reporters.summary import summary_line
from qingdan.reporters.text import STYLE, subject


def render(result: ValidationResult, stream: TextIO, display: Display) -> None:
    console = display.console(stream)
    for f in result.findings:
        about = f"{escape(subject(f))}：" if subject(f) else ""
        console.print(
            f"[bold]{escape(str(f.location))}[/]: [{STYLE[f.severity]}]{f.severity.label}[/] "
            f"{about}{escape(f.message)} [dim]\\[{f.code}][/]"
        )
    if not display.quiet:
        console.print(escape(summary_line(result)))
