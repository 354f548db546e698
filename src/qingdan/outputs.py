"""Where a command may write: every output path is checked before any work starts.

A typo in ``-o`` must not cost a user their files or a long run: a missing folder is not created
silently, a folder is not mistaken for a file (nor a file for a folder), and nothing is written
into what the output was made from: the list set's config, registry, category trees, lists and
change records, or any base list set it derives from. Each case is a ``QingdanError`` that says
what to do, raised before anything is read or written.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from qingdan.boundary import real
from qingdan.errors import QingdanError
from qingdan.listset import CONFIG_NAME, ListSet, display_path


class Source(StrEnum):
    """What a protected place holds, as the user reads it."""

    CONFIG = "配置文件"
    REGISTRY = "部门名录"
    CATEGORIES = "类别树文件夹"
    LISTS = "清单目录"
    CHANGES = "调整记录文件夹"
    BASE = "上级清单集"


@dataclass(frozen=True, slots=True)
class Protected:
    path: Path
    """Resolved, so that a link or ``..`` cannot get around it."""
    source: Source


def protected(listset: ListSet, bases: Sequence[ListSet] = ()) -> list[Protected]:
    """The list set's own sources, and every base list set it derives from (``bases``)."""
    config, root = listset.config, listset.root
    places = [
        (root / CONFIG_NAME, Source.CONFIG),
        (root / config.departments, Source.REGISTRY),
        (root / config.categories, Source.CATEGORIES),
        (listset.list_dir, Source.LISTS),
        (root / config.changes, Source.CHANGES),
    ]
    places += [(base.root, Source.BASE) for base in bases]
    return [Protected(real(path), source) for path, source in places]


def check_file(
    path: Path,
    listset: ListSet | None = None,
    *,
    what: str,
    allow: frozenset[Source] = frozenset(),
    bases: Sequence[ListSet] = (),
) -> None:
    """``path`` can become the file ``what`` (修订对照表, 调整记录草稿 …)."""
    shown = display_path(path)
    if path.is_dir():
        raise QingdanError(
            f"{what} {shown} 是一个文件夹：请在 -o 中写出文件名，如 {shown}/文件名。"
        )
    _check_folder_of(path, what)
    _check_place(path, listset, bases, what, allow)
    if path.exists() and not os.access(path, os.W_OK):
        raise QingdanError(f"无法写入 {shown}：这个文件是只读的，请解除只读或换一个文件名。")


def check_folder(
    path: Path, listset: ListSet | None = None, *, what: str, bases: Sequence[ListSet] = ()
) -> None:
    """``path`` can become (or already is) the folder ``what`` is written into; a list set's
    own folder cannot, since its files would be overwritten by their own output."""
    shown = display_path(path)
    if listset is not None and real(path) == real(listset.root):
        raise QingdanError(f"{what}不能是清单集本身（{shown}）：请换一个文件夹。")
    if path.exists() and not path.is_dir():
        raise QingdanError(f"{what} {shown} 是一个文件，不是文件夹：请换一个文件夹名。")
    if path.is_dir():
        _check_place(path, listset, bases, what, frozenset())
        if not os.access(path, os.W_OK):
            raise QingdanError(f"无法写入文件夹 {shown}：没有写入权限，请换一个文件夹。")
        return
    _check_folder_of(path, what)
    _check_place(path, listset, bases, what, frozenset())


def _check_folder_of(path: Path, what: str) -> None:
    """The folder that will hold ``path`` exists, is a folder, and may be written."""
    parent = Path(os.path.realpath(path)).parent
    if parent.is_dir():
        if not os.access(parent, os.W_OK):
            raise QingdanError(
                f"无法写入文件夹 {display_path(path.parent)}：没有写入权限，请换一个位置。"
            )
        return
    blocking = next((p for p in Path(os.path.abspath(path)).parents if p.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise QingdanError(
            f"无法写出{what} {display_path(path)}：{display_path(blocking)} 是一个文件，不是文件夹。"
            "请检查路径是否写错。"
        )
    raise QingdanError(
        f"无法写出{what} {display_path(path)}：文件夹 {display_path(path.parent)} 不存在。"
        "请先创建这个文件夹，或检查路径是否写错。"
    )


def _check_place(
    path: Path,
    listset: ListSet | None,
    bases: Sequence[ListSet],
    what: str,
    allow: frozenset[Source],
) -> None:
    if listset is None:
        return
    target = real(path)
    for place in protected(listset, bases):
        if place.source in allow:
            continue
        if target == place.path or place.path in target.parents:
            where = display_path(place.path)
            raise QingdanError(
                f"{what}不能写到 {display_path(path)}：这里属于{place.source.value} {where}，"
                "只能放清单集自己的文件，写入会覆盖或混入原文件。请换一个位置，例如清单集之外的文件夹。"
            )
