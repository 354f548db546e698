"""One way to read a list file: line endings, where the header stands, and git checkouts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_here
from qingdan.header import Header, read_header
from qingdan.source import Source, vet_bytes
from test_diff import git

SAMPLE = REPO / "lists"


def _summary(root: Path) -> str:
    run = run_here("validate", str(root), "--no-cache", cwd=root.parent)
    assert run.code == 0, run.stdout + run.stderr
    return run.stdout.splitlines()[-1]


@pytest.fixture(scope="module")
def clean_summary(tmp_path_factory: pytest.TempPathFactory) -> str:
    """What the derived sample says about itself with the LF files it ships with."""
    root = tmp_path_factory.mktemp("lf") / "lists"
    shutil.copytree(SAMPLE, root)
    summary = _summary(root)
    assert "没有发现问题" in summary
    return summary


def _rewrite_endings(root: Path, ending: bytes, only: str = "") -> None:
    for path in root.rglob("*.yaml"):
        if only and not path.as_posix().endswith(only):
            continue
        path.write_bytes(path.read_bytes().replace(b"\n", ending))


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_windows_and_old_mac_line_endings_read_like_lf(
    tmp_path: Path, ending: bytes, clean_summary: str
) -> None:
    """Every file of the derived sample with CRLF (or CR) endings: same items, no findings."""
    root = tmp_path / "lists"
    shutil.copytree(SAMPLE, root)
    _rewrite_endings(root, ending)
    assert _summary(root) == clean_summary


def test_one_crlf_district_file_keeps_every_item(tmp_path: Path, clean_summary: str) -> None:
    """CRLF in the district list alone must not drop the items derived from it."""
    root = tmp_path / "lists"
    shutil.copytree(SAMPLE, root)
    _rewrite_endings(root, b"\r\n", only="townships/qinglan/duty.yaml")
    assert _summary(root) == clean_summary


def test_header_found_after_a_long_comment_and_after_derive(
    tmp_path: Path, clean_summary: str
) -> None:
    """The base is found from kind and unit wherever they stand: past 4 KB, after derive:."""
    root = tmp_path / "lists"
    shutil.copytree(SAMPLE, root)
    district = root / "townships" / "qinglan" / "duty.yaml"
    lines = district.read_text("utf-8").splitlines(keepends=True)
    head = [line for line in lines if line.startswith(("kind:", "unit:"))]
    body = [line for line in lines if line not in head]
    comment = "".join(
        f"# 说明第 {n} 行：本区职责任务清单以市级指导目录为基础派生。\n" for n in range(200)
    )
    assert len(comment.encode()) > 4096
    district.write_text(comment + "".join(body) + "".join(reversed(head)), "utf-8")
    catalog = root / "catalog" / "mulu" / "duty.yaml"
    catalog.write_text(comment + catalog.read_text("utf-8"), "utf-8")
    assert _summary(root) == clean_summary


def test_autocrlf_checkout_has_no_changes(tmp_path: Path, clean_summary: str) -> None:
    """A clone with core.autocrlf=true (Git for Windows) diffs clean against its own HEAD."""
    origin = tmp_path / "origin"
    shutil.copytree(SAMPLE, origin / "lists")
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "清单")
    clone = tmp_path / "clone"
    git(tmp_path, "-c", "core.autocrlf=true", "clone", "-q", str(origin), str(clone))
    duty = clone / "lists" / "townships" / "qingshui" / "duty.yaml"
    assert b"\r\n" in duty.read_bytes()  # the checkout really is CRLF
    lists = clone / "lists"
    diff = run_here("diff", "HEAD", cwd=lists)
    assert diff.code == 0, diff.stdout + diff.stderr
    assert "没有变化" in diff.stdout
    check = run_here("check", "--base", "HEAD", "--no-cache", cwd=lists)
    assert check.code == 0, check.stdout + check.stderr
    items = re.search(r"\d+ 个事项", clean_summary)
    assert items is not None
    assert items.group(0) in check.stdout


def _source(text: str) -> Source:
    source = vet_bytes(text.encode(), "t.yaml")
    assert isinstance(source, Source)
    return source


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kind: duty\nunit: 清水镇\nitems: []\n", Header("duty", "清水镇")),
        ("derive:\n  from: 区\nunit: 清水镇  # 本镇\nkind: duty\n", Header("duty", "清水镇")),
        ("kind: 'duty'\nunit: \"清水\\u9547\"\n", Header("duty", "清水镇")),
        ("{kind: duty, unit: 清水镇, items: []}\n", Header("duty", "清水镇")),
        ("kind: duty\nunit: 清水镇\nunit: 石桥镇\n", Header("duty", "石桥镇")),
        ("kind: duty\nunit: [a, b]\n", Header("duty", None)),
        ("kind: duty\n", Header("duty", None)),
        ("kind: duty\r\nunit: 清水镇\r\n", Header("duty", "清水镇")),
    ],
    ids=["plain", "after-derive", "quoted", "flow", "duplicate", "not-text", "missing", "crlf"],
)
def test_header_is_what_the_parser_reads(text: str, expected: Header) -> None:
    """The header reader answers what a full parse of the file would say."""
    assert read_header(_source(text)) == expected
