"""Derived lists: a city catalog, a district derived from it, a township from the district."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import SAMPLE, run_here

DISTRICT_DUTY = """\
kind: duty
unit: 锦川市青岚区
derive:
  from: 锦川市
  modify:
    - code: ZR-01-002
      set:
        name: 党员发展和教育管理工作
      reason: 结合本区实际完善表述。
  omit:
    - code: ZR-01-003
      reason: 本区统一由区委组织部承担。
"""

TOWNSHIP_DUTY = """\
kind: duty
unit: 清水镇
derive:
  from: 锦川市青岚区
  modify:
    - code: ZR-01-001
      set:
        phone: "0838-6212999"
        tasks: [落实“三会一课”制度, 开展主题党日活动]
      reason: 更新咨询电话。
      document: 青岚编办〔2026〕5号
    - code: ZR-01-004
      set:
        person: 党委副书记
      reason: 明确本镇责任人。
  add:
    - item:
        code: ZR-01-101
        name: 清水镇茶产业发展
        category: "0101"
        duty: 推动本镇茶叶产业发展，开展品牌建设和市场推广。
        tasks: [开展茶叶品牌推广]
        office: 党政综合办公室
        basis:
          - title: 《锦川市青岚区茶产业发展规划》
      reason: 本镇个性化事项。
