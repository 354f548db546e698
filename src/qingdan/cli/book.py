"""``qingdan export book``: a list set as the bound book offices print (印制成册), as PDF or as a
web page."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from qingdan.cli import DIR_OPTION
from qingdan.cli.derive import SET_ARGUMENT, open_named
from qingdan.cli.export import export_app


class Form(StrEnum):
    pdf = "pdf"
    html = "html"
    docx = "docx"


@export_app.command()
def book(
    directory: Path = SET_ARGUMENT,
    option: Path = DIR_OPTION,
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        help="写到哪个文件：清单.pdf（印刷用）、清单.html（网页）或 清单.docx（Word，印前修改用）；加 --per-township 时是文件夹。",
        show_default=False,
    ),
    per_township: bool = typer.Option(
        False,
        "--per-township",
        help="每个镇（街道）一册，写到 -o 所指的文件夹中，文件名为镇街名称。",
    ),
    form: Form = typer.Option(
        Form.pdf, "--format", "-f", help="加 --per-township 时各册的格式：pdf、html 或 docx。"
    ),
) -> None:
    """把清单集排成印制文本：封面、目录、编制说明、各清单分领域的表格、部门职责索引，有调整记录的附调整记录。

    格式由 -o 的扩展名决定：.pdf 送印刷厂；.html 是一个自带字体的网页文件，供发布到网站，手机上也能看；.docx 是 Word 文件，供印前修改（打开时 Word 更新目录和页码）。

    版式按党政机关公文格式（GB/T 9704）：A4，仿宋正文，表格横排、每页重复表头，页码“— n —”单页居右、
    双页居左；字体嵌入 PDF。字体可在 qingdan.yaml 的 book.fonts 中改用本机安装的字体，默认使用自带的开源
    Fandol 字体。字体中没有的字逐个列出（事项、字段、字）。
    退出码：0 完成；1 已写出，但有字体中没有的字；2 无法运行。
    """
    from qingdan.atomic import write_bytes
    from qingdan.book import by_unit, gather, missing_glyphs
    from qingdan.docxbook import docx
    from qingdan.errors import QingdanError
    from qingdan.findings import ValidationResult
    from qingdan.fonts import choose
    from qingdan.htmlbook import html
    from qingdan.listset import display_path
    from qingdan.outputs import check_file, check_folder
    from qingdan.pdfbook import pdf
    from qingdan.present.vocabulary import vocabulary
    from qingdan.records import read_entries
    from qingdan.reporters import text as text_report
    from qingdan.stats import collect
    from qingdan.validation import Options
    from qingdan.versions import from_folder

    writers = {".pdf": pdf, ".html": html, ".docx": docx}
    suffix = f".{form.value}" if per_township else output.suffix.lower()
    writer = writers.get(suffix)
    if writer is None:
        raise QingdanError(
            f"不支持的印制文本格式“{output.suffix or output.name}”：请把 -o 的文件名写成以 .pdf"
            "（印刷用）、.html（网页，发布到网站）或 .docx（Word）结尾。"
        )
    workspace, listset = open_named(directory, option)
    bases = workspace.bases(listset)
    if per_township:
        check_folder(output, listset, what="印制文本文件夹", bases=bases)
    else:
        check_file(output, listset, what="印制文本", bases=bases)
    fonts = choose(listset.config.book.fonts)
    stats = collect(workspace, listset, Options())  # derived counts, and 待补充 of any set
    lists = list(workspace.lists(listset))
    records, _ = read_entries(from_folder(listset.root, listset.root.name, lists=False))
    if per_township:
        words = vocabulary(listset)
        output.mkdir(exist_ok=True)
        books = [
            (
                output / f"{words.unit_label(unit)}{suffix}",
                gather(listset, group, stats, unit=words.unit_label(unit), records=records),
            )
            for unit, group in by_unit(lists).items()
        ]
    else:
        books = [(output, gather(listset, lists, stats, records=records))]
    lacking = []
    for path, printed in books:
        write_bytes(path, writer(printed, fonts))
        typer.echo(
            f"已写出 {display_path(path)}：{len(printed.parts)} 张清单，{printed.items} 个事项。"
        )
        lacking += missing_glyphs(printed, fonts)
    if lacking:
        report = ValidationResult(findings=list(dict.fromkeys(lacking)))
        report.sort()
        text_report.render(report, sys.stdout)
        typer.echo("以上字符在字体中没有，印出来是空白框：请改字，或换用包含它们的字体。", err=True)
        raise typer.Exit(1)
