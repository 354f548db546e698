"""Derived sets checked as thoroughly as plain ones: base problems at the base's own lines,
overlay values checked at theirs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, run_here
from test_diff import git

SAMPLE = REPO / "lists"
CATALOG_TERRITORIAL = Path("catalog/mulu/territorial.yaml")
QINGSHUI_DUTY = Path("townships/qingshui/duty.yaml")


@pytest.fixture
def lists(tmp_path: Path) -> Path:
    root = tmp_path / "lists"
    shutil.copytree(SAMPLE, root)
    return root


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` and return the 1-based line it was on."""
    text = path.read_text("utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], "utf-8")
    return text.count("\n", 0, at) + 1


def _findings(root: Path, *paths: str) -> tuple[int, list[dict[str, Any]]]:
    run = run_here("validate", *(paths or (str(root),)), "-f", "json", "--no-cache", cwd=root)
    assert run.code in (0, 1), run.stderr
    return run.code, json.loads(run.stdout)["findings"]


def _where(found: dict[str, Any], root: Path) -> tuple[str, int, str]:
    file = Path(found["file"])
    shown = (file if file.is_absolute() else root / file).resolve().relative_to(root.resolve())
    return shown.as_posix(), found["line"], found["code"]


def test_duplicate_key_in_catalog_reported_at_its_line(lists: Path) -> None:
    """A duplicate key in the city catalog is an error at the catalog's line, reported once."""
    line = _edit(lists / CATALOG_TERRITORIAL, "    name: ", "    name: 重复\n    name: ")
    code, found = _findings(lists)
    assert code == 1
    assert [_where(f, lists) for f in found] == [
        (CATALOG_TERRITORIAL.as_posix(), line + 1, "yaml.duplicate-key")
    ]


def test_syntax_error_in_catalog_reported_at_its_line(lists: Path) -> None:
    """A tab in the catalog's indentation shows at the catalog's own line, not only as broken
    bases on the five townships."""
    line = _edit(lists / CATALOG_TERRITORIAL, "    name: ", "\tname: ")
    code, found = _findings(lists)
    assert code == 1
    places = {_where(f, lists) for f in found}
    assert (CATALOG_TERRITORIAL.as_posix(), line, "yaml.syntax") in places


def test_chinese_colon_in_catalog_reported_at_its_line(lists: Path) -> None:
    """A Chinese colon in the catalog is reported at the catalog's own line."""
    line = _edit(lists / CATALOG_TERRITORIAL, "    name: ", "    name：")
    code, found = _findings(lists)
    assert code == 1
    places = {_where(f, lists) for f in found}
    assert (CATALOG_TERRITORIAL.as_posix(), line, "yaml.fullwidth-colon") in places


def test_base_outside_the_paths_given_is_summarized(lists: Path) -> None:
    """Validating one township of a set whose catalog is broken says so, and how to see it."""
    _edit(lists / CATALOG_TERRITORIAL, "    name: ", "    name: 重复\n    name: ")
    code, found = _findings(lists, "townships/qingshui")
    assert code == 1
    summary = [f for f in found if f["code"] == "derive.base-findings"]
    assert len(summary) == 1
    assert summary[0]["file"] == "qingdan.yaml"
    assert summary[0]["line"] > 0
    assert "qingdan validate catalog" in summary[0]["message"]


def test_unquoted_phone_in_modify_set_is_reported(lists: Path) -> None:
    """``phone: 08386212026`` in derive.modify.set gets the finding it gets in a plain list."""
    line = _edit(lists / QINGSHUI_DUTY, "phone: 0838-6212026}", "phone: 08386212026}")
    code, found = _findings(lists)
    assert code == 1
    assert [_where(f, lists) for f in found] == [
        (QINGSHUI_DUTY.as_posix(), line, "yaml.implicit-type")
    ]
    assert found[0]["item"] == "ZR-01-001"
    assert found[0]["field"] == "咨询电话"


def test_unquoted_phone_in_added_item_is_reported(lists: Path) -> None:
    """The same in an item a township adds (derive.add)."""
    path = lists / QINGSHUI_DUTY
    text = path.read_text("utf-8")
    add = text.index("  add:")
    phone = text.index("phone: ", add)
    end = text.index("\n", phone)
    path.write_text(text[:phone] + "phone: 08386212026" + text[end:], "utf-8")
    code, found = _findings(lists)
    assert code == 1
    assert [(f["code"], f["line"]) for f in found] == [
        ("yaml.implicit-type", text.count("\n", 0, phone) + 1)
    ]


def test_text_hygiene_covers_reasons(lists: Path) -> None:
    """A half-width comma in an operation's reason is a warning at the reason's line."""
    line = _edit(lists / QINGSHUI_DUTY, "明确本镇责任人和咨询电话。", "明确本镇责任人,咨询电话。")
    code, found = _findings(lists)
    assert code == 0
    assert [_where(f, lists) for f in found] == [
        (QINGSHUI_DUTY.as_posix(), line, "text.ascii-punctuation")
    ]
    assert found[0]["field"] == "理由"


def test_recorded_base_value_of_a_field_not_set(lists: Path) -> None:
    """A base value recorded for a field the modification does not set is flagged."""
    line = _edit(
        lists / QINGSHUI_DUTY,
        "      reason: 明确本镇责任人和咨询电话。",
        "      base: {office: 党政综合办公室}\n      reason: 明确本镇责任人和咨询电话。",
    )
    code, found = _findings(lists)
    assert code == 0
    assert [_where(f, lists) for f in found] == [
        (QINGSHUI_DUTY.as_posix(), line, "derive.base-unset")
    ]
    assert found[0]["item"] == "ZR-01-001"


def test_stale_operation_does_not_stop_diff(lists: Path) -> None:
    """The catalog drops an item a township modifies: diff shows the removals and the stale
    operation as a finding at its line, and exits 0."""
    repo = lists.parent
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "初版")
    catalog = lists / CATALOG_TERRITORIAL
    text = catalog.read_text("utf-8")
    start = text.index("  - code: SD-01-001\n")
    end = text.index("\n  - code: ", start + 1)
    catalog.write_text(text[:start] + text[end + 1 :], "utf-8")
    git(repo, "commit", "-qam", "市里取消一项")
    run = run_here("diff", "HEAD~1", "HEAD", "-f", "json", cwd=lists)
    assert run.code == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert not report["problems"]
    assert {c["code"] for c in report["changes"]} == {"SD-01-001"}
    stale = [f for f in report["findings"] if f["code"] == "derive.unknown-code"]
    assert [(f["item"], f["file"].endswith("shiqiao/territorial.yaml")) for f in stale] == [
        ("SD-01-001", True)
    ]
    assert stale[0]["line"] > 0
    text_run = run_here("diff", "HEAD~1", "HEAD", cwd=lists)
    assert "注意" in text_run.stdout and "derive.unknown-code" in text_run.stdout


