"""``qingdan export xlsx``: workbooks written through the CLI, read back as a user sees them."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import REPO, run_qingdan
from workbook_dump import dump

BASE = REPO / "tests" / "cases" / "validate" / "_base"
FIXTURES = REPO / "tests" / "fixtures" / "export"
GOLDEN = REPO / "tests" / "golden" / "export"
CLEAN_TERRITORIAL = (
    REPO / "tests/cases/validate/clean-territorial/files/townships/qs/territorial.yaml"
)
SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def listset(tmp_path: Path) -> Path:
    """Two townships: 清水镇 with a duty and a territorial list, 白鹤镇 with a duty list; one
    duty item's texts start with = @ - and hold a control character and U+FFFF."""
    root = tmp_path / "set"
    shutil.copytree(BASE, root)
    for unit, name in (("qs", "duty"), ("bh", "duty")):
        (root / "townships" / unit).mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / f"{unit}-{name}.yaml", root / "townships" / unit / f"{name}.yaml")
    shutil.copy(CLEAN_TERRITORIAL, root / "townships" / "qs" / "territorial.yaml")
    return root


def check_golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / f"{name}.txt"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    assert text == path.read_text("utf-8")


def test_set_exports_a_sheet_per_kind(listset: Path, update_golden: bool) -> None:
    """Default: a sheet per kind, titles and widths from the kind, a 镇（街道） column where a
    sheet holds several townships, 领域 rows, departments by their short names, print set-up."""
    run = run_qingdan("export", "xlsx", "-o", "清单.xlsx", cwd=listset)
    assert run.code == 0, run.stderr
    assert run.stdout.strip() == "已写出 清单.xlsx：3 张清单、6 个事项。"
    check_golden("set", dump(listset / "清单.xlsx"), update_golden)


def test_per_township_sheets(listset: Path, update_golden: bool) -> None:
    """--per-township: a sheet per township and kind, each titled as its list."""
    run = run_qingdan("export", "xlsx", "-o", "分镇.xlsx", "--per-township", cwd=listset)
    assert run.code == 0, run.stderr
    book = openpyxl.load_workbook(listset / "分镇.xlsx")
    assert book.sheetnames == ["白鹤镇职责任务清单", "清水镇职责任务清单", "清水镇属地管理事项清单"]
    check_golden("per-township", dump(listset / "分镇.xlsx"), update_golden)


def test_merged_categories(listset: Path, update_golden: bool) -> None:
    """export.categories merged: no 领域 rows, a 领域 column merged over each 领域's rows."""
    config = listset / "qingdan.yaml"
    config.write_text(config.read_text("utf-8") + "export:\n  categories: merged\n", "utf-8")
    assert run_qingdan("validate", cwd=listset).code == 0
    run = run_qingdan("export", "xlsx", "-o", "合并.xlsx", cwd=listset)
    assert run.code == 0, run.stderr
    check_golden("merged", dump(listset / "合并.xlsx"), update_golden)


def test_merged_categories_start_again_on_each_printed_page(tmp_path: Path) -> None:
    """--categories merged on the sample township: page breaks where the rows fill a page, no
    merged 领域 cell runs over one, and every page's first row names its 领域; read down, the
    column gives each item the 领域 that the default export's 领域 rows give it."""
    merged, rows = tmp_path / "merged.xlsx", tmp_path / "rows.xlsx"
    township = "lists/townships/qingshui"
    run = run_qingdan(
        "export", "xlsx", township, "-o", str(merged), "--categories", "merged", cwd=REPO
    )
    assert run.code == 0, run.stderr
    assert run_qingdan("export", "xlsx", township, "-o", str(rows), cwd=REPO).code == 0
    for sheet, plain in zip(
        openpyxl.load_workbook(merged).worksheets,
        openpyxl.load_workbook(rows).worksheets,
        strict=True,
    ):
        assert sheet["B2"].value in ("领域", "所属领域")
        breaks = [b.id + 1 for b in sheet.row_breaks.brk]  # the first row of each page
        assert breaks, sheet.title
        spans = [r for r in sheet.merged_cells.ranges if r.min_col == 2]
        for span in spans:
            assert not any(span.min_row < first <= span.max_row for first in breaks), span
        for first in [3, *breaks]:
            assert sheet.cell(first, 2).value, (sheet.title, first)
        section, expected = "", []
        for number, *_ in plain.iter_rows(min_row=3, values_only=True):
            if isinstance(number, str):
                section = number
            else:
                expected.append(section)
        found, current = [], ""
        for (name,) in sheet.iter_rows(min_row=3, min_col=2, max_col=2, values_only=True):
            current = name or current
            found.append(current)
        assert found == expected


