"""A ``Book`` as PDF, set by the Typst typesetter (the ``typst`` package, imported here only).

The page design lives in ``data/book.typ``; this module writes the book's content after it as
Typst code in which every value from the lists is a string literal, so that ``#``, ``*``, ``$``,
``<`` and the rest print as written. Typst breaks Chinese lines by the rules (no 。，、 at a line
start), repeats each table's header row on every page and fills the 目录 with real page numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qingdan.book import appendices
from qingdan.errors import QingdanError
from qingdan.stats import COLUMNS

if TYPE_CHECKING:
    from qingdan.book import Book, Part
    from qingdan.fonts import Fonts
    from qingdan.kinds import Column
    from qingdan.rows import Row

TEMPLATE = Path(__file__).parent / "data" / "book.typ"


def pdf(book: Book, fonts: Fonts) -> bytes:
    """The book as PDF, its fonts embedded (subset)."""
    import typst  # noqa: PLC0415  (heavy, needed for printing only)

    try:
        return typst.compile(source(book, fonts).encode(), font_paths=fonts.catalog, format="pdf")
    except typst.TypstError as exc:  # a bug in the generated text, not in the user's data
        raise QingdanError(
            f"排版失败：{exc.message}。请把这条信息报告给 qingdan 的维护者。"
        ) from exc


def source(book: Book, fonts: Fonts) -> str:
    """The Typst text of the whole book."""
    head = (
        "#let fonts = ("
        + ", ".join(f"{role.value}: {quote(family)}" for role, family in fonts.families.items())
        + ")\n"
        f"#let book-title = {quote(book.title)}\n#let book-compiler = {quote(book.compiler)}\n"
    )
    return head + TEMPLATE.read_text(encoding="utf-8") + "\n".join(_body(book)) + "\n"


def quote(text: str) -> str:
    """A Typst string literal that prints ``text`` exactly."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _array(values: Iterable[str]) -> str:
    """A Typst array of strings (the trailing comma keeps a one-element array an array)."""
    return "(" + "".join(f"{quote(v)}, " for v in values) + ")"


def _body(book: Book) -> Iterator[str]:
    yield (
        f"#cover({quote(book.title)}, {quote(book.unit)}, {quote(book.edition)}, "
        f"{quote(book.compiler)}, {quote(book.date)})"
    )
    yield "#counter(page).update(1)"
    if book.notice.strip():
        yield f"#notice({quote(book.notice)})"
    yield "#contents()"
    yield from _explanation(book)
    for number, part in enumerate(book.parts):
        yield _part(number, part)
    titles = appendices(book)
    if book.index:
        yield "#pagebreak(weak: true)"
        yield _index(book, titles[0])
    if book.changes:
        yield "#pagebreak(weak: true)"
        rows = "".join(
            _array((c.date, c.item, c.change, c.reason, c.approval)) + ", " for c in book.changes
        )
        yield f"#change-log({quote(titles[-1])}, ({rows}))"


def _explanation(book: Book) -> Iterator[str]:
    yield '#chapter("编制说明")'
    if book.explanation.strip():
        yield f"#paragraphs({quote(book.explanation)})"
    yield f"#par({quote(f'本书收录清单 {len(book.parts)} 张，共 {book.items} 个事项，各清单按领域分列如下。')})"
    rows = [
        _array((part.table.title, section.name, str(len(section.rows))))
        for part in book.parts
        for section in part.table.sections
    ]
    yield (
        '#plain-table((3fr, 3fr, 1fr), (left, left, right), ("清单", "领域", "事项数"), ('
        + "".join(f"{r}, " for r in rows)
        + "))"
    )
    if book.derived:
        yield f"#par({quote('以上级清单为基础派生的清单，与上级清单相比的事项数如下。')})"
        counted = [_array((name, *map(str, counts))) for name, counts in book.derived]
        widths = "(3fr, " + "1fr, " * len(COLUMNS) + ")"
        aligns = "(left, " + "right, " * len(COLUMNS) + ")"
        yield (
            f"#plain-table({widths}, {aligns}, {_array(('清单', *COLUMNS))}, ("
            + "".join(f"{r}, " for r in counted)
            + "))"
        )
    yield "#pagebreak(weak: true)"


TYPE_WIDTH = 225 / 25.4 * 72 / 10.5
"""The landscape type area (225 mm) in ems of the table text (10.5 pt)."""

INSET = 6 / 10.5
"""A table cell's padding left and right (3 pt each at 10.5 pt), in ems."""

NUMBER_WIDTH = 2.2 + INSET
"""The 序号 column, in ems: four digits, or 序号 on one line."""


SLACK = 0.05
"""What a column gets beyond the ems its text needs, so that rounding never wraps a line that
was reckoned to fit (two characters in two ems)."""

