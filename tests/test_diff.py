"""``qingdan diff`` and ``qingdan check`` on real list sets and real git repositories."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import SAMPLE, run_here

QINGSHUI = "townships/qingshui/territorial.yaml"
BAIHE_DUTY = "townships/baihe/duty.yaml"

RECORD = """\
batch: 2026年第1批
title: 2026年第一批清单动态调整
approval:
  authority: 青岚区委机构编制委员会
  number: 青岚编委〔2026〕3号
  date: "2026-03-02"
effective: "2026-03-10"
changes:
{entries}"""


def entry(
    kind: str, codes: str, reason: str = "根据区应急局申请，细化镇街巡查职责。", extra: str = ""
) -> str:
    return f"  - type: {kind}\n    items: [{codes}]\n    reason: {reason}\n{extra}"


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        [
            "git",
            "-c",
            "user.name=测试",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def drop_item(path: Path, code: str) -> None:
    """Remove the item block that starts with ``- code: CODE``."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - code: {code}\n")
    end = text.find("\n  - code: ", start + 1)
    path.write_text(text[:start] + (text[end + 1 :] if end != -1 else ""), encoding="utf-8")


def item_block(path: Path, code: str) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - code: {code}\n")
    end = text.find("\n  - code: ", start + 1)
    return text[start : end + 1 if end != -1 else len(text)]


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "2025版", tmp_path / "2026版"
    shutil.copytree(SAMPLE, old)
    shutil.copytree(SAMPLE, new)
    return old, new


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose ``lists/`` is the sample list set, committed once."""
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE, root / "lists")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "2025年版")
    return root


def diff_json(*args: str, cwd: Path) -> dict:
    run = run_here("diff", *args, "--format", "json", cwd=cwd)
    assert run.code == 0, run.stderr + run.stdout
    return json.loads(run.stdout)


def by_code(report: dict) -> dict[str, dict]:
    return {c["code"]: c for c in report["changes"]}


# --- what changed ---------------------------------------------------------------------------


def test_each_kind_of_change_is_classified_as_offices_do(versions: tuple[Path, Path]) -> None:
    old, new = versions
    qingshui = new / QINGSHUI
    edit(qingshui, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")  # SD-01-001
    edit(qingshui, "name: 地质灾害防治\n", "name: 地质灾害防治工作\n")  # SD-01-003
    edit(qingshui, "code: SD-01-002\n", "code: SD-01-120\n")  # same matter, new code
    block = item_block(qingshui, "SD-01-004")
    edit(qingshui, block, block.replace('category: "0102"', 'category: "0103"'))
    drop_item(new / BAIHE_DUTY, "ZR-01-001")
    added = item_block(qingshui, "SD-01-005").replace("SD-01-005", "SD-01-150")
    added = added.replace("name: ", "name: 新增事项·", 1)
    qingshui.write_text(qingshui.read_text(encoding="utf-8") + added, encoding="utf-8")

    report = diff_json(str(old), str(new), cwd=new)
    changes = by_code(report)
    assert changes["SD-01-001"]["type"] == "调整"
    assert [f["title"] for f in changes["SD-01-001"]["fields"]] == ["镇（街道）配合职责"]
    assert changes["SD-01-003"]["type"] == "更名"
    assert changes["SD-01-003"]["fields"][0]["old"] == "地质灾害防治"
    assert changes["SD-01-120"]["type"] == "更名"
    assert changes["SD-01-120"]["old_code"] == "SD-01-002"
    assert changes["SD-01-004"]["type"] == "类别变更"
    assert changes["ZR-01-001"]["type"] == "取消"
    assert changes["SD-01-150"]["type"] == "新增"
    assert "SD-01-002" not in changes  # a recode is not a removal plus an addition
    assert report["summary"]["text"] == "新增1项、取消1项、类别变更1项、更名2项、调整1项"
    # only the two files that differ were read, each on both sides (one removed item: 2 + 2)
    assert report["summary"]["files_read"] == 4


def test_unrelated_removal_and_addition_are_not_paired(versions: tuple[Path, Path]) -> None:
    old, new = versions
    qingshui = new / QINGSHUI
    drop_item(qingshui, "SD-01-001")
    other = item_block(SAMPLE / "townships/qingshui/service.yaml", "FW-01-001")
    assert other  # a service item is a different matter altogether
    added = item_block(qingshui, "SD-01-003")
    added = added.replace("SD-01-003", "SD-01-151").replace(
        "name: 地质灾害防治", "name: 城镇燃气安全巡查"
    )
    added = added.replace("地质灾害", "燃气管道")
    qingshui.write_text(qingshui.read_text(encoding="utf-8") + added, encoding="utf-8")
    changes = by_code(diff_json(str(old), str(new), cwd=new))
    assert changes["SD-01-001"]["type"] == "取消"
    assert changes["SD-01-151"]["type"] == "新增"


def test_item_moved_to_another_township(versions: tuple[Path, Path]) -> None:
    old, new = versions
    source = next(
        p for p in (new / "townships").rglob("duty.yaml") if "ZR-02-101" in p.read_text("utf-8")
    )
    target = new / (
        "townships/baihe/duty.yaml" if "baihe" not in str(source) else "townships/guihu/duty.yaml"
    )
    block = item_block(source, "ZR-02-101")
    drop_item(source, "ZR-02-101")
    target.write_text(target.read_text(encoding="utf-8") + block, encoding="utf-8")
    report = diff_json(str(old), str(new), cwd=new)
    [change] = report["changes"]
    assert change["code"] == "ZR-02-101"
    assert change["type"] == "调整"
    assert [f["title"] for f in change["fields"]] == ["所属镇街"]


def test_comment_and_order_changes_are_no_changes(versions: tuple[Path, Path]) -> None:
    old, new = versions
    qingshui = new / QINGSHUI
    edit(qingshui, "  # —— 应急管理 ——\n", "  # —— 应急管理（2026年复核）——\n")
    first, second = item_block(qingshui, "SD-01-001"), item_block(qingshui, "SD-01-002")
    text = qingshui.read_text(encoding="utf-8").replace(first + second, second + first)
    qingshui.write_text(text, encoding="utf-8")
    run = run_here("diff", str(old), str(new), "--exit-code", cwd=new)
    assert run.code == 0, run.stdout
    assert "没有变化" in run.stdout


def test_exit_code_option_and_text_highlight(versions: tuple[Path, Path]) -> None:
    old, new = versions
    edit(new / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    plain = run_here("diff", str(old), str(new), cwd=new)
    assert plain.code == 0
    flagged = run_here("diff", str(old), str(new), "--exit-code", cwd=new)
    assert flagged.code == 1
    # without colour the edit is marked the way git diff --word-diff marks it
    assert "宣传{+教育和+}引导" in plain.stdout
    assert "调整1项" in plain.stdout
    assert f"{QINGSHUI}:8" in plain.stdout


def test_markdown_for_a_pull_request(versions: tuple[Path, Path]) -> None:
    old, new = versions
    edit(new / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    edit(new / QINGSHUI, "name: 地质灾害防治\n", "name: 地质灾害防治|工作\n")
    run = run_here("diff", str(old), str(new), "--format", "markdown", cwd=new)
    assert run.code == 0
    assert "**更名1项、调整1项**" in run.stdout
    assert (
        "| 调整 | 清水镇 | 属地管理事项清单 | SD-01-001 | 工矿商贸企业安全生产监管 |" in run.stdout
    )
    assert "宣传<ins>教育和</ins>引导" in run.stdout
    assert "地质灾害防治\\|工作" in run.stdout  # a pipe cannot break the table


def test_files_that_the_splitter_does_not_take_still_diff(versions: tuple[Path, Path]) -> None:
    old, new = versions
    # flow style and a key after items: the splitter refuses, the whole file is parsed
    for side in versions:
        path = side / "townships/qingshui/flow.yaml"
        path.write_text(
            "kind: duty\nunit: 清水镇\nitems: [{code: ZR-09-001, name: 旧名称, category: '0101'}]\n",
            encoding="utf-8",
        )
    edit(new / "townships/qingshui/flow.yaml", "旧名称", "新名称")
    changes = by_code(diff_json(str(old), str(new), cwd=new))
    assert changes["ZR-09-001"]["type"] == "更名"


def test_two_single_files(versions: tuple[Path, Path]) -> None:
    old, new = versions
    edit(new / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    report = diff_json(str(old / QINGSHUI), str(new / QINGSHUI), cwd=new)
    assert [c["code"] for c in report["changes"]] == ["SD-01-001"]


# --- git revisions ----------------------------------------------------------------------------


def test_git_revisions_without_checkout(repo: Path) -> None:
    lists = repo / "lists"
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    git(repo, "commit", "-qam", "调整")
    drop_item(lists / BAIHE_DUTY, "ZR-01-001")  # uncommitted

    committed = by_code(diff_json("HEAD~1", "HEAD", cwd=lists))
    assert set(committed) == {"SD-01-001"}
    working = by_code(diff_json("HEAD", cwd=lists))  # one side: the working tree
    assert set(working) == {"ZR-01-001"}
    both = by_code(diff_json("HEAD~1", "-C", "lists", cwd=repo))
    assert set(both) == {"SD-01-001", "ZR-01-001"}
    assert by_code(diff_json(cwd=lists)) == working  # nothing named: HEAD against the working tree
    # nothing was checked out: the working tree still has the uncommitted removal
    assert "ZR-01-001" not in (lists / BAIHE_DUTY).read_text(encoding="utf-8")
    assert git(repo, "status", "--porcelain").strip() == f"M lists/{BAIHE_DUTY}"


def test_revision_locations_name_the_revision(repo: Path) -> None:
    lists = repo / "lists"
    drop_item(lists / BAIHE_DUTY, "ZR-01-001")
    run = run_here("diff", "HEAD", cwd=lists)
    assert f"HEAD:lists/{BAIHE_DUTY}:8" in run.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("no-such-rev",), "既不是文件或文件夹，也不是这个 git 仓库中的版本"),
        (("HEAD", "x.xlsx"), "既不是文件或文件夹"),
    ],
)
def test_bad_revisions_are_clear_errors(repo: Path, args: tuple[str, ...], message: str) -> None:
    run = run_here("diff", *args, cwd=repo / "lists")
    assert run.code == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_outside_git_is_a_clear_error(versions: tuple[Path, Path]) -> None:
    _, new = versions
    run = run_here("diff", "HEAD~1", cwd=new)
    assert run.code == 2
    assert "不在 git 仓库中" in run.stderr


def test_broken_file_in_a_version_is_reported_with_its_line(versions: tuple[Path, Path]) -> None:
    old, new = versions
    edit(new / QINGSHUI, "    name: 地质灾害防治\n", "    name: 地质灾害防治\n   bad: [\n")
    run = run_here("diff", str(old), str(new), cwd=new)
    assert run.code == 2
    assert "无法比对" in run.stdout
    assert f"{QINGSHUI}:" in run.stdout
    assert "Traceback" not in run.stderr


# --- change records and check ---------------------------------------------------------------


def write_record(lists: Path, entries: str, name: str = "2026-01.yaml") -> Path:
    path = lists / "changes" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(RECORD.format(entries=entries), encoding="utf-8")
    return path


def test_records_are_validated_like_lists(versions: tuple[Path, Path]) -> None:
    _, lists = versions
    body = entry("调整", "SD-01-001", extra="    units: [清水镇, 不存在镇]\n")
    body += "  - type: 取消\n    items: [ZR-01-001, XX-1]\n    reason: 撤销。\n"
    path = write_record(lists, body)
    edit(path, "青岚编委〔2026〕3号", "青岚编委[2026]3号")
    write_record(lists, "  - type: 取消\n    items: [ZR-01-001, bad code]\n", "2026-02.yaml")
    run = run_here("validate", "--format", "json", cwd=lists)
    assert run.code == 1
    found = {(f["code"], f["file"], f["line"]) for f in json.loads(run.stdout)["findings"]}
    assert found == {
        ("rule.document-number", "changes/2026-01.yaml", 5),
        ("rule.unknown-department", "changes/2026-01.yaml", 12),
        ("change.bad-code", "changes/2026-01.yaml", 14),
        ("schema.required", "changes/2026-02.yaml", 9),  # no reason
        ("schema.pattern", "changes/2026-02.yaml", 10),  # a code with a space
    }


def test_check_fails_for_an_uncovered_change_and_passes_with_a_record(repo: Path) -> None:
    lists = repo / "lists"
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    run = run_here("check", "--base", "HEAD", cwd=lists)
    assert run.code == 1
    assert "change.uncovered" in run.stdout
    assert f"{QINGSHUI}\n" in run.stdout and "8:1" in run.stdout
    assert "没有调整记录" in run.stdout

    write_record(lists, entry("调整", "SD-01-001", extra="    units: [清水镇]\n"))
    passed = run_here("check", "--base", "HEAD", cwd=lists)
    assert passed.code == 0, passed.stdout
    assert "检查通过" in passed.stdout


def test_check_reports_records_whose_items_did_not_change(repo: Path) -> None:
    lists = repo / "lists"
    path = write_record(lists, entry("调整", "SD-01-001, SD-01-002"))
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    run = run_here("check", "--base", "HEAD", "--format", "json", cwd=lists)
    assert run.code == 1
    unused = [f for f in json.loads(run.stdout)["findings"] if f["code"] == "change.unused"]
    assert [(f["item"], f["line"], f["file"]) for f in unused] == [
        ("SD-01-002", 10, "changes/2026-01.yaml")
    ]
    assert path.exists()


def test_an_old_record_does_not_approve_a_new_change(repo: Path) -> None:
    lists = repo / "lists"
    write_record(lists, entry("调整", "SD-01-001"))
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "第1批")
    edit(lists / QINGSHUI, "宣传教育和引导", "宣传教育引导")
    run = run_here("check", "--base", "HEAD", cwd=lists)
    assert run.code == 1
    assert "change.uncovered" in run.stdout


def test_recall_record_names_the_removal_and_type_mismatch_warns(repo: Path) -> None:
    lists = repo / "lists"
    drop_item(lists / BAIHE_DUTY, "ZR-01-001")
    edit(lists / QINGSHUI, "name: 地质灾害防治\n", "name: 地质灾害防治工作\n")
    body = entry("收回", "ZR-01-001", reason="区委组织部收回该事项。") + entry("新增", "SD-01-003")
    write_record(lists, body)
    run = run_here("check", "--base", "HEAD", "--format", "json", cwd=lists)
    report = json.loads(run.stdout)
    assert run.code == 0, run.stdout  # warnings only
    assert report["diff"]["summary"]["text"] == "收回1项、更名1项"
    warnings = [f["code"] for f in report["findings"] if f["severity"] == "warning"]
    assert "change.type-mismatch" in warnings
    assert run_here("check", "--base", "HEAD", "--strict", cwd=lists).code == 1


def test_check_for_github_writes_annotations_and_a_step_summary(repo: Path) -> None:
    lists = repo / "lists"
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    summary = repo.parent / "summary.md"
    run = run_here(
        "check",
        "-b",
        "HEAD",
        "--format",
        "github",
        cwd=lists,
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert run.code == 1
    assert f"::error file={QINGSHUI},line=8,col=1,title=change.uncovered::SD-01-001" in run.stdout
    text = summary.read_text(encoding="utf-8")
    assert "## ❌ 清单检查" in text
    assert "| 调整 | 清水镇 | 属地管理事项清单 | SD-01-001 |" in text


def test_revision_table_is_written_with_approvals(repo: Path) -> None:
    lists = repo / "lists"
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    write_record(lists, entry("调整", "SD-01-001"))
    out = repo.parent / "修订对照表.xlsx"
    run = run_here("diff", "HEAD", "-o", str(out), cwd=lists)
    assert run.code == 0, run.stderr
    sheet = openpyxl.load_workbook(out).active
    values = [str(c.value or "") for row in sheet.iter_rows() for c in row]
    assert "SD-01-001" in values
    assert any("青岚编委〔2026〕3号" in v for v in values)
    assert any("细化镇街巡查职责" in v for v in values)


def test_record_that_lists_fields_warns_about_other_fields(repo: Path) -> None:
    lists = repo / "lists"
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    edit(lists / QINGSHUI, "flow: [发现, 报告, 处置, 反馈]", "flow: [发现, 报告, 处置]")
    write_record(lists, entry("调整", "SD-01-001", extra="    fields: [township_duty]\n"))
    run = run_here("check", "--base", "HEAD", "--format", "json", cwd=lists)
    assert run.code == 0, run.stdout
    [warning] = [f for f in json.loads(run.stdout)["findings"] if f["severity"] == "warning"]
    assert warning["code"] == "change.fields-mismatch"
    assert "运行流程" in warning["message"]
    assert (warning["file"], warning["line"]) == ("changes/2026-01.yaml", 9)


def test_unreadable_file_is_not_reported_as_removed_items(repo: Path) -> None:
    lists = repo / "lists"
    edit(lists / QINGSHUI, "    lead: 区应急局\n", "      lead: 区应急局\n")  # bad indentation
    run = run_here("check", "--base", "HEAD", "--format", "json", cwd=lists)
    report = json.loads(run.stdout)
    assert run.code == 1
    codes = {f["code"] for f in report["findings"]}
    assert "yaml.syntax" in codes
    assert "change.uncovered" not in codes
    assert report["diff"]["changes"] == []


def test_first_commit_is_only_validated(tmp_path: Path) -> None:
    root = tmp_path / "new"
    shutil.copytree(SAMPLE, root)
    git(root, "init", "-q")
    run = run_here("check", "--base", "HEAD", cwd=root)
    assert run.code == 0, run.stdout + run.stderr
    assert "还没有任何提交" in run.stdout


def test_github_annotations_are_relative_to_the_workspace(repo: Path) -> None:
    lists = repo / "lists"
    (lists / "townships/shiqiao/service.yaml").unlink()
    run = run_here(
        "check",
        "--base",
        "HEAD",
        "--format",
        "github",
        cwd=lists,
        env={"GITHUB_WORKSPACE": str(repo)},
    )
    assert run.code == 1
    lines = [line for line in run.stdout.splitlines() if "change.uncovered" in line]
    assert lines
    assert all(
        line.startswith("::error file=lists/townships/shiqiao/service.yaml,") for line in lines
    )


def test_a_piece_the_splitter_misreads_falls_back_to_the_whole_file(
    versions: tuple[Path, Path],
) -> None:
    old, new = versions
    # a quoted name continued on a line that looks like a new item: PyYAML reads one item
    tricky = '  - code: ZR-09-001\n    name: "基层党组织\n  - 建设"\n    category: "0101"\n'
    for side in versions:
        path = side / BAIHE_DUTY
        path.write_text(path.read_text(encoding="utf-8") + tricky, encoding="utf-8")
    edit(new / BAIHE_DUTY, "name: 党员发展和教育管理", "name: 党员发展和教育管理工作")
    changes = by_code(diff_json(str(old), str(new), cwd=new))
    assert set(changes) == {"ZR-01-002"}
    assert changes["ZR-01-002"]["type"] == "更名"


@pytest.mark.parametrize("path", sorted(SAMPLE.rglob("townships/*/*.yaml")), ids=str)
def test_split_pieces_hold_exactly_the_items_at_their_lines(path: Path) -> None:
    from qingdan.listtext import split

    raw = path.read_bytes()
    pieces = split(raw)
    assert pieces is not None
    expected = yaml.safe_load(raw)["items"]
    assert [pieces.item(i) for i in pieces.keep] == expected
    lines = raw.decode("utf-8").splitlines()
    assert all(lines[n - 1].startswith("  - code:") for n in pieces.lines())


def test_staged_check_counts_only_what_the_commit_will_hold(repo: Path) -> None:
    lists = repo / "lists"
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    git(repo, "add", "-A")
    write_record(lists, entry("调整", "SD-01-001"))  # written, but not git add-ed
    assert run_here("check", "--base", "HEAD", cwd=lists).code == 0  # the folder has it
    staged = run_here("check", "--base", "HEAD", "--staged", cwd=lists)
    assert staged.code == 1
    assert "change.uncovered" in staged.stdout
    assert f"{QINGSHUI}\n" in staged.stdout  # located in the working tree, where an editor is
    git(repo, "add", "-A")
    assert run_here("check", "--base", "HEAD", "--staged", cwd=lists).code == 0


def test_a_category_change_names_both_categories(versions: tuple[Path, Path]) -> None:
    old, new = versions
    block = item_block(new / QINGSHUI, "SD-01-004")
    edit(new / QINGSHUI, block, block.replace('category: "0102"', 'category: "0103"'))
    [change] = diff_json(str(old), str(new), cwd=new)["changes"]
    assert change["type"] == "类别变更"
    assert [(f["old"], f["new"]) for f in change["fields"]] == [("0102 防灾减灾", "0103 消防安全")]


def test_a_file_and_a_list_set_are_not_compared(versions: tuple[Path, Path]) -> None:
    old, new = versions
    run = run_here("diff", str(old / QINGSHUI), str(new), cwd=new)
    assert run.code == 2
    assert "同为单个清单文件" in run.stderr
