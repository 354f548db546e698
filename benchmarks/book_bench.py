"""Benchmark ``qingdan export book``: a synthetic list set printed as a PDF book.

Usage:
    python benchmarks/book_bench.py [--items 1000 10000] [--townships 1] [--repeat 1] [--seed 1]
                                    [--old SRC] [--format pdf|docx|html]

Each size is a list set from benchmarks/generate.py (in a temp folder), printed by a whole
``qingdan export book SET -o book.pdf`` process, timed in CPU seconds (user + system of the
process; the machine may be shared, so wall time says little) and wall clock, best of --repeat.
``--old SRC`` runs the same with another version's sources first (``git archive main src | tar -x
-C /tmp/book-old`` gives one), for a side-by-side figure. The targets (issue 11): a 1,000-item
book under 10 s, a 10,000-item district book under 60 s. Run it with the project virtualenv's
Python: ``.venv/bin/python benchmarks/book_bench.py``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import generate


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode not in (0, 1):
        raise SystemExit(run.stdout + run.stderr)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return cpu, wall


def _pages(path: Path) -> str:
    if path.suffix != ".pdf":
        return "—"
    import pypdf  # noqa: PLC0415  (a test dependency; only the PDF has pages to count)

    return str(len(pypdf.PdfReader(path).pages))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--townships", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--old", type=Path, help="another version's src folder, run first")
    parser.add_argument("--format", default="pdf", choices=["pdf", "docx", "html"])
    args = parser.parse_args()
    versions = [("新", {**os.environ})]
    if args.old:
        versions.insert(0, ("旧", {**os.environ, "PYTHONPATH": str(args.old.resolve())}))
    print("| 版本 | 事项数 | 页数 | CPU（秒） | 用时（秒） |\n| --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as work:
        for items in args.items:
            root = Path(work) / f"set{items}"
            generate.generate(root, items, args.townships, args.seed)
            for name, env in versions:
                out = Path(work) / f"book{items}-{name}.{args.format}"
                command = [sys.executable, "-m", "qingdan", "export", "book", str(root)]
                runs = [_run([*command, "-o", str(out)], env) for _ in range(args.repeat)]
                cpu, wall = min(c for c, _ in runs), min(w for _, w in runs)
                print(f"| {name} | {items} | {_pages(out)} | {cpu:.1f} | {wall:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