def _cached(root: Path, cache: Path) -> tuple[int, list[dict[str, Any]]]:
    run = run_here(
        "validate", str(root), "-f", "json", cwd=root, env={"QINGDAN_CACHE_DIR": str(cache)}
    )
    assert run.code in (0, 1), run.stderr
    return run.code, json.loads(run.stdout)["findings"]


def test_warm_cache_sees_a_change_two_levels_up(lists: Path, tmp_path: Path) -> None:
    """Derived outcomes are cached, but a catalog edit reaches every township on the next run:
    a name made to duplicate another is reported warm exactly as cold."""
    cache = tmp_path / "cache"
    assert _cached(lists, cache) == (0, [])
    catalog = lists / "catalog/mulu/duty.yaml"
    text = catalog.read_text("utf-8")
    names = [line for line in text.splitlines() if line.startswith("    name: ")]
    catalog.write_text(text.replace(names[1], names[0], 1), "utf-8")
    cold = _findings(lists)
    warm = _cached(lists, cache)
    assert cold[0] == warm[0] == 1
    assert sorted(map(str, cold[1])) == sorted(map(str, warm[1]))
    assert "rule.duplicate-name" in {f["code"] for f in warm[1]}
    again = _cached(lists, cache)  # and the now-warm cache gives the same answer
    assert sorted(map(str, again[1])) == sorted(map(str, warm[1]))


