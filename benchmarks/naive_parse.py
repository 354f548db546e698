"""Naive baseline for benchmarks/run.py: parse every file of a list set with PyYAML + libyaml.

Usage:
    python benchmarks/naive_parse.py LIST_SET_DIR

Loads qingdan.yaml, departments.yaml, categories/*.yaml and townships/*/*.yaml one after another
with ``yaml.load(f, Loader=yaml.CSafeLoader)`` (files opened in binary mode, so libyaml decodes
UTF-8 itself, the fastest way PyYAML offers) and does nothing else.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def list_set_files(root: Path) -> list[Path]:
    """Config, registry, category and list files of a list set, in a stable order."""
    files = [root / "qingdan.yaml", root / "departments.yaml"]
    files += sorted((root / "categories").glob("*.yaml"))
    files += sorted((root / "townships").glob("*/*.yaml"))
    return files


def parse_all(root: Path) -> tuple[int, int]:
    """Parse every file; return (files, items)."""
    loader = yaml.CSafeLoader
    files = items = 0
    for path in list_set_files(root):
        with path.open("rb") as stream:
            data = yaml.load(stream, Loader=loader)
        files += 1
        if isinstance(data, dict) and isinstance(data.get("items"), list):
            items += len(data["items"])
    return files, items


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("用法：python benchmarks/naive_parse.py 清单集目录", file=sys.stderr)
        return 2
    if not hasattr(yaml, "CSafeLoader"):
        print("错误：PyYAML 未带 libyaml（没有 yaml.CSafeLoader）。", file=sys.stderr)
        return 2
    files, items = parse_all(Path(argv[1]))
    print(f"已解析 {files} 个文件，事项 {items} 项")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
