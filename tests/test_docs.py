"""The documentation promises match the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qingdan.kinds import available_kinds, load_kind
from qingdan.messages import CATALOG
from qingdan.schemas import BUILTIN_DIR

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_finding_code_is_documented_with_its_severity() -> None:
    """docs/findings.md has a row for every code, with the severity the code really has."""
    text = (DOCS / "findings.md").read_text("utf-8")
    rows = dict(re.findall(r"^\| `([a-z.-]+)` \| (错误|警告) \|", text, re.MULTILINE))
    assert rows == {code: msg.severity.label for code, msg in CATALOG.items()}


PRESETS = sorted(p.name for p in BUILTIN_DIR.iterdir() if p.is_dir())


@pytest.mark.parametrize("preset_name", PRESETS)
def test_every_field_of_the_preset_is_documented(preset_name: str) -> None:
    """docs/fields.md lists every field of every shipped kind with its Chinese title, and
    docs/preset.md names every shipped preset."""
    text = (DOCS / "fields.md").read_text("utf-8")
    assert f"| `{preset_name}` |" in (DOCS / "preset.md").read_text("utf-8")
    preset = BUILTIN_DIR / preset_name
    for name in available_kinds(preset):
        item = load_kind(preset, name).item
        for key in item.property_names(()):
            assert f"| `{key}` | {item.title((key,))} |" in text, (name, key)


def test_readme_shows_the_two_commands_and_ci_runs_the_test_one() -> None:
    """README's set-up commands exist, and .ci/run calls exactly the test command."""
    root = DOCS.parent
    readme = (root / "README.md").read_text("utf-8")
    assert "make run" in readme
    assert "make test" in readme
    ci = (root / ".ci" / "run").read_text("utf-8")
    assert [line for line in ci.splitlines() if line.startswith("make")] == ["make test"]


@pytest.mark.parametrize("preset_name", PRESETS)
def test_preset_columns_name_real_fields_in_schema_order_titles(preset_name: str) -> None:
    """Each shipped kind prints real fields, titled in Chinese, starting with the item code."""
    preset = BUILTIN_DIR / preset_name
    for name in available_kinds(preset):
        kind = load_kind(preset, name)
        assert kind.columns[0].field == "code"
        assert kind.columns[0].title == "事项编码"
        assert all(c.width > 0 and c.title != c.field for c in kind.columns), name
