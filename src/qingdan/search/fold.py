"""Texts made comparable, one character for one character, so a match in the folded text is a
match at the same places in the text as written (the highlighted spans need no mapping back).

Three foldings, each a table of single characters: traditional → simplified Chinese (OpenCC's
character table, converted one character at a time), full-width letters, digits and code
symbols and the ideographic space → their half-width forms, upper → lower case. The table is made once when an index
is built and kept with it, so that a warm ``find`` and the site's page fold a query without
OpenCC.
"""

from __future__ import annotations

FoldTable = dict[int, str]

_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
"""Where traditional characters are: CJK extension A, the unified ideographs, compatibility."""


WIDE_FORMS = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ－．／＿"
"""Full-width forms folded to half-width: letters, digits and what codes are written with.
Chinese punctuation（，；：（））stays as it is: it is how Chinese text is written, not a
typing accident, and folding it would change nearly every text of a list."""


def width_and_case() -> FoldTable:
    """The full-width forms of ``WIDE_FORMS`` and the ideographic space as half-width; upper
    case letters (either width) as lower case."""
    table = {ord(c): chr(ord(c) - 0xFEE0) for c in WIDE_FORMS}
    table[0x3000] = " "
    for c in [*range(ord("A"), ord("Z") + 1), *range(0xFF21, 0xFF3B)]:
        table[c] = chr(ord(table.get(c, chr(c))) + 32)
    return table


def traditional() -> FoldTable:
    """Traditional → simplified, character by character (OpenCC t2s), for the CJK ranges.

    Each character goes through OpenCC on its own line, so no phrase rule joins neighbours;
    the few that would become more than one character are left as written."""
    import opencc  # noqa: PLC0415  (only when an index is built)

    chars = [chr(c) for start, end in _CJK_RANGES for c in range(start, end)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # an OpenCC that joins lines: no table rather than a wrong one
        return {}
    return {ord(a): b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}


def full_table() -> FoldTable:
    return {**traditional(), **width_and_case()}


def fold(text: str, table: FoldTable) -> str:
    """``text`` folded: as long as ``text``, each character replaced by its folded form."""
    return text.translate(table)