def test_categories_option_is_checked(listset: Path) -> None:
    run = run_qingdan("export", "xlsx", "-o", "a.xlsx", "--categories", "columns", cwd=listset)
    assert run.code == 2
    assert "--categories 只能是 rows 或 merged" in run.stderr


def test_folder_gets_a_workbook_per_township(listset: Path) -> None:
    """-o FOLDER: one workbook per township, named by it, a sheet per kind."""
    run = run_qingdan("export", "xlsx", "-o", "各镇街", cwd=listset)
    assert run.code == 0, run.stderr
    assert sorted(p.name for p in (listset / "各镇街").iterdir()) == ["清水镇.xlsx", "白鹤镇.xlsx"]
    book = openpyxl.load_workbook(listset / "各镇街" / "清水镇.xlsx")
    assert book.sheetnames == ["职责任务清单", "属地管理事项清单"]
    assert book["属地管理事项清单"]["A1"].value == "清水镇属地管理事项清单"


def test_one_file_and_one_township(listset: Path) -> None:
    """A file or a township's folder exports only its lists, without a 镇（街道） column."""
    run = run_qingdan(
        "export", "xlsx", "townships/qs/territorial.yaml", "-o", "a.xlsx", cwd=listset
    )
    assert run.code == 0, run.stderr
    book = openpyxl.load_workbook(listset / "a.xlsx")
    assert book.sheetnames == ["属地管理事项清单"]
    sheet = book.active
    assert [c.value for c in sheet[2]][:3] == ["序号", "事项编码", "领域"]
    run = run_qingdan("export", "xlsx", "townships/qs", "-o", "b.xlsx", cwd=listset)
    assert openpyxl.load_workbook(listset / "b.xlsx").sheetnames == [
        "职责任务清单",
        "属地管理事项清单",
    ]


def test_formula_like_text_stays_text_and_bad_characters_are_reported(listset: Path) -> None:
    """Texts starting with = @ - are stored as quote-prefixed strings, never formulas; control
    characters and U+FFFF are removed and each such cell is named with its file and item."""
    run = run_qingdan("export", "xlsx", "townships/qs/duty.yaml", "-o", "a.xlsx", cwd=listset)
    assert run.code == 0
    sheet = openpyxl.load_workbook(listset / "a.xlsx").active
    row = next(r for r in sheet.iter_rows() if r[1].value == "ZR-02-002")
    name, duty, tasks = row[3], row[4], row[5]
    assert (name.value, name.data_type, name.quotePrefix) == (
        '=HYPERLINK("http://example.com")宣传',
        "s",
        True,
    )
    assert (duty.value, duty.quotePrefix) == ("@开展宣传，发现问题及时报告。", True)
    assert (tasks.value, tasks.quotePrefix) == ("-1 做好宣传", True)
    assert run.stderr.strip() == (
        "注意：职责任务清单!E7（townships/qs/duty.yaml 事项 ZR-02-002）：删除了 2 个 Excel "
        "无法保存的字符（控制字符或非字符）。请在清单文件中修改这段文字。"
    )


def test_markup_and_excel_escapes_read_back_as_written(listset: Path) -> None:
    """The body rows' XML (written by qingdan, not xlsxwriter) keeps any text as typed: markup,
    a carriage return, text that looks like Excel's own _x000D_ escape, edge spaces; and a long
    text is cut at Excel's limit, said."""
    from python_calamine import CalamineWorkbook

    texts = {
        "name": "<b>A&B</b> > 1",
        "duty": "第一行\r\n第二行",
        "person": " 前后有空格 ",
        "note": "_x000D_ 是字面文字" + "长" * 40_000,
    }
    path = listset / "townships" / "qs" / "duty.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["items"][0].update(texts)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    run = run_qingdan("export", "xlsx", "townships/qs/duty.yaml", "-o", "a.xlsx", cwd=listset)
    assert run.code == 0, run.stderr
    assert "内容超过 Excel 单元格上限 32767 字，已截断" in run.stderr
    sheet = openpyxl.load_workbook(listset / "a.xlsx").active
    heads = [c.value for c in sheet[2]]
    row = {heads[i]: c.value for i, c in enumerate(sheet[4])}
    read = CalamineWorkbook.from_path(str(listset / "a.xlsx")).get_sheet_by_index(0).to_python()
    again = dict(zip(heads, read[3], strict=False))
    for found in (row, again):
        assert found["职责任务"] == texts["name"]
        assert found["职责内容"] == texts["duty"]
        assert found["责任人"] == texts["person"]
        note = found["备注"].replace("_x005F", "")  # as Excel reads it
        assert len(note) <= 32_767 and note.endswith("（已截断）")


