"""A ``Book`` as a Word document (.docx), for offices that edit the book before it is printed.

It is the same book as the PDF (``book.py`` gathers it once, ``pdfbook.column_widths`` gives both
the same columns), written the way Word and WPS expect an official document: portrait sections
for the text and a landscape section per list, each table's header row repeated on every page
(``w:tblHeader``), page numbers "— n —" right on odd pages and left on even ones (separate odd
and even footers, ``w:evenAndOddHeaders``, with mirrored margins for the binding), a 目录 field
and page references in the department index that Word fills in when the file is opened
(``w:updateFields``), and every run's East-Asian font named (``w:rFonts w:eastAsia``), since Word
otherwise sets Chinese text in the font its installation prefers. ``python-docx`` is imported here
only; the tables are written as XML in one piece per table, which is many times faster than
adding cells one by one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from qingdan.book import appendices, numeral
from qingdan.fonts import Role
from qingdan.pdfbook import INSET, NUMBER_WIDTH, column_widths
from qingdan.stats import COLUMNS

if TYPE_CHECKING:
    from qingdan.book import Book, Part
    from qingdan.fonts import Fonts

NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f'xmlns:w="{NS}"'
BODY_SIZE = 32
"""3号 (16 pt), in Word's half points."""
TABLE_SIZE = 21
"""5号 (10.5 pt)."""
TITLE_SIZE = 44
"""2号 (22 pt)."""
NUMBER_SIZE = 28
"""4号 (14 pt), the page numbers."""
EM = 210
"""One em of table text (10.5 pt) in twentieths of a point."""
TYPE_WIDTH = 9072
"""The portrait type area's width (156 mm... rounded to Word's twips: 16 cm)."""

