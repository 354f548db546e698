"""The derived-set benchmark generator keeps producing a set that validates clean.

The benchmarks themselves never run in the test suite; this only guards the generator against
rot when list kinds, schemas or derivation rules change.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO, run_qingdan

sys.path.insert(0, str(REPO / "benchmarks"))
import generate_derived


def test_quick_derived_set_validates_clean_and_resolves_to_its_stated_size(tmp_path: Path) -> None:
    """The --quick derived set: no errors, no warnings, and stats/resolve see every township."""
    shape = generate_derived.QUICK
    summary = generate_derived.generate_derived(tmp_path / "set", shape)
    run = run_qingdan("validate", "set", "--strict", "--no-cache", cwd=tmp_path)
    assert run.code == 0, run.stdout + run.stderr
    assert "没有发现问题" in run.stdout.splitlines()[-1]
    # validate counts the derived set's resolved items and the catalog (its base) it checks too
    catalog = summary["catalog_items"] * len(summary["resolved_by_kind"])
    assert f"{summary['resolved_items'] + catalog} 个事项" in run.stdout
    run = run_qingdan("resolve", "set", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert run.code == 0, run.stdout + run.stderr
    lists = sorted((tmp_path / "out" / "townships").glob("*/*.yaml"))
    assert len(lists) == 3 * (shape.townships + 1)
