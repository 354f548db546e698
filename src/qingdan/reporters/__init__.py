"""Reporters render a ``ValidationResult``; the ``--format`` choices come from this registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from qingdan.findings import ValidationResult
from qingdan.reporters import github, json_report, text

Reporter = Callable[[ValidationResult, TextIO], None]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "github": github.render,
}
