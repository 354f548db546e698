"""The cache never gives a stale answer: after a change to any input it depends on, a warm run
answers exactly what a cold one does; and a cache file that cannot be trusted is thrown away."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPO, run_qingdan
from qingdan.schemas import BUILTIN_DIR
from qingdan.validation import Options, validate
from qingdan.workspace import Workspace
from test_diff import edit

TODAY = dt.date(2026, 12, 1)


def _findings(root: Path, cache: Path | None, today: dt.date) -> list[tuple[object, ...]]:
    """One validate command, in this process: a fresh workspace each time, as the CLI makes."""
    result = validate(Workspace(), [root], Options(cache_dir=cache, today=today))
    return [f.to_tuple() for f in result.findings]


def _list_file(root: Path) -> None:
    """A plain list (the catalog): new text, and a term the date step lets run out."""
    catalog = root / "catalog" / "mulu" / "duty.yaml"
    edit(catalog, "    name: 基层党组织建设\n", "    name: 基层党组织建设,\n")
    edit(
        catalog,
        "    office: 党建工作办公室\n",
        '    office: 党建工作办公室\n    term: {type: 阶段性, end: "2026-12-31"}\n',
    )


def _overlay(root: Path) -> None:
    """A township's modify gives an item the name of another item of its list."""
    edit(
        root / "townships" / "qingshui" / "duty.yaml",
        "      set: {person: 党委副书记,",
        "      set: {name: 党员发展和教育管理, person: 党委副书记,",
    )


def _base_two_levels_up(root: Path) -> None:
    """The catalog (base of the district, which is the townships' base) repeats a name."""
    edit(
        root / "catalog" / "mulu" / "duty.yaml",
        "    name: 村（社区）“两委”干部队伍建设\n",
        "    name: 党风廉政建设和基层监督\n",
    )


def _registry(root: Path) -> None:
    edit(root / "departments.yaml", "    short: 区委组织部\n", "    short: 区委组织工作部\n")


def _categories(root: Path) -> None:
    edit(root / "categories" / "duty.yaml", '      - code: "0102"\n', '      - code: "0199"\n')


def _schema(root: Path) -> None:
    """A preset of the set's own, then a tighter rule in one of its schemas."""
    shutil.copytree(BUILTIN_DIR / "sanzhang", root / "preset")
    edit(root / "qingdan.yaml", "preset: sanzhang\n", "preset: preset\n")
    edit(root / "preset" / "common.schema.json", '"maxLength": 200', '"maxLength": 8')


def _config(root: Path) -> None:
    edit(
        root / "qingdan.yaml",
        "kinds: [duty, service, territorial]\n",
        'kinds: [duty, service, territorial]\ncode_patterns: {duty: "^ZR-0[1-5]-[0-9]{3}$"}\n',
    )


STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("list-file", _list_file),
    ("overlay", _overlay),
    ("base-two-levels-up", _base_two_levels_up),
    ("registry", _registry),
    ("categories", _categories),
    ("schema", _schema),
    ("config", _config),
]


def test_warm_run_gives_the_cold_answer_after_each_change(tmp_path: Path) -> None:
    """Each input changed in turn (then the date): the warm run, whose cache was made before
    the change, says exactly what a run without cache says, and the change did change it."""
    root = tmp_path / "lists"
    shutil.copytree(REPO / "lists", root)
    cache = tmp_path / "cache"
    before = _findings(root, cache, TODAY)
    for name, change in [*STEPS, ("date", None)]:
        today = dt.date(2027, 1, 5) if change is None else TODAY
        if change is not None:
            change(root)
        warm = _findings(root, cache, today)
        cold = _findings(root, None, today)
        assert warm == cold, name
        assert cold != before, f"{name}: the change should change the answer"
        before = cold


@pytest.fixture
def warm_set(tmp_path: Path) -> tuple[Path, dict[str, str], str]:
    """A copy of the sample with a cross-file finding, validated and resolved once: the cache
    files of both commands (for the set and its base) exist."""
    root = tmp_path / "lists"
    shutil.copytree(REPO / "lists", root)
    _base_two_levels_up(root)
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    cold = run_qingdan("validate", "lists", "-f", "json", cwd=tmp_path, env=env)
    assert '"rule.duplicate-name"' in cold.stdout
    assert run_qingdan("resolve", "-C", "lists", "-o", "out", cwd=tmp_path, env=env).code == 0
    return tmp_path, env, cold.stdout


