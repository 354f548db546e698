"""Text hygiene (DOMAIN.md §4.6): half-width punctuation in Chinese, full-width digits, stray
spaces, traditional characters.

All strings of a file are joined and scanned by one compiled regex per rule, so the cost is a few
C-level passes however many items there are; only a match costs Python work.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from qingdan.findings import Finding
from qingdan.lookalikes import INVISIBLE, curly_inner
from qingdan.messages import finding
from qingdan.schemas import PathPart

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_WIDE = _CJK + "\u3000-\u303f\uff00-\uffef"
_ASCII_PUNCT = re.compile(
    rf"(?<=[{_CJK}])[,;:!?()]|[,;:!?()](?=[{_CJK}])|(?<=[{_CJK}])\.(?=[{_CJK}]|$)", re.MULTILINE
)
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_ISSUER_END = "央厅部委院局办府会署"
"""Last characters of an organ's name: joint issuers are written with one space between them
(中共中央办公厅 国务院办公厅印发, 中共中央 国务院关于…), as official documents print them."""
_SPACE = re.compile(
    rf"(?<=[{_WIDE}])(?:(?<![{_ISSUER_END}])[ \t]+|(?<=[{_ISSUER_END}])(?: [ \t]+|\t[ \t]*))"
    rf"(?=[{_WIDE}])|\u3000|^[ \t]+|[ \t]+$",
    re.MULTILINE,
)
_INVISIBLE = re.compile(f"[{''.join(INVISIBLE)}]")
_CURLY = re.compile(r"(?:(?<=\x00\n)|\A)(?:“[^“”\n]*”|‘[^‘’\n]*’)(?=\n\x00|\Z)")
"""A whole string wrapped in curly quotes (strings are joined with ``_SEP``)."""
_QUICK_CHARS = "[;!?()\u3000\ufeff\u200b\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_QUICK_NEAR = (
    # each begins with a literal or a small class, so the regex engine skips ahead at C speed
    re.compile(rf"[,:.](?:(?<=[{_CJK}].)|(?=[{_CJK}]))"),
    re.compile(rf' (?:(?<=[{_WIDE}] )(?=[ ]*[{_WIDE}])|(?<=" )|(?<=\\n )|(?=[ ]*"))'),
    re.compile('"[“‘]'),  # a string that begins with a curly quote
)


@cache
def _quick_chars() -> re.Pattern[str]:
    return re.compile(_QUICK_CHARS + re.escape(_traditional_chars()) + "]")


def clean_json(dumped: str) -> bool:
    """True when compact JSON of some data certainly holds no hygiene problem.

    A superset of the precise rules at C speed (one character-class pass, two anchored passes);
    any hit only means the precise per-string scan must run.
    """
    if "\\t" in dumped or _quick_chars().search(dumped):
        return False
    return not any(p.search(dumped) for p in _QUICK_NEAR)


_FIXED = dict(zip(",;:!?().", "，；：！？（）。", strict=True))
_SEP = "\n\x00\n"


@cache
def _traditional_chars() -> str:
    return (Path(__file__).parent.parent / "data" / "traditional.txt").read_text("utf-8").strip()


@cache
def _traditional() -> re.Pattern[str]:
    return re.compile(f"[{re.escape(_traditional_chars())}]+")


@dataclass(frozen=True, slots=True)
class TextHit:
    code: str
    path: tuple[PathPart, ...]
    values: dict[str, str]


def collect(value: Any, out: list[str]) -> list[str]:
    """Every string inside ``value``, depth first."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            collect(v, out)
    elif isinstance(value, list):
        for v in value:
            collect(v, out)
    return out


