"""List kinds are data: a JSON Schema per kind, plus presentation metadata under ``x-qingdan``.

A preset is a folder of ``<kind>.schema.json`` files (``sanzhang`` ships with qingdan); a list set
may name a folder of its own instead, so new kinds need no code.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from qingdan import missing
from qingdan.boundary import config_path_problem
from qingdan.config import Required
from qingdan.errors import QingdanError
from qingdan.patterns import Pattern, compile_pattern, pattern_problem
from qingdan.schemas import BUILTIN_DIR, Schema, builtin, bundle


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    title: str
    width: int
    """In the workbook, in Excel's units (about one Latin letter)."""
    print_width: float = 0
    """In the printed book, in characters of table text (``x-qingdan.columns[].print_width``):
    the least the column gets on a landscape page; 0 where the kind does not say (half of
    ``width`` is used)."""


@dataclass(frozen=True, slots=True)
class Roles:
    """Which fields say what an item is: its code, its name and its category, and which hold its
    term (期限) and its admission record (准入). A preset declares them (``x-qingdan.roles``) so
    that a kind whose code field is ``bm`` needs no code change."""

    code: str = "code"
    name: str = "name"
    category: str = "category"
    term: str = "term"
    admission: str = "admission"

    @classmethod
    def of(cls, meta: Any) -> Roles:
        declared = meta if isinstance(meta, dict) else {}
        return cls(**{k: v for k, v in declared.items() if k in _ROLES and isinstance(v, str)})


_ROLES = frozenset(Roles.__dataclass_fields__)


@dataclass(eq=False)
class Kind:
    """One list kind: its schemas and what qingdan needs to know to check and print it."""

    name: str
    schema: Schema
    code_pattern: str

    @cached_property
    def meta(self) -> dict[str, Any]:
        meta = self.schema.document.get("x-qingdan", {})
        return meta if isinstance(meta, dict) else {}

    @cached_property
    def roles(self) -> Roles:
        return Roles.of(self.meta.get("roles"))

    @property
    def title(self) -> str:
        return str(self.schema.document.get("title") or self.name)

    @cached_property
    def item(self) -> Schema:
        return self.schema.sub("#/$defs/item")

    @property
    def code_regex(self) -> Pattern:
        return compile_pattern(self.code_pattern)

    @property
    def code_example(self) -> str:
        return str(self.meta.get("code_example") or self.code_pattern)

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        """Printed columns in order, with Chinese titles from the schema and widths (characters)."""
        cols = self.meta.get("columns") or [{"field": f} for f in self.item.property_names(())]
        return tuple(
            Column(
                c["field"],
                self.item.title([c["field"]]),
                int(c.get("width", 12)),
                float(c.get("print_width", 0)),
            )
            for c in cols
        )

    @cached_property
    def texts(self) -> dict[str, str]:
        """How a field's entries read in a table cell (``x-qingdan.texts``), e.g. a party
        ``{department}：{duty}`` reads "区市场监管局：负责……" rather than "部门：…；职责：…"."""
        texts = self.meta.get("texts")
        if not isinstance(texts, dict):
            return {}
        return {k: v for k, v in texts.items() if isinstance(v, str)}

    @cached_property
    def print_columns(self) -> tuple[Column, ...]:
        """The columns of the printed book (``x-qingdan.print_columns``, field names): a kind
        with more columns than a landscape page can hold prints a selection; the workbook keeps
        them all. Without it the book prints every column."""
        fields = self.meta.get("print_columns")
        if not isinstance(fields, list):
            return self.columns
        return tuple(c for c in self.columns if c.field in fields)

    @property
    def local_fields(self) -> frozenset[str]:
        """Fields each unit fills in for itself (contact person, phone, address…): setting only
        these in a derived list fills the item in rather than changing the matter."""
        fields = self.meta.get("local_fields")
        return frozenset(fields) if isinstance(fields, list) else frozenset()

    @cached_property
    def answers(self) -> dict[str, str]:
        """What a department named in a field answers for in the book's department index
        (``x-qingdan.answers``: field → 牵头/主体/配合), e.g. a 配合 item's 对应上级部门 holds
        主体 and the township office that carries it out 配合."""
        declared = self.meta.get("answers")
        if not isinstance(declared, dict):
            return {}
        return {k: v for k, v in declared.items() if isinstance(v, str)}

    @property
    def time_limits(self) -> dict[str, str] | None:
        """Fields of the promised and the legal time limit (``promised``, ``legal``), which
        ``rule.time-limit`` compares."""
        mapping = self.meta.get("time_limits")
        return mapping if isinstance(mapping, dict) else None

    @property
    def territorial(self) -> dict[str, str] | None:
        """Field names of lead / main / township duty, for kinds that split responsibility."""
        mapping = self.meta.get("territorial")
        return mapping if isinstance(mapping, dict) else None


