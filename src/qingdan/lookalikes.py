"""Characters Notepad, WPS and Chinese input methods type where YAML expects its own punctuation.

A full-width colon after a key, full-width spaces in the indentation, a BOM pasted into the middle
of a file: YAML reads none of them as syntax, so libyaml notices the damage only a line or two
later (often on a comment) and its message fits a different mistake. When the parser fails,
``culprit`` looks at the lines up to the error for such characters and keeps the nearest one whose
repair moves the error on (or makes it go away): that is the mistake, and its line the one to show.
Clean files never get here, so the look costs nothing on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

MAX_TRIES = 8
"""Candidates re-parsed per syntax error; the mistake is within a few lines of the error."""

BOM = "\ufeff"
FULLWIDTH_SPACE = "\u3000"
INVISIBLE = {
    BOM: "看不见的字符 U+FEFF（BOM，字节顺序标记）",
    "\u200b": "看不见的字符 U+200B（零宽空格）",
}
"""Invisible characters that copying and pasting brings along, with how a finding names them."""

_KEY = r"(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>[A-Za-z_][A-Za-z0-9_-]*)"
_COLON = re.compile(_KEY + r"[ \u3000]*(?P<char>：)[ \u3000]*")
_SPACE_AFTER_COLON = re.compile(_KEY + r":(?P<char>\u3000)[ \u3000]*")
_INDENT = re.compile(r"(?P<lead>[ \u3000]*\u3000[ \u3000]*)(?=[^ \u3000\n])")
_DASH = re.compile(r"(?P<lead>[ ]*)(?P<char>[－—–﹣])[ \u3000]")
_TRAILING = re.compile(r"\u3000[ \u3000]*(?=\r?\Z)")
_TYPED_FOR_SYNTAX = (
    ("yaml.fullwidth-colon", _COLON, r"\g<lead>\g<key>: "),
    ("yaml.fullwidth-space", _SPACE_AFTER_COLON, r"\g<lead>\g<key>: "),
    ("yaml.fullwidth-dash", _DASH, r"\g<lead>- "),
)
"""(finding code, what was typed, what was meant) at the start of a line."""


@dataclass(frozen=True, slots=True)
class Lookalike:
    """One character typed where YAML syntax was meant: its finding code, place and values."""

    code: str
    line: int
    column: int
    values: dict[str, str] = field(default_factory=dict)


def culprit(text: str) -> Lookalike | None:
    """The look-alike character on or before the parse error in ``text`` that caused it: the
    nearest one whose repair lets the file parse, or moves the error further on."""
    error = _error_at(text)
    if error is None:
        return None
    lines = text.split("\n")
    tries = 0
    for number in range(min(error[0] + 1, len(lines)), 0, -1):
        for found, repairs in _candidates(lines[number - 1], number):
            if any(_moves(lines, number, repaired, error) for repaired in repairs):
                return found
            tries += 1
            if tries >= MAX_TRIES:
                return None
    return None


def _candidates(line: str, number: int) -> Iterator[tuple[Lookalike, tuple[str, ...]]]:
    """Look-alikes on one line, each with the line as it was probably meant."""
    if BOM in line:
        column = line.index(BOM) + 1
        found = Lookalike("yaml.bom", number, column, {"column": str(column)})
        yield found, (line.replace(BOM, ""),)
    for code, pattern, meant in _TYPED_FOR_SYNTAX:
        m = pattern.match(line)
        if m:
            values = {k: v for k, v in m.groupdict().items() if k in ("key", "char")}
            found = Lookalike(code, number, m.start("char") + 1, values)
            yield found, (m.expand(meant) + line[m.end() :],)
    m = _INDENT.match(line)
    if m:
        column = m["lead"].index(FULLWIDTH_SPACE) + 1
        guesses = (FULLWIDTH_SPACE, "  "), (FULLWIDTH_SPACE, " ")  # it looks two spaces wide
        repairs = tuple(m["lead"].replace(*g) + line[m.end() :] for g in guesses)
        yield Lookalike("yaml.fullwidth-indent", number, column), repairs
    m = _TRAILING.search(line)
    if m:
        fixed = line[: m.start()] + line[m.end() :]
        yield Lookalike("yaml.trailing-space", number, m.start() + 1), (fixed,)


def _moves(lines: list[str], number: int, repaired: str, before: tuple[int, int]) -> bool:
    """Whether the file with this one line repaired parses, or fails only further on."""
    after = _error_at("\n".join([*lines[: number - 1], repaired, *lines[number:]]))
    return after is None or after > before


def _error_at(text: str) -> tuple[int, int] | None:
    """Where libyaml's composer stops on ``text`` (0-based line, column), None if it does not."""
    loader = yaml.CSafeLoader(text)
    try:
        loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return (mark.line, mark.column) if mark else (0, 0)
    except yaml.YAMLError:
        return (0, 0)
    finally:
        loader.dispose()
    return None


_CURLY = re.compile(r"“([^“”\n]*)”|‘([^‘’\n]*)’")


def curly_inner(value: str) -> str | None:
    """The text inside Word's curly quotes when they wrap the whole value (YAML keeps them)."""
    m = _CURLY.fullmatch(value)
    return None if m is None else m.group(1) if m.group(1) is not None else m.group(2)


_KEY_NOISE = {**INVISIBLE, FULLWIDTH_SPACE: "全角空格“　”"}
_NO_NOISE = str.maketrans(dict.fromkeys(_KEY_NOISE, None))


def misspelt_key(key: str) -> tuple[str, str, str] | None:
    """A key YAML read without complaint though it holds a look-alike (a full-width colon in a
    flow mapping, a full-width space, a pasted BOM): what is wrong and what to do, the key meant,
    and what to type instead."""
    if "：" in key:
        meant, _, rest = key.partition("：")
        meant = meant.translate(_NO_NOISE)
        value = rest.strip(" " + FULLWIDTH_SPACE)
        return "字段名后面用了全角冒号“：”，请改成", meant, f"{meant}: {value}"
    names = [name for char, name in _KEY_NOISE.items() if char in key]
    if not names:
        return None
    meant = key.translate(_NO_NOISE)
    return f"字段名里有{'和'.join(names)}，请删除它，写成", meant, meant
