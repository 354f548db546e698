"""``qingdan who``: what one department answers for, through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import REPO, run_qingdan

BASE = REPO / "tests" / "cases" / "validate" / "_base"

TERRITORIAL = """kind: territorial
unit: 清水镇
items:
  - code: SD-02-001
    name: 秸秆露天焚烧监管
    category: "02"
    lead: 区生态环境局
    main:
      - department: 区生态环境局
        duty: 负责秸秆露天焚烧的监督管理。
      - department: 区农业农村局
        duty: 负责秸秆综合利用的指导。
    township_duty: 开展日常巡查，发现焚烧行为及时劝阻并报告。
    cooperating:
      - department: 区应急局
        duty: 配合做好火情处置。
    basis:
      - title: 《中华人民共和国大气污染防治法》
  - code: SD-01-001
    name: 森林防灭火
    category: "01"
    lead: D01
    main:
      - department: D01
        duty: 负责森林火灾的应急处置。
    township_duty: 组织开展森林防火宣传和巡查，发现火情及时报告。
    basis:
      - title: 《森林防火条例》
  - code: SD-02-002
    name: 农药包装废弃物回收
    category: "02"
    lead: 区农业农村局
    main:
      - department: 区农业农村局
        duty: 负责农药包装废弃物回收的监督管理。
    township_duty: 宣传引导农户交回农药包装废弃物。
    basis:
      - title: 《农药包装废弃物回收处理管理办法》
"""

DUTY = """kind: duty
unit: 白鹤镇
items:
  - code: ZR-01-001
    name: 安全生产宣传
    category: "01"
    duty: 开展安全生产宣传教育。
    tasks: [组织安全生产月活动]
    basis:
      - title: 《中华人民共和国安全生产法》
    office: 党政办
    departments: [区应急局]
"""


@pytest.fixture
def listset(tmp_path: Path) -> Path:
    """清水镇: a territorial list where 区应急局 leads one item and cooperates in another;
    白鹤镇: a duty list that names 区应急局 as its county counterpart."""
    root = tmp_path / "set"
    shutil.copytree(BASE, root)
    for folder, name, text in (("qs", "territorial", TERRITORIAL), ("bh", "duty", DUTY)):
        (root / "townships" / folder).mkdir(parents=True, exist_ok=True)
        (root / "townships" / folder / f"{name}.yaml").write_text(text, "utf-8")
    return root


def who_json(root: Path, *args: str) -> dict[str, object]:
    run = run_qingdan("who", *args, "--format", "json", cwd=root)
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert isinstance(data, dict)
    return data


def codes(data: dict[str, object], duty: str) -> list[tuple[str, str]]:
    """(unit, item code) of one duty group, in the order shown."""
    groups = data["groups"]
    assert isinstance(groups, list)
    (group,) = (g for g in groups if g["duty"] == duty)
    return [
        (unit["unit"], item["code"])
        for unit in group["units"]
        for listed in unit["lists"]
        for item in listed["items"]
    ]


def test_duties_are_grouped_by_role_unit_and_list(listset: Path) -> None:
    """牵头 where the kind's lead field names it, 配合 where it cooperates or is a duty's
    counterpart; the county department's own duty comes with each item; counts add up."""
    data = who_json(listset, "区应急局")
    assert codes(data, "牵头") == [("清水镇", "SD-01-001")]
    assert codes(data, "主体") == []
    assert codes(data, "配合") == [("白鹤镇", "ZR-01-001"), ("清水镇", "SD-02-001")]
    assert data["counts"] == {"牵头": 1, "主体": 0, "配合": 2}
    assert data["count"] == 3
    items = [
        i for g in data["groups"] for u in g["units"] for ls in u["lists"] for i in ls["items"]
    ]  # type: ignore[index,union-attr]
    details = {i["code"]: i["detail"] for i in items}
    assert details == {
        "SD-01-001": "负责森林火灾的应急处置。",
        "ZR-01-001": "",
        "SD-02-001": "配合做好火情处置。",
    }


def test_main_duty_without_lead(listset: Path) -> None:
    """A department named in the main field of an item another department leads is 主体 there."""
    data = who_json(listset, "区农业农村局")
    assert codes(data, "牵头") == [("清水镇", "SD-02-002")]
    assert codes(data, "主体") == [("清水镇", "SD-02-001")]


@pytest.mark.parametrize("name", ["区应急局", "测试区应急管理局", "D01"])
def test_any_registered_name_finds_the_department(listset: Path, name: str) -> None:
    data = who_json(listset, name)
    assert data["department"] == {"code": "D01", "name": "测试区应急管理局", "short": "区应急局"}
    assert data["count"] == 3


def test_unit_narrows_to_one_township(listset: Path) -> None:
    data = who_json(listset, "区应急局", "--unit", "白鹤镇")
    assert codes(data, "配合") == [("白鹤镇", "ZR-01-001")]
    assert data["count"] == 1


def test_path_narrows_to_a_folder(listset: Path) -> None:
    data = who_json(listset, "区应急局", "townships/qs")
    assert data["count"] == 2


