"""Marked-missing values (``{待补充: …}``) and the set's own required fields, as users meet them:
validate warns, stats counts, exports leave the cell blank, the config changes what is required."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import run_here
from qingdan.present.values import render

CASES = Path(__file__).parent / "cases" / "validate"


@pytest.fixture
def gaps(tmp_path: Path) -> Path:
    """The test set with a service and a territorial list holding five marked-missing values."""
    root = tmp_path / "set"
    shutil.copytree(CASES / "_base", root)
    shutil.copytree(CASES / "value-missing" / "files", root, dirs_exist_ok=True)
    return root


def test_stats_counts_what_is_still_to_be_filled_in_per_kind_and_field(gaps: Path) -> None:
    run = run_here("stats", "--format", "json", cwd=gaps)
    missing = json.loads(run.stdout)["missing"]
    assert missing["total"] == 5
    fields = {(f["kind"], f["field"]): f["count"] for f in missing["fields"]}
    assert fields[("service", "咨询电话")] == 1
    assert fields[("service", "申请材料·份数")] == 1
    assert fields[("territorial", "主体责任")] == 1
    text = run_here("stats", cwd=gaps).stdout
    assert "待补充 5 项" in text
    assert "清水镇 · 公共服务事项清单：待补充 4 项" in text


def test_exported_cells_of_missing_values_are_blank(gaps: Path) -> None:
    run = run_here("export", "xlsx", "townships/qs/service.yaml", "-o", "a.xlsx", cwd=gaps)
    assert run.code == 0, run.stderr
    sheet = openpyxl.load_workbook(gaps / "a.xlsx").active
    head = [c.value for c in sheet[2]]
    row = [c.value for c in sheet[4]]  # row 3 is the 领域 heading
    assert row[head.index("咨询电话")] in (None, "")
    assert row[head.index("承诺时限")] in (None, "")
    assert row[head.index("申请材料")] == "申请书（原件）（必需）"  # 份数 待补充: left out
    assert row[head.index("实施依据")] == "《社会救助暂行办法》"  # 文号 原文未载
    assert "待补充" not in json.dumps(row, ensure_ascii=False, default=str)


def test_render_gives_a_marker_no_text() -> None:
    assert render({"待补充": "向社事办核实"}, lambda path: path[-1]) == ""
    assert render({"原文未载": None}, lambda path: path[-1]) == ""
    # a map with other keys is a value like any other
    assert render({"待补充": "x", "y": "z"}, lambda path: path[-1]) == "待补充：x；y：z"


def test_a_marker_is_no_fit_for_the_items_code(gaps: Path) -> None:
    path = gaps / "townships" / "qs" / "service.yaml"
    path.write_text(
        path.read_text("utf-8").replace("code: FW-01-001", "code: {待补充: 编码}"), "utf-8"
    )
    run = run_here("validate", "--format", "json", "--no-cache", cwd=gaps)
    codes = {f["code"] for f in json.loads(run.stdout)["findings"]}
    assert run.code == 1
    assert "schema.type" in codes


def test_changing_required_fields_in_the_config_is_seen_through_the_cache(gaps: Path) -> None:
    """The cache is keyed on the config: making a field required takes effect at once."""
    env = {"QINGDAN_CACHE_DIR": str(gaps / ".cache")}
    first = run_here("validate", "--format", "json", cwd=gaps, env=env)
    assert first.code == 0, first.stdout
    config = gaps / "qingdan.yaml"
    config.write_text(config.read_text("utf-8") + "required:\n  service: {add: [hours]}\n", "utf-8")
    second = run_here("validate", "--format", "json", cwd=gaps, env=env)
    found = json.loads(second.stdout)["findings"]
    assert second.code == 1
    assert [f["field"] for f in found if f["code"] == "schema.required"] == ["办理时间"]
