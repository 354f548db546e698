"""The acceptance test of the wider format: items as real offices published them
(tests/fixtures/real/, converted from /work/shared/examples/real/) validate without an invented
value, and export as readable cells."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from conftest import run_here

REAL = Path(__file__).parent / "fixtures" / "real"
CASES = Path(__file__).parent / "cases" / "validate"


@pytest.fixture
def real(tmp_path: Path) -> Path:
    root = tmp_path / "real"
    shutil.copytree(REAL, root)
    return root


def test_published_rows_validate_with_what_the_source_left_out_marked(real: Path) -> None:
    run = run_here("validate", "--format", "json", "--no-cache", cwd=real)
    report = json.loads(run.stdout)
    assert run.code == 0, run.stdout
    assert report["summary"]["items"] == 7
    assert report["summary"]["errors"] == 0
    codes = {f["code"] for f in report["findings"]}
    # only the gaps of the sources, and the excerpt's 3 of 4 township-main items (81 in full)
    assert codes == {"value.missing", "rule.township-main-share"}
    strict = run_here("validate", "--strict", "--no-cache", cwd=real)
    assert strict.code == 1


def test_stats_counts_the_gaps_of_each_source(real: Path) -> None:
    missing = json.loads(run_here("stats", "--format", "json", cwd=real).stdout)["missing"]
    per_unit: dict[str, int] = {}
    for gap in missing["fields"]:
        per_unit[gap["unit"]] = per_unit.get(gap["unit"], 0) + gap["count"]
    assert per_unit == {"张庄路街道": 3, "大佛镇": 13, "镇街": 12}
    assert missing["total"] == 28


def _rows(workbook: Path) -> dict[str, dict[str, object]]:
    """Item rows of every sheet by item code, as {column title: cell}."""
    out: dict[str, dict[str, object]] = {}
    for sheet in openpyxl.load_workbook(workbook):
        head = [c.value for c in sheet[2]]
        for row in sheet.iter_rows(min_row=3, values_only=True):
            if isinstance(row[0], int):
                cells = dict(zip(head, row, strict=False))
                out[str(cells["事项编码"])] = cells
    return out


def test_new_shapes_export_as_readable_cells(real: Path) -> None:
    run = run_here("export", "xlsx", "-o", "real.xlsx", cwd=real)
    assert run.code == 0, run.stderr
    rows = _rows(real / "real.xlsx")
    guide = rows["FW-01-001"]
    assert guide["申请材料"] == (
        "1.身份证原件、复印件（核对原件、与原件相符）\n"
        "2.户口本原件、复印件（核对原件、与原件相符）\n"
        "3.企业退休证明（原件）（电子）（必需）（备注：核对原件、与原件相符）"
    )
    # the text, then its working days as import reads them back; not "期限：…；工作日数：1"
    assert guide["承诺时限"] == "1个工作日内（按1个工作日计）"
    assert guide["办理形式"] == "只跑一次"
    assert guide["本地栏目"] == "实施内容：企业退休人员档案关系接收；面向对象：个人"
    assert guide["事项类型"] in (None, "")  # 原文未载
    assert guide["办理流程"] in (None, "")
    # a party whose duty the source does not give reads as the party alone
    assert rows["SD-01-001"]["主体责任"] == "镇街"
    assert rows["SD-03-001"]["主体责任"] == "区直有关部门"


def test_several_parties_read_as_their_short_names(tmp_path: Path) -> None:
    root = tmp_path / "set"
    shutil.copytree(CASES / "_base", root)
    shutil.copytree(CASES / "wide-format" / "files", root, dirs_exist_ok=True)
    run = run_here("export", "xlsx", "townships/qs/service.yaml", "-o", "a.xlsx", cwd=root)
    assert run.code == 0, run.stderr
    item = _rows(root / "a.xlsx")["FW-01-001"]
    assert item["承办机构"] == "社事办\n党政办"  # one party per line, as every list of texts
    assert item["县级审批部门"] == "区民政局\n区应急局"
    assert item["实施主体"] == "镇人民政府\n街道办事处"
    assert item["法定期限"] == "自收齐材料之日起10个工作日内办理"
    assert item["申请材料"] == (
        "1.户口簿\n2.居民身份证（原件和复印件）（纸质）1份（必需）\n"
        "3.医疗费用票据（复印件）（限因病致困的）"
    )


def test_the_books_explanation_counts_what_is_still_to_be_filled_in(real: Path) -> None:
    run = run_here("export", "book", "-o", "real.pdf", cwd=real)
    assert run.code == 0, run.stderr
    text = "".join(page.extract_text() for page in PdfReader(real / "real.pdf").pages[:4])
    assert "尚有 28 项内容待补充" in "".join(text.split("\n"))