def test_numbering_and_fonts_follow_the_config(listset: Path) -> None:
    """export.numbering per-section restarts 序号 in each 领域; export.fonts sets the faces."""
    config = listset / "qingdan.yaml"
    config.write_text(
        config.read_text("utf-8")
        + "export:\n  numbering: per-section\n  font_size: 12\n  fonts: {body: 宋体}\n",
        "utf-8",
    )
    assert run_qingdan("validate", cwd=listset).code == 0
    run = run_qingdan("export", "xlsx", "townships/qs/duty.yaml", "-o", "a.xlsx", cwd=listset)
    assert run.code == 0, run.stderr
    sheet = openpyxl.load_workbook(listset / "a.xlsx").active
    numbers = [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=3)]
    assert numbers == [
        ("基层党建", None),
        (1, "ZR-01-001"),
        ("社会治理", None),
        (1, "ZR-02-001"),
        (2, "ZR-02-002"),
    ]
    assert (sheet["C4"].font.name, sheet["C4"].font.sz) == ("宋体", 12)
    assert sheet["A2"].font.name == "黑体"


def test_rows_grow_with_their_text(listset: Path) -> None:
    """Wrapped rows get heights (LibreOffice and WPS do not fit them): more lines, taller."""
    duty = listset / "townships" / "bh" / "duty.yaml"
    duty.write_text(
        duty.read_text("utf-8").replace("加强基层党组织建设。", "加强基层党组织建设。" * 30),
        "utf-8",
    )
    run = run_qingdan("export", "xlsx", "townships", "-o", "a.xlsx", cwd=listset)
    assert run.code == 0, run.stderr
    sheet = openpyxl.load_workbook(listset / "a.xlsx")["职责任务清单"]
    heights = {
        (r[1].value, r[2].value): sheet.row_dimensions[r[0].row].height
        for r in sheet.iter_rows(min_row=3)
    }
    # 300 Chinese characters in a column 40 units wide: 16 lines or more
    assert heights["白鹤镇", "ZR-01-001"] >= 16 * 14 > 2 * heights["清水镇", "ZR-01-001"]


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("a.xls", "只能写成 .xlsx 文件"),
        ("townships/out.xlsx", "清单目录"),
        ("没有的文件夹/a.xlsx", "不存在"),
        ("qingdan.yaml/", "是一个文件，不是文件夹"),
    ],
)
def test_bad_output_paths_are_refused_before_any_work(
    listset: Path, output: str, message: str
) -> None:
    """A wrong -o gets one clear line and exit 2, and nothing is written."""
    before = sorted(p.relative_to(listset) for p in listset.rglob("*"))
    run = run_qingdan("export", "xlsx", "-o", output, cwd=listset)
    assert run.code == 2
    assert run.stderr.startswith("错误：") and message in run.stderr
    assert "Traceback" not in run.stderr
    assert sorted(p.relative_to(listset) for p in listset.rglob("*")) == before


def test_a_list_with_errors_is_not_exported(listset: Path) -> None:
    """A list that does not parse: its findings, exit 1, and no workbook."""
    (listset / "townships" / "bh" / "duty.yaml").write_text("kind: duty\nitems: [\n", "utf-8")
    run = run_qingdan("export", "xlsx", "-o", "a.xlsx", cwd=listset)
    assert run.code == 1
    assert "townships/bh/duty.yaml" in run.stdout
    assert "未写出表格" in run.stderr
    assert not (listset / "a.xlsx").exists()


def test_export_is_a_group_with_xlsx(listset: Path) -> None:
    """``qingdan export`` lists its commands; an unknown one is named."""
    run = run_qingdan("export", cwd=listset)
    assert run.code == 0
    assert "xlsx" in run.stdout and "template" in run.stdout


