"""JSON Schemas as used by qingdan: bundled, compiled twice, and asked for field titles.

A schema is compiled with jsonschema-rs for the fast yes/no on every item, and with
python-jsonschema only for the items that fail, because its errors carry the detail (validator,
path, expected values) that becomes a Chinese message. Relative ``$ref``s to sibling files are
bundled into one document so both validators, and check-jsonschema, see the same schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from qingdan.boundary import inside
from qingdan.errors import QingdanError
from qingdan.missing import WRAPPER
from qingdan.patterns import PatternError, compile_pattern
from qingdan.source import read_regular

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

BUILTIN_DIR = Path(__file__).parent / "schemas"

PathPart = str | int

SEVERAL = "x-several"
"""Marks a field that holds one value or a list of them (``if: {type: array}``, ``then``: the
list, ``else``: one value): titles, choices and references are those of the one value."""


MAX_SCHEMA_DEPTH = 64
"""How deeply a schema may nest; qingdan's own go 8 deep, and Python's JSON reader and the
validators recurse, so a document 10,000 deep would end in ``RecursionError``."""

METASCHEMAS = frozenset(
    f"{scheme}://json-schema.org/{draft}"
    for scheme in ("http", "https")
    for draft in ("draft/2020-12/schema", "draft/2019-09/schema", "draft-07/schema#")
)
"""The ``$schema`` values a preset may name: metaschemas bundled with the validators, so that
nothing is ever fetched from the network."""


def load_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(read_regular(path).decode("utf-8"))
    except OSError as exc:
        raise QingdanError(f"无法读取 JSON Schema 文件 {path}：{exc.strerror or exc}") from exc
    except RecursionError:
        raise QingdanError(f"JSON Schema 文件 {path} 嵌套过深，无法使用。") from None
    except ValueError as exc:
        raise QingdanError(f"JSON Schema 文件 {path} 不是有效的 JSON：{exc}") from exc
    if not isinstance(doc, dict):
        raise QingdanError(f"JSON Schema 文件 {path} 的内容应为一个 JSON 对象。")
    if _depth(doc) > MAX_SCHEMA_DEPTH:
        raise QingdanError(
            f"JSON Schema 文件 {path} 嵌套超过 {MAX_SCHEMA_DEPTH} 层，无法使用。请简化这个 Schema。"
        )
    return doc


def _depth(doc: Any) -> int:
    """How deeply ``doc`` nests, found without recursion."""
    deepest, level = 0, [doc]
    while level:
        deepest += 1
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, dict | list)
        ]
        if deepest > MAX_SCHEMA_DEPTH:
            break
    return deepest


def bundle(path: Path) -> dict[str, Any]:
    """Load a schema and embed the sibling files its ``$ref``s point to under ``$defs``.

    Only files in the schema's own folder are read, and only bundled metaschemas named: a
    schema from a pull request must not make qingdan open ``/etc/passwd`` or ask the network."""
    root = load_json(path)
    folder = path.parent
    metaschema = root.get("$schema")
    if metaschema is not None and metaschema not in METASCHEMAS:
        raise QingdanError(
            f"{path}：$schema 只能是 https://json-schema.org/draft/2020-12/schema"
            "（或 2019-09、draft-07），qingdan 不从网络读取 Schema。"
        )
    embedded: dict[str, dict[str, Any]] = {}

    def rewrite(node: Any, home: str | None) -> Any:
        if isinstance(node, dict):
            out = {k: rewrite(v, home) for k, v in node.items() if k not in _REMOTE}
            ref = node.get("$ref")
            if isinstance(ref, str):
                out["$ref"] = rewrite_ref(ref, home)
            return out
        if isinstance(node, list):
            return [rewrite(v, home) for v in node]
        return node

    def rewrite_ref(ref: str, home: str | None) -> str:
        file_part, _, pointer = ref.partition("#")
        if not file_part:
            return f"#/$defs/{home}{pointer}" if home else ref
        other_path = folder / file_part
        if "://" in file_part or file_part.startswith("/") or not inside(other_path, folder):
            raise QingdanError(f"{path}：只支持引用同一文件夹中的 Schema 文件，不支持“{ref}”。")
        key = "__" + file_part.removesuffix(".json").replace(".", "_").replace("/", "_")
        if key not in embedded:
            embedded[key] = {}  # reserve first: files may refer to each other
            other = load_json(other_path)
            other.pop("$schema", None)
            embedded[key] = rewrite(other, key)
        return f"#/$defs/{key}{pointer}"

    bundled: dict[str, Any] = rewrite(root, None)
    if metaschema is not None:
        bundled["$schema"] = metaschema
    if embedded:
        bundled.setdefault("$defs", {}).update(embedded)
    return bundled


_REMOTE = frozenset({"$id", "$schema", "$dynamicRef", "$recursiveRef", "$ref"})
"""Keys that could move a reference's base or point anywhere: ``$id``s and dynamic references
are dropped (every ``$ref`` becomes a pointer into the one bundled document), ``$ref`` is
rewritten and ``$schema`` checked against the bundled metaschemas."""


def _pointer(schema: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = schema
    for part in ref.lstrip("#").strip("/").split("/"):
        if not part:
            continue
        node = node[part.replace("~1", "/").replace("~0", "~")]
    if not isinstance(node, dict):
        raise QingdanError(f"Schema 中的引用“{ref}”没有指向一个对象。")
    return node


@dataclass(frozen=True, slots=True)
class RefField:
    """A place in an instance that names a department or category (an ``x-ref`` annotation)."""

    path: tuple[PathPart, ...]  # "*" stands for every array element
    target: str  # "department" | "category"
    title: str
    types: tuple[str, ...] = ()


@dataclass(eq=False)
class Schema:
    """One bundled schema document and everything qingdan asks of it."""

    name: str
    document: dict[str, Any]
    root: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.root:
            self.root = self.document

    @classmethod
    def from_file(cls, path: Path) -> Schema:
        return cls(path.stem.removesuffix(".schema"), bundle(path))

    def sub(self, pointer: str) -> Schema:
        """The same document, validating from ``pointer`` (e.g. one list item)."""
        return Schema(self.name, self.document, {"$ref": pointer})

    @cached_property
    def _compiled(self) -> dict[str, Any]:
        if self.root is self.document:
            return self.document
        # a sub-schema keeps the document's $defs, which is where ``pointer`` must lead
        head: dict[str, Any] = {
            k: self.document[k] for k in ("$schema", "$defs") if k in self.document
        }
        return {**head, **self.root}

    @cached_property
    def fast(self) -> Any:
        try:
            return jsonschema_rs.validator_for(self._compiled, validate_formats=True)
        except Exception as exc:  # jsonschema-rs raises its own types for a broken schema
            raise QingdanError(f"JSON Schema“{self.name}”本身有误：{exc}") from exc

    @cached_property
    def detailed(self) -> Any:
        from jsonschema import Draft202012Validator, validators  # noqa: PLC0415  (error path only)

        # ``pattern`` by RE2, as everywhere a repository's pattern runs (patterns.py): Python's
        # ``re`` would backtrack for hours on a preset's ``^(a+)+$``; RE2's ``$`` is the end of
        # the text, as in jsonschema-rs, so both validators judge alike
        checker = validators.extend(Draft202012Validator, {"pattern": _linear_pattern})
        return checker(self._compiled, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def is_valid(self, instance: Any) -> bool:
        try:
            return bool(self.fast.is_valid(instance))
        except (TypeError, ValueError):  # a value JSON cannot hold: let the detailed path explain
            return False

    def errors(self, instance: Any) -> Iterator[ValidationError]:
        return self.detailed.iter_errors(instance)  # type: ignore[no-any-return]

    def fast_messages(self, instance: Any) -> list[str]:
        try:
            return [str(e.message) for e in self.fast.iter_errors(instance)]
        except (TypeError, ValueError) as exc:
            return [str(exc)]

    # --- walking the schema along an instance path -------------------------------------------

    def chain(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        """``node`` followed by what its ``$ref``s point to (siblings of ``$ref`` win), and by
        the one value where a field also takes a marked-missing value (missing.py) or a list
        (``x-several``)."""
        out = [node]
        seen = 0
        while seen < 32:
            last = out[-1]
            if (last.get(WRAPPER) or last.get(SEVERAL)) is True and isinstance(
                last.get("else"), dict
            ):  # a field that also takes a marker (missing.py), or a list of its values
                out.append(last["else"])
            elif "$ref" in last:
                out.append(_pointer(self.document, last["$ref"]))
            else:
                break
            seen += 1
        return out

    def at(self, path: Sequence[PathPart]) -> list[dict[str, Any]] | None:
        """The schema chain describing the value at ``path``, or None if the schema has none."""
        chain = self.chain(self.root)
        for part in path:
            nxt = None
            for node in chain:
                if isinstance(part, int) or part == "*":
                    items = node.get("items")
                    if isinstance(items, dict):
                        nxt = items
                        break
                else:
                    props = node.get("properties")
                    if isinstance(props, dict) and part in props:
                        nxt = props[part]
                        break
                    extra = node.get("additionalProperties")
                    if isinstance(extra, dict):
                        nxt = extra
                        break
            if nxt is None:
                return None
            chain = self.chain(nxt)
        return chain

    @staticmethod
    def keyword(chain: Sequence[dict[str, Any]] | None, name: str) -> Any:
        for node in chain or ():
            if name in node:
                return node[name]
        return None

    def title(self, path: Sequence[PathPart]) -> str:
        """The Chinese title of the field at ``path``; falls back to the key itself."""
        title = self.keyword(self.at(path), "title")
        if isinstance(title, str):
            return title
        keys = [p for p in path if isinstance(p, str) and p != "*"]
        return keys[-1] if keys else "内容"

    def property_names(self, path: Sequence[PathPart]) -> list[str]:
        names: list[str] = []
        for node in self.at(path) or ():
            props = node.get("properties")
            if isinstance(props, dict):
                names.extend(k for k in props if k not in names)
        return names

    def annotated(self, keyword: str) -> list[tuple[tuple[PathPart, ...], Any]]:
        """Every place under the root whose schema carries ``keyword``, with its value."""
        found: list[tuple[tuple[PathPart, ...], Any]] = []

        def walk(path: tuple[PathPart, ...], chain: list[dict[str, Any]], depth: int) -> None:
            value = self.keyword(chain, keyword)
            if value is not None:
                found.append((path, value))
                return
            if depth > 12:
                return
            for node in chain:
                props = node.get("properties")
                if isinstance(props, dict):
                    for key, sub in props.items():
                        walk((*path, key), self.chain(sub), depth + 1)
                items = node.get("items")
                if isinstance(items, dict):
                    walk((*path, "*"), self.chain(items), depth + 1)

        walk((), self.chain(self.root), 0)
        return found

    def field_title(self, path: Sequence[PathPart]) -> str:
        """Title for a field path, naming the enclosing list for fields inside list entries."""
        path = tuple("*" if isinstance(p, int) else p for p in path)
        while path and path[-1] == "*":
            path = path[:-1]
        if "*" in path:
            outer = path[: path.index("*")]
            return f"{self.title(outer)}·{self.title(path)}"
        return self.title(path)

    @cached_property
    def document_numbers(self) -> tuple[tuple[PathPart, ...], ...]:
        """Every place holding a 文号 (``x-format: document-number``), checked for 〔〕."""
        return tuple(p for p, v in self.annotated("x-format") if v == "document-number")

    @cached_property
    def ref_fields(self) -> tuple[RefField, ...]:
        """Every ``x-ref`` annotated place (a department or category reference)."""
        out = []
        for path, target in self.annotated("x-ref"):
            types = self.keyword(self.at(path), "x-ref-type") or ()
            out.append(RefField(path, str(target), self.field_title(path), tuple(types)))
        return tuple(out)


def _linear_pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """jsonschema's ``pattern`` keyword, run by RE2; a pattern RE2 refuses is left to the fast
    validator's verdict (it was compiled there, or the schema was refused)."""
    from jsonschema.exceptions import ValidationError  # noqa: PLC0415

    if not (validator.is_type(instance, "string") and isinstance(pattern, str)):
        return
    try:
        matched = compile_pattern(pattern).search(instance)
    except PatternError:
        return
    if not matched:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def builtin(name: str) -> Schema:
    """One of qingdan's own schemas (config, registry, categories, records, derived lists),
    loaded and compiled once per process: record files and derived lists each ask for theirs."""
    return Schema.from_file(BUILTIN_DIR / f"{name}.schema.json")
