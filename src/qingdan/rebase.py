"""``qingdan rebase``: the base list set published a new edition; what does that mean here?

Derived lists are deltas, so most of a new base edition flows through by itself: inherited items
take the new text, and with ``take: all`` new base items are adopted. What needs a person is
shown: base changes to fields this set modified itself (conflicts, side by side), new base items
a ``take`` selection leaves out, and operations on base items that no longer exist. Applying
records the new edition in qingdan.yaml; the local value of a conflict stays until someone
removes that field from ``modify``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qingdan import atomic
from qingdan.derivation import Resolver
from qingdan.diff import ChangeType, Item, ItemChange, compare
from qingdan.errors import QingdanError
from qingdan.findings import Location
from qingdan.gitrepo import Repo
from qingdan.listset import CONFIG_NAME, ListSet, display_path
from qingdan.model import is_derived
from qingdan.present.values import render
from qingdan.present.vocabulary import vocabulary
from qingdan.schemas import builtin
from qingdan.source import read_regular
from qingdan.versions import from_folder, open_version
from qingdan.workspace import Workspace
from qingdan.yamldoc import YamlDocument, load_bytes, load_file


@dataclass(frozen=True, slots=True)
class Conflict:
    unit: str
    code: str
    name: str
    field: str
    title: str
    base_old: str
    base_new: str
    local: str
    location: Location


@dataclass(frozen=True, slots=True)
class Note:
    """A base change this set should know about, and what it means here."""

    unit: str
    code: str
    name: str
    what: str
    location: Location


@dataclass(eq=False)
class Rebase:
    old_edition: str
    new_edition: str
    conflicts: list[Conflict] = field(default_factory=list)
    flowing: list[Note] = field(default_factory=list)
    """Base changes that reach this set unchanged (inherited items, new items taken)."""
    attention: list[Note] = field(default_factory=list)
    """New items left out by a selection, operations on items the base no longer has."""
    applied: bool = False


def plan(workspace: Workspace, listset: ListSet, old: str | None) -> Rebase:
    """Compare the base's previous edition with its current one, and see what that does to this
    set's derived lists, at every level of their chains.

    ``old`` is a folder or a git revision of the base. By default it is the edition this set says
    it was derived from (``base.edition``): the newest commit of the base whose config has that
    edition, so a new base edition that is already committed is still compared with the one the
    set was written against. When the editions agree, HEAD is compared with the working tree.
    """
    base = workspace.base_set(listset)
    spec = listset.config.base
    if base is None or spec is None:
        raise QingdanError(
            "这个清单集没有上级清单集（qingdan.yaml 中没有 base，或它指向的文件夹不存在）。"
        )
    ours, theirs = spec.edition, base.config.edition
    before = open_version(old or _previous(base, ours, theirs), base.root)
    after = from_folder(base.root, "上级新版")
    diff = compare(before, after, vocabulary(base), workspace)
    if diff.problems:
        first = diff.problems[0]
        raise QingdanError(
            f"上级清单有 {len(diff.problems)} 处无法比对，例如 {first.location}：{first.message}"
            f"请先修正上级清单（qingdan validate {display_path(base.root)}）再运行 rebase。"
        )
    report = Rebase(ours, theirs)
    chains = _Chains(listset, base, workspace.resolver)
    for path in listset.list_files():
        doc = chains.overlay(path)
        top = chains.top(path) if doc is not None else None
        if doc is not None and top is not None:
            _Overlay(doc, top, diff.changes, report).review()
    report.attention.extend(chains.malformed)
    return report


def _previous(base: ListSet, ours: str, theirs: str) -> str:
    """The revision of the base that has edition ``ours`` (HEAD when it is still current)."""
    if ours == theirs:
        return "HEAD"
    try:
        repo = Repo.containing(base.root)
    except QingdanError:
        repo = None
    if repo is not None:
        config = os.path.relpath(base.root / CONFIG_NAME, repo.top).replace(os.sep, "/")
        for commit, blob in repo.versions_of(config):
            doc = load_bytes(repo.blobs([blob])[blob], f"{commit[:10]}:{config}")
            data = doc.data if doc.ok and isinstance(doc.data, dict) else {}
            if str(data.get("edition", "")) == ours:
                return commit
    raise QingdanError(
        f"在上级清单集 {display_path(base.root)} 的 git 历史中找不到本清单集依据的版次“{ours}”"
        f"（上级现在是“{theirs}”）。请用 --from 写明上一版：上一版所在的文件夹，或它在 git 中的版本。"
    )


@dataclass(frozen=True, slots=True)
class _Top:
    """Where a derived list's chain reaches the base set."""

    base_file: str
    """The base set's list at the top of the chain (relative to the base set)."""
    shadowed: frozenset[tuple[str, str]]
    """(code, field) that lists between this one and the base set modify: base changes to them
    stop there and never reach this list."""
    direct: bool
    """The list derives from the base set itself (not through another list of this set)."""


