"""``qingdan import xlsx`` and ``qingdan validate FILE.xlsx`` on workbooks shaped like the ones
offices keep: title rows, two-level merged headers, merged category cells, odd column names,
formulas, empty rows, hidden sheets and numbers stored as numbers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
import yaml

from conftest import REPO, run_qingdan
from qingdan.importing.cells import parse
from qingdan.present.values import render
from qingdan.workspace import Workspace
from qingdan.yamlwrite import dump

TERRITORIAL = [
    # 领域, 项目名称, 主体责任单位, 主体责任, 乡镇（街道）职责, 配合部门, 法律依据, 备注
    [
        "应急管理",
        "工矿商贸企业安全生产监管",
        "区应急局",
        "负责工矿商贸行业领域安全生产综合监督管理。",
        "开展辖区生产经营单位安全生产日常巡查，发现隐患及时报告。",
        "区经信局：负责工业企业安全生产行业管理。",
        "《中华人民共和国安全生产法》第九条、第十条；《四川省安全生产条例》",
        "",
    ],
    [
        "",  # under the category merged over two rows
        "危险化学品安全监管",
        "区应急管理局",  # a registered alias
        "负责危险化学品安全监督管理综合工作。",
        "排查辖区内非法储存危险化学品行为，发现后及时报告。",
        "",
        "《危险化学品安全管理条例》（国务院令第591号）第六条",
        "",
    ],
    None,  # an empty row between groups
    [
        "生态环境",
        "秸秆禁烧",
        "市生态环境局青岚分局",
        "负责秸秆禁烧的监督管理。",
        "落实网格化巡查，发现焚烧及时劝阻并报告。",
        "",
        "《中华人民共和国大气污染防治法》",
        "重点时段",
    ],
]


def office_workbook(path: Path, rows: list[list[str] | None] = TERRITORIAL) -> Path:
    """A township's workbook as offices keep it: a territorial sheet with two title rows and a
    two-level header (职责分工 over two columns), a duty sheet whose phone is a number, and a
    hidden sheet of drop-down choices."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("属地管理事项清单")
    sheet.merge_range("A1:I1", "白鹤镇属地管理事项清单（2026年版）")
    sheet.merge_range("A2:I2", "编制单位：白鹤镇人民政府            2026年3月")
    for col, title in enumerate(["序号", "领域", "项目名称", "主体责任单位", "主体责任"]):
        sheet.merge_range(2, col, 3, col, title)
    sheet.merge_range("F3:G3", "职责分工")
    sheet.write("F4", "乡镇（街道）职责")
    sheet.write("G4", "配合部门")
    sheet.merge_range("H3:H4", "法律\n依据")
    sheet.merge_range("I3:I4", "备注")
    r = 4
    for row in rows:
        if row is not None:
            sheet.write_formula(r, 0, "=ROW()-4", None, r - 3)
            for c, value in enumerate(row, start=1):
                if value and c != 1:
                    sheet.write(r, c, value)
        r += 1
    sheet.merge_range("B5:B6", "应急管理")
    sheet.write("B8", "生态环境")
    duty = book.add_worksheet("职责任务清单")
    duty.write_row(0, 0, ["序号", "类别", "事项名称", "职责内容", "具体事项", "依据"])
    duty.write_row(0, 6, ["承办机构", "联系电话", "分管领导"])
    duty.write_row(
        1,
        0,
        [
            1,
            "组织建设",
            "基层党组织建设",
            "加强基层党组织建设。",
            "做好发展党员工作\n开展党员教育",
            "《中国共产党农村基层组织工作条例》第九条",
            "党政综合办公室",
        ],
    )
    duty.write_number(1, 7, 8386212345)  # typed as a number: the leading 0 is gone
    duty.write(1, 8, "张三")
    book.add_worksheet("填表说明").write("A1", "本表由各镇（街道）党政办公室填报。")
    hidden = book.add_worksheet("下拉选项")
    hidden.write_column(0, 0, ["应急管理", "生态环境"])
    hidden.hide()
    book.close()
    return path


