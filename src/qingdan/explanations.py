"""Each finding code's documentation, shipped with the package so messages can say
``qingdan explain CODE`` instead of pointing into a docs/ folder the user does not have.

Severity, title and message template come from messages.py; the meaning, how to fix and an
example come from data/findings.toml. docs/findings.md is generated from both.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from qingdan.findings import Severity
from qingdan.messages import CATALOG

DATA = Path(__file__).parent / "data" / "findings.toml"


@dataclass(frozen=True, slots=True)
class Explanation:
    code: str
    severity: Severity
    title: str
    template: str
    fix: str
    meaning: str = ""
    example: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    note: str
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    intro: str
    sections: tuple[Section, ...]
    entries: dict[str, Explanation]

    def near(self, code: str) -> list[str]:
        """Codes a mistyped one probably meant, best first."""
        return difflib.get_close_matches(code, list(self.entries), n=3, cutoff=0.5)


@cache
def catalogue() -> Catalogue:
    raw = tomllib.loads(DATA.read_text("utf-8"))
    entries = {code: _explanation(code, raw["codes"].get(code, {})) for code in CATALOG}
    sections = tuple(
        Section(
            title=s["title"],
            note=s.get("note", ""),
            codes=tuple(c for c in CATALOG if c.split(".")[0] in s["prefixes"]),
        )
        for s in raw["sections"]
    )
    return Catalogue(raw["intro"], sections, entries)


def _explanation(code: str, raw: dict[str, Any]) -> Explanation:
    message = CATALOG[code]
    return Explanation(
        code=code,
        severity=message.severity,
        title=message.title,
        template=message.template,
        fix=raw.get("fix", ""),
        meaning=raw.get("meaning", ""),
        example=raw.get("example", ""),
    )
