"""Generate a derived 三张清单 list set: a city catalog, and a district and townships deriving from it.

Usage:
    python benchmarks/generate_derived.py OUT_DIR [--catalog-items 300] [--townships 100]
        [--modify 25] [--add 8] [--omit 5]
        [--district-modify 30] [--district-add 20] [--district-omit 5] [--seed 1]

Writes the shape of the sample in lists/ (see docs/derive.md):

  OUT_DIR/catalog/             the city's guidance catalog, a plain list set of its own (qingdan.yaml,
                               departments.yaml, categories/, mulu/{duty,service,territorial}.yaml
                               with --catalog-items items each);
  OUT_DIR/qingdan.yaml         the district's set, with ``base: {path: catalog, edition: …}``;
  OUT_DIR/townships/district/  the district's lists: ``derive: {from: <city>}``, --district-* ops;
  OUT_DIR/townships/tNNN/      each township's lists: ``derive: {from: <district>}`` with --modify
                               modify, --add add and --omit omit operations per kind;

plus OUT_DIR/.benchmark.json (parameters, resolved item counts, the ``stable`` codes below), which
benchmarks/derived_bench.py uses to reuse a set. With the defaults the district and the 100
townships resolve to 96,345 items, the shape measured in issue 8.

Items, departments and categories come from benchmarks/generate.py (same pools, builders and
emitter), so the set validates clean. Catalog and district items are written for a generic
township ("镇（街道）"); a township's modification builds the item again for that township and
takes the fields whose value differs: mostly the kind's local fields (``x-qingdan.local_fields``
in the schemas: contact person, phone, location…), else one field of REAL_FIELDS. No list omits a
``stable`` code and no list modifies its STABLE_FIELD, so a benchmark that edits that field of a
stable item in the catalog changes it in the district and every township.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate
import pools
from generate import KINDS, Context, Entry, Node, Township

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "src" / "qingdan" / "schemas" / "sanzhang"
CATALOG = "catalog"
CATALOG_LISTS = "mulu"
DISTRICT_FOLDER = "district"
EDITION = "2026年版"
CITY_UNIT = pools.CITY
DISTRICT_UNIT = pools.CITY + pools.DISTRICT
GENERIC_TOWN = Township(0, "", "镇（街道）", "镇")
# a real modification changes one of these; never STABLE_FIELD, which benchmarks edit in the catalog
REAL_FIELDS = {
    "duty": ("tasks", "basis"),
    "service": ("materials", "process", "basis"),
    "territorial": ("basis", "flow", "cooperating"),
}
STABLE_FIELD = {"duty": "duty", "service": "conditions", "territorial": "township_duty"}
STABLE_PER_KIND = 10
LOCAL_SHARE = 0.8  # share of a township's modifications that only fill in local fields


@dataclass(frozen=True)
class Shape:
    """How big the set is: catalog items per kind, townships, and operations per list and kind."""

    catalog_items: int = 300
    townships: int = 100
    modify: int = 25
    add: int = 8
    omit: int = 5
    district_modify: int = 30
    district_add: int = 20
    district_omit: int = 5
    seed: int = 1

    def pool_size(self) -> int:
        """Catalogue entries one kind needs: catalog items plus every added item."""
        return self.catalog_items + self.district_add + self.townships * self.add


# a small set for derived_bench.py --quick and tests/test_benchmarks.py: 2,109 resolved items
QUICK = Shape(
    catalog_items=60,
    townships=10,
    modify=5,
    add=2,
    omit=1,
    district_modify=6,
    district_add=4,
    district_omit=1,
)


@dataclass(frozen=True)
class FieldRoles:
    """One kind's fields as the generator needs them: local, real, their Chinese titles."""

    local: tuple[str, ...]
    real: tuple[str, ...]
    titles: dict[str, str]


def field_roles(kind: str) -> FieldRoles:
    """Local fields and field titles from the kind's schema, so the generator follows the kinds."""
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text("utf-8"))
    properties = schema["$defs"]["item"]["properties"]
    titles = {name: str(spec.get("title", name)) for name, spec in properties.items()}
    local = tuple(schema.get("x-qingdan", {}).get("local_fields", ()))
    return FieldRoles(local, REAL_FIELDS[kind], titles)


