"""Rendering ``qingdan find``: numbered results with the matches marked, JSON, or Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from rich.text import Text

from qingdan import __version__
from qingdan.present.visible import visible
from qingdan.reporters.display import Display
from qingdan.search.match import Hit, Span, pieces, snippet

MARK = "bold yellow"


@dataclass(frozen=True, slots=True)
class Found:
    """What ``find`` reports: the query, the hits shown and how many there were in all."""

    query: str
    hits: list[Hit]
    total: int


Renderer = Callable[[Found, TextIO, Display], None]


def _marked(text: str, spans: tuple[Span, ...]) -> Text:
    """``text`` with its control characters shown and its matches marked: each run is made
    visible on its own, so a shown control character cannot move a mark."""
    out = Text()
    for piece, matched in pieces(text, spans):
        out.append(visible(piece), style=MARK if matched else "")
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))


def _parties(hit: Hit) -> list[tuple[str, str]]:
    entry = hit.entry
    return [
        (label, value)
        for label, value in (
            ("牵头部门", entry.lead),
            ("主体部门", entry.main),
            ("镇（街道）职责", entry.township),
        )
        if value
    ]


def text(found: Found, stream: TextIO, display: Display) -> None:
    console = display.console(stream)
    console.print(Text(visible(headline(found)), style="bold"))
    for number, hit in enumerate(found.hits, 1):
        entry = hit.entry
        line = Text(f"{number:>3}  ")
        line.append(visible(entry.code), style="cyan")
        line.append("  ")
        line.append_text(_marked(entry.name, hit.name_spans))
        line.append(visible(f"  {entry.unit} · {entry.kind_title}"))
        line.append(f"  [{hit.how.label}]", style="dim")
        console.print(line)
        told = False
        for label, value in _parties(hit):
            here = value == hit.text  # the match is in this text: marked here, not again below
            told = told or here
            shown, spans = snippet(_one_line(value), hit.text_spans if here else ())
            console.print(Text(f"       {label}：") + _marked(shown, spans))
        if hit.text and not told:
            shown, spans = snippet(_one_line(hit.text), hit.text_spans)
            console.print(Text(visible(f"       {hit.field}：")) + _marked(shown, spans))
    if found.total > len(found.hits):
        console.print(
            f"还有 {found.total - len(found.hits)} 个事项没有列出：用 --limit 多列一些，"
            "或用 --unit、--kind 缩小范围。",
            style="dim",
        )


def headline(found: Found) -> str:
    if not found.total:
        return f"没有找到与“{found.query}”相关的事项。"
    return f"找到 {found.total} 个与“{found.query}”相关的事项（相关程度从高到低）："


def as_dict(found: Found) -> dict[str, Any]:
    return {
        "version": 1,
        "tool": {"name": "qingdan", "version": __version__},
        "query": found.query,
        "total": found.total,
        "results": [_hit_dict(hit) for hit in found.hits],
    }


def _hit_dict(hit: Hit) -> dict[str, Any]:
    entry = hit.entry
    return {
        "code": entry.code,
        "name": entry.name,
        "unit": entry.unit,
        "kind": entry.kind,
        "list": entry.kind_title,
        "file": entry.file,
        "category": entry.category,
        "match": hit.how.name.lower(),
        "name_spans": [list(s) for s in hit.name_spans],
        "field": hit.field or None,
        "text": hit.text or None,
        "text_spans": [list(s) for s in hit.text_spans],
        "lead": entry.lead or None,
        "main": entry.main or None,
        "township_duty": entry.township or None,
    }


def json_report(found: Found, stream: TextIO, display: Display) -> None:
    json.dump(as_dict(found), stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _md(text: str, spans: tuple[Span, ...] = ()) -> str:
    """A table cell: pipes, markup characters and line breaks escaped, matches in bold."""

    def plain(piece: str) -> str:
        escaped = "".join(f"\\{c}" if c in "\\`*_[]<>|#" else c for c in visible(piece))
        return escaped.replace("\n", "<br>")

    return "".join(f"**{plain(p)}**" if hit else plain(p) for p, hit in pieces(text, spans))


def markdown(found: Found, stream: TextIO, display: Display) -> None:
    stream.write(f"{_md(headline(found))}\n\n")
    if not found.hits:
        return
    stream.write("| 序号 | 编码 | 名称 | 镇（街道） | 清单 | 牵头部门 | 主体部门 | 匹配 |\n")
    stream.write("|---:|---|---|---|---|---|---|---|\n")
    for number, hit in enumerate(found.hits, 1):
        entry = hit.entry
        where = ""
        if hit.text:
            shown, spans = snippet(_one_line(hit.text), hit.text_spans)
            where = f"{_md(hit.field)}：{_md(shown, spans)}"
        cells = (
            str(number),
            _md(entry.code),
            _md(entry.name, hit.name_spans),
            _md(entry.unit),
            _md(entry.kind_title),
            _md(entry.lead),
            _md(entry.main),
            where or hit.how.label,
        )
        stream.write(f"| {' | '.join(cells)} |\n")
    if found.total > len(found.hits):
        stream.write(f"\n还有 {found.total - len(found.hits)} 个事项没有列出。\n")


RENDERERS: dict[str, Renderer] = {"text": text, "json": json_report, "markdown": markdown}
