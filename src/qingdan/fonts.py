"""The fonts a printed book is set in: one family per role, found on the machine or bundled.

An official document sets its body in 仿宋, its title in 小标宋, first-level headings in 黑体 and
second-level headings in 楷体 (GB/T 9704, DOMAIN.md §7). Offices have 仿宋_GB2312, 方正小标宋简体 and
the like installed; a fresh machine has none of them, so qingdan ships the open Fandol faces
(``data/fonts``, GPL with the font exception) and uses them for every role the set's config does not
name (``book.fonts``). The typesetter matches fonts by family name and prints a character its font
lacks as a blank box without a word, so ``Fonts.missing`` says which characters those are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from qingdan.errors import QingdanError

if TYPE_CHECKING:
    from collections.abc import Mapping

    import typst

BUNDLED_DIR = Path(__file__).parent / "data" / "fonts"


class Role(StrEnum):
    """What a font is for; the value is the key in ``book.fonts``."""

    FANG = "fang"
    SONG = "song"
    HEI = "hei"
    KAI = "kai"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.FANG: "正文字体（仿宋）",
    Role.SONG: "标题字体（小标宋）",
    Role.HEI: "一级标题字体（黑体）",
    Role.KAI: "二级标题字体（楷体）",
}

DEFAULTS: dict[Role, str] = {
    Role.FANG: "FandolFang R",
    Role.SONG: "FandolSong",
    Role.HEI: "FandolHei",
    Role.KAI: "FandolKai",
}
"""The bundled families (as the typesetter names them), one per role."""


@dataclass(frozen=True)
class Face:
    family: str
    path: Path
    index: int
    """The face's number in a font collection (.ttc)."""


@dataclass(eq=False)
class Fonts:
    """The families chosen for a book, and the font catalog the typesetter reads them from."""

    families: dict[Role, str]
    catalog: typst.Fonts
    faces: dict[Role, Face]
    _covered: dict[Role, frozenset[int]] = field(default_factory=dict)

    def covers(self, role: Role) -> frozenset[int]:
        """The code points the role's font has glyphs for (read once per role)."""
        if role not in self._covered:
            from fontTools.ttLib import TTFont  # noqa: PLC0415  (heavy, needed for printing only)

            face = self.faces[role]
            with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
                self._covered[role] = frozenset(font.getBestCmap() or {})
        return self._covered[role]

    def missing(self, role: Role, text: str) -> list[str]:
        """Characters of ``text`` the role's font cannot print (white space aside), in order."""
        covered = self.covers(role)
        return list(dict.fromkeys(c for c in text if not c.isspace() and ord(c) not in covered))


def choose(named: Mapping[str, str]) -> Fonts:
    """The fonts for the roles the config names (``book.fonts``), the bundled ones for the rest;
    a named family that is neither installed nor bundled cannot be printed with."""
    import typst  # noqa: PLC0415  (heavy, needed for printing only)

    catalog = typst.Fonts(include_system_fonts=True, font_paths=[str(BUNDLED_DIR)])
    regular: dict[str, Face] = {}
    for info in catalog.fonts():
        if info.path and (info.family not in regular or info.weight == 400):
            regular[info.family] = Face(info.family, Path(info.path), info.index)
    families = {role: named.get(role.value) or DEFAULTS[role] for role in Role}
    faces = {}
    for role, family in families.items():
        face = regular.get(family)
        if face is None:
            raise QingdanError(
                f"找不到{role.label}“{family}”：这台电脑没有安装这个字体。请安装它，或改写"
                f" qingdan.yaml 中 book.fonts.{role.value} 的字体名称（删去这一项则使用自带的"
                f"开源字体 {DEFAULTS[role]}）。"
            )
        faces[role] = face
    return Fonts(families, catalog, faces)
