"""Mutated real list files: never a crash, and the fast path never changes the answer."""

from __future__ import annotations

import datetime as dt
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE
from qingdan.checks.listfile import check_file
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


@cache
def workspace() -> Workspace:
    return Workspace()


def listset() -> ListSet:
    return workspace().open(SAMPLE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SAMPLES),
    st.lists(
        st.tuples(st.integers(0, 4000), st.sampled_from(TOKENS), st.integers(0, 3)),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_list_file_never_crashes_and_both_paths_agree(
    text: str, edits: list[tuple[int, str, int]]
) -> None:
    """Insert odd tokens (and cut a few characters) anywhere: findings, never exceptions."""
    for at, token, cut in edits:
        text = text[:at] + token + text[at + cut :]
    raw = text.encode("utf-8")
    both = check_file_bytes(raw, "t.yaml", workspace(), listset(), TODAY)
    vetted = vet_bytes(raw, "t.yaml")
    if isinstance(vetted, Source):
        slow = check_file(parse(vetted), listset(), TODAY, resolver(workspace(), listset()))
        assert [f.to_tuple() for f in both.findings] == [f.to_tuple() for f in slow.findings]
    assert all(f.location.file == "t.yaml" for f in both.findings)
