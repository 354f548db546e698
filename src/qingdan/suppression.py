"""Inline suppressions: a YAML comment that silences the named findings on its own line.

    phone: 0838 6212067  # qingdan: ignore[text.space]

Codes are separated by commas and may be prefixes (``text``), as with ``--ignore``. Only files
whose bytes contain the marker are decoded, so a list set without comments costs one read per file.
A code that silenced nothing becomes a ``suppress.unused`` warning, so stale comments get cleaned.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from qingdan.findings import Finding, Location, ValidationResult
from qingdan.messages import finding
from qingdan.selection import matches
from qingdan.source import read_regular

MARKER = b"qingdan:"
_COMMENT = re.compile(r"(?:^|[ \t])#[ \t]*qingdan:[ \t]*ignore\[([^\]\n]*)\]", re.MULTILINE)
_CODE = re.compile(r"[^,\s]+")


@dataclass(frozen=True, slots=True)
class Suppression:
    code: str
    location: Location
    """Where the code is written in the comment, so an unused one points at itself."""


def read_text(display: str) -> str | None:
    """The file's text when it may hold a suppression; None when it cannot or does not."""
    try:
        raw = read_regular(Path(display))
    except OSError:  # a git blob (``HEAD:…``) or a file gone since: nothing to read
        return None
    if MARKER not in raw:
        return None
    return raw.decode("utf-8-sig", "replace")


def suppressions(text: str, display: str) -> list[Suppression]:
    """Every code named in a suppression comment of the text, in order."""
    found = []
    for comment in _COMMENT.finditer(text):
        line = text.count("\n", 0, comment.start()) + 1
        line_start = text.rfind("\n", 0, comment.start()) + 1
        for code in _CODE.finditer(comment.group(1)):
            column = comment.start(1) + code.start() - line_start + 1
            found.append(Suppression(code.group(), Location(display, line, column)))
    return found


def apply(
    result: ValidationResult,
    *,
    unchecked: Callable[[str], bool] = lambda _code: False,
) -> ValidationResult:
    """Drop the findings a comment on their line names; report the comments that named nothing.

    ``unchecked`` codes are ones this run cannot report (``validate`` does not audit changes), so
    a comment naming them is not called unused.
    """
    files = dict.fromkeys([*result.sources, *(f.location.file for f in result.findings)])
    comments = [
        s
        for file in files
        if (text := read_text(file)) is not None
        for s in suppressions(text, file)
    ]
    if not comments:
        return result
    by_line: dict[tuple[str, int], list[Suppression]] = {}
    for s in comments:
        by_line.setdefault((s.location.file, s.location.line), []).append(s)
    used: set[Suppression] = set()
    kept = []
    for f in result.findings:
        hits = [
            s
            for s in by_line.get((f.location.file, f.location.line), [])
            if matches(f.code, s.code)
        ]
        used.update(hits)
        if not hits:
            kept.append(f)
    kept.extend(_unused(comments, used, unchecked))
    out = result.with_findings(kept)
    out.sort()
    return out


def _unused(
    comments: Iterable[Suppression], used: set[Suppression], unchecked: Callable[[str], bool]
) -> Iterable[Finding]:
    for s in comments:
        if s not in used and not unchecked(s.code):
            yield finding("suppress.unused", s.location, code=s.code)
