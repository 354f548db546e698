"""``qingdan stats``: how a derived list set differs from its base, counted as offices report it
("修改完善47项具体事项，增加22项个性化事项"): per unit, list kind and top-level category."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from qingdan.findings import Finding, Severity
from qingdan.listset import ListSet
from qingdan.validation import Options, list_outcomes
from qingdan.workspace import Workspace

COLUMNS = ("继承", "填写本地信息", "修改", "新增", "退出", "不采用")
LEFT = frozenset({"退出", "不采用"})
"""Columns of items no longer in the list: 退出 (its 准入 record ended) and 不采用."""


def listed(counts: tuple[int, ...]) -> int:
    """How many of ``counts`` (one per column) are items the list holds."""
    return sum(n for column, n in zip(COLUMNS, counts, strict=True) if column not in LEFT)


@dataclass(frozen=True, slots=True)
class Row:
    unit: str
    kind: str
    category: str
    counts: tuple[int, ...]
    """One per column of ``COLUMNS``."""

    @property
    def total(self) -> int:
        """Items in the resolved list (omitted and exited ones are not in it)."""
        return listed(self.counts)


@dataclass(frozen=True, slots=True)
class Gap:
    """Marked-missing values (``{待补充: …}``) of one field in one list: what is still to be
    filled in, as ``stats`` and the book's 编制说明 count it ("待补充 12 项")."""

    unit: str
    kind: str
    field: str
    count: int


@dataclass(eq=False)
class Stats:
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    """Per list and field, in list file order: plain lists as well as derived ones."""

    def missing(self, units: set[str] | None = None) -> int:
        """How many values are marked missing (of ``units`` only, when given)."""
        return sum(g.count for g in self.gaps if units is None or g.unit in units)

    def totals(self) -> dict[tuple[str, str], tuple[int, ...]]:
        """Per (unit, kind)."""
        out: dict[tuple[str, str], list[int]] = {}
        for row in self.rows:
            acc = out.setdefault((row.unit, row.kind), [0] * len(COLUMNS))
            for i, n in enumerate(row.counts):
                acc[i] += n
        return {k: tuple(v) for k, v in out.items()}


def collect(workspace: Workspace, listset: ListSet, options: Options) -> Stats:
    """Counts from the resolved lists, taken from the validation cache where it is current."""
    stats = Stats()
    for outcome in list_outcomes(workspace, listset, options):
        stats.findings.extend(
            f
            for f in outcome.findings
            if f.severity is Severity.ERROR and f.code.startswith(_uncounted(outcome.derived))
        )
        if outcome.kind is None:
            continue
        unit = outcome.written_unit or outcome.unit or ""
        stats.gaps.extend(Gap(unit, outcome.kind, f, n) for f, n in outcome.missing)
        if not outcome.derived:
            continue
        kind = outcome.kind
        counts: Counter[tuple[str, str]] = Counter()
        for category, how, n in outcome.tally:
            counts[(_top(listset, kind, category), how)] += n
        categories = sorted({c for c, _ in counts}, key=lambda c: _order(listset, kind, c))
        for category in categories:
            row = tuple(counts[(category, c)] for c in COLUMNS)
            stats.rows.append(Row(unit, kind, category, row))
    # the region's own list (the district's) first, then the townships in file order
    stats.rows.sort(key=lambda row: row.unit != listset.config.region)
    return stats


def _uncounted(derived: bool) -> tuple[str, ...]:
    """Error codes that keep a list (or some of its items) out of the counts: a file that cannot
    be read or parsed may be a derived list, and a derived list whose operations break its
    schema is not resolved at all."""
    return ("derive.", "file.", "yaml.", "schema.") if derived else ("derive.", "file.", "yaml.")


def _top(listset: ListSet, kind: str, code: object) -> str:
    """The top-level category's name, which is what reports count by."""
    tree = listset.categories.get(kind)
    if tree is None or not isinstance(code, str) or not code:
        return str(code) if code else "（未分类）"
    node = tree.resolve(code)
    if node is None or isinstance(node, list):
        return code
    while node.parent and node.parent in tree.nodes:
        node = tree.nodes[node.parent]
    return node.name


def _order(listset: ListSet, kind: str, name: str) -> tuple[int, str]:
    tree = listset.categories.get(kind)
    found = tree.by_name.get(name) if tree else None
    return (found[0].order if found else 1_000_000, name)
