"""``--select`` / ``--ignore``: which finding codes a run reports, as ruff and yamllint do it.

A pattern is a whole code (``text.space``) or a prefix ending at a dot (``text``), so ``text``
never matches a future ``textile.x``. Filtering happens before reporting and before the exit code,
so an ignored error no longer fails the run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qingdan.errors import QingdanError
from qingdan.findings import ValidationResult


def matches(code: str, pattern: str) -> bool:
    """True when ``pattern`` is ``code`` itself or one of its dot-separated prefixes."""
    return code == pattern or code.startswith(pattern + ".")


@dataclass(frozen=True, slots=True)
class Selection:
    select: tuple[str, ...] = ()
    """Only these codes (all codes when empty)."""
    ignore: tuple[str, ...] = ()
    """Never these codes, even when selected."""

    def wants(self, code: str) -> bool:
        chosen = not self.select or any(matches(code, p) for p in self.select)
        return chosen and not any(matches(code, p) for p in self.ignore)

    def apply(self, result: ValidationResult) -> ValidationResult:
        """The result with only the wanted findings; the run's counts of files and items stay."""
        if not self.select and not self.ignore:
            return result
        return result.with_findings([f for f in result.findings if self.wants(f.code)])


def parse_patterns(option: str, values: Sequence[str], codes: Iterable[str]) -> tuple[str, ...]:
    """Patterns from repeated options and comma lists; an unknown one cannot run (exit 2)."""
    known = set(codes)
    prefixes = {
        ".".join(parts[:end])
        for parts in (code.split(".") for code in known)
        for end in range(1, len(parts))
    }
    patterns = [p.strip() for value in values for p in value.split(",") if p.strip()]
    for pattern in patterns:
        if pattern not in known and pattern not in prefixes:
            raise QingdanError(_unknown(option, pattern, sorted(known | prefixes)))
    return tuple(dict.fromkeys(patterns))


def _unknown(option: str, pattern: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(pattern, choices, n=3, cutoff=0.6)
    hint = f"是不是：{'、'.join(near)}？" if near else ""
    return (
        f"{option} 中的问题代码“{pattern}”不存在。{hint}"
        f"可以写完整的代码（如 text.space）或它的前缀（如 text）；运行 qingdan explain 列出全部代码。"
    )
