"""The console every text reporter prints through."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from qingdan.present.visible import visible


class VisibleConsole(Console):
    """A console on which no text, markup or table cell alike, can carry a control character
    to the terminal: values from list files are shown, never obeyed (``present.visible``).
    Styles are applied by rich after this, so colours still work."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(visible(text), **options)
