"""Generate a large synthetic, valid 三张清单 list set for benchmarking qingdan.

Usage:
    python benchmarks/generate.py OUT_DIR --items 100000 --townships 100 [--seed 1]

Writes OUT_DIR/qingdan.yaml, departments.yaml, categories/{duty,service,territorial}.yaml and
townships/tNNN/{duty,service,territorial}.yaml (items split about 40% / 30% / 30%), plus
OUT_DIR/.benchmark.json describing the parameters (benchmarks/run.py uses it to reuse a set).

The data is valid against the JSON Schemas in src/qingdan/schemas/ and the list-set rules
(codes ZR-/FW-/SD-<category>-<nnn>, one shared catalogue of names per code, unique names, resolvable
department and category references, 文号 with 〔〕, full-width punctuation, one lead department that
is also in ``main``, cooperating verbs only in ``township_duty``). Text is assembled from the phrase
pools in benchmarks/pools.py with a seeded random.Random, so output is deterministic. YAML is written
by a small block-style emitter (not yaml.dump) so 100k items take seconds. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import random
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pools
from pools import ServiceTheme, Theme

KINDS = ("duty", "service", "territorial")
PREFIX = {"duty": "ZR", "service": "FW", "territorial": "SD"}
SHARE = {"duty": 0.4, "service": 0.3}
MAX_PER_CATEGORY = 999
CATEGORY_FILL = 900  # add categories before any reaches 999 items
STAMP = ".benchmark.json"
CN_DIGITS = "零一二三四五六七八九"


# --- YAML emitter -----------------------------------------------------------------------------
PLAIN_BAD_START = set("-?:,[]{}#&*!|>'\"%@`<=.~+ \t0123456789")
YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}
Scalar = str | int | bool
Node = Scalar | list["Node"] | dict[str, "Node"]


def scalar(value: Scalar) -> str:
    """Render a scalar; strings are plain unless YAML would misread them."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if (
        not value
        or (value[0] in PLAIN_BAD_START and (value[0] not in "0123456789" or value.isascii()))
        or ": " in value
        or " #" in value
        or value[-1] in " :"
        or "\n" in value
        or value.lower() in YAML_WORDS
    ):
        return json.dumps(value, ensure_ascii=False)
    return value


def emit_map(node: dict[str, Node], indent: str, out: list[str], lead: str | None = None) -> None:
    """Append a block mapping; ``lead`` replaces the indent of the first line (for "- ")."""
    first = lead
    for key, value in node.items():
        pre = first if first is not None else indent
        first = None
        if isinstance(value, dict):
            out.append(f"{pre}{key}:")
            emit_map(value, indent + "  ", out)
        elif isinstance(value, list):
            if value:
                out.append(f"{pre}{key}:")
                emit_seq(value, indent + "  ", out)
            else:
                out.append(f"{pre}{key}: []")
        else:
            out.append(f"{pre}{key}: {scalar(value)}")


def emit_seq(items: list[Node], indent: str, out: list[str]) -> None:
    """Append a block sequence of scalars or mappings."""
    for value in items:
        if isinstance(value, dict):
            emit_map(value, indent + "  ", out, lead=indent + "- ")
        elif isinstance(value, list):
            raise TypeError("nested sequences are not used")
        else:
            out.append(f"{indent}- {scalar(value)}")


