"""The content-hash cache: same answers warm as cold, outside the list set, invalidated by change."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run_qingdan
from test_cli import BASE, GOOD_DUTY


def make_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(BASE, root)
    (root / "townships" / "qs").mkdir(parents=True)
    (root / "townships" / "qs" / "duty.yaml").write_text(
        GOOD_DUTY.replace("落实党建", "落实党建,"), "utf-8"
    )
    return root


def test_cross_file_findings_come_back_from_the_cache_and_follow_changes(tmp_path: Path) -> None:
    """A duplicate code across two files is reported warm as cold, and gone once fixed."""
    root = make_set(tmp_path)
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    twin = root / "townships" / "qs" / "duty-2.yaml"
    twin.write_text(GOOD_DUTY.replace("基层党组织建设", "党员教育管理"), "utf-8")
    cold = run_qingdan("validate", "-f", "json", cwd=root, env=env)
    warm = run_qingdan("validate", "-f", "json", cwd=root, env=env)
    assert '"rule.duplicate-code"' in cold.stdout
    assert (warm.code, warm.stdout) == (cold.code, cold.stdout)
    twin.write_text(
        GOOD_DUTY.replace("ZR-01-001", "ZR-01-002").replace("基层党组织建设", "党员教育管理"),
        "utf-8",
    )
    fixed = run_qingdan("validate", "-f", "json", cwd=root, env=env)
    assert '"rule.duplicate-code"' not in fixed.stdout


def test_warm_run_matches_cold_and_lives_outside_the_list_set(tmp_path: Path) -> None:
    """A second run answers from the cache with identical output; the list set is untouched."""
    root = make_set(tmp_path)
    cache = tmp_path / "cache"
    env = {"QINGDAN_CACHE_DIR": str(cache)}
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    cold = run_qingdan("validate", "-f", "json", cwd=root, env=env)
    assert list(cache.glob("*.json")), "the cold run should have written a cache file"
    warm = run_qingdan("validate", "-f", "json", cwd=root, env=env)
    assert (warm.code, warm.stdout) == (cold.code, cold.stdout)
    assert '"text.ascii-punctuation"' in warm.stdout
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_changed_file_or_registry_is_checked_again(tmp_path: Path) -> None:
    """Editing a list file, or the registry it depends on, changes the answer despite the cache."""
    root = make_set(tmp_path)
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    duty = root / "townships" / "qs" / "duty.yaml"
    assert run_qingdan("validate", cwd=root, env=env).code == 0
    duty.write_text(GOOD_DUTY.replace("office: 党政综合办公室", "office: 新设办公室"), "utf-8")
    assert run_qingdan("validate", cwd=root, env=env).code == 1
    registry = root / "departments.yaml"
    registry.write_text(
        registry.read_text("utf-8") + "  - {code: N09, name: 新设办公室, type: 镇街内设机构}\n",
        "utf-8",
    )
    assert run_qingdan("validate", cwd=root, env=env).code == 0


def test_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    """Garbage in the cache directory costs speed, never correctness."""
    root = make_set(tmp_path)
    cache = tmp_path / "cache"
    env = {"QINGDAN_CACHE_DIR": str(cache)}
    cold = run_qingdan("validate", cwd=root, env=env)
    for entry in cache.glob("*.json"):
        entry.write_bytes(b"\x00not json")
    again = run_qingdan("validate", cwd=root, env=env)
    assert (again.code, again.stdout) == (cold.code, cold.stdout)
    shutil.rmtree(cache)


def test_cached_findings_name_files_as_seen_from_the_current_folder(tmp_path: Path) -> None:
    """Run from inside the set, then from its parent: the warm run shows the parent-relative path."""
    root = make_set(tmp_path)
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    inside = run_qingdan("validate", "-f", "github", cwd=root, env=env)
    outside = run_qingdan("validate", "set", "-f", "github", cwd=tmp_path, env=env)
    assert inside.stdout.startswith("::warning file=townships/qs/duty.yaml,")
    assert outside.stdout.startswith("::warning file=set/townships/qs/duty.yaml,")