TINY = '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
"""Paragraph properties of a paragraph that only separates: one point high."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def docx(book: Book, fonts: Fonts) -> bytes:
    """The book as a .docx file."""
    from docx import Document  # noqa: PLC0415  (heavy, needed for Word only)

    document = Document()
    writer = _Writer(document, fonts.families)
    writer.setup()
    writer.cover(book)
    if book.notice.strip():
        writer.title("印发通知")
        writer.paragraphs(book.notice)
        writer.page_break()
    writer.contents()
    writer.explanation(book)
    for number, part in enumerate(book.parts):
        writer.part(number, part)
    titles = appendices(book)
    writer.section(landscape=False)
    if book.index:
        writer.index(book, titles[0])
    if book.changes:
        if book.index:
            writer.page_break()
        writer.heading(1, titles[-1])
        writer.text(
            "按批准日期列出清单的动态调整：调整的事项、调整类型和内容、调整理由及批准文件。"
        )
        rows = [(c.date, c.item, c.change, c.reason, c.approval) for c in book.changes]
        writer.table(("批准日期", "事项", "调整", "调整理由", "批准文件"), rows, (5, 7, 9, 9, 7))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _clean(text: str) -> str:
    """Text as XML may hold it: characters XML 1.0 forbids print as U+FFFD."""
    return escape(_NOT_XML.sub("\ufffd", text))


class _Writer:
    """Appends the book to a python-docx ``Document``, one paragraph or table at a time."""

    def __init__(self, document: Any, families: dict[Role, str]) -> None:
        self.document = document
        self.body = document.element.body
        self.families = families
        self.marks = 0
        """Bookmarks so far (their ids are unique in the document)."""

    # --- set-up -------------------------------------------------------------------------------

    def setup(self) -> None:
        from docx.oxml import parse_xml  # noqa: PLC0415
        from docx.shared import Mm  # noqa: PLC0415

        self.document.settings.odd_and_even_pages_header_footer = True
        settings = self.document.settings.element
        for tag, before in (("mirrorMargins", "proofState"), ("updateFields", "compat")):
            follower = settings.find(f"{{{NS}}}{before}")
            element = parse_xml(f'<w:{tag} {W} w:val="true"/>')
            if follower is not None:  # CT_Settings is a sequence: Word rejects other orders
                follower.addprevious(element)
            else:
                settings.append(element)
        styles = self.document.styles
        for name, role, color in (
            ("Normal", Role.FANG, False),
            ("Heading 1", Role.HEI, True),
            ("Heading 2", Role.KAI, True),
        ):
            style = styles[name]
            style.element.remove(style.element.get_or_add_rPr())
            style.element.append(parse_xml(self._rpr(role, BODY_SIZE, color=color)))
        for level in (1, 2):
            style = styles[f"Heading {level}"]
            style.paragraph_format.space_before = Mm(4)
            style.paragraph_format.space_after = Mm(3)
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        self._margins(section, landscape=False)
        section.different_first_page_header_footer = True  # the cover has no number

    def _rpr(self, role: Role, size: int, *, color: bool = False) -> str:
        family = escape(self.families[role], {'"': "&quot;"})
        fonts = f'<w:rFonts w:ascii="{family}" w:hAnsi="{family}" w:eastAsia="{family}" w:cs="{family}"/>'
        black = '<w:b w:val="0"/><w:i w:val="0"/><w:color w:val="000000"/>' if color else ""
        return f'<w:rPr {W}>{fonts}{black}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'

    def _margins(self, section: Any, *, landscape: bool) -> None:
        from docx.shared import Mm  # noqa: PLC0415

        # landscape: the type area turned, 28 mm at the top and the foot (see book.typ)
        margins = (28, 28, 35, 37) if landscape else (37, 35, 28, 26)
        section.top_margin, section.bottom_margin = Mm(margins[0]), Mm(margins[1])
        section.left_margin, section.right_margin = Mm(margins[2]), Mm(margins[3])
        section.footer_distance = Mm(max(margins[1] - 7 - 6, 5))
        for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            old = paragraph._p
            old.getparent().replace(old, self._page_number(side))

    def _page_number(self, side: str) -> Any:
        from docx.oxml import parse_xml  # noqa: PLC0415

        rpr = self._rpr(Role.FANG, NUMBER_SIZE).replace(f" {W}", "")
        indent = "right" if side == "right" else "left"
        return parse_xml(
            f'<w:p {W}><w:pPr><w:ind w:{indent}="280"/><w:jc w:val="{side}"/></w:pPr>'
            f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{rpr}<w:t>1</w:t></w:r>"
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
            f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r></w:p>'
        )

    def section(self, *, landscape: bool, restart: bool = False) -> None:
        """Ends the section so far and starts one with the given orientation."""
        from docx.enum.section import WD_ORIENT, WD_SECTION  # noqa: PLC0415
        from docx.shared import Mm  # noqa: PLC0415

        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        from docx.oxml import parse_xml  # noqa: PLC0415

        # the paragraph that now ends the section before: tiny, so that it never spills a table's
        # last page over onto a page of its own
        ending = self.body.findall(f"{{{NS}}}p")[-1].find(f"{{{NS}}}pPr")
        for element in reversed(parse_xml(f"<w:pPr {W}>{TINY}</w:pPr>")):
            ending.insert(0, element)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        long, short = Mm(297), Mm(210)
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        section.different_first_page_header_footer = False
        self._margins(section, landscape=landscape)
        properties = section._sectPr
        for numbering in properties.findall(f"{{{NS}}}pgNumType"):  # copied from the one before
            properties.remove(numbering)
        if restart:  # "— 1 —" is the page after the cover
            margins = properties.find(f"{{{NS}}}pgMar")
            margins.addnext(parse_xml(f'<w:pgNumType {W} w:start="1"/>'))

    # --- text ---------------------------------------------------------------------------------

    def _paragraph(self, runs: str, props: str = "", style: str = "") -> None:
        from docx.oxml import parse_xml  # noqa: PLC0415

        styled = f'<w:pStyle w:val="{style}"/>' if style else ""
        self.body.append(parse_xml(f"<w:p {W}><w:pPr>{styled}{props}</w:pPr>{runs}</w:p>"))
        # python-docx keeps the last section's properties at the end of the body
        sect = self.body.find(f"{{{NS}}}sectPr")
        if sect is not None:
            self.body.append(sect)

    def _run(self, text: str, role: Role = Role.FANG, size: int = BODY_SIZE) -> str:
        rpr = self._rpr(role, size).replace(f" {W}", "")
        lines = _clean(text).split("\n")
        return "".join(
            f'<w:r>{rpr}{"<w:br/>" if i else ""}<w:t xml:space="preserve">{line}</w:t></w:r>'
            for i, line in enumerate(lines)
        )

    def text(self, text: str) -> None:
        """A body paragraph: 3号仿宋, justified, first line indented two characters."""
        self._paragraph(self._run(text), '<w:ind w:firstLineChars="200"/><w:jc w:val="both"/>')

    def paragraphs(self, source: str) -> None:
        for paragraph in source.split("\n\n"):
            if paragraph.strip():
                self.text(paragraph.strip())

    def title(self, text: str, size: int = TITLE_SIZE) -> None:
        self._paragraph(
            self._run(text, Role.SONG, size), '<w:spacing w:after="400"/><w:jc w:val="center"/>'
        )

    def heading(self, level: int, text: str) -> None:
        role = Role.HEI if level == 1 else Role.KAI
        self._paragraph(self._run(text, role), "", style=f"Heading{level}")

    def page_break(self) -> None:
        self._paragraph('<w:r><w:br w:type="page"/></w:r>')

    def cover(self, book: Book) -> None:
        self._paragraph("", '<w:spacing w:before="2800"/>')
        self.title(book.title, 52)
        if book.unit:
            self.title(book.unit)
        center = '<w:spacing w:after="200"/><w:jc w:val="center"/>'
        self._paragraph(self._run(book.edition, Role.KAI), center)
        self._paragraph("", '<w:spacing w:before="4800"/>')
        self._paragraph(self._run(book.compiler), center)
        self._paragraph(self._run(book.date), center)
        self.section(landscape=False, restart=True)

    def contents(self) -> None:
        """目录 as a TOC field over the two heading levels; Word fills it in on opening."""
        self.title("目　　录")
        rpr = self._rpr(Role.FANG, BODY_SIZE).replace(f" {W}", "")
        self._paragraph(
            f'<w:r>{rpr}<w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{rpr}<w:t>打开文件时更新目录（WPS：右键目录，更新域）。</w:t></w:r>"
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        )
        self.page_break()

    def explanation(self, book: Book) -> None:
        self.heading(1, "编制说明")
        self.paragraphs(book.explanation)
        self.text(
            f"本书收录清单 {len(book.parts)} 张，共 {book.items} 个事项，各清单按领域分列如下。"
        )
        counts = [
            (part.table.title, s.name, str(len(s.rows)))
            for part in book.parts
            for s in part.table.sections
        ]
        self.table(("清单", "领域", "事项数"), counts, (12, 10, 4))
        if book.derived:
            self.text("以上级清单为基础派生的清单，与上级清单相比的事项数如下。")
            derived = [(name, *map(str, counts)) for name, counts in book.derived]
            self.table(("清单", *COLUMNS), derived, (10, *([3] * len(COLUMNS))))

    # --- tables -------------------------------------------------------------------------------

    def table(
        self,
        head: Sequence[str],
        rows: Iterable[Sequence[str]],
        widths: Sequence[float],
        *,
        total: float = TYPE_WIDTH,
        marks: Sequence[str] = (),
        refs: Sequence[str] = (),
    ) -> None:
        """A bordered table, 5号, its header row repeated on every page. ``widths`` are shares
        of ``total`` twips; ``marks`` a bookmark per row (on its first cell), ``refs`` a
        bookmark per row whose page the last cell shows (a PAGEREF field)."""
        from docx.oxml import parse_xml  # noqa: PLC0415

        scale = total / sum(widths)
        twips = [round(w * scale) for w in widths]
        grid = "".join(f'<w:gridCol w:w="{t}"/>' for t in twips)
        borders = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        parts = [
            f'<w:tbl {W}><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/>'
            f"</w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>",
            "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
            + "".join(
                self._cell(h, t, Role.HEI, "center") for h, t in zip(head, twips, strict=True)
            )
            + "</w:tr>",
        ]
        for r, row in enumerate(rows):
            cells = [self._cell(c, t) for c, t in zip(row, twips, strict=True)]
            if marks:
                self.marks += 1
                cells[0] = self._cell(row[0], twips[0], align="center", mark=(marks[r], self.marks))
            if refs:
                cells[-1] = self._pageref(refs[r], twips[-1])
            parts.append("<w:tr>" + "".join(cells) + "</w:tr>")
        parts.append("</w:tbl>")
        self.body.append(parse_xml("".join(parts)))
        sect = self.body.find(f"{{{NS}}}sectPr")
        if sect is not None:
            self.body.append(sect)
        self._paragraph("", TINY)  # keeps the next table apart, without taking a line

    def _cell(
        self,
        text: str,
        twips: int,
        role: Role = Role.FANG,
        align: str = "left",
        mark: tuple[str, int] | None = None,
    ) -> str:
        runs = self._run(text, role, TABLE_SIZE)
        if mark is not None:
            name, number = mark
            runs = (
                f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>{runs}'
                f'<w:bookmarkEnd w:id="{number}"/>'
            )
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{twips}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:after="0" w:line="280" w:lineRule="auto"/>'
            f'<w:jc w:val="{align}"/></w:pPr>{runs}</w:p></w:tc>'
        )

    def _pageref(self, name: str, twips: int) -> str:
        rpr = self._rpr(Role.FANG, TABLE_SIZE).replace(f" {W}", "")
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{twips}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:after="0"/><w:jc w:val="center"/>{rpr}</w:pPr>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGEREF {name} \\h \\* MERGEFORMAT </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{rpr}<w:t>—</w:t></w:r>"
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r></w:p></w:tc>'
        )

    def part(self, number: int, part: Part) -> None:
        """One list in a landscape section of its own, a table per top-level category."""
        self.section(landscape=True)
        table = part.table
        self.heading(1, f"{numeral(number + 1)}、{table.title}")
        widths = [NUMBER_WIDTH, *(w + INSET for w in column_widths(table.columns, part.rows))]
        head = ("序号", *(c.title for c in table.columns))
        row = 0
        for i, section in enumerate(table.sections):
            self.heading(2, f"（{numeral(i + 1)}）{section.name}")
            rows = [(str(entry.number), *entry.cells) for entry in section.rows]
            marks = [f"r{number}_{row + r}" for r in range(len(rows))]
            row += len(rows)
            self.table(head, rows, widths, total=round(sum(widths) * EM), marks=marks)

    def index(self, book: Book, title: str) -> None:
        self.heading(1, title)
        self.text(
            "按部门列出其承担的事项：牵头（牵头部门，承担兜底责任）、主体（承担主体责任或具体承办）、"
            "配合（配合或共同实施）。"
        )
        for name, entries in book.index:
            self._paragraph(self._run(name, Role.HEI), '<w:keepNext/><w:spacing w:before="240"/>')
            rows, refs = [], []
            for entry in entries:
                part = book.parts[entry.part]
                item = part.rows[entry.row].item
                rows.append((entry.duty.value, part.table.title, item.code, item.name, ""))
                refs.append(f"r{entry.part}_{entry.row}")
            self.table(
                ("责任", "清单", "事项编码", "事项名称", "页码"), rows, (3, 8, 6, 10, 3), refs=refs
            )
