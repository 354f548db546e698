"""Time the search box of a site written by ``qingdan export site``, in headless Chromium.

Usage:
    python benchmarks/site_search_bench.py SITE_FOLDER [--query 巡查 ...] [--repeat 5]

Opens SITE_FOLDER/index.html from the folder (file://), as a user double-clicking it would, and
reports how long the page took to load its data and, per query, the median time one search took
(performance.now around the page's own search, as typing runs it, before the best 50 are shown) and how many items it
found. The issue's target: under 100 ms per search on the 100,000-item benchmark set (make it with
``benchmarks/derived_bench.py --only site`` or ``qingdan export site``). Needs /usr/bin/chromium
(Debian's chromium package) and the playwright package.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUERIES = ("巡查", "井盖", "jg", "xuncha", "应急", "巡差", "SD-01")
TIMED = """([query, repeat]) => {
  const times = [];
  let found = 0;
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    found = qingdanFind(query);
    times.push(performance.now() - started);
  }
  return [times, found];
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="在无界面 Chromium 中测导出网站的查找用时。")
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append", help="要测的查找词（可重复）")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  (only when it runs)

    index = (args.site / "index.html").resolve()
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(index.as_uri())
        page.wait_for_function("document.body.hasAttribute('data-search-ms')", timeout=120_000)
        loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        print(f"网站：{index}（data.js {(args.site / 'data.js').stat().st_size / 1e6:.1f} MB）")
        print(f"载入用时 {loaded:.0f} 毫秒\n")
        print("| 查找词 | 找到 | 中位数（毫秒） | 最长（毫秒） |\n|---|---:|---:|---:|")
        worst = 0.0
        for query in args.query or QUERIES:
            times, found = page.evaluate(TIMED, [query, args.repeat])
            worst = max(worst, statistics.median(times))
            print(f"| {query} | {found} | {statistics.median(times):.1f} | {max(times):.1f} |")
        browser.close()
    verdict = "达标" if worst < 100 else "未达标"
    print(f"\n最慢的查找词中位数 {worst:.1f} 毫秒：目标 < 100 毫秒，{verdict}。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
