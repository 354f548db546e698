"""How a sheet prints: fonts, column widths, row heights for CJK text, page setup.

Offices print lists and bind them (DOMAIN.md §7), and LibreOffice and WPS do not fit the height
of wrapped rows themselves: a row without a stored height shows one line and hides the rest, on
screen and in print. So heights are computed here, as Excel wraps, and every sheet is set up as
an A4 landscape table fitted to the page width, its head repeated on every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qingdan.config import ExportSpec

BASE_SIZE = 10.5
"""五号: the font size column widths are reckoned in (one unit ≈ one Latin letter, half a
Chinese character at this size)."""
LINE_FACTOR = 14 / BASE_SIZE
"""Points of row height per point of font size for one line, with the leading Excel and
LibreOffice give Chinese text."""
ROW_PADDING = 4
CELL_PADDING = 1.5
"""Units of a column's width that a cell's padding takes (``lines``)."""
LATIN_WIDTH = 1.15
"""Units a Latin letter or digit takes at ``BASE_SIZE`` (``lines``)."""
WRAP_LOSS = 0.25
"""Units a wrapped line is reckoned short of the column's room (``lines``)."""
MAX_ROW_HEIGHT = 409
"""Excel's largest row height, in points."""
MAX_HEADER = 255
"""Excel's limit on a page header or footer, codes included."""
SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))
CM = 1 / 2.54
"""Inches per centimetre (xlsxwriter takes margins in inches)."""
FOOTER = "第 &P 页 共 &N 页"
MARGINS = {"left": 3.5, "right": 3.7, "top": 2.8, "bottom": 2.6}
"""Page margins in cm: GB/T 9704's 156 × 225 mm type area turned, as landscape tables are bound
on odd pages, table head on the binding side."""
A4_LANDSCAPE = (29.7, 21.0)
"""Paper width and height in cm."""
POINTS_PER_CM = 72 / 2.54
PAGE_FILL = 0.9
"""Share of a page's estimated height that rows are planned to fill: Excel, WPS and LibreOffice
lay wrapped text out a little differently from ``lines``."""
PRINT_SCALE = 0.85
"""The scale a sheet's printed columns are planned to print at (``print_widths``): body text
at 五号 (10.5 pt) prints at about 9 pt, readable, and the rows' wrapped text takes fewer lines
than at full size — a township's list of 25 columns then takes about half the paper."""
MAX_PAGE_BREAKS = 1023
"""Excel's limit on the manual page breaks of a sheet."""


@dataclass(frozen=True, slots=True)
class Fonts:
    """The faces and size a set's exports use (``export.fonts`` in qingdan.yaml)."""

    title: str = "方正小标宋简体"
    head: str = "黑体"
    body: str = "仿宋_GB2312"
    size: float = BASE_SIZE
    title_size: float = 16

    @classmethod
    def of(cls, spec: ExportSpec) -> Fonts:
        """The fonts a set's ``export.fonts`` names."""
        return cls(spec.title_font, spec.head_font, spec.body_font, spec.font_size)


