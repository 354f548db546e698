"""The two YAML paths: the fast Rust parser may only ever accept what the located path accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO
from qingdan.source import Source, vet_bytes
from qingdan.yamldoc import fast_parse, parse


def source(text: str) -> Source:
    vetted = vet_bytes(text.encode("utf-8"), "t.yaml")
    assert isinstance(vetted, Source)
    return vetted


@pytest.mark.parametrize("path", sorted((REPO / "lists").rglob("*.yaml")), ids=lambda p: p.name)
def test_fast_and_located_paths_read_the_sample_lists_identically(path: Path) -> None:
    """On every sample file the fast parser is used and yields exactly PyYAML's data."""
    src = vet_bytes(path.read_bytes(), path.name)
    assert isinstance(src, Source)
    fast = fast_parse(src)
    assert fast is not None, "an ordinary list file should take the fast path"
    assert fast.data == parse(src).data


@pytest.mark.parametrize(
    "text",
    [
        "hours: 9:00\n",  # YAML 1.1 reads 540
        "open: yes\n",
        "flag: Off\n",
        "code: 010\n",  # octal 8 in YAML 1.1
        "n: 1_000\n",
        "when: 2024-01-01\n",
        "items: [no, 2024-1-1 10:00]\n",
        "on: 1\n",  # a YAML 1.1 boolean key
        "a: &x 1\nb: *x\n",
        "a: !!python/object:os.system x\n",
        "a: 1\na: 2\n",
        "<<: {a: 1}\n",
    ],
)
def test_values_yaml_versions_disagree_on_take_the_located_path(text: str) -> None:
    """Anything YAML 1.1 and 1.2 read differently, or anything unusual, is not fast-parsed."""
    assert fast_parse(source(text)) is None


def test_deep_nesting_is_refused_before_any_parser_recurses() -> None:
    """100,000 nested brackets would crash a recursive C or Rust parser; both paths refuse."""
    deep = source("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert fast_parse(deep) is None
    doc = parse(deep)
    assert [f.code for f in doc.findings] == ["yaml.too-deep"]
