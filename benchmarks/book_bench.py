"""Benchmark ``qingdan export book``: a synthetic list set printed as a PDF book.

Usage:
    python benchmarks/book_bench.py [--items 1000 10000] [--townships 1] [--repeat 1] [--seed 1]

Each size is a list set from benchmarks/generate.py (in a temp folder), printed by a whole
``qingdan export book SET -o book.pdf`` process, timed by wall clock (best of --repeat). The
targets (issue 11): a 1,000-item book under 10 s, a 10,000-item district book under 60 s. Run it
with the project virtualenv's Python: ``.venv/bin/python benchmarks/book_bench.py``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdf

import generate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--townships", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    qingdan = Path(sys.executable).with_name("qingdan")
    print("| 事项数 | 页数 | 用时（秒） |\n| ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as work:
        for items in args.items:
            root = Path(work) / f"set{items}"
            generate.generate(root, items, args.townships, args.seed)
            out = Path(work) / f"book{items}.pdf"
            best = float("inf")
            for _ in range(args.repeat):
                started = time.perf_counter()
                run = subprocess.run(
                    [str(qingdan), "export", "book", str(root), "-o", str(out)],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                best = min(best, time.perf_counter() - started)
                if run.returncode not in (0, 1):
                    print(run.stdout + run.stderr, file=sys.stderr)
                    return 1
            pages = len(pypdf.PdfReader(out).pages)
            print(f"| {items} | {pages} | {best:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
