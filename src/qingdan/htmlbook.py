"""A ``Book`` as one self-contained web page, for posting the lists on a government site.

The page carries its fonts (each role's font cut down to the characters the page uses, embedded
as WOFF), so it reads the same on any computer or phone without a download; it prints on A4 with
the header row of each table repeated on every page (print CSS), the list tables' columns as wide
as in the PDF (``pdfbook.column_widths``), and on a narrow screen a wide table scrolls sideways
instead of squeezing its text. Every value is HTML-escaped.
"""

from __future__ import annotations

import base64
import io
import string
from collections.abc import Iterator, Sequence
from dataclasses import astuple
from html import escape
from typing import TYPE_CHECKING

from qingdan.book import appendices, numeral
from qingdan.fonts import Role
from qingdan.pdfbook import INSET, NUMBER_WIDTH, column_widths
from qingdan.stats import COLUMNS

if TYPE_CHECKING:
    from qingdan.book import Book, Part
    from qingdan.fonts import Fonts

STYLE = """
body { font-family: "qd-fang", serif; font-size: 16px; line-height: 1.7; margin: 0 auto;
  max-width: 72em; padding: 1em; text-align: justify; color: #000; }
h1.title { font-family: "qd-song", serif; font-size: 2em; text-align: center; margin: 2em 0 0.5em; }
p.edition, p.compiler, p.date { text-align: center; }
p.edition { font-family: "qd-kai", serif; }
h2 { font-family: "qd-hei", sans-serif; font-size: 1.2em; font-weight: normal; margin: 1.5em 0 0.6em; }
h3 { font-family: "qd-kai", serif; font-size: 1.1em; font-weight: normal; margin: 1.2em 0 0.5em; }
h4 { font-family: "qd-hei", sans-serif; font-weight: normal; margin: 1em 0 0.3em; }
p { text-indent: 2em; margin: 0.4em 0; }
nav p, td p { text-indent: 0; }
nav ol { list-style: none; padding-left: 0; } nav ol ol { padding-left: 2em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 14px; line-height: 1.5; margin: 0.5em 0; }
th, td { border: 1px solid #000; padding: 2pt 3pt; vertical-align: middle; text-align: left; }
th { font-family: "qd-hei", sans-serif; font-weight: normal; text-align: center; }
td { white-space: pre-line; }
table.list { table-layout: fixed; width: 100%; min-width: 60em; }
table.list td:first-child { text-align: center; }
td { overflow-wrap: anywhere; }
@media print {
  @page { size: A4; margin: 37mm 26mm 35mm 28mm; }
  @page wide { size: A4 landscape; margin: 28mm 37mm 26mm 35mm; }
  body { max-width: none; padding: 0; font-size: 16pt; }
  table { font-size: 10.5pt; } thead { display: table-header-group; } tr { break-inside: avoid; }
  table.list { min-width: 0; } h2, h3 { break-after: avoid; }
  section.list { page: wide; break-before: page; }
  header.cover, nav { break-after: page; }
  .scroll { overflow: visible; }
}
"""


INDEX_NOTE = (
    "按部门列出其承担的事项：牵头（牵头部门，承担兜底责任）、主体（承担主体责任或具体承办）、"
    "配合（配合或共同实施）。"
)
CHANGES_NOTE = "按批准日期列出清单的动态调整：调整的事项、调整类型和内容、调整理由及批准文件。"