def write_yaml(path: Path, node: dict[str, Node]) -> int:
    """Write one YAML document and return its size in bytes."""
    out: list[str] = []
    emit_map(node, "", out)
    data = ("\n".join(out) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


# --- small text helpers -----------------------------------------------------------------------
def cn_number(n: int) -> str:
    """Chinese numeral for 1..999 (第二十三条)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "" if tens == 1 else CN_DIGITS[tens]
        return head + "十" + (CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    text = CN_DIGITS[hundreds] + "百"
    if rest == 0:
        return text
    if rest < 10:
        return text + "零" + CN_DIGITS[rest]
    return text + (cn_number(rest) if rest >= 20 else "一" + cn_number(rest))


def normalize(name: str) -> str:
    """Name with punctuation removed, to avoid near-duplicate names."""
    return "".join(ch for ch in name if ch.isalnum())


def fill_clauses(head: str, clauses: list[str], low: int, high: int, rng: random.Random) -> str:
    """``head`` plus a random subset of clauses (kept in pool order), low to high chars, "。"."""
    target = rng.randint(low, high)
    size = len(head)
    chosen: list[int] = []
    for i in rng.sample(range(len(clauses)), len(clauses)):
        if size + len(clauses[i]) + 2 > high:
            continue
        chosen.append(i)
        size += len(clauses[i]) + 1
        if size >= target:
            break
    parts = ([head] if head else []) + [clauses[i] for i in sorted(chosen)]
    return "，".join(parts) + "。"


# --- registry ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Department:
    """One entry of departments.yaml."""

    code: str
    name: str
    type: str
    short: str = ""
    aliases: tuple[str, ...] = ()

    def ref(self, rng: random.Random) -> str:
        """A reference as lists write it: mostly the short name, sometimes full name or code."""
        roll = rng.random()
        if roll < 0.05:
            return self.code
        if roll < 0.65 and self.short:
            return self.short
        return self.name

    def label(self) -> str:
        """Name used inside running text."""
        return self.short or self.name

    def to_node(self) -> dict[str, Node]:
        node: dict[str, Node] = {"code": self.code, "name": self.name}
        if self.short and self.short != self.name:
            node["short"] = self.short
        if self.aliases:
            node["aliases"] = list(self.aliases)
        node["type"] = self.type
        return node


@dataclass(frozen=True)
class Township:
    """A 镇（街道） with its folder name and contact numbers."""

    index: int
    folder: str
    name: str
    suffix: str

    @property
    def code(self) -> str:
        return f"T{self.index:04d}"

    def phone(self, slot: int) -> str:
        number = 6_200_000 + (self.index * 97 + slot * 13) % 780_000
        return f"{pools.AREA_CODE}-{number:07d}"


def make_townships(count: int, seed: int) -> list[Township]:
    """Unique township names such as 青岚镇, 石桥乡, 龙泉街道."""
    rng = random.Random(f"{seed}:townships")
    roots = [a + b for a in pools.TOWNSHIP_FIRST for b in pools.TOWNSHIP_SECOND if a != b]
    rng.shuffle(roots)
    if count > len(roots):
        extra = [r + c for r in roots for c in pools.TOWNSHIP_SECOND if c not in r]
        rng.shuffle(extra)
        roots += extra
    suffixes = [s for s, _ in pools.TOWNSHIP_SUFFIXES]
    weights = [w for _, w in pools.TOWNSHIP_SUFFIXES]
    width = max(3, len(str(count)))
    result = []
    for i in range(count):
        suffix = rng.choices(suffixes, weights)[0]
        result.append(Township(i + 1, f"t{i + 1:0{width}d}", roots[i] + suffix, suffix))
    return result


def make_registry(townships: list[Township]) -> dict[str, Department]:
    """All departments keyed by code, in registry order."""
    registry: dict[str, Department] = {}
    for code, name, short, aliases in pools.COUNTY_DEPARTMENTS:
        registry[code] = Department(code, name, "县级部门", short, tuple(aliases))
    for code, name, short, aliases in pools.STATIONED_DEPARTMENTS:
        registry[code] = Department(code, name, "派驻机构", short, tuple(aliases))
    for code, name, short in pools.OFFICES:
        registry[code] = Department(code, name, "镇街内设机构", short)
    for town in townships:
        alias = (pools.DISTRICT + town.name,)
        registry[town.code] = Department(town.code, town.name, "镇街", "", alias)
    return registry


# --- categories and the shared catalogue -----------------------------------------------------
@dataclass
class Category:
    """A top-level category; items reference one of its ``leaves`` by name."""

    code: str
    name: str
    theme: int
    children: list[tuple[str, str]] = field(default_factory=list)

    @property
    def leaves(self) -> list[str]:
        return [name for _, name in self.children] or [self.name]

    def to_node(self) -> dict[str, Node]:
        node: dict[str, Node] = {"code": self.code, "name": self.name}
        if self.children:
            node["children"] = [{"code": c, "name": n} for c, n in self.children]
        return node


@dataclass
class Entry:
    """One catalogue item: code and name are the same in every township that lists it."""

    code: str
    name: str
    category: str
    theme: int
    obj: str
    action: str
    fixed: dict[str, object] = field(default_factory=dict)


def make_categories(
    names: list[str], children: list[list[str]], extra: list[str], needed: int
) -> list[Category]:
    """Base categories (with children) plus extra ones when the catalogue needs them."""
    count = max(len(names), needed)
    width = 2 if count < 100 else 3
    result: list[Category] = []
    for i in range(count):
        theme = i % len(names)
        code = f"{i + 1:0{width}d}"
        if i < len(names):
            name = names[i]
        elif i - len(names) < len(extra):
            name = extra[i - len(names)]
        else:
            name = f"{names[theme]}（{cn_number(i // len(names) + 1)}）"
        kids = children[theme] if i < len(names) else []
        kid_nodes = [(f"{code}{j + 1:02d}", kid) for j, kid in enumerate(kids)]
        result.append(Category(code, name, theme, kid_nodes))
    all_names = [n for cat in result for n in [cat.name] + [k for _, k in cat.children]]
    if len(set(all_names)) != len(all_names):
        raise ValueError("category names are not unique")
    return result


def spread(total: int, weights: list[float], cap: int) -> list[int]:
    """Split ``total`` proportionally to ``weights`` with no part above ``cap``."""
    scale = sum(weights)
    parts = [min(cap, int(total * w / scale)) for w in weights]
    order = sorted(range(len(weights)), key=lambda i: -weights[i])
    i = 0
    while sum(parts) < total:
        j = order[i % len(order)]
        if parts[j] < cap:
            parts[j] += 1
        i += 1
    return parts


def name_candidates(
    objects: list[str], actions: list[str], prefixes: list[str], rng: random.Random
) -> Iterator[tuple[str, str, str]]:
    """Endless stream of (name, object, action): plain, then prefixed, then numbered names."""
    pairs = [
        (o, a) for o, a in itertools.product(objects, actions) if a[:2] not in o and a[-2:] not in o
    ]
    plain: list[tuple[str, str, str]] = []
    for obj, act in pairs:
        name = obj + act
        if len(name) < 8:
            name = prefixes[len(plain) % len(prefixes)] + name
        plain.append((name, obj, act))
    rng.shuffle(plain)
    yield from plain
    prefixed = [(p + o + a, o, a) for p in prefixes for o, a in pairs]
    rng.shuffle(prefixed)
    yield from prefixed
    for round_no in itertools.count(2):
        for name, obj, act in plain:
            yield f"{name}（{cn_number(round_no % 1000 or 1)}）", obj, act


def make_catalogue(
    *,
    kind: str,
    categories: list[Category],
    themes: ThemeWords,
    prefixes: list[str],
    size: int,
    rng: random.Random,
) -> list[Entry]:
    """Catalogue of ``size`` entries with unique names, codes numbered within each category."""
    weights = [themes[c.theme][2] * rng.uniform(0.8, 1.2) for c in categories]
    counts = spread(size, weights, MAX_PER_CATEGORY)
    streams = [name_candidates(objs, acts, prefixes, rng) for objs, acts, _ in themes]
    used: set[str] = set()
    entries: list[Entry] = []
    for cat, count in zip(categories, counts, strict=True):
        leaves = cat.leaves
        for number in range(1, count + 1):
            name, obj, act = next_unique(streams[cat.theme], used)
            code = f"{PREFIX[kind]}-{cat.code}-{number:03d}"
            entries.append(Entry(code, name, rng.choice(leaves), cat.theme, obj, act))
    return entries


def next_unique(stream: Iterator[tuple[str, str, str]], used: set[str]) -> tuple[str, str, str]:
    """Next candidate whose name (and punctuation-free form) is not used yet, 8-25 chars."""
    for name, obj, act in stream:
        key = normalize(name)
        if 8 <= len(name) <= 25 and key not in used:
            used.add(key)
            return name, obj, act
    raise RuntimeError("name stream exhausted")


# --- basis ------------------------------------------------------------------------------------
def law_basis(law: str, rng: random.Random) -> dict[str, Node]:
    """A law or regulation with an article."""
    article = f"第{cn_number(rng.randint(2, 90))}条"
    if rng.random() < 0.3:
        article += f"第{cn_number(rng.randint(1, 4))}款"
    return {"title": f"《{law}》", "article": article}


def document_basis(topic: str, rng: random.Random) -> dict[str, Node]:
    """A policy document with a 文号 such as 青川委办发〔2024〕27号."""
    issuer, prefix = rng.choice(pools.DOC_ISSUERS)
    head = rng.choice(pools.DOC_TOPIC_HEADS)
    doc_type = rng.choice(pools.DOC_TYPES)
    node: dict[str, Node] = {
        "title": f"《{issuer}关于{head}{topic}工作的{doc_type}》",
        "number": f"{prefix}〔{rng.randint(2018, 2025)}〕{rng.randint(1, 160)}号",
    }
    if rng.random() < 0.25:
        node["article"] = f"第{cn_number(rng.randint(1, 12))}条"
    return node


def make_basis(laws: list[str], topic: str, rng: random.Random) -> list[Node]:
    """One to three basis entries, at least one of them a law; no law cited twice."""
    cited = rng.sample(laws, min(len(laws), 3))
    entries: list[Node] = [law_basis(cited[0], rng)]
    for law in cited[1 : 1 + rng.choice((0, 1, 1, 2))]:
        entries.append(document_basis(topic, rng) if rng.random() < 0.6 else law_basis(law, rng))
    return entries


# --- item builders ----------------------------------------------------------------------------
@dataclass
class Context:
    """What item builders need besides the entry: registry, township and a seeded rng."""

    registry: dict[str, Department]
    town: Township
    rng: random.Random


def fix_duty(entry: Entry, rng: random.Random) -> None:
    theme = pools.DUTY_THEMES[entry.theme]
    entry.fixed["office"] = rng.choice(theme.offices)
    entry.fixed["departments"] = rng.sample(theme.departments, rng.choice((1, 1, 2)))


def build_duty(entry: Entry, ctx: Context) -> dict[str, Node]:
    rng, theme = ctx.rng, pools.DUTY_THEMES[entry.theme]
    head = f"负责{entry.obj}{entry.action}工作"
    duty = fill_clauses(head, theme.clauses + pools.DUTY_GENERIC_CLAUSES, 30, 150, rng)
    templates = rng.sample(pools.TASK_TEMPLATES, rng.randint(1, 4))
    tasks: list[Node] = [t.format(o=entry.obj) + rng.choice(pools.TASK_TAILS) for t in templates]
    item: dict[str, Node] = {
        "code": entry.code,
        "name": entry.name,
        "category": entry.category,
        "duty": duty,
        "tasks": tasks,
        "basis": make_basis(theme.laws, entry.obj, rng),
        "office": ctx.registry[str(entry.fixed["office"])].ref(rng),
    }
    if rng.random() < 0.8:
        role = rng.choice([*pools.PERSON_ROLES, "分管" + pools.LEADER[ctx.town.suffix]])
        item["person"] = role
        item["phone"] = ctx.town.phone(int(str(entry.fixed["office"])[1:]))
    codes = entry.fixed["departments"]
    assert isinstance(codes, list)
    item["departments"] = [ctx.registry[c].ref(rng) for c in codes]
    note = rng.choice(pools.DUTY_NOTES)
    if note:
        item["note"] = note
    return item


def fix_service(entry: Entry, rng: random.Random) -> None:
    theme = pools.SERVICE_THEMES[entry.theme]
    kind = dict(theme.actions).get(entry.action, "公共服务")
    entry.fixed["type"] = kind
    instant = kind == "便民服务" or (kind == "公共服务" and rng.random() < 0.5)
    entry.fixed["instant"] = instant
    if instant:
        entry.fixed["legal"] = rng.choice(("即时办结", "无"))
        entry.fixed["promised"] = "即时办结"
    else:
        legal = rng.choice((10, 15, 20, 30, 60))
        entry.fixed["legal"] = f"{legal}个工作日"
        entry.fixed["promised"] = (
            f"{rng.choice([d for d in (1, 3, 5, 7, 10) if d < legal])}个工作日"
        )
    if rng.random() < 0.7:
        _, cat, number = entry.code.split("-")
        serial = int(cat) * 1000 + int(number)
        entry.fixed["service_code"] = f"{pools.SERVICE_TYPE_CODES[kind]}{serial:05d}000"
    entry.fixed["office"] = rng.choice(theme.offices)


def service_conditions(theme: ServiceTheme, town: str, rng: random.Random) -> str:
    """受理条件 of 40-120 characters."""
    subject = rng.choice(pools.SERVICE_SUBJECTS).format(t=town)
    ending = rng.choice(pools.SERVICE_ENDINGS).format(t=town)
    criteria = rng.sample(theme.criteria, rng.randint(1, 3))
    text = subject + "，" + "，".join(criteria) + ending
    if len(text) < 40:
        text = subject + "，" + "，".join(theme.criteria[:2]) + ending
    return text[:119] + "。" if len(text) > 119 else text + "。"


def service_materials(theme: ServiceTheme, rng: random.Random) -> list[Node]:
    """About four 申请材料."""
    common = rng.sample(pools.COMMON_MATERIALS, 2)
    names = common + rng.sample(theme.materials, rng.randint(1, 3))
    materials: list[Node] = []
    for name in names:
        form = rng.choice(("原件", "复印件", "原件和复印件", "原件和复印件", "电子件"))
        material: dict[str, Node] = {
            "name": name,
            "form": form,
            "copies": rng.choice((1, 1, 1, 2)),
            "required": name in common or rng.random() < 0.85,
        }
        if rng.random() < 0.2:
            material["note"] = rng.choice(pools.MATERIAL_NOTES)
        materials.append(material)
    return materials


def service_process(
    entry: Entry, approver: str, town: str, office: str, rng: random.Random
) -> list[Node]:
    """About four 办理流程 steps: 村居初审 → 镇街审核/公示 → 县级审批, or window steps."""
    steps: list[Node]
    if entry.fixed["instant"]:
        steps = [
            "申请人到便民服务中心窗口提交材料",
            "窗口工作人员当场核验材料",
            "符合条件的当场办理",
            "出具办理结果或回执",
            "不符合条件的一次性告知原因",
        ]
        return steps[: rng.randint(3, 5)]
    steps = [
        "申请人向户籍所在地村（社区）提出书面申请",
        "村（社区）入户调查核实并召开评议会议",
        "村（社区）将评议结果公示七天",
        f"{town}{office}受理并审核材料",
        f"{town}审核并在村（社区）公示七天",
        f"报{approver}审批",
        "审批结果告知申请人并按规定发放",
    ]
    keep = sorted(rng.sample(range(len(steps)), rng.randint(3, 5)))
    return [steps[i] for i in keep]


def build_service(entry: Entry, ctx: Context) -> dict[str, Node]:
    rng, town, theme = ctx.rng, ctx.town, pools.SERVICE_THEMES[entry.theme]
    office = ctx.registry[str(entry.fixed["office"])]
    co_dept = ctx.registry[theme.co_department]
    approver = ctx.registry[theme.approver]
    item: dict[str, Node] = {
        "code": entry.code,
        "name": entry.name,
        "category": entry.category,
        "type": str(entry.fixed["type"]),
        "basis": make_basis(theme.laws, entry.obj, rng),
        "implementer": pools.IMPLEMENTER[town.suffix],
        "co_departments": [co_dept.ref(rng)],
        "office": office.ref(rng),
        "target": rng.choice(theme.targets),
        "conditions": service_conditions(theme, town.name, rng),
        "materials": service_materials(theme, rng),
        "process": service_process(entry, approver.label(), town.name, office.name, rng),
    }
    if not entry.fixed["instant"]:
        item["approver"] = approver.ref(rng)
    item["legal_limit"] = str(entry.fixed["legal"])
    item["promised_limit"] = str(entry.fixed["promised"])
    item["handling_type"] = "即办件" if entry.fixed["instant"] else "承诺件"
    window = rng.randint(1, 12)
    item["location"] = f"{town.name}便民服务中心{window}号窗口"
    item["hours"] = rng.choice(pools.HOURS)
    item["fee"] = "不收费" if rng.random() < 0.95 else "按规定标准收取工本费"
    item["scope"] = rng.choice(("本镇（街道）", "本镇（街道）", "全区（县）", "全市"))
    item["phone"] = town.phone(40 + window)
    item["complaint_phone"] = "12345" if rng.random() < 0.6 else town.phone(99)
    if "service_code" in entry.fixed:
        item["service_code"] = str(entry.fixed["service_code"])
    note = rng.choice(pools.SERVICE_NOTES)
    if note:
        item["note"] = note
    return item


def fix_territorial(entry: Entry, rng: random.Random) -> None:
    depts = pools.TERRITORIAL_THEMES[entry.theme].departments
    lead = depts[0] if rng.random() < 0.8 or len(depts) == 1 else rng.choice(depts[1:])
    entry.fixed["lead"] = lead
    others = [d for d in depts if d != lead]
    entry.fixed["second"] = rng.choice(others) if others and rng.random() < 0.3 else ""
    pool = sorted(set(depts + pools.COOPERATING_POOL) - {lead, entry.fixed["second"]})
    entry.fixed["cooperating"] = rng.sample(pool, rng.choice((0, 1, 1, 2)))


def township_duty(obj: str, lead: str, rng: random.Random) -> str:
    """配合职责 built from cooperating verbs only."""
    clauses = [c.format(o=obj, l=lead) for c in pools.TOWNSHIP_CLAUSES]
    text = fill_clauses("", clauses, 40, 150, rng)
    if any(word in text for word in pools.FORBIDDEN_TOWNSHIP_WORDS):
        raise ValueError(f"township duty reads like full responsibility: {text}")
    return text


def build_territorial(entry: Entry, ctx: Context) -> dict[str, Node]:
    rng, theme = ctx.rng, pools.TERRITORIAL_THEMES[entry.theme]
    lead = ctx.registry[str(entry.fixed["lead"])]
    lead_ref = lead.ref(rng)
    head = f"负责{entry.obj}的监督管理"
    main: list[Node] = [
        {"department": lead_ref, "duty": fill_clauses(head, pools.MAIN_CLAUSES, 30, 150, rng)}
    ]
    second = str(entry.fixed["second"])
    if second:
        text = fill_clauses(
            f"负责职责范围内{entry.obj}的监督管理", pools.SECOND_MAIN_CLAUSES, 20, 80, rng
        )
        main.append({"department": ctx.registry[second].ref(rng), "duty": text})
    item: dict[str, Node] = {
        "code": entry.code,
        "name": entry.name,
        "category": entry.category,
        "lead": lead_ref,
        "main": main,
        "township_duty": township_duty(entry.obj, lead.label(), rng),
    }
    codes = entry.fixed["cooperating"]
    assert isinstance(codes, list)
    if codes:
        item["cooperating"] = [
            {
                "department": ctx.registry[c].ref(rng),
                "duty": rng.choice(pools.COOPERATING_DUTIES).format(o=entry.obj) + "。",
            }
            for c in codes
        ]
    item["basis"] = make_basis(theme.laws, entry.obj, rng)
    if rng.random() < 0.6:
        item["flow"] = [step.format(l=lead.label()) for step in pools.FLOW]
    return item


BUILDERS = {"duty": build_duty, "service": build_service, "territorial": build_territorial}
FIXERS = {"duty": fix_duty, "service": fix_service, "territorial": fix_territorial}


# --- kind setup -------------------------------------------------------------------------------
@dataclass
class KindPlan:
    """Per-kind categories, catalogue and item counts per township."""

    kind: str
    categories: list[Category]
    catalogue: list[Entry]
    counts: list[int]


ThemeWords = list[tuple[list[str], list[str], float]]


def kind_themes(kind: str) -> tuple[ThemeWords, list[str], list[list[str]], list[str], list[str]]:
    """(objects, actions, weight) per theme, theme names, children, extra names, name prefixes."""
    if kind == "service":
        themes_s: list[ServiceTheme] = pools.SERVICE_THEMES
        return (
            [(t.objects, [a for a, _ in t.actions], t.weight) for t in themes_s],
            [t.name for t in themes_s],
            [[] for _ in themes_s],
            [],
            pools.SERVICE_NAME_PREFIXES,
        )
    themes: list[Theme] = pools.DUTY_THEMES if kind == "duty" else pools.TERRITORIAL_THEMES
    extra = pools.DUTY_EXTRA_NAMES if kind == "duty" else pools.TERRITORIAL_EXTRA_NAMES
    prefixes = ["辖区", "村（社区）", "全域"] if kind == "duty" else pools.TERRITORIAL_NAME_PREFIXES
    return (
        [(t.objects, t.actions, t.weight) for t in themes],
        [t.name for t in themes],
        [t.children for t in themes],
        extra,
        prefixes,
    )


def split_counts(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split ``total`` over ``parts`` townships, each within about ±15% of the mean."""
    weights = [rng.uniform(0.85, 1.15) for _ in range(parts)]
    scale = sum(weights)
    counts = [int(total * w / scale) for w in weights]
    for i in rng.sample(range(parts), total - sum(counts)):
        counts[i] += 1
    return counts


def kind_catalogue(kind: str, size: int, rng: random.Random) -> tuple[list[Category], list[Entry]]:
    """Category tree and ``size`` catalogue entries (fixed fields set) of one kind."""
    themes, names, children, extra, prefixes = kind_themes(kind)
    categories = make_categories(names, children, extra, math.ceil(size / CATEGORY_FILL))
    catalogue = make_catalogue(
        kind=kind, categories=categories, themes=themes, prefixes=prefixes, size=size, rng=rng
    )
    for entry in catalogue:
        FIXERS[kind](entry, rng)
    return categories, catalogue


def plan_kind(kind: str, total: int, townships: int, seed: int) -> KindPlan:
    rng = random.Random(f"{seed}:catalogue:{kind}")
    counts = split_counts(total, townships, rng)
    size = math.ceil(max(counts, default=0) * 1.1) + 1
    categories, catalogue = kind_catalogue(kind, size, rng)
    return KindPlan(kind, categories, catalogue, counts)


# --- writing ----------------------------------------------------------------------------------
def write_list(plan: KindPlan, ctx: Context, path: Path) -> int:
    """Write one township's list of one kind; returns bytes written."""
    count = plan.counts[ctx.town.index - 1]
    chosen = sorted(ctx.rng.sample(range(len(plan.catalogue)), count))
    builder = BUILDERS[plan.kind]
    items: list[Node] = [builder(plan.catalogue[i], ctx) for i in chosen]
    return write_yaml(path, {"kind": plan.kind, "unit": ctx.town.name, "items": items})


def write_config(out: Path, changes: dict[str, Node] | None = None) -> int:
    """qingdan.yaml of the district's set; ``changes`` replaces or adds keys."""
    config: dict[str, Node] = {
        "name": f"{pools.DISTRICT}镇（街道）三张清单（性能测试数据）",
        "region": f"某省{pools.CITY}{pools.DISTRICT}",
        "region_code": "510199",
        "level": "区",
        "edition": "2026年版",
        "compiler": "中共青川区委机构编制委员会办公室",
        "preset": "sanzhang",
        "kinds": list(KINDS),
    }
    return write_yaml(out / "qingdan.yaml", config | (changes or {}))


def prepare_out_dir(out: Path, folders: tuple[str, ...] = ("townships", "categories")) -> None:
    """Create OUT_DIR, or clear a previous generated set; refuse other non-empty folders."""
    if out.exists() and any(out.iterdir()):
        if not (out / STAMP).exists():
            raise SystemExit(f"错误：{out} 不是空文件夹，也不是本脚本生成的清单集，拒绝覆盖。")
        for sub in folders:
            shutil.rmtree(out / sub, ignore_errors=True)
        (out / STAMP).unlink()
    out.mkdir(parents=True, exist_ok=True)


def generator_version(*extra: str) -> str:
    """Hash of the generator sources (and ``extra`` files beside them), so benchmarks regenerate
    after a change."""
    digest = hashlib.sha256()
    for name in ("generate.py", "pools.py", *extra):
        digest.update((Path(__file__).resolve().parent / name).read_bytes())
    return digest.hexdigest()[:16]


def generate(out: Path, items: int, townships: int, seed: int) -> dict[str, object]:
    """Write the whole list set and return a summary (also stored in OUT_DIR/.benchmark.json)."""
    prepare_out_dir(out)
    towns = make_townships(townships, seed)
    registry = make_registry(towns)
    totals = {"duty": round(items * SHARE["duty"]), "service": round(items * SHARE["service"])}
    totals["territorial"] = items - totals["duty"] - totals["service"]
    plans = [plan_kind(kind, totals[kind], townships, seed) for kind in KINDS]
    size = write_config(out)
    departments: list[Node] = [d.to_node() for d in registry.values()]
    size += write_yaml(out / "departments.yaml", {"departments": departments})
    for plan in plans:
        node: dict[str, Node] = {
            "kind": plan.kind,
            "categories": [c.to_node() for c in plan.categories],
        }
        size += write_yaml(out / "categories" / f"{plan.kind}.yaml", node)
    for town in towns:
        for plan in plans:
            ctx = Context(registry, town, random.Random(f"{seed}:{plan.kind}:{town.index}"))
            size += write_list(plan, ctx, out / "townships" / town.folder / f"{plan.kind}.yaml")
    summary: dict[str, object] = {
        "items": items,
        "townships": townships,
        "seed": seed,
        "version": generator_version(),
        "items_by_kind": totals,
        "departments": len(registry),
        "files": 5 + 3 * townships,
        "bytes": size,
    }
    (out / STAMP).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return summary


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="生成用于性能测试的大规模三张清单数据（合法数据）。"
    )
    parser.add_argument("out_dir", type=Path, help="输出文件夹")
    parser.add_argument("--items", type=int, default=100_000, help="事项总数（默认 100000）")
    parser.add_argument("--townships", type=int, default=100, help="镇（街道）数量（默认 100）")
    parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
    args = parser.parse_args(argv)
    if args.items < 0 or args.townships < 1:
        parser.error("事项数不能为负数，镇（街道）数量至少为 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    summary = generate(args.out_dir, args.items, args.townships, args.seed)
    elapsed = time.perf_counter() - started
    by_kind = summary["items_by_kind"]
    assert isinstance(by_kind, dict)
    print(
        f"已生成清单集：{args.out_dir}\n"
        f"  事项 {args.items} 项（职责 {by_kind['duty']}、服务 {by_kind['service']}、"
        f"属地 {by_kind['territorial']}），镇（街道）{args.townships} 个，"
        f"部门 {summary['departments']} 个\n"
        f"  文件 {summary['files']} 个，共 {int(str(summary['bytes'])) / 1e6:.1f} MB，"
        f"用时 {elapsed:.1f} 秒"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
