"""Rules over the whole list set: codes unique per township, names unique per list, and a code
never standing for two different items."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence

from qingdan.checks.listfile import FileOutcome
from qingdan.findings import Finding, Location
from qingdan.kinds import Kind
from qingdan.messages import finding

_PUNCT = re.compile(r"[\s\W_]+")


def normalize_name(name: str) -> str:
    """Equal for names that differ only in punctuation, spaces or full/half-width forms."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", name))


Locate = Callable[[FileOutcome, int, str], Location]
"""Where field ``key`` of item ``index`` of a file is; parses the file on demand."""


def check(
    outcomes: Sequence[FileOutcome],
    unit_label: Callable[[str], str],
    kinds: Mapping[str, Kind],
    locate: Locate,
) -> list[Finding]:
    """Cross-file findings; each place is (file outcome, item index, role), the role (``code``
    or ``name``) read as the field the kind declares for it."""
    found: list[Finding] = []
    codes: dict[tuple[str, str], tuple[FileOutcome, int]] = {}
    names: dict[tuple[str, str, str], tuple[FileOutcome, int]] = {}
    similar: dict[tuple[str, str, str], tuple[FileOutcome, int, str]] = {}
    first_unit: dict[str, tuple[str, str, FileOutcome, int]] = {}

    def field(out: FileOutcome, role: str) -> str:
        assert out.kind is not None
        return str(getattr(kinds[out.kind].roles, role))

    def where(out: FileOutcome, index: int, role: str) -> str:
        return f"{out.display}:{locate(out, index, field(out, role)).line}"

    def add(
        rule: str, out: FileOutcome, index: int, role: str, item: str, /, **values: str
    ) -> None:
        key = field(out, role)
        title = "事项编码" if role == "code" else "事项名称"  # what the rule is about, in any kind
        loc = locate(out, index, key)
        found.append(
            finding(rule, loc, item=item, field=title, path=f"/items/{index}/{key}", **values)
        )

    for out in outcomes:
        if out.kind is None or out.unit is None:
            continue
        unit, kind = out.unit, out.kind
        for code, name, index in out.entries:
            first = codes.setdefault((unit, code), (out, index))
            if first != (out, index):
                other = f"{where(first[0], first[1], 'code')}，{_name_of(first)}"
                add(
                    "rule.duplicate-code",
                    out,
                    index,
                    "code",
                    code,
                    code=code,
                    unit=unit_label(unit),
                    other=other,
                )
            named = names.setdefault((unit, kind, name), (out, index))
            if named != (out, index):
                add(
                    "rule.duplicate-name",
                    out,
                    index,
                    "name",
                    code,
                    name=name,
                    unit=unit_label(unit),
                    kind=kinds[kind].title,
                    other=where(named[0], named[1], "name"),
                )
            else:
                alike = similar.setdefault((unit, kind, normalize_name(name)), (out, index, name))
                if alike[2] != name:
                    add(
                        "rule.similar-name",
                        out,
                        index,
                        "name",
                        code,
                        name=name,
                        other_name=alike[2],
                        other=where(alike[0], alike[1], "name"),
                    )
            seen = first_unit.setdefault(code, (unit, name, out, index))
            if seen[0] != unit and seen[1] != name:
                add(
                    "rule.code-reused",
                    out,
                    index,
                    "code",
                    code,
                    code=code,
                    unit=unit_label(unit),
                    name=name,
                    other_unit=unit_label(seen[0]),
                    other_name=seen[1],
                    other=where(seen[2], seen[3], "code"),
                )
    return found


def _name_of(place: tuple[FileOutcome, int]) -> str:
    out, index = place
    return next(name for _, name, i in out.entries if i == index)
