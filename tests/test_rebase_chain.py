"""Upstream and local changes meet visibly: rebase after the new base is committed, and a base
change to a field that a township two levels down overrides."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, run_here
from test_diff import git

BAIHE = Path("townships/baihe/territorial.yaml")
CATALOG = Path("catalog/mulu/territorial.yaml")
OLD_DUTY = "落实“门前三包”责任制，巡查发现占道经营、乱堆乱放、乱贴乱画等行为及时劝阻并报告；协助开展市容环境专项整治。"
NEW_DUTY = OLD_DUTY + "配合做好户外广告设施安全巡查。"
LOCAL_DUTY = "落实“门前三包”责任制，巡查发现占道经营等行为及时劝阻并报告；白鹤湖景区周边每日巡查。"
OVERRIDE = f"""
    - code: SD-07-002
      set:
        township_duty: {LOCAL_DUTY}
      base:
        township_duty: {OLD_DUTY}
      reason: 结合白鹤湖景区管理要求细化巡查职责。
"""


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The sample in git; 白鹤镇 overrides SD-07-002's 配合职责 (recording the base text); then
    the city publishes 2027年版, which adds a sentence to that field, and it is committed."""
    lists = tmp_path / "repo" / "lists"
    shutil.copytree(REPO / "lists", lists)
    _replace(lists / BAIHE, "\n  modify:\n", "\n  modify:" + OVERRIDE)
    git(lists.parent, "init", "-q")
    git(lists.parent, "add", "-A")
    git(lists.parent, "commit", "-qm", "2026年版")
    _replace(lists / "catalog/qingdan.yaml", 'edition: "2026年版"', 'edition: "2027年版"')
    _replace(lists / CATALOG, OLD_DUTY, NEW_DUTY)
    git(lists.parent, "commit", "-qam", "市指导目录 2027年版")
    return lists


def _rebase(lists: Path) -> tuple[int, dict[str, Any]]:
    run = run_here("rebase", "--format", "json", cwd=lists)
    assert run.code in (0, 1), run.stdout + run.stderr
    return run.code, json.loads(run.stdout)


def test_rebase_after_committing_the_new_base(repo: Path) -> None:
    """The new edition is committed: rebase still compares with 2026年版, found in git."""
    code, report = _rebase(repo)
    assert (report["old_edition"], report["new_edition"]) == ("2026年版", "2027年版")
    assert code == 1
    assert report["conflicts"] or report["flowing"]


def test_override_two_levels_down_is_a_conflict(repo: Path) -> None:
    """City → district → 白鹤镇: the township's own 配合职责 is listed against the city's new text."""
    _, report = _rebase(repo)
    conflicts = [(c["unit"], c["code"], c["field"]) for c in report["conflicts"]]
    assert ("白鹤镇", "SD-07-002", "township_duty") in conflicts
    [conflict] = [c for c in report["conflicts"] if c["unit"] == "白鹤镇"]
    assert (conflict["base_old"], conflict["base_new"], conflict["local"]) == (
        OLD_DUTY,
        NEW_DUTY,
        LOCAL_DUTY,
    )
    assert conflict["file"].endswith(BAIHE.as_posix())
    # the district did not touch the field: for it, the change simply flows
    assert "SD-07-002" in {n["code"] for n in report["flowing"]}


def test_validate_warns_until_the_override_is_confirmed(repo: Path) -> None:
    """The recorded base text no longer matches: a warning at its line until it is updated."""
    run = run_here("validate", "-f", "json", "--no-cache", cwd=repo)
    found = json.loads(run.stdout)["findings"]
    changed = [f for f in found if f["code"] == "derive.base-changed"]
    assert [(f["item"], f["file"]) for f in changed] == [("SD-07-002", BAIHE.as_posix())]
    assert NEW_DUTY[-12:] in changed[0]["message"]

    _replace(
        repo / BAIHE, f"        township_duty: {OLD_DUTY}", f"        township_duty: {NEW_DUTY}"
    )
    run = run_here("validate", "-f", "json", "--no-cache", cwd=repo)
    assert "derive.base-changed" not in {f["code"] for f in json.loads(run.stdout)["findings"]}
    _, report = _rebase(repo)
    assert "白鹤镇" not in {c["unit"] for c in report["conflicts"]}


def test_edition_missing_from_history_says_what_to_give(repo: Path) -> None:
    _replace(repo / "qingdan.yaml", '  edition: "2026年版"', '  edition: "2025年版"')
    run = run_here("rebase", cwd=repo)
    assert run.code == 2
    assert "2025年版" in run.stderr
    assert "--from" in run.stderr
