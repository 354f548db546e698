"""Benchmark ``qingdan export xlsx`` against a cold ``qingdan validate`` of the same set (issue 10).

Usage:
    python benchmarks/export_bench.py [--quick] [--repeat 3] [--timeout 600] [--dir PATH]
        [--work PATH] [--old-src PATH] [shape options of generate_derived.py]

The set is the derived set of benchmarks/derived_bench.py (about 100,000 resolved items with
the default shape; ``--quick``: generate_derived.QUICK), generated or reused the same way, and
the commands are run and timed by its ``Runner``. Each repeat runs, as separate processes,
``qingdan validate DIR --format json`` with a fresh empty cache, then ``qingdan export xlsx DIR
-o WORK/export.xlsx`` (one sheet per kind, every township's list on it), and with ``--old-src``
the same export by another version of qingdan (its ``src`` folder on PYTHONPATH, e.g. from
``git archive main src``), side by side in the same run. Per run: wall time, CPU seconds (user +
sys) and peak RSS. The targets are issue 10's: export at most 1.5 × validate's median CPU time
and 1.3 × its peak memory.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_derived
from derived_bench import (
    DERIVED,
    Case,
    Runner,
    Target,
    cache_dir,
    derived_files,
    ensure_derived,
    qingdan_command,
    table,
    temp_path,
)
from run import machine_info, warm_page_cache

OLD = "派生，旧版本"
CASES = (
    Case("validate-cold", "validate 冷启动（空缓存）"),
    Case(
        "export",
        "export xlsx（每种清单一个工作表）",
        Target(
            "≤ 1.5 × validate 冷启动，内存 ≤ 1.3 倍",
            factor=1.5,
            memory_factor=1.3,
            than="validate-cold",
        ),
    ),
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="qingdan export xlsx 与冷启动 validate 的整进程耗时和峰值内存对比（issue 10）。"
    )
    generate_derived.add_shape_args(parser)
    parser.add_argument("--quick", action="store_true", help="小数据量、只测 1 次")
    parser.add_argument("--repeat", type=int, default=None, help="重复次数（默认 3，--quick 时 1）")
    parser.add_argument("--timeout", type=float, default=600, help="每条命令的时限（秒）")
    parser.add_argument("--dir", help="派生清单集目录（默认与 derived_bench.py 共用）")
    parser.add_argument("--work", help="写出表格的工作目录（默认在系统临时目录下）")
    parser.add_argument(
        "--old-src", help="同时测另一版本的 export：它的 src 文件夹（如 git archive main src）"
    )
    args = parser.parse_args(argv)
    args.shape = generate_derived.QUICK if args.quick else generate_derived.shape_from(args, parser)
    args.shape = replace(args.shape, seed=args.seed)
    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    if args.repeat < 1 or args.timeout <= 0:
        parser.error("--repeat 至少为 1，--timeout 必须大于 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tag = "-".join(str(v) for v in asdict(args.shape).values())
    root = temp_path(args.dir, f"qingdan-derived-{tag}")
    summary = ensure_derived(root, args.shape)
    work = temp_path(args.work, f"qingdan-exportbench-{tag}")
    work.mkdir(parents=True, exist_ok=True)
    warm_page_cache(derived_files(root))
    runner = Runner(qingdan_command(), args.timeout, {c.key for c in CASES}, CASES)
    versions = [(DERIVED, "export.xlsx", None)]
    if args.old_src:
        versions.append((OLD, "export-old.xlsx", {"PYTHONPATH": str(Path(args.old_src).resolve())}))
    for index in range(args.repeat):
        print(f"第 {index + 1}/{args.repeat} 轮：", flush=True)
        with cache_dir() as cache:
            validate = ["validate", str(root), "--format", "json"]
            runner.run("validate-cold", DERIVED, validate, cache=cache)
        for set_name, name, env in versions:
            with cache_dir() as cache:
                export = ["export", "xlsx", str(root), "-o", str(work / name)]
                runner.run("export", set_name, export, cache=cache, env=env)
    size = (work / "export.xlsx").stat().st_size / 1e6
    lines = [
        "",
        "## qingdan export xlsx 性能测试",
        "",
        *machine_info(),
        f"- 清单集：{root}（{summary['resolved_items']} 个展开后的事项）；表格 {size:.1f} MB",
        *([f"- 旧版本：PYTHONPATH={args.old_src}"] if args.old_src else []),
        "",
        *table(runner),
        "",
        "CPU 为子进程的 user + sys 秒数；目标按 CPU 中位数和最高峰值内存判断。",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
