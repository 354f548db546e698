"""``qingdan show``: one item through the city, district and township levels, via the real CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, run_qingdan

BASE = Path(__file__).parent / "cases" / "validate" / "_base"
CITY = """kind: duty
unit: 测试市
items:
  - code: ZR-01-001
    name: 基层党组织建设
    category: "01"
    duty: 加强基层党组织建设。
    tasks: [做好发展党员工作]
    basis:
      - title: 《中国共产党农村基层组织工作条例》
    office: 党政综合办公室
  - code: ZR-01-002
    name: 党员教育管理
    category: "01"
    duty: 做好党员教育管理。
    tasks: [组织党员学习]
    basis:
      - title: 《中国共产党党员教育管理工作条例》
    office: 党政综合办公室
"""
DISTRICT = """kind: duty
unit: 测试市测试区
derive:
  from: 测试市
  take: all
  modify:
    - code: ZR-01-002
      set: {duty: 做好党员教育管理和发展党员工作。}
      reason: 结合本区实际。
"""
TOWNSHIP = """kind: duty
unit: 清水镇
derive:
  from: 测试市测试区
  modify:
    - code: ZR-01-001
      set: {office: 社会事务办公室}
      reason: 本镇由社会事务办公室承办。
  add:
    - item:
        code: ZR-01-201
        name: 村级党组织书记培训
        category: "01"
        duty: 组织村级党组织书记培训。
        tasks: [每年集中培训一次]
        basis:
          - title: 《中国共产党农村基层组织工作条例》
        office: 党政综合办公室
      reason: 本镇个性化事项。
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the shipped sample: a city catalog, a district deriving from it, and five
    townships deriving from the district."""
    root = tmp_path / "lists"
    shutil.copytree(REPO / "lists", root, ignore=shutil.ignore_patterns(".*", "resolved"))
    return root


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """A set of its own in three levels: a city catalog (a base set), a district list deriving
    from it without touching ZR-01-001, and a township changing ZR-01-001's 承办机构."""
    root = tmp_path / "set"
    shutil.copytree(BASE, root)
    shutil.copytree(BASE, root / "city")
    config = root / "city" / "qingdan.yaml"
    text = config.read_text("utf-8").replace("region: 测试市测试区", "region: 测试市")
    config.write_text(text.replace("level: 区", "level: 市") + "lists: mulu\n", "utf-8")
    config = root / "qingdan.yaml"
    base = 'base:\n  path: city\n  edition: "2026年版"\n'
    config.write_text(config.read_text("utf-8") + base, "utf-8")
    for folder, text in (
        ("city/mulu", CITY),
        ("townships/qu", DISTRICT),
        ("townships/qs", TOWNSHIP),
    ):
        (root / folder).mkdir(parents=True)
        (root / folder / "duty.yaml").write_text(text, "utf-8")
    assert run_qingdan("validate", "--no-cache", cwd=root).code == 0
    return root


def show_json(root: Path, *args: str) -> list[dict[str, Any]]:
    run = run_qingdan("show", *args, "--format", "json", cwd=root)
    assert run.code == 0, run.stderr
    items = json.loads(run.stdout)["items"]
    assert isinstance(items, list)
    return items


def line_of(root: Path, location: dict[str, Any]) -> str:
    return (root / location["file"]).read_text("utf-8").splitlines()[location["line"] - 1]


