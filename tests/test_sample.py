"""The shipped sample lists/: a district derived from the city catalog, townships from the district."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, load_yaml, run_here

LISTS = REPO / "lists"
CATALOG = LISTS / "catalog"
DISTRICT = "锦川市青岚区"
KINDS = ("duty", "service", "territorial")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(path)
    return data


def _list_files(root: Path, folder: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(unit, kind) → file data, for every list file of a list set."""
    found = {}
    for path in sorted((root / folder).rglob("*.yaml")):
        data = _load(path)
        found[(data["unit"], data["kind"])] = data
    return found


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch working directory: nothing the commands write ends up in the repository."""
    return tmp_path_factory.mktemp("sample")


@pytest.fixture(scope="module")
def resolved(work: Path) -> Path:
    out = work / "resolved"
    run = run_here("resolve", str(LISTS), "-o", str(out), cwd=work)
    assert run.code == 0, run.stdout + run.stderr
    return out


def test_the_sample_is_derived_from_the_city_catalog() -> None:
    config = _load(LISTS / "qingdan.yaml")
    assert config["region"] == DISTRICT
    assert config["base"] == {"path": "catalog", "edition": "2026年版"}
    catalog = _load(CATALOG / "qingdan.yaml")
    assert (catalog["region"], catalog["level"], catalog["edition"]) == ("锦川市", "市", "2026年版")

    city = _list_files(CATALOG, catalog.get("lists", "townships"))
    assert set(city) == {("锦川市", kind) for kind in KINDS}
    assert all("items" in data and "derive" not in data for data in city.values())

    lists = _list_files(LISTS, "townships")
    assert {unit for unit, _ in lists} == {DISTRICT, "清水镇", "白鹤镇", "石桥镇", "桂湖街道"}
    for (unit, kind), data in lists.items():
        assert "derive" in data and "items" not in data, (unit, kind)
        assert data["derive"]["from"] == ("锦川市" if unit == DISTRICT else DISTRICT)
        ops = data["derive"]
        reasons = [op["reason"] for name in ("modify", "add", "omit") for op in ops.get(name, ())]
        assert all(isinstance(r, str) and r.endswith("。") for r in reasons), (unit, kind)


@pytest.mark.parametrize("root", [LISTS, CATALOG], ids=["district", "catalog"])
def test_the_sample_validates_strictly(work: Path, root: Path) -> None:
    run = run_here("validate", str(root), "--strict", "--no-cache", cwd=work)
    assert run.code == 0, run.stdout + run.stderr
    assert "没有发现问题" in run.stdout


def test_the_resolved_sample_is_an_ordinary_list_set(work: Path, resolved: Path) -> None:
    run = run_here("validate", str(resolved), "--strict", "--no-cache", cwd=work)
    assert run.code == 0, run.stdout + run.stderr
    files = list((resolved / "townships").rglob("*.yaml"))
    assert files and all("derive" not in _load(path) for path in files)


def test_each_township_resolves_to_the_expected_number_of_items(resolved: Path) -> None:
    """Counted from the operations (base − omitted + added), checked against the resolution."""
    city = _list_files(CATALOG, _load(CATALOG / "qingdan.yaml").get("lists", "townships"))
    lists = _list_files(LISTS, "townships")
    out = _list_files(resolved, "townships")

    def expected(unit: str, kind: str) -> int:
        ops = lists[(unit, kind)]["derive"]
        base = ops["from"]
        size = len(city[(base, kind)]["items"]) if base == "锦川市" else expected(base, kind)
        return size - len(ops.get("omit", ())) + len(ops.get("add", ()))

    per_unit: dict[str, int] = {}
    for unit, kind in lists:
        count = len(out[(unit, kind)]["items"])
        assert count == expected(unit, kind), (unit, kind)
        if unit != DISTRICT:
            per_unit[unit] = per_unit.get(unit, 0) + count
    assert len(per_unit) == 4
    for unit, total in per_unit.items():
        assert 100 <= total <= 350, (unit, total)  # DOMAIN.md §8: one township, 100–350 items


def test_stats_report_the_districts_changes_to_the_catalog(work: Path) -> None:
    run = run_here("stats", str(LISTS), "--format", "json", cwd=work)
    assert run.code == 0, run.stderr
    rows = [r for r in json.loads(run.stdout)["rows"] if r["unit"] == DISTRICT]
    assert {r["kind"] for r in rows} == set(KINDS)
    for column in ("modified", "added", "omitted"):
        assert sum(r[column] for r in rows) > 0, column


def test_a_catalog_change_shows_in_every_derived_list(tmp_path: Path) -> None:
    """diff and check compare resolved lists: a change to the city catalog alone reaches the
    district list and all four townships, in the working tree and between git revisions."""
    import shutil
    import subprocess

    lists = tmp_path / "lists"
    shutil.copytree(LISTS, lists, ignore=shutil.ignore_patterns("resolved"))
    git = [
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "-c",
        "commit.gpgsign=false",
    ]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "2026年版"], cwd=tmp_path, check=True)
    catalog = lists / "catalog" / "mulu" / "duty.yaml"
    text = catalog.read_text(encoding="utf-8")
    start = text.index("\n    duty: ", text.index("code: ZR-01-001"))
    end = text.index("\n", start + 1)
    catalog.write_text(text[:end] + "（市级新增要求）" + text[end:], encoding="utf-8")

    working = json.loads(run_here("diff", "HEAD", "--format", "json", cwd=lists).stdout)
    units = sorted(c["unit"] for c in working["changes"])
    assert units == sorted([DISTRICT, "清水镇", "白鹤镇", "石桥镇", "桂湖街道"])
    assert all(c["code"] == "ZR-01-001" and c["type"] == "调整" for c in working["changes"])

    subprocess.run([*git, "commit", "-qam", "市级调整"], cwd=tmp_path, check=True)
    revisions = json.loads(run_here("diff", "HEAD~1", "HEAD", "--format", "json", cwd=lists).stdout)
    assert [c["unit"] for c in revisions["changes"]] == [c["unit"] for c in working["changes"]]
    check = run_here("check", "--base", "HEAD~1", cwd=lists)
    assert check.code == 1
    # each line ends with its code (the message itself names it too: qingdan explain …)
    assert sum(line.endswith("  change.uncovered") for line in check.stdout.splitlines()) == 5
