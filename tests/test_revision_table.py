"""The 修订对照表 workbook, written from a real diff and read back as a user would see it."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import SAMPLE
from qingdan import atomic
from qingdan.diff import Diff, FieldChange, ItemChange, compare
from qingdan.errors import QingdanError
from qingdan.present.vocabulary import Vocabulary
from qingdan.revision_table import Approval, write_revision_table
from qingdan.versions import from_folder
from qingdan.workspace import Workspace

QINGSHUI = "townships/qingshui/territorial.yaml"
BAIHE_DUTY = "townships/baihe/duty.yaml"
TITLE = "锦川市青岚区镇（街道）三张清单 修订对照表"
HEADERS = [
    "序号",
    "镇（街道）",
    "清单",
    "事项编码",
    "事项名称",
    "调整类型",
    "调整字段",
    "原内容",
    "修改后内容",
    "调整理由",
    "批准文号",
]
DUTY_BEFORE = "按照网格化要求开展辖区生产经营单位安全生产日常巡查"
DUTY_AFTER = "按照网格化要求每月开展辖区生产经营单位安全生产日常巡查"
RECALL = Approval("机构职能调整", "青岚区委编委 青岚编委〔2026〕3号", "收回")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def item_block(text: str, code: str) -> tuple[int, int]:
    start = text.index(f"  - code: {code}\n")
    end = text.find("\n  - code: ", start + 1)
    return start, end + 1 if end != -1 else len(text)


_SET = Workspace().open(SAMPLE)
WORDS = Vocabulary(_SET.kinds, categories=_SET.categories)


@pytest.fixture(scope="module")
def words() -> Vocabulary:
    return WORDS


@pytest.fixture(scope="module")
def diff(tmp_path_factory: pytest.TempPathFactory, words: Vocabulary) -> Diff:
    """Two versions of the sample list set: one edit of each kind a revision table shows."""
    root = tmp_path_factory.mktemp("versions")
    old, new = root / "2025年版", root / "2026年版"
    shutil.copytree(SAMPLE, old)
    shutil.copytree(SAMPLE, new)
    qingshui = new / QINGSHUI
    edit(qingshui, DUTY_BEFORE, DUTY_AFTER)
    edit(qingshui, "name: 危险化学品安全监管", "name: 危险化学品安全风险监管")
    edit(qingshui, "code: SD-01-004\n", "code: SD-01-104\n")
    text = qingshui.read_text(encoding="utf-8")
    start, end = item_block(text, "SD-01-003")
    text = text[:start] + text[end:]
    start, end = item_block(text, "SD-01-001")
    added = text[start:end].replace("SD-01-001", "SD-01-150")
    added = added.replace("name: 工矿商贸企业安全生产监管", "name: 小微企业安全生产帮扶")
    qingshui.write_text(text[:end] + added + text[end:], encoding="utf-8")
    text = (new / BAIHE_DUTY).read_text(encoding="utf-8")
    start, _ = item_block(text, "ZR-01-001")
    name_line = text.index("    name: ", start)
    edit(new / BAIHE_DUTY, text[name_line : text.index("\n", name_line)], "    name: =SUM(A1)党建")
    return compare(from_folder(old, "2025年版"), from_folder(new, "2026年版"), words, Workspace())


def recall_removals(change: ItemChange) -> Approval | None:
    return RECALL if change.new is None else None


def write(
    path: Path,
    diff: Diff,
    words: Vocabulary,
    note: Callable[[ItemChange], Approval | None] = recall_removals,
) -> Any:
    """Write the table and read its sheet back as a user's Excel would open it."""
    write_revision_table(diff, path, title=TITLE, note=note, words=words)
    return openpyxl.load_workbook(path).active


def rows(sheet: Any) -> dict[str, dict[str, Any]]:
    """Data rows by 事项编码, each as header → value."""
    found = {}
    for row in sheet.iter_rows(min_row=4, values_only=True):
        values = dict(zip(HEADERS, row, strict=True))
        found[values["事项编码"]] = values
    return found


