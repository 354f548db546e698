"""``qingdan export book``: the sample list set printed as a book, read back from the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE, run_qingdan

pypdf = pytest.importorskip("pypdf")

PAGE_MARK = re.compile(r"— (\d+) —\s*$")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> list[pypdf.PageObject]:
    """The shipped sample (lists/) as a PDF book, its pages."""
    out = tmp_path_factory.mktemp("book") / "清单.pdf"
    run = run_qingdan("export", "book", "lists", "-o", str(out), cwd=REPO)
    assert run.code == 0, run.stdout + run.stderr
    assert "已写出" in run.stdout
    return list(pypdf.PdfReader(out).pages)


@pytest.fixture(scope="module")
def book_texts(book: list[pypdf.PageObject]) -> tuple[str, ...]:
    """The book's pages as text, read once: pypdf takes seconds per pass over the book."""
    return tuple(texts(book))


def texts(pages: list[pypdf.PageObject]) -> list[str]:
    return [page.extract_text() for page in pages]


def printed_number(text: str) -> int | None:
    found = PAGE_MARK.search(text)
    return int(found.group(1)) if found else None


def test_cover_is_unnumbered_and_pages_count_from_1_after_it(
    book_texts: tuple[str, ...],
) -> None:
    """The cover carries the set's title, compiler and edition and no page number; the next page is
    — 1 —, and every page after it is numbered in order."""
    pages = book_texts
    assert "锦川市青岚区镇（街道）三张清单" in pages[0]
    assert "中共锦川市青岚区委机构编制委员会办公室" in pages[0]
    assert printed_number(pages[0]) is None
    assert [printed_number(t) for t in pages[1:]] == list(range(1, len(pages)))


def test_contents_entries_point_at_the_pages_where_their_sections_start(
    book_texts: tuple[str, ...],
) -> None:
    """Every 目录 line's page number is the page on which that heading is printed."""
    pages = book_texts
    entries = []
    for text in pages[1:12]:
        entries += re.findall(r"^(.+?) ?\.{3,} ?\u2060?(\d+)$", text, re.MULTILINE)
    titles = [t for t, _ in entries]
    assert "编制说明" in titles
    assert "一、白鹤镇职责任务清单" in titles
    assert "附录　部门职责索引" in titles
    assert len(entries) > 30
    for title, number in entries:
        page = pages[int(number)]  # the cover is page 0, "— n —" is page n
        assert printed_number(page) == int(number)
        lines = [line.strip() for line in page.splitlines()]
        assert title in lines, f"{title} not on page {number}"


def test_list_tables_are_landscape_with_the_header_row_on_every_page(
    book: list[pypdf.PageObject], book_texts: tuple[str, ...]
) -> None:
    """Table pages are landscape A4, and each begins its table with the list's header row."""
    pages = book_texts
    landscape = [i for i, p in enumerate(book) if p.mediabox.width > p.mediabox.height]
    assert len(landscape) > 100
    duty_head = (
        "序号事项编码类别职责任务职责内容工作事项依据来源承办机构对应县直部门责任人咨询电话备注"
    )
    duty_pages = [i for i in landscape if "ZR-" in pages[i]]
    assert duty_pages
    for i in duty_pages:
        assert duty_head in re.sub(r"\s", "", pages[i]), f"no header row on page {i}"
    appendix = next(i for i, t in enumerate(pages) if t.startswith("附录　部门职责索引"))
    for i, page in enumerate(book):
        assert round(min(page.mediabox.width, page.mediabox.height)) == 595  # A4: 210 mm
        assert round(max(page.mediabox.width, page.mediabox.height)) == 842  # 297 mm
        if i < appendix and "ZR-" in pages[i]:
            assert i in landscape
    assert max(landscape) < appendix