class _Chains:
    """The derived lists of this set and how each one's chain reaches the base set."""

    def __init__(self, listset: ListSet, base: ListSet, resolver: Resolver) -> None:
        self.listset, self.base, self.resolver = listset, base, resolver
        self.docs: dict[Path, YamlDocument | None] = {}
        self.tops: dict[Path, _Top | None] = {}
        self.malformed: list[Note] = []
        """Derived lists whose operations do not have the documented shape: not reviewed."""

    def overlay(self, path: Path) -> YamlDocument | None:
        if path not in self.docs:
            doc = load_file(path, display_path(path))
            ok = doc.ok and is_derived(doc.data) and self._well_formed(doc)
            self.docs[path] = doc if ok else None
        return self.docs[path]

    def _well_formed(self, doc: YamlDocument) -> bool:
        """Whether the derive section meets its schema; if not, a note says to fix it first."""
        error = next(builtin("derive").errors(doc.data), None)
        if error is None:
            return True
        where = doc.location(tuple(error.absolute_path))
        what = (
            "派生清单的 derive 写法有误，无法判断上级新版的影响：请先运行 qingdan validate 并修正"
        )
        self.malformed.append(Note(str(doc.data.get("unit")), "", "", what, where))
        return False

    def top(self, path: Path) -> _Top | None:
        if path not in self.tops:
            self.tops[path] = None  # a cycle ends here; validate reports it
            self.tops[path] = self._top(path)
        return self.tops[path]

    def _top(self, path: Path) -> _Top | None:
        doc = self.overlay(path)
        if doc is None:
            return None
        kind, unit = str(doc.data.get("kind")), str(doc.data["derive"].get("from"))
        found = self.resolver.base_of(kind, unit, self.listset)
        if found is None:
            return None
        where, base_path = found
        if where.root == self.base.root:
            return _Top(base_path.relative_to(self.base.root).as_posix(), frozenset(), True)
        parent = self.overlay(base_path) if where.root == self.listset.root else None
        above = self.top(base_path) if parent is not None else None
        if parent is None or above is None:
            return None
        modified = {
            (str(e.get("code")), str(name))
            for e in parent.data["derive"].get("modify") or ()
            if isinstance(e, dict) and isinstance(e.get("set"), dict)
            for name in e["set"]
        }
        return _Top(above.base_file, above.shadowed | modified, False)