# --- operations -------------------------------------------------------------------------------
def modify_op(
    code: str,
    base: dict[str, Node],
    fresh: dict[str, Node],
    roles: FieldRoles,
    rng: random.Random,
    *,
    local_share: float,
    who: str,
) -> dict[str, Node] | None:
    """A modify operation taking from ``fresh`` the local fields that differ (with probability
    ``local_share``), else one differing real field; None when nothing differs."""
    local = [f for f in roles.local if f in fresh and fresh[f] != base.get(f)]
    real = [f for f in roles.real if f in fresh and fresh[f] != base.get(f)]
    if local and (not real or rng.random() < local_share):
        titles = "、".join(roles.titles[f] for f in local)
        fields, reason = local, f"填写{who}的{titles}。"
    elif real:
        field = rng.choice(real)
        fields, reason = [field], f"结合{who}实际调整{roles.titles[field]}。"
    else:
        return None
    return {"code": code, "set": {f: fresh[f] for f in fields}, "reason": reason}


def derive_node(
    source: str, modify: list[Node], add: list[Node], omit: list[Node]
) -> dict[str, Node]:
    """The ``derive`` block, written in the order docs/derive.md shows; empty sections left out."""
    node: dict[str, Node] = {"from": source, "take": "all"}
    for key, ops in (("modify", modify), ("add", add), ("omit", omit)):
        if ops:
            node[key] = ops
    return node


@dataclass
class KindData:
    """One kind's category tree, catalogue entries by code, the catalog's items, and the entries
    not yet handed out as added items."""

    kind: str
    roles: FieldRoles
    categories: list[generate.Category]
    entries: dict[str, Entry]
    catalog: dict[str, dict[str, Node]]
    spare: list[Entry]
    stable: list[str]

    def take_spare(self, count: int) -> list[Entry]:
        taken, self.spare = self.spare[:count], self.spare[count:]
        return taken


def kind_data(kind: str, shape: Shape, registry: dict[str, generate.Department]) -> KindData:
    """Catalogue entries for the catalog and every addition, the catalog items and stable codes."""
    rng = random.Random(f"{shape.seed}:derived:{kind}")
    categories, catalogue = generate.kind_catalogue(kind, shape.pool_size(), rng)
    chosen = set(rng.sample(range(len(catalogue)), shape.catalog_items))
    spare = [e for i, e in enumerate(catalogue) if i not in chosen]
    rng.shuffle(spare)
    ctx = Context(registry, GENERIC_TOWN, random.Random(f"{shape.seed}:catalog:{kind}"))
    build = generate.BUILDERS[kind]
    catalog = {e.code: build(e, ctx) for i, e in enumerate(catalogue) if i in chosen}
    stable = sorted(rng.sample(sorted(catalog), min(STABLE_PER_KIND, len(catalog))))
    entries = {e.code: e for e in catalogue}
    return KindData(kind, field_roles(kind), categories, entries, catalog, spare, stable)


@dataclass(frozen=True)
class Ops:
    """How many operations of each sort one derived list has."""

    modify: int
    add: int
    omit: int
    local_share: float


def derived_list(
    data: KindData,
    base: dict[str, dict[str, Node]],
    *,
    unit: str,
    source: str,
    ops: Ops,
    ctx: Context,
    who: str,
) -> tuple[dict[str, Node], dict[str, dict[str, Node]]]:
    """One derived list file deriving from ``base``, and the items it resolves to."""
    rng, build = ctx.rng, generate.BUILDERS[data.kind]
    stable = set(data.stable)
    omitted = sorted(rng.sample([c for c in base if c not in stable], ops.omit))
    resolved = {code: item for code, item in base.items() if code not in omitted}
    modify: list[Node] = []
    for code in sorted(rng.sample(sorted(resolved), ops.modify)):
        fresh = build(data.entries[code], ctx)
        op = modify_op(
            code, base[code], fresh, data.roles, rng, local_share=ops.local_share, who=who
        )
        if op is not None:
            changes = op["set"]
            assert isinstance(changes, dict)
            resolved[code] = base[code] | changes
            modify.append(op)
    add: list[Node] = []
    for entry in data.take_spare(ops.add):
        item = build(entry, ctx)
        add.append({"item": item, "reason": f"{who}个性化事项：{entry.name}。"})
        resolved[entry.code] = item
    omit: list[Node] = [{"code": c, "reason": f"{who}不涉及此事项。"} for c in omitted]
    node: dict[str, Node] = {
        "kind": data.kind,
        "unit": unit,
        "derive": derive_node(source, modify, add, omit),
    }
    return node, resolved