def test_table_has_a_title_the_versions_and_the_header(
    tmp_path: Path, diff: Diff, words: Vocabulary
) -> None:
    """Above the table: its title, the versions compared with the counts, the column heads."""
    sheet = write(tmp_path / "修订对照表.xlsx", diff, words)
    assert sheet.title == "修订对照表"
    assert sheet["A1"].value == TITLE
    assert sheet["A2"].value == "比对版本：2025年版 → 2026年版　新增1项、收回1项、更名3项、调整1项"
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:K1", "A2:K2"}
    assert [c.value for c in sheet[3]] == HEADERS


def test_incomplete_comparison_is_flagged(tmp_path: Path, diff: Diff, words: Vocabulary) -> None:
    """When some files could not be compared, the printed table says it may be incomplete."""
    broken = dataclasses.replace(diff, problems=["townships/baihe/duty.yaml 无法解析"])
    sheet = write(tmp_path / "out.xlsx", broken, words)
    assert sheet["A2"].value.endswith("注意：有1处内容未能比对，本表可能不完整")


def test_one_numbered_row_per_change(tmp_path: Path, diff: Diff, words: Vocabulary) -> None:
    """Each change is one row, numbered from 1, with its township, list, code and type."""
    sheet = write(tmp_path / "out.xlsx", diff, words)
    assert sheet.max_row == 3 + len(diff.changes) == 9
    assert [sheet.cell(r, 1).value for r in range(4, 10)] == ["1", "2", "3", "4", "5", "6"]
    table = {code: (r["镇（街道）"], r["清单"], r["调整类型"]) for code, r in rows(sheet).items()}
    assert table == {
        "SD-01-001": ("清水镇", "属地管理事项清单", "调整"),
        "SD-01-002": ("清水镇", "属地管理事项清单", "更名"),
        "SD-01-003": ("清水镇", "属地管理事项清单", "收回"),
        "SD-01-004 → SD-01-104": ("清水镇", "属地管理事项清单", "更名"),
        "SD-01-150": ("清水镇", "属地管理事项清单", "新增"),
        "ZR-01-001": ("白鹤镇", "职责任务清单", "更名"),
    }


def test_edited_field_shows_old_and_new_text(tmp_path: Path, diff: Diff, words: Vocabulary) -> None:
    """An edited field is named, with its whole text before and after."""
    table = rows(write(tmp_path / "out.xlsx", diff, words))
    row = table["SD-01-001"]
    assert row["调整字段"] == "镇（街道）配合职责"
    assert row["原内容"].startswith(f"【镇（街道）配合职责】{DUTY_BEFORE}，")
    assert row["修改后内容"].startswith(f"【镇（街道）配合职责】{DUTY_AFTER}，")
    renamed = table["SD-01-002"]
    assert (renamed["事项名称"], renamed["调整字段"]) == ("危险化学品安全风险监管", "事项名称")
    assert renamed["原内容"] == "【事项名称】危险化学品安全监管"
    assert renamed["修改后内容"] == "【事项名称】危险化学品安全风险监管"


def test_inserted_characters_are_marked(tmp_path: Path, diff: Diff, words: Vocabulary) -> None:
    """In a long text, the characters added are bold and underlined, the rest plain."""
    write(tmp_path / "out.xlsx", diff, words)
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx", rich_text=True).active
    cell = next(sheet.cell(r, 9) for r in range(4, 10) if sheet.cell(r, 4).value == "SD-01-001")
    marked = [block.text for block in cell.value if block.font.b]
    assert marked == ["每月"]
    assert all(block.font.rFont == "仿宋_GB2312" for block in cell.value)


def test_added_and_removed_items_are_listed_whole(
    tmp_path: Path, diff: Diff, words: Vocabulary
) -> None:
    """An addition fills 修改后内容 with the item's fields; a removal fills 原内容."""
    table = rows(write(tmp_path / "out.xlsx", diff, words))
    added = table["SD-01-150"]
    assert added["原内容"] is None
    lines = added["修改后内容"].split("\n")
    assert lines[:3] == [
        "【事项名称】小微企业安全生产帮扶",
        "【领域】0101 安全生产",
        "【牵头部门】区应急局",
    ]
    assert f"【镇（街道）配合职责】{DUTY_AFTER}" in added["修改后内容"]
    removed = table["SD-01-003"]
    assert removed["原内容"].startswith("【事项名称】地质灾害防治\n")
    assert removed["修改后内容"] is None
    assert (removed["调整理由"], removed["批准文号"]) == (RECALL.reason, RECALL.reference)
    assert (added["调整理由"], added["批准文号"]) == (None, None)


