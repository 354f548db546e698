"""The CI conventions of ``validate`` and ``check`` through the real entry point: the concise,
SARIF, JUnit and GitLab formats, ``--quiet``, ``--color``, ``--select``/``--ignore`` and inline
suppressions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import run_here
from qingdan.messages import CATALOG
from test_cli import BASE, GOOD_DUTY
from test_diff import QINGSHUI, edit, repo  # noqa: F401  (the fixture)

DUTY = "townships/qs/duty.yaml"
WARNED_AND_WRONG = GOOD_DUTY.replace("落实党建", "落实党建,").replace(
    "office: 党政综合办公室", "office: 不存在的科室"
)
"""A warning on line 7 (half-width comma), an error on line 12 (unregistered office)."""
ANSI = "\x1b["
NO_COLOR_ENV = {"NO_COLOR": "", "FORCE_COLOR": ""}


def make_set(tmp_path: Path, duty: str) -> Path:
    root = tmp_path / "set"
    shutil.copytree(BASE, root)
    (root / "townships" / "qs").mkdir(parents=True)
    (root / DUTY).write_text(duty, "utf-8")
    return root


@pytest.fixture
def listset(tmp_path: Path) -> Path:
    return make_set(tmp_path, WARNED_AND_WRONG)


def test_concise_prints_one_line_per_finding_then_the_summary(listset: Path) -> None:
    """--format concise: ``file:line:col: 错误 subject：message [code]``, one line each."""
    run = run_here("validate", "-f", "concise", cwd=listset, env=NO_COLOR_ENV)
    assert run.code == 1
    assert run.stdout.splitlines() == [
        f"{DUTY}:7:11: 警告 ZR-01-001 职责内容：中文文本中使用了半角标点“,”："
        "“…织建设，落实党建,工作责任制。”。请改为全角“，”。 [text.ascii-punctuation]",
        f"{DUTY}:12:13: 错误 ZR-01-001 承办机构：“承办机构”中的“不存在的科室”不在部门名录中。"
        "请先在部门名录中登记，或改用名录中的名称。 [rule.unknown-department]",
        "检查了 6 个文件、1 个事项：1 个错误，1 个警告。",
    ]


def test_sarif_is_valid_and_names_rules_in_chinese(listset: Path) -> None:
    """--format sarif passes the SARIF 2.1.0 constraints; each result points at its rule, its
    line and column; every finding code is a rule with a Chinese description and help."""
    run = run_here("validate", "-f", "sarif", cwd=listset)
    assert run.code == 1
    report = json.loads(run.stdout)
    schema = json.loads((Path(__file__).parent / "sarif_subset.schema.json").read_text("utf-8"))
    jsonschema.validate(report, schema, format_checker=jsonschema.FormatChecker())
    (sarif_run,) = report["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CATALOG)
    results = sarif_run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("text.ascii-punctuation", "warning"),
        ("rule.unknown-department", "error"),
    ]
    error = results[1]
    assert rules[error["ruleIndex"]]["id"] == "rule.unknown-department"
    assert rules[error["ruleIndex"]]["shortDescription"]["text"] == "部门未登记"
    assert "qingdan explain rule.unknown-department" in rules[error["ruleIndex"]]["help"]["text"]
    assert error["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": DUTY},
        "region": {"startLine": 12, "startColumn": 13},
    }


def test_sarif_paths_are_percent_encoded_and_relative_to_the_checkout(tmp_path: Path) -> None:
    """A Chinese folder name becomes a valid URI, relative to $GITHUB_WORKSPACE; a file outside
    the working folder is a file: URI."""
    root = tmp_path / "清单"
    shutil.copytree(make_set(tmp_path, WARNED_AND_WRONG), root)
    run = run_here(
        "validate", "清单", "-f", "sarif", cwd=tmp_path, env={"GITHUB_WORKSPACE": str(tmp_path)}
    )
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(run.stdout)["runs"][0]["results"]
    }
    assert uris == {"%E6%B8%85%E5%8D%95/townships/qs/duty.yaml"}
    outside = run_here("validate", str(root), "-f", "sarif", cwd=tmp_path / "set")
    result = json.loads(outside.stdout)["runs"][0]["results"][0]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == (root / DUTY).as_uri()


def test_junit_has_a_suite_per_file_and_fails_only_on_errors(listset: Path) -> None:
    """--format junit parses as XML: one testsuite per file read; an error is a failing
    testcase, a warning a passing one that carries the text, a clean file one passing case."""
    run = run_here("validate", "-f", "junit", cwd=listset)
    root = ET.fromstring(run.stdout)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert len(suites) == 6
    assert (root.get("tests"), root.get("failures")) == ("7", "1")
    duty = suites[DUTY]
    warning, error = duty.findall("testcase")
    assert warning.find("failure") is None
    assert "警告" in (warning.findtext("system-out") or "")
    failure = error.find("failure")
    assert failure is not None
    assert failure.get("type") == "rule.unknown-department"
    assert f"{DUTY}:12:13" in (failure.text or "")
    clean = suites["qingdan.yaml"].findall("testcase")
    assert [(c.get("name"), c.find("failure")) for c in clean] == [("没有发现问题", None)]


def test_gitlab_code_quality_fields_and_stable_fingerprints(listset: Path) -> None:
    """--format gitlab: description, check_name, severity, path and line; the fingerprint stays
    when lines above move, and two findings never share one."""
    first = json.loads(run_here("validate", "-f", "gitlab", cwd=listset).stdout)
    assert [(i["check_name"], i["severity"], i["location"]) for i in first] == [
        ("text.ascii-punctuation", "minor", {"path": DUTY, "lines": {"begin": 7}}),
        ("rule.unknown-department", "major", {"path": DUTY, "lines": {"begin": 12}}),
    ]
    assert first[1]["description"].startswith("ZR-01-001 承办机构：“承办机构”中的“不存在的科室”")
    assert len({i["fingerprint"] for i in first}) == 2
    (listset / DUTY).write_text("# 清水镇职责任务清单\n" + WARNED_AND_WRONG, "utf-8")
    moved = json.loads(run_here("validate", "-f", "gitlab", cwd=listset).stdout)
    assert [i["location"]["lines"]["begin"] for i in moved] == [8, 13]
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in first]


def test_quiet_prints_only_findings_and_nothing_when_clean(tmp_path: Path) -> None:
    """-q drops the summary (text, concise, github); a clean run prints nothing at all."""
    clean = make_set(tmp_path / "a", GOOD_DUTY)
    for output in ("text", "concise", "github"):
        run = run_here("validate", "-q", "-f", output, cwd=clean)
        assert (run.code, run.stdout) == (0, ""), output
    broken = make_set(tmp_path / "b", WARNED_AND_WRONG)
    text = run_here("validate", "--quiet", cwd=broken, env=NO_COLOR_ENV)
    assert text.code == 1
    assert text.stdout.splitlines()[0] == DUTY
    assert "检查了" not in text.stdout
    assert len(text.stdout.strip().splitlines()) == 3
    github = run_here("validate", "-q", "-f", "github", cwd=broken).stdout.splitlines()
    assert [line.split(" ")[0] for line in github] == ["::warning", "::error"]


@pytest.mark.parametrize(
    ("option", "env", "coloured"),
    [
        ("always", {"NO_COLOR": "1"}, True),
        ("never", {"FORCE_COLOR": "1"}, False),
        ("auto", {"NO_COLOR": "", "FORCE_COLOR": ""}, False),  # a pipe
        ("auto", {"NO_COLOR": "", "FORCE_COLOR": "1"}, True),  # a CI log
        ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    ],
)
def test_color_follows_the_option_then_the_environment(
    listset: Path, option: str, env: dict[str, str], coloured: bool
) -> None:
    """--color always/never win; auto colours a terminal or FORCE_COLOR, never under NO_COLOR."""
    for output in ("text", "concise"):
        run = run_here("validate", "-f", output, "--color", option, cwd=listset, env=env)
        assert (ANSI in run.stdout) is coloured, (output, run.stdout)


def test_select_and_ignore_change_what_is_reported_and_the_exit_code(listset: Path) -> None:
    """Ignoring the only error makes the run pass; a prefix selects a family; comma lists and
    repeated options combine."""

    def codes(*args: str) -> tuple[int, list[str]]:
        run = run_here("validate", "-f", "json", *args, cwd=listset)
        return run.code, [f["code"] for f in json.loads(run.stdout)["findings"]]

    assert codes() == (1, ["text.ascii-punctuation", "rule.unknown-department"])
    assert codes("--ignore", "rule.unknown-department") == (0, ["text.ascii-punctuation"])
    assert codes("--ignore", "rule") == (0, ["text.ascii-punctuation"])
    assert codes("--select", "rule") == (1, ["rule.unknown-department"])
    assert codes("--select", "text,rule", "--ignore", "text.ascii-punctuation") == (
        1,
        ["rule.unknown-department"],
    )
    assert codes("--ignore", "text", "--ignore", "rule") == (0, [])
    run = run_here("validate", "-f", "json", "--ignore", "text", "--strict", cwd=listset)
    assert run.code == 1  # the error is still there


@pytest.mark.parametrize(
    ("pattern", "suggestion"),
    [("text.spaces", "是不是：text.space"), ("tex", "是不是：text"), ("rule.", "")],
)
def test_an_unknown_code_is_a_usage_error_with_suggestions(
    listset: Path, pattern: str, suggestion: str
) -> None:
    """A code that does not exist (or a prefix not ending at a dot) stops the run: exit 2."""
    run = run_here("validate", "--select", pattern, cwd=listset)
    assert run.code == 2
    assert run.stderr.startswith(f"错误：--select 中的问题代码“{pattern}”不存在。{suggestion}")
    assert "qingdan explain" in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == ""


def test_inline_comment_silences_one_finding_on_its_line_and_unused_ones_are_reported(
    tmp_path: Path,
) -> None:
    """``# qingdan: ignore[code]`` silences that code on its own line only; a comment that
    silences nothing is a suppress.unused warning pointing at the code in the comment."""
    duty = WARNED_AND_WRONG.replace("name: 基层党组织建设", "name: 基层党组织,建设")
    duty = duty.replace("工作责任制。", "工作责任制。  # qingdan: ignore[text.ascii-punctuation]")
    duty = duty.replace('category: "01"', 'category: "01"  # qingdan: ignore[rule, text.space]')
    listset = make_set(tmp_path, duty)
    run = run_here("validate", "-f", "json", cwd=listset)
    found = [(f["code"], f["line"], f["column"]) for f in json.loads(run.stdout)["findings"]]
    assert found == [
        ("text.ascii-punctuation", 5, 11),  # same code, another line: still reported
        ("suppress.unused", 6, 39),
        ("suppress.unused", 6, 45),
        ("rule.unknown-department", 12, 13),
    ]
    unused = json.loads(run.stdout)["findings"][2]["message"]
    assert unused.startswith("注释“# qingdan: ignore[text.space]”没有消除任何问题")
    assert run.code == 1


def test_an_unused_comment_in_a_clean_file_is_reported_and_can_be_ignored(tmp_path: Path) -> None:
    """A stale comment in a file without findings is found too; --ignore suppress.unused
    (or fixing it) makes --strict pass."""
    stale = GOOD_DUTY.replace("第九条", "第九条  # qingdan: ignore[text.space]")
    listset = make_set(tmp_path, stale)
    run = run_here("validate", "-f", "concise", "--strict", cwd=listset, env=NO_COLOR_ENV)
    assert run.code == 1
    assert run.stdout.splitlines()[0].startswith(f"{DUTY}:11:41: 警告 注释“# qingdan: ignore")
    assert run.stdout.splitlines()[0].endswith("[suppress.unused]")
    ignored = run_here("validate", "--strict", "--ignore", "suppress.unused", cwd=listset)
    assert ignored.code == 0


def test_validate_does_not_call_a_comment_for_an_audit_code_unused(tmp_path: Path) -> None:
    """change.uncovered is only reported by check: validate leaves such a comment alone."""
    marked = GOOD_DUTY.replace("第九条", "第九条  # qingdan: ignore[change.uncovered]")
    run = run_here("validate", "--strict", cwd=make_set(tmp_path, marked))
    assert run.code == 0, run.stdout


@pytest.mark.parametrize("output", ["concise", "sarif", "junit", "gitlab"])
def test_check_offers_the_same_formats_with_its_change_findings(
    repo: Path,  # noqa: F811  (the fixture imported above)
    output: str,
) -> None:
    """check --format concise/sarif/junit/gitlab carries the audit's change.uncovered."""
    lists = repo / "lists"
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    run = run_here("check", "--base", "HEAD", "-f", output, cwd=lists, env=NO_COLOR_ENV)
    assert run.code == 1
    if output == "sarif":
        results = json.loads(run.stdout)["runs"][0]["results"]
        assert [r["ruleId"] for r in results] == ["change.uncovered"]
    elif output == "junit":
        failures = ET.fromstring(run.stdout).iter("failure")
        assert [f.get("type") for f in failures] == ["change.uncovered"]
    elif output == "gitlab":
        assert [i["check_name"] for i in json.loads(run.stdout)] == ["change.uncovered"]
    else:
        assert run.stdout.startswith(f"{QINGSHUI}:8:1: 错误 ")
        assert "[change.uncovered]" in run.stdout


def test_check_ignore_and_quiet(repo: Path) -> None:  # noqa: F811
    """check --ignore change.uncovered passes; -q prints only the findings, no changes or verdict."""
    lists = repo / "lists"
    edit(lists / QINGSHUI, "开展安全生产宣传引导；", "开展安全生产宣传教育和引导；")
    quiet = run_here("check", "--base", "HEAD", "-q", cwd=lists, env=NO_COLOR_ENV)
    assert quiet.code == 1
    lines = quiet.stdout.splitlines()
    assert len(lines) == 2 and lines[0] == QINGSHUI and lines[1].endswith("change.uncovered")
    ignored = run_here("check", "--base", "HEAD", "--ignore", "change.uncovered", cwd=lists)
    assert ignored.code == 0, ignored.stdout
    assert "检查通过" in ignored.stdout


def test_check_formats_are_the_validate_formats_and_markdown() -> None:
    """The choices ``check`` offers (read without importing review.py) are what it can render."""
    from qingdan.reporters import REPORTERS, REVIEW_FORMATS
    from qingdan.reporters.review import REVIEWERS

    assert tuple(REVIEWERS) == REVIEW_FORMATS
    assert set(REPORTERS) < set(REVIEWERS)
