"""``check --draft``: change records drafted for the user, and what record messages explain."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import SAMPLE, run_here
from test_diff import BAIHE_DUTY, QINGSHUI, drop_item, edit, entry, git, write_record

DRAFT = "changes/2026-02.yaml"
FILLED = {
    "batch: 待填写": "batch: 2026年第2批",
    "authority: 待填写": "authority: 青岚区委机构编制委员会",
    "number: 待填写": "number: 青岚编委〔2026〕5号",
    "date: 待填写": 'date: "2026-04-01"',
    "reason: 待填写": "reason: 根据区应急局申请调整。",
}


@pytest.fixture
def lists(tmp_path: Path) -> Path:
    """The sample list set in ``lists/`` of a git repository, committed once, with no records."""
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE, repo / "lists")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "2025年版")
    return repo / "lists"


def change_lists(lists: Path) -> None:
    """One field edited in 清水镇, one item removed in 白鹤镇, one item renamed."""
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    edit(lists / QINGSHUI, "name: 地质灾害防治\n", "name: 地质灾害防治工作\n")
    drop_item(lists / BAIHE_DUTY, "ZR-01-001")


def fill_in(path: Path) -> None:
    text = path.read_text("utf-8")
    for old, new in FILLED.items():
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def findings(*args: str, cwd: Path) -> tuple[int, list[dict]]:
    run = run_here(*args, "--format", "json", "--no-cache", cwd=cwd)
    return run.code, json.loads(run.stdout)["findings"]


def test_a_draft_is_written_reported_until_filled_in_and_then_passes(lists: Path) -> None:
    change_lists(lists)
    run = run_here("check", "--base", "HEAD", "--draft", DRAFT, cwd=lists)
    assert run.code == 1  # the changes are still not approved
    assert "已写出调整记录草稿 changes/2026-02.yaml：3 处变化各一条" in run.stderr
    draft = yaml.safe_load((lists / DRAFT).read_text("utf-8"))
    entries = {tuple(e["items"]): e for e in draft["changes"]}
    assert {k: (e["type"], e.get("units")) for k, e in entries.items()} == {
        ("SD-01-001",): ("调整", ["清水镇"]),
        ("SD-01-003",): ("更名", ["清水镇"]),
        ("ZR-01-001",): ("取消", ["白鹤镇"]),
    }
    modified = entries[("SD-01-001",)]
    assert modified["fields"] == ["township_duty"]
    assert "开展安全生产宣传引导" in modified["content"]
    assert "开展安全生产宣传教育和引导" in modified["content"]
    assert {e["reason"] for e in draft["changes"]} == {"待填写"}
    assert draft["approval"] == {"authority": "待填写", "number": "待填写", "date": "待填写"}

    code, found = findings("validate", cwd=lists)
    assert code == 1
    placeholders = [(f["field"], f["item"]) for f in found if f["code"] == "change.placeholder"]
    assert sorted(placeholders) == sorted(
        [
            ("调整批次", None),
            ("批准机关", None),
            ("批准文号", None),
            ("批准日期", None),
            ("调整事项·调整理由", "SD-01-001"),
            ("调整事项·调整理由", "SD-01-003"),
            ("调整事项·调整理由", "ZR-01-001"),
        ]
    )
    # the rest of the draft is valid (the rename leaves a warning on the list, not the draft)
    assert {f["code"] for f in found} == {"change.placeholder", "rule.code-reused"}
    code, found = findings("check", "--base", "HEAD", cwd=lists)
    assert code == 1
    assert {f["code"] for f in found} == {"change.placeholder", "rule.code-reused"}

    fill_in(lists / DRAFT)
    code, found = findings("check", "--base", "HEAD", cwd=lists)
    assert (code, [f["code"] for f in found]) == (0, ["rule.code-reused"])  # types, fields fit
    assert "检查通过" in run_here("check", "--base", "HEAD", cwd=lists).stdout


def test_an_unfilled_draft_is_redrafted_but_a_record_is_never_overwritten(lists: Path) -> None:
    change_lists(lists)
    assert run_here("check", "--base", "HEAD", "--draft", DRAFT, cwd=lists).code == 1
    edit(lists / QINGSHUI, "name: 地质灾害防治工作\n", "name: 地质灾害防治\n")  # one change undone
    again = run_here("check", "--base", "HEAD", "--draft", DRAFT, cwd=lists)
    assert "2 处变化各一条" in again.stderr, again.stderr
    assert len(yaml.safe_load((lists / DRAFT).read_text("utf-8"))["changes"]) == 2

    fill_in(lists / DRAFT)
    filled = (lists / DRAFT).read_bytes()
    refused = run_here("check", "--base", "HEAD", "--draft", DRAFT, cwd=lists)
    assert refused.code == 2
    assert refused.stderr.startswith("错误：") and "为免覆盖已有的调整记录" in refused.stderr
    assert (lists / DRAFT).read_bytes() == filled


def test_a_draft_is_not_written_where_it_cannot_go(lists: Path) -> None:
    change_lists(lists)
    for target, says in [
        ("townships/2026-02.yaml", "清单目录"),
        ("qingdan.yaml", "配置文件"),
        ("missing/2026-02.yaml", "文件夹 missing 不存在"),
        ("changes/2026-02.txt", "只能写成 .yaml 文件"),
    ]:
        run = run_here("check", "--base", "HEAD", "--draft", target, cwd=lists)
        assert run.code == 2 and says in run.stderr, (target, run.stderr)
        assert "Traceback" not in run.stderr
    assert not (lists / "townships/2026-02.yaml").exists()
    assert not (lists / "missing").exists()


def test_uncovered_changes_point_to_the_draft_option(lists: Path) -> None:
    change_lists(lists)
    _, found = findings("check", "--base", "HEAD", cwd=lists)
    [message, *_] = [f["message"] for f in found if f["code"] == "change.uncovered"]
    assert "qingdan check --base HEAD --draft changes/" in message
    assert "qingdan explain change.uncovered" in message
    assert "docs/changes.md" not in message  # a pip user has no docs folder


def test_a_record_committed_after_its_change_is_explained_by_the_base(lists: Path) -> None:
    """The change went into the last commit and the record comes separately: --base HEAD no
    longer sees the change, and the message says which --base to use instead."""
    repo = lists.parent
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    git(repo, "commit", "-qam", "修改清水镇属地管理事项")
    write_record(lists, entry("调整", "SD-01-001", extra="    units: [清水镇]\n"))
    code, found = findings("check", "--base", "HEAD", cwd=lists)
    [unused] = [f for f in found if f["code"] == "change.unused"]
    assert code == 1
    assert "已经包含在 --base 版本 HEAD 中" in unused["message"]
    assert "HEAD~1" in unused["message"]
    code, found = findings("check", "--base", "HEAD~1", cwd=lists)
    assert (code, found) == (0, [])


def test_the_derive_word_as_a_record_type_gets_one_finding(lists: Path) -> None:
    drop_item(lists / BAIHE_DUTY, "ZR-01-001")
    write_record(lists, entry("不采用", "ZR-01-001", extra="    units: [白鹤镇]\n"))
    code, found = findings("check", "--base", "HEAD", cwd=lists)
    assert code == 1
    assert [(f["code"], f["item"], f["line"]) for f in found] == [
        ("change.derive-word", "ZR-01-001", 9)
    ]
    assert "请写“取消”" in found[0]["message"]


def test_no_draft_is_written_when_nothing_needs_a_record(lists: Path) -> None:
    run = run_here("check", "--base", "HEAD", "--draft", DRAFT, cwd=lists)
    assert run.code == 0, run.stdout + run.stderr
    assert "与 HEAD 相比没有变化，没有写出草稿" in run.stderr
    assert not (lists / DRAFT).parent.exists()
