"""Which entries a search looks at: ``--unit`` and ``--kind``, checked against the set."""

from __future__ import annotations

import difflib

from qingdan.errors import QingdanError
from qingdan.registry import Departments
from qingdan.search.index import Index
from qingdan.search.match import Keep


def selected(
    index: Index,
    departments: Departments | None,
    kinds: dict[str, str],
    unit: str | None,
    kind: str | None,
) -> Keep:
    """The entries of ``unit`` (any registered name of it) and ``kind``; an unknown one is an
    error that names the closest ones the set has. ``kinds``: name → title."""
    if kind is not None and kind not in kinds:
        known = "、".join(f"{k}（{t}）" for k, t in kinds.items())
        raise QingdanError(f"清单集中没有“{kind}”这种清单：可选的有 {known}。")
    if unit is None:
        return Keep(None, kind)
    found = departments.get(unit) if departments else None
    label = found.label if found else unit.strip()
    units = [index.strings[n] for n in dict.fromkeys(index.units)]
    if label not in units:
        raise QingdanError(_unknown_unit(unit, units))
    return Keep(label, kind)


def _unknown_unit(unit: str, units: list[str]) -> str:
    close = difflib.get_close_matches(unit, units, n=3, cutoff=0.4)
    hint = f"您是不是要找 {'、'.join(close)}？" if close else ""
    shown = "、".join(units[:10]) + ("等" if len(units) > 10 else "")
    return f"清单集中没有“{unit}”的清单。{hint}清单集中有：{shown}。"
