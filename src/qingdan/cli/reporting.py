"""The options commands share for reporting, defined once: for ``validate`` and ``check`` the
format, quiet, colour and which codes to report; for the commands that answer one question
(``diff``, ``stats``, ``find``, ``show``) their three formats."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Optional, cast

import typer

from qingdan.findings import ValidationResult
from qingdan.present.visible import visible
from qingdan.reporters import REPORTERS, REVIEW_FORMATS, format_help
from qingdan.reporters.display import Color, Display, wants_color
from qingdan.selection import Selection


class ReportFormat(StrEnum):
    """The formats of a report that answers one question (diff, stats, find, show): for a
    person, for a program, and for a merge request or a report."""

    text = "text"
    json = "json"
    markdown = "markdown"


Quiet = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="只输出问题：不输出标题和汇总，没有问题时什么也不输出。"),
]
ColorOption = Annotated[
    Color,
    typer.Option(
        "--color",
        help="颜色：auto（终端中着色，设置了 NO_COLOR 时不着色，设置了 FORCE_COLOR 时着色）、always、never。",
    ),
]
# typer 0.12 (the oldest supported) cannot read ``X | None`` in an Annotated alias
Select = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--select",
        help="只报告这些代码的问题，如 text.space 或 text（前缀）；可重复，也可用逗号分隔。",
        show_default=False,
    ),
]
Ignore = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--ignore",
        help="不报告这些代码的问题（写法同 --select）；也可以在行末加注释 # qingdan: ignore[代码]。",
        show_default=False,
    ),
]


def _choices(name: str, names: tuple[str, ...]) -> type[StrEnum]:
    return cast(type[StrEnum], StrEnum(name, [(n, n) for n in names]))


if TYPE_CHECKING:
    ValidateFormat = str
    ReviewFormat = str
else:  # the choices come from the reporter registries
    ValidateFormat = _choices("ValidateFormat", tuple(REPORTERS))
    ReviewFormat = _choices("ReviewFormat", REVIEW_FORMATS)

ValidateFormatOption = Annotated[
    ValidateFormat, typer.Option("--format", "-f", help=format_help(tuple(REPORTERS)))
]
ReviewFormatOption = Annotated[
    ReviewFormat, typer.Option("--format", "-f", help=format_help(REVIEW_FORMATS))
]


def display(quiet: bool, color: Color) -> Display:
    return Display(
        quiet=quiet, color=wants_color(color, isatty=sys.stdout.isatty(), env=os.environ)
    )


def selection(select: list[str] | None, ignore: list[str] | None) -> Selection:
    """Read before the run, so a mistyped code stops it at once (exit 2)."""
    from qingdan.messages import CATALOG
    from qingdan.selection import parse_patterns

    return Selection(
        parse_patterns("--select", select or [], CATALOG),
        parse_patterns("--ignore", ignore or [], CATALOG),
    )


def filtered(result: ValidationResult, chosen: Selection, *, audited: bool) -> ValidationResult:
    """Inline suppressions first (a comment naming an ignored code is still used), then the
    selection; the exit code is computed from what is left. A run that did not audit changes
    does not call a comment naming an audit code unused."""
    from qingdan.messages import AUDIT_CODES
    from qingdan.suppression import apply

    unchecked = (lambda _code: False) if audited else AUDIT_CODES.__contains__
    return chosen.apply(apply(result, unchecked=unchecked))


def warn_faulty(displays: Sequence[str]) -> None:
    """Say on stderr which lists an answer (``find``, ``who``) was made without all of: their
    errors may have left items out. File names are shown, never obeyed (``visible``)."""
    if displays:
        shown = "、".join(visible(d) for d in displays)
        typer.echo(
            f"注意：{shown} 有错误，其中的事项可能不全；请运行 qingdan validate 查看。", err=True
        )
