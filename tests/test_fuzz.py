"""Mutated real list files: never a crash, and the fast path never changes the answer."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE
from qingdan.checks.listfile import check_file
from qingdan.fastyaml import fast_parse
from qingdan.listset import ListSet
from qingdan.source import Source, vet_bytes
from qingdan.validation import check_file_bytes, resolver
from qingdan.workspace import Workspace
from qingdan.yamldoc import parse


def _head(kind: str) -> str:
    """The header and first few items of a real sample list."""
    text = (SAMPLE / "townships" / "guihu" / f"{kind}.yaml").read_text("utf-8")
    return text[: text.index("\n  - code:", 2000)]


SAMPLES = [_head(kind) for kind in ("duty", "service", "territorial")]
TOKENS = [
    "- ",
    ": ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "!!str ",
    "!!python/name:os.system ",
    "\t",
    "'",
    '"',
    "\n",
    "\n  ",
    "yes",
    "0838",
    "9:00",
    "2024-01-01",
    "~",
    "#",
    "---\n",
    "\x00",
    "\ufeff",
    "<<: ",
    "?",
    "|",
    ">",
    "\\",
    "%",
    "@",
    "繁體",
    ",",
    "（",
    "  ",
]
TODAY = dt.date(2026, 11, 23)

Edits = list[tuple[int, str, int]]


def mutations(tokens: list[str], reach: int = 4000) -> st.SearchStrategy[Edits]:
    """Up to four (where, token, how many characters it replaces) mutations of a text."""
    return st.lists(
        st.tuples(st.integers(0, reach), st.sampled_from(tokens), st.integers(0, 3)),
        min_size=1,
        max_size=4,
    )


def mutated(text: str, changes: Edits) -> str:
    for at, token, cut in changes:
        text = text[:at] + token + text[at + cut :]
    return text


@cache
def workspace() -> Workspace:
    return Workspace()


def listset() -> ListSet:
    return workspace().open(SAMPLE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SAMPLES), mutations(TOKENS))
def test_mutated_list_file_never_crashes_and_both_paths_agree(
    text: str, edits: list[tuple[int, str, int]]
) -> None:
    """Insert odd tokens (and cut a few characters) anywhere: findings, never exceptions."""
    text = mutated(text, edits)
    raw = text.encode("utf-8")
    both = check_file_bytes(raw, "t.yaml", workspace(), listset(), TODAY)
    vetted = vet_bytes(raw, "t.yaml")
    if isinstance(vetted, Source):
        slow = check_file(parse(vetted), listset(), TODAY, resolver(workspace(), listset()))
        assert [f.to_tuple() for f in both.findings] == [f.to_tuple() for f in slow.findings]
    assert all(f.location.file == "t.yaml" for f in both.findings)


@pytest.mark.parametrize(
    "value",
    ["_1", "+_1", "0_8", "1_000", "1e1_0", "1e1", "1E+1", "012", "08", "0o17", "0X1F", "+.1"],
)
@pytest.mark.parametrize("shape", ["copies: {}\n", "- {}\n", "a: [{}, 2]\n", "{}: x\n"])
def test_fast_path_reads_numbers_as_the_located_path_does(shape: str, value: str) -> None:
    """yaml-rs reads these as numbers (or as other numbers) where PyYAML reads text or another
    number; such a file must take the located path, or be read the same on both."""
    source = vet_bytes(shape.format(value).encode(), "t.yaml")
    assert isinstance(source, Source)
    fast = fast_parse(source)
    assert fast is None or fast.data == parse(source).data


def test_integer_too_long_for_python_is_a_finding_at_its_line() -> None:
    for digits in ("9" * 5000, "0x" + "f" * 4000):
        source = vet_bytes(f"kind: duty\nitems:\n  - copies: {digits}\n".encode(), "t.yaml")
        assert isinstance(source, Source)
        assert fast_parse(source) is None
        doc = parse(source)
        assert [(f.code, f.location.line, f.location.column) for f in doc.findings] == [
            ("yaml.number-too-long", 3, 13)
        ]