@pytest.fixture
def listset(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(REPO / "lists", root)
    return root


def written(folder: Path, kind: str) -> dict[str, Any]:
    data = yaml.safe_load((folder / f"{kind}.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def test_office_workbook_becomes_list_files(listset: Path) -> None:
    """Title rows, a two-level merged header, merged categories, odd names, a formula column,
    an empty row and a hidden sheet: the items come out as a person would have typed them."""
    office_workbook(listset / "白鹤镇清单.xlsx")
    run = run_qingdan("import", "xlsx", "白鹤镇清单.xlsx", "-o", "导入", cwd=listset)
    assert run.code == 0, run.stdout + run.stderr
    territorial = written(listset / "导入", "territorial")
    assert territorial["unit"] == "白鹤镇"  # from the title row
    items = territorial["items"]
    assert [i["name"] for i in items] == [
        "工矿商贸企业安全生产监管",
        "危险化学品安全监管",
        "秸秆禁烧",
    ]
    assert [i["category"] for i in items] == ["01", "01", "03"]  # merged cell filled down
    assert [i["code"] for i in items] == ["SD-01-001", "SD-01-002", "SD-03-001"]
    first = items[0]
    assert first["main"] == [
        {"department": "区应急局", "duty": "负责工矿商贸行业领域安全生产综合监督管理。"}
    ]
    assert first["township_duty"].startswith("开展辖区生产经营单位")
    assert first["cooperating"] == [
        {"department": "区经信局", "duty": "负责工业企业安全生产行业管理。"}
    ]
    assert first["basis"] == [
        {"title": "《中华人民共和国安全生产法》", "article": "第九条、第十条"},
        {"title": "《四川省安全生产条例》"},
    ]
    assert items[1]["basis"] == [
        {"title": "《危险化学品安全管理条例》", "number": "国务院令第591号", "article": "第六条"}
    ]
    assert items[2]["note"] == "重点时段"
    assert "序号" not in json.dumps(items, ensure_ascii=False)
    duty = written(listset / "导入", "duty")["items"][0]
    assert duty["tasks"] == ["做好发展党员工作", "开展党员教育"]
    assert duty["category"] == "0101"
    assert duty["phone"] == "8386212345"
    assert "职责任务清单!H2" in run.stdout and "开头的 0 可能已经丢失" in run.stdout
    assert "职责任务清单!I1" in run.stdout and "分管领导" in run.stdout  # unknown column
    assert "下拉选项" in run.stdout and "import.hidden-sheet" in run.stdout
    assert "填表说明" in run.stdout and "import.no-header" in run.stdout
    assert "属地管理事项清单!C8" in run.stdout and "SD-03-001" in run.stdout  # code made
    # what was written is a list qingdan reads clean of errors
    check = run_qingdan("validate", "导入", "-f", "json", cwd=listset)
    assert json.loads(check.stdout)["summary"]["errors"] == 0, check.stdout


def test_cells_that_cannot_be_read_are_findings_at_their_cells_and_nothing_is_written(
    listset: Path,
) -> None:
    """An unknown department is reported at its cell with a suggestion; no file is written."""
    rows = [list(r) if r else None for r in TERRITORIAL]
    assert rows[3] is not None
    rows[3][2] = "区生态环境局X"
    office_workbook(listset / "白鹤镇清单.xlsx", rows)
    run = run_qingdan("import", "xlsx", "白鹤镇清单.xlsx", "-o", "导入", cwd=listset)
    assert run.code == 1
    line = next(x for x in run.stdout.splitlines() if "属地管理事项清单!D8" in x)
    assert "区生态环境局X" in line and "是否应为" in line and "rule.unknown-department" in line
    assert "未写出任何文件" in run.stderr
    assert not (listset / "导入").exists()


def service_workbook(path: Path, handling: str) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("公共服务事项")
    sheet.write_row(0, 0, ["事项编码", "事项名称", "领域/类别", "办件类型", "份数说明"])
    sheet.write_row(1, 0, ["FW-01-001", "城乡居民最低生活保障", "社会救助", handling, "x"])
    book.close()
    return path


def test_validate_workbook_reports_at_sheet_cell_and_writes_nothing(listset: Path) -> None:
    """``validate 表格.xlsx``: a choice cell outside the enum is an import.cell finding at
    公共服务事项!D2 in JSON (sheet and cell keys), and nothing appears on disk."""
    service_workbook(listset / "服务.xlsx", "加急件")
    before = sorted(p.name for p in listset.iterdir())
    run = run_qingdan("validate", "服务.xlsx", "--unit", "白鹤镇", "-f", "json", cwd=listset)
    assert run.code == 2 and "--unit" in run.stderr  # validate has no --unit
    run = run_qingdan("validate", "服务.xlsx", "-f", "json", cwd=listset)
    assert "错误：" in run.stderr and "--unit" in run.stderr  # no unit in the title rows
    book = service_workbook(listset / "白鹤镇服务.xlsx", "加急件")
    run = run_qingdan("validate", book.name, "-f", "json", cwd=listset)
    assert run.code == 1, run.stdout + run.stderr
    found = json.loads(run.stdout)["findings"]
    cell = next(f for f in found if f["code"] == "import.cell")
    assert (cell["sheet"], cell["cell"]) == ("公共服务事项", "公共服务事项!D2")
    assert "加急件" in cell["message"] and "即办件" in cell["message"]
    assert sorted(p.name for p in listset.iterdir()) == sorted([*before, book.name])


def test_derive_from_writes_an_overlay_with_reasons_to_fill_in(listset: Path) -> None:
    """--derive-from: rows matched by name become modifications of the changed columns, new rows
    additions, base items no row names omissions; every reason is a placeholder validate reports."""
    office_workbook(listset / "白鹤镇清单.xlsx")
    run = run_qingdan(
        "import", "xlsx", "白鹤镇清单.xlsx", "-o", "派生", "--derive-from", "锦川市青岚区",
        cwd=listset,
    )  # fmt: skip
    assert run.code == 0, run.stdout + run.stderr
    assert "理由待填写" in run.stdout
    spec = written(listset / "派生", "territorial")["derive"]
    assert spec["from"] == "锦川市青岚区"
    modified = {m["code"]: m for m in spec["modify"]}
    assert set(modified) == {"SD-01-001", "SD-01-002"}  # matched by name, codes from the base
    assert "lead" not in modified["SD-01-002"]["set"]  # 区应急管理局 is 区应急局
    assert "category" not in modified["SD-01-001"]["set"]  # 应急管理 holds the base's 安全生产
    assert [a["item"]["name"] for a in spec["add"]] == ["秸秆禁烧"]
    assert "SD-01-003" in {o["code"] for o in spec["omit"]}
    reasons = {op["reason"] for ops in spec.values() if isinstance(ops, list) for op in ops}
    assert reasons == {"待填写"}
    shutil.copy(listset / "派生" / "territorial.yaml", listset / "townships/baihe/territorial.yaml")
    check = run_qingdan("validate", "townships/baihe/territorial.yaml", "-f", "json", cwd=listset)
    codes = {f["code"] for f in json.loads(check.stdout)["findings"]}
    assert "derive.reason-placeholder" in codes


def test_a_code_the_sets_pattern_cannot_make_is_asked_for(listset: Path) -> None:
    """With a code pattern the kind's example code does not fit, rows without a code are
    errors at their name cell asking for a code, and nothing is written."""
    config = listset / "qingdan.yaml"
    config.write_text(
        config.read_text("utf-8") + 'code_patterns:\n  territorial: "^T[0-9]{6}$"\n', "utf-8"
    )
    office_workbook(listset / "白鹤镇清单.xlsx")
    run = run_qingdan("validate", "白鹤镇清单.xlsx", "-f", "json", cwd=listset)
    assert run.code == 1, run.stdout + run.stderr
    asked = [f for f in json.loads(run.stdout)["findings"] if f["code"] == "import.no-code"]
    assert [f["cell"] for f in asked] == [
        "属地管理事项清单!C5",
        "属地管理事项清单!C6",
        "属地管理事项清单!C8",
    ]


def test_aliases_from_the_list_sets_config(listset: Path) -> None:
    """A column name only this office uses maps to its field through import.aliases."""
    book = xlsxwriter.Workbook(str(listset / "白鹤镇.xlsx"))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["事项编码", "事项名称", "领域", "责任单位", "街道职责"])
    sheet.write_row(1, 0, ["SD-01-901", "测试事项", "应急管理", "区应急局", "协助开展巡查。"])
    book.close()
    config = listset / "qingdan.yaml"
    config.write_text(
        config.read_text("utf-8")
        + "import:\n  aliases:\n    territorial:\n      lead: [责任单位]\n"
        + "      township_duty: [街道职责]\n",
        "utf-8",
    )
    run = run_qingdan("validate", "白鹤镇.xlsx", "-f", "json", cwd=listset)
    found = json.loads(run.stdout)["findings"]
    assert not [f for f in found if f["code"] == "import.unknown-column"], found
    missing = {f["path"] for f in found if f["code"] == "schema.required"}
    assert "/items/0/lead" not in missing and "/items/0/township_duty" not in missing


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))


