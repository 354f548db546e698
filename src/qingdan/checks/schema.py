"""python-jsonschema errors → located Chinese findings, one per root cause."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from yaml.nodes import ScalarNode

from qingdan.findings import Finding
from qingdan.lookalikes import curly_inner, misspelt_key
from qingdan.messages import CURLY_QUOTES_HINT, finding
from qingdan.schemas import PathPart, Schema
from qingdan.yamldoc import YamlDocument

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_TYPE_NAMES = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "是/否（true 或 false）",
    "array": "列表（每项以“- ”开头）",
    "object": "一组“字段: 值”",
    "null": "空值",
}


def pointer(path: Iterable[PathPart]) -> str:
    return "".join(f"/{p}" for p in path)


def type_name(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "是/否（true 或 false）"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "数字"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "列表"
    return "一组“字段: 值”"


class SchemaFindings:
    """Translates the errors of one instance (a whole file, or one item of it)."""

    def __init__(
        self, doc: YamlDocument, schema: Schema, base: Sequence[PathPart], item: str | None
    ) -> None:
        self.doc = doc
        self.schema = schema
        self.base = tuple(base)
        self.item = item

    def translate(self, errors: Iterable[ValidationError]) -> list[Finding]:
        by_place: dict[tuple[tuple[PathPart, ...], str], Finding] = {}
        typed: set[tuple[PathPart, ...]] = set()
        for error in sorted(errors, key=lambda e: (len(e.absolute_path), e.validator != "type")):
            rel = tuple(error.absolute_path)
            if any(rel[: len(t)] == t for t in typed):
                continue  # the wrong type is the root cause; nothing inside it matters
            for f in self._findings(error, rel):
                by_place.setdefault((rel, f.code + f.message), f)
            if error.validator in ("type", "const", "enum"):
                typed.add(rel)
        return list(by_place.values())

    def _findings(self, error: ValidationError, rel: tuple[PathPart, ...]) -> list[Finding]:
        validator = str(error.validator)
        full = self.base + rel
        title = self.schema.field_title(rel)
        common: dict[str, Any] = {"item": self.item, "field": title, "path": pointer(full)}
        loc = self.doc.location(full)
        if validator == "required":
            present = error.instance or {}
            misspelt = {wrong[1] for k in present if (wrong := misspelt_key(str(k)))}
            missing = [
                k for k in error.validator_value if k not in present and k not in misspelt
            ]  # a key with a look-alike in it is reported as that key, not as missing
            return [
                finding(
                    "schema.required",
                    loc,
                    title=self.schema.title((*rel, key)),
                    key=key,
                    item=self.item,
                    field=self.schema.title((*rel, key)),
                    path=pointer((*full, key)),
                )
                for key in missing
            ]
        if validator in ("additionalProperties", "unevaluatedProperties"):
            return self._unknown_fields(error, rel, full)
        value = error.instance
        if validator == "type":
            return [self._type(error, rel, full, title, common)]
        if validator in ("minLength", "pattern") and isinstance(value, str) and not value.strip():
            return [finding("schema.empty", loc, title=title, **common)]
        if validator == "minItems" and value == []:
            return [finding("schema.empty", loc, title=title, **common)]
        if validator in ("enum", "const"):
            implicit = self._implicit(value, full, title, common)
            if implicit:
                return [implicit]
        return [self._simple(validator, error, loc, title, common)]

    def _simple(
        self,
        validator: str,
        error: ValidationError,
        loc: Any,
        title: str,
        common: dict[str, Any],
    ) -> Finding:
        value = error.instance
        if isinstance(value, str):
            value = value.replace("\n", "\\n")
        limit = error.validator_value
        hint = self.schema.keyword(self.schema.at(tuple(error.absolute_path)), "description")
        hint = hint if isinstance(hint, str) else ""
        inner = curly_inner(error.instance) if isinstance(error.instance, str) else None
        if inner is not None:
            hint = CURLY_QUOTES_HINT.format(quotes=value[0] + value[-1], inner=inner)
        if validator == "enum":
            choices = [str(c) for c in limit]
            close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
            extra = hint if inner is not None else f"是否应为“{close[0]}”？" if close else ""
            return finding(
                "schema.enum",
                loc,
                title=title,
                value=value,
                choices="、".join(choices),
                hint=extra,
                **common,
            )
        if validator == "const":
            return finding("schema.const", loc, title=title, expected=limit, value=value, **common)
        if validator == "pattern":
            return finding("schema.pattern", loc, title=title, value=value, hint=hint, **common)
        if validator == "format":
            return finding("schema.format", loc, title=title, value=value, **common)
        if validator in ("minLength", "maxLength"):
            word = "至少" if validator == "minLength" else "最多"
            detail = f"应{word} {limit} 个字，现在是 {len(value)} 个字"
            return finding("schema.length", loc, title=title, detail=detail, **common)
        if validator in ("minItems", "maxItems"):
            word = "至少" if validator == "minItems" else "最多"
            detail = f"应{word}填写 {limit} 项，现在是 {len(value)} 项"
            return finding("schema.items", loc, title=title, detail=detail, **common)
        if validator == "uniqueItems":
            detail = "中有重复的项，每项只能出现一次"
            return finding("schema.items", loc, title=title, detail=detail, **common)
        if validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            word = "不能小于" if "inimum" in validator else "不能大于"
            return finding("schema.range", loc, title=title, detail=f"{word} {limit}", **common)
        return finding("schema.invalid", loc, title=title, detail=error.message, **common)

    def _type(
        self,
        error: ValidationError,
        rel: tuple[PathPart, ...],
        full: tuple[PathPart, ...],
        title: str,
        common: dict[str, Any],
    ) -> Finding:
        value = error.instance
        loc = self.doc.location(full)
        if value is None:
            return finding("schema.empty", loc, title=title, **common)
        implicit = self._implicit(value, full, title, common)
        if implicit:
            return implicit
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        return finding(
            "schema.type",
            loc,
            title=title,
            expected="或".join(_TYPE_NAMES.get(n, n) for n in names),
            actual=type_name(value),
            **common,
        )

    def _implicit(
        self, value: Any, full: tuple[PathPart, ...], title: str, common: dict[str, Any]
    ) -> Finding | None:
        """An unquoted scalar that YAML typed, where text was wanted."""
        if not isinstance(value, int | float) or not self._wants_text(full):
            return None
        node = self.doc.node_at(full)
        if not isinstance(node, ScalarNode) or node.style not in (None, ""):
            return None
        if isinstance(value, bool):
            yaml_type, shown = "是/否", "true" if value else "false"
        else:
            yaml_type, shown = "数字", repr(value)
        return finding(
            "yaml.implicit-type",
            self.doc.location(full),
            text=node.value,
            yaml_type=yaml_type,
            shown=shown,
            **common,
        )

    def _wants_text(self, full: tuple[PathPart, ...]) -> bool:
        chain = self.schema.at(full[len(self.base) :])
        kind = self.schema.keyword(chain, "type")
        if kind == "string" or (isinstance(kind, list) and "string" in kind):
            return True
        choices = self.schema.keyword(chain, "enum")
        const = self.schema.keyword(chain, "const")
        return (isinstance(choices, list) and all(isinstance(c, str) for c in choices)) or (
            isinstance(const, str)
        )

    def _unknown_fields(
        self, error: ValidationError, rel: tuple[PathPart, ...], full: tuple[PathPart, ...]
    ) -> list[Finding]:
        known = self.schema.property_names(rel)
        instance = error.instance if isinstance(error.instance, dict) else {}
        out = []
        for key in instance:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            wrong = misspelt_key(str(key))
            if wrong:
                advice, meant, fixed = wrong
                title = f"（{self.schema.title((*rel, meant))}）" if meant in known else ""
                hint = f"{advice}“{fixed}”{title}。"
            elif close:
                hint = f"是否应为“{close[0]}”（{self.schema.title((*rel, close[0]))}）？"
            else:
                hint = (
                    "可用的字段："
                    + "、".join(f"{k}（{self.schema.title((*rel, k))}）" for k in known)
                    + "。"
                )
            out.append(
                finding(
                    "schema.unknown-field",
                    self.doc.location((*full, key), key=True),
                    key=key,
                    hint=hint,
                    item=self.item,
                    field=str(key),
                    path=pointer((*full, key)),
                )
            )
        return out


SchemaAt = Callable[[tuple[PathPart, ...]], tuple[Schema, tuple[PathPart, ...]]]
"""Which schema describes a document path, and the path within it (overlays hold item values)."""


def implicit_findings(
    doc: YamlDocument,
    schema: Schema,
    title: Callable[[tuple[PathPart, ...]], str] | None = None,
    schema_at: SchemaAt | None = None,
) -> list[Finding]:
    """Plain scalars some YAML reader types, placed where the schema wants text.

    Dates are fine where the schema wants a date; numbers that only YAML 1.2 types (``0838``)
    are reported too, because a reader of that kind would drop the leading zero.
    """
    out = []
    paths = doc.paths_of(node for node, _, _ in doc.implicit)
    for node, yaml_type, shown in doc.implicit:
        path = paths.get(id(node))
        if path is None:
            continue
        where, inner = schema_at(path) if schema_at else (schema, path)
        chain = where.at(inner)
        if chain is None:
            continue
        if yaml_type == "日期" and where.keyword(chain, "format") == "date":
            continue
        if yaml_type == "数字" and where.keyword(chain, "type") != "string":
            continue
        out.append(
            finding(
                "yaml.implicit-type",
                doc.mark_location(node),
                text=node.value,
                yaml_type=yaml_type,
                shown=shown,
                item=item_code(doc.data, path),
                field=title(path) if title else where.field_title(inner),
                path=pointer(path),
            )
        )
    return out


def item_code(data: Any, path: Sequence[PathPart]) -> str | None:
    """The code of the item a path is in: a list's item, or an overlay's modify/add entry."""
    try:
        if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
            code = data["items"][path[1]].get("code")
        elif len(path) >= 3 and path[:2] == ("derive", "modify") and isinstance(path[2], int):
            code = data["derive"]["modify"][path[2]].get("code")
        elif len(path) >= 3 and path[:2] == ("derive", "add") and isinstance(path[2], int):
            code = data["derive"]["add"][path[2]]["item"].get("code")
        else:
            return None
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return code if isinstance(code, str) else None
