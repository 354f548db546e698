"""Benchmark the resolve writer (qingdan.yamlwrite) against PyYAML's emitter and libyaml's reader.

Usage:
    python benchmarks/yamlwrite_bench.py [--items 100000] [--townships 100] [--repeat 3]
                                         [--seed 1] [--pyyaml-items 10000]

Takes the synthetic list set of benchmarks/generate.py (reused from the system temp dir when it
matches, as benchmarks/run.py does), reads every list file once and wraps its items as
``qingdan resolve`` writes a derived list (kind, unit, a provenance section, the items). Then it
times, as CPU time of this process (best of --repeat; other load on the machine matters less):

  a. qingdan.yamlwrite.dump of every list;
  b. yaml.dump with the SafeDumper settings resolve used before (block style, indented
     sequences, no aliases); pure Python and slow, so only on the first lists up to
     --pyyaml-items items;
  c. yaml.load(..., Loader=yaml.CSafeLoader) of what (a) wrote: the naive libyaml parse that
     the resolve target of issue 8 is measured against.

It prints µs per item and the ratios. Run it with the project virtualenv's Python:
``.venv/bin/python benchmarks/yamlwrite_bench.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qingdan.yamlwrite import dump
from run import add_data_args, data_dir, ensure_data, machine_info


class _PyYamlDumper(yaml.SafeDumper):
    """What resolve wrote with before yamlwrite, the comparison point."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def pyyaml_dump(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_PyYamlDumper, allow_unicode=True, sort_keys=False, width=1_000_000, indent=2
    )


def resolved_lists(root: Path) -> list[dict[str, Any]]:
    """Every list file's data, shaped like a resolved list with provenance."""
    lists = []
    for path in sorted((root / "townships").glob("*/*.yaml")):
        with path.open("rb") as stream:
            data = yaml.load(stream, Loader=yaml.CSafeLoader)
        items = data["items"]
        provenance = {"base": "基础清单", "items": {item["code"]: "继承" for item in items}}
        lists.append({"kind": data["kind"], "unit": data["unit"], "provenance": provenance} | data)
    return lists


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def head_lists(lists: list[dict[str, Any]], items: int) -> list[dict[str, Any]]:
    """The first lists holding at least ``items`` items (all of them if fewer)."""
    taken, count = [], 0
    for data in lists:
        if count >= items:
            break
        taken.append(data)
        count += len(data["items"])
    return taken


def count(lists: list[dict[str, Any]]) -> int:
    return sum(len(data["items"]) for data in lists)


def run(args: argparse.Namespace) -> list[str]:
    root = data_dir(args)
    ensure_data(root, args.items, args.townships, args.seed)
    lists = resolved_lists(root)
    texts = [dump(data) for data in lists]
    if any(yaml.load(t, Loader=yaml.CSafeLoader) != d for t, d in zip(texts, lists, strict=True)):
        raise SystemExit("错误：yamlwrite 写出的内容读回后与原数据不同。")
    sample = head_lists(lists, args.pyyaml_items)
    n_all, n_sample = count(lists), count(sample)
    ours = best_of(args.repeat, lambda: [dump(data) for data in lists]) / n_all
    theirs = best_of(args.repeat, lambda: [pyyaml_dump(data) for data in sample]) / n_sample
    read = best_of(args.repeat, lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts])
    read /= n_all
    size = sum(len(t.encode("utf-8")) for t in texts)
    return [
        f"# resolve 写出 YAML 的 CPU 时间（每项微秒，取 {args.repeat} 次中最快）",
        "",
        *machine_info(),
        f"- 数据：{len(lists)} 个清单文件，事项 {n_all} 项，写出 {size / 1e6:.1f} MB；"
        f"PyYAML 只测前 {len(sample)} 个文件（{n_sample} 项）",
        "",
        "| 测量 | 每项 µs |",
        "| --- | ---: |",
        f"| a. qingdan.yamlwrite.dump | {ours * 1e6:.1f} |",
        f"| b. yaml.dump（SafeDumper，原写法） | {theirs * 1e6:.1f} |",
        f"| c. yaml.load（CSafeLoader）读回 a 的输出 | {read * 1e6:.1f} |",
        "",
        f"- b / a：{theirs / ours:.1f} 倍（yamlwrite 比 PyYAML 快多少）",
        f"- a / c：{ours / read:.2f}（写出时间与 libyaml 读回时间之比，越小越好）",
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="对比 yamlwrite、PyYAML 写出和 libyaml 读回的耗时。"
    )
    add_data_args(parser)
    parser.add_argument("--dir", help="测试数据目录（默认在系统临时目录下，按参数命名，可复用）")
    parser.add_argument(
        "--pyyaml-items", type=int, default=10_000, help="PyYAML 写出只测这么多事项（默认 10000）"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.items < 1 or args.townships < 1 or args.pyyaml_items < 1:
        parser.error("--repeat、--items、--townships 和 --pyyaml-items 至少为 1")
    return args


def main(argv: list[str] | None = None) -> int:
    print("\n".join(run(parse_args(argv))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