def field(item: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = (f for f in item["fields"] if f["field"] == name)
    return found


def test_levels_with_reasons_documents_and_lines(sample: Path) -> None:
    """白鹤镇's ZR-05-004: the city's text, the district's change of 承办机构 (reason and
    document as its overlay writes them), the township's own contact fields; every location is
    the line that holds the value."""
    (item,) = show_json(sample, "ZR-05-004", "--unit", "白鹤镇")
    levels = item["levels"]
    assert [(s["unit"], s["how"]) for s in levels] == [
        ("锦川市", "原文"),
        ("锦川市青岚区", "修改"),
        ("白鹤镇", "修改"),
    ]
    district = levels[1]
    assert district["fields"] == ["office"]
    overlay = (sample / district["file"]).read_text("utf-8")
    assert f"reason: {district['reason']}" in overlay
    assert f"document: {district['document']}" in overlay
    assert line_of(sample, district["location"]).strip() == "- code: ZR-05-004"
    office = field(item, "office")
    assert [(v["unit"], v["how"]) for v in office["values"]] == [
        ("锦川市", "原文"),
        ("锦川市青岚区", "修改"),
    ]
    for value in office["values"]:
        assert value["value"] in line_of(sample, value["location"])
    assert office["values"][-1]["location"]["file"] == "townships/qinglan/duty.yaml"
    phone = field(item, "phone")
    assert phone["values"][-1]["location"]["file"] == "townships/baihe/duty.yaml"
    assert phone["values"][-1]["value"] in line_of(sample, phone["values"][-1]["location"])
    name = field(item, "name")
    assert [v["unit"] for v in name["values"]] == ["锦川市"]
    assert office["overridden"] == [] and phone["overridden"] == []


def test_a_district_change_the_township_overrides_is_marked(sample: Path) -> None:
    """桂湖街道 rewrote 依据 after the district had changed it: the district's change never
    reaches the township, and show says so."""
    (item,) = show_json(sample, "ZR-01-001", "--unit", "桂湖街道")
    basis = field(item, "basis")
    assert [v["unit"] for v in basis["values"]] == ["锦川市", "锦川市青岚区", "桂湖街道"]
    assert basis["overridden"] == ["锦川市青岚区"]
    run = run_qingdan("show", "ZR-01-001", "--unit", "桂湖街道", cwd=sample)
    assert run.code == 0, run.stderr
    assert "锦川市青岚区改过这个字段，桂湖街道的值盖过了它" in run.stdout


def test_an_item_the_township_takes_as_it_is(sample: Path) -> None:
    """An item the township does not touch: its level says 继承, each field's text lives
    higher up."""
    overlay = (sample / "townships" / "baihe" / "territorial.yaml").read_text("utf-8")
    assert "SD-01-001" not in overlay
    (item,) = show_json(sample, "SD-01-001", "--unit", "白鹤镇")
    assert [(s["unit"], s["how"]) for s in item["levels"]] == [
        ("锦川市", "原文"),
        ("锦川市青岚区", "继承"),
        ("白鹤镇", "继承"),
    ]
    files = {v["location"]["file"] for f in item["fields"] for v in f["values"]}
    assert "townships/baihe/territorial.yaml" not in files


def test_every_list_with_the_code_without_unit(sample: Path) -> None:
    """Without --unit: the item as each list of the set has it (the district's and every
    township's; none of them leaves ZR-05-004 out)."""
    folders = [p for p in (sample / "townships").iterdir() if (p / "duty.yaml").exists()]
    assert not any("ZR-05-004\n      reason" in (p / "duty.yaml").read_text() for p in folders)
    items = show_json(sample, "ZR-05-004")
    assert sorted(i["file"] for i in items) == sorted(
        f"townships/{p.name}/duty.yaml" for p in folders
    )
    assert "锦川市青岚区" in [i["unit"] for i in items]


def test_a_changed_base_since_the_modification_is_noted(sample: Path) -> None:
    """A modification that records the base value it was written against: when the base
    differs now, show names the change and where the record is."""
    path = sample / "townships" / "qinglan" / "duty.yaml"
    text = path.read_text("utf-8")
    old = "      set: {office: 退役军人服务站}\n"
    assert old in text
    path.write_text(text.replace(old, old + "      base: {office: 社会事务办}\n"), "utf-8")
    (item,) = show_json(sample, "ZR-05-004", "--unit", "锦川市青岚区")
    (note,) = item["notes"]
    assert note["location"]["file"] == "townships/qinglan/duty.yaml"
    assert line_of(sample, note["location"]).strip() == "base: {office: 社会事务办}"
    run = run_qingdan("show", "ZR-05-004", "--unit", "锦川市青岚区", cwd=sample)
    assert "上级改动：" in run.stdout


def test_unknown_code_names_near_codes(sample: Path) -> None:
    run = run_qingdan("show", "ZR-05-04", cwd=sample)
    assert run.code == 2
    assert run.stderr.startswith("错误：清单中没有编码为“ZR-05-04”的事项。相近的编码：")
    assert "ZR-05-004" in run.stderr
    assert "Traceback" not in run.stderr
    run = run_qingdan("show", "ZR-05-004", "--unit", "黑水镇", cwd=sample)
    assert run.code == 2
    assert "黑水镇的清单中没有编码为“ZR-05-004”的事项" in run.stderr


def test_text_says_where_each_value_is_written(sample: Path) -> None:
    run = run_qingdan("show", "ZR-05-004", "--unit", "白鹤镇", cwd=sample)
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert (
        lines[0]
        == "ZR-05-004 退役军人服务和双拥工作　白鹤镇职责任务清单（townships/baihe/duty.yaml）"
    )
    office = next(i for i, line in enumerate(lines) if line.startswith("  承办机构："))
    assert lines[office + 1].startswith("      写在 townships/qinglan/duty.yaml:")
    assert lines[office + 1].endswith("（锦川市青岚区修改）")


def test_a_newer_base_edition_that_changes_an_overridden_field(sample: Path) -> None:
    """The city publishes a new edition that changes 承办机构 of ZR-05-004, which the district
    overrides: show marks the conflict at the district's line, as qingdan rebase finds it."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=sample, check=True)
    subprocess.run([*git, "add", "-A"], cwd=sample, check=True)
    subprocess.run([*git, "commit", "-qm", "2026"], cwd=sample, check=True)
    catalog = sample / "catalog"
    config = (catalog / "qingdan.yaml").read_text("utf-8")
    (catalog / "qingdan.yaml").write_text(config.replace("2026年版", "2027年版"), "utf-8")
    duty = (catalog / "mulu" / "duty.yaml").read_text("utf-8")
    head, tail = duty.split("  - code: ZR-05-004\n", 1)
    tail = tail.replace("office: 社会事务办公室", "office: 退役军人服务中心", 1)
    (catalog / "mulu" / "duty.yaml").write_text(head + "  - code: ZR-05-004\n" + tail, "utf-8")
    (item,) = show_json(sample, "ZR-05-004", "--unit", "锦川市青岚区")
    (note,) = item["notes"]
    assert "上级新版（2027年版）改了承办机构" in note["message"]
    assert "退役军人服务中心" in note["message"]
    assert "office: 退役军人服务站" in line_of(sample, note["location"])


def test_a_middle_level_that_takes_the_item_unchanged_is_named(three: Path) -> None:
    """City → district (takes ZR-01-001 as it is) → township (changes it): all three levels,
    the district's as 继承 at the line where it names its base."""
    (item,) = show_json(three, "ZR-01-001", "--unit", "清水镇")
    levels = [(s["unit"], s["how"], s["file"]) for s in item["levels"]]
    assert levels == [
        ("测试市", "原文", "city/mulu/duty.yaml"),
        ("测试市测试区", "继承", "townships/qu/duty.yaml"),
        ("清水镇", "修改", "townships/qs/duty.yaml"),
    ]
    assert line_of(three, item["levels"][1]["location"]).strip() == "from: 测试市"
    office = field(item, "office")
    assert [(v["unit"], v["how"]) for v in office["values"]] == [
        ("测试市", "原文"),
        ("清水镇", "修改"),
    ]
    (item,) = show_json(three, "ZR-01-002", "--unit", "清水镇")
    assert [(s["unit"], s["how"]) for s in item["levels"]] == [
        ("测试市", "原文"),
        ("测试市测试区", "修改"),
        ("清水镇", "继承"),
    ]


def test_text_and_markdown_name_the_unchanged_level(three: Path) -> None:
    run = run_qingdan("show", "ZR-01-001", "--unit", "清水镇", cwd=three)
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    start = lines.index("各级：")
    assert lines[start + 1 : start + 4] == [
        "  测试市：原文　city/mulu/duty.yaml:4",
        "  测试市测试区：继承，未改　townships/qu/duty.yaml:4",
        "  清水镇：修改 承办机构　townships/qs/duty.yaml:6",
    ]
    run = run_qingdan("show", "ZR-01-001", "--unit", "清水镇", "-f", "markdown", cwd=three)
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "## ZR-01-001 基层党组织建设"
    rows = [line for line in lines if line.startswith("| 测试市")]
    assert rows[:2] == [
        "| 测试市 | 原文 | `city/mulu/duty.yaml:4` |  |  |",
        "| 测试市测试区 | 继承，未改 | `townships/qu/duty.yaml:4` |  |  |",
    ]
    assert (
        "| 清水镇 | 修改 承办机构 | `townships/qs/duty.yaml:6` | 本镇由社会事务办公室承办。 |  |"
        in lines
    )
    office = next(line for line in lines if line.startswith("| 承办机构 |"))
    assert office.startswith(
        "| 承办机构 | 社会事务办公室 | `townships/qs/duty.yaml:7`（清水镇修改） |"
    )
    assert "测试市原文：党政综合办公室（`city/mulu/duty.yaml:11`）" in office


def test_an_item_the_township_adds_has_no_levels_above(three: Path) -> None:
    (item,) = show_json(three, "ZR-01-201", "--unit", "清水镇")
    assert [(s["unit"], s["how"]) for s in item["levels"]] == [("清水镇", "新增")]