def html(book: Book, fonts: Fonts) -> bytes:
    """The book as one HTML file, UTF-8."""
    body = "\n".join(_body(book))
    faces = "\n".join(_face(role, fonts, _text_of(book, role)) for role in Role)
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(book.title)}</title>\n<style>\n{faces}\n{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _body(book: Book) -> Iterator[str]:
    yield (
        f'<header class="cover"><h1 class="title">{escape(book.title)}</h1>'
        + (f'<h1 class="title">{escape(book.unit)}</h1>' if book.unit else "")
        + f'<p class="edition">{escape(book.edition)}</p>'
        f'<p class="compiler">{escape(book.compiler)}</p><p class="date">{escape(book.date)}</p>'
        "</header>"
    )
    if book.notice.strip():
        yield "<section><h2>印发通知</h2>" + _paragraphs(book.notice) + "</section>"
    yield _contents(book)
    yield _explanation(book)
    for number, part in enumerate(book.parts):
        yield _part(number, part)
    titles = appendices(book)
    if book.index:
        yield _index(book, titles[0])
    if book.changes:
        rows = [
            tuple(map(escape, (c.date, c.item, c.change, c.reason, c.approval)))
            for c in book.changes
        ]
        yield (
            f'<section id="changes"><h2>{escape(titles[-1])}</h2>'
            f"<p>{CHANGES_NOTE}</p>"
            + _table(("批准日期", "事项", "调整", "调整理由", "批准文件"), rows)
            + "</section>"
        )


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def _contents(book: Book) -> str:
    entries = ['<li><a href="#explanation">编制说明</a></li>']
    for number, part in enumerate(book.parts):
        sections = "".join(
            f'<li><a href="#p{number}-{i}">（{numeral(i + 1)}）{escape(s.name)}</a></li>'
            for i, s in enumerate(part.table.sections)
        )
        entries.append(
            f'<li><a href="#p{number}">{numeral(number + 1)}、{escape(part.table.title)}</a>'
            f"<ol>{sections}</ol></li>"
        )
    titles = iter(appendices(book))
    if book.index:
        entries.append(f'<li><a href="#index">{next(titles)}</a></li>')
    if book.changes:
        entries.append(f'<li><a href="#changes">{next(titles)}</a></li>')
    return "<nav><h2>目录</h2><ol>" + "".join(entries) + "</ol></nav>"


def _table(
    head: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    css: str = "",
    widths: Sequence[float] = (),
) -> str:
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    total = sum(widths)
    columns = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in widths)
    return (
        f'<div class="scroll"><table{css}>'
        + (f"<colgroup>{columns}</colgroup>" if widths else "")
        + f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _explanation(book: Book) -> str:
    out = ['<section id="explanation"><h2>编制说明</h2>', _paragraphs(book.explanation)]
    out.append(
        f"<p>本书收录清单 {len(book.parts)} 张，共 {book.items} 个事项，各清单按领域分列如下。</p>"
    )
    counts = [
        (escape(part.table.title), escape(s.name), str(len(s.rows)))
        for part in book.parts
        for s in part.table.sections
    ]
    out.append(_table(("清单", "领域", "事项数"), counts))
    if book.derived:
        out.append("<p>以上级清单为基础派生的清单，与上级清单相比的事项数如下。</p>")
        derived = [(escape(name), *map(str, counts)) for name, counts in book.derived]
        out.append(_table(("清单", *COLUMNS), derived))
    return "".join(out) + "</section>"


def _part(number: int, part: Part) -> str:
    table = part.table
    head = ("序号", *(c.title for c in table.columns))
    out = [
        f'<section class="list" id="p{number}"><h2>{numeral(number + 1)}、{escape(table.title)}</h2>'
    ]
    # each column a little wider than in the PDF: the browser's borders take from the cells
    widths = [NUMBER_WIDTH, *(w + INSET + 0.3 for w in column_widths(table.columns, part.rows))]
    row = 0
    for i, section in enumerate(table.sections):
        out.append(f'<h3 id="p{number}-{i}">（{numeral(i + 1)}）{escape(section.name)}</h3>')
        rows = []
        for entry in section.rows:
            cells = [escape(c) for c in entry.cells]
            rows.append((f'<span id="r{number}-{row}">{entry.number}</span>', *cells))
            row += 1
        out.append(_table(head, rows, ' class="list"', widths))
    return "".join(out) + "</section>"


def _index(book: Book, title: str) -> str:
    out = [f'<section id="index"><h2>{title}</h2><p>{INDEX_NOTE}</p>']
    for name, entries in book.index:
        rows = []
        for entry in entries:
            part = book.parts[entry.part].table
            item = book.parts[entry.part].rows[entry.row].item
            link = f'<a href="#r{entry.part}-{entry.row}">{escape(item.name)}</a>'
            rows.append((entry.duty.value, escape(part.title), escape(item.code), link))
        out.append(
            f"<h4>{escape(name)}</h4>" + _table(("责任", "清单", "事项编码", "事项名称"), rows)
        )
    return "".join(out) + "</section>"


def _text_of(book: Book, role: Role) -> str:
    """Every character the page sets in the role's font (a generous superset is fine): the
    headings' in every role, since the 目录 links and the count tables repeat them in 仿宋."""
    titles = [
        book.title,
        book.unit,
        book.edition,
        "目录编制说明印发通知附录一二部门职责索引事项编码名称序号清单责任调整记录批准日期文件理由领域数\u3000",
        "（）一二三四五六七八九十、",
        *COLUMNS,
        *(p.table.title + "".join(c.title for c in p.table.columns) for p in book.parts),
        *(s.name for p in book.parts for s in p.table.sections),
        *(name for name, _ in book.index),
    ]
    used = set("".join(titles)) | set(string.printable.strip() + " ")  # spaces, digits, codes
    if role is Role.FANG:
        used |= {
            *book.explanation,
            *book.notice,
            *book.compiler,
            *book.date,
            *INDEX_NOTE,
            *CHANGES_NOTE,
        }
        used |= {ch for c in book.changes for text in astuple(c) for ch in text}
        used |= {ch for p in book.parts for r in p.rows for c in r.cells for ch in c}
        used |= {ch for p in book.parts for r in p.rows for ch in r.item.name}
        used |= set(
            "0123456789，。：；本书收录清单张共个事项各按领域分列如下以上级为基础派生的与相比数"
        )
    return "".join(used)


def _face(role: Role, fonts: Fonts, text: str) -> str:
    """An @font-face rule with the role's font cut down to ``text``, as WOFF data."""
    from fontTools import subset  # noqa: PLC0415  (heavy, needed for the web page only)
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    face = fonts.faces[role]
    # the glyphs are kept as they are, so their bounds are too: recomputing them on save (the
    # default) drew every glyph again and took more than half of the web page's export
    font = TTFont(face.path, fontNumber=face.index, recalcBBoxes=False)
    cutter = subset.Subsetter(subset.Options(flavor="woff", layout_features=["*"]))
    cutter.populate(text=text)
    cutter.subset(font)
    font.flavor = "woff"
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'@font-face {{ font-family: "qd-{role.value}"; '
        f'src: url(data:font/woff;base64,{data}) format("woff"); }}'
    )