def preset_dir(preset: str, root: Path) -> Path:
    """A built-in preset name, or a folder relative to the list set root."""
    builtin = BUILTIN_DIR / preset
    if re.fullmatch(r"[a-z0-9_]+", preset) and builtin.is_dir():
        return builtin
    local = (root / preset).resolve()
    problem = config_path_problem(root, preset)
    if problem is not None:
        raise QingdanError(f"清单类型预设“{preset}”{problem}。")
    if local.is_dir():
        return local
    known = "、".join(sorted(p.name for p in BUILTIN_DIR.iterdir() if p.is_dir()))
    raise QingdanError(
        f"找不到清单类型预设“{preset}”：它既不是内置预设（{known}），也不是清单集中的文件夹。"
    )


def available_kinds(directory: Path) -> list[str]:
    return sorted(
        p.name.removesuffix(".schema.json")
        for p in directory.glob("*.schema.json")
        if p.name != "common.schema.json"
    )


def _check_meta(name: str, meta: Any) -> None:
    """A preset comes with the repository: its ``x-qingdan`` is checked (preset-meta.schema.json)
    before anything reads it, so a width written as text is a finding, not a traceback."""
    checker = builtin("preset-meta")
    if checker.is_valid(meta):
        return
    error = next(iter(checker.errors(meta)), None)
    path = list(error.absolute_path) if error is not None else []
    where = "".join(f"/{p}" for p in path)
    title = f"（{checker.title(path)}）" if path else ""
    raise QingdanError(
        f"清单类型“{name}”的 Schema 中 x-qingdan{where}{title}的写法不对，"
        "请对照内置预设 sanzhang 中的写法修改。"
    )


def load_kind(
    directory: Path, name: str, code_pattern: str | None = None, required: Required | None = None
) -> Kind:
    document = bundle(directory / f"{name}.schema.json")
    meta = document.get("x-qingdan") or {}
    _check_meta(name, meta)
    defs = document.get("$defs")
    if not isinstance(defs, dict) or not isinstance(defs.get("item"), dict):
        raise QingdanError(f"清单类型“{name}”的 Schema 中没有 $defs/item（事项的定义）。")
    roles = Roles.of(meta.get("roles"))
    if required is not None:
        defs["item"] = _required(name, defs["item"], required, roles)
    schema = Schema(name, missing.allow(document, (roles.code, roles.name, roles.category)))
    pattern = code_pattern or meta.get("code_pattern") or r"^\S+$"
    problem = pattern_problem(pattern)
    if problem is not None:
        raise QingdanError(
            f"清单类型“{name}”的事项编码规则“{pattern}”不是可用的正则表达式：{problem}。"
        )
    kind = Kind(name, schema, pattern)
    fields = set(kind.item.property_names(()))
    if not fields:
        raise QingdanError(f"清单类型“{name}”的 Schema 中没有 $defs/item（事项的定义）。")
    unknown = [c.field for c in kind.columns if c.field not in fields]
    if unknown:
        raise QingdanError(
            f"清单类型“{name}”的 x-qingdan.columns 中有事项没有的字段：{'、'.join(unknown)}。"
        )
    printed = meta.get("print_columns")
    listed = {c.field for c in kind.columns}
    strays = [f for f in printed if f not in listed] if isinstance(printed, list) else []
    if strays:
        raise QingdanError(
            f"清单类型“{name}”的 x-qingdan.print_columns 中有不在 columns 中的字段：{'、'.join(map(str, strays))}。"
        )
    return kind


class RequiredError(QingdanError):
    """The config's ``required`` for a kind names a field it cannot mean."""


def _required(name: str, item: dict[str, Any], spec: Required, roles: Roles) -> dict[str, Any]:
    """The item schema with the set's required fields; a field the item does not have, or a
    role made optional, is refused (the config names a field it does not mean)."""
    props = item.get("properties")
    known = set(props) if isinstance(props, dict) else set()
    strays = [f for f in (*spec.add, *spec.remove) if f not in known]
    if strays:
        close = difflib.get_close_matches(strays[0], sorted(known), n=1, cutoff=0.6)
        hint = f"是否应为“{close[0]}”？" if close else "字段名见 docs/fields.md。"
        raise RequiredError(
            f"required 中“{name}”的字段 {'、'.join(strays)} 不是这种清单的字段。{hint}"
        )
    kept = [f for f in spec.remove if f in (roles.code, roles.name, roles.category)]
    if kept:
        raise RequiredError(
            f"required 中“{name}”的 {'、'.join(kept)} 是事项的编码、名称或类别，不能改为选填。"
        )
    listed = item.get("required")
    current = [f for f in listed if isinstance(f, str)] if isinstance(listed, list) else []
    wanted = [f for f in dict.fromkeys((*current, *spec.add)) if f not in spec.remove]
    return {**item, "required": wanted}