def lines(text: str, width: float, size: float = BASE_SIZE) -> int:
    """Lines ``text`` takes in a column ``width`` units wide at font ``size``.

    A paragraph's width is its length in GB 18030 bytes: one unit for a Latin letter or digit,
    two for a Chinese character or full-width mark, more (so, generously) for the rare rest;
    encoding measures 100,000 rows in C rather than character by character. Calibrated
    against LibreOffice on 1,000 cells of the sample's texts in columns 7 to 30 wide: a
    cell's padding takes ``CELL_PADDING`` units; a Latin letter or digit
    ``LATIN_WIDTH`` (the fonts LibreOffice substitutes draw them wider than half a Chinese
    character); and a line breaks between characters, Excel and LibreOffice keeping
    punctuation off the start of a line and Latin words whole, so a wrapped line is reckoned
    ``WRAP_LOSS`` units short. So estimated, no cell of the sample wraps to more lines than
    counted, and the count is about a fifth over in narrow columns, a tenth in wide ones.
    (A list workbook remembers it with the text's cell: ``writer.SheetRows``.)"""
    room = max(width * BASE_SIZE / size - CELL_PADDING, 3)
    total = 0
    for paragraph in text.split("\n"):
        units = len(paragraph.encode("gb18030", "replace"))
        used = units + max(2 * len(paragraph) - units, 0) * (LATIN_WIDTH - 1)
        total += 1 if used <= room else -int(-used // (room - WRAP_LOSS))
    return total


def row_height(texts: Sequence[str], widths: Sequence[float], size: float = BASE_SIZE) -> float:
    """Points that show every line of the row's wrapped texts: generously, as too tall costs a
    little paper and too short hides text in print."""
    most = max(
        (lines(text, width, size) for text, width in zip(texts, widths, strict=True) if text),
        default=1,
    )
    return row_height_of(most, size)


def row_height_of(count: int, size: float = BASE_SIZE) -> float:
    """Points a row of ``count`` lines at font ``size`` takes (Excel's largest at most)."""
    return min(count * size * LINE_FACTOR + ROW_PADDING, MAX_ROW_HEIGHT)


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = wanted.translate(SHEET_NAME_FORBIDDEN).strip("'") or "Sheet"
    name, number = base[:SHEET_NAME_LIMIT], 1
    while name.lower() in {t.lower() for t in taken}:
        number += 1
        suffix = f"（{number}）"
        name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
    taken.add(name)
    return name


def header_text(text: str) -> str:
    """``text`` as literal header text: ``&`` starts a code in a header, so it is doubled."""
    return text.replace("&", "&&")


def set_up_page(
    sheet: Any,
    *,
    head_rows: tuple[int, int],
    header: str,
    fonts: Fonts,
    footer: str = FOOTER,
) -> None:
    """A4 landscape, one page wide, the head rows (0-based, inclusive) frozen and repeated on
    every printed page, ``header`` in the page header and page numbers in the footer.

    The margins are ``MARGINS``.
    """
    first, last = head_rows
    sheet.freeze_panes(last + 1, 0)
    sheet.repeat_rows(first, last)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(**{side: cm * CM for side, cm in MARGINS.items()})
    head = f'&C&"{fonts.head},常规"&11{header_text(header)}'
    foot = f'&C&"{fonts.body},常规"&11{footer}'
    sheet.set_header(head[:MAX_HEADER], {"margin": 1.5 * CM})
    sheet.set_footer(foot, {"margin": 1.6 * CM})


def column_points(width: float) -> float:
    """Points a column ``width`` units wide takes (as Excel converts: 7 pixels a unit and 5 of
    padding, at 96 pixels an inch)."""
    return (int(width * 7 + 0.5) + 5) * 0.75 if width >= 1 else int(width * 12 + 0.5) * 0.75


def printable_points() -> float:
    """Points of an A4 landscape page's width between the margins."""
    return (A4_LANDSCAPE[0] - MARGINS["left"] - MARGINS["right"]) * POINTS_PER_CM


def print_widths(fixed: Sequence[float], columns: Sequence[tuple[float, float]]) -> list[float]:
    """Widths of the printed columns, so that the print area fills the page at ``PRINT_SCALE``.

    ``fixed`` are columns of their own width (序号, 镇（街道）, 领域); ``columns`` the others'
    least widths in characters of table text (``Column.print_width``) and their screen widths.
    Each gets two units a character and one of padding; the room left on the page goes to
    them by their screen width, so that the long texts (职责内容, 依据) get most of it and a
    code or a phone number little. What cannot fit at its least width prints smaller."""
    least = [2 * share + 1 for share, _ in columns]
    room = printable_points() / PRINT_SCALE - sum(column_points(w) for w in fixed)
    spare = room - sum(column_points(w) for w in least)
    screen = sum(width for _, width in columns)
    if spare <= 0 or not screen:
        return least
    units = spare / (7 * 0.75)  # column_points: 5.25 points a unit
    return [
        round(w + units * width / screen, 1) for w, (_, width) in zip(least, columns, strict=True)
    ]


def page_room(widths: Sequence[float], head: float) -> float:
    """Points of rows one printed page holds below the repeated head rows (``head`` points),
    in the sheet's own points: fitted to the page width, a wide sheet prints smaller and so
    fits more rows. Planned at ``PAGE_FILL`` of the estimate."""
    scale = min(1.0, printable_points() / sum(column_points(w) for w in widths))
    height = (A4_LANDSCAPE[1] - MARGINS["top"] - MARGINS["bottom"]) * POINTS_PER_CM
    return height / scale * PAGE_FILL - head
