"""The 修订对照表: a diff as the before/after table offices attach to an adjustment and print.

It is read on paper, by the people who approve the change (DOMAIN.md §6), and bound into the list
book (§7), so it follows print conventions rather than being a data dump: A4 landscape, the table
head on every page, official fonts, and edited texts with the changed characters marked, because a
one-character edit in a hundred-character duty is otherwise invisible. Only ``qingdan diff -o``
imports this module (and with it openpyxl).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Color, Font, Side
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from qingdan import atomic
from qingdan.diff import (
    LONG_TEXT,
    Diff,
    FieldChange,
    Item,
    ItemChange,
    summarize,
)
from qingdan.errors import QingdanError, os_reason
from qingdan.listset import display_path
from qingdan.present.values import highlight
from qingdan.present.vocabulary import Vocabulary

SHEET = "修订对照表"
COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 4.5),
    ("镇（街道）", 10),
    ("清单", 8),
    ("事项编码", 10.5),
    ("事项名称", 13),
    ("调整类型", 4.5),
    ("调整字段", 9),
    ("原内容", 29),
    ("修改后内容", 29),
    ("调整理由", 9),
    ("批准文号", 9),
)
"""Header texts and widths (Excel units: about one Latin letter, half a Chinese character).

They add up to what fits the type area at about 85 %, so that table text prints near 小五 (9 pt):
wider columns would shrink it further, narrower ones make rows needlessly tall."""
CENTERED = frozenset({"序号", "调整类型"})
HEAD_ROW = 3

TITLE_FONT = "方正小标宋简体"
HEAD_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TITLE_SIZE = 16
BODY_SIZE = 10.5
"""五号, the usual size of table text in official documents."""
MARK_COLOR = "C00000"
LINE_HEIGHT = 14
"""Points per line of 10.5 pt Chinese text, with the leading Excel and LibreOffice give it."""
MAX_ROW_HEIGHT = 409
"""Excel's largest row height, in points."""
CM = 1 / 2.54
"""Inches per centimetre (openpyxl takes margins in inches)."""

MAX_CELL = 32_767
"""Excel refuses longer cell texts; openpyxl would cut them without saying so."""
TRUNCATED = "…（已截断）"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make Excel or WPS take typed-in text for a formula."""

Run = tuple[str, str]
"""A piece of cell text and its mark: "" plain, "-" deleted, "+" inserted (as in ``highlight``)."""


@dataclass(frozen=True, slots=True)
class Approval:
    """What the change record (调整记录) covering a change says about it."""

    reason: str
    """调整理由."""
    reference: str
    """批准机关 and 批准文号, e.g. "青岚区委编委 青岚编委〔2026〕3号"; may be empty."""
    type: str | None
    """调整类型 as the record writes it (e.g. 收回 for what the diff sees as 取消); None: the diff's."""