def walk(value: Any, path: tuple[PathPart, ...] = ()) -> Iterator[tuple[tuple[PathPart, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, (*path, i))


def _excerpt(text: str, start: int, end: int) -> str:
    left, right = max(0, start - 8), min(len(text), end + 8)
    return (
        ("…" if left else "")
        + text[left:right].replace("\n", " ")
        + ("…" if right < len(text) else "")
    )


@cache
def _rules() -> list[tuple[str, re.Pattern[str], Callable[[str, re.Match[str]], dict[str, str]]]]:
    def punct(text: str, m: re.Match[str]) -> dict[str, str]:
        char = m.group()
        return {"char": char, "fixed": _FIXED[char], "excerpt": _excerpt(text, m.start(), m.end())}

    def wide(text: str, m: re.Match[str]) -> dict[str, str]:
        return {"char": m.group(), "excerpt": _excerpt(text, m.start(), m.end())}

    def space(text: str, m: re.Match[str]) -> dict[str, str]:
        at_start = m.start() == 0 or text[m.start() - 1] == "\n"
        at_end = m.end() == len(text) or text[m.end()] == "\n"
        if m.group() == "\u3000":
            where = "开头" if at_start else "末尾" if at_end else "中间"
            detail = (
                f"{where}有一个全角空格“\u3000”（常见于从 Word、WPS 或网页粘贴的内容），请删除。"
            )
        elif at_start:
            detail = "开头有空格，请删除。"
        elif at_end:
            detail = "末尾有空格，请删除。"
        else:
            detail = "中文之间不应有空格，请删除。"
        return {"excerpt": _excerpt(text, m.start(), m.end()), "detail": detail}

    def trad(text: str, m: re.Match[str]) -> dict[str, str]:
        chars = "".join(dict.fromkeys("".join(_traditional().findall(text))))
        return {"chars": chars, "excerpt": _excerpt(text, m.start(), m.end())}

    def invisible(text: str, m: re.Match[str]) -> dict[str, str]:
        return {"name": INVISIBLE[m.group()], "excerpt": _excerpt(text, m.start(), m.end())}

    def curly(text: str, m: re.Match[str]) -> dict[str, str]:
        return {"quotes": text[0] + text[-1], "inner": curly_inner(text) or ""}

    return [
        ("text.ascii-punctuation", _ASCII_PUNCT, punct),
        ("text.fullwidth-alnum", _FULLWIDTH, wide),
        ("text.space", _SPACE, space),
        ("text.traditional", _traditional(), trad),
        ("text.invisible", _INVISIBLE, invisible),
        ("text.curly-quotes", _CURLY, curly),
    ]


def scan(items: list[tuple[int, Any]]) -> list[TextHit]:
    """Hygiene hits in the given ``(index, item)`` pairs; at most one per string and rule."""
    strings: list[str] = []
    firsts: list[int] = []  # index in ``strings`` of each item's first string
    for _, item in items:
        firsts.append(len(strings))
        collect(item, strings)
    if not strings:
        return []
    joined = _SEP.join(strings)
    starts = list(accumulate((len(s) + len(_SEP) for s in strings[:-1]), initial=0))
    hits: list[TextHit] = []
    for code, pattern, describe in _rules():
        done: set[int] = set()
        for m in pattern.finditer(joined):
            n = bisect.bisect_right(starts, m.start()) - 1
            if n in done or m.start() >= starts[n] + len(strings[n]):
                continue
            done.add(n)
            owner = bisect.bisect_right(firsts, n) - 1
            index, item = items[owner]
            path, text = list(walk(item))[n - firsts[owner]]
            local = pattern.search(text)
            if local is None:  # pragma: no cover - the joined match lies inside this string
                continue
            hits.append(TextHit(code, ("items", index, *path), describe(text, local)))
    return hits


def findings(
    hits: list[TextHit],
    locate: Callable[[tuple[PathPart, ...]], Any],
    item_of: Callable[[tuple[PathPart, ...]], str | None],
    title_of: Callable[[tuple[PathPart, ...]], str],
) -> list[Finding]:
    return [
        finding(
            hit.code,
            locate(hit.path),
            item=item_of(hit.path),
            field=title_of(hit.path),
            path="".join(f"/{p}" for p in hit.path),
            **hit.values,
        )
        for hit in hits
    ]
