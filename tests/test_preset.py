"""An office writes its own preset (docs/preset.md): one kind, fields named as it likes, and
validate, stats and export xlsx work on it without any code change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import run_here

KIND: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "村级组织工作事项清单",
    "type": "object",
    "required": ["kind", "unit", "items"],
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "cunji"},
        "unit": {"title": "乡镇（街道）", "type": "string", "x-ref": "department"},
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
    },
    "$defs": {
        "item": {
            "type": "object",
            "required": ["bm", "mc", "lb", "nr", "zd"],
            "additionalProperties": False,
            "properties": {
                "bm": {"title": "事项编码", "type": "string"},
                "mc": {"title": "事项名称", "type": "string", "minLength": 2},
                "lb": {"title": "类别", "type": "string", "x-ref": "category"},
                "nr": {"title": "工作内容", "type": "string", "minLength": 1, "maxLength": 500},
                "zd": {"title": "指导部门", "type": "string", "x-ref": "department"},
            },
        }
    },
    "x-qingdan": {
        "roles": {"code": "bm", "name": "mc", "category": "lb"},
        "code_pattern": "^CJ-[0-9]{2}-[0-9]{3}$",
        "code_example": "CJ-01-001",
        "columns": [
            {"field": "bm", "width": 11},
            {"field": "lb", "width": 10},
            {"field": "mc", "width": 20},
            {"field": "nr", "width": 50},
            {"field": "zd", "width": 14},
        ],
    },
}

CONFIG = """name: 临江县村级组织工作事项清单
region: 临江县
level: 县
edition: "2025年版"
preset: preset
kinds: [cunji]
"""
DEPARTMENTS = """departments:
  - {code: D01, name: 中共临江县委组织部, short: 县委组织部, type: 县级部门}
  - {code: D02, name: 临江县民政局, short: 县民政局, type: 县级部门}
  - {code: T01, name: 临江县白沙镇人民政府, short: 白沙镇, type: 镇街}
"""
CATEGORIES = """kind: cunji
categories:
  - {code: "01", name: 党的建设}
  - {code: "02", name: 村民自治}
"""
LIST = """kind: cunji
unit: 临江县
items:
  - bm: CJ-01-001
    mc: 村党组织“三会一课”
    lb: "01"
    nr: 组织党员按期参加“三会一课”，做好会议记录。
    zd: 县委组织部
  - bm: CJ-02-001
    mc: 村民代表会议
    lb: 村民自治
    nr: 按规定召开村民代表会议，讨论决定涉及村民利益的事项。
    zd: 县民政局
  - bm: CJ-02-002
    mc: 村务公开
    lb: "02"
    nr: 按季度公开村务和财务。
    zd: 县民政局
"""
TOWNSHIP = """kind: cunji
unit: 白沙镇
derive:
  from: 临江县
  take: all
  modify:
    - code: CJ-02-001
      set: {nr: 每季度召开一次村民代表会议，讨论决定涉及村民利益的事项。}
      reason: 写明本镇召开村民代表会议的频次。
  omit:
    - code: CJ-02-002
      reason: 本镇村务公开纳入“村民代表会议”事项一并办理。
"""


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """A list set with a preset of its own, written the way docs/preset.md says."""
    root = tmp_path / "村级清单"
    (root / "preset").mkdir(parents=True)
    (root / "preset" / "cunji.schema.json").write_text(
        json.dumps(KIND, ensure_ascii=False, indent=2), "utf-8"
    )
    (root / "qingdan.yaml").write_text(CONFIG, "utf-8")
    (root / "departments.yaml").write_text(DEPARTMENTS, "utf-8")
    (root / "categories").mkdir()
    (root / "categories" / "cunji.yaml").write_text(CATEGORIES, "utf-8")
    (root / "townships" / "linjiang").mkdir(parents=True)
    (root / "townships" / "linjiang" / "cunji.yaml").write_text(LIST, "utf-8")
    (root / "townships" / "baisha").mkdir()
    (root / "townships" / "baisha" / "cunji.yaml").write_text(TOWNSHIP, "utf-8")
    return root


def test_an_own_preset_validates_clean(own: Path) -> None:
    run = run_here("validate", "--strict", "--no-cache", cwd=own)
    assert run.code == 0, run.stdout + run.stderr
    assert "没有发现问题" in run.stdout


def test_an_own_presets_roles_and_titles_drive_the_findings(own: Path) -> None:
    """The code field is ``bm``: its pattern is checked, the message names the item by it and
    the field by its Chinese title; a department outside the registry is found in ``zd``."""
    path = own / "townships" / "linjiang" / "cunji.yaml"
    text = LIST.replace("bm: CJ-02-002", "bm: CJ-2-2").replace("zd: 县委组织部", "zd: 县组织部")
    path.write_text(text, "utf-8")
    run = run_here("validate", "--no-cache", cwd=own)
    assert run.code == 1
    assert "rule.code-pattern" in run.stdout and "CJ-2-2" in run.stdout
    assert "CJ-01-001" in run.stdout and "指导部门" in run.stdout
    assert "rule.unknown-department" in run.stdout
    assert "县委组织部" in run.stdout  # the suggestion: the registered short name


def test_stats_count_an_own_presets_categories(own: Path) -> None:
    run = run_here("stats", "--format", "json", cwd=own)
    assert run.code == 0, run.stderr
    rows = json.loads(run.stdout)["rows"]
    counts = {
        r["category"]: (r["inherited"], r["modified"], r["omitted"])
        for r in rows
        if (r["unit"], r["kind"]) == ("白沙镇", "cunji")
    }
    assert counts == {"党的建设": (1, 0, 0), "村民自治": (0, 1, 1)}


def test_export_xlsx_uses_an_own_presets_titles_and_order(own: Path) -> None:
    """The sheet is titled by the kind's title, the head by the fields' titles in the kind's
    column order; 白沙镇's rows are its resolved list (the change made, the omitted item gone)."""
    out = own / "村级清单.xlsx"
    run = run_here("export", "xlsx", "-o", str(out), cwd=own)
    assert run.code == 0, run.stdout + run.stderr
    sheet = load_workbook(out, read_only=True).worksheets[0]
    assert sheet.title == "村级组织工作事项清单"
    rows = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    head = next(r for r in rows if "事项名称" in r)
    assert head == ("序号", "镇（街道）", "事项编码", "类别", "事项名称", "工作内容", "指导部门")
    baisha = [r[2:] for r in rows if r[1] == "白沙镇"]
    assert [r[0] for r in baisha] == ["CJ-01-001", "CJ-02-001"]
    assert baisha[1][3].startswith("每季度召开") and baisha[1][4] == "县民政局"


def test_a_mistake_in_an_own_preset_is_a_finding_not_a_traceback(own: Path) -> None:
    broken = json.loads(json.dumps(KIND))
    broken["x-qingdan"]["columns"][0]["width"] = "宽"
    (own / "preset" / "cunji.schema.json").write_text(json.dumps(broken), "utf-8")
    run = run_here("validate", "--no-cache", cwd=own)
    assert run.code in (1, 2)
    assert "Traceback" not in run.stderr
    assert "x-qingdan/columns/0/width" in run.stdout + run.stderr


def test_the_docs_example_is_the_preset_this_test_builds() -> None:
    """docs/preset.md shows exactly the kind tested here, so the example an office copies works."""
    doc = (Path(__file__).parents[1] / "docs" / "preset.md").read_text("utf-8")
    assert json.loads(doc.split("```json\n", 1)[1].split("```", 1)[0]) == KIND
