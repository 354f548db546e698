"""Benchmark ``qingdan export xlsx`` against a cold ``qingdan validate`` of the same set (issue 10).

Usage:
    python benchmarks/export_bench.py [--quick] [--repeat 3] [--timeout 600] [--dir PATH]
        [--work PATH] [shape options of generate_derived.py]

The set is the derived set of benchmarks/derived_bench.py (about 100,000 resolved items with
the default shape; ``--quick``: generate_derived.QUICK), generated or reused the same way. Each
repeat runs, as separate processes, ``qingdan validate DIR --format json`` with a fresh empty
cache, then ``qingdan export xlsx DIR -o WORK/export.xlsx`` (one sheet per kind, every township's
list on it). Per run: wall time, CPU seconds (user + sys) and peak RSS. The targets are issue
10's: export at most 1.5 × validate's median CPU time and 1.3 × its peak memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from dataclasses import asdict, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_derived
from derived_bench import (
    Sample,
    cache_dir,
    derived_files,
    ensure_derived,
    qingdan_command,
    run_process,
    tail,
    temp_path,
)
from run import machine_info, warm_page_cache

TIME_FACTOR = 1.5
MEMORY_FACTOR = 1.3


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
    args = parser.parse_args(argv)
    args.shape = generate_derived.QUICK if args.quick else generate_derived.shape_from(args, parser)
    args.shape = replace(args.shape, seed=args.seed)
    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    if args.repeat < 1 or args.timeout <= 0:
        parser.error("--repeat 至少为 1，--timeout 必须大于 0")
    return args


def measure(label: str, cmd: list[str], timeout: float) -> Sample:
    """One run of ``cmd`` with a fresh empty cache; a failed run ends the benchmark."""
    with cache_dir() as cache:
        env = dict(os.environ, QINGDAN_CACHE_DIR=str(cache), PYTHONIOENCODING="utf-8")
        result = run_process(cmd, env=env, cwd=None, timeout=timeout)
    if result.timed_out or result.code != 0:
        what = "超时" if result.timed_out else f"退出码 {result.code}"
        raise SystemExit(f"{' '.join(cmd)}：{what}\n{tail(result.stderr or result.stdout)}")
    s = result.sample
    print(
        f"  {label}：墙钟 {s.wall:.2f} 秒，CPU {s.cpu:.2f} 秒，峰值内存 {s.rss_mb:.0f} MB",
        flush=True,
    )
    return s


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tag = "-".join(str(v) for v in asdict(args.shape).values())
    root = temp_path(args.dir, f"qingdan-derived-{tag}")
    summary = ensure_derived(root, args.shape)
    work = temp_path(args.work, f"qingdan-exportbench-{tag}")
    work.mkdir(parents=True, exist_ok=True)
    warm_page_cache(derived_files(root))
    qingdan = qingdan_command()
    validate_cmd = [*qingdan, "validate", str(root), "--format", "json"]
    export_cmd = [*qingdan, "export", "xlsx", str(root), "-o", str(work / "export.xlsx")]
    runs: dict[str, list[Sample]] = {"validate": [], "export": []}
    for index in range(args.repeat):
        print(f"第 {index + 1}/{args.repeat} 轮：", flush=True)
        runs["validate"].append(measure("validate（冷启动）", validate_cmd, args.timeout))
        runs["export"].append(measure("export xlsx", export_cmd, args.timeout))
    cpu = {k: statistics.median(s.cpu for s in v) for k, v in runs.items()}
    rss = {k: max(s.rss_mb for s in v) for k, v in runs.items()}
    time_ratio, memory_ratio = cpu["export"] / cpu["validate"], rss["export"] / rss["validate"]
    size = (work / "export.xlsx").stat().st_size / 1e6
    lines = [
        "",
        "## qingdan export xlsx 性能测试",
        "",
        *machine_info(),
        f"- 清单集：{root}（{summary['resolved_items']} 个展开后的事项）；表格 {size:.1f} MB",
        "",
        "| 命令 | CPU 中位数（秒） | 峰值内存（MB） |",
        "| --- | ---: | ---: |",
        f"| validate（冷启动） | {cpu['validate']:.2f} | {rss['validate']:.0f} |",
        f"| export xlsx | {cpu['export']:.2f} | {rss['export']:.0f} |",
        "",
        f"- 耗时：export / validate = {time_ratio:.2f}（目标 ≤ {TIME_FACTOR}）："
        + ("达标" if time_ratio <= TIME_FACTOR else "未达标"),
        f"- 内存：export / validate = {memory_ratio:.2f}（目标 ≤ {MEMORY_FACTOR}）："
        + ("达标" if memory_ratio <= MEMORY_FACTOR else "未达标"),
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
