"""Cell values back into field values: the inverse of ``present.values.render`` where it can be.

``render`` writes a list of plain values joined by "、", an entry of a nested list as
"标题：值；标题：值", and several entries as numbered lines "（1）…". Those forms are read back
exactly. Office workbooks also write nested values freely, and some of that is read too:
"《法规》第九条；《条例》" is two bases (the part in 《》 is the main text, a 〔〕 number the
document number, the rest the remaining property), "区应急局：负责…" is a party (the department
before the colon, the duty after it), and a list of departments may be separated by 、，, or
line breaks. What cannot be read that way is said as a ``Problem``, never guessed:
a line of text items joined by "、" is split only when every part is a short phrase
(发现、报告、处置、反馈), since "开展检查、宣传" may well be one task.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qingdan.importing.texts import reader
from qingdan.present.values import YES_NO
from qingdan.schemas import SEVERAL, PathPart, Schema

SHORT_PHRASE = 12
"""Parts of a "、"-joined line of text items at most this long are separate items."""

_NUMBERED = re.compile(r"^\s*(?:[（(]\s*\d{1,3}\s*[）)]|\d{1,3}\s*[.．、]|[①-⑳])\s*")
_LINES = re.compile(r"\s*[\r\n]+\s*")
_TEXT_ITEMS = re.compile(r"\s*(?:[；;]|→|->|—>)\s*")
_REF_ITEMS = re.compile(r"\s*[、，,；;\r\n]+\s*")
_BEFORE_BOOK = re.compile(r"\s*[；;、，,]\s*(?=《)")
_BOOK = re.compile(r"《[^《》]+》")
_DOC_NUMBER = re.compile(
    r"[（(]?\s*([^\s（()）《》〔\[【]*[〔\[【]\d{4}[〕\]】][^\s（()）]*?号)\s*[）)]?"
    r"|[（(]\s*([^（()）《》]{2,40}?第\s*\d+\s*号)\s*[）)]"
)
"""A document number: 川府发〔2024〕3号 (with any brackets; validate checks them), or a
bracketed 国务院令第591号."""
_COLON = re.compile(r"\s*[:：]\s*")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a cell cannot be read as its field, said to the user."""

    reason: str


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without ".0", dates as 2026-03-02, 是/否 for booleans."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True, slots=True)
class Shape:
    """What reading a cell needs to know of the schema at one place, worked out once per place
    (walking ``$ref`` chains for every cell of a 10,000-row sheet cost seconds)."""

    type: Any
    choices: tuple[Any, ...] | None
    is_ref: bool
    pattern: str | None
    props: tuple[str, ...]
    titles: dict[str, str]
    """An entry property by its Chinese title."""
    required: tuple[str, ...]
    refs: tuple[str, ...]
    """Entry properties that name a department or category."""
    numbered: tuple[str, ...]
    """Entry properties holding a 文号."""
    titled: tuple[str, ...]
    """Entry properties with a title of their own."""
    several: bool = False
    """Whether the field takes one of its values or a list of them (``x-several``)."""
    free: bool = False
    """Whether the object takes properties of any name (``extra``: 栏目名称 → 内容)."""


@functools.cache
def shape(schema: Schema, path: tuple[PathPart, ...]) -> Shape:
    chain = schema.at(path) or []
    props = tuple(schema.property_names(path))

    def of(prop: str, keyword: str) -> Any:
        return Schema.keyword(schema.at((*path, prop)), keyword)

    choices = Schema.keyword(chain, "enum")
    pattern = Schema.keyword(chain, "pattern")
    return Shape(
        type=Schema.keyword(chain, "type"),
        choices=tuple(choices) if isinstance(choices, list) else None,
        is_ref=bool(Schema.keyword(chain, "x-ref")),
        pattern=pattern if isinstance(pattern, str) else None,
        props=props,
        titles={schema.title((*path, p)): p for p in props},
        required=tuple(p for p in Schema.keyword(chain, "required") or () if p in props),
        refs=tuple(p for p in props if of(p, "x-ref")),
        numbered=tuple(p for p in props if of(p, "x-format") == "document-number"),
        titled=tuple(p for p in props if of(p, "title")),
        several=Schema.keyword(chain, SEVERAL) is True,
        free=isinstance(Schema.keyword(chain, "additionalProperties"), dict),
    )


