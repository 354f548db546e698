"""The two YAML paths: the fast Rust parser may only ever accept what the located path accepts."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, SAMPLE, run_qingdan
from qingdan.fastyaml import fast_parse
from qingdan.source import Source, vet_bytes
from qingdan.yamldoc import parse


def source(text: str) -> Source:
    vetted = vet_bytes(text.encode("utf-8"), "t.yaml")
    assert isinstance(vetted, Source)
    return vetted


@pytest.mark.parametrize("path", sorted(SAMPLE.rglob("*.yaml")), ids=lambda p: p.name)
def test_fast_and_located_paths_read_the_sample_lists_identically(path: Path) -> None:
    """On every sample file the fast parser is used and yields exactly PyYAML's data."""
    src = vet_bytes(path.read_bytes(), path.name)
    assert isinstance(src, Source)
    fast = fast_parse(src)
    assert fast is not None, "an ordinary list file should take the fast path"
    assert fast.data == parse(src).data


SERVICE = SAMPLE / "townships" / "qingshui" / "service.yaml"


@pytest.mark.parametrize(
    "line",
    [
        "    note: 9:00",  # YAML 1.1 reads 540
        "    note: yes",
        "    note: Off",
        "    note: 010",  # octal 8 in YAML 1.1, 10 in YAML 1.2
        "    note: 0838",  # text in YAML 1.1, a number in YAML 1.2
        "    note: 1_000",
        "    note: 2024-01-01",
        "    note: 2024-1-1 10:00:00",
        "    note: [no, 1]",
        "    on: 1",  # a YAML 1.1 boolean key
        "    note: &x 1",
        "    note: !!python/object:os.system x",
        "    code: FW-01-009",  # a duplicate key
        "    <<: {note: 1}",
        "    note: 办理,审核",  # hygiene: half-width comma in Chinese
        "    note: 办理.",
        "    note: 统一 办理",
        '    note: "  前导空格"',
        '    note: "结尾空格 "',
        '    note: "\\t制表符开头"',
        "    note: 開展",
        "    note: ２０２６年",
        "    note: 全角\u3000空格",
        "    note: 办理\u3000",  # pasted from Word with a trailing full-width space
        "    note: “办理”",  # Word's curly quotes around a value
        "    note: 办\u200b理",
        "    no\u3000te: 办理",  # a full-width space typed into a key
        "    \ufeffnote: 办理",  # a BOM pasted in the middle of the file
        "    note：办理",  # a full-width colon after a key
        "    note:\u3000办理",
        '    note: "9:00"',  # quoted: fine on both paths
    ],
)
def test_fast_path_never_hides_what_the_located_path_reports(line: str) -> None:
    """With any odd value spliced into a real list, both paths report exactly the same."""
    from qingdan.checks.listfile import check_file
    from qingdan.validation import check_file_bytes, resolver
    from qingdan.workspace import Workspace

    text = SERVICE.read_text("utf-8").replace("\n    name:", f"\n{line}\n    name:", 1)
    workspace = Workspace()
    listset = workspace.open(SAMPLE)
    today = dt.date(2026, 11, 23)
    both = check_file_bytes(text.encode(), "t.yaml", workspace, listset, today)
    slow = check_file(parse(source(text)), listset, today, resolver(workspace, listset))
    assert [f.to_tuple() for f in both.findings] == [f.to_tuple() for f in slow.findings]
    assert bool(slow.findings) == (line != '    note: "9:00"')


@pytest.mark.parametrize(
    "text",
    ["a: " + "[" * 100_000 + "]" * 100_000 + "\n", "- " * 200_000 + "x\n"],
    ids=["flow", "block"],
)
def test_deep_nesting_is_refused_before_any_parser_recurses(text: str) -> None:
    """Deep nesting would crash libyaml's or yaml-rs's recursion (a segfault); both refuse."""
    deep = source(text)
    assert fast_parse(deep) is None
    doc = parse(deep)
    assert [f.code for f in doc.findings] == ["yaml.too-deep"]


