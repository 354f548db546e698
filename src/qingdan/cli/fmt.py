"""``qingdan fmt``: list files rewritten in the canonical layout, or checked for it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qingdan.cli import app

if TYPE_CHECKING:
    from qingdan.listset import ListSet
    from qingdan.workspace import Workspace


@app.command()
def fmt(
    paths: list[Path] = typer.Argument(
        None,
        help="重排哪些清单：清单文件、某个镇（街道）的文件夹或清单集文件夹；默认为当前清单集的全部清单。",
        metavar="路径…",
        show_default=False,
    ),
    check: bool = typer.Option(
        False,
        "--check",
        help="只检查、不改写：列出需要重排的文件，有则退出码为 1（用于提交前检查）。",
    ),
) -> None:
    """把清单文件（普通清单和派生清单）重排为统一的写法，注释和事项之间的空行保留不动。

    字段按清单类型规定的顺序排列，缩进统一为 2 个空格，只在不加引号会被读成别的值（数字、日期、
    是/否）时才加引号（用双引号），UTF-8 编码，换行符保持文件原来的（Windows 的 CRLF 保持 CRLF）。
    重排前后读出的内容完全相同；解析不了的文件不改动，并指出出错的行。
    例：qingdan fmt；qingdan fmt townships/baihe；qingdan fmt --check。
    退出码：0 完成（--check 时：都已是统一写法）；1 有文件解析不了（--check 时：还有需要重排的文件）；
    2 无法运行。
    """
    from qingdan import atomic
    from qingdan.errors import QingdanError
    from qingdan.formatting import FormatError, format_text
    from qingdan.listset import display_path
    from qingdan.source import read_regular
    from qingdan.workspace import Workspace

    workspace = Workspace()
    changed, unchanged, problems = [], 0, 0
    wanted: list[Path | None] = list(paths) if paths else [None]
    for listset, path in _files(workspace, wanted):
        shown = display_path(path)
        try:
            text = read_regular(path).decode("utf-8")
            formatted = format_text(text, listset.kinds)
        except OSError as exc:
            raise QingdanError(f"无法读取 {shown}：{exc.strerror or exc}。") from exc
        except UnicodeDecodeError:
            typer.echo(f"{shown}：不是 UTF-8 编码的文本，未重排；请用 UTF-8 另存后再试。")
            problems += 1
            continue
        except FormatError as error:
            where = f"{shown}:{error.line}:{error.column}" if error.line else shown
            typer.echo(f"{where}：{error.message}。")
            problems += 1
            continue
        if not formatted.changed:
            unchanged += 1
            continue
        changed.append(shown)
        if check:
            typer.echo(f"需要重排：{shown}")
        else:
            atomic.write_bytes(path, formatted.after.encode("utf-8"))
    _summary(check, changed, unchanged, problems)


def _summary(check: bool, changed: list[str], unchanged: int, problems: int) -> None:
    failed = f"，{problems} 个解析不了" if problems else ""
    if check:
        if changed:
            typer.echo(
                f"{len(changed)} 个文件需要重排，{unchanged} 个已是统一写法{failed}；"
                "运行 qingdan fmt 重排。",
                err=True,
            )
        else:
            typer.echo(f"{unchanged} 个文件都已是统一写法{failed}。", err=True)
        raise typer.Exit(1 if changed or problems else 0)
    typer.echo(f"已重排 {len(changed)} 个文件，{unchanged} 个无需改动{failed}。", err=True)
    if problems:
        raise typer.Exit(1)


def _files(workspace: Workspace, paths: list[Path | None]) -> list[tuple[ListSet, Path]]:
    """Every list file the paths name, with the list set it belongs to, each once."""
    from qingdan.cli.place import named_files, set_root
    from qingdan.errors import QingdanError

    found: dict[Path, tuple[ListSet, Path]] = {}
    for path in paths:
        listset = workspace.open(set_root(path))
        files = named_files(listset, path)
        for file in files:
            found.setdefault(file.resolve(), (listset, file))
    if not found:
        raise QingdanError("所选位置没有清单文件，没有可重排的内容。")
    return list(found.values())
