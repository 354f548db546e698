"""The offices' rules (DOMAIN.md §4) on one list file's schema-valid items.

Each rule is a small function yielding ``(code, path, values)``; ``check_items`` locates them.
Rules that need the whole list set (duplicate codes and names) live in ``checks.crossfile``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from qingdan.kinds import Kind
from qingdan.registry import CategoryTree, Departments
from qingdan.schemas import PathPart, RefField

Hit = tuple[str, tuple[PathPart, ...], dict[str, Any]]

DRIFT_WORDS = ("负责查处", "全面负责", "负总责", "承接", "全流程", "审批", "牵头")
"""Words that make a 配合职责 read as the township holding the matter itself."""
_CLAUSE = re.compile(r"[，。；、,;]")
_SOMEONE_ELSE = re.compile(r"(?:报|报送|上报|提交|移送|送)|(?:部门|单位|局|委|厅|部)$")
"""Before 审批 or 牵头 in the same clause: the township passes the case up (报县民政局审批) or
a department leads (部门牵头兜底之责), which is what a 配合职责 should say."""
_BY_OTHERS = frozenset({"审批", "牵头"})

_OPEN, _CLOSE = "〔［[【﹝(（〈<《〖", "〕］]】﹞)）〉>》〗"
_YEAR = re.compile(
    rf"(?P<open>[{re.escape(_OPEN)}])?(?P<inner>\s*(?P<year>(?<!\d)(?:19|20)\d\d)\s*)"
    rf"(?:(?P<close>[{re.escape(_CLOSE)}])|(?<=\d)(?=\d)|(?=\d))"
)
"""A year in a 文号 with whatever brackets were typed, or with one missing (``〔202128号``,
``〔2021 28号``)."""
SHORT_TERMS = ("阶段性", "临时性")
_DAYS = re.compile(r"^(?:即时办结|(?P<days>[0-9]{1,3})个工作日)")


@dataclass(frozen=True, slots=True)
class RuleContext:
    kind: Kind
    departments: Departments | None
    categories: CategoryTree | None
    today: dt.date


def values_at(value: Any, path: tuple[PathPart, ...]) -> list[tuple[tuple[PathPart, ...], Any]]:
    """Values at a path where ``"*"`` matches every element of a list (a hot loop: no generators)."""
    found: list[tuple[tuple[PathPart, ...], Any]] = [((), value)]
    for part in path:
        step: list[tuple[tuple[PathPart, ...], Any]] = []
        for prefix, v in found:
            if part == "*":
                if isinstance(v, list):
                    step.extend(((*prefix, i), x) for i, x in enumerate(v))
            elif isinstance(v, dict) and part in v:
                step.append(((*prefix, part), v[part]))
        if not step:
            return step
        found = step
    return found


def _named(
    found: list[tuple[tuple[PathPart, ...], Any]],
) -> Iterator[tuple[tuple[PathPart, ...], str]]:
    """The names in reference fields: a field holding one party or a list of parties
    (``office: [党政办, 社事办]``) names each."""
    for path, value in found:
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, list):
            yield from (((*path, i), v) for i, v in enumerate(value) if isinstance(v, str))


def code_pattern(item: dict[str, Any], ctx: RuleContext) -> Iterator[Hit]:
    key = ctx.kind.roles.code
    code = item.get(key)
    if isinstance(code, str) and not ctx.kind.code_regex.match(code):
        yield "rule.code-pattern", (key,), {"code": code, "example": ctx.kind.code_example}


def references(
    item: dict[str, Any], ctx: RuleContext, fields: tuple[RefField, ...]
) -> Iterator[Hit]:
    yield from department_refs(item, ctx.departments, fields)
    tree = ctx.categories
    for ref in fields:
        if ref.target != "category" or tree is None:
            continue
        for path, value in _named(values_at(item, ref.path)):
            if value not in tree.nodes:
                yield from _category(value, path, ref, ctx)


def department_refs(
    data: dict[str, Any], registry: Departments | None, fields: tuple[RefField, ...]
) -> Iterator[Hit]:
    """Department references that are not registered, or registered with the wrong type."""
    if registry is None:
        return
    for ref in fields:
        if ref.target != "department":
            continue
        for path, value in _named(values_at(data, ref.path)):
            dept = registry.get(value)
            if dept is None or (ref.types and dept.acts_as not in ref.types):
                yield from _department(value, path, ref, registry)


def _department(
    value: str, path: tuple[PathPart, ...], ref: RefField, registry: Departments
) -> Iterator[Hit]:
    dept = registry.get(value)
    if dept is None:
        close = registry.suggest(value)
        hint = (
            f"是否应为“{'”或“'.join(close)}”？" if close else ""
        ) + "请先在部门名录中登记，或改用名录中的名称。"
        yield "rule.unknown-department", path, {"title": ref.title, "value": value, "hint": hint}
    elif ref.types and dept.acts_as not in ref.types:
        expected = "或".join(ref.types)
        yield (
            "rule.department-type",
            path,
            {
                "title": ref.title,
                "value": value,
                "expected": expected,
                "actual": dept.type,
            },
        )


def _category(
    value: str, path: tuple[PathPart, ...], ref: RefField, ctx: RuleContext
) -> Iterator[Hit]:
    assert ctx.categories is not None
    found = ctx.categories.resolve(value)
    if isinstance(found, list):
        codes = "、".join(f"{c.code}（{c.name}）" for c in found)
        problem = f"在{ctx.kind.title}的类别树中对应多个类别：{codes}"
        hint = "请改写类别编码。"
    elif found is None:
        tops = "、".join(
            f"{c.code} {c.name}" for c in ctx.categories.nodes.values() if not c.parent
        )
        problem = f"不在{ctx.kind.title}的类别树中"
        hint = f"可用的一级类别：{tops}。"
    else:
        return
    values = {"title": ref.title, "value": value, "problem": problem, "hint": hint}
    yield "rule.unknown-category", path, values


def document_numbers(
    item: dict[str, Any], fields: tuple[tuple[PathPart, ...], ...]
) -> Iterator[Hit]:
    for pattern in fields:
        for path, value in values_at(item, pattern):
            if isinstance(value, str) and (problem := _year_problem(value)):
                fixed = _YEAR.sub(_bracketed, value)
                yield (
                    "rule.document-number",
                    path,
                    {"value": value, "problem": problem, "fixed": fixed},
                )


def _bracketed(m: re.Match[str]) -> str:
    return f"〔{m['year']}〕" if m["open"] or m["close"] else m[0]


def _year_problem(number: str) -> str | None:
    """What is wrong with the first bracketed year of a 文号 that is not written 〔2024〕."""
    for m in _YEAR.finditer(number):
        opened, closed, year = m["open"], m["close"], m["year"]
        if opened == "〔" and closed == "〕" and m["inner"] == year:
            continue
        if not opened and not closed:
            continue  # a year without brackets (2024年第3号) is not this rule's business
        if not closed:
            return f"年份“{year}”后面缺少“〕”"
        if not opened:
            return f"年份“{year}”前面缺少“〔”"
        if opened == "〔" and closed == "〕":
            return "年份括号里有空格"
        if _OPEN.index(opened) != _CLOSE.index(closed):
            return f"年份括号“{opened}{closed}”不成对"
        return f"年份用了“{opened}{closed}”"
    return None


def term(item: dict[str, Any], ctx: RuleContext) -> Iterator[Hit]:
    key = ctx.kind.roles.term
    spec = item.get(key)
    if not isinstance(spec, dict):
        return
    end = spec.get("end")
    if spec.get("type") in SHORT_TERMS and not end:
        yield "rule.term-end", (key,), {"term": spec.get("type")}
    if isinstance(end, str):
        try:
            expired = dt.date.fromisoformat(end) < ctx.today
        except ValueError:
            return
        if expired:
            yield "rule.expired", (key, "end"), {"end": end}


def territorial(item: dict[str, Any], ctx: RuleContext) -> Iterator[Hit]:
    fields = ctx.kind.territorial
    if not fields or ctx.departments is None:
        return
    lead, main = item.get(fields["lead"]), item.get(fields["main"])
    main = main if isinstance(main, list) else []  # absent, or marked missing (待补充)
    lead_dept = ctx.departments.get(lead) if isinstance(lead, str) else None
    main_depts = [ctx.departments.get(p.get("department", "")) for p in main if isinstance(p, dict)]
    if (
        lead_dept is not None
        and main_depts
        and all(d is not None for d in main_depts)
        and lead_dept not in main_depts
    ):
        yield "rule.lead-not-main", (fields["lead"],), {"lead": lead}
    if township_main(item, ctx):
        return
    duty = item.get(fields["township_duty"])
    if duty is None:  # required where a county department holds 主体 (the schema cannot tell)
        title = ctx.kind.item.title((fields["township_duty"],))
        yield (
            "schema.required",
            (fields["township_duty"],),
            {"title": title, "key": fields["township_duty"]},
        )
        return
    if isinstance(duty, str):
        word = drift_word(duty)
        if word:
            yield "rule.responsibility-drift", (fields["township_duty"],), {"word": word}


def drift_word(duty: str) -> str | None:
    """The first word of a 配合职责 that gives the township the matter itself: not 审批 or 牵头
    that someone else does (报县民政局审批, 部门牵头)."""
    for word in DRIFT_WORDS:
        start = duty.find(word)
        while start >= 0:
            clause = _CLAUSE.split(duty[:start])[-1]
            if word not in _BY_OTHERS or not _SOMEONE_ELSE.search(clause):
                return word
            start = duty.find(word, start + 1)
    return None


def township_main(item: dict[str, Any], ctx: RuleContext) -> bool:
    """True when a township (镇街) itself holds lead responsibility for the item."""
    fields = ctx.kind.territorial
    if not fields or ctx.departments is None:
        return False
    parties = item.get(fields["main"])
    for party in parties if isinstance(parties, list) else ():
        dept = ctx.departments.get(party.get("department", "")) if isinstance(party, dict) else None
        if dept is not None and dept.acts_as == "镇街":
            return True
    return False


def working_days(limit: Any) -> int | None:
    """A time limit in working days: its ``working_days`` when written, else read from a text
    that begins "N个工作日" or "即时办结" (0); None when it says something else."""
    if isinstance(limit, dict):
        days = limit.get("working_days")
        return days if isinstance(days, int) and not isinstance(days, bool) else None
    m = _DAYS.match(limit) if isinstance(limit, str) else None
    if m is None:
        return None
    return int(m["days"]) if m["days"] else 0


def time_limits(item: dict[str, Any], ctx: RuleContext) -> Iterator[Hit]:
    """A promised time limit longer than the legal one (``x-qingdan.time_limits`` names them)."""
    fields = ctx.kind.time_limits
    if not fields or "promised" not in fields or "legal" not in fields:
        return
    promised, legal = (
        working_days(item.get(fields["promised"])),
        working_days(item.get(fields["legal"])),
    )
    if promised is not None and legal is not None and promised > legal:
        yield "rule.time-limit", (fields["promised"],), {"promised": promised, "legal": legal}


def check_item(
    item: dict[str, Any],
    ctx: RuleContext,
    refs: tuple[RefField, ...],
    doc_numbers: tuple[tuple[PathPart, ...], ...],
) -> Iterator[Hit]:
    yield from code_pattern(item, ctx)
    yield from references(item, ctx, refs)
    yield from document_numbers(item, doc_numbers)
    yield from term(item, ctx)
    yield from time_limits(item, ctx)
    yield from territorial(item, ctx)
