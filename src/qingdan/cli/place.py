"""Which list set a command works in: ``-C DIR``, the working folder, or the one set below it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from qingdan.errors import QingdanError
from qingdan.listset import display_path, locate_set

if TYPE_CHECKING:
    from qingdan.listset import ListSet
    from qingdan.workspace import Workspace


def working_set(directory: Path | None, *, required: bool = True) -> Path | None:
    """The list set root; says on stderr which set was taken when it was found below.

    ``required=False`` is for commands that can also work on plain folders or files (``diff``):
    outside any list set they get None rather than an error.
    """
    if directory is not None and not directory.is_dir():
        raise QingdanError(f"文件夹不存在：{display_path(directory)}。")
    try:
        located = locate_set((directory or Path.cwd()).resolve())
    except QingdanError:
        if required or directory is not None:
            raise
        return None
    if located.below:
        typer.echo(
            f"使用清单集 {display_path(located.root)}（当前文件夹之下最近的清单集）。", err=True
        )
    return located.root


def open_usable(root: Path) -> tuple[Workspace, ListSet]:
    """The command's workspace and its list set, for commands that cannot work without a
    usable config: otherwise an error that names the config's first problem."""
    from qingdan.findings import Severity
    from qingdan.workspace import Workspace

    workspace = Workspace()
    listset = workspace.open(root)
    if not listset.usable:
        first = next((f for f in listset.findings if f.severity is Severity.ERROR), None)
        said = f"（{first.location}：{first.message.rstrip('。')}）" if first else ""
        raise QingdanError(f"清单集的配置有错误{said}，请先运行 qingdan validate 查看并修正。")
    return workspace, listset


def selection(path: Path | None, *, nothing: str) -> tuple[Workspace, ListSet, list[Path]]:
    """The command's workspace, the list set ``path`` is in, and the list files it names (a set,
    a township's folder or one file); ``nothing`` says what is missing when it names none."""
    workspace, listset = open_usable(set_root(path))
    files = named_files(listset, path)
    if not files:
        raise QingdanError(f"{display_path(path or listset.root)} 中没有清单文件，{nothing}。")
    return workspace, listset, files


def set_root(path: Path | None) -> Path:
    """The root of the list set that ``path`` (a set, a township's folder or one file) is in."""
    if path is not None and not path.exists():
        raise QingdanError(f"路径不存在：{display_path(path)}。")
    root = working_set(path if path is None or path.is_dir() else path.parent)
    assert root is not None
    return root


def named_files(listset: ListSet, path: Path | None) -> list[Path]:
    """The list files ``path`` names: the whole set (a folder at or above its root, where the
    set was found), a township's folder or one file."""
    if path is None or listset.root.resolve().is_relative_to(path.resolve()):
        return listset.list_files()
    if path.is_dir():
        return listset.list_files(path)
    return [path]