def marks(page: pypdf.PageObject) -> list[tuple[str, float, float, bool]]:
    """The page-number texts on a page: where each starts (points from the left and from the
    bottom), and whether it runs down the page (turned a quarter, on a landscape page)."""
    found: list[tuple[str, float, float, bool]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if "—" in text:
            x = cm[4] + tm[4] * cm[0] + tm[5] * cm[2]
            y = cm[5] + tm[4] * cm[1] + tm[5] * cm[3]
            found.append((text, x, y, tm[0] * cm[1] + tm[1] * cm[3] < -0.5))

    page.extract_text(visitor_text=visit)
    return found


def test_page_numbers_are_right_on_odd_and_left_on_even_pages(
    book: list[pypdf.PageObject], book_texts: tuple[str, ...]
) -> None:
    """ "— n —" sits at the foot of the sheet on its outer side: the right of odd pages, the left
    of even ones. A landscape page is read with its head towards the sheet's left edge, so there
    the number runs along the page's left edge (the sheet's foot), turned with the sheet, in the
    lower half on odd pages (the sheet's right) and the upper half on even ones."""
    seen = set()
    for page, text in zip(book[1:60], book_texts[1:60], strict=True):
        found = marks(page)
        number = printed_number(text)
        assert number is not None and found
        _, x, y, turned = found[-1]
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        wide = width > height
        seen.add((wide, number % 2))
        assert turned == wide, number
        if wide:
            assert x < width / 6, (number, x)
            assert (y < height / 2) if number % 2 else (y > height / 2), (number, y)
        else:
            assert y < height / 6, (number, y)
            assert (x > width / 2) if number % 2 else (x < width / 2), (number, x)
    assert len(seen) == 4  # odd and even pages, portrait and landscape


def test_fonts_are_embedded(book: list[pypdf.PageObject]) -> None:
    """Every font the book uses is embedded, and the four Fandol roles are all used."""
    names = set()
    for page in book[:20]:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            names.add(str(font["/BaseFont"]).split("+")[-1].split("-")[0])
    assert {"FandolFang", "FandolHei", "FandolKai", "FandolSong"} <= names


def test_department_index_lists_each_lead_item_with_its_page(
    book_texts: tuple[str, ...],
) -> None:
    """The index says which items a department leads (牵头), and the page each is printed on."""
    pages = book_texts
    start = next(i for i, t in enumerate(pages) if t.startswith("附录　部门职责索引"))
    index = "\n".join(pages[start:])
    rows = re.findall(r"^牵头 (SD-\d+-\d+) (.+?) (\d+)$", index, re.MULTILINE)
    assert len(rows) > 10
    for code, _name, number in rows[:20]:
        assert code in pages[int(number)], (code, number)


def test_no_text_is_cut_off(book_texts: tuple[str, ...]) -> None:
    """Every cell of every list ends in the PDF: rows kept whole fit on their page, and the rows
    taller than that are split rather than cut."""
    from qingdan.book import gather
    from qingdan.workspace import Workspace

    workspace = Workspace()
    listset = workspace.open(REPO / "lists")
    printed = re.sub(r"\s", "", "".join(book_texts))
    tails = [
        re.sub(r"\s", "", cell)[-6:]
        for part in gather(listset, workspace.lists(listset), None).parts
        for row in part.table.rows
        for cell in row.cells
    ]
    assert len(tails) > 5000
    # a row split across two pages prints its cells' ends apart from their starts, and the
    # extracted text runs column by column: such a tail shows only in its last characters
    assert [tail for tail in tails if tail not in printed and tail[-3:] not in printed] == []


def small_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    shutil.copytree(SAMPLE, root)
    for township in ("baihe", "guihu", "shiqiao"):
        shutil.rmtree(root / "townships" / township)
    return root


RECORD = """\
batch: 2026年第1批
approval:
  authority: 青岚区委机构编制委员会
  number: 青岚编委〔2026〕3号
  date: "2026-03-02"
changes:
  - type: 调整
    items: [SD-01-002]
    content: 细化镇街巡查职责
    reason: 根据区应急局申请，细化镇街巡查职责。
  - type: 取消
    items: [ZR-09-999]
    reason: 上级已取消该项职责。
"""


@dataclass(frozen=True)
class Web:
    """A small set with a change record and an item named in HTML markup, and its web page."""

    root: Path
    page: Path


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Web:
    """The web page written once for the tests that read it (writing it takes seconds, for its
    fonts); they write nothing into it or its set."""
    folder = tmp_path_factory.mktemp("web")
    root = small_set(folder)
    duty = root / "townships" / "qingshui" / "duty.yaml"
    text = duty.read_text(encoding="utf-8")
    first = re.search(r"name: (.+)", text)
    assert first is not None
    duty.write_text(
        text.replace(first.group(0), 'name: "<script>alert(1)</script> & 清单"', 1),
        encoding="utf-8",
    )
    (root / "changes").mkdir()
    (root / "changes" / "2026-01.yaml").write_text(RECORD, encoding="utf-8")
    page = folder / "清单.html"
    run = run_qingdan("export", "book", "set", "-o", str(page), cwd=folder)
    assert run.code == 0, run.stdout + run.stderr
    return Web(root, page)


def test_markup_characters_print_as_written_and_a_missing_glyph_is_a_finding(
    tmp_path: Path,
) -> None:
    """A name with Typst markup prints literally; a character the font lacks is reported with
    the file, the item and the field, and the command exits 1 after writing the book."""
    root = small_set(tmp_path)
    duty = root / "townships" / "qingshui" / "duty.yaml"
    text = duty.read_text(encoding="utf-8")
    first = re.search(r"name: (.+)", text)
    assert first is not None
    marked = "#set text(red) *重点* $x$ <a> @b 䶮"
    duty.write_text(text.replace(first.group(0), f'name: "{marked}"', 1), encoding="utf-8")
    out = tmp_path / "book.pdf"
    run = run_qingdan("export", "book", "set", "-o", str(out), cwd=tmp_path)
    assert run.code == 1, run.stdout + run.stderr
    assert "book.missing-glyph" in run.stdout
    assert "U+4DAE" in run.stdout and "duty.yaml" in run.stdout
    assert "#set text(red) *重点* $x$ <a> @b" in "".join(
        p.extract_text() for p in pypdf.PdfReader(out).pages
    )


def test_a_font_the_machine_lacks_and_a_wrong_suffix_cannot_run(tmp_path: Path) -> None:
    """Naming a font that is not installed, or asking for an unknown format, says what to do and
    exits 2 without writing anything."""
    root = small_set(tmp_path)
    config = root / "qingdan.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "book:\n  fonts:\n    fang: 没有这个字体\n",
        encoding="utf-8",
    )
    run = run_qingdan("export", "book", "set", "-o", "book.pdf", cwd=tmp_path)
    assert run.code == 2
    assert "找不到正文字体（仿宋）“没有这个字体”" in run.stderr
    assert "book.fonts.fang" in run.stderr
    run = run_qingdan("export", "book", "set", "-o", "book.odt", cwd=tmp_path)
    assert run.code == 2
    assert "错误：" in run.stderr and ".pdf" in run.stderr
    assert not (tmp_path / "book.pdf").exists() and not (tmp_path / "book.odt").exists()


