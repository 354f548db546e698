"""Which list set a command works in: ``-C DIR``, the working folder, or the one set below it."""

from __future__ import annotations

from pathlib import Path

import typer

from qingdan.errors import QingdanError
from qingdan.listset import display_path, locate_set


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
