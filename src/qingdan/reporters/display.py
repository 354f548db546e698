"""How text output looks: quiet or not, colour or not. The CLI decides once; reporters follow.

rich is imported when a console is made, not when a command starts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


def wants_color(choice: Color, *, isatty: bool, env: Mapping[str, str]) -> bool:
    """``auto`` colours a terminal unless NO_COLOR is set; FORCE_COLOR colours a pipe (a CI log)."""
    if choice is not Color.auto:
        return choice is Color.always
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    return isatty


@dataclass(frozen=True, slots=True)
class Display:
    quiet: bool = False
    """Only the findings: no headings, no summary, nothing at all when clean."""
    color: bool | None = None
    """None leaves it to rich's own guess (commands without a ``--color`` option)."""

    def console(self, stream: TextIO) -> Console:
        """A console that colours exactly when asked, whatever the environment guesses."""
        from qingdan.reporters.console import VisibleConsole as _Console  # noqa: PLC0415

        if self.color is None:
            return _Console(file=stream, highlight=False, soft_wrap=True, emoji=False)
        if self.color:
            # a terminal is asked what it can show (an old Windows console needs its own API);
            # a pipe that should be coloured (a CI log) gets the common ANSI colours
            return _Console(
                file=stream,
                highlight=False,
                soft_wrap=True,
                emoji=False,
                force_terminal=True,
                no_color=False,
                color_system="auto" if stream.isatty() else "standard",
            )
        return _Console(
            file=stream,
            highlight=False,
            soft_wrap=True,
            emoji=False,
            force_terminal=False,
            color_system=None,
        )


AUTO = Display()