def test_web_page_is_one_file_with_its_fonts_and_every_item(web: Web) -> None:
    """.html gives one self-contained page: fonts embedded, every item of every list in a table
    with a header row, list text escaped, index entries linking to their rows."""
    from html.parser import HTMLParser

    root = web.root
    page = web.page.read_text(encoding="utf-8")
    assert page.count("@font-face") == 4 and page.count("data:font/woff;base64,") == 4
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 清单" in page
    assert "http" not in page.split("<body>", 1)[1]  # nothing to fetch

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.ids: set[str] = set()
            self.links: list[str] = []
            self.headers = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            if found.get("id"):
                self.ids.add(str(found["id"]))
            if tag == "a" and str(found.get("href", "")).startswith("#r"):
                self.links.append(str(found["href"])[1:])
            self.headers += tag == "thead"

    parsed = Cells()
    parsed.feed(page)
    codes = set(
        re.findall(
            r"^  - code: (\S+)",
            (root / "townships").joinpath("qingshui", "duty.yaml").read_text(encoding="utf-8"),
            re.MULTILINE,
        )
    )
    assert codes and all(f"<td>{code}</td>" in page for code in codes)
    assert parsed.links and set(parsed.links) <= parsed.ids
    assert parsed.headers > 10


def test_per_township_writes_one_book_per_township_into_a_folder(tmp_path: Path) -> None:
    """--per-township writes 清水镇.pdf and 石桥镇.pdf (named as people name the townships), each
    with only its own lists and its township under the title on the cover."""
    root = tmp_path / "set"
    shutil.copytree(SAMPLE, root)
    for township in ("baihe", "guihu"):
        shutil.rmtree(root / "townships" / township)
    (tmp_path / "books").mkdir()
    run = run_qingdan("export", "book", "set", "--per-township", "-o", "books", cwd=tmp_path)
    assert run.code == 0, run.stdout + run.stderr
    written = sorted(p.name for p in (tmp_path / "books").iterdir())
    assert written == ["清水镇.pdf", "石桥镇.pdf"]
    pages = texts(list(pypdf.PdfReader(tmp_path / "books" / "石桥镇.pdf").pages))
    assert "石桥镇" in pages[0]
    contents = "".join(pages[1:4])
    assert "一、石桥镇职责任务清单" in contents and "清水镇" not in contents


