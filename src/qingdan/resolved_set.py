"""``qingdan resolve``: a derived list set written out as an ordinary one, with provenance.

The output is a complete list set (config, registry, category trees, change records, lists) that
validates, diffs and exports like a hand-written one. Derived lists carry a ``provenance`` section:
per item inherited / modified (field, base value, local value) / added, and the omitted base
items with their reasons. Writing is deterministic, and files whose bytes would not change are
not touched, so resolving twice changes nothing.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qingdan import atomic, outputs
from qingdan.boundary import inside
from qingdan.cache import Cache, FileHashes, content_hash
from qingdan.errors import QingdanError
from qingdan.findings import Finding, Severity
from qingdan.kinds import Roles
from qingdan.listset import CONFIG_NAME, ListSet, display_path
from qingdan.model import Resolved, is_derived
from qingdan.source import read_regular
from qingdan.validation import set_fingerprint
from qingdan.versions import DERIVED
from qingdan.workspace import Workspace
from qingdan.yamldoc import load_file
from qingdan.yamlwrite import dump

HEADER = "# 由 qingdan resolve 根据 {source} 生成，请勿手工修改；要修改请编辑原文件后重新运行。\n"


@dataclass(eq=False)
class ResolveResult:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def output_dir(listset: ListSet) -> Path:
    return listset.root / listset.config.resolved


def resolve_set(
    workspace: Workspace, listset: ListSet, out: Path, cache_dir: Path | None = None
) -> ResolveResult:
    """Write the resolved list set into ``out``; refuses (QingdanError) when a list has errors
    in its derivation, so a half-resolved set is never written.

    With a cache, a derived list whose text, chain and written output are all as they were the
    last time is not resolved again: an unchanged rerun costs about a warm validate."""
    result = ResolveResult()
    fingerprint = set_fingerprint(workspace, listset) + out.resolve().as_posix()
    reuse = _Reuse(Cache.open(cache_dir, listset.root, fingerprint, purpose="resolve"))
    files = _planned(workspace, listset, out, result, reuse)
    if any(f.severity is Severity.ERROR for f in result.findings):
        return result
    for target in files:
        _confined(out, target)
    todo = {}
    for target, data in files.items():
        if data is None or (target.is_file() and target.read_bytes() == data):
            result.unchanged += 1
        else:
            todo[target] = data
    lists = out / listset.config.lists
    stale = (
        [
            p
            for p in sorted(lists.rglob("*.yaml"))
            if p not in files and not p.is_symlink() and inside(p.parent, out)
        ]
        if lists.is_dir()
        else []
    )
    if todo or stale or _unclean(out):
        atomic.write_folder(out, todo, frozenset(stale))
    result.written, result.removed = list(todo), stale
    reuse.cache.save()
    return result


def _unclean(out: Path) -> bool:
    """Whether a killed earlier write left anything to clean up in or beside the output."""
    beside = out.parent.glob(f".{glob.escape(out.name)}.*") if out.parent.is_dir() else ()
    return any(beside) or (out.is_dir() and bool(atomic.leftovers(out)))


@dataclass(eq=False)
class _Reuse:
    """Which derived lists need resolving again, from the digests of the last run."""

    cache: Cache
    hashes: FileHashes = field(default_factory=FileHashes)

    def kept(self, key: str, digest: str, target: Path) -> list[Finding] | None:
        """The findings of the last resolution when its output can stay as it is, else None."""
        hit = self.cache.use(key, digest, _kept_entry)
        if hit is None or not self.hashes.fresh(hit[0]) or not target.is_file():
            return None
        if content_hash(target.read_bytes()) != hit[1]:
            return None  # someone changed or removed the output
        return hit[2]

    def remember(self, key: str, digest: str, resolved: Resolved, data: bytes) -> None:
        deps = self.hashes.state([str(p) for p in resolved.sources])
        findings = [f.to_tuple() for f in resolved.findings]
        self.cache.put(key, digest, {"deps": deps, "out": content_hash(data), "findings": findings})


def _kept_entry(raw: dict[str, Any]) -> tuple[Any, str, list[Finding]]:
    """(chain state, output hash, findings) of a cached resolution; raises on any other shape."""
    out = raw["out"]
    if not isinstance(out, str):
        raise TypeError(out)
    return raw["deps"], out, [Finding.from_tuple(t) for t in raw["findings"]]


def _planned(
    workspace: Workspace, listset: ListSet, out: Path, result: ResolveResult, reuse: _Reuse
) -> dict[Path, bytes | None]:
    """Every file of the output and its bytes (None: the file there is already right)."""
    root = listset.root
    _check_output(listset, workspace.bases(listset), out)
    files: dict[Path, bytes | None] = {out / CONFIG_NAME: _config(listset)}
    for support in listset.inputs[1:]:
        if os.path.lexists(support):  # a FIFO or a link out is refused by _read, not skipped
            files[out / support.relative_to(root)] = _read(support)
    records = root / listset.config.changes
    if records.is_dir():
        for path in sorted(records.rglob("*.y*ml")):
            files[out / path.relative_to(root)] = _read(path)
    for path in listset.list_files():
        target = out / path.relative_to(root)
        raw = _read(path)
        key, digest = path.relative_to(root).as_posix(), content_hash(raw)
        if DERIVED not in b"\n" + raw:  # not derived: copied as it is
            files[target] = raw
            continue
        kept = reuse.kept(key, digest, target)
        if kept is not None:
            result.findings.extend(kept)
            files[target] = None
            continue
        doc = load_file(path, display_path(path))
        if not (doc.ok and is_derived(doc.data)):
            files[target] = raw
            continue
        resolved = workspace.resolve(doc, path, listset)
        result.findings.extend(resolved.findings)
        data = (
            HEADER.format(source=key) + dump(provenanced(resolved, _roles(listset, resolved.kind)))
        ).encode("utf-8")
        files[target] = data
        reuse.remember(key, digest, resolved, data)
    return files


def _roles(listset: ListSet, kind: str) -> Roles:
    found = listset.kinds.get(kind)
    return found.roles if found else Roles()


def _check_output(listset: ListSet, bases: list[ListSet], out: Path) -> None:
    """Besides the checks of every output: resolve replaces only what it wrote itself, so a
    folder that holds anything else (a list set not written by ``resolve``, a copy being
    edited, any files at all) is never written over, nor are its files deleted as stale."""
    outputs.check_folder(out, listset, what="展开结果的文件夹", bases=bases)
    config = out / CONFIG_NAME
    if os.path.lexists(config):
        if not _marked(config):
            raise QingdanError(
                f"文件夹 {display_path(out)} 中已有一个清单集（{display_path(config)} 不是由"
                " qingdan resolve 生成的），展开结果会覆盖它。请换一个文件夹。"
            )
    elif out.is_dir() and any(out.iterdir()):
        raise QingdanError(
            f"文件夹 {display_path(out)} 不是空的，也不是 qingdan resolve 写出的（其中没有它生成的"
            f" {CONFIG_NAME}）：展开结果会覆盖或删除其中的文件。请换一个空文件夹或新文件夹。"
        )


def _read(path: Path) -> bytes:
    try:
        return read_regular(path)
    except OSError as exc:
        raise QingdanError(f"无法读取 {display_path(path)}：{exc.strerror or exc}。") from exc


_MARK = HEADER.partition("{")[0].encode()
"""How a config written by ``resolve`` begins: the mark of a folder it may replace."""


def _marked(config: Path) -> bool:
    try:
        return not config.is_symlink() and read_regular(config).startswith(_MARK)
    except OSError:
        return False


def _confined(out: Path, target: Path) -> None:
    """A file of the output is inside the output, even after the links in its path (a link
    committed as ``resolved/townships`` must not lead the output into the set's sources)."""
    if target.is_symlink() or not inside(target.parent, out):
        raise QingdanError(
            f"无法写出 {display_path(target)}：它所在的路径中有指向展开结果文件夹之外的链接。"
            f"请删除文件夹 {display_path(out)} 后重新运行。"
        )


def _config(listset: ListSet) -> bytes:
    config = {k: v for k, v in listset.config.raw.items() if k not in ("base", "resolved")}
    source = display_path(listset.root / CONFIG_NAME)
    return (HEADER.format(source=source) + dump(config)).encode("utf-8")


def provenanced(resolved: Resolved, roles: Roles) -> dict[str, Any]:
    """The list as an ordinary list file, with where each item came from."""
    items: dict[str, Any] = {}
    for item, origin in zip(resolved.items, resolved.origins, strict=True):
        code = str(item.get(roles.code))
        if origin.source == "继承":
            items[code] = "继承"
        elif origin.source == "新增":
            items[code] = {"source": "新增", "reason": origin.reason}
        else:
            fields = {k: {"base": b, "local": v} for k, (b, v) in origin.fields.items()}
            items[code] = {"source": "修改", "reason": origin.reason, "fields": fields}
    provenance: dict[str, Any] = {"base": resolved.base, "items": items}
    if resolved.omitted:
        provenance["omitted"] = [
            {"code": o.code, "name": o.name, "reason": o.reason} for o in resolved.omitted
        ]
    return {
        "kind": resolved.kind,
        "unit": resolved.unit,
        "provenance": provenance,
        "items": resolved.items,
    }
