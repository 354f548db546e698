"""Benchmark ``qingdan diff`` on two versions of a 100,000-item list set.

Usage:
    python benchmarks/diff_bench.py [--items 100000] [--townships 100] [--repeat 3] [--seed 1]
                                    [--dir PATH] [--work PATH] [--only {batch,full}]
                                    [--skip-qingdan] [--skip-naive]

Version A is the synthetic list set of benchmarks/generate.py (reused from the system temp dir
when it matches, exactly as benchmarks/run.py does). Version B is derived from A by editing the
YAML text of some item blocks, deterministically by seed, so untouched items stay byte-identical:
modify a text field, rename, recode (new code, same content), delete, add (a copy of a block under
a new unused code), move to another category. Two scenarios:

  1. 一批调整: about 300 changed items in about 10% of the list files;
  2. 全面修订: about 2,000 changed items spread over every list file (every file differs).

For each scenario it times whole processes (wall clock, best and median of --repeat runs):

  a. folder vs folder: ``qingdan diff A B --format json``;
  b. git: a temp repo with A committed, then B committed; ``qingdan diff HEAD~1 HEAD --format json``
     run in the repo's list set folder;
  c. git against the working tree: the same repo after ``git reset HEAD~1`` (HEAD is A, the
     working tree still holds B, uncommitted); ``qingdan diff HEAD --format json``;
  d. naive comparison point, timed once (it does not depend on the scenario; --skip-naive skips
     it): one Python process loading every file of both versions with
     ``yaml.load(..., Loader=yaml.CSafeLoader)`` (benchmarks/naive_parse.py), comparing nothing.

Each qingdan run gets a fresh empty QINGDAN_CACHE_DIR. The first run of each command has its JSON
checked against the edits applied: it fails loudly when the diff reports no change, or far more
changes than were made. Target: every qingdan diff row under 3 s (median). Output is in Chinese,
with a Markdown table. Run it with the project virtualenv's Python:
``.venv/bin/python benchmarks/diff_bench.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from naive_parse import list_set_files
from run import (
    BenchError,
    Timing,
    add_data_args,
    data_dir,
    ensure_data,
    head,
    machine_info,
    require_tool,
    warm_page_cache,
)
from run import main as bench_main

BENCH_DIR = Path(__file__).resolve().parent
TARGET_SECONDS = 3.0
REPO_SUBDIR = "sanzhang"  # the list set lives in a subfolder of the git repo, as in real use
GIT = ["git", "-c", "user.name=qingdan-bench", "-c", "user.email=bench@example.invalid"]
GIT += ["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"]

ITEM_START = re.compile(r"^  - ", re.MULTILINE)  # generate.py writes items at indent 2
CODE_LINE = re.compile(r"^  - code: (\S+)$", re.MULTILINE)
TEXT_FIELD = {"duty": "duty", "service": "conditions", "territorial": "township_duty"}
MODIFY_CLAUSES = (
    "并按季度向区级主管部门书面报告工作进展",
    "建立问题清单和整改台账，实行销号管理",
    "将工作情况纳入年度目标绩效考核",
    "加强与相邻镇（街道）的信息共享和协同联动",
)
RENAME_SUFFIXES = ("及监督检查", "和日常管理", "（含备案）", "相关工作")
ADD_SUFFIX = "（试点）"


@dataclass(frozen=True)
class Op:
    """One kind of edit: its Chinese name, the change type the diff should report, its share."""

    key: str
    title: str
    expected: str
    share: float


OPS = (
    Op("modify", "修改文字", "调整", 0.40),
    Op("rename", "更名", "更名", 0.10),
    Op("recode", "改编码（内容不变）", "更名", 0.10),
    Op("delete", "删除", "取消", 0.10),
    Op("add", "新增（复制一项，换新编码）", "新增", 0.15),
    Op("recategorize", "改类别", "类别变更", 0.15),
)
OP_BY_KEY = {op.key: op for op in OPS}


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    changes: int
    file_share: float  # share of the list files that get changes


SCENARIOS = (
    Scenario("batch", "一批调整", 300, 0.10),
    Scenario("full", "全面修订", 2000, 1.0),
)


@dataclass
class Derived:
    """Version B of a scenario and what was done to make it."""

    scenario: Scenario
    root: Path
    changed_files: list[str]
    applied: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.applied.values())

    def expected(self) -> Counter[str]:
        found: Counter[str] = Counter()
        for key, count in self.applied.items():
            found[OP_BY_KEY[key].expected] += count
        return found


# --- deriving version B -----------------------------------------------------------------------
def split_items(text: str) -> tuple[str, list[str]]:
    """File header (up to and including ``items:``) and the text of each item block."""
    starts = [m.start() for m in ITEM_START.finditer(text)]
    if not starts:
        return text, []
    ends = [*starts[1:], len(text)]
    return text[: starts[0]], [text[b:e] for b, e in zip(starts, ends, strict=True)]


def replace_line(block: str, key: str, edit: Callable[[str], str]) -> str:
    """Apply ``edit`` (old value → new value) to the ``key:`` line of an item's top level."""
    pattern = re.compile(rf"^(    {key}|  - {key}): (.*)$", re.MULTILINE)
    found = pattern.search(block)
    if found is None:
        raise BenchError(f"生成的数据格式与预期不符：事项中没有 {key} 字段。")
    value = edit(found.group(2))
    return block[: found.start(2)] + value + block[found.end(2) :]


