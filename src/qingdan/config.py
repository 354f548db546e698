"""A list set's ``qingdan.yaml`` as a typed, frozen value, with every default in one place.

The config schema (``schemas/config.schema.json``) checks the file; this module only reads what
the schema allowed. ``Config.lenient`` reads a config that may be broken (another version of the
set, read from git only for its folder names): whatever is not of the right type falls back to
the default, and validate reports the problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from qingdan.boundary import escapes

DEFAULT_PRESET = "sanzhang"
DEFAULT_LISTS = "townships"
DEFAULT_DEPARTMENTS = "departments.yaml"
DEFAULT_CATEGORIES = "categories"
DEFAULT_CHANGES = "changes"
DEFAULT_ADMISSIONS = "admissions"
DEFAULT_RESOLVED = "resolved"
DEFAULT_FONTS = {"title": "方正小标宋简体", "head": "黑体", "body": "仿宋_GB2312"}
"""The faces of official documents (GB/T 9704), installed on the offices' machines."""
DEFAULT_TOWNSHIP_MAIN_PERCENT = 15.0
"""Published lists keep township-main items rare (章丘 3 of 81, 肥城 15 of 142 = 10.6 %); above
this share of a territorial list ``rule.township-main-share`` asks for a review."""


@dataclass(frozen=True, slots=True)
class BaseSpec:
    """``base``: the list set this one is derived from, and the edition it was derived from."""

    path: str
    edition: str


@dataclass(frozen=True, slots=True)
class ExportSpec:
    """``export``: how the set's workbooks and printed tables look (fonts installed on the
    offices' machines, 序号 through the whole list or per 领域)."""

    numbering: str = "continuous"
    categories: str = "rows"
    """领域 as a row above its items (rows) or a column merged over them (merged)."""
    font_size: float = 10.5
    title_font: str = DEFAULT_FONTS["title"]
    head_font: str = DEFAULT_FONTS["head"]
    body_font: str = DEFAULT_FONTS["body"]

    @classmethod
    def lenient(cls, value: Any) -> ExportSpec:
        data = value if isinstance(value, dict) else {}
        fonts = data.get("fonts")
        fonts = fonts if isinstance(fonts, dict) else {}
        size = data.get("font_size")
        numbering = data.get("numbering")
        categories = data.get("categories")

        def face(key: str) -> str:
            found = fonts.get(key)
            return found if isinstance(found, str) and found else DEFAULT_FONTS[key]

        return cls(
            numbering=numbering if numbering in ("continuous", "per-section") else "continuous",
            categories=categories if categories in ("rows", "merged") else "rows",
            font_size=float(size)
            if isinstance(size, int | float) and not isinstance(size, bool)
            else 10.5,
            title_font=face("title"),
            head_font=face("head"),
            body_font=face("body"),
        )


@dataclass(frozen=True, slots=True)
class BookSpec:
    """``book``: what the printed book (``qingdan export book``) takes from the set itself."""

    title: str = ""
    date: str = ""
    """ISO date (2026-03-02); empty: the day the book is made."""
    notice: str = ""
    explanation: str = ""
    numbering: str = "continuous"
    fonts: Mapping[str, str] = field(default_factory=dict)
    """Font family per role (fang, song, hei, kai); a role not named takes the bundled default."""