def test_unknown_department_suggests_registered_ones(listset: Path) -> None:
    run = run_qingdan("who", "应急局", cwd=listset)
    assert run.code == 2
    assert run.stderr.startswith("错误：部门名录中没有部门“应急局”。您是不是要找：")
    assert "测试区应急管理局" in run.stderr
    assert "Traceback" not in run.stderr
    run = run_qingdan("who", "区应急局", "--unit", "黑水镇", cwd=listset)
    assert run.code == 2
    assert "没有镇（街道）“黑水镇”" in run.stderr


def test_text_names_groups_items_and_duties(listset: Path) -> None:
    run = run_qingdan("who", "区应急局", cwd=listset)
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == (
        "测试区应急管理局（区应急局）承担的事项：共 3 项：牵头 1 项、主体 0 项、配合 2 项，"
        "涉及 2 个单位。"
    )
    assert "牵头（1 项）" in lines
    assert "主体（0 项）" not in lines  # an empty group is counted in the headline only
    lead = lines.index("牵头（1 项）")
    assert lines[lead + 1].strip() == "清水镇（1 项）"
    assert "SD-01-001　森林防灭火　〔应急管理〕" in lines[lead + 3]
    assert lines[lead + 4].strip() == "职责：负责森林火灾的应急处置。"


def test_markdown(listset: Path) -> None:
    run = run_qingdan("who", "区应急局", "--format", "markdown", cwd=listset)
    assert run.code == 0, run.stderr
    assert "### 配合（2 项）" in run.stdout
    assert (
        "| 属地管理事项清单 | SD-02-001 | 秸秆露天焚烧监管 | 农业农村 | 配合做好火情处置。 |"
        in (run.stdout)
    )


def test_xlsx_has_a_sheet_per_duty_and_kind(listset: Path) -> None:
    run = run_qingdan("who", "区应急局", "--format", "xlsx", "-o", "应急局.xlsx", cwd=listset)
    assert run.code == 0, run.stderr
    assert run.stdout.strip() == "已写出 应急局.xlsx：3 个事项。"
    book = openpyxl.load_workbook(listset / "应急局.xlsx")
    assert book.sheetnames == [
        "牵头·属地管理事项清单",
        "配合·职责任务清单",
        "配合·属地管理事项清单",
    ]
    sheet = book["配合·属地管理事项清单"]
    assert sheet["A1"].value == "区应急局配合的事项（属地管理事项清单）"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[1:3] for r in rows if isinstance(r[0], int)] == [["清水镇", "SD-02-001"]]


def test_xlsx_needs_an_xlsx_file(listset: Path) -> None:
    run = run_qingdan("who", "区应急局", "--format", "xlsx", cwd=listset)
    assert run.code == 2
    assert "-o" in run.stderr
    assert not list(listset.glob("*.xlsx"))


def test_derived_lists_are_read_resolved() -> None:
    """白鹤镇's overlay names 白鹤自然资源所 in items it modifies: who finds them there."""
    run = run_qingdan(
        "who",
        "白鹤自然资源所",
        "--unit",
        "白鹤镇",
        "--format",
        "json",
        "--no-cache",
        cwd=REPO / "lists",
    )
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert ("白鹤镇", "SD-02-001") in codes(data, "配合")
    assert all(unit == "白鹤镇" for unit, _ in codes(data, "配合"))


def test_a_list_that_cannot_be_read_is_said_and_exit_1(listset: Path) -> None:
    """A file that does not parse: the rest is still listed, the user told, exit 1."""
    broken = listset / "townships" / "bh" / "duty.yaml"
    broken.write_text(DUTY.replace("  - code: ZR-01-001", "  - code: [ZR-01-001"), "utf-8")
    run = run_qingdan("who", "区应急局", cwd=listset)
    assert run.code == 1
    assert "townships/bh/duty.yaml 有错误" in run.stderr
    assert "SD-01-001" in run.stdout


def test_cached_answers_follow_edits_up_the_chain(tmp_path: Path) -> None:
    """The second run answers from the cache; after the city catalog changes an item's lead,
    every township's answer changes with it, as a run without the cache says."""
    sample = tmp_path / "lists"
    shutil.copytree(REPO / "lists", sample, ignore=shutil.ignore_patterns(".*", "resolved"))
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    args = ("who", "区住建局", "--unit", "白鹤镇", "--format", "json")

    def answer(*more: str) -> dict[str, object]:
        run = run_qingdan(*args, *more, cwd=sample, env=env)
        assert run.code == 0, run.stderr
        data = json.loads(run.stdout)
        assert isinstance(data, dict)
        return data

    first = answer()
    assert ("白鹤镇", "SD-01-007") in codes(first, "牵头")
    assert list((tmp_path / "cache").iterdir())
    assert answer() == first
    catalog = sample / "catalog" / "mulu" / "territorial.yaml"
    text = catalog.read_text("utf-8")
    head, tail = text.split("  - code: SD-01-007\n", 1)
    tail = tail.replace("lead: 区住建局", "lead: 区应急局", 1)
    catalog.write_text(head + "  - code: SD-01-007\n" + tail, "utf-8")
    after = answer()
    assert ("白鹤镇", "SD-01-007") not in codes(after, "牵头")
    assert after == answer("--no-cache")
