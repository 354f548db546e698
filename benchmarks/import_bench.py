"""Benchmark ``qingdan import xlsx`` on a 10,000-row office-shaped workbook (issue 10, part 5).

Usage:
    python benchmarks/import_bench.py [--rows 10000] [--repeat 3] [--keep DIR]

The workbook is built with xlsxwriter from the sample catalog's territorial items, shaped as
offices keep theirs: two title rows, a two-level merged header (职责分工 over 乡镇（街道）职责 and
配合部门), odd column names, category cells merged over each group, a formula 序号 column and an
empty row between groups. Each item gets its own code and name, so the whole file imports clean
and is written, as a real import would be. It goes into a copy of the sample list set ``lists/``
in a temporary folder (``--keep DIR`` uses and keeps DIR instead).

Each run is ``qingdan import xlsx`` as its own process, as a user runs it (the ``qingdan`` next to
sys.executable, else ``python -m qingdan``), into a fresh output folder. Per run it records wall
time, CPU seconds (user + sys of the process and its children, from os.wait4) and peak RSS; the
machine is shared, so the CPU seconds are the figure to quote. Target: under 3 s. Linux/macOS.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import xlsxwriter
import yaml

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "lists" / "catalog" / "mulu" / "territorial.yaml"
TARGET_SECONDS = 3.0
HEADERS = [
    "序号",
    "领域",
    "项目名称",
    "主体责任单位",
    "主体责任",
    "职责分工",
    "",
    "法律依据",
    "备注",
]
CATEGORY_NAMES = {
    "01": "应急管理",
    "02": "自然资源",
    "03": "生态环境",
    "04": "市场监管",
    "05": "城乡建设",
    "06": "农业农村",
    "07": "综合执法",
    "08": "公共卫生",
}


def build(path: Path, rows: int) -> None:
    """The workbook: ``rows`` items in groups of 50 per category, as described above."""
    items = yaml.safe_load(CATALOG.read_text("utf-8"))["items"]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": False})
    sheet = book.add_worksheet("属地管理事项清单")
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.merge_range("A1:J1", "白鹤镇属地管理事项清单（2026年版）")
    sheet.merge_range("A2:J2", "编制单位：白鹤镇人民政府")
    for col, title in enumerate(
        ["序号", "事项编码", "领域", "项目名称", "主体责任单位", "主体责任"]
    ):
        sheet.merge_range(2, col, 3, col, title)
    sheet.merge_range("G3:H3", "职责分工")
    sheet.write_row(3, 6, ["乡镇（街道）职责", "配合部门"])
    sheet.merge_range("I3:I4", "法律依据")
    sheet.merge_range("J3:J4", "备注")
    r, group = 4, 0
    categories = sorted(CATEGORY_NAMES)
    for n in range(rows):
        if n % 50 == 0:
            if n:
                r += 1  # an empty row between groups
            group = n // 50
            top = categories[group % len(categories)]
            sheet.merge_range(r, 2, min(r + 49, r + rows - n - 1), 2, CATEGORY_NAMES[top])
        item: dict[str, Any] = items[n % len(items)]
        top = categories[group % len(categories)]
        code = f"SD-{top}{group // len(categories):02d}-{n % 50 + 1:03d}"
        sheet.write_formula(r, 0, f"=ROW()-{4 + group}", None, n + 1)
        sheet.write(r, 1, code)
        sheet.write(r, 3, f"{item['name']}（{n + 1}）")
        sheet.write(r, 4, item["lead"])
        sheet.write(r, 5, item["main"][0]["duty"], wrap)
        sheet.write(r, 6, item["township_duty"], wrap)
        cooperating = "\n".join(
            f"{p['department']}：{p['duty']}" for p in item.get("cooperating", [])
        )
        if cooperating:
            sheet.write(r, 7, cooperating, wrap)
        basis = "；".join(b["title"] + b.get("article", "") for b in item["basis"])
        sheet.write(r, 8, basis, wrap)
        r += 1
    book.close()


def qingdan() -> list[str]:
    exe = Path(sys.executable).with_name("qingdan")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "qingdan"]


def run_once(root: Path, book: Path, out: Path) -> tuple[float, float, float, str]:
    """Wall s, CPU s, peak RSS MB and the last line of output of one import."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*qingdan(), "import", "xlsx", str(book), "-o", str(out), "-q"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(
            f"qingdan import xlsx 失败（退出码 {proc.returncode}）：\n{output[-2000:]}"
        )
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    lines = output.strip().splitlines()
    return wall, usage.ru_utime + usage.ru_stime, rss, lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="qingdan-import-bench-"))
    root = work / "set"
    if not root.exists():
        shutil.copytree(REPO / "lists", root)
    book = work / f"白鹤镇属地管理事项清单-{args.rows}.xlsx"
    started = time.perf_counter()
    build(book, args.rows)
    print(
        f"表格：{book}（{args.rows} 行，{book.stat().st_size / 1e6:.1f} MB，生成用时 "
        f"{time.perf_counter() - started:.1f} s）"
    )
    runs = [run_once(root, book, work / "out") for _ in range(args.repeat)]
    for i, (wall, cpu, rss, last) in enumerate(runs, 1):
        print(f"  第 {i} 次：墙钟 {wall:.2f} s，CPU {cpu:.2f} s，峰值内存 {rss:.0f} MB  {last}")
    cpu = statistics.median(r[1] for r in runs)
    verdict = "达到" if cpu < TARGET_SECONDS else "未达到"
    print(
        f"中位 CPU {cpu:.2f} s（目标 < {TARGET_SECONDS:.0f} s：{verdict}）；"
        f"中位墙钟 {statistics.median(r[0] for r in runs):.2f} s，"
        f"峰值内存 {max(r[2] for r in runs):.0f} MB"
    )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
