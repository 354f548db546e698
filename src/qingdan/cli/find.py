"""``qingdan find``: which items a word finds, best first ("who handles a broken 井盖?")."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from qingdan.cli import DIR_OPTION, app
from qingdan.cli.reporting import ColorOption, ReportFormat, display, warn_faulty
from qingdan.reporters.display import Color


@app.command()
def find(
    query: str = typer.Argument(
        ..., help="要找的词：事项名称、职责中的词、拼音或编码。", metavar="关键词"
    ),
    directory: Path = typer.Argument(
        None, help="清单集文件夹；默认为当前文件夹。", metavar="路径", show_default=False
    ),
    option: Path = DIR_OPTION,
    unit: str = typer.Option(
        None,
        "--unit",
        "-u",
        help="只找这个镇（街道）的清单（全称、简称或别称）。",
        show_default=False,
    ),
    kind: str = typer.Option(
        None, "--kind", "-k", help="只找这种清单（如 territorial）。", show_default=False
    ),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="最多列出几个事项。"),
    output: ReportFormat = typer.Option(
        ReportFormat.text, "--format", "-f", help="输出格式：text、json、markdown。"
    ),
    color: ColorOption = Color.auto,
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用、也不更新查找索引的缓存。"),
) -> None:
    """查找事项：按名称、职责、依据和部门中的词，相关程度高的在前。

    能认繁体字和全角字符（井蓋 = 井盖），能用拼音全拼或首字母（jinggai、jg），能用 qingdan.yaml
    中 search.synonyms 声明的同义词（窨井盖 = 井盖），也能容忍一个字的输错（井该）。
    名称中的匹配排在职责、依据中的匹配之前。
    例：qingdan find 井盖；qingdan find 占道经营 --unit 清水镇 --kind territorial。
    有的清单文件有错误（读不了或派生出错）时，照常查找其余内容，并在最后提示“注意：… 有错误，其中的事项
    可能不全”：这些文件中的事项可能没有查到，请运行 qingdan validate 查看并修正；提示不改变退出码。
    退出码（与 grep 相同）：0 找到了；1 没有找到；2 无法运行。
    """
    from qingdan.cache import default_dir
    from qingdan.cli.derive import open_named
    from qingdan.errors import QingdanError
    from qingdan.reporters.find_report import RENDERERS, Found
    from qingdan.search.filters import selected
    from qingdan.search.index import cached
    from qingdan.search.match import Query, search

    if not query.strip():
        raise QingdanError("要找的词是空的：请写出要找的词，如 qingdan find 井盖。")
    workspace, listset = open_named(directory, option)
    index, _ = cached(workspace, listset, None if no_cache else default_dir())
    titles = {name: k.title for name, k in listset.kinds.items()}
    keep = selected(index, listset.departments, titles, unit, kind)
    results = search(index, Query.of(query, index, listset.config.synonyms), keep)
    found = Found(query, results.top(limit), results.total)
    RENDERERS[output.value](found, sys.stdout, display(False, color))
    warn_faulty(index.faulty)
    if not results.total:
        raise typer.Exit(1)
