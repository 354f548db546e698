"""Bad-input classes that cannot live in a committed case folder (huge or unreadable files)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_qingdan
from qingdan.source import MAX_FILE_BYTES

BASE = Path(__file__).parent / "cases" / "validate" / "_base"


@pytest.fixture
def listset(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(BASE, root)
    (root / "townships" / "qs").mkdir(parents=True)
    return root


def findings(root: Path) -> tuple[int, list[tuple[str, str, str]]]:
    run = run_qingdan("validate", "-f", "json", "--no-cache", cwd=root)
    assert run.stderr == ""
    report = json.loads(run.stdout)
    return run.code, [(f["code"], f["file"], f["message"]) for f in report["findings"]]


def test_file_over_the_size_limit_is_refused_unread(listset: Path) -> None:
    """A file past the limit is refused before anything reads it (a sparse file: no disk used)."""
    huge = listset / "townships" / "qs" / "duty.yaml"
    with huge.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    code, found = findings(listset)
    assert code == 1
    assert found == [
        (
            "file.too-large",
            "townships/qs/duty.yaml",
            "文件大小 32.0 MB 超过上限 32.0 MB，为防止耗尽内存未读取。请把清单拆分成多个文件。",
        )
    ]


def test_unreadable_file_is_a_finding_not_a_crash(listset: Path) -> None:
    """A dangling link (or a file that vanished) is reported as unreadable; the rest still runs."""
    (listset / "townships" / "qs" / "duty.yaml").symlink_to(listset / "gone.yaml")
    code, found = findings(listset)
    assert code == 1
    assert found == [
        (
            "file.unreadable",
            "townships/qs/duty.yaml",
            "无法读取文件：文件不存在（或是指向不存在文件的链接）。请检查文件是否存在、是否有读取权限。",
        )
    ]


def test_broken_config_stops_before_the_lists(listset: Path) -> None:
    """If qingdan.yaml itself is broken, its error is reported once and lists are not checked."""
    (listset / "qingdan.yaml").write_text("name: [未闭合\n", "utf-8")
    (listset / "townships" / "qs" / "duty.yaml").write_text("kind: duty\n", "utf-8")
    code, found = findings(listset)
    assert code == 1
    assert [(c, f) for c, f, _ in found] == [("yaml.syntax", "qingdan.yaml")]


def test_undecodable_file_name_is_reported_not_crashed_on(listset: Path) -> None:
    """A file name with bytes that are not UTF-8 is shown with a replacement character."""
    folder = bytes(listset / "townships" / "qs")
    with open(folder + b"/\xff\xfe.yaml", "wb") as fh:
        fh.write(b"- a\n")
    code, found = findings(listset)
    assert code == 1
    assert [(c, f) for c, f, _ in found] == [("file.not-a-list", "townships/qs/\ufffd\ufffd.yaml")]
