"""Regular expressions written in a repository (``code_patterns``, a preset's ``code_pattern``,
a derived list's ``codes``), run by RE2, whose time is linear in the text.

Python's ``re`` backtracks: ``^(a+)+$`` against a long code runs for hours, and a pull request
may write any pattern. The ``regex`` module's timeout would bound one match, yet each of
thousands of codes can still cost the whole timeout (README: "编码规则的正则表达式"). RE2 rejects
what it cannot run in linear time (back-references, look-arounds) when the pattern is compiled,
which is where qingdan reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message says why (in RE2's words)."""


@dataclass(frozen=True, slots=True, eq=False)
class Pattern:
    pattern: str
    _compiled: Any

    def match(self, text: str) -> bool:
        """The pattern matches at the start of ``text`` (as ``re.match``)."""
        return self._compiled.match(text) is not None

    def search(self, text: str) -> bool:
        return self._compiled.search(text) is not None


@cache
def compile_pattern(pattern: str) -> Pattern:
    """The pattern, compiled once per process; ``PatternError`` when RE2 refuses it."""
    import re2  # noqa: PLC0415  (a compiled extension: only commands that check codes load it)

    options = re2.Options()
    options.log_errors = False  # RE2 would print English to stderr besides raising
    try:
        return Pattern(pattern, re2.compile(pattern, options))
    except re2.error as exc:
        reason = exc.args[0] if exc.args else ""
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise PatternError(text) from None


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used, or None when it can."""
    try:
        compile_pattern(pattern)
    except PatternError as exc:
        return f"{exc}；编码规则不能用反向引用和前后查找"
    return None
