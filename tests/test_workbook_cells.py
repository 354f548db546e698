"""Cell safety: what no workbook can hold is removed or cut, and said; the rest is kept."""

from __future__ import annotations

from qingdan.workbook.cells import MAX_CELL, TRUNCATED, safe


def test_text_is_kept_as_typed() -> None:
    """Ordinary text, tabs and line breaks inside, stays exactly as it is."""
    text = "负责巡查\t报告\n及时劝阻 “违规”行为"
    assert safe(text).text == text
    assert (safe(text).removed, safe(text).cut) == (0, False)


def test_illegal_characters_and_noncharacters_are_removed_and_counted() -> None:
    """Control characters XML forbids, lone surrogates and noncharacters (U+FFFF, U+FDD0,
    U+10FFFF) are dropped, each one counted."""
    cell = safe("巡\x00查\x1b报\ud800告\ufffe\uffff\ufdd0\U0010ffff完")
    assert cell.text == "巡查报告完"
    assert cell.removed == 7


def test_formula_like_text_is_flagged_for_a_quote_prefix() -> None:
    """Text Excel would take for a formula once edited is marked so the writer quotes it."""
    assert [safe(t).formula_like for t in ("=1+1", "+86", "-1", "@a", "区应急局")] == [
        True,
        True,
        True,
        True,
        False,
    ]


def test_long_text_is_cut_to_excel_limit_in_utf16_units() -> None:
    """Past 32,767 UTF-16 units the text is cut and ends in a notice; characters beyond the
    BMP count twice, as Excel counts them."""
    cell = safe("劝阻" * 20_000)
    assert cell.cut and cell.text.endswith(TRUNCATED) and len(cell.text) == MAX_CELL
    wide = safe("𠀀" * 20_000)  # CJK Extension B: two units each
    assert wide.cut
    assert len(wide.text.encode("utf-16-le")) // 2 <= MAX_CELL
    assert wide.text.endswith(TRUNCATED)
    assert not safe("劝阻" * 10_000).cut