def test_template_offers_the_sets_choices(listset: Path, update_golden: bool) -> None:
    """The entry template: the kind's heads as export writes them, a note on each head, and
    drop-downs from the category tree, the registry and the schema's enums."""
    run = run_qingdan("export", "template", "territorial", "-o", "模板.xlsx", cwd=listset)
    assert run.code == 0, run.stderr
    assert run.stdout.strip() == "已写出填报模板 模板.xlsx：属地管理事项清单。"
    path = listset / "模板.xlsx"
    book = openpyxl.load_workbook(path)
    sheet, choices = book["属地管理事项清单"], book["选项"]
    assert choices.sheet_state == "hidden"
    lists = {
        sheet.cell(2, next(iter(rule.sqref.ranges)).min_col).value: rule.formula1
        for rule in sheet.data_validations.dataValidation
        if rule.type == "list"
    }
    assert set(lists) == {"领域", "牵头部门"}
    column = lists["领域"].split("!")[1].split(":")[0].strip("$")[0]
    assert [c.value for c in choices[column] if c.value] == ["领域", "应急管理", "农业农村"]
    assert sheet["E2"].comment.text.startswith("必填。多项内容每项一行")
    check_golden("template-territorial", dump(path), update_golden)


def test_template_of_every_kind_and_an_unknown_kind(listset: Path) -> None:
    """Without a kind every kind gets a sheet, enums become drop-downs; an unknown kind is
    named with the choices, exit 2."""
    run = run_qingdan("export", "template", "-o", "模板.xlsx", cwd=listset)
    assert run.code == 0, run.stderr
    book = openpyxl.load_workbook(listset / "模板.xlsx")
    assert book.sheetnames == [
        "职责任务清单",
        "公共服务事项清单",
        "属地管理事项清单",
        "填写说明",
        "选项",
    ]
    service = book["公共服务事项清单"]
    heads = [c.value for c in service[2]]
    enums = {
        heads[next(iter(rule.sqref.ranges)).min_col - 1]
        for rule in service.data_validations.dataValidation
        if rule.type == "list"
    }
    assert {"事项类型", "实施主体", "办件类型", "通办范围", "承办机构"} <= enums
    bad = run_qingdan("export", "template", "dutty", "-o", "x.xlsx", cwd=listset)
    assert bad.code == 2
    assert bad.stderr.strip() == (
        "错误：清单集中没有“dutty”这种清单：可选的有 duty、service、territorial。"
    )


@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None, reason="LibreOffice not installed")
def test_libreoffice_prints_it_with_the_head_on_every_page(tmp_path: Path) -> None:
    """The sample township's workbook opens in LibreOffice and prints as A4 pages, each with
    the page header, the table head and its page number, the kinds' printed columns only
    and its text at a readable size: at least 8 pt on paper (a Chinese character is one em
    wide, so a run of them measures the font size it is printed at)."""
    out = tmp_path / "清水镇.xlsx"
    run = run_qingdan("export", "xlsx", "lists/townships/qingshui", "-o", str(out), cwd=REPO)
    assert run.code == 0, run.stderr
    pages = _pdf_pages(out, tmp_path)
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert f"第{number}页共{len(pages)}页" in page.replace(" ", "")
        assert "序号" in page and "事项编码" in page
        assert "（2026年版）" in page
        assert "本地栏目" not in page and "准入记录" not in page  # on screen, not printed
    text = "".join(pages)
    assert "清水镇属地管理事项清单" in text and "清水镇公共服务事项清单" in text
    pdf = tmp_path / "清水镇.pdf"
    assert PDFTOTEXT is not None
    raw = subprocess.run(
        [PDFTOTEXT, "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    )
    assert "区林业局：负责森林火灾预防工作" in raw.stdout.replace("\n", "")
    assert min(_text_sizes(pdf)) >= 8.0


def _text_sizes(pdf: Path) -> list[float]:
    """Per printed page, the size most of its text is printed at, in points."""
    assert PDFTOTEXT is not None
    boxes = subprocess.run(
        [PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    word = re.compile(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<')
    sizes = []
    for page in boxes.split("<page ")[1:]:
        found = Counter(
            round((float(right) - float(left)) / len(text), 1)
            for left, right, text in word.findall(page)
            if len(text) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in text)
        )
        sizes.append(found.most_common(1)[0][0])
    return sizes


def _pdf_pages(workbook: Path, folder: Path) -> list[str]:
    assert SOFFICE is not None and PDFTOTEXT is not None
    profile = folder / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = folder / workbook.with_suffix(".pdf").name
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]
