"""``qingdan explain``: one code's documentation in the terminal, the list of codes, and the
docs/findings.md page generated from the same catalogue."""

from __future__ import annotations

from typing import TextIO

from qingdan.explanations import Catalogue, Explanation


def text(entry: Explanation, stream: TextIO) -> None:
    stream.write(f"{entry.code}：{entry.title}（{entry.severity.label}）\n\n")
    if entry.meaning:
        stream.write(f"含义：{entry.meaning}\n\n")
    stream.write(f"提示文字：{entry.template}\n\n")
    stream.write(f"处理办法：{entry.fix}\n")
    if entry.example:
        stream.write("\n示例：\n" + _indented(entry.example))


def index(catalogue: Catalogue, stream: TextIO) -> None:
    for section in catalogue.sections:
        stream.write(f"{section.title}\n")
        for code in section.codes:
            entry = catalogue.entries[code]
            stream.write(f"  {code:<28}{entry.severity.label}  {entry.title}\n")
        stream.write("\n")
    stream.write("运行 qingdan explain 代码 查看一个代码的说明和处理办法。\n")


def _indented(block: str) -> str:
    return "".join(f"    {line}\n" for line in block.splitlines())


def markdown(catalogue: Catalogue) -> str:
    """docs/findings.md: a table per section, then the longer explanations and examples."""
    parts = [f"# 校验发现（finding）代码\n\n{catalogue.intro}\n"]
    for section in catalogue.sections:
        parts.append(f"\n## {section.title}\n\n")
        if section.note:
            parts.append(f"{section.note}\n\n")
        parts.append(
            "| 代码 | 严重程度 | 含义 | 提示文字 | 处理办法 |\n| --- | --- | --- | --- | --- |\n"
        )
        entries = [catalogue.entries[code] for code in section.codes]
        for e in entries:
            cells = (f"`{e.code}`", e.severity.label, e.title, _cell(e.template), _cell(e.fix))
            parts.append("| " + " | ".join(cells) + " |\n")
        for e in entries:
            if e.meaning or e.example:
                parts.append(f"\n### `{e.code}`\n\n")
                blocks = [e.meaning] if e.meaning else []
                if e.example:
                    blocks.append(f"```yaml\n{e.example}\n```")
                parts.append("\n\n".join(blocks) + "\n")
    return "".join(parts)


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", "")