def test_formula_like_text_stays_text(tmp_path: Path, diff: Diff, words: Vocabulary) -> None:
    """A name starting with "=" is shown as typed, never evaluated as a formula."""
    sheet = write(tmp_path / "out.xlsx", diff, words)
    cell = next(sheet.cell(r, 5) for r in range(4, 10) if sheet.cell(r, 4).value == "ZR-01-001")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=SUM(A1)党建", "s", True)


def test_unwritable_text_is_cleaned_and_cut(tmp_path: Path, diff: Diff, words: Vocabulary) -> None:
    """Control characters are dropped and texts past Excel's cell limit cut with a notice."""
    base = next(c for c in diff.changes if c.item.code == "SD-01-001")
    change = dataclasses.replace(
        base, fields=[FieldChange("township_duty", "配合职责", "巡查\x01\x1b报告", "劝阻" * 20_000)]
    )
    sheet = write(tmp_path / "out.xlsx", Diff("旧", "新", [change]), words)
    assert sheet["H4"].value == "【配合职责】巡查报告"
    cut = sheet["I4"].value
    assert len(cut) == 32_767
    assert cut.startswith("【配合职责】劝阻")
    assert cut.endswith("…（已截断）")


def test_sheet_is_set_up_for_print(tmp_path: Path, diff: Diff, words: Vocabulary) -> None:
    """A4 landscape, one page wide, the head repeated and frozen, numbered pages."""
    sheet = write(tmp_path / "out.xlsx", diff, words)
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth 1 is the file format's default, which xlsxwriter leaves unwritten
    assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"
    assert sheet.oddFooter.center.text == "— &P —"
    assert round(sheet.page_margins.top * 2.54, 1) == 2.8
    body = sheet["H4"]
    assert (body.font.name, body.font.sz) == ("仿宋_GB2312", 10.5)
    assert body.alignment.wrap_text
    assert body.border.left.style == "thin"


def test_rows_are_tall_enough_for_their_text(tmp_path: Path, diff: Diff, words: Vocabulary) -> None:
    """Rows have heights that grow with their longest text, as LibreOffice does not fit them."""
    sheet = write(tmp_path / "out.xlsx", diff, words)
    heights = {sheet.cell(r, 4).value: sheet.row_dimensions[r].height for r in range(4, 10)}
    assert heights["SD-01-002"] < heights["SD-01-001"] < heights["SD-01-150"]
    # 原内容 holds 14 Chinese characters a line in Excel; the edited duty is 8 lines or more
    assert heights["SD-01-001"] >= 8 * 14


@pytest.mark.parametrize(
    ("module", "name"),
    [(os, "replace"), (atomic, "_create")],
    ids=["target open in Excel", "folder read-only"],
)
def test_refused_write_keeps_the_old_file(
    tmp_path: Path,
    diff: Diff,
    monkeypatch: pytest.MonkeyPatch,
    module: Any,
    name: str,
) -> None:
    """When the system refuses the write, the old file stays whole and no stray file is left."""
    target = tmp_path / "修订对照表.xlsx"
    target.write_bytes(b"old")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(module, name, refuse)
    with pytest.raises(QingdanError, match="可能正在 Excel 或 WPS 中打开，请关闭"):
        write_revision_table(diff, target, title=TITLE, note=recall_removals, words=WORDS)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_failed_write_leaves_no_file(
    tmp_path: Path, diff: Diff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails midway (disk full) leaves neither the table nor a temporary file."""

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(QingdanError, match="无法写入"):
        write_revision_table(
            diff, tmp_path / "out.xlsx", title=TITLE, note=recall_removals, words=WORDS
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes to read-only folders"
)
def test_read_only_folder_is_reported(tmp_path: Path, diff: Diff) -> None:
    """A folder the user cannot write to gets a message, and nothing is written."""
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(QingdanError, match="写入该文件夹的权限"):
            write_revision_table(
                diff, folder / "out.xlsx", title=TITLE, note=recall_removals, words=WORDS
            )
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)