@dataclass(frozen=True, slots=True)
class Required:
    """``required`` of the config for one kind: fields the set makes required (``add``) or
    optional (``remove``) beyond what the preset says, so that a set whose sources do not
    publish a column needs no preset of its own (the kind's schema is built with it)."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Config:
    name: str = ""
    region: str = ""
    level: str = ""
    edition: str = ""
    compiler: str = ""
    preset: str = DEFAULT_PRESET
    kinds: tuple[str, ...] = ()
    code_patterns: Mapping[str, str] = field(default_factory=dict)
    departments: str = DEFAULT_DEPARTMENTS
    categories: str = DEFAULT_CATEGORIES
    lists: str = DEFAULT_LISTS
    changes: str = DEFAULT_CHANGES
    admissions: str = DEFAULT_ADMISSIONS
    resolved: str = DEFAULT_RESOLVED
    base: BaseSpec | None = None
    import_aliases: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    """``import.aliases``: per kind, more column headers for a field (``lead: [责任单位]``) that
    ``qingdan import xlsx`` recognises besides the kind's titles and its own aliases."""
    synonyms: tuple[tuple[str, ...], ...] = ()
    """``search.synonyms``: groups of words ``find`` and the site take to mean the same."""
    township_main_percent: float = DEFAULT_TOWNSHIP_MAIN_PERCENT
    """``rules.township_main_percent``: the set's own limit for ``rule.township-main-share``."""
    required: Mapping[str, Required] = field(default_factory=dict)
    """``required``: per kind, the fields the set requires beyond or short of the preset."""
    export: ExportSpec = field(default_factory=ExportSpec)
    book: BookSpec = field(default_factory=BookSpec)
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The file's data as written, for writing a config back out (``resolve``)."""

    @classmethod
    def lenient(cls, data: Any) -> Config:
        """Read what is usable of ``data``; wrong types and missing keys take the defaults."""
        if not isinstance(data, dict):
            return cls()

        def text(key: str, default: str = "") -> str:
            value = data.get(key)
            return value if isinstance(value, str) else default

        kinds = data.get("kinds")
        patterns = data.get("code_patterns")
        return cls(
            name=text("name"),
            region=text("region"),
            level=text("level"),
            edition=text("edition"),
            compiler=text("compiler"),
            preset=text("preset", DEFAULT_PRESET),
            kinds=tuple(k for k in kinds if isinstance(k, str)) if isinstance(kinds, list) else (),
            code_patterns={
                k: v for k, v in patterns.items() if isinstance(k, str) and isinstance(v, str)
            }
            if isinstance(patterns, dict)
            else {},
            departments=within(text("departments", DEFAULT_DEPARTMENTS), DEFAULT_DEPARTMENTS),
            categories=within(text("categories", DEFAULT_CATEGORIES), DEFAULT_CATEGORIES),
            lists=within(text("lists", DEFAULT_LISTS), DEFAULT_LISTS),
            changes=within(text("changes", DEFAULT_CHANGES), DEFAULT_CHANGES),
            admissions=within(text("admissions", DEFAULT_ADMISSIONS), DEFAULT_ADMISSIONS),
            resolved=within(text("resolved", DEFAULT_RESOLVED), DEFAULT_RESOLVED),
            base=_base(data.get("base")),
            import_aliases=_aliases(data.get("import")),
            synonyms=_synonyms(data.get("search")),
            required=_required(data.get("required")),
            township_main_percent=_percent(data.get("rules")),
            export=ExportSpec.lenient(data.get("export")),
            book=_book(data.get("book")),
            raw=dict(data),
        )


PATH_KEYS = ("departments", "categories", "lists", "changes", "admissions", "resolved")
"""Keys naming a file or folder of the set itself, so inside the set's folder."""


def within(value: str, default: str) -> str:
    """``value`` when, as written, it stays inside the set's folder; else the default, so that
    no reader is led out of the set before validate has reported the key (listset.py)."""
    return default if escapes(value) else value


def _base(value: Any) -> BaseSpec | None:
    if not isinstance(value, dict) or not isinstance(value.get("path"), str):
        return None
    edition = value.get("edition")
    return BaseSpec(value["path"], edition if isinstance(edition, str) else "")


def _aliases(value: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    aliases = value.get("aliases") if isinstance(value, dict) else None
    if not isinstance(aliases, dict):
        return {}
    return {
        kind: {
            name: tuple(a for a in names if isinstance(a, str))
            for name, names in fields.items()
            if isinstance(names, list)
        }
        for kind, fields in aliases.items()
        if isinstance(fields, dict)
    }


def _synonyms(value: Any) -> tuple[tuple[str, ...], ...]:
    groups = value.get("synonyms") if isinstance(value, dict) else None
    if not isinstance(groups, list):
        return ()
    return tuple(
        tuple(w for w in group if isinstance(w, str) and w)
        for group in groups
        if isinstance(group, list)
    )


def _percent(value: Any) -> float:
    found = value.get("township_main_percent") if isinstance(value, dict) else None
    if isinstance(found, int | float) and not isinstance(found, bool) and 0 <= found <= 100:
        return float(found)
    return DEFAULT_TOWNSHIP_MAIN_PERCENT


def _required(value: Any) -> dict[str, Required]:
    if not isinstance(value, dict):
        return {}

    def names(spec: dict[str, Any], key: str) -> tuple[str, ...]:
        listed = spec.get(key)
        return tuple(f for f in listed if isinstance(f, str)) if isinstance(listed, list) else ()

    return {
        kind: Required(names(spec, "add"), names(spec, "remove"))
        for kind, spec in value.items()
        if isinstance(kind, str) and isinstance(spec, dict)
    }


def _book(value: Any) -> BookSpec:
    if not isinstance(value, dict):
        return BookSpec()
    texts = {k: v for k, v in value.items() if k != "fonts" and isinstance(v, str)}
    fonts = value.get("fonts")
    named = (
        {k: v for k, v in fonts.items() if isinstance(v, str)} if isinstance(fonts, dict) else {}
    )
    return BookSpec(**{k: v for k, v in texts.items() if k in _BOOK_TEXTS}, fonts=named)


_BOOK_TEXTS = frozenset(BookSpec.__dataclass_fields__) - {"fonts"}
