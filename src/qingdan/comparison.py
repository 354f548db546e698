"""From what the user named to a diff with its approvals; and the ``check`` gate built on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qingdan.admissions import exits_unrecorded
from qingdan.diff import ChangeType, Diff, ItemChange, compare
from qingdan.errors import QingdanError
from qingdan.findings import Location, ValidationResult
from qingdan.gitrepo import Repo
from qingdan.listset import ListSet, display_path
from qingdan.present.vocabulary import Vocabulary, vocabulary
from qingdan.records import ACCEPTS, Audit, Coverage, audit, cover, read_entries
from qingdan.versions import STAGED, WORKING, Version, from_folder, from_git, open_version
from qingdan.workspace import Workspace


@dataclass(eq=False)
class Comparison:
    diff: Diff
    coverage: Coverage
    words: Vocabulary
    listset: ListSet | None


def compare_specs(
    workspace: Workspace, old: str | None, new: str | None, root: Path | None
) -> Comparison:
    """``qingdan diff [OLD] [NEW]``: nothing named compares HEAD with the working tree."""
    before = open_version(old or "HEAD", root)
    after = open_version(new, root)
    if before.single != after.single:
        raise QingdanError("比对的两边必须同为清单集（文件夹或 git 版本），或同为单个清单文件。")
    listset = _listset(workspace, after, root)
    words = vocabulary(listset)
    result = compare(before, after, words, workspace)
    entries, _ = read_entries(after)
    return Comparison(result, cover(result, entries), words, listset)


def _listset(workspace: Workspace, version: Version, root: Path | None) -> ListSet | None:
    for folder in (version.root, root):
        if folder is not None and (folder / "qingdan.yaml").is_file():
            return workspace.open(folder)
    return None


# --- check -----------------------------------------------------------------------------------


UNBORN = "仓库中还没有任何提交，没有可比对的基准版本，本次只做了校验"


@dataclass(eq=False)
class CheckResult:
    validation: ValidationResult
    comparison: Comparison
    note: str | None = None
    """Why the audit of changes was not done, when it was not."""


def check(
    workspace: Workspace,
    root: Path,
    base: str,
    validation: ValidationResult,
    *,
    staged: bool = False,
) -> CheckResult:
    """Diff the working list set against ``base`` and audit it against the change records that
    are new since ``base``; findings join the validation result."""
    listset = workspace.open(root)
    words = vocabulary(listset)
    repo = Repo.containing(root)
    if repo.commit(base) is None:
        if repo.unborn():  # the very first commit
            empty = Comparison(Diff(base, WORKING), Coverage(), words, listset)
            return CheckResult(validation, empty, note=UNBORN)
        raise QingdanError(
            f"无法读取基准版本“{base}”：它不是这个仓库中的提交，或者仓库不完整（git 对象缺失，"
            "如浅克隆）。检查没有进行，不能算作通过。请确认 --base 写对了；在 CI 中检出代码时请取得"
            "完整历史（如 actions/checkout 的 fetch-depth: 0）。"
        )
    before = from_git(root, base)
    after = from_git(root, STAGED) if staged else from_folder(root, WORKING)
    result = compare(before, after, words, workspace)
    validation.findings.extend(p for p in result.problems if p.location.file.startswith(base + ":"))
    old_entries, _ = read_entries(before)
    new_entries, _ = read_entries(after, listset.departments)
    known = {e.key for e in old_entries}
    pending = [e for e in new_entries if e.key not in known]
    records_dir = display_path(root / listset.config.changes) + "/"
    context = Audit(base, records_dir, words.unit_label, words.kind_title, _where(root))
    coverage = audit(result, pending, context)
    validation.findings.extend(coverage.findings)
    removals = {c for e in pending if e.type in ACCEPTS[ChangeType.REMOVED] for c in e.codes}
    lists = workspace.lists(listset)
    exits = exits_unrecorded(lists, listset.admissions, dt.date.today(), removals.__contains__)
    validation.findings.extend(exits)
    validation.sort()
    return CheckResult(validation, Comparison(result, coverage, words, listset))


def _where(root: Path) -> Callable[[ItemChange], Location]:
    """Where a change is annotated: the item now, or for a removal the file it left (as a path
    in the working tree, which is where an editor or a pull request can show it)."""

    def where(change: ItemChange) -> Location:
        if change.new is not None:
            return change.new.location
        assert change.old is not None
        return Location(display_path(root / change.old.path))

    return where
