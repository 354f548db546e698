"""A ``Book`` as PDF, set by the Typst typesetter (the ``typst`` package, imported here only).

The page design lives in ``data/book.typ``; this module writes the book's content after it as
Typst code in which every value from the lists is a string literal, so that ``#``, ``*``, ``$``,
``<`` and the rest print as written. Typst breaks Chinese lines by the rules (no 。，、 at a line
start), repeats each table's header row on every page and fills the 目录 with real page numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from qingdan.errors import QingdanError
from qingdan.stats import COLUMNS

if TYPE_CHECKING:
    from qingdan.book import Book
    from qingdan.fonts import Fonts
    from qingdan.rows import Table

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
        yield _part(number, part.table)
    if book.index:
        yield "#pagebreak(weak: true)"
        yield _index(book)


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

INSET = 0.8
"""A table cell's padding left and right (4 pt each at 10.5 pt), in ems."""

NUMBER_WIDTH = 3.0
"""The 序号 column, in ems."""


SPLIT_LINES = 12
"""A row estimated at more lines than this may break across pages; shorter rows stay whole. A
landscape page holds about 25 lines of table text, so a row kept whole always fits on one
(the typesetter cuts off what does not fit of a row it may not break)."""


def _part(number: int, table: Table) -> str:
    ems = column_widths(table)
    scale = (TYPE_WIDTH - NUMBER_WIDTH) / sum(ems)
    text_widths = [max(w * scale - INSET, 1.0) for w in ems]
    widths = "(" + "".join(f"{w:.2f}fr, " for w in ems) + ")"
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
        f'#list-part({number}, {quote(table.title)}, ({NUMBER_WIDTH}fr, ..{widths}), ("序号", ..{head}), ('
        + "".join(f"{s}, " for s in sections)
        + "))"
    )


def _index(book: Book) -> str:
    departments = []
    for name, entries in book.index:
        lines = []
        for entry in entries:
            part = book.parts[entry.part].table
            item = part.rows[entry.row].item
            lines.append(
                f"({quote(entry.duty.value)}, {entry.part}, {entry.row}, "
                f"{quote(part.title)}, {quote(item.code)}, {quote(item.name)})"
            )
        departments.append(f"({quote(name)}, (" + "".join(f"{e}, " for e in lines) + "))")
    return "#department-index((" + "".join(f"{d}, " for d in departments) + "))"


def _ems(text: str) -> float:
    """How wide ``text`` prints, in ems: a Chinese character one, a Latin letter or digit about half."""
    return sum(1.0 if ord(c) > 0x2E7F else 0.55 for c in text)


def column_widths(table: Table) -> list[float]:
    """Each column's width in ems, filling the type area.

    The space is shared by the kind's widths, but a column whose text is narrower than its share
    gets only what its longest line needs, and what it leaves goes to the others; no column gets
    less than its longest unbreakable run (a code, a phone number) needs."""
    natural = [2.0] * len(table.columns)
    least = [2.0] * len(table.columns)
    for entry in table.rows:
        for i, cell in enumerate(entry.cells):
            for line in cell.split("\n"):
                natural[i] = max(natural[i], _ems(line))
                least[i] = max(least[i], *(_ems(run) for run in _UNBREAKABLE.findall(line)), 0)
    weights = [max(column.width, 1) for column in table.columns]
    width: dict[int, float] = {}
    free = set(range(len(weights)))
    room = TYPE_WIDTH - NUMBER_WIDTH - INSET * len(weights)
    while free:
        total = sum(weights[i] for i in free)
        share = {i: room * weights[i] / total for i in free}
        fitting = [i for i in free if natural[i] <= share[i]]
        if not fitting:
            width.update(share)
            break
        for i in fitting:
            width[i] = natural[i]
            room -= natural[i]
            free.discard(i)
    return [max(width[i], least[i]) + INSET for i in range(len(weights))]


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