def add_clause(value: str, clause: str) -> str:
    quote = '"' if value.endswith('"') else ""
    body = value[: -1 if quote else None]
    if body.endswith("。"):
        return f"{body[:-1]}，{clause}。{quote}"
    return f"{body}（{clause}）{quote}"


def suffixed(suffix: str) -> Callable[[str], str]:
    return lambda value: value + suffix


class CodeBook:
    """Every item code in version A, and fresh unused codes of the same kind and category."""

    def __init__(self, codes: set[str]) -> None:
        self.used = set(codes)

    def fresh(self, code: str) -> str:
        prefix, category, _ = code.split("-")
        for number in range(901, 1000):
            candidate = f"{prefix}-{category}-{number:03d}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
        raise BenchError(f"类别 {prefix}-{category} 下没有空余编码。")


def edit_file(
    text: str, kind: str, ops: list[str], codes: CodeBook, rng: random.Random
) -> tuple[str, Counter[str]]:
    """Apply ``ops`` to distinct items of one list file; returns the new text and what was done."""
    header, blocks = split_items(text)
    # keep at least one untouched item per file as a source for additions
    if len(blocks) < len(ops) + 1:
        ops = ops[: max(len(blocks) - 1, 0)]
    chosen = rng.sample(range(len(blocks)), len(ops) + 1)
    source, targets = chosen[0], chosen[1:]
    categories = sorted(set(re.findall(r"^    category: (.*)$", text, re.MULTILINE)))
    applied: Counter[str] = Counter()
    extra: dict[int, str] = {}  # blocks inserted after a given block
    for op, index in zip(ops, targets, strict=True):
        block = blocks[index]
        if op == "modify":
            clause = rng.choice(MODIFY_CLAUSES)
            block = replace_line(block, TEXT_FIELD[kind], partial(add_clause, clause=clause))
        elif op == "rename":
            block = replace_line(block, "name", suffixed(rng.choice(RENAME_SUFFIXES)))
        elif op == "recode":
            block = replace_line(block, "code", codes.fresh)
        elif op == "delete":
            block = ""
        elif op == "add":
            copy = replace_line(blocks[source], "code", codes.fresh)
            extra[index] = replace_line(copy, "name", suffixed(ADD_SUFFIX))
        elif op == "recategorize":
            block = replace_line(
                block, "category", lambda v: rng.choice([c for c in categories if c != v] or [v])
            )
        blocks[index] = block
        applied[op] += 1
    out = [header]
    for index, block in enumerate(blocks):
        out.append(block)
        out.append(extra.get(index, ""))
    return "".join(out), applied


def deal_ops(scenario: Scenario, files: list[str], rng: random.Random) -> dict[str, list[str]]:
    """Pick the files to change and deal the scenario's edits over them round-robin."""
    count = max(1, round(len(files) * scenario.file_share))
    picked = sorted(rng.sample(files, min(count, len(files))))
    ops: list[str] = []
    for op in OPS:
        ops += [op.key] * round(scenario.changes * op.share)
    rng.shuffle(ops)
    dealt: dict[str, list[str]] = {path: [] for path in picked}
    for i, key in enumerate(ops):
        dealt[picked[i % len(picked)]].append(key)
    return dealt


