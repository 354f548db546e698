"""Rules over the whole list set: codes unique per township, names unique per list, and a code
never standing for two different items."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from qingdan.checks.listfile import FileOutcome
from qingdan.findings import Finding, Location
from qingdan.messages import finding

_PUNCT = re.compile(r"[\s\W_]+")


def normalize_name(name: str) -> str:
    """Equal for names that differ only in punctuation, spaces or full/half-width forms."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", name))


def check(
    outcomes: Sequence[FileOutcome],
    unit_label: Callable[[str], str],
    kind_title: Callable[[str], str],
) -> list[Finding]:
    found: list[Finding] = []
    codes: dict[tuple[str, str], tuple[str, int, str]] = {}
    names: dict[tuple[str, str, str], tuple[str, int]] = {}
    similar: dict[tuple[str, str, str], tuple[str, int, str]] = {}
    first_unit: dict[str, tuple[str, str, str, int]] = {}
    for out in outcomes:
        if out.kind is None or out.unit is None:
            continue
        unit, kind = out.unit, out.kind
        for code, name, cl, cc, nl, nc in out.entries:
            code_loc, name_loc = Location(out.display, cl, cc), Location(out.display, nl, nc)
            prev = codes.setdefault((unit, code), (out.display, cl, name))
            if prev != (out.display, cl, name):
                found.append(
                    finding(
                        "rule.duplicate-code",
                        code_loc,
                        code=code,
                        unit=unit_label(unit),
                        other=f"{prev[0]}:{prev[1]}，{prev[2]}",
                        item=code,
                        field="事项编码",
                    )
                )
            named = names.setdefault((unit, kind, name), (out.display, nl))
            if named != (out.display, nl):
                found.append(
                    finding(
                        "rule.duplicate-name",
                        name_loc,
                        name=name,
                        unit=unit_label(unit),
                        kind=kind_title(kind),
                        other=f"{named[0]}:{named[1]}",
                        item=code,
                        field="事项名称",
                    )
                )
            else:
                key = (unit, kind, normalize_name(name))
                alike = similar.setdefault(key, (out.display, nl, name))
                if alike[2] != name:
                    found.append(
                        finding(
                            "rule.similar-name",
                            name_loc,
                            name=name,
                            other_name=alike[2],
                            other=f"{alike[0]}:{alike[1]}",
                            item=code,
                            field="事项名称",
                        )
                    )
            seen = first_unit.setdefault(code, (unit, name, out.display, cl))
            if seen[0] != unit and seen[1] != name:
                found.append(
                    finding(
                        "rule.code-reused",
                        code_loc,
                        code=code,
                        unit=unit_label(unit),
                        name=name,
                        other_unit=unit_label(seen[0]),
                        other_name=seen[1],
                        other=f"{seen[2]}:{seen[3]}",
                        item=code,
                        field="事项编码",
                    )
                )
    return found
