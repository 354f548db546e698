"""``qingdan export site``: the set as a static website people can search."""

from __future__ import annotations

from pathlib import Path

import typer

from qingdan.cli.export import export_app


@export_app.command("site")
def site(
    directory: Path = typer.Argument(
        None, help="清单集文件夹；默认为当前文件夹。", metavar="路径", show_default=False
    ),
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        help="写到哪个文件夹（新文件夹，或以前导出的网站）。",
        show_default=False,
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用、也不更新查找索引的缓存。"),
) -> None:
    """导出可查找的静态网站：首页按关键词查找事项（与 qingdan find 的查法相同），可按镇（街道）、
    清单和部门筛选；每个事项一页（依据、责任部门、职责），每个部门一页（牵头、主体、配合的事项）。

    不需要服务器，也不需要联网：直接双击文件夹中的 index.html 即可打开，也可放到任何网站服务器上；
    手机上也能用。
    例：qingdan export site -o 网站/。
    退出码：0 已写出；2 无法运行。
    """
    import datetime as dt

    from qingdan.cache import default_dir
    from qingdan.cli.derive import open_named
    from qingdan.listset import display_path
    from qingdan.outputs import check_folder
    from qingdan.search.index import cached
    from qingdan.site import About, write_site

    workspace, listset = open_named(directory, None)
    check_folder(output, listset, what="网站文件夹", bases=workspace.bases(listset))
    index, _ = cached(workspace, listset, None if no_cache else default_dir())
    today = dt.date.today()
    config = listset.config
    about = About(
        config.name or "三张清单",
        config.edition,
        f"{today.year}年{today.month}月{today.day}日",
        config.synonyms,
    )
    done = write_site(index, about, output)
    typer.echo(
        f"已写出网站 {display_path(output)}：{done.items} 个事项（{done.pages} 个事项页面）、"
        f"{done.departments} 个部门；"
        f"用浏览器打开其中的 index.html 即可查找。"
    )