# --- writing ----------------------------------------------------------------------------------
def write_catalog(root: Path, kinds: list[KindData]) -> int:
    """The city's catalog: a plain list set of its own; returns bytes written."""
    size = generate.write_config(
        root,
        {
            "name": f"{CITY_UNIT}镇（街道）三张清单指导目录（性能测试数据）",
            "region": CITY_UNIT,
            "region_code": "510100",
            "level": "市",
            "compiler": f"中共{CITY_UNIT}委机构编制委员会办公室",
            "lists": CATALOG_LISTS,
        },
    )
    size += write_shared(root, generate.make_registry([]), kinds)
    for data in kinds:
        items: list[Node] = list(data.catalog.values())
        node: dict[str, Node] = {"kind": data.kind, "unit": CITY_UNIT, "items": items}
        size += generate.write_yaml(root / CATALOG_LISTS / f"{data.kind}.yaml", node)
    return size


def write_shared(
    root: Path, registry: dict[str, generate.Department], kinds: list[KindData]
) -> int:
    """departments.yaml and the category trees of one list set."""
    departments: list[Node] = [d.to_node() for d in registry.values()]
    size = generate.write_yaml(root / "departments.yaml", {"departments": departments})
    for data in kinds:
        tree: list[Node] = [c.to_node() for c in data.categories]
        node: dict[str, Node] = {"kind": data.kind, "categories": tree}
        size += generate.write_yaml(root / "categories" / f"{data.kind}.yaml", node)
    return size


def generate_derived(out: Path, shape: Shape) -> dict[str, object]:
    """Write catalog, district and townships; return the summary stored in OUT_DIR/.benchmark.json."""
    generate.prepare_out_dir(out, ("townships", "categories", CATALOG))
    towns = generate.make_townships(shape.townships, shape.seed)
    registry = generate.make_registry(towns)
    kinds = [kind_data(kind, shape, registry) for kind in KINDS]
    catalog_bytes = write_catalog(out / CATALOG, kinds)
    base: dict[str, Node] = {"path": CATALOG, "edition": EDITION}
    size = generate.write_config(out, {"region": DISTRICT_UNIT, "base": base})
    size += write_shared(out, registry, kinds)
    district_ops = Ops(shape.district_modify, shape.district_add, shape.district_omit, 0.0)
    town_ops = Ops(shape.modify, shape.add, shape.omit, LOCAL_SHARE)
    resolved: dict[str, int] = {}
    overlay_bytes = 0
    for data in kinds:
        rng = random.Random(f"{shape.seed}:district:{data.kind}")
        node, district = derived_list(
            data,
            data.catalog,
            unit=DISTRICT_UNIT,
            source=CITY_UNIT,
            ops=district_ops,
            ctx=Context(registry, GENERIC_TOWN, rng),
            who="本区",
        )
        path = out / "townships" / DISTRICT_FOLDER / f"{data.kind}.yaml"
        overlay_bytes += generate.write_yaml(path, node)
        count = len(district)
        for town in towns:
            ctx = Context(registry, town, random.Random(f"{shape.seed}:{data.kind}:{town.index}"))
            node, items = derived_list(
                data,
                district,
                unit=town.name,
                source=DISTRICT_UNIT,
                ops=town_ops,
                ctx=ctx,
                who=town.name,
            )
            path = out / "townships" / town.folder / f"{data.kind}.yaml"
            overlay_bytes += generate.write_yaml(path, node)
            count += len(items)
        resolved[data.kind] = count
    summary: dict[str, object] = {
        "derived": True,
        **asdict(shape),
        "version": generate.generator_version(Path(__file__).name),
        "resolved_items": sum(resolved.values()),
        "resolved_by_kind": resolved,
        "lists": 3 * (shape.townships + 1),
        "catalog_bytes": catalog_bytes,
        "overlay_bytes": overlay_bytes,
        "bytes": size + catalog_bytes + overlay_bytes,
        "district": f"townships/{DISTRICT_FOLDER}",
        "township_folders": [f"townships/{t.folder}" for t in towns],
        "catalog_lists": f"{CATALOG}/{CATALOG_LISTS}",
        "stable": {data.kind: data.stable for data in kinds},
        "stable_field": STABLE_FIELD,
    }
    text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
    (out / generate.STAMP).write_text(text, "utf-8")
    return summary


