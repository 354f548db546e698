"""The ``qingdan`` command through its real entry point: exit codes, formats, start-up cost."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_qingdan

BASE = Path(__file__).parent / "cases" / "validate" / "_base"
HEAVY = (
    "pandas",
    "openpyxl",
    "xlsxwriter",
    "weasyprint",
    "reportlab",
    "fitz",
    "pypdf",
    "numpy",
    "typst",
    "fontTools",
    "pypinyin",
    "opencc",
)

GOOD_DUTY = """kind: duty
unit: 清水镇
items:
  - code: ZR-01-001
    name: 基层党组织建设
    category: "01"
    duty: 加强基层党组织建设，落实党建工作责任制。
    tasks: [做好发展党员工作]
    basis:
      - title: 《中国共产党农村基层组织工作条例》
        article: 第九条
    office: 党政综合办公室
"""


@pytest.fixture
def listset(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(BASE, root)
    (root / "townships" / "qs").mkdir(parents=True)
    (root / "townships" / "qs" / "duty.yaml").write_text(GOOD_DUTY, "utf-8")
    return root


def test_sample_lists_validate_clean() -> None:
    """The shipped sample list set has no errors and no warnings."""
    run = run_qingdan("validate", "lists", "--strict", "--no-cache", cwd=REPO)
    assert run.code == 0, run.stdout + run.stderr
    assert "没有发现问题" in run.stdout.splitlines()[-1]


def test_clean_set_exits_0_and_says_so(listset: Path) -> None:
    """A clean list set: exit 0 and a summary line naming files and items."""
    run = run_qingdan("validate", cwd=listset)
    assert run.code == 0
    assert run.stdout.strip() == "检查了 6 个文件、1 个事项：没有发现问题。"


def test_errors_exit_1_and_warnings_alone_exit_0_unless_strict(listset: Path) -> None:
    """Warnings alone keep exit 0; --strict makes them fail; errors always exit 1."""
    duty = listset / "townships" / "qs" / "duty.yaml"
    duty.write_text(GOOD_DUTY.replace("落实党建", "落实党建,"), "utf-8")
    assert run_qingdan("validate", cwd=listset).code == 0
    assert run_qingdan("validate", "--strict", cwd=listset).code == 1
    duty.write_text(GOOD_DUTY.replace("office: 党政综合办公室", "office: 不存在的科室"), "utf-8")
    run = run_qingdan("validate", cwd=listset)
    assert run.code == 1
    assert "townships/qs/duty.yaml" in run.stdout
    assert "12:13" in run.stdout and "rule.unknown-department" in run.stdout
    assert run.stdout.strip().splitlines()[-1] == "检查了 6 个文件、1 个事项：1 个错误，0 个警告。"


def test_cannot_run_exits_2_with_a_chinese_message(tmp_path: Path) -> None:
    """A missing path or a folder without a list set: exit 2, one clear line, no traceback."""
    missing = run_qingdan("validate", "nowhere", cwd=tmp_path)
    assert missing.code == 2
    assert missing.stderr.startswith("错误：路径不存在：nowhere")
    no_set = run_qingdan("validate", cwd=tmp_path)
    assert no_set.code == 2
    assert "找不到清单集" in no_set.stderr and "qingdan.yaml" in no_set.stderr
    assert "Traceback" not in missing.stderr + no_set.stderr


def test_github_format_annotates_the_line(listset: Path) -> None:
    """--format github prints one workflow command per finding, then the summary."""
    duty = listset / "townships" / "qs" / "duty.yaml"
    duty.write_text(GOOD_DUTY.replace('category: "01"', 'category: "09"'), "utf-8")
    run = run_qingdan("validate", "--format", "github", cwd=listset)
    lines = run.stdout.splitlines()
    assert lines[0].startswith(
        "::error file=townships/qs/duty.yaml,line=6,col=15,title=rule.unknown-category::"
        "ZR-01-001 类别：“类别”中的“09”不在职责任务清单的类别树中。"
    )
    assert lines[-1] == "检查了 6 个文件、1 个事项：1 个错误，0 个警告。"


def test_json_format_is_the_documented_shape(listset: Path) -> None:
    """--format json has version, tool, summary and findings with the documented keys."""
    duty = listset / "townships" / "qs" / "duty.yaml"
    duty.write_text(GOOD_DUTY.replace("    office: 党政综合办公室\n", ""), "utf-8")
    report = json.loads(run_qingdan("validate", "-f", "json", cwd=listset).stdout)
    assert report["version"] == 1
    assert report["summary"] == {"files": 6, "items": 1, "errors": 1, "warnings": 0}
    assert report["findings"] == [
        {
            "code": "schema.required",
            "severity": "error",
            "message": "缺少必填字段“承办机构”（office）。",
            "file": "townships/qs/duty.yaml",
            "line": 4,
            "column": 5,
            "item": "ZR-01-001",
            "field": "承办机构",
            "path": "/items/0/office",
        }
    ]


def test_help_validate_and_diff_do_not_import_heavy_libraries() -> None:
    """Start-up stays fast: --help, validate and diff (without -o) pull in no pandas, openpyxl or
    PDF stack."""
    probe = (
        "import sys\n"
        "from qingdan.cli import main\n"
        "for argv in (['qingdan', '--help'], ['qingdan', 'validate', 'lists', '--no-cache'],\n"
        "             ['qingdan', 'diff', 'lists', 'lists']):\n"
        "    sys.argv = argv\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_start_up_imports_no_reporter() -> None:
    """Every command starts without rich or a reporter: they are imported by the command that
    prints (``--version`` and ``validate --format json`` need neither rich nor the text reporter)."""
    probe = (
        "import sys\n"
        "import typer\n"
        "ours = ('qingdan.reporters.text', 'qingdan.reporters.console')\n"
        "ours += () if 'rich' in sys.modules else ('rich',)  # typer 0.12 imports rich itself\n"
        "from qingdan.cli import main\n"
        "sys.argv = ['qingdan', 'validate', 'lists', '--no-cache', '--format', 'json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(ours)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_output_cut_short_by_a_pipe_is_not_a_traceback() -> None:
    """``qingdan validate … | head -1`` ends quietly when head stops reading."""
    exe = Path(sys.executable).with_name("qingdan")
    out = subprocess.run(
        f"'{exe}' validate lists -f json --no-cache | head -c 10",
        shell=True,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.stdout == '{\n  "versi'
    assert "Traceback" not in out.stderr