LINE_END = 2.0
"""The ems an explicit line break costs on average: the unfilled end of the line before it."""

SPLIT_LINES = 12
"""A row estimated at more lines than this may break across pages; shorter rows stay whole. A
landscape page holds about 25 lines of table text, so a row kept whole always fits on one
(the typesetter cuts off what does not fit of a row it may not break)."""


def _part(number: int, part: Part) -> str:
    table = part.table
    text_widths = column_widths(table.columns, part.rows)
    widths = "(" + "".join(f"{w + INSET:.2f}em, " for w in text_widths) + ")"
    head = _array(c.title for c in table.columns)
    sections = []
    row = 0
    for section in table.sections:
        rows = []
        for entry in section.rows:
            split = "true" if _lines(entry.cells, text_widths) > SPLIT_LINES else "false"
            rows.append(f"({row}, {split}, {quote(str(entry.number))}, " + _array(entry.cells)[1:])
            row += 1
        sections.append(
            f"(name: {quote(section.name)}, rows: (" + "".join(f"{r}, " for r in rows) + "))"
        )
    return (
        f'#list-part({number}, {quote(table.title)}, ({NUMBER_WIDTH:.2f}em, ..{widths}), ("序号", ..{head}), ('
        + "".join(f"{s}, " for s in sections)
        + "))"
    )


def _index(book: Book, title: str) -> str:
    departments = []
    for name, entries in book.index:
        lists: dict[int, list[str]] = {}
        for entry in entries:
            item = book.parts[entry.part].rows[entry.row].item
            lists.setdefault(entry.part, []).append(
                f"({quote(entry.duty.value)}, {entry.part}, {entry.row}, "
                f"{quote(item.code)}, {quote(item.name)})"
            )
        by_list = "".join(
            f"({quote(book.parts[p].table.title)}, (" + "".join(f"{e}, " for e in lines) + ")), "
            for p, lines in lists.items()
        )
        departments.append(f"({quote(name)}, ({by_list}))")
    return f"#department-index({quote(title)}, (" + "".join(f"{d}, " for d in departments) + "))"


def _ems(text: str) -> float:
    """How wide ``text`` prints, in ems: a Chinese character (and full-width punctuation) one, a
    Latin letter or digit about half."""
    return len(text) - 0.45 * len(text.encode("latin-1", "ignore"))


def column_widths(columns: Sequence[Column], rows: Sequence[Row]) -> list[float]:
    """Each column's text width in ems, filling the landscape type area.

    Every column gets at least what the kind gives it (``print_width``; half its workbook
    ``width`` where the kind does not say), and never less than its longest unbreakable run (a
    code, a phone number) needs, so nothing overflows its cell. The rest of the line goes to the
    columns in proportion to how much text they hold on average, so that the long texts wrap to
    about as many lines each and a row is no taller than it must be; a column whose longest line
    (or its title on two lines) fits in less gets only that, and leaves the rest to the others."""
    count = max(len(rows), 1)
    natural = [_ems(c.title) / 2 for c in columns]
    least = [1.0] * len(columns)
    volume = [0.0] * len(columns)
    for entry in rows:
        for i, cell in enumerate(entry.cells):
            if not cell:
                continue
            lines = cell.split("\n")
            volume[i] += (_ems(cell) + LINE_END * (len(lines) - 1)) / count
            for line in lines:
                natural[i] = max(natural[i], _ems(line))
                least[i] = max(least[i], *(_ems(run) for run in _UNBREAKABLE.findall(line)), 0)
    floor = [
        max(least[i], min(natural[i], c.print_width or c.width / 2)) for i, c in enumerate(columns)
    ]
    width: dict[int, float] = {}
    free = set(range(len(columns)))
    room = TYPE_WIDTH - NUMBER_WIDTH - (INSET + SLACK) * len(columns)
    while free:
        total = sum(volume[i] for i in free) or 1.0
        share = {i: room * volume[i] / total for i in free}
        settled = {i: natural[i] for i in free if natural[i] <= share[i]}
        settled |= {i: floor[i] for i in free if floor[i] >= share[i]}
        if not settled:
            width.update(share)
            break
        for i, w in settled.items():
            width[i] = w
            room -= w
            free.discard(i)
    return [width[i] + SLACK for i in range(len(columns))]


_UNBREAKABLE = re.compile(r"[0-9A-Za-z._/-]+")


def _lines(cells: tuple[str, ...], widths: list[float]) -> int:
    """How many lines the tallest cell of a row takes, roughly (its text over its width)."""
    return max(
        (
            sum(max(1, math.ceil(_ems(line) / width)) for line in cell.split("\n"))
            for cell, width in zip(cells, widths, strict=True)
        ),
        default=1,
    )
