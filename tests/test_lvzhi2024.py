"""The 2024 national preset ``lvzhi2024`` on its sample set examples/lvzhi2024/: every command
works on it unchanged, through the real entry point."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import REPO, load_yaml, run_here

SAMPLE = REPO / "examples" / "lvzhi2024"
TOWNSHIP = "白沙镇"
KINDS = {"jiben": 117, "peihe": 99, "shouhui": 124}
"""The township's resolved sizes: the national averages (DOMAIN.md §1)."""
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]


def _load(path: Path) -> Any:
    return load_yaml(path)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lvzhi2024")


@pytest.fixture(scope="module")
def resolved(work: Path) -> Path:
    out = work / "resolved"
    run = run_here("resolve", str(SAMPLE), "-o", str(out), cwd=work)
    assert run.code == 0, run.stdout + run.stderr
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The sample set committed to a fresh git repository."""
    root = tmp_path / "set"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("resolved", "generate.py"))
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "2025年版"], cwd=root, check=True)
    return root


@pytest.mark.parametrize("root", [SAMPLE, SAMPLE / "catalog"], ids=["township", "catalog"])
def test_the_sample_validates_clean_under_strict(work: Path, root: Path) -> None:
    run = run_here("validate", str(root), "--strict", "--no-cache", cwd=work)
    assert run.code == 0, run.stdout + run.stderr
    assert "没有发现问题" in run.stdout


def test_the_catalog_is_what_the_committed_script_writes(tmp_path: Path) -> None:
    """The bulk of the catalog is generated: running the script again changes nothing."""
    copy = tmp_path / "lvzhi2024"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("resolved"))
    for path in (copy / "catalog" / "mulu").glob("*.yaml"):
        path.unlink()
    subprocess.run([sys.executable, str(copy / "generate.py")], cwd=tmp_path, check=True)
    for path in sorted((SAMPLE / "catalog" / "mulu").glob("*.yaml")):
        assert (copy / "catalog" / "mulu" / path.name).read_text("utf-8") == path.read_text(
            "utf-8"
        ), path.name


def test_the_township_resolves_to_the_national_average_sizes(resolved: Path) -> None:
    """Resolved, 白沙镇 has 117 + 99 + 124 items, 党的建设 first, each kind in its own codes."""
    run = run_here("validate", str(resolved), "--strict", "--no-cache", cwd=resolved)
    assert run.code == 0, run.stdout + run.stderr
    for kind, count in KINDS.items():
        data = _load(resolved / "townships" / "baisha" / f"{kind}.yaml")
        assert (data["kind"], data["unit"]) == (kind, TOWNSHIP)
        items = data["items"]
        assert len(items) == count, kind
        prefix = {"jiben": "JB", "peihe": "PH", "shouhui": "SH"}[kind]
        assert all(item["code"].startswith(prefix + "-") for item in items)
    first = _load(resolved / "townships" / "baisha" / "jiben.yaml")["items"][0]
    assert first["category"] == "01"
    tree = _load(SAMPLE / "catalog" / "categories" / "jiben.yaml")["categories"]
    assert tree[0] == {"code": "01", "name": "党的建设"}


def test_stats_count_what_the_township_changed(work: Path) -> None:
    run = run_here("stats", str(SAMPLE), "--format", "json", cwd=work)
    assert run.code == 0, run.stderr
    rows = [r for r in json.loads(run.stdout)["rows"] if r["unit"] == TOWNSHIP]
    parts = ("inherited", "local", "modified", "added")
    totals = {k: sum(r[p] for r in rows if r["kind"] == k for p in parts) for k in KINDS}
    assert totals == KINDS
    added = {k: sum(r["added"] for r in rows if r["kind"] == k) for k in KINDS}
    assert added == {"jiben": 2, "peihe": 1, "shouhui": 0}
    table = run_here("stats", str(SAMPLE), cwd=work)
    assert "白沙镇 · 上级部门收回事项清单" in table.stdout
    assert "党的建设" in table.stdout.split("白沙镇 · 基本履职事项清单")[1].splitlines()[4]


def test_a_peihe_item_names_exactly_one_upper_department(tmp_path: Path) -> None:
    """One 对应上级部门 per 配合 item, and 收回 items name their 承接部门: both from the
    preset's schema, with the field's Chinese title and the place in the file."""
    root = tmp_path / "set"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("resolved", "generate.py"))
    peihe = root / "catalog" / "mulu" / "peihe.yaml"
    text = peihe.read_text("utf-8")
    peihe.write_text(
        text.replace("department: 县委组织部\n", "department: [县委组织部, 县委宣传部]\n", 1),
        "utf-8",
    )
    shouhui = root / "catalog" / "mulu" / "shouhui.yaml"
    text = shouhui.read_text("utf-8")
    shouhui.write_text(text.replace("    receiver: 县市场监管局\n", "", 1), "utf-8")
    run = run_here("validate", str(root / "catalog"), "--no-cache", cwd=tmp_path)
    assert run.code == 1
    files = dict(part.split("\n", 1) for part in run.stdout.split("\n\n")[:2])
    one = files["set/catalog/mulu/peihe.yaml"].strip()
    assert one.startswith("11:17") and "PH-01-001 对应上级部门" in one and "应为文本" in one
    receiver = files["set/catalog/mulu/shouhui.yaml"].strip()
    assert "SH-02-001" in receiver and "缺少必填字段“承接部门”" in receiver


def test_a_receiving_department_must_be_a_county_department(tmp_path: Path) -> None:
    root = tmp_path / "set"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("resolved", "generate.py"))
    shouhui = root / "catalog" / "mulu" / "shouhui.yaml"
    text = shouhui.read_text("utf-8")
    shouhui.write_text(text.replace("receiver: 县市场监管局", "receiver: 白沙镇", 1), "utf-8")
    run = run_here("validate", str(root / "catalog"), "--no-cache", cwd=tmp_path)
    assert run.code == 1
    assert "rule.department-type" in run.stdout and "承接部门" in run.stdout


def test_export_xlsx_prints_the_kinds_chinese_columns(work: Path) -> None:
    out = work / "履职清单.xlsx"
    run = run_here("export", "xlsx", str(SAMPLE), "-o", str(out), cwd=work)
    assert run.code == 0, run.stdout + run.stderr
    book = load_workbook(out, read_only=True)
    heads = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True, max_row=6))
        head = next(r for r in rows if r and "事项名称" in r)
        heads[sheet.title] = [c for c in head if c]
        assert sheet.max_row > 99
    joined = json.dumps(heads, ensure_ascii=False)
    for title in ("对应上级部门", "上级部门职责", "乡镇（街道）配合职责", "承接部门", "收回理由"):
        assert title in joined, title
    assert "收回后的履职方式" in joined


def test_export_book_has_the_three_lists_in_order(work: Path) -> None:
    from pypdf import PdfReader

    out = work / "履职清单.pdf"
    run = run_here("export", "book", str(SAMPLE), "-o", str(out), cwd=work)
    assert run.code == 0, run.stdout + run.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages[:3])
    names = ("白沙镇基本履职事项清单", "白沙镇配合履职事项清单", "白沙镇上级部门收回事项清单")
    places = [text.find(name) for name in names]
    assert all(p >= 0 for p in places) and places == sorted(places), text[:400]
    assert text.find("（一）党的建设") < text.find("（二）经济发展")


def test_diff_and_check_see_a_catalog_change_in_the_township(repo: Path) -> None:
    """A change to the county catalog reaches 白沙镇's resolved list: diff reports it, and
    check wants a change record for it."""
    catalog = repo / "catalog" / "mulu" / "peihe.yaml"
    text = catalog.read_text("utf-8")
    start = text.index("\n    township_duty: ", text.index("code: PH-01-002"))
    end = text.index("\n", start + 1)
    catalog.write_text(text[:end] + "（县级新增要求）" + text[end:], "utf-8")
    working = json.loads(run_here("diff", "HEAD", "--format", "json", cwd=repo).stdout)
    changes = [c for c in working["changes"] if c["unit"] == TOWNSHIP]
    assert [(c["code"], c["type"]) for c in changes] == [("PH-01-002", "调整")]

    subprocess.run([*GIT, "commit", "-qam", "县级调整"], cwd=repo, check=True)
    check = run_here("check", "--base", "HEAD~1", cwd=repo)
    assert check.code == 1
    uncovered = [line for line in check.stdout.splitlines() if line.endswith("change.uncovered")]
    assert len(uncovered) == 1 and "PH-01-002" in uncovered[0], check.stdout


def test_the_department_index_reads_each_fields_responsibility(work: Path) -> None:
    """x-qingdan.answers: a 配合 item's 对应上级部门 is listed as 主体, the township office that
    carries it out as 配合; in a 基本履职 item the office holds 主体."""
    out = work / "履职清单.html"
    run = run_here("export", "book", str(SAMPLE), "-o", str(out), cwd=work)
    assert run.code == 0, run.stdout + run.stderr
    html = out.read_text("utf-8")

    def rows(department: str) -> set[tuple[str, str]]:
        start = html.index(f"<h4>{department}</h4>")
        section = html[start : html.index("</table>", start)]
        found = re.findall(r"<tr><td>(牵头|主体|配合)</td><td>[^<]*</td><td>([A-Z]{2})-", section)
        return set(found)

    assert rows("党建工作办公室") == {("主体", "JB"), ("配合", "PH")}
    assert rows("县委组织部") == {("主体", "PH")}
    assert rows("县市场监管局") == {("主体", "PH"), ("主体", "SH")}