def test_duplicate_key_points_back_to_the_key_it_repeats_even_when_written_differently() -> None:
    """``1:`` and ``01:`` are one key to YAML; the message names the line of the first."""
    doc = parse(source("kind: duty\n1: a\n01: b\n"))
    assert [(f.code, f.location.line, f.message) for f in doc.findings] == [
        (
            "yaml.duplicate-key",
            3,
            "字段“01”在同一处重复出现（第一次在第 2 行）。YAML 只会保留最后一个值，请删除或合并重复的字段。",
        )
    ]


def test_a_lookalike_is_blamed_only_when_repairing_it_fixes_the_error() -> None:
    """A Chinese paragraph indent (two full-width spaces) in a block scalar is fine; the
    unrelated unclosed bracket further down is still reported where it is, with libyaml's advice."""
    doc = parse(source("kind: duty\nnote: |\n  \u3000\u3000段落开头空两格。\nitems: [\n"))
    assert [(f.code, f.location.line) for f in doc.findings] == [("yaml.syntax", 5)]


def test_of_two_chinese_colons_the_one_that_breaks_the_file_first_is_reported() -> None:
    """The first mistake is reported (fixing it, the next run reports the second)."""
    text = "kind: duty\nunit：清水镇\n# 事项\nitems：\n"
    doc = parse(source(text))
    assert [(f.code, f.location.line, f.location.column) for f in doc.findings] == [
        ("yaml.fullwidth-colon", 2, 5)
    ]


def _sample_run(tmp_path: Path, rel: str, old: str, new: str, *args: str) -> list[dict[str, Any]]:
    """Validate a copy of the shipped sample with one line of one file edited as in Notepad."""
    lists = tmp_path / "lists"
    shutil.copytree(REPO / "lists", lists)
    path = lists / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    run = run_qingdan("validate", *args, "--format", "json", "--no-cache", cwd=lists)
    assert run.code == 1, run.stdout + run.stderr
    findings: list[dict[str, Any]] = json.loads(run.stdout)["findings"]
    return findings


def _line_of(tmp_path: Path, rel: str, needle: str) -> int:
    text = (tmp_path / "lists" / rel).read_text("utf-8")
    return text[: text.index(needle)].count("\n") + 1


BAIHE = "townships/baihe/territorial.yaml"


def test_the_issue_chinese_colon_in_a_derived_township_file(tmp_path: Path) -> None:
    """`reason：…` in a township's derive overlay is reported on its own line, not on the comment
    two lines below, and says to type an English colon and a space."""
    found = _sample_run(tmp_path, BAIHE, "      reason: 写明", "      reason：写明")
    line = _line_of(tmp_path, BAIHE, "reason：写明")
    assert [(f["code"], f["file"], f["line"], f["column"]) for f in found] == [
        ("yaml.fullwidth-colon", BAIHE, line, 13)
    ]
    assert "请改成“reason: ”" in found[0]["message"]


def test_the_issue_full_width_indent_gets_indent_advice(tmp_path: Path) -> None:
    """Full-width spaces typed as indentation are reported on that line, and the advice is about
    the indentation, never "use a Chinese colon"."""
    old = "            duty: 负责强制免疫"
    found = _sample_run(tmp_path, BAIHE, old, "\u3000" * 6 + "duty: 负责强制免疫")
    line = _line_of(tmp_path, BAIHE, "\u3000" * 6 + "duty")
    assert [(f["code"], f["line"], f["column"]) for f in found] == [
        ("yaml.fullwidth-indent", line, 1)
    ]
    assert "中文冒号" not in found[0]["message"]


@pytest.mark.parametrize("target", ["catalog", "."], ids=["catalog-alone", "as-base"])
def test_the_issue_unquoted_category_in_the_catalog(tmp_path: Path, target: str) -> None:
    """`category: 01` in the city catalog gets the 加引号 advice whether the catalog is validated
    as its own set or reached as the base of the district's townships."""
    rel = "catalog/mulu/service.yaml"
    found = _sample_run(tmp_path, rel, '    category: "01"', "    category: 01", target)
    assert [(f["code"], f["line"]) for f in found] == [("yaml.implicit-type", 10)]
    assert '请加上引号："01"' in found[0]["message"]