def parse(value: Any, schema: Schema, path: Sequence[PathPart], template: str | None = None) -> Any:
    """The value of the field at ``path`` that ``value`` (a cell) stands for, or a Problem;
    ``template`` is the kind's text for the field (``x-qingdan.texts``), which its entries
    are read back through (``importing.texts``)."""
    where = tuple(path)
    found = shape(schema, where)
    if _either(found.type):
        return _entry_or_text(cell_text(value), schema, where, template)
    if found.several or _one_or_list(found.type):
        return _one_or_several(value, schema, where)
    if isinstance(found.type, list):
        return _scalar(value, found.type)
    if found.type == "array":
        return _array(cell_text(value), schema, (*where, "*"), template)
    if found.type == "object":
        return _entry(cell_text(value), schema, where)
    if found.type == "integer":
        return _integer(value)
    if found.type == "boolean":
        return _boolean(cell_text(value))
    text = cell_text(value)
    if found.choices is not None:
        return _choice(text, found.choices)
    return text


def _one_or_list(type_: Any) -> bool:
    """A value written as one or as a list of several (parties: ``[string, array]``)."""
    return isinstance(type_, list) and {"string", "array"} <= set(type_)


def _one_or_several(value: Any, schema: Schema, path: tuple[PathPart, ...]) -> Any:
    """One value, or a list where the cell has one a line, as a table prints several parties
    (a list of departments may also be separated by 、，, or ；)."""
    text = cell_text(value)
    found = shape(schema, path)
    parts = [p for p in (_REF_ITEMS if found.is_ref else _LINES).split(text) if p]
    item = (*path, "*") if not found.several else path
    one = shape(schema, item)
    values = [_choice(p, one.choices) if one.choices is not None else p for p in parts]
    problem = next((v for v in values if isinstance(v, Problem)), None)
    if problem is not None:
        return problem
    return values if len(values) > 1 else (values[0] if values else text)


def _scalar(value: Any, types: list[Any]) -> Any:
    """A cell of a field that takes a text, a number or a yes/no (an ``extra`` column): a
    number cell or a text in the canonical form of a number is the number, 是/否 a yes/no."""
    if isinstance(value, bool) and "boolean" in types:
        return value
    text = cell_text(value)
    if "boolean" in types and text in YES_NO:
        return text == YES_NO[0]
    if {"number", "integer"} & set(types):
        number = _number(value)
        if number is not None:
            return number
    return text


def _number(value: Any) -> int | float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else value
    text = cell_text(value)
    if re.fullmatch(r"-?(?:0|[1-9]\d*)", text):
        return int(text)
    if re.fullmatch(r"-?(?:0|[1-9]\d*)\.\d*[1-9]", text):
        return float(text)
    return None