def all_codes(base: Path, files: list[str]) -> set[str]:
    codes: set[str] = set()
    for rel in files:
        codes.update(CODE_LINE.findall((base / rel).read_text("utf-8")))
    return codes


def link_tree(src: Path, dst: Path) -> None:
    """Copy a list set as hard links (fast, no space); edited files are replaced, never written."""
    try:
        shutil.copytree(src, dst, copy_function=os.link)
    except OSError:
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(src, dst)


def derive(base: Path, out: Path, scenario: Scenario, seed: int) -> Derived:
    """Version B of ``scenario`` in ``out`` (recreated), edited from the text of ``base``."""
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    link_tree(base, out)
    rng = random.Random(f"{seed}:diff:{scenario.key}")
    files = sorted(p.relative_to(base).as_posix() for p in base.glob("townships/*/*.yaml"))
    codes = CodeBook(all_codes(base, files))
    derived = Derived(scenario, out, [])
    for rel, ops in deal_ops(scenario, files, rng).items():
        text = (base / rel).read_text("utf-8")
        kind = Path(rel).stem
        new_text, applied = edit_file(text, kind, ops, codes, rng)
        if new_text == text:
            continue
        target = out / rel
        target.unlink()  # a hard link to A's file: replace it, never write through it
        target.write_bytes(new_text.encode("utf-8"))
        derived.changed_files.append(rel)
        derived.applied += applied
    return derived


# --- git repositories -------------------------------------------------------------------------
def git(repo: Path, *args: str) -> None:
    proc = subprocess.run([*GIT, *args], cwd=repo, capture_output=True, check=False)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        raise BenchError(f"git {' '.join(args)} 失败：{detail}")


def make_repo(base: Path, derived: Derived, repo: Path) -> Path:
    """A repo with A committed, then B committed; returns the list set folder inside it."""
    shutil.rmtree(repo, ignore_errors=True)
    folder = repo / REPO_SUBDIR
    shutil.copytree(base, folder, ignore=shutil.ignore_patterns(".*"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "版本 A")
    for rel in derived.changed_files:
        shutil.copyfile(derived.root / rel, folder / rel)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"版本 B（{derived.scenario.title}）")
    return folder


# --- measurements -----------------------------------------------------------------------------
def run_timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, str, str]:
    """Run one process with a fresh cache dir; return (wall seconds, exit code, stdout, stderr)."""
    with tempfile.TemporaryDirectory(prefix="qingdan-cache-") as cache:
        env = dict(os.environ, QINGDAN_CACHE_DIR=cache)
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, cwd=cwd, env=env, check=False)
        elapsed = time.perf_counter() - started
    out = proc.stdout.decode("utf-8", errors="replace")
    err = proc.stderr.decode("utf-8", errors="replace")
    return elapsed, proc.returncode, out, err


def change_type(change: object) -> str:
    if isinstance(change, dict):
        for key in ("type", "change", "kind_of_change"):
            value = change.get(key)
            if isinstance(value, str):
                return value
    return "？"


def check_output(what: str, output: str, derived: Derived) -> str:
    """Compare the diff's JSON with the edits made; raise when it is clearly wrong."""
    try:
        data = json.loads(output)
    except ValueError as exc:
        raise BenchError(f"{what} 的输出不是 JSON（{exc}）。输出开头：\n{head(output)}") from exc
    changes = data.get("changes") if isinstance(data, dict) else None
    if not isinstance(changes, list):
        keys = "、".join(data) if isinstance(data, dict) else type(data).__name__
        raise BenchError(f"{what} 的 JSON 中没有 changes 数组（顶层：{keys}）。")
    reported = Counter(change_type(c) for c in changes)
    applied = derived.total
    if not changes:
        raise BenchError(f"{what} 报告没有任何变化，但实际改动了 {applied} 项。")
    if len(changes) > applied * 1.5 + 10:
        raise BenchError(
            f"{what} 报告 {len(changes)} 项变化，远多于实际改动的 {applied} 项，比对结果不可信。"
        )
    expected = derived.expected()
    types = sorted(set(reported) | set(expected), key=lambda t: -expected.get(t, 0))
    detail = "，".join(f"{t} {reported.get(t, 0)}/{expected.get(t, 0)}" for t in types)
    summary = data.get("summary") if isinstance(data, dict) else None
    brief = json.dumps(summary, ensure_ascii=False)[:300] if summary is not None else "无"
    return (
        f"报告 {len(changes)} 项变化（实际改动 {applied} 项）；按类型 报告/预期：{detail}；"
        f"summary：{brief}"
    )


