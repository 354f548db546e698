"""Benchmark ``qingdan validate`` against a naive PyYAML parse and check-jsonschema.

Usage:
    python benchmarks/run.py [--items 100000] [--townships 100] [--repeat 3] [--dir PATH]
                             [--seed 1] [--skip-check-jsonschema] [--skip-qingdan]

Generates a synthetic valid list set with benchmarks/generate.py (into --dir, or a folder under
the system temp dir named after the parameters; an existing set with the same parameters and
generator version is reused), then times whole processes (wall clock, best and median of
--repeat runs) on the same files:

  a. ``qingdan validate DIR --format json``, cold: a fresh empty QINGDAN_CACHE_DIR per run;
  b. the same, warm: reusing the cache directory of the preceding cold run, files unchanged;
  c. naive parse: benchmarks/naive_parse.py, one Python process loading every file with
     ``yaml.load(f, Loader=yaml.CSafeLoader)``;
  d. check-jsonschema: one invocation per list kind with the schemas in src/qingdan/schemas/sanzhang
     (the sum of the three is its time; slow, so --skip-check-jsonschema skips it).

``qingdan`` and ``check-jsonschema`` are looked up next to sys.executable, then on PATH. Run it
with the project virtualenv's Python, e.g. ``.venv/bin/python benchmarks/run.py``.
--skip-qingdan times only c and d (useful before the CLI exists). Output is in Chinese, with a
Markdown table and the target ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate
from naive_parse import list_set_files

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
SCHEMAS = REPO / "src" / "qingdan" / "schemas" / "sanzhang"
KINDS = ("duty", "service", "territorial")

TARGET_COLD_VS_NAIVE = 0.4
TARGET_WARM_SECONDS = 1.5
TARGET_CJS_VS_COLD = 4.0
OUTPUT_LINES = 30


class BenchError(Exception):
    """A failure that ends the benchmark with a message for the user."""


@dataclass
class Timing:
    """Wall-clock seconds of the repeats of one measurement."""

    label: str
    seconds: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


# --- tools ------------------------------------------------------------------------------------
def find_tool(name: str) -> str | None:
    """Executable next to sys.executable (same virtualenv), else on PATH."""
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which(name)


def require_tool(name: str, hint: str) -> str:
    path = find_tool(name)
    if path is None:
        where = Path(sys.executable).parent
        raise BenchError(f"找不到命令 {name}（已查找 {where} 和 PATH）。{hint}")
    return path


def run_timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run one process; return (wall seconds, exit code, combined output)."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    output = (proc.stdout + proc.stderr).decode("utf-8", errors="replace")
    return elapsed, proc.returncode, output


def head(text: str, lines: int = OUTPUT_LINES) -> str:
    return "\n".join(text.splitlines()[:lines])


def check_exit(what: str, code: int, output: str) -> None:
    if code != 0:
        raise BenchError(
            f"{what} 退出码为 {code}（应为 0），生成的清单集应当全部通过校验。输出的前 "
            f"{OUTPUT_LINES} 行：\n{head(output)}"
        )


# --- data -------------------------------------------------------------------------------------
def data_dir(args: argparse.Namespace) -> Path:
    if args.dir is not None:
        return Path(args.dir).resolve()
    name = f"qingdan-bench-{args.items}-{args.townships}-s{args.seed}"
    return Path(tempfile.gettempdir()) / name


def read_stamp(root: Path) -> dict[str, object] | None:
    try:
        stamp = json.loads((root / generate.STAMP).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def ensure_data(root: Path, items: int, townships: int, seed: int) -> dict[str, object]:
    """Reuse the list set in ``root`` if it matches the parameters, else (re)generate it."""
    stamp = read_stamp(root)
    wanted: dict[str, object] = {"items": items, "townships": townships, "seed": seed}
    wanted["version"] = generate.generator_version()
    if stamp is not None and all(stamp.get(k) == v for k, v in wanted.items()):
        print(f"复用已有测试数据：{root}")
        return stamp
    print(f"生成测试数据：{root}（事项 {items} 项，镇（街道）{townships} 个）……", flush=True)
    started = time.perf_counter()
    summary = generate.generate(root, items, townships, seed)
    print(f"  生成用时 {time.perf_counter() - started:.1f} 秒")
    return summary


def warm_page_cache(files: list[Path]) -> int:
    """Read every file once so all measurements start with the same (hot) OS cache."""
    total = 0
    for path in files:
        total += len(path.read_bytes())
    return total


# --- measurements -----------------------------------------------------------------------------
def measure_naive(root: Path, repeat: int) -> Timing:
    timing = Timing("朴素解析（PyYAML CSafeLoader，单进程）")
    cmd = [sys.executable, str(BENCH_DIR / "naive_parse.py"), str(root)]
    for i in range(repeat):
        seconds, code, output = run_timed(cmd)
        check_exit("朴素解析（naive_parse.py）", code, output)
        timing.seconds.append(seconds)
        print(f"  朴素解析 第 {i + 1} 次：{seconds:.2f} 秒", flush=True)
    return timing


def summarize_qingdan_output(output: str) -> str:
    """One line about the JSON qingdan printed (its format is the CLI's business)."""
    try:
        data = json.loads(output)
    except ValueError:
        return f"输出 {len(output)} 个字符，不是 JSON"
    if isinstance(data, dict):
        keys = "、".join(list(data)[:10])
        summary = data.get("summary")
        extra = f"；summary：{json.dumps(summary, ensure_ascii=False)[:200]}" if summary else ""
        return f"JSON 对象，顶层字段：{keys}{extra}"
    if isinstance(data, list):
        return f"JSON 数组，{len(data)} 条"
    return f"JSON {type(data).__name__}"


def measure_qingdan(qingdan: str, root: Path, repeat: int) -> tuple[Timing, Timing]:
    """Cold (fresh cache dir) and warm (same cache dir again) runs, interleaved."""
    cold, warm = (
        Timing("qingdan validate 冷启动（空缓存）"),
        Timing("qingdan validate 热启动（复用缓存）"),
    )
    cmd = [qingdan, "validate", str(root), "--format", "json"]
    for i in range(repeat):
        with tempfile.TemporaryDirectory(prefix="qingdan-cache-") as cache:
            env = dict(os.environ, QINGDAN_CACHE_DIR=cache)
            for timing, what in ((cold, "冷启动"), (warm, "热启动")):
                seconds, code, output = run_timed(cmd, env)
                check_exit(f"qingdan validate（{what}）", code, output)
                timing.seconds.append(seconds)
                print(f"  qingdan {what} 第 {i + 1} 次：{seconds:.2f} 秒", flush=True)
                if i == 0 and what == "冷启动":
                    print(f"    qingdan 输出：{summarize_qingdan_output(output)}")
    return cold, warm


def measure_check_jsonschema(tool: str, root: Path, repeat: int) -> Timing:
    """Sum of one check-jsonschema run per list kind, per repeat."""
    timing = Timing("check-jsonschema（三种清单各调用一次，合计）")
    for i in range(repeat):
        parts = []
        for kind in KINDS:
            files = sorted(str(p) for p in (root / "townships").glob(f"*/{kind}.yaml"))
            cmd = [tool, "--schemafile", str(SCHEMAS / f"{kind}.schema.json"), *files]
            seconds, code, output = run_timed(cmd)
            check_exit(f"check-jsonschema（{kind}）", code, output)
            parts.append(seconds)
        timing.seconds.append(sum(parts))
        detail = "，".join(f"{k} {s:.1f}" for k, s in zip(KINDS, parts, strict=True))
        print(f"  check-jsonschema 第 {i + 1} 次：{sum(parts):.1f} 秒（{detail}）", flush=True)
    return timing


# --- report -----------------------------------------------------------------------------------
def machine_info() -> list[str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- 机器：nproc {usable}（cpu_count {os.cpu_count()}）{('，' + cpu) if cpu else ''}",
        f"- 系统：{platform.platform()}",
        f"- Python：{platform.python_version()}（{sys.executable}）",
    ]


def data_info(root: Path, summary: dict[str, object], files: list[Path], size: int) -> list[str]:
    by_kind = summary.get("items_by_kind", {})
    kinds = ""
    if isinstance(by_kind, dict):
        kinds = f"（职责 {by_kind.get('duty')}、服务 {by_kind.get('service')}、属地 {by_kind.get('territorial')}）"
    lists = sum(1 for p in files if p.parent.parent.name == "townships")
    return [
        f"- 数据：{root}",
        f"- 事项 {summary.get('items')} 项{kinds}，镇（街道）{summary.get('townships')} 个",
        f"- 文件 {len(files)} 个（其中清单文件 {lists} 个），共 {size / 1e6:.1f} MB",
    ]


def table(timings: list[Timing]) -> list[str]:
    rows = ["| 测试项 | 最好（秒） | 中位数（秒） | 次数 |", "|---|---:|---:|---:|"]
    for t in timings:
        rows.append(f"| {t.label} | {t.best:.2f} | {t.median:.2f} | {len(t.seconds)} |")
    return rows


def verdict(ok: bool) -> str:
    return "达标" if ok else "未达标"


def ratio_lines(
    cold: Timing | None, warm: Timing | None, naive: Timing, cjs: Timing | None
) -> list[str]:
    """Target ratios, computed from medians (best-of in parentheses)."""
    lines = ["", "目标（按中位数计算，括号内为按最好成绩计算）："]
    if cold is None or warm is None:
        lines.append("- qingdan 未测（--skip-qingdan），无法计算比值。")
        return lines
    r_med, r_best = cold.median / naive.median, cold.best / naive.best
    lines.append(
        f"- qingdan 冷启动 / 朴素解析 = {r_med:.2f}（{r_best:.2f}），目标 ≤ {TARGET_COLD_VS_NAIVE}："
        f"{verdict(r_med <= TARGET_COLD_VS_NAIVE)}"
    )
    lines.append(
        f"- qingdan 热启动 = {warm.median:.2f} 秒（{warm.best:.2f}），目标 < {TARGET_WARM_SECONDS} 秒："
        f"{verdict(warm.median < TARGET_WARM_SECONDS)}"
    )
    if cjs is None:
        lines.append("- check-jsonschema 未测（--skip-check-jsonschema）。")
        return lines
    r_med, r_best = cjs.median / cold.median, cjs.best / cold.best
    lines.append(
        f"- check-jsonschema / qingdan 冷启动 = {r_med:.1f}（{r_best:.1f}），目标 ≥ {TARGET_CJS_VS_COLD}："
        f"{verdict(r_med >= TARGET_CJS_VS_COLD)}"
    )
    return lines


# --- main -------------------------------------------------------------------------------------
def add_data_args(parser: argparse.ArgumentParser) -> None:
    """The options both benchmarks share: how much synthetic data, how often to time it."""
    parser.add_argument("--items", type=int, default=100_000, help="事项总数（默认 100000）")
    parser.add_argument("--townships", type=int, default=100, help="镇（街道）数量（默认 100）")
    parser.add_argument("--repeat", type=int, default=3, help="每项重复次数（默认 3）")
    parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="对比 qingdan validate、朴素 YAML 解析和 check-jsonschema 的整进程耗时。"
    )
    add_data_args(parser)
    parser.add_argument("--dir", help="测试数据目录（默认在系统临时目录下，按参数命名，可复用）")
    parser.add_argument(
        "--skip-check-jsonschema", action="store_true", help="不测 check-jsonschema（它很慢）"
    )
    parser.add_argument(
        "--skip-qingdan", action="store_true", help="不测 qingdan（CLI 尚未安装时只测另外两项）"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.items < 0 or args.townships < 1:
        parser.error("--repeat 和 --townships 至少为 1，--items 不能为负数")
    return args


def run(args: argparse.Namespace) -> list[str]:
    qingdan = None
    if not args.skip_qingdan:
        hint = (
            "请先在本虚拟环境中安装 qingdan（pip install -e .），或加 --skip-qingdan 只测其他两项。"
        )
        qingdan = require_tool("qingdan", hint)
    cjs = None
    if not args.skip_check_jsonschema:
        hint = "请安装 check-jsonschema（pip install check-jsonschema），或加 --skip-check-jsonschema。"
        cjs = require_tool("check-jsonschema", hint)
    root = data_dir(args)
    summary = ensure_data(root, args.items, args.townships, args.seed)
    files = list_set_files(root)
    size = warm_page_cache(files)
    print(f"开始计时（每项 {args.repeat} 次，已预读全部文件到系统缓存）：", flush=True)
    naive = measure_naive(root, args.repeat)
    cold = warm = None
    if qingdan is not None:
        cold, warm = measure_qingdan(qingdan, root, args.repeat)
    cjs_timing = measure_check_jsonschema(cjs, root, args.repeat) if cjs is not None else None
    timings = [t for t in (cold, warm, naive, cjs_timing) if t is not None]
    report = ["", "## qingdan 性能测试", ""]
    report += machine_info() + data_info(root, summary, files, size) + [""]
    report += table(timings) + ratio_lines(cold, warm, naive, cjs_timing)
    return report


def main(
    argv: list[str] | None = None,
    parse: Callable[[list[str] | None], argparse.Namespace] | None = None,
    execute: Callable[[argparse.Namespace], list[str]] | None = None,
) -> int:
    """Run a benchmark and print its report; diff_bench.py passes its own parse and run."""
    args = (parse or parse_args)(argv)
    try:
        report = (execute or run)(args)
    except BenchError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