def add_shape_args(parser: argparse.ArgumentParser) -> None:
    """The options that set the size of the derived set (shared with derived_bench.py)."""
    default = Shape()
    options = (
        ("--catalog-items", "catalog_items", "市指导目录每种清单的事项数"),
        ("--townships", "townships", "镇（街道）数量"),
        ("--modify", "modify", "每个镇（街道）每种清单修改的事项数"),
        ("--add", "add", "每个镇（街道）每种清单增加的个性化事项数"),
        ("--omit", "omit", "每个镇（街道）每种清单不采用的事项数"),
        ("--district-modify", "district_modify", "区级清单每种修改的事项数"),
        ("--district-add", "district_add", "区级清单每种增加的事项数"),
        ("--district-omit", "district_omit", "区级清单每种不采用的事项数"),
        ("--seed", "seed", "随机种子"),
    )
    for flag, name, text in options:
        value = getattr(default, name)
        parser.add_argument(
            flag, dest=name, type=int, default=value, help=f"{text}（默认 {value}）"
        )


def shape_from(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Shape:
    """The Shape the options describe; stops with a message when it cannot be generated."""
    shape = Shape(**{f: getattr(args, f) for f in Shape.__dataclass_fields__})
    if min(asdict(shape).values()) < 0 or shape.townships < 1:
        parser.error("各项数量不能为负数，镇（街道）数量至少为 1")
    if shape.district_omit + STABLE_PER_KIND > shape.catalog_items:
        parser.error(f"--catalog-items 至少为 --district-omit + {STABLE_PER_KIND}")
    district = shape.catalog_items - shape.district_omit + shape.district_add
    if shape.district_modify > shape.catalog_items - shape.district_omit:
        parser.error("--district-modify 不能多于区级清单采用的事项数")
    if shape.omit + min(STABLE_PER_KIND, shape.catalog_items) > district:
        parser.error("--omit 太大：区级清单的事项不够不采用")
    if shape.modify > district - shape.omit:
        parser.error("--modify 不能多于镇（街道）采用的事项数")
    return shape


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="生成用于性能测试的派生清单集：市指导目录 + 区级清单 + 各镇（街道）派生清单。"
    )
    parser.add_argument("out_dir", type=Path, help="输出文件夹")
    add_shape_args(parser)
    args = parser.parse_args(argv)
    shape = shape_from(args, parser)
    started = time.perf_counter()
    summary = generate_derived(args.out_dir, shape)
    by_kind = summary["resolved_by_kind"]
    assert isinstance(by_kind, dict)
    print(
        f"已生成派生清单集：{args.out_dir}\n"
        f"  市指导目录每种清单 {shape.catalog_items} 项，区级清单 1 个，镇（街道）{shape.townships} 个\n"
        f"  展开后事项 {summary['resolved_items']} 项（职责 {by_kind['duty']}、服务 {by_kind['service']}、"
        f"属地 {by_kind['territorial']}）\n"
        f"  派生清单 {summary['lists']} 个共 {int(str(summary['overlay_bytes'])) / 1e6:.1f} MB，"
        f"市指导目录 {int(str(summary['catalog_bytes'])) / 1e6:.1f} MB，"
        f"用时 {time.perf_counter() - started:.1f} 秒"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