def measure(
    label: str, cmd: list[str], repeat: int, derived: Derived, cwd: Path | None = None
) -> tuple[Timing, str]:
    timing = Timing(label)
    checked = ""
    for i in range(repeat):
        seconds, code, out, err = run_timed(cmd, cwd)
        if code != 0:
            raise BenchError(
                f"{label} 退出码为 {code}（应为 0）。命令：{' '.join(cmd)}（工作目录 {cwd or '.'}）"
                f"\n标准输出前几行：\n{head(out)}\n标准错误前几行：\n{head(err)}"
            )
        timing.seconds.append(seconds)
        print(f"  {label} 第 {i + 1} 次：{seconds:.2f} 秒", flush=True)
        if i == 0:
            checked = check_output(label, out, derived)
            print(f"    {checked}", flush=True)
    return timing, checked


def measure_naive(base: Path, other: Path, repeat: int) -> Timing:
    timing = Timing("(d) 朴素解析两个版本（PyYAML CSafeLoader，单进程，不比对）")
    code = (
        "import sys\nfrom pathlib import Path\nsys.path.insert(0, sys.argv[1])\n"
        "from naive_parse import parse_all\n"
        "for root in sys.argv[2:]:\n    parse_all(Path(root))\n"
    )
    cmd = [sys.executable, "-c", code, str(BENCH_DIR), str(base), str(other)]
    for i in range(repeat):
        seconds, rc, out, err = run_timed(cmd)
        if rc != 0:
            raise BenchError(f"朴素解析失败（退出码 {rc}）：\n{head(out + err)}")
        timing.seconds.append(seconds)
        print(f"  朴素解析 第 {i + 1} 次：{seconds:.2f} 秒", flush=True)
    return timing


def has_diff_command(qingdan: str) -> bool:
    proc = subprocess.run([qingdan, "diff", "--help"], capture_output=True, check=False)
    return proc.returncode == 0


@dataclass
class Result:
    derived: Derived
    timings: list[Timing]
    qingdan_rows: set[str]


def bench_scenario(
    qingdan: str | None, base: Path, work: Path, scenario: Scenario, args: argparse.Namespace
) -> Result:
    print(f"\n场景“{scenario.title}”：生成版本 B ……", flush=True)
    started = time.perf_counter()
    derived = derive(base, work / scenario.key / "set", scenario, args.seed)
    edits = "、".join(f"{OP_BY_KEY[k].title} {n}" for k, n in sorted(derived.applied.items()))
    print(
        f"  改动文件 {len(derived.changed_files)} 个，改动事项 {derived.total} 项（{edits}），"
        f"用时 {time.perf_counter() - started:.1f} 秒",
        flush=True,
    )
    timings: list[Timing] = []
    rows: set[str] = set()
    if qingdan is not None:
        started = time.perf_counter()
        folder = make_repo(base, derived, work / scenario.key / "repo")
        print(f"  建立 git 仓库（A、B 两次提交）用时 {time.perf_counter() - started:.1f} 秒")
        warm_page_cache(list_set_files(derived.root) + list_set_files(folder))
        print(f"开始计时（每项 {args.repeat} 次，每次使用新的空缓存目录）：", flush=True)
        runs = [
            ("(a) 文件夹对比：qingdan diff A B", [str(base), str(derived.root)], None),
            ("(b) git 两个提交：qingdan diff HEAD~1 HEAD", ["HEAD~1", "HEAD"], folder),
        ]
        for label, specs, cwd in runs:
            cmd = [qingdan, "diff", *specs, "--format", "json"]
            timings.append(measure(label, cmd, args.repeat, derived, cwd)[0])
            rows.add(label)
        git(folder.parent, "reset", "-q", "HEAD~1")  # HEAD is A again, B stays in the work tree
        label = "(c) git 对工作区：qingdan diff HEAD"
        cmd = [qingdan, "diff", "HEAD", "--format", "json"]
        timings.append(measure(label, cmd, args.repeat, derived, folder)[0])
        rows.add(label)
    return Result(derived, timings, rows)


