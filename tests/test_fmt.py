"""``qingdan fmt``: the canonical layout, through the real CLI, on every sample file and on
mutated ones; the same data and findings after, comments kept, formatting twice a no-op."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, run_qingdan
from qingdan.formatting import UNPARSED, FormatError, format_text
from qingdan.validation import check_file_bytes
from test_fuzz import SAMPLES, TOKENS, listset, mutated, mutations, workspace

COMMENT = re.compile(r"^\s*#.*$", re.MULTILINE)
UNTIDY = re.compile(r"phone: (0838-[^,}\s]+)")
"""Phone numbers, which the shipped samples had in quotes (as a hand-written file often has):
they read as text without them."""
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "lists"
    shutil.copytree(REPO / "lists", root, ignore=shutil.ignore_patterns(".*", "resolved"))
    return root


def untidy(root: Path) -> list[Path]:
    """Put back quotes fmt takes out, in every list file under ``root``; the files changed."""
    changed = []
    for path in list_files(root):
        text = path.read_text("utf-8")
        quoted = UNTIDY.sub(r'phone: "\1"', text)
        if quoted != text:
            path.write_text(quoted, "utf-8")
            changed.append(path)
    return changed


def list_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.parent.name not in ("categories",))


def findings(root: Path) -> list[tuple[str, str | None, str]]:
    """What validate says, without the lines (formatting moves keys)."""
    run = run_qingdan("validate", "--format", "json", "--no-cache", cwd=root)
    data = json.loads(run.stdout)
    return sorted((f["code"], f.get("item"), f["file"]) for f in data["findings"])


def resolved(root: Path, out: Path) -> dict[str, object]:
    run = run_qingdan("resolve", "-o", str(out), "--no-cache", cwd=root)
    assert run.code == 0, run.stderr
    return {
        str(p.relative_to(out)): yaml.safe_load(p.read_text("utf-8")) for p in out.rglob("*.yaml")
    }


def test_every_sample_file_keeps_its_data_findings_and_comments(
    sample: Path, tmp_path: Path
) -> None:
    """The shipped sample (a city catalog set and the district's set deriving from it) with
    quotes put back: after fmt each file reads to the same data, the set validates to the same
    findings and resolves to the same lists, every comment is still there in its order, fmt
    again changes nothing, and each file is the shipped one again."""
    quoted = untidy(sample)
    assert quoted
    files = list_files(sample)
    before = {p: p.read_text("utf-8") for p in files}
    found_before = findings(sample)
    lists_before = resolved(sample, tmp_path / "before")
    for root in (sample, sample / "catalog"):
        run = run_qingdan("fmt", cwd=root)
        assert run.code == 0, run.stdout + run.stderr
    changed = [p for p in files if p.read_text("utf-8") != before[p]]
    assert changed == quoted
    for path in files:
        after = path.read_text("utf-8")
        assert yaml.safe_load(after) == yaml.safe_load(before[path]), path
        assert COMMENT.findall(after) == COMMENT.findall(before[path]), path
        assert after.count("\n\n") == before[path].count("\n\n"), path
    assert findings(sample) == found_before
    assert resolved(sample, tmp_path / "after") == lists_before
    for root in (sample, sample / "catalog"):
        again = run_qingdan("fmt", "--check", cwd=root)
        assert again.code == 0, again.stdout + again.stderr
    for path in files:
        shipped = REPO / "lists" / path.relative_to(sample)
        assert path.read_text("utf-8") == shipped.read_text("utf-8"), path


def test_the_shipped_samples_are_in_the_canonical_layout() -> None:
    """lists/ and examples/ (each set and its base set) as fmt writes them: what an office
    copies from the samples is what fmt --check accepts."""
    places = ("lists", "lists/catalog", "examples/lvzhi2024", "examples/lvzhi2024/catalog")
    run = run_qingdan("fmt", "--check", *places, cwd=REPO)
    assert run.code == 0, run.stdout + run.stderr
    assert run.stdout == ""
    assert re.fullmatch(r"\d+ 个文件都已是统一写法。\n", run.stderr), run.stderr


def test_a_folder_above_the_set_names_its_list_files_only(tmp_path: Path) -> None:
    """fmt examples/ from the repository: the set found below it, and its list files, not the
    base set's qingdan.yaml beside them."""
    shutil.copytree(
        REPO / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns("resolved")
    )
    config = tmp_path / "examples" / "lvzhi2024" / "catalog" / "qingdan.yaml"
    before = config.read_bytes()
    run = run_qingdan("fmt", "examples", cwd=tmp_path)
    assert run.code == 0, run.stdout + run.stderr
    assert config.read_bytes() == before
    assert "已重排 0 个文件，3 个无需改动。" in run.stderr


def test_check_lists_files_and_changes_nothing(sample: Path) -> None:
    quoted = untidy(sample / "townships" / "baihe")
    assert quoted
    before = {p: p.read_bytes() for p in list_files(sample)}
    run = run_qingdan("fmt", "--check", "townships/baihe", cwd=sample)
    assert run.code == 1
    assert run.stdout.splitlines() == [
        f"需要重排：{p.relative_to(sample).as_posix()}" for p in quoted
    ]
    assert {p: p.read_bytes() for p in list_files(sample)} == before


ITEM = """# 清水镇职责任务清单
kind: duty
unit: 清水镇
items:
  # 基层党建
  - name: 基层党组织建设
    code: ZR-01-001
    category: '01'
    duty: 加强基层党组织建设。   # 本镇原文
    tasks: [做好发展党员工作]
    basis:
        - article: 第九条
          title: 《中国共产党农村基层组织工作条例》
    office: 党政综合办公室
    phone: "0838-6200001"
    note: "yes"

  # 公共服务
  - code: ZR-05-001
    name: 退役军人服务
    category: "05"
    duty: 落实退役军人服务保障政策。
    tasks: [走访慰问]
    basis:
      - title: 《中华人民共和国退役军人保障法》
    office: 党政综合办公室
"""

FORMATTED = """# 清水镇职责任务清单
kind: duty
unit: 清水镇
items:
  # 基层党建
  - code: ZR-01-001
    name: 基层党组织建设
    category: "01"
    duty: 加强基层党组织建设。   # 本镇原文
    tasks: [做好发展党员工作]
    basis:
      - title: 《中国共产党农村基层组织工作条例》
        article: 第九条
    office: 党政综合办公室
    phone: 0838-6200001
    note: "yes"

  # 公共服务
  - code: ZR-05-001
    name: 退役军人服务
    category: "05"
    duty: 落实退役军人服务保障政策。
    tasks: [走访慰问]
    basis:
      - title: 《中华人民共和国退役军人保障法》
    office: 党政综合办公室
"""


def write_set(tmp_path: Path, text: str, newline: str = "\n") -> Path:
    root = tmp_path / "set"
    shutil.copytree(REPO / "tests" / "cases" / "validate" / "_base", root)
    (root / "townships").mkdir()
    (root / "townships" / "qs.yaml").write_bytes(text.replace("\n", newline).encode("utf-8"))
    return root


def test_layout_key_order_quotes_and_indentation(tmp_path: Path) -> None:
    """Keys in the kind's schema order (code first, basis title before article), 2-space
    indentation, quotes where a value would read otherwise ("01", "yes") and nowhere else;
    comments and the blank line between items stay where they were."""
    root = write_set(tmp_path, ITEM)
    run = run_qingdan("fmt", cwd=root)
    assert run.code == 0, run.stdout + run.stderr
    assert (root / "townships" / "qs.yaml").read_text("utf-8") == FORMATTED
    assert run.stderr.strip() == "已重排 1 个文件，0 个无需改动。"


def test_crlf_stays_crlf(tmp_path: Path) -> None:
    """A file saved on Windows keeps its CRLF line ends: only the layout changes."""
    root = write_set(tmp_path, ITEM, "\r\n")
    run = run_qingdan("fmt", cwd=root)
    assert run.code == 0, run.stdout + run.stderr
    assert (root / "townships" / "qs.yaml").read_bytes() == FORMATTED.replace("\n", "\r\n").encode(
        "utf-8"
    )


def test_a_file_that_does_not_parse_is_left_and_reported(tmp_path: Path) -> None:
    broken = ITEM.replace(
        "    office: 党政综合办公室\n    phone", "    office: [党政综合办公室\n    phone"
    )
    root = write_set(tmp_path, broken)
    path = root / "townships" / "qs.yaml"
    before = path.read_bytes()
    run = run_qingdan("fmt", cwd=root)
    assert run.code == 1
    assert re.fullmatch(rf"townships/qs\.yaml:\d+:\d+：{UNPARSED}。\n", run.stdout), run.stdout
    assert path.read_bytes() == before
    assert "Traceback" not in run.stderr


def test_pre_commit_hook_entry() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = (h for h in hooks if h["id"] == "qingdan-fmt")
    assert hook["entry"] == "qingdan fmt --check"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES), mutations(TOKENS))