def _integer(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    text = cell_text(value)
    digits = re.fullmatch(r"\s*(\d+)\s*[^\d\s]{0,2}\s*", text)
    return int(digits.group(1)) if digits else Problem("应填写整数")


def _boolean(text: str) -> Any:
    if text in ("是", "必需", "必须", "需要", "TRUE", "True", "true", "Y", "√"):
        return True
    if text in ("否", "非必需", "不需要", "FALSE", "False", "false", "N", "×"):
        return False
    return Problem("应填写“是”或“否”")


def _choice(text: str, choices: tuple[Any, ...]) -> Any:
    if text in choices:
        return text
    folded = {_fold(str(c)): c for c in choices}
    found = folded.get(_fold(text))
    if found is not None:
        return found
    return Problem(f"应为{'、'.join(f'“{c}”' for c in choices)}之一")


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def _array(text: str, schema: Schema, path: tuple[PathPart, ...], template: str | None) -> Any:
    if not text:
        return []
    found = shape(schema, path)
    if _either(found.type):
        return [_entry_or_text(part, schema, path, template) for part in _entries(text)]
    if found.type == "object":
        entries = [_entry(part, schema, path) for part in _entries(text)]
        problem = next((e for e in entries if isinstance(e, Problem)), None)
        return problem or entries
    parts = _REF_ITEMS.split(text) if found.is_ref else _text_items(text)
    values = [parse(p, schema, path) for p in parts if p]
    problem = next((v for v in values if isinstance(v, Problem)), None)
    return problem or values


def _text_items(text: str) -> list[str]:
    lines = [_NUMBERED.sub("", line) for line in _LINES.split(text)]
    parts = [p for line in lines for p in _TEXT_ITEMS.split(line) if p]
    if len(parts) == 1 and "、" in parts[0]:
        phrases = parts[0].split("、")
        if all(0 < len(p) <= SHORT_PHRASE for p in phrases):
            return phrases
    return parts


def _entries(text: str) -> list[str]:
    """Entries of a nested list: numbered lines as render writes them, else one per line, and
    several 《…》 titles on one line are several entries."""
    lines = [_NUMBERED.sub("", line) for line in _LINES.split(text.strip())]
    return [part for line in lines if line for part in _BEFORE_BOOK.split(line) if part]


def _either(type_: Any) -> bool:
    """A value written as a text or in full (a material, a time limit): ``[string, object]``."""
    return isinstance(type_, list) and {"string", "object"} <= set(type_)


def _entry_or_text(
    text: str, schema: Schema, path: tuple[PathPart, ...], template: str | None
) -> Any:
    """The value in full where the cell reads "标题：值；标题：值" as render writes it, or as the
    kind's ``template`` writes an entry with more than its required part; else the text."""
    found = shape(schema, path)
    pairs = [_COLON.split(piece, maxsplit=1) for piece in re.split(r"[；;]", text) if piece]
    if pairs and all(len(pair) == 2 and pair[0] in found.titles for pair in pairs):
        return _entry(text, schema, path)
    through = reader(template, schema, path) if template else None
    entry = through.read(text) if through is not None else None
    if entry is not None and set(entry) - set(found.required):
        return entry
    return text


def _entry(text: str, schema: Schema, path: tuple[PathPart, ...]) -> Any:
    """One object: "标题：值；标题：值" as render writes it (an object of free names, as
    "栏目名称：内容；…"), else the free forms above."""
    found = shape(schema, path)
    pairs = [_COLON.split(piece, maxsplit=1) for piece in re.split(r"[；;]", text) if piece]
    free = found.free and not found.props
    if pairs and all(len(pair) == 2 and (free or pair[0] in found.titles) for pair in pairs):
        entry: dict[str, Any] = {}
        for key, raw in pairs:
            prop = key if free else found.titles[key]
            value = parse(raw, schema, (*path, prop))
            if isinstance(value, Problem):
                return value
            entry[prop] = value
        return entry
    return _free_entry(text, found)


def _free_entry(text: str, found: Shape) -> dict[str, Any] | Problem:
    required, refs = found.required, found.refs
    if not required:
        return Problem("无法识别其中各项内容，请按“标题：内容；标题：内容”填写")
    if refs and len(required) == 2 and refs[0] in required:
        # 区应急局：负责… — a party: who, then what
        other = next(p for p in required if p != refs[0])
        who, _, what = text.partition("：") if "：" in text else text.partition(":")
        if what and len(who) <= 30:
            return {refs[0]: who.strip(), other: what.strip()}
        return {other: text}
    return _document_entry(text, found, required[0])


def _document_entry(text: str, found: Shape, main: str) -> dict[str, Any]:
    """《法规》（文号）第九条: the title in 《》, a 〔〕 number, the rest for the one other text
    property (条款); without 《》 the whole text is the main property."""
    entry: dict[str, Any] = {}
    rest = text
    numbered = found.numbered
    book = _BOOK.search(rest)
    if book is None:
        return {main: text.strip()}
    entry[main] = book.group(0)
    rest = rest[: book.start()] + rest[book.end() :]
    if numbered:
        number = _DOC_NUMBER.search(rest)
        if number:
            entry[numbered[0]] = number.group(1) or number.group(2)
            rest = rest[: number.start()] + rest[number.end() :]
    rest = rest.strip(" ，,；;、")
    others = [p for p in found.titled if p != main and p not in numbered]
    if rest:
        if len(others) >= 1:
            entry[others[0]] = rest
        else:
            entry[main] = text.strip()
    return entry