def _huge(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["事项编码", "事项名称", "领域"])
    sheet.write(1_048_575, 0, "x")
    book.close()


def _no_header(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Sheet1").write_row(0, 0, ["姓名", "电话"])
    book.close()


BAD = {
    "not-a-workbook": (lambda p: p.write_text("这是一个文本文件", "utf-8"), "不是 Excel/WPS 表格"),
    "password": (
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096),
        "设置了打开密码",
    ),
    "broken-zip": (lambda p: p.write_bytes(b"PK\x03\x04broken"), "已损坏"),
    "zip-bomb": (_zip_bomb, "压缩炸弹"),
    "million-rows": (_huge, "1048576 行"),
    "no-header": (_no_header, "没有可识别的清单"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_workbooks_get_a_clear_error_and_exit_2(listset: Path, case: str) -> None:
    """Each bad workbook: ``错误：…`` saying what is wrong, exit 2, no traceback, nothing written."""
    make, expected = BAD[case]
    book = listset / "白鹤镇.xlsx"
    make(book)
    for command in (("import", "xlsx", book.name, "-o", "out"), ("validate", book.name)):
        run = run_qingdan(*command, cwd=listset)
        assert run.code == 2, run.stdout + run.stderr
        assert run.stderr.startswith("错误：") and expected in run.stderr, run.stderr
        assert "Traceback" not in run.stderr
    assert not (listset / "out").exists()


def test_nested_values_read_back_as_render_wrote_them() -> None:
    """Every nested value of the sample set (依据, 主体/配合责任, 申请材料, 期限…) rendered for
    people parses back to the same value; so do text lists written one item per line. A text
    list rendered on one line joined by 、 cannot be told from one item containing 、."""
    workspace = Workspace()
    checked = 0
    for root in (REPO / "lists" / "catalog", REPO / "lists"):
        listset = workspace.open(root)
        for found in workspace.lists(listset):
            kind = found.kind
            assert kind is not None
            for item in found.items:
                for name, value in item.values.items():
                    text = render(value, kind.item.title, (name,))
                    if isinstance(value, list) and all(isinstance(v, str) for v in value):
                        text = "\n".join(value)
                    assert parse(text, kind.item, [name]) == value, (item.code, name, text)
                    checked += 1
    assert checked > 1000


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_ods_and_xls_read_as_the_xlsx_they_were_saved_from(listset: Path, tmp_path: Path) -> None:
    """The office workbook saved as .ods and .xls by LibreOffice imports to the same lists."""
    book = office_workbook(tmp_path / "白鹤镇清单.xlsx")
    profile = (tmp_path / "profile").as_uri()
    for fmt in ("ods", "xls"):
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
             "--outdir", str(listset), str(book)],
            capture_output=True, timeout=180, check=True,
        )  # fmt: skip
    shutil.copy(book, listset / book.name)
    for suffix in ("xlsx", "ods", "xls"):
        run = run_qingdan("import", "xlsx", f"白鹤镇清单.{suffix}", "-o", suffix, cwd=listset)
        assert run.code == 0, run.stdout + run.stderr
    for kind in ("territorial", "duty"):
        expected = written(listset / "xlsx", kind)
        assert written(listset / "ods", kind) == expected
        assert written(listset / "xls", kind) == expected


