"""准入 records through the CLI on the lvzhi2024 sample: what validate, its cache and check make of
them. The findings of each record field are data-driven cases (cases/validate/admission-records)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, load_yaml, run_here

SAMPLE = REPO / "examples" / "lvzhi2024"
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
RECORD = Path("admissions") / "ZR-2025-03.yaml"
"""白沙镇's 阶段性 record behind its added 配合 item PH-05-101 (ends 2028-12-31)."""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("resolved", "generate.py"))
    return root


def _codes(run_stdout: str) -> list[tuple[str, str | None]]:
    return [(f["code"], f["item"]) for f in json.loads(run_stdout)["findings"]]


def _git(root: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=root, check=True, capture_output=True)


def test_every_item_the_township_adds_cites_an_approved_record() -> None:
    records = {}
    for path in (SAMPLE / "admissions").glob("*.yaml"):
        data = load_yaml(path)
        records[data["id"]] = data
    for path in (SAMPLE / "townships").rglob("*.yaml"):
        for op in load_yaml(path)["derive"].get("add", []):
            record = records[op["item"]["admission"]]
            assert record["status"] in ("审批", "进入") and "approval" in record, path


def test_the_days_before_a_record_ends_warn_and_after_it_is_an_error(sample: Path) -> None:
    before = run_here("validate", "--today", "2028-12-10", "--format", "json", cwd=sample)
    assert before.code == 0 and _codes(before.stdout) == [("admission.expiring", "PH-05-101")]
    strict = run_here("validate", "--today", "2028-12-10", "--strict", cwd=sample)
    assert strict.code == 1
    after = run_here("validate", "--today", "2029-01-01", "--format", "json", cwd=sample)
    assert after.code == 1 and _codes(after.stdout) == [("admission.expired", "PH-05-101")]
    found = json.loads(after.stdout)["findings"][0]
    assert found["file"] == "townships/baisha/peihe.yaml" and found["line"] == 31
    bad = run_here("validate", "--today", "明天", cwd=sample)
    assert bad.code == 2 and bad.stderr.startswith("错误：")


def test_a_changed_record_is_seen_through_the_cache(sample: Path, tmp_path: Path) -> None:
    """The records are inputs of the cache fingerprint: withdrawing approval shows at once."""
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    first = run_here("validate", "--format", "json", cwd=sample, env=env)
    assert first.code == 0 and _codes(first.stdout) == []
    record = sample / "admissions" / "ZR-2025-01.yaml"
    record.write_text(record.read_text("utf-8").replace("status: 进入", "status: 审核"), "utf-8")
    second = run_here("validate", "--format", "json", cwd=sample, env=env)
    assert second.code == 1
    assert _codes(second.stdout) == [("admission.not-approved", "JB-05-101")]


def test_without_an_admissions_folder_added_items_need_no_record(sample: Path) -> None:
    """A set that keeps no 准入 records (the sanzhang sample) is not asked for them."""
    shutil.rmtree(sample / "admissions")
    run = run_here("validate", "--strict", "--no-cache", cwd=sample)
    assert run.code == 0, run.stdout
    peihe = sample / "townships" / "baisha" / "peihe.yaml"
    peihe.write_text(
        peihe.read_text("utf-8").replace("        admission: ZR-2025-03\n", ""), "utf-8"
    )
    assert run_here("validate", "--strict", "--no-cache", cwd=sample).code == 0
    (sample / "admissions").mkdir()
    run = run_here("validate", "--format", "json", "--no-cache", cwd=sample)
    assert ("admission.missing", "PH-05-101") in _codes(run.stdout)


def test_check_wants_a_record_for_an_item_that_expired(sample: Path) -> None:
    """An expired item still listed is a change nobody recorded; removing it with a 取消
    record passes."""
    _git(sample, "init", "-q")
    _git(sample, "add", "-A")
    _git(sample, "commit", "-qm", "2025年版")
    record = sample / RECORD
    record.write_text(record.read_text("utf-8").replace("2028-12-31", "2025-12-31"), "utf-8")
    _git(sample, "commit", "-qam", "过渡期提前结束")

    run = run_here("check", "--base", "HEAD~1", "--format", "json", cwd=sample)
    assert run.code == 1
    codes = _codes(run.stdout)
    assert ("change.expired-listed", "PH-05-101") in codes
    assert ("admission.expired", "PH-05-101") in codes

    peihe = sample / "townships" / "baisha" / "peihe.yaml"
    text = peihe.read_text("utf-8")
    start, end = text.index("  add:\n"), text.index("  omit:\n")
    peihe.write_text(text[:start] + text[end:], "utf-8")
    (sample / "changes").mkdir()
    (sample / "changes" / "2026-01.yaml").write_text(
        """batch: 2026年第1批
approval: {authority: 临江县人民政府, number: 临府函〔2026〕2号, date: "2026-01-05"}
changes:
  - type: 取消
    items: [PH-05-101]
    units: [白沙镇]
    reason: 禁捕退捕过渡期结束，准入记录 ZR-2025-03 期满退出。
""",
        "utf-8",
    )
    passed = run_here("check", "--base", "HEAD~1", cwd=sample)
    assert passed.code == 0, passed.stdout


def test_stats_and_the_book_count_an_expired_item_as_exited(sample: Path) -> None:
    record = sample / RECORD
    record.write_text(record.read_text("utf-8").replace("2028-12-31", "2025-12-31"), "utf-8")
    run = run_here("stats", "--format", "json", cwd=sample)
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["columns"][4] == "退出"
    rows = [r for r in data["rows"] if r["kind"] == "peihe" and r["exited"]]
    assert [(r["category"], r["exited"], r["added"]) for r in rows] == [("乡村振兴", 1, 0)]
    table = run_here("stats", cwd=sample).stdout
    assert "准入期满退出1项" in table and "增加0项个性化事项" in table.split("配合履职")[1]

    out = sample / "书.html"
    assert run_here("export", "book", "-o", str(out), cwd=sample).code == 0
    html = out.read_text("utf-8")
    assert "<th>退出</th>" in html
    assert (
        "<tr><td>白沙镇配合履职事项清单</td><td>96</td><td>0</td><td>2</td><td>0</td><td>1</td>"
        in html
    )
