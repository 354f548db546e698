"""``qingdan explain`` and the finding catalogue it shares with docs/findings.md."""

from __future__ import annotations

import tomllib
from pathlib import Path

from conftest import REPO, run_here
from qingdan.explanations import DATA, catalogue
from qingdan.messages import CATALOG
from qingdan.reporters.explain_report import markdown

FINDINGS_PAGE = REPO / "docs" / "findings.md"


def test_explain_prints_severity_meaning_template_fix_and_example(tmp_path: Path) -> None:
    """One code: its title and severity, the message template, how to fix it, the example."""
    run = run_here("explain", "yaml.implicit-type", cwd=tmp_path)
    assert run.code == 0
    lines = run.stdout.splitlines()
    assert lines[0] == "yaml.implicit-type：未加引号的值被读成了其他类型（错误）"
    assert "含义：YAML 会把没有加引号的 01" in run.stdout
    assert f"提示文字：{CATALOG['yaml.implicit-type'].template}" in lines
    assert "处理办法：给这个值加上英文引号。" in lines
    assert lines[lines.index("示例：") + 1 :] == [
        "    # 错误：会被读成数字 1",
        "    category: 01",
        "    # 正确",
        '    category: "01"',
    ]


def test_explain_change_uncovered_gives_the_guidance_of_the_changes_page(tmp_path: Path) -> None:
    """The message of change.uncovered points here, so here is how to write the record."""
    assert "qingdan explain change.uncovered" in CATALOG["change.uncovered"].template
    run = run_here("explain", "change.uncovered", cwd=tmp_path)
    assert run.code == 0
    for needed in ("已经在 --base 中的旧记录不能批准新的变化", "changes/", "批准文号"):
        assert needed in run.stdout, needed
    for key in ("batch:", "approval:", "number:", "changes:", "items:", "reason:"):
        assert f"    {key}" in run.stdout or f"  - {key}" in run.stdout, key


def test_explain_without_a_code_lists_every_code(tmp_path: Path) -> None:
    """``qingdan explain`` lists each code once, with its severity and title."""
    run = run_here("explain", cwd=tmp_path)
    assert run.code == 0
    listed = [line.split()[0] for line in run.stdout.splitlines() if line.startswith("  ")]
    assert listed == [c for s in catalogue().sections for c in s.codes]
    assert sorted(listed) == sorted(CATALOG)
    assert "  text.space                  警告  多余的空格" in run.stdout.splitlines()


def test_an_unknown_code_suggests_near_ones(tmp_path: Path) -> None:
    """A typo is exit 2 with the codes it probably meant."""
    run = run_here("explain", "text.spaces", cwd=tmp_path)
    assert run.code == 2
    assert run.stderr.startswith("错误：没有问题代码“text.spaces”。是不是：text.space")
    assert run.stdout == ""


def test_every_code_is_explained_once_and_nothing_else_is() -> None:
    """Each code has how-to-fix text and sits in exactly one section; the data file names no
    code the program does not have."""
    raw = tomllib.loads(DATA.read_text("utf-8"))
    assert set(raw["codes"]) <= set(CATALOG)
    known = catalogue()
    assert all(e.fix for e in known.entries.values())
    in_sections = [code for section in known.sections for code in section.codes]
    assert sorted(in_sections) == sorted(CATALOG)


def test_no_message_sends_the_user_to_the_docs_folder() -> None:
    """Users have the program, not the repository: messages point to ``qingdan explain``, and
    what it prints stands on its own."""
    assert [code for code, m in CATALOG.items() if "docs/" in m.template] == []
    entries = catalogue().entries.values()
    assert [e.code for e in entries if "docs/" in e.meaning + e.fix + e.example] == []


def test_findings_page_is_generated_from_the_catalogue(update_golden: bool) -> None:
    """docs/findings.md says what ``qingdan explain`` says; after changing messages.py or
    data/findings.toml, rewrite it with ``pytest tests/test_explain.py --update-golden`` and
    review the diff."""
    page = markdown(catalogue())
    if update_golden:
        FINDINGS_PAGE.write_text(page, "utf-8")
    assert FINDINGS_PAGE.read_text("utf-8") == page