def test_warm_cache_keeps_base_findings_in_their_files(lists: Path, tmp_path: Path) -> None:
    """A cached finding located in a base file is shown with that file's name, from any folder."""
    cache = tmp_path / "cache"
    _edit(lists / "catalog/mulu/duty.yaml", "    duty: ", "    duty: 第一,")  # inherited below
    first = _cached(lists, cache)
    second = _cached(lists, cache)
    assert first == second
    assert any(f["file"].startswith("catalog/") for f in second[1])
    above = run_here(
        "validate", "lists", "-f", "json", cwd=lists.parent, env={"QINGDAN_CACHE_DIR": str(cache)}
    )
    moved = json.loads(above.stdout)["findings"]
    assert sorted(f["file"] for f in moved) == sorted("lists/" + f["file"] for f in second[1])


def test_resolve_rerun_reuses_only_what_is_still_right(lists: Path, tmp_path: Path) -> None:
    """An unchanged rerun rewrites nothing; after a catalog edit the cached run writes exactly
    what a run without the cache writes."""
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "out"
    first = run_here("resolve", "-C", str(lists), "-o", str(out), cwd=tmp_path, env=env)
    again = run_here("resolve", "-C", str(lists), "-o", str(out), cwd=tmp_path, env=env)
    assert first.code == again.code == 0, first.stderr + again.stderr
    assert "写入 0 个文件" in again.stdout
    _edit(lists / "catalog/mulu/duty.yaml", "    duty: ", "    duty: 统筹")
    cached = run_here("resolve", "-C", str(lists), "-o", str(out), cwd=tmp_path, env=env)
    fresh = tmp_path / "fresh"
    plain = run_here("resolve", "-C", str(lists), "-o", str(fresh), "--no-cache", cwd=tmp_path)
    assert cached.code == plain.code == 0, cached.stderr + plain.stderr
    assert "写入 0 个文件" not in cached.stdout
    written = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.yaml")}
    assert written == {p.relative_to(fresh): p.read_bytes() for p in fresh.rglob("*.yaml")}


def test_a_township_change_and_a_catalog_change_are_located_where_they_are_written(
    lists: Path,
) -> None:
    """A phone number changed in a township's modify is shown at that operation's line; a
    catalog sentence that reaches every township shows as an inherited change of each township
    (no line of theirs), and as the township's own operation where it modifies the item."""
    repo = lists.parent
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "初版")
    duty = lists / QINGSHUI_DUTY
    text = duty.read_text("utf-8")
    duty.write_text(
        text.replace("党委副书记, phone: 0838-6212026", "党委副书记, phone: 0838-6212027", 1),
        "utf-8",
    )
    op_line = text[: text.index("    - code: ZR-01-001")].count("\n") + 1
    git(repo, "commit", "-qam", "清水镇改电话")
    run = run_here("diff", "HEAD~1", "HEAD", "-f", "json", cwd=lists)
    (change,) = json.loads(run.stdout)["changes"]
    assert (change["code"], change["new"]["line"]) == ("ZR-01-001", op_line)

    catalog = lists / "catalog/mulu/duty.yaml"
    text = catalog.read_text("utf-8")
    start = text.index("  - code: ZR-01-001\n")
    at = text.index("    duty: ", start)
    end = text.index("\n", at)
    catalog.write_text(text[:end] + "并按季度报告。" + text[end:], "utf-8")
    git(repo, "commit", "-qam", "市目录加一句")
    run = run_here("diff", "HEAD~1", "HEAD", "-f", "json", cwd=lists)
    changes = json.loads(run.stdout)["changes"]
    assert run.code == 0, run.stdout
    assert {c["code"] for c in changes} == {"ZR-01-001"}
    units = {c["unit"] for c in changes}
    assert len(units) == len(changes)  # once per list it reaches
    assert {"锦川市青岚区", "清水镇", "桂湖街道"} <= units
    qingshui = next(c for c in changes if c["unit"] == "清水镇")
    assert qingshui["new"]["line"] == op_line  # it modifies the item: its operation
    assert [f["field"] for f in qingshui["fields"]] == ["duty"]
