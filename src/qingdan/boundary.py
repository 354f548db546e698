"""Where files a repository names may be: inside that repository, and nowhere else.

Everything in a list repository arrives through pull requests (docs/threat-model.md): a config
path, a symbolic link or a ``..`` must not make qingdan read ``/etc/passwd`` or write over a
folder beside the checkout. The repository is the nearest folder above a path that holds
``.git``, found by looking at the path as written (so a linked folder cannot move it); outside
any repository nothing is confined, since nobody's pull request can reach such a folder.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath


@lru_cache(maxsize=256)
def repository(folder: Path) -> Path | None:
    """The work tree ``folder`` is in (its real path), or None outside any git work tree."""
    here = Path(os.path.abspath(folder))
    for candidate in (here, *here.parents):
        if os.path.lexists(candidate / ".git"):
            return Path(os.path.realpath(candidate))
    return None


def real(path: Path) -> Path:
    """Where a path leads; unlike ``Path.resolve`` it does not raise for a link loop, which the
    reader then reports as the file it is."""
    return Path(os.path.realpath(path))


def inside(path: Path, folder: Path) -> bool:
    """``path``, once every link and ``..`` in it is followed, is ``folder`` or below it."""
    where, top = real(path), real(folder)
    return where == top or top in where.parents


def escapes_repository(path: Path) -> bool:
    """``path`` leads out of the repository it is written in (through a link, say)."""
    top = repository(Path(os.path.abspath(path)).parent)
    return top is not None and not inside(path, top)


def escapes(value: str) -> bool:
    """A path, as written, that is absolute or climbs out with ``..`` (links are left to
    ``inside``, which sees where they lead)."""
    windows = PureWindowsPath(value)
    if PurePosixPath(value).is_absolute() or windows.is_absolute() or windows.drive:
        return True
    return posixpath.normpath(value.replace("\\", "/")).split("/")[0] == ".."


def config_path_problem(root: Path, value: str, *, repository_wide: bool = False) -> str | None:
    """Why a path written in ``root``'s qingdan.yaml may not be used, or None when it may.

    Paths name files of the set itself, so they stay inside the set's folder; a base set
    (``repository_wide``) may be anywhere in the repository the set is in."""
    windows = PureWindowsPath(value)
    if PurePosixPath(value).is_absolute() or windows.is_absolute() or windows.drive:
        return "是绝对路径，这里只能写相对于清单集文件夹的路径"
    try:
        _usable(root / value)
        if repository_wide:
            top = repository(root)
            if top is not None and not inside(root / value, top):
                return "指向仓库之外，上级清单集必须在同一个仓库中"
        elif escapes(value) or not inside(root / value, root):
            return "指向清单集文件夹之外，这里只能写清单集中的文件或文件夹"
    except (OSError, ValueError, RuntimeError):  # a path too long, a link loop, a NUL
        return "无法使用（路径过长、含有链接循环或无效字符）"
    return None


def _usable(path: Path) -> None:
    """Raises for a path no file can have (too long, a link loop); a missing file is usable,
    since saying it is missing is the reader's business."""
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        os.stat(path)
