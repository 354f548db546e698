"""``validate``: from paths to a ``ValidationResult``.

Per-file work (parse, schema, rules) runs in worker processes on both cores when there is enough
of it, with the garbage collector paused (loading allocates millions of objects and no cycles);
results are cached by content hash; the cross-file rules then run over the per-file summaries.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from qingdan.cache import Cache, FileHashes, content_hash
from qingdan.checks import crossfile
from qingdan.checks.listfile import FileOutcome, Resolve, check_file
from qingdan.errors import QingdanError
from qingdan.fastyaml import fast_parse
from qingdan.findings import Finding, Location, ValidationResult
from qingdan.listset import CONFIG_NAME, ListSet, display_path, find_root
from qingdan.messages import finding
from qingdan.model import ResolvedDocument, is_derived
from qingdan.records import check_records
from qingdan.source import read_raw, vet_bytes
from qingdan.versions import from_folder
from qingdan.workspace import Workspace
from qingdan.yamldoc import YamlDocument, load_file, parse

PARALLEL_MIN_BYTES = 2 * 1024 * 1024
"""Below this, starting worker processes costs more than it saves."""
_CROSSFILE = ":crossfile"
"""Cache key of the cross-file findings (no list file can have this relative path)."""


@dataclass(frozen=True, slots=True)
class Options:
    cache_dir: Path | None = None
    jobs: int | None = None
    today: dt.date | None = None


def validate(
    workspace: Workspace, paths: Sequence[Path], options: Options = Options()
) -> ValidationResult:
    """Validate files, folders or whole list sets; raises QingdanError only if it cannot run.

    The base list sets the lists stand on are validated too, so that a mistake in the catalog is
    reported once, at the catalog's own line, rather than only as a broken base on every list
    derived from it. A base is checked whole when its derived set is; when only part of the set
    was asked for, the base's problems are summarized with the command that shows them.
    """
    result = ValidationResult()
    groups = _group_by_root(paths)
    done: set[Path] = set()
    pending: list[tuple[ListSet, ListSet, bool]] = []
    for root, targets in groups.items():
        listset = _validate_root(workspace, workspace.open(root), targets, options, result)
        done.add(root)
        pending.extend((listset, base, root in targets) for base in _bases(workspace, listset))
    while pending:
        derived, base, whole = pending.pop(0)
        if base.root in done:
            continue
        done.add(base.root)
        if whole:
            _validate_root(workspace, base, [base.root], options, result)
            pending.extend((base, b, True) for b in _bases(workspace, base))
        else:
            result.findings.extend(_base_summary(workspace, derived, base, options))
    # a problem in a base list reaches every list derived from it: say it once
    result.findings = list(dict.fromkeys(result.findings))
    result.sort()
    return result


def _bases(workspace: Workspace, listset: ListSet) -> list[ListSet]:
    """The list set named as ``base`` in the config."""
    base = workspace.base_set(listset)
    return [base] if base is not None else []


def _base_summary(
    workspace: Workspace, derived: ListSet, base: ListSet, options: Options
) -> list[Finding]:
    """One finding at the derived set's ``base:`` that says the base has problems, and how to
    see them."""
    found = validate(workspace, [base.root], options)
    if not found.errors:
        return []
    config = load_file(derived.root / CONFIG_NAME, display_path(derived.root / CONFIG_NAME))
    return [
        finding(
            "derive.base-findings",
            config.location(("base", "path")),
            path="/base/path",
            errors=found.errors,
            warnings=found.warnings,
            folder=display_path(base.root),
        )
    ]


def _group_by_root(paths: Sequence[Path]) -> dict[Path, list[Path]]:
    groups: dict[Path, list[Path]] = {}
    for path in paths:
        if not path.exists():
            raise QingdanError(
                f"路径不存在：{display_path(path)}。请检查拼写，或先进入清单集所在的文件夹。"
            )
        root = find_root(path.resolve())
        groups.setdefault(root, []).append(path.resolve())
    return groups


def _validate_root(
    workspace: Workspace,
    listset: ListSet,
    targets: list[Path],
    options: Options,
    result: ValidationResult,
) -> ListSet:
    root = listset.root
    result.findings.extend(listset.findings)
    inputs = [p for p in listset.inputs if p.is_file()]
    result.files += len(inputs)
    result.sources.extend(display_path(p) for p in inputs)
    if not listset.usable:
        return listset
    result.findings.extend(workspace.base_findings(listset))
    files = _list_files(listset, targets)
    today = options.today or dt.date.today()
    fingerprint = set_fingerprint(workspace, listset) + today.isoformat()
    cache = Cache.open(options.cache_dir, root, fingerprint)
    with _gc_paused():
        outcomes, digests = _outcomes(
            workspace, files, listset, cache, today=today, jobs=options.jobs
        )
        result.files += len(files)
        result.sources.extend(display_path(p) for p in files)
        for outcome in outcomes:
            result.items += outcome.items
            result.findings.extend(outcome.findings)
        result.findings.extend(
            _crossfile(workspace, listset, files, outcomes, digests, cache=cache)
        )
    if _wants_records(listset, targets):
        count, found = check_records(listset, from_folder(root, root.name, lists=False))
        result.files += count
        result.findings.extend(found)
    cache.save()
    return listset


def list_outcomes(
    workspace: Workspace, listset: ListSet, options: Options = Options()
) -> list[FileOutcome]:
    """The per-file outcomes of every list of a usable set, through the same cache as
    ``validate``: what ``stats`` counts, at the cost of a warm validate when nothing changed."""
    today = options.today or dt.date.today()
    fingerprint = set_fingerprint(workspace, listset) + today.isoformat()
    cache = Cache.open(options.cache_dir, listset.root, fingerprint)
    with _gc_paused():
        files = listset.list_files()
        outcomes, _ = _outcomes(workspace, files, listset, cache, today=today, jobs=options.jobs)
    cache.save()
    return outcomes


def _wants_records(listset: ListSet, targets: list[Path]) -> bool:
    folder = (listset.root / listset.config.changes).resolve()
    return any(t in (listset.root, folder) or folder in t.parents for t in targets)


def _crossfile(
    workspace: Workspace,
    listset: ListSet,
    files: list[Path],
    outcomes: list[FileOutcome],
    digests: list[str],
    *,
    cache: Cache,
) -> list[Finding]:
    """Cross-file findings; reused as a whole when no file (and no working folder) changed."""
    key = None
    if cache.enabled and all(digests):
        parts = [
            os.getcwd(),
            *(f"{_key(listset, p)}={d}" for p, d in zip(files, digests, strict=True)),
        ]
        key = content_hash("\n".join(parts).encode("utf-8", "surrogateescape"))
        hit = cache.use(
            _CROSSFILE, key, lambda raw: [Finding.from_tuple(t) for t in raw["findings"]]
        )
        if hit is not None:
            return hit
    locate = _Locator(workspace, listset, {display_path(p): p for p in files})
    found = crossfile.check(outcomes, _unit_label(listset), listset.kinds, locate)
    if key is not None:
        cache.put(_CROSSFILE, key, {"findings": [f.to_tuple() for f in found]})
    return found


def _list_files(listset: ListSet, targets: list[Path]) -> list[Path]:
    support = {p.resolve() for p in listset.inputs}
    records = (listset.root / listset.config.changes).resolve()
    files: dict[Path, None] = {}
    for target in targets:
        if target == records or records in target.parents:
            continue
        if target.is_dir():
            under = None if target == listset.root else target
            files.update(dict.fromkeys(listset.list_files(under)))
        elif target not in support:
            files[target] = None
    return list(files)


def _unit_label(listset: ListSet) -> Any:
    def label(unit: str) -> str:
        dept = listset.departments.get(unit) if listset.departments else None
        return dept.label if dept else unit

    return label


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _combined(digest: str, state: list[list[str]] | None) -> str:
    """A file's digest for the cross-file cache: its text, and for a derived list its chain's."""
    if not digest or not state:
        return digest
    return content_hash("\n".join([digest, *(f"{p}={h}" for p, h in state)]).encode())


def _outcomes(
    workspace: Workspace,
    files: list[Path],
    listset: ListSet,
    cache: Cache,
    *,
    today: dt.date,
    jobs: int | None,
) -> tuple[list[FileOutcome], list[str]]:
    """Per-file outcomes and content hashes in input order, from the cache where they match.

    A derived list's cached outcome is used only when every file up its chain still has the
    hash it had when the outcome was made, so an edit to the catalog reaches every township.
    """
    done: dict[Path, tuple[FileOutcome, str]] = {}
    todo: list[Path] = []
    hashes = FileHashes()
    for path in files:
        display = display_path(path)
        if cache.entries:
            raw = read_raw(path, display)
            if not isinstance(raw, Finding):
                digest = content_hash(raw)
                hit = cache.use(_key(listset, path), digest, _reader(display, listset))
                if hit is not None:
                    outcome, state = hit
                    if not outcome.derived or hashes.fresh(state):
                        done[path] = (outcome, _combined(digest, state))
                        continue
        todo.append(path)
    for path, digest, outcome in _run(workspace, todo, listset, today, jobs):
        state = hashes.state(outcome.deps) if outcome.derived else None
        done[path] = (outcome, _combined(digest, state))
        if digest:
            entry = {**outcome.to_cache(), "dep_hashes": state}
            entry["findings"] = [_portable(t, outcome.display) for t in entry["findings"]]
            cache.put(_key(listset, path), digest, entry)
    return [done[p][0] for p in files], [done[p][1] for p in files]


def _reader(
    display: str, listset: ListSet
) -> Callable[[dict[str, Any]], tuple[FileOutcome, list[list[str]] | None]]:
    """Reads a cached outcome back, and for a derived list the chain state it was made with;
    raises (so the cache is discarded) on anything this set could not have written."""

    def read(raw: dict[str, Any]) -> tuple[FileOutcome, list[list[str]] | None]:
        outcome = FileOutcome.from_cache(display, raw)
        if outcome.kind is not None and outcome.kind not in listset.kinds:
            raise KeyError(outcome.kind)
        state = raw.get("dep_hashes") if outcome.derived else None
        return _relocated(outcome, raw, display), state

    return read


def _key(listset: ListSet, path: Path) -> str:
    try:
        return path.relative_to(listset.root).as_posix()
    except ValueError:
        return path.as_posix()


def _relocated(outcome: FileOutcome, cached: dict[str, Any], display: str) -> FileOutcome:
    """Cached findings name the file as it was shown then; show it as it is shown now.

    Findings of a derived list may point into its base files: those keep their own names."""
    then = cached.get("display")
    outcome.findings = [
        replace(f, location=replace(f.location, file=display))
        if then is None or f.location.file == then
        else replace(f, location=replace(f.location, file=display_path(Path(f.location.file))))
        for f in outcome.findings
    ]
    return outcome


def _portable(found: tuple[object, ...], display: str) -> tuple[object, ...]:
    """A cached finding in another file (a base list) names it by absolute path, so that it is
    shown right from whatever folder the next run starts in."""
    file = str(found[3])
    if file == display:
        return found
    return (*found[:3], Path(file).resolve().as_posix(), *found[4:])


def set_fingerprint(workspace: Workspace, listset: ListSet) -> str:
    """What every cached outcome of the set depends on: its support files, and those of each
    base set up the chain; for a derived set also which file holds the list of each unit in
    every one of these sets (a new file or a changed ``unit`` can move a list's base)."""
    parts = [listset.fingerprint()]
    if listset.usable and listset.config.base is not None:
        parts += workspace.where_lists_are(listset)
    for base in workspace.bases(listset):
        parts += [base.fingerprint(), *workspace.where_lists_are(base)]
    return content_hash("\n".join(parts).encode("utf-8", "surrogateescape"))


# --- running the per-file checks ------------------------------------------------------------

_STATE: tuple[Workspace, ListSet, dt.date] | None = None
"""What a worker process checks files against: the command's workspace, copied when forked."""


def _init_worker(root: Path, today: dt.date) -> None:
    global _STATE
    gc.disable()
    if _STATE is None or _STATE[1].root != root:  # spawned, not forked: load it again
        workspace = Workspace()
        _STATE = (workspace, workspace.open(root), today)


def _check_one(path: Path) -> tuple[Path, str, FileOutcome]:
    assert _STATE is not None
    workspace, listset, today = _STATE
    display = display_path(path)
    raw = read_raw(path, display)
    if isinstance(raw, Finding):
        return path, "", FileOutcome(display, [raw])
    return path, content_hash(raw), check_file_bytes(raw, display, workspace, listset, today)


def check_file_bytes(
    raw: bytes, display: str, workspace: Workspace, listset: ListSet, today: dt.date
) -> FileOutcome:
    """Try the fast parser; any finding at all is redone on the located (slow) path."""
    source = vet_bytes(raw, display)
    if isinstance(source, Finding):
        return FileOutcome(display, [source])
    resolve = resolver(workspace, listset)
    fast = fast_parse(source)
    if fast is not None:
        outcome = check_file(fast, listset, today, resolve)
        if not outcome.findings:
            return outcome
    return check_file(parse(source), listset, today, resolve)


def resolver(workspace: Workspace, listset: ListSet) -> Resolve:
    """How the checks resolve a derived list of ``listset``: through the workspace."""
    return lambda doc: workspace.resolve(doc, Path(doc.display), listset)


class _Locator:
    """Finds item fields for cross-file findings, parsing each file at most once."""

    def __init__(self, workspace: Workspace, listset: ListSet, paths: dict[str, Path]) -> None:
        self.workspace = workspace
        self.listset = listset
        self.paths = paths
        self.docs: dict[str, YamlDocument] = {}

    def __call__(self, outcome: FileOutcome, index: int, key: str) -> Location:
        doc = self.docs.get(outcome.display)
        if doc is None:
            doc = load_file(self.paths[outcome.display], outcome.display)
            if doc.ok and is_derived(doc.data):
                path = self.paths[outcome.display]
                resolved = self.workspace.resolve(doc, path, self.listset)
                doc = ResolvedDocument(doc.display, resolved, doc)
            self.docs[outcome.display] = doc
        return doc.location(("items", index, key))


def _run(
    workspace: Workspace, files: list[Path], listset: ListSet, today: dt.date, jobs: int | None
) -> Iterator[tuple[Path, str, FileOutcome]]:
    global _STATE
    _STATE = (workspace, listset, today)
    workers = jobs or os.cpu_count() or 1
    size = sum(_size(p) for p in files)
    if workers <= 1 or len(files) < 2 or size < PARALLEL_MIN_BYTES:
        yield from map(_check_one, files)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    largest_first = sorted(files, key=_size, reverse=True)
    with ProcessPoolExecutor(
        max_workers=min(workers, len(files)),
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
        initargs=(listset.root, today),
    ) as pool:
        try:
            yield from pool.map(_check_one, largest_first)
        except BrokenProcessPool as error:
            raise QingdanError(
                "校验用的一个工作进程意外退出（可能是内存不足，或被系统或他人结束）。"
                "请重新运行；若仍然出现，请用 --jobs 1 在一个进程中校验。"
            ) from error


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
