"""The 修订对照表: a diff as the before/after table offices attach to an adjustment and print.

It is read on paper, by the people who approve the change (DOMAIN.md §6), and bound into the list
book (§7), so it follows print conventions rather than being a data dump: A4 landscape, the table
head on every page, official fonts, and edited texts with the changed characters marked, because a
one-character edit in a hundred-character duty is otherwise invisible. Only ``qingdan diff -o``
imports this module (and with it the workbook layer and xlsxwriter).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qingdan.diff import (
    LONG_TEXT,
    Diff,
    FieldChange,
    Item,
    ItemChange,
    summarize,
)
from qingdan.present.values import highlight
from qingdan.present.vocabulary import Vocabulary
from qingdan.workbook.layout import Fonts, lines, row_height, set_up_page
from qingdan.workbook.writer import Writer

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
HEAD_ROW = 2
"""The head row (0-based): below the title and the versions line."""
FONTS = Fonts()
LOOKS = {"": "plain", "-": "deleted", "+": "inserted"}
"""Marks of ``highlight`` as the writer's looks: struck-through deletions, bold underlined
insertions, both in red on screen and still distinct in black-and-white print."""

Marked = tuple[str, str]
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

    writer = Writer(FONTS, title=title)
    sheet = writer.book.add_worksheet(SHEET)
    approvals = [note(change) for change in diff.changes]
    # counted as the rows name them, so a recorded 收回 is not summed up as 取消
    types = [
        _type(change, approval) for change, approval in zip(diff.changes, approvals, strict=True)
    ]
    versions = f"比对版本：{diff.old_label} → {diff.new_label}　{summarize(types)}"
    if diff.problems:
        # a paper copy outlives the command's error output: say here that rows may be missing
        versions += f"　注意：有{len(diff.problems)}处内容未能比对，本表可能不完整"
    _head(writer, sheet, title, versions)
    widths = [width for _, width in COLUMNS]
    for number, (change, approval) in enumerate(zip(diff.changes, approvals, strict=True), 1):
        row = HEAD_ROW + number
        source = f"事项 {change.item.code}"
        texts = [
            writer.put_runs(
                sheet,
                row,
                column,
                [(text, LOOKS[mark]) for mark, text in runs],
                style="centered" if header in CENTERED else "body",
                source=source,
            )
            for column, ((header, _), runs) in enumerate(
                zip(COLUMNS, _row(number, change, approval, words), strict=True)
            )
        ]
        sheet.set_row(row, row_height(texts, widths, FONTS.size))
    set_up_page(sheet, head_rows=(HEAD_ROW, HEAD_ROW), header=title, fonts=FONTS, footer="— &P —")
    writer.save(path)


# --- content ---------------------------------------------------------------------------------


def _row(
    number: int,
    change: ItemChange,
    approval: Approval | None,
    words: Vocabulary,
) -> list[list[Marked]]:
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


def _contents(change: ItemChange, words: Vocabulary) -> tuple[list[Marked], list[Marked]]:
    """原内容 and 修改后内容: the whole item on the side it exists on, else the changed fields."""
    if change.old is None:
        return [], _summary(change.item, words)
    if change.new is None:
        return _summary(change.item, words), []
    return _fields(change.fields, "-"), _fields(change.fields, "+")


def _summary(item: Item, words: Vocabulary) -> list[Marked]:
    """An added or removed item as 【字段】值 lines, in the order its file writes them."""
    lines = [
        f"【{words.title(item.kind, [key])}】{words.text(item.kind, key, value)}"
        for key, value in item.data.items()
        if key != item.roles.code and value not in (None, "", [], {})
    ]
    return _plain("\n".join(lines))


def _fields(fields: Iterable[FieldChange], side: str) -> list[Marked]:
    """A 【字段】text line per field, the ``side`` ("-" old, "+" new) of each; long texts get
    the characters deleted or inserted marked, short ones are read whole."""
    runs: list[Marked] = []
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


def _plain(text: str) -> list[Marked]:
    return [("", text)]


# --- layout ----------------------------------------------------------------------------------


def _head(writer: Writer, sheet: Any, title: str, subtitle: str) -> None:
    last = len(COLUMNS) - 1
    table_width = sum(w for _, w in COLUMNS)
    for row, text, style, size in (
        (0, title, "title", FONTS.title_size),
        (1, subtitle, "subtitle", FONTS.size),
    ):
        sheet.merge_range(row, 0, row, last, "", writer.style(style))
        writer.put(sheet, row, 0, text, style=style, source="表头")
        # merged cells never grow to fit their text, in Excel or LibreOffice
        sheet.set_row(row, (lines(text, table_width, size) * 14 + 8) * size / FONTS.size)
    for column, (header, width) in enumerate(COLUMNS):
        writer.put(sheet, HEAD_ROW, column, header, style="head", source="表头")
        sheet.set_column(column, column, width)
    sheet.set_row(
        HEAD_ROW, row_height([h for h, _ in COLUMNS], [w for _, w in COLUMNS], FONTS.size)
    )
