"""Data-driven validate cases: each folder under cases/validate is a bad input and its full output.

A case folder holds ``files/`` (laid over the small list set in ``_base/``), optionally
``args.txt`` (CLI arguments, one per line) and ``expected.json`` (exit code, stderr, findings).
Regenerate expectations with ``pytest --update-golden`` and read the diff before committing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_here
from qingdan.messages import CATALOG

CASES = Path(__file__).parent / "cases" / "validate"
ELSEWHERE = {
    "file.too-large": "test_bad_input.py: a case would need a 32 MB file in the repo",
    "derive.reason-placeholder": "test_import.py: written by qingdan import xlsx --derive-from",
    **dict.fromkeys(
        [
            "import.hidden-sheet",
            "import.no-header",
            "import.unknown-column",
            "import.cell",
            "import.number-cell",
            "import.code-made",
            "import.no-code",
        ],
        "test_import.py: workbooks built by the tests themselves",
    ),
    "change.uncovered": "test_diff.py: needs a git base version (qingdan check)",
    "change.unused": "test_diff.py: needs a git base version (qingdan check)",
    "change.type-mismatch": "test_diff.py: needs a git base version (qingdan check)",
    "change.fields-mismatch": "test_diff.py: needs a git base version (qingdan check)",
    "change.expired-listed": "test_admissions.py: needs a git base version (qingdan check)",
    "derive.base-loop": "test_hostile.py: sets that are their own or each other's base",
    "book.missing-glyph": "test_book.py: reported by qingdan export book, not by validate",
    **dict.fromkeys(
        [
            "derive.no-base",
            "derive.cycle",
            "derive.broken-base",
            "derive.unknown-code",
            "derive.twice",
            "derive.modify-omitted",
            "derive.set-code",
            "derive.unknown-field",
            "derive.code-taken",
            "derive.local-code",
            "derive.bad-codes",
            "derive.base-missing",
            "derive.edition",
            "derive.base-findings",
            "derive.base-changed",
            "derive.base-unset",
        ],
        "test_derive.py: needs a base list set beside the case",
    ),
}
BASE = CASES / "_base"


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def run_case(case: Path, tmp_path: Path) -> dict[str, object]:
    root = tmp_path / "set"
    shutil.copytree(BASE, root)
    if (case / "files").is_dir():
        shutil.copytree(case / "files", root, dirs_exist_ok=True, symlinks=True)
    args_file = case / "args.txt"
    args = args_file.read_text("utf-8").split() if args_file.exists() else ["validate"]
    run = run_here(*args, "--format", "json", "--no-cache", cwd=root)
    report = json.loads(run.stdout) if run.stdout.strip() else None
    return {
        "exit_code": run.code,
        "stderr": run.stderr,
        "summary": report["summary"] if report else None,
        "findings": report["findings"] if report else [],
    }


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case(case: Path, tmp_path: Path, update_golden: bool) -> None:
    """The validator's whole output for this bad input is exactly the reviewed expectation."""
    actual = run_case(case, tmp_path)
    expected_file = case / "expected.json"
    if update_golden or not expected_file.exists():
        expected_file.write_text(
            json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    expected = json.loads(expected_file.read_text("utf-8"))
    assert actual == expected


def test_every_finding_code_has_a_case() -> None:
    """Each code in the catalog is produced by at least one case, so none is dead or untested."""
    produced: set[str] = set()
    for case in case_dirs():
        expected = json.loads((case / "expected.json").read_text("utf-8"))
        produced.update(f["code"] for f in expected["findings"])
    assert sorted(set(CATALOG) - produced - set(ELSEWHERE)) == []
    assert sorted(produced - set(CATALOG)) == []