def write_revision_table(
    diff: Diff,
    path: Path,
    *,
    title: str,
    note: Callable[[ItemChange], Approval | None],
    words: Vocabulary,
) -> None:
    """Write the table to ``path`` (.xlsx), whole or not at all (``QingdanError`` if refused).

    ``note`` gives the record covering a change; None leaves 调整理由 and 批准文号 blank, to be
    filled in by hand. ``words`` gives the Chinese titles of kinds and fields, and the text of
    the values listed for added and removed items.
    """

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    workbook.properties.title = title
    workbook.properties.creator = "qingdan"
    look = _look()
    approvals = [note(change) for change in diff.changes]
    # counted as the rows name them, so a recorded 收回 is not summed up as 取消
    types = [
        _type(change, approval) for change, approval in zip(diff.changes, approvals, strict=True)
    ]
    versions = f"比对版本：{diff.old_label} → {diff.new_label}　{summarize(types)}"
    if diff.problems:
        # a paper copy outlives the command's error output: say here that rows may be missing
        versions += f"　注意：有{len(diff.problems)}处内容未能比对，本表可能不完整"
    _head(sheet, look, title, versions)
    for number, (change, approval) in enumerate(zip(diff.changes, approvals, strict=True), 1):
        row = HEAD_ROW + number
        cells = _row(number, change, approval, words)
        texts = [_put(sheet, row, column, runs, look) for column, runs in enumerate(cells, 1)]
        for column, (header, _) in enumerate(COLUMNS, 1):
            cell = sheet.cell(row, column)
            cell.font, cell.border = look.body, look.border
            cell.alignment = look.body_centered if header in CENTERED else look.body_left
        sheet.row_dimensions[row].height = _height(texts)
    _set_up_page(sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    _save(path, buffer.getvalue())


# --- content ---------------------------------------------------------------------------------


def _row(
    number: int,
    change: ItemChange,
    approval: Approval | None,
    words: Vocabulary,
) -> list[list[Run]]:
    item = change.item
    code = item.code
    if change.old is not None and change.new is not None and change.old.code != code:
        code = f"{change.old.code} → {code}"
    texts = [
        str(number),
        item.unit,
        words.kind_title(item.kind),
        code,
        item.name,
        _type(change, approval),
        "、".join(f.title for f in change.fields),
    ]
    before, after = _contents(change, words)
    reason, reference = (approval.reason, approval.reference) if approval else ("", "")
    return [*(_plain(t) for t in texts), before, after, _plain(reason), _plain(reference)]


def _type(change: ItemChange, approval: Approval | None) -> str:
    return (approval.type if approval else None) or change.type.value


def _contents(change: ItemChange, words: Vocabulary) -> tuple[list[Run], list[Run]]:
    """原内容 and 修改后内容: the whole item on the side it exists on, else the changed fields."""
    if change.old is None:
        return [], _summary(change.item, words)
    if change.new is None:
        return _summary(change.item, words), []
    return _fields(change.fields, "-"), _fields(change.fields, "+")


def _summary(item: Item, words: Vocabulary) -> list[Run]:
    """An added or removed item as 【字段】值 lines, in the order its file writes them."""
    lines = [
        f"【{words.title(item.kind, [key])}】{words.text(item.kind, key, value)}"
        for key, value in item.data.items()
        if key != "code" and value not in (None, "", [], {})
    ]
    return _plain("\n".join(lines))


def _fields(fields: Iterable[FieldChange], side: str) -> list[Run]:
    """A 【字段】text line per field, the ``side`` ("-" old, "+" new) of each; long texts get
    the characters deleted or inserted marked, short ones are read whole."""
    runs: list[Run] = []
    for index, change in enumerate(fields):
        runs.append(("", ("\n" if index else "") + f"【{change.title}】"))
        old, new = change.old, change.new
        if old and new and max(len(old), len(new)) >= LONG_TEXT:
            ops = highlight(old, new)
            runs += [
                ("" if mark == "=" else mark, text) for mark, text in ops if mark in ("=", side)
            ]
        else:
            runs.append(("", old if side == "-" else new))
    return runs


def _plain(text: str) -> list[Run]:
    return [("", text)]


# --- cells -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Look:
    """Styles, made once rather than per cell."""

    title: Font
    head: Font
    body: Font
    border: Border
    head_align: Alignment
    body_left: Alignment
    body_centered: Alignment
    runs: dict[str, InlineFont]
    """Fonts of marked text: struck-through deletions, bold underlined insertions, both in red
    on screen and still distinct in black-and-white print."""


def _look() -> _Look:

    side = Side(style="thin", color="000000")
    red = Color(MARK_COLOR)
    return _Look(
        title=Font(name=TITLE_FONT, size=TITLE_SIZE, bold=True),
        head=Font(name=HEAD_FONT, size=BODY_SIZE, bold=True),
        body=Font(name=BODY_FONT, size=BODY_SIZE),
        border=Border(left=side, right=side, top=side, bottom=side),
        head_align=Alignment(horizontal="center", vertical="center", wrap_text=True),
        body_left=Alignment(horizontal="left", vertical="top", wrap_text=True),
        body_centered=Alignment(horizontal="center", vertical="top", wrap_text=True),
        # rich-text runs do not inherit the cell's font: each names it
        runs={
            "": InlineFont(rFont=BODY_FONT, sz=BODY_SIZE),
            "-": InlineFont(rFont=BODY_FONT, sz=BODY_SIZE, strike=True, color=red),
            "+": InlineFont(rFont=BODY_FONT, sz=BODY_SIZE, b=True, u="single", color=red),
        },
    )


def _put(sheet: Worksheet, row: int, column: int, runs: list[Run], look: _Look) -> str:
    """Store text as text, whatever it looks like, and return it as stored.

    openpyxl makes a string starting with "=" a formula and "#N/A" an error value, refuses
    control characters and cuts long texts silently; a table of the user's texts must do none.
    """

    runs = [(mark, ILLEGAL_CHARACTERS_RE.sub("", text)) for mark, text in runs]
    text = "".join(t for _, t in runs)
    if not text:
        return ""
    value: str | CellRichText = text
    if len(text) > MAX_CELL:
        value = text = text[: MAX_CELL - len(TRUNCATED)] + TRUNCATED
    elif any(mark for mark, _ in runs):
        value = CellRichText([TextBlock(look.runs[mark], t) for mark, t in runs if t])
    cell = sheet.cell(row, column, value)
    cell.data_type = "s"
    # Excel and WPS keep a quote-prefixed text a text when someone edits the cell.
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    return text


def _height(texts: Sequence[str]) -> float:
    """Row height (points) that shows every line of the row's wrapped texts.

    LibreOffice leaves a row without a stored height at one line, hiding the rest of wrapped
    texts, so the height is estimated as Excel wraps: generously, as too tall costs a little
    paper and too short hides text in print.
    """
    lines = max(_lines(text, width) for text, (_, width) in zip(texts, COLUMNS, strict=True))
    return min(lines * LINE_HEIGHT + 4, MAX_ROW_HEIGHT)


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` units wide, breaking between any characters.

    Excel also keeps punctuation off the start of a line and Latin words whole, which now and
    then pushes text down a line: one line in eight is added for that.
    """
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for char in paragraph:
            size = 2 if unicodedata.east_asian_width(char) in "WFA" else 1
            if used + size > width and used:
                lines, used = lines + 1, 0
            used += size
        total += lines + (lines - 1) // 8
    return total


# --- layout ----------------------------------------------------------------------------------


def _head(sheet: Worksheet, look: _Look, title: str, subtitle: str) -> None:
    last = len(COLUMNS)
    table_width = sum(w for _, w in COLUMNS)
    for row, text, font, size in (
        (1, title, look.title, TITLE_SIZE),
        (2, subtitle, look.body, BODY_SIZE),
    ):
        _put(sheet, row, 1, _plain(text), look)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        cell = sheet.cell(row, 1)
        cell.font, cell.alignment = font, look.head_align
        # merged cells never grow to fit their text, in Excel or LibreOffice
        scale = size / BODY_SIZE
        lines = _lines(text, table_width / scale)
        sheet.row_dimensions[row].height = (lines * LINE_HEIGHT + 8) * scale
    for column, (header, width) in enumerate(COLUMNS, 1):
        cell = sheet.cell(HEAD_ROW, column, header)
        cell.font, cell.alignment, cell.border = look.head, look.head_align, look.border
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.row_dimensions[HEAD_ROW].height = _height([header for header, _ in COLUMNS])


def _set_up_page(sheet: Worksheet) -> None:
    """A4 landscape, as wide as the type area, the table head on every page.

    The margins keep GB/T 9704's 156 × 225 mm type area turned as landscape tables are bound on
    odd pages, table head on the binding side: 2.8 cm at the top, 3.7 cm at the right.
    """

    sheet.freeze_panes = f"A{HEAD_ROW + 1}"
    sheet.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW}"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.top, margins.bottom = 2.8 * CM, 2.6 * CM
    margins.left, margins.right = 3.5 * CM, 3.7 * CM
    margins.header, margins.footer = 1.5 * CM, 1.6 * CM
    footer = sheet.oddFooter
    assert footer is not None
    footer.center.text = "— &P —"
    footer.center.font = "宋体"
    footer.center.size = 14


def _save(path: Path, data: bytes) -> None:
    try:
        atomic.write_bytes(path, data)
        for left in atomic.leftovers(path.parent, path.name):  # by an earlier, killed run
            left.unlink(missing_ok=True)
    except PermissionError as error:
        raise QingdanError(
            f"无法写入 {display_path(path)}：文件可能正在 Excel 或 WPS 中打开，请关闭后重试；"
            "若没有打开，请检查是否有写入该文件夹的权限。"
        ) from error
    except OSError as error:
        raise QingdanError(f"无法写入 {display_path(path)}：{os_reason(error)}。") from error