def test_start_up_does_not_load_the_workbook_reader() -> None:
    """--help and validating list files never import python_calamine: only reading a workbook
    does."""
    probe = (
        "import sys\n"
        "from qingdan.cli import main\n"
        "for argv in (['qingdan', '--help'], ['qingdan', 'import', '--help'],\n"
        "             ['qingdan', 'validate', 'lists', '--no-cache']):\n"
        "    sys.argv = argv\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('python_calamine' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False"


SAMPLE_SETS = (REPO / "lists", REPO / "examples" / "lvzhi2024")
"""The sample set and the lvzhi2024 example, each with its catalog (a list set of its own)."""


def sample_folders() -> list[tuple[Path, Path]]:
    """Every folder of list files of the sample sets, with the list set it is read in."""
    found = []
    for root in SAMPLE_SETS:
        for lists, sub in ((root, "townships"), (root / "catalog", "mulu")):
            folders = [lists / sub] if sub == "mulu" else sorted((lists / sub).iterdir())
            found += [(lists, folder) for folder in folders if list(folder.glob("*.yaml"))]
    return found


def differences(want: Any, got: Any, where: str = "") -> list[str]:
    """Where two values differ, value by value, as a person reads a diff."""
    if isinstance(want, dict) and isinstance(got, dict):
        return [
            line
            for key in dict.fromkeys([*want, *got])
            for line in differences(want.get(key), got.get(key), f"{where}.{key}")
        ]
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        return [
            line
            for index, (w, g) in enumerate(zip(want, got, strict=True))
            for line in differences(w, g, f"{where}[{index}]")
        ]
    if want == got:
        return []
    show = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    return [f"{where.lstrip('.')}: 原为 {show(want)}，读回 {show(got)}"]


def round_trip(lists: Path, folder: Path, tmp_path: Path) -> tuple[int, list[str]]:
    """``export xlsx`` of the lists in ``folder``, then ``import xlsx`` of that workbook: how
    many items came back, and every difference from the lists as resolved (a department may
    come back under another of its registered names: compared by its registry code)."""
    workspace = Workspace()
    listset = workspace.open(lists)
    codes = listset.departments

    def same(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: same(v) for k, v in value.items()}
        if isinstance(value, list):
            return [same(v) for v in value]
        found = codes.get(value) if isinstance(value, str) and codes else None
        return found.code if found is not None else value

    book, out = tmp_path / f"{folder.name}.xlsx", tmp_path / folder.name
    run = run_qingdan("export", "xlsx", str(folder), "-o", str(book), cwd=lists)
    assert run.code == 0, run.stdout + run.stderr
    wanted = list(workspace.lists(listset, sorted(folder.glob("*.yaml"))))
    unit = ("--unit", wanted[0].unit)  # a catalog's title names no township
    run = run_qingdan("import", "xlsx", str(book), "-o", str(out), *unit, cwd=lists)
    assert run.code == 0, run.stdout + run.stderr
    found, count = [], 0
    for want in wanted:
        assert want.kind is not None
        (got,) = workspace.lists(listset, [out / f"{want.kind.name}.yaml"])
        back = {item.code: item for item in got.items}  # the table orders them by 领域
        assert sorted(back) == sorted(item.code for item in want.items), want.display
        for old in want.items:
            new = same(dict(back[old.code].values))
            found += [
                f"{want.display} {old.code} {d}" for d in differences(same(dict(old.values)), new)
            ]
            count += 1
    return count, found


@pytest.mark.parametrize(
    ("lists", "folder"),
    sample_folders(),
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_what_export_wrote_imports_back_to_the_same_items(
    lists: Path, folder: Path, tmp_path: Path
) -> None:
    """Every list of the sample sets, all kinds: ``export xlsx`` of a township's (or the
    catalog's) lists, then ``import xlsx`` of that workbook, gives back the same items, value
    by value — 申请材料 with their 形式, 份数, 是否必需 and 适用情形, 期限 with their 工作日数,
    准入记录, 到现场次数 — and the differences are listed where there are any."""
    count, found = round_trip(lists, folder, tmp_path)
    assert not found, "\n".join(found)
    assert count >= 10


def test_sample_round_trip_covers_every_kind() -> None:
    """The round trip above reads every kind of both sample sets."""
    for root in SAMPLE_SETS:
        kinds = {p.stem for _, folder in sample_folders() for p in folder.glob("*.yaml")}
        assert set(Workspace().open(root).kinds) <= kinds, root


def test_values_the_sample_lacks_round_trip_too(tmp_path: Path) -> None:
    """A township list with what the sample does not write: several parties and several
    实施主体 in one cell, a material with every property (非必需, 备注), a 期限 with its 工作日
    数, a 本地栏目 map of a text, a number and a yes/no, and a 期限 term."""
    lists = tmp_path / "set"
    shutil.copytree(REPO / "lists", lists)
    source = lists / "townships" / "qingshui" / "service.yaml"
    data = yaml.safe_load(source.read_text("utf-8"))
    data["derive"]["modify"][0]["set"].update(
        {
            "office": ["党政综合办公室", "社会事务办公室"],
            "implementer": ["乡人民政府", "街道办事处"],
            "materials": [
                {"name": "申请书", "form": "原件", "medium": "纸质", "copies": 2, "required": True},
                {
                    "name": "委托书（代办的）",
                    "form": "原件和复印件",
                    "required": False,
                    "condition": "委托他人代办的",
                    "note": "须经公证",
                },
                "户口簿",
            ],
            "legal_limit": {"text": "20个工作日", "working_days": 20},
            "extra": {"窗口编号": "A03", "进驻大厅": True, "窗口数": 2},
            "term": {"type": "阶段性", "start": "2026-01-01", "end": "2026-12-31"},
        }
    )
    source.write_text(dump(data), "utf-8")
    assert run_qingdan("validate", "townships/qingshui", cwd=lists).code == 0
    count, found = round_trip(lists, source.parent, tmp_path)
    assert not found, "\n".join(found)
    assert count > 50


def test_several_workbooks_are_checked_together_and_written_all_or_nothing(
    tmp_path: Path,
) -> None:
    """Two workbooks of the same township's duty list: each imports alone, but together their
    codes and names repeat across the files they would write, so the rules over several files
    report it at the cells, and neither workbook's lists are written."""
    lists = REPO / "lists"
    first, second = tmp_path / "清水镇.xlsx", tmp_path / "清水镇补充.xlsx"
    source = "townships/qingshui/duty.yaml"
    assert run_qingdan("export", "xlsx", source, "-o", str(first), cwd=lists).code == 0
    shutil.copy(first, second)
    alone = run_qingdan("import", "xlsx", str(second), "-o", str(tmp_path / "alone"), cwd=lists)
    assert alone.code == 0, alone.stdout + alone.stderr
    out = tmp_path / "out"
    run = run_qingdan("import", "xlsx", str(first), str(second), "-o", str(out), cwd=lists)
    assert run.code == 1, run.stdout + run.stderr
    assert "rule.duplicate-code" in run.stdout and "rule.duplicate-name" in run.stdout
    # the first item's code cell in the second workbook, and its row in the first
    assert "职责任务清单!B4" in run.stdout and f"{first.name}:4，基层党组织建设" in run.stdout
    assert "未写出任何文件" in run.stderr
    assert not out.exists()
    both = run_qingdan(
        "import", "xlsx", str(first), str(tmp_path / "alone" / "duty.yaml"), cwd=lists
    )
    assert both.code == 2 and "不是 .xlsx、.xls 或 .ods 表格" in both.stderr