def test_mutated_files_format_to_the_same_data_and_findings(
    text: str, edits: list[tuple[int, str, int]]
) -> None:
    """The fuzz corpus' mutations: a text is either refused (it does not parse, or its
    canonical form would not read back the same, e.g. a key that is empty), or formats to one
    that validates to the same findings (but their lines) and formats to itself."""
    text = mutated(text, edits)
    kinds = listset().kinds
    try:
        formatted = format_text(text, kinds)
    except FormatError:
        return  # refused (does not parse, or would not read back the same): left as it is
    after = formatted.after
    assert format_text(after, kinds).after == after

    def said(source: str) -> list[tuple[str, str]]:
        outcome = check_file_bytes(source.encode("utf-8"), "t.yaml", workspace(), listset(), TODAY)
        return sorted((f.code, f.item or "") for f in outcome.findings)

    assert said(after) == said(text)


OVERLAY = """kind: duty
unit: 清水镇
derive:
  from: 测试区
  take: all
  codes: "^ZR-[0-9]{2}-1[0-9]{2}$"   # 本镇个性化事项编码段

  # 本镇修改的事项
  modify:
    - code: ZR-01-001
      set: {phone: "0838-6200001"}
      reason: 明确咨询电话。
"""


def test_comments_and_blank_lines_stay_before_the_key_they_head(tmp_path: Path) -> None:
    """``codes`` moves before ``take`` (the derive schema's order); the blank line and the
    comment that head ``modify`` stay before it instead of moving up with ``codes``; the
    pattern needs no quotes, and its end-of-line comment keeps its column."""
    root = write_set(tmp_path, OVERLAY)
    run = run_qingdan("fmt", cwd=root)
    assert run.code == 0, run.stdout + run.stderr
    assert (root / "townships" / "qs.yaml").read_text("utf-8").splitlines()[3:9] == [
        "  from: 测试区",
        "  codes: ^ZR-[0-9]{2}-1[0-9]{2}$     # 本镇个性化事项编码段",  # in its column
        "  take: all",
        "",
        "  # 本镇修改的事项",
        "  modify:",
    ]
