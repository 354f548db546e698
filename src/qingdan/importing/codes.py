"""Codes for imported items that have none, in the set's code pattern.

Office workbooks often number their rows instead of coding their items. A missing code is made
from the kind's example code (``x-qingdan.code_example``, e.g. ``SD-01-001``): its letters, the
item's top-level category code in place of the first number, and the next free number of that
category in place of the last (``SD-03-004`` after ``SD-03-003``). A code that would not match the
set's pattern is not made; the item is reported instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qingdan.kinds import Kind

_TWO_NUMBERS = re.compile(r"^(\D*)(\d+)(\D+)(\d+)$")
_ONE_NUMBER = re.compile(r"^(\D*)(\d+)$")


class CodeMaker:
    """Makes codes for one kind that no item of ``taken`` has."""

    def __init__(self, kind: Kind, taken: Iterable[str]) -> None:
        self.kind = kind
        self.taken = set(taken)

    def make(self, category: object) -> str | None:
        """The next free code for an item of ``category``, or None if the pattern has none."""
        example = self.kind.code_example
        two = _TWO_NUMBERS.match(example)
        one = _ONE_NUMBER.match(example)
        if two:
            prefix, group, sep, number = two.groups()
            top = re.sub(r"\D", "", str(category or ""))[: len(group)].rjust(len(group), "0")
            stem, width = f"{prefix}{top}{sep}", len(number)
        elif one:
            stem, width = one.group(1), len(one.group(2))
        else:
            return None
        for n in range(1, 10**width):
            code = f"{stem}{n:0{width}d}"
            if code not in self.taken:
                if not self.kind.code_regex.search(code):
                    return None
                self.taken.add(code)
                return code
        return None