# --- report -----------------------------------------------------------------------------------
def table(results: list[Result], naive: Timing | None) -> list[str]:
    rows = [
        f"| 场景 | 测试项 | 最好（秒） | 中位数（秒） | 次数 | 目标 < {TARGET_SECONDS:g} 秒（按中位数） |",
        "|---|---|---:|---:|---:|---|",
    ]
    for result in results:
        name = result.derived.scenario.title
        for t in result.timings:
            if t.label in result.qingdan_rows:
                verdict = "达标" if t.median < TARGET_SECONDS else "**未达标**"
            else:
                verdict = "—（对照）"
            rows.append(
                f"| {name} | {t.label} | {t.best:.2f} | {t.median:.2f} | {len(t.seconds)} | {verdict} |"
            )
    if naive is not None:
        rows.append(
            f"| （与场景无关） | {naive.label} | {naive.best:.2f} | {naive.median:.2f} "
            f"| {len(naive.seconds)} | —（对照） |"
        )
    return rows


def scenario_lines(results: list[Result], files: int) -> list[str]:
    lines = []
    for r in results:
        d = r.derived
        edits = "、".join(f"{OP_BY_KEY[k].title} {n}" for k, n in sorted(d.applied.items()))
        lines.append(
            f"- {d.scenario.title}：改动清单文件 {len(d.changed_files)}/{files} 个，"
            f"事项 {d.total} 项（{edits}）"
        )
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="测试 qingdan diff 比对两个 10 万项版本的整进程耗时（目标 3 秒内）。"
    )
    add_data_args(parser)
    parser.add_argument("--dir", help="版本 A 的数据目录（默认在系统临时目录下，与 run.py 共用）")
    parser.add_argument(
        "--work", help="版本 B 和 git 仓库的工作目录（默认在系统临时目录下，每次重建）"
    )
    parser.add_argument(
        "--only", choices=[s.key for s in SCENARIOS], help="只测一个场景（batch 或 full）"
    )
    parser.add_argument(
        "--skip-qingdan",
        action="store_true",
        help="不测 qingdan（diff 命令尚未完成时只测朴素解析）",
    )
    parser.add_argument(
        "--skip-naive", action="store_true", help="不测朴素解析（它很慢，每次约 1 分钟）"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.items < 1 or args.townships < 1:
        parser.error("--repeat、--items 和 --townships 至少为 1")
    return args


def run(args: argparse.Namespace) -> list[str]:
    qingdan = None
    if not args.skip_qingdan:
        hint = "请先在本虚拟环境中安装 qingdan（pip install -e .），或加 --skip-qingdan。"
        qingdan = require_tool("qingdan", hint)
        if not has_diff_command(qingdan):
            raise BenchError(f"{qingdan} 还没有 diff 命令，或加 --skip-qingdan 只测朴素解析。")
    base = data_dir(args)
    summary = ensure_data(base, args.items, args.townships, args.seed)
    work = Path(args.work).resolve() if args.work else None
    if work is None:
        name = f"qingdan-diffbench-{args.items}-{args.townships}-s{args.seed}"
        work = Path(tempfile.gettempdir()) / name
    files = list_set_files(base)
    size = warm_page_cache(files)
    lists = sum(1 for p in files if p.parent.parent.name == "townships")
    scenarios = [s for s in SCENARIOS if args.only in (None, s.key)]
    results = [bench_scenario(qingdan, base, work, s, args) for s in scenarios]
    naive = None
    if not args.skip_naive:
        # the same cost whatever the scenario: every file of both versions is parsed
        print("\n朴素解析（A 与最后一个场景的 B）：", flush=True)
        naive = measure_naive(base, results[-1].derived.root, args.repeat)
    report = ["", "## qingdan diff 性能测试", ""]
    report += machine_info()
    report += [
        f"- 版本 A：{base}（事项 {summary.get('items')} 项，镇（街道）{summary.get('townships')} 个，"
        f"清单文件 {lists} 个，共 {size / 1e6:.1f} MB）",
        f"- 版本 B 和 git 仓库：{work}",
        *scenario_lines(results, lists),
        "",
        *table(results, naive),
        "",
        f"目标：比对两个 {args.items} 项的版本，每种方式的整进程耗时中位数都在 "
        f"{TARGET_SECONDS:g} 秒以内。",
    ]
    if qingdan is None:
        report.append("- qingdan 未测（--skip-qingdan）。")
    return report


def main(argv: list[str] | None = None) -> int:
    return bench_main(argv, parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