"""


def _set(root: Path, *, name: str, region: str, level: str, base: str | None = None) -> None:
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("townships"))
    config = (root / "qingdan.yaml").read_text(encoding="utf-8")
    config = re.sub(r"^name: .*$", f"name: {name}", config, flags=re.M)
    config = re.sub(r"^region: .*$", f"region: {region}", config, flags=re.M)
    config = re.sub(r"^level: .*$", f"level: {level}", config, flags=re.M)
    if base:
        config += f'base:\n  path: {base}\n  edition: "2026年版"\n'
    (root / "qingdan.yaml").write_text(config, encoding="utf-8")


@pytest.fixture
def chain(tmp_path: Path) -> Path:
    return build_chain(tmp_path)


def build_chain(tmp_path: Path) -> Path:
    """city (catalog) ← district (district list + one township); returns the district root."""
    city, district = tmp_path / "city", tmp_path / "district"
    _set(city, name="锦川市镇（街道）三张清单指导目录", region="锦川市", level="市")
    catalog = city / "townships" / "catalog"
    catalog.mkdir(parents=True)
    source = (SAMPLE / "townships/qingshui/duty.yaml").read_text(encoding="utf-8")
    (catalog / "duty.yaml").write_text(source.replace("unit: 清水镇", "unit: 锦川市"), "utf-8")
    _set(district, name="锦川市青岚区三张清单", region="锦川市青岚区", level="区", base="../city")
    (district / "townships/qinglan").mkdir(parents=True)
    (district / "townships/qinglan/duty.yaml").write_text(DISTRICT_DUTY, encoding="utf-8")
    (district / "townships/qingshui").mkdir(parents=True)
    (district / "townships/qingshui/duty.yaml").write_text(TOWNSHIP_DUTY, encoding="utf-8")
    return district


def validate(root: Path) -> tuple[int, list[dict]]:
    run = run_here("validate", "--format", "json", "--no-cache", cwd=root)
    return run.code, json.loads(run.stdout)["findings"]


def test_three_level_chain_validates_and_resolves_with_provenance(chain: Path) -> None:
    assert run_here("validate", "--no-cache", cwd=chain.parent / "city").code == 0
    code, findings = validate(chain)
    assert (code, findings) == (0, [])

    run = run_here("resolve", cwd=chain)
    assert run.code == 0, run.stdout + run.stderr
    township = yaml.safe_load((chain / "resolved/townships/qingshui/duty.yaml").read_text("utf-8"))
    items = {i["code"]: i for i in township["items"]}
    provenance = township["provenance"]["items"]
    # inherited from the district, which modified it from the city catalog
    assert items["ZR-01-002"]["name"] == "党员发展和教育管理工作"
    assert provenance["ZR-01-002"] == "继承"
    # omitted by the district: not in the township either
    assert "ZR-01-003" not in items
    assert provenance["ZR-01-001"]["source"] == "修改"
    assert provenance["ZR-01-001"]["fields"]["phone"]["local"] == "0838-6212999"
    assert provenance["ZR-01-001"]["fields"]["phone"]["base"] != "0838-6212999"
    assert provenance["ZR-01-101"] == {"source": "新增", "reason": "本镇个性化事项。"}
    district = yaml.safe_load((chain / "resolved/townships/qinglan/duty.yaml").read_text("utf-8"))
    assert district["provenance"]["omitted"] == [
        {
            "code": "ZR-01-003",
            "name": district["provenance"]["omitted"][0]["name"],
            "reason": "本区统一由区委组织部承担。",
        }
    ]
    # the resolved set is an ordinary list set
    assert run_here("validate", "resolved", "--no-cache", cwd=chain).code == 0
    assert "derive" not in (chain / "resolved/qingdan.yaml").read_text("utf-8")


def test_resolve_is_idempotent_and_leaves_unchanged_files_alone(chain: Path) -> None:
    assert run_here("resolve", cwd=chain).code == 0
    out = chain / "resolved"
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    again = run_here("resolve", cwd=chain)
    assert again.code == 0
    assert "写入 0 个文件" in again.stdout
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_resolved_versions_diff_like_hand_written_lists(chain: Path) -> None:
    assert run_here("resolve", "-o", str(chain.parent / "v1"), cwd=chain).code == 0
    path = chain / "townships/qingshui/duty.yaml"
    path.write_text(
        path.read_text("utf-8")
        .replace("更新咨询电话。", "更新咨询电话号码。")
        .replace("0838-6212999", "0838-6212998"),
        "utf-8",
    )
    assert run_here("resolve", "-o", str(chain.parent / "v2"), cwd=chain).code == 0
    run = run_here(
        "diff", str(chain.parent / "v1"), str(chain.parent / "v2"), "--format", "json", cwd=chain
    )
    changes = json.loads(run.stdout)["changes"]
    assert [(c["code"], [f["title"] for f in c["fields"]]) for c in changes] == [
        ("ZR-01-001", ["咨询电话"])
    ]


def test_stats_count_per_unit_kind_and_category(chain: Path) -> None:
    run = run_here("stats", "--format", "json", cwd=chain)
    assert run.code == 0, run.stderr
    rows = json.loads(run.stdout)["rows"]
    party = {r["unit"]: r for r in rows if r["category"] == "基层党建"}
    assert party["锦川市青岚区"]["modified"] == 1
    assert party["锦川市青岚区"]["omitted"] == 1
    assert party["清水镇"]["added"] == 1
    assert party["清水镇"]["modified"] == 1
    assert party["清水镇"]["local"] == 1  # only its 责任人 filled in: the matter is inherited
    markdown = run_here("stats", "--format", "markdown", cwd=chain).stdout
    assert (
        "继承59项（其中1项只填写了本地信息），修改完善1项，增加1项个性化事项，不采用0项" in markdown
    )
    assert "| 领域/类别 | 继承 | 填写本地信息 | 修改 | 新增 | 退出 | 不采用 | 合计 |" in markdown


BAD_OVERLAYS = [
    (
        "derive.unknown-code",
        "modify:\n    - code: ZR-01-003\n      set: {name: 某事项}\n      reason: 试试。\n",
        7,
    ),
    (
        "derive.unknown-field",
        "modify:\n    - code: ZR-01-001\n      set: {nosuch: 某值}\n      reason: 试试。\n",
        8,
    ),
    (
        "derive.set-code",
        "modify:\n    - code: ZR-01-001\n      set: {code: ZR-01-150}\n      reason: 试试。\n",
        8,
    ),
    (
        "derive.twice",
        "omit:\n    - code: ZR-01-001\n      reason: 不需要。\n    - code: ZR-01-001\n      reason: 不需要。\n",
        9,
    ),
    (
        "derive.modify-omitted",
        "omit:\n    - code: ZR-01-001\n      reason: 不需要。\n  modify:\n    - code: ZR-01-001\n      set: {name: 某某事项}\n      reason: 试试。\n",
        10,
    ),
    (
        "derive.code-taken",
        "add:\n    - item: {code: ZR-01-002, name: 重复编码事项}\n      reason: 试试。\n",
        7,
    ),
    ("schema.required", "omit:\n    - code: ZR-01-001\n", 7),
    ("derive.unknown-code", "take: [ZR-01-001, ZR-09-999]\n", 6),
    (
        "derive.local-code",
        'codes: "^ZR-[0-9]{2}-1[0-9]{2}$"\n  add:\n    - item: {code: ZR-01-201, name: 某某新增事项}\n      reason: 试试。\n',
        8,
    ),
    (
        "derive.bad-codes",
        'codes: "ZR-(1"\n  add:\n    - item: {code: ZR-01-201, name: 某某新增事项}\n      reason: 试试。\n',
        6,
    ),
    (
        "rule.document-number",
        "omit:\n    - code: ZR-01-001\n      reason: 不需要。\n      document: 青岚编办[2026]5号\n",
        9,
    ),
]


@pytest.mark.parametrize(
    ("code", "ops", "line"), BAD_OVERLAYS, ids=[b[0] + str(i) for i, b in enumerate(BAD_OVERLAYS)]
)
def test_bad_overlays_are_errors_at_the_operation(
    chain: Path, code: str, ops: str, line: int
) -> None:
    text = f"kind: duty\nunit: 清水镇\n# 测试\nderive:\n  from: 锦川市青岚区\n  {ops}"
    (chain / "townships/qingshui/duty.yaml").write_text(text, encoding="utf-8")
    status, findings = validate(chain)
    assert status == 1
    assert (code, "townships/qingshui/duty.yaml", line) in {
        (f["code"], f["file"], f["line"]) for f in findings
    }
    assert run_here("resolve", cwd=chain).code == 1
    assert not (chain / "resolved").exists()  # nothing half-written


def test_a_bad_modified_value_is_reported_at_the_operation(chain: Path) -> None:
    path = chain / "townships/qingshui/duty.yaml"
    path.write_text(
        path.read_text("utf-8").replace('phone: "0838-6212999"', "phone: 电话待定"), "utf-8"
    )
    _, findings = validate(chain)
    assert [(f["code"], f["file"], f["line"], f["item"]) for f in findings] == [
        ("schema.pattern", "townships/qingshui/duty.yaml", 8, "ZR-01-001")
    ]


def test_a_problem_in_an_inherited_item_points_at_the_base(chain: Path) -> None:
    catalog = chain.parent / "city/townships/catalog/duty.yaml"
    catalog.write_text(
        catalog.read_text("utf-8").replace("name: 基层党组织建设", "name: 基层党组织 建设"), "utf-8"
    )
    _, findings = validate(chain)
    spaces = [f for f in findings if f["code"] == "text.space"]
    assert spaces and all(f["file"].endswith("city/townships/catalog/duty.yaml") for f in spaces)
    assert len(spaces) == len(
        {(f["file"], f["line"]) for f in spaces}
    )  # reported once, not per level


def test_missing_base_and_cycles_are_clear_errors(chain: Path) -> None:
    path = chain / "townships/qingshui/duty.yaml"
    path.write_text(TOWNSHIP_DUTY.replace("from: 锦川市青岚区", "from: 不存在区"), "utf-8")
    _, findings = validate(chain)
    assert ("derive.no-base", 4) in {(f["code"], f["line"]) for f in findings}
    # the district derives from the township, which derives from the district
    district = chain / "townships/qinglan/duty.yaml"
    district.write_text(DISTRICT_DUTY.replace("from: 锦川市", "from: 清水镇"), "utf-8")
    path.write_text(TOWNSHIP_DUTY, "utf-8")
    _, findings = validate(chain)
    cycles = [f for f in findings if f["code"] == "derive.cycle"]
    assert cycles and "循环" in cycles[0]["message"]


def test_base_edition_and_missing_base_in_the_config(chain: Path) -> None:
    city = chain.parent / "city/qingdan.yaml"
    city.write_text(
        city.read_text("utf-8").replace('edition: "2026年版"', 'edition: "2027年版"'), "utf-8"
    )
    code, findings = validate(chain)
    assert code == 0  # a warning: the district still stands on the edition it was derived from
    [warning] = findings
    assert (warning["code"], warning["file"]) == ("derive.edition", "qingdan.yaml")
    assert "2027年版" in warning["message"] and "qingdan rebase" in warning["message"]
    config = chain / "qingdan.yaml"
    config.write_text(
        config.read_text("utf-8").replace("path: ../city", "path: ../nowhere"), "utf-8"
    )
    code, findings = validate(chain)
    assert code == 1
    assert ("derive.base-missing", "qingdan.yaml") in {(f["code"], f["file"]) for f in findings}


def test_a_broken_base_list_is_named_where_it_is_used(chain: Path) -> None:
    (chain / "townships/qinglan/duty.yaml").write_text(DISTRICT_DUTY + "  omit: [\n", "utf-8")
    _, findings = validate(chain)
    found = {(f["code"], f["file"], f["line"]) for f in findings}
    assert ("derive.broken-base", "townships/qingshui/duty.yaml", 4) in found
    assert any(
        code == "yaml.syntax" and file.endswith("qinglan/duty.yaml") for code, file, _ in found
    )


def _new_city_edition(chain: Path) -> Path:
    """Keep the current city catalog as the old edition, then publish 2027年版 over it."""
    city = chain.parent / "city"
    old = chain.parent / "city-2026"
    shutil.copytree(city, old)
    config = city / "qingdan.yaml"
    config.write_text(config.read_text("utf-8").replace('"2026年版"', '"2027年版"'), "utf-8")
    catalog = city / "townships/catalog/duty.yaml"
    text = catalog.read_text("utf-8")
    text = text.replace(
        "name: 党员发展和教育管理\n", "name: 党员发展教育管理\n"
    )  # the district renamed it too
    text = text.replace(
        "做好发展党员工作", "做好发展党员和党员教育培训工作"
    )  # the district did not touch this
    start = text.index("  - code: ZR-01-003\n")  # the district omitted it; the city drops it
    end = text.index("\n  - code: ", start + 1)
    text = text[:start] + text[end + 1 :]
    block = text[text.index("  - code: ZR-01-001\n") : text.index("\n  - code: ZR-01-002")]
    text += (
        "\n"
        + block.replace("ZR-01-001", "ZR-01-010").replace(
            "name: 基层党组织建设", "name: 党建引领基层治理"
        )
        + "\n"
    )
    catalog.write_text(text, "utf-8")
    return old


def test_rebase_shows_conflicts_side_by_side_and_records_the_edition(chain: Path) -> None:
    old = _new_city_edition(chain)
    run = run_here("rebase", "--from", str(old), "--format", "json", cwd=chain)
    assert run.code == 1, run.stdout + run.stderr  # a conflict needs a person
    report = json.loads(run.stdout)
    assert (report["old_edition"], report["new_edition"]) == ("2026年版", "2027年版")
    [conflict] = report["conflicts"]
    assert (conflict["code"], conflict["field"]) == ("ZR-01-002", "name")
    assert (conflict["base_old"], conflict["base_new"], conflict["local"]) == (
        "党员发展和教育管理",
        "党员发展教育管理",
        "党员发展和教育管理工作",
    )
    assert (conflict["file"], conflict["line"]) == ("townships/qinglan/duty.yaml", 8)
    flowing = {n["code"]: n["what"] for n in report["flowing"]}
    # the field the district did not modify flows through, and the new item is taken
    assert "职责内容" in flowing["ZR-01-002"]
    assert "ZR-01-010" in flowing
    attention = {n["code"]: n["what"] for n in report["attention"]}
    assert "不采用" in attention["ZR-01-003"]
    assert not report["applied"]

    text = run_here("rebase", "--from", str(old), cwd=chain).stdout
    assert "上级原值" in text and "党员发展教育管理" in text and "2026年版 → 2027年版" in text

    _, findings = validate(chain)
    assert "derive.edition" in {f["code"] for f in findings}
    applied = run_here("rebase", "--from", str(old), "--apply", "--format", "json", cwd=chain)
    assert json.loads(applied.stdout)["applied"]
    assert 'edition: "2027年版"' in (chain / "qingdan.yaml").read_text("utf-8")
    _, findings = validate(chain)
    assert "derive.edition" not in {f["code"] for f in findings}


def test_rebase_reads_the_previous_edition_from_git(chain: Path) -> None:
    city = chain.parent / "city"
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "2026"],
    ):
        subprocess.run(["git", *args], cwd=city, check=True, capture_output=True)
    shutil.rmtree(_new_city_edition(chain))
    report = json.loads(run_here("rebase", "--format", "json", cwd=chain).stdout)  # --from HEAD
    assert [c["code"] for c in report["conflicts"]] == ["ZR-01-002"]