def test_columns_fill_the_landscape_line_and_hold_their_codes() -> None:
    """Each list's columns fill the landscape type area, no column is narrower than the kind's
    print width allows or than its longest code or phone number, so nothing overflows a cell;
    the long texts get the most room."""
    from qingdan.book import gather
    from qingdan.pdfbook import INSET, NUMBER_WIDTH, TYPE_WIDTH, column_widths
    from qingdan.workspace import Workspace

    workspace = Workspace()
    listset = workspace.open(REPO / "lists")
    parts = gather(listset, workspace.lists(listset), None).parts
    for part in parts[:3]:
        columns = part.table.columns
        widths = column_widths(columns, part.rows)
        assert sum(widths) + NUMBER_WIDTH + INSET * len(widths) == pytest.approx(TYPE_WIDTH)
        by_field = dict(zip((c.field for c in columns), widths, strict=True))
        code = max(len(row.item.code) for row in part.rows)
        assert by_field["code"] >= code * 0.55
        for column, width in zip(columns, widths, strict=True):
            assert width >= min(column.print_width, 1.0)
        longest = max(columns, key=lambda c: by_field[c.field])
        assert longest.print_width == max(c.print_width for c in columns)


def test_change_records_make_an_appendix_and_a_set_without_them_has_none(
    tmp_path: Path, book_texts: tuple[str, ...], web: Web
) -> None:
    """A set with change records gets the appendix 调整记录 after the department index (then
    附录一 and 附录二, both in the 目录): each adjusted item with its approval date as printed, its
    name where the book holds it, the change, the reason and the approval document; the same in
    the web page. The sample set has no records, and its book no such appendix."""
    assert not any("调整记录" in text for text in book_texts)
    out = tmp_path / "book.pdf"
    run = run_qingdan("export", "book", str(web.root), "-o", str(out), cwd=tmp_path)
    assert run.code == 0, run.stdout + run.stderr
    pages = texts(list(pypdf.PdfReader(out).pages))
    contents = "".join(pages[1:3])
    assert "附录一　部门职责索引" in contents and "附录二　调整记录" in contents
    start = next(i for i, t in enumerate(pages) if t.startswith("附录二　调整记录"))
    assert any(t.startswith("附录一　部门职责索引") for t in pages[:start])
    log = re.sub(r"\s", "", "".join(pages[start:]))
    assert "2026年3月2日SD-01-002危险化学品安全监管调整：细化镇街巡查职责" in log
    assert "根据区应急局申请，细化镇街巡查职责。青岚区委机构编制委员会青岚编委〔2026〕3号" in log
    assert "ZR-09-999取消上级已取消该项职责。" in log  # an item the book no longer holds
    page = web.page.read_text(encoding="utf-8")
    assert '<a href="#changes">附录二　调整记录</a>' in page
    assert "<td>SD-01-002 危险化学品安全监管</td><td>调整：细化镇街巡查职责</td>" in page


