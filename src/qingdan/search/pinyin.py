"""Names spelt in pinyin, one syllable per character, for queries typed without an IME.

pypinyin reads whole words (银行 is yin hang, not yin xing), so a name is spelt as a whole and
each character keeps the syllable it got there, without tones, ü as v (as typed on a keyboard).
Letters and digits spell themselves; any other character has no syllable, so a pinyin query
does not run across it. Spelling takes about 0.6 ms a name, so an index spells each distinct
name once and keeps the result in its cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

SEPARATOR = "|"
"""Between the syllables of a spelling as the index keeps it (``xun|jing|gai``)."""


def spell(names: Iterable[str]) -> dict[str, str]:
    """Each (folded) name with its syllables joined by ``SEPARATOR``, one per character."""
    from pypinyin import lazy_pinyin  # noqa: PLC0415  (1 s to import: only when an index is built)

    def own(chunk: str) -> Any:  # pypinyin takes a list of readings, its stubs say str
        return list(chunk)

    out = {}
    for name in names:
        read = lazy_pinyin(name, errors=own)
        if len(read) != len(name):  # not one reading per character: spell each on its own
            read = [lazy_pinyin(c, errors=own)[0] if c.strip() else "" for c in name]
        out[name] = SEPARATOR.join(_syllable(s) for s in read)
    return out


def _syllable(read: str) -> str:
    return read if read.isascii() and read.isalnum() else ""


def pinyin_span(query: str, spelling: str) -> tuple[int, int] | None:
    """Where ``query`` (ASCII letters) spells a run of the name: full syllables (the last may be
    cut short: ``jingg``), or the first letter of each (``jg``). Characters, not letters."""
    syllables = spelling.split(SEPARATOR)
    for start, first in enumerate(syllables):
        if not first or first[0] != query[0]:
            continue
        end = _initials(query, syllables, start) or _full(query, syllables, start)
        if end is not None:
            return start, end
    return None


def _initials(query: str, syllables: list[str], start: int) -> int | None:
    end = start + len(query)
    if end > len(syllables):
        return None
    if all(s and s[0] == q for s, q in zip(syllables[start:end], query, strict=True)):
        return end
    return None


def _full(query: str, syllables: list[str], start: int) -> int | None:
    rest, at = query, start
    while rest:
        if at >= len(syllables) or not syllables[at]:
            return None
        syllable = syllables[at]
        if rest.startswith(syllable):
            rest = rest[len(syllable) :]
        elif syllable.startswith(rest):
            rest = ""
        else:
            return None
        at += 1
    return at