class _Overlay:
    """One derived list against the base changes of its own base list."""

    def __init__(
        self, doc: YamlDocument, top: _Top, changes: list[ItemChange], out: Rebase
    ) -> None:
        self.doc, self.out, self.top = doc, out, top
        self.spec: dict[str, Any] = doc.data["derive"]
        self.unit = str(doc.data.get("unit"))
        kind = str(doc.data.get("kind"))
        self.changes = [c for c in changes if c.item.kind == kind and _from(c, top.base_file)]

    def review(self) -> None:
        """Direct lists hear of every base change; lists further down the chain only of what
        reaches them and needs a person (their own overrides, their operations gone stale)."""
        modify = {e["code"]: (i, e) for i, e in enumerate(self.spec.get("modify") or ())}
        taken = self.spec.get("take", "all")
        referenced = self._referenced()
        for change in self.changes:
            item = change.item
            if change.type is ChangeType.ADDED:
                if self.top.direct:
                    self._added(item, taken)
            elif change.new is None or (change.old and change.old.code != change.new.code):
                self._gone(change, referenced)
            elif item.code in modify:
                self._modified(change, *modify[item.code])
            elif self.top.direct:
                self.out.flowing.append(
                    self._note(item, f"上级调整了{_titles(change)}，本级直接继承", ())
                )

    def _referenced(self) -> dict[str, tuple[str, tuple[Any, ...]]]:
        found: dict[str, tuple[str, tuple[Any, ...]]] = {}
        for op, title in (("modify", "修改"), ("omit", "不采用")):
            for index, entry in enumerate(self.spec.get(op) or ()):
                found[entry["code"]] = (title, ("derive", op, index, "code"))
        take = self.spec.get("take")
        if isinstance(take, list):
            for index, code in enumerate(take):
                found.setdefault(code, ("采用", ("derive", "take", index)))
        return found

    def _added(self, item: Item, taken: Any) -> None:
        if taken == "all":
            what = "上级新增的事项，已随 take: all 采用；本级不采用的，请写入 omit 并说明理由"
            self.out.flowing.append(self._note(item, what, ()))
        else:
            what = "上级新增的事项，不在 take 中，本级没有采用；需要采用的，请加入 take"
            self.out.attention.append(self._note(item, what, ("derive", "take")))

    def _gone(self, change: ItemChange, referenced: dict[str, tuple[str, tuple[Any, ...]]]) -> None:
        assert change.old is not None
        code = change.old.code
        if code not in referenced:
            return
        op, where = referenced[code]
        now = f"改用编码 {change.new.code}" if change.new else "取消了这个事项"
        what = f"上级{now}，本级对它的“{op}”已无对象：请删除或改写这一项"
        self.out.attention.append(self._note(change.old, what, where))

    def _modified(self, change: ItemChange, index: int, entry: dict[str, Any]) -> None:
        local = entry["set"]
        code = change.item.code
        changed = {f.field: f for f in change.fields if (code, f.field) not in self.top.shadowed}
        recorded = entry.get("base")
        settled: dict[str, Any] = recorded if isinstance(recorded, dict) else {}
        for name in sorted(set(changed) & set(local), key=list(local).index):
            fc = changed[name]
            if name in settled and _show(settled[name]) == fc.new:
                continue  # the override was confirmed against the new base value
            where = self.doc.location(("derive", "modify", index, "set", name))
            self.out.conflicts.append(
                Conflict(
                    self.unit,
                    change.item.code,
                    change.item.name,
                    name,
                    fc.title,
                    fc.old,
                    fc.new,
                    _show(local[name]),
                    where,
                )
            )
        others = [f.title for f in changed.values() if f.field not in local]
        if others and self.top.direct:
            what = f"上级调整了{'、'.join(others)}，本级直接继承（本级修改的字段不受影响）"
            self.out.flowing.append(self._note(change.item, what, ("derive", "modify", index)))

    def _note(self, item: Item, what: str, where: tuple[Any, ...]) -> Note:
        return Note(
            self.unit, item.code, item.name, what, self.doc.location(where or ("derive", "from"))
        )


def _from(change: ItemChange, base_file: str) -> bool:
    """Whether the change is in the base list this overlay derives from."""
    return any(i is not None and i.path == base_file for i in (change.old, change.new))


def _titles(change: ItemChange) -> str:
    return "、".join(f.title for f in change.fields) or "内容"


def _show(value: Any) -> str:
    return render(value, lambda path: path[-1])


_EDITION = re.compile(
    r"^(base:\s*\n(?:[ \t]+.*\n)*?[ \t]+edition:[ \t]*)(\"[^\"]*\"|'[^']*'|[^#\n]*?)([ \t]*(?:#.*)?)$",
    re.M,
)


def apply(listset: ListSet, report: Rebase) -> None:
    """Record the new base edition in qingdan.yaml, changing nothing else in the file."""
    path = listset.root / CONFIG_NAME
    text = read_regular(path).decode("utf-8-sig")
    new, count = _EDITION.subn(
        lambda m: f'{m.group(1)}"{report.new_edition}"{m.group(3)}', text, count=1
    )
    if count != 1:
        raise QingdanError(
            f"无法在 {display_path(path)} 中找到 base 下的 edition，请手工把它改为“{report.new_edition}”。"
        )
    atomic.write_bytes(path, new.encode("utf-8"))
    report.applied = True