def test_word_document_has_landscape_sections_repeated_heads_fonts_and_fields(
    tmp_path: Path,
) -> None:
    """.docx gives the same book for Word: a landscape section per list, every table's header
    row marked to repeat on each page, separate odd and even footers with "— PAGE —" on the
    outer side, a 目录 field Word updates on opening, the East-Asian font named on every run,
    and every item's cells as the lists have them."""
    docx = pytest.importorskip("docx")
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    from qingdan.book import gather
    from qingdan.workspace import Workspace

    root = small_set(tmp_path)
    out = tmp_path / "清单.docx"
    run = run_qingdan("export", "book", "set", "-o", str(out), cwd=tmp_path)
    assert run.code == 0, run.stdout + run.stderr
    document = docx.Document(str(out))
    settings = document.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    body = document.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith("TOC") for i in instructions)
    assert any(i.strip().startswith("PAGEREF r0_") for i in instructions)  # index → rows

    sections = document.sections
    restarts = [s._sectPr.find(qn("w:pgNumType")) for s in sections]
    assert [r is not None and r.get(qn("w:start")) for r in restarts][:3] == [False, "1", False]
    assert sum(r is not None for r in restarts) == 1  # numbered on from the page after the cover
    workspace = Workspace()
    listset = workspace.open(root)
    book = gather(listset, workspace.lists(listset), None)
    wide = [s for s in sections if s.orientation == WD_ORIENT.LANDSCAPE]
    assert len(wide) == len(book.parts)
    for section in wide:
        assert section.page_width > section.page_height
    for section in sections[1:]:
        odd = "".join(t.text for t in section.footer._element.iter(qn("w:instrText")))
        assert "PAGE" in odd and "— " in section.footer.paragraphs[0].text
        assert section.footer.paragraphs[0].alignment == 2  # right
        assert section.even_page_footer.paragraphs[0].alignment == 0  # left

    for r in body.iter(qn("w:r")):
        fonts = r.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        if r.find(qn("w:t")) is not None:
            assert fonts is not None and fonts.get(qn("w:eastAsia")), r.xml

    tables = [t for t in document.tables if t.rows[0].cells[0].text == "序号"]
    assert len(tables) == sum(len(p.table.sections) for p in book.parts)
    for table in tables:
        assert table.rows[0]._tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None
    read = [
        tuple(cell.text for cell in row.cells[1:]) for table in tables for row in table.rows[1:]
    ]
    expected = [row.cells for part in book.parts for row in part.rows]
    assert read == expected
    soffice = shutil.which("soffice")
    if soffice is None:
        return
    # LibreOffice (where installed) opens it: portrait text pages and landscape table pages
    converted = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo-out"),
            str(out),
        ],
        capture_output=True,
        timeout=600,
        check=False,
    )
    printed = tmp_path / "lo-out" / "清单.pdf"
    if not printed.exists():  # LibreOffice without its word processor cannot open .docx
        pytest.skip(converted.stderr.decode(errors="replace")[-200:])
    pages = list(pypdf.PdfReader(printed).pages)
    wide = [p for p in pages if p.mediabox.width > p.mediabox.height]
    assert wide and len(wide) < len(pages)
    assert all("序号" in p.extract_text() for p in wide)


def test_web_page_in_a_real_browser_prints_landscape_tables_with_their_heads(
    tmp_path: Path, web: Web
) -> None:
    """Headless Chromium (where installed) opens the one-file page: it draws it at desktop and
    phone widths, and prints it as the print CSS says — the lists on landscape A4 pages, each
    such page beginning with the table's header row, in the embedded Fandol fonts."""
    import struct

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed")
    page = web.page
    browser = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    browser.append(f"--user-data-dir={tmp_path / 'profile'}")
    for name, width in (("desktop", 1280), ("phone", 390)):
        shot = tmp_path / f"{name}.png"
        subprocess.run(
            [*browser, f"--window-size={width},2400", f"--screenshot={shot}", page.as_uri()],
            capture_output=True,
            timeout=300,
            check=True,
        )
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
        assert struct.unpack(">II", data[16:24]) == (width, 2400)
    printed = tmp_path / "printed.pdf"
    subprocess.run(
        [*browser, "--no-pdf-header-footer", f"--print-to-pdf={printed}", page.as_uri()],
        capture_output=True,
        timeout=600,
        check=True,
    )
    pages = list(pypdf.PdfReader(printed).pages)
    wide = [p for p in pages if p.mediabox.width > p.mediabox.height]
    assert len(wide) > 20 and len(pages) - len(wide) >= 3  # cover, 目录, 编制说明 stand upright
    heads = [re.sub(r"\s", "", p.extract_text()) for p in wide]
    assert all("序号事项编码" in h for h in heads), [
        h[:40] for h in heads if "序号事项编码" not in h
    ]
    # the page's own fonts come out as glyph programs (Type3) without a name; a font of the
    # machine the browser fell back on would be named
    fonts = {
        str(ref.get_object().get("/BaseFont", "Fandol"))
        for p in pages[:10]
        for ref in p["/Resources"].get("/Font", {}).values()
    }
    assert fonts and all("Fandol" in f for f in fonts), fonts