def _damage(raw: dict[str, object], how: str) -> None:
    files = raw["files"]
    assert isinstance(files, dict)
    if how in ("entries-wrong-types", "kind-unknown"):
        files.pop(":crossfile", None)  # so that the cross-file rules read the entries again
    for entry in files.values():
        outcome = entry["outcome"]
        if how == "findings-not-a-list":
            outcome["findings"] = 7
        elif how == "finding-too-short":
            outcome["findings"] = [["rule.duplicate-name", "error"]]
        elif how == "entries-wrong-types":
            outcome["entries"] = [[1, None, "x"]] if "entries" in outcome else 3
        elif how == "kind-unknown":
            outcome["kind"] = ["duty"] if "kind" in outcome else {}
        elif how == "outcome-not-a-mapping":
            entry["outcome"] = "x"


@pytest.mark.parametrize(
    "how",
    [
        "findings-not-a-list",
        "finding-too-short",
        "entries-wrong-types",
        "kind-unknown",
        "outcome-not-a-mapping",
    ],
)
def test_cache_of_the_wrong_shape_is_discarded(
    warm_set: tuple[Path, dict[str, str], str], how: str
) -> None:
    """The fingerprint is right but the entries are not what qingdan writes: the answer is the
    cold one, and never a crash; the damaged file is replaced, so the next run is warm again."""
    cwd, env, cold = warm_set
    for cache_file in Path(env["QINGDAN_CACHE_DIR"]).glob("*.json"):
        raw = json.loads(cache_file.read_text("utf-8"))
        _damage(raw, how)
        cache_file.write_text(json.dumps(raw), "utf-8")
    run = run_qingdan("validate", "lists", "-f", "json", cwd=cwd, env=env)
    assert (run.code, run.stdout, run.stderr) == (1, cold, "")
    if how == "findings-not-a-list":
        resolved = run_qingdan("resolve", "-C", "lists", "-o", "out", cwd=cwd, env=env)
        assert (resolved.code, resolved.stderr) == (0, ""), resolved.stderr
        again = run_qingdan("validate", "lists", "-f", "json", cwd=cwd, env=env)
        assert (again.code, again.stdout, again.stderr) == (1, cold, "")


def test_deeply_nested_cache_is_discarded(warm_set: tuple[Path, dict[str, str], str]) -> None:
    cwd, env, cold = warm_set
    for cache_file in Path(env["QINGDAN_CACHE_DIR"]).glob("*.json"):
        cache_file.write_text("[" * 200_000 + "]" * 200_000, "utf-8")
    run = run_qingdan("validate", "lists", "-f", "json", cwd=cwd, env=env)
    assert (run.code, run.stdout, run.stderr) == (1, cold, "")


@pytest.mark.parametrize(
    "command",
    [("who", "区住建局", "--format", "json"), ("find", "住建", "--format", "json", "-n", "500")],
    ids=["who", "find"],
)
def test_an_edit_that_keeps_size_and_time_is_seen(tmp_path: Path, command: tuple[str, ...]) -> None:
    """A warm answer is keyed by each list file's size and modification time. A file system
    that keeps coarse times (FAT: two seconds) can give a second edit of the same size the same
    time: so an answer made while a file was just edited is not reused, and the edit right after
    it (here: same size, time set back) is seen, as a cold run sees it."""
    sample = tmp_path / "lists"
    shutil.copytree(REPO / "lists", sample, ignore=shutil.ignore_patterns(".*", "resolved"))
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    catalog = sample / "catalog" / "mulu" / "territorial.yaml"
    catalog.write_text(catalog.read_text("utf-8"), "utf-8")  # just edited: its time is now
    first = run_qingdan(*command, cwd=sample, env=env)
    assert first.code == 0, first.stderr
    before = catalog.stat()
    text = catalog.read_text("utf-8")
    catalog.write_text(text.replace("lead: 区住建局", "lead: 区应急局", 1), "utf-8")
    os.utime(catalog, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert catalog.stat().st_size == before.st_size
    warm = run_qingdan(*command, cwd=sample, env=env)
    cold = run_qingdan(*command, "--no-cache", cwd=sample, env=env)
    assert warm.code == cold.code == 0, warm.stderr
    assert json.loads(warm.stdout) == json.loads(cold.stdout)
    assert json.loads(warm.stdout) != json.loads(first.stdout)
