"""One version of a list set: a folder, a single file, or a git revision, as files and their bytes.

``open_version`` decides what a command-line argument names the way git does: an existing path
first, then a revision of the repository the list set is in.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from qingdan.boundary import config_path_problem, real
from qingdan.config import Config
from qingdan.errors import QingdanError
from qingdan.gitrepo import Repo, blob_id
from qingdan.listset import CONFIG_NAME, LIST_SUFFIXES, display_path
from qingdan.source import TooLarge, read_regular, unix_newlines
from qingdan.yamldoc import load_bytes

WORKING = "工作区"
DERIVED = b"\nderive:"
"""How a derived list file shows itself (a ``derive:`` key at the start of a line)."""


@dataclass(eq=False)
class Version:
    """Files of one version, keyed by their path relative to the list set root."""

    label: str
    lists: dict[str, str]
    """List files: path → content id (git blob id), so equal files are known without reading."""
    records: dict[str, str] = field(default_factory=dict)
    """Change record files (调整记录), likewise."""
    shown: dict[str, str] = field(default_factory=dict)
    """How each file is named in messages."""
    root: Path | None = None
    """The list set folder on disk, for versions that are on disk."""
    _data: dict[str, bytes] = field(default_factory=dict)
    _repo: Repo | None = None
    _commit: str = ""
    _prefix: str = ""
    _checkout: Path | None = None
    _files: dict[str, Path] = field(default_factory=dict)
    single: bool = False
    """One list file rather than a list set."""
    derives: bool = False
    """The list set names a base list set, so its lists are likely derived."""
    bases: dict[str, str] = field(default_factory=dict)
    """Content ids of the files of the base list sets up the chain (path → id): when they are
    the same in two versions, a derived list changes only when a list of this set it stands on
    does."""

    def derived_files(self) -> set[str]:
        """List files that are derived (``derive:``), found without reading the others twice."""
        if self._repo is None:
            return {
                p
                for p, data in self._data.items()
                if p in self.lists and (data.startswith(DERIVED[1:]) or DERIVED in data)
            }
        return {
            p for p in self._repo.grep(self._commit, "^derive:", self._prefix) if p in self.lists
        }

    def on_disk(self, path: str) -> Path | None:
        """A file of this version as a file on disk, with its list set around it: the file
        itself, or for a git version an export to a temporary folder (made once, and only when
        something needs files, such as resolving a derived list)."""
        if self._repo is None:
            return self._files.get(path) or (self.root / path if self.root else None)
        if self._checkout is None:
            scratch = Path(tempfile.mkdtemp(prefix="qingdan-"))
            weakref.finalize(self, shutil.rmtree, scratch, ignore_errors=True)
            self._repo.extract(self._commit, scratch)
            self._checkout = scratch / self._prefix
        return self._checkout / path

    def read(self, paths: Iterable[str]) -> dict[str, bytes]:
        """Contents of files (git blobs are fetched together, in one pass)."""
        paths = list(paths)
        if self._repo is not None:
            ids = {p: self.lists.get(p) or self.records[p] for p in paths}
            blobs = self._repo.blobs(ids.values())
            return {p: unix_newlines(blobs[i]) for p, i in ids.items()}
        return {p: self._data[p] for p in paths}

    def read_bases(self) -> dict[str, bytes]:
        """The base sets' list files (what the base finder reads), in one pass."""
        paths = [p for p in self.bases if p.endswith(LIST_SUFFIXES)]
        if self._repo is not None:
            blobs = self._repo.blobs(self.bases[p] for p in paths)
            return {p: unix_newlines(blobs[self.bases[p]]) for p in paths}
        assert self.root is not None
        return {p: _read(self.root / p) for p in paths}

    def display(self, path: str) -> str:
        return self.shown.get(path, path)


def open_version(spec: str | None, root: Path | None) -> Version:
    """The version an argument names: None is the working tree of the list set at ``root``."""
    if spec is None:
        if root is None:
            raise QingdanError("当前文件夹不在清单集中，请写明要比对的两个文件夹或文件。")
        return from_folder(root, WORKING)
    path = Path(spec)
    if path.is_dir():
        return from_folder(path, display_path(path))
    if path.is_file():
        return from_file(path)
    if root is None:
        raise QingdanError(
            f"“{spec}”既不是文件或文件夹，也无法当作 git 版本："
            "当前文件夹不在清单集中。请进入清单集文件夹，或写出文件夹的路径。"
        )
    return from_git(root, spec)


def from_folder(folder: Path, label: str, *, lists: bool = True) -> Version:
    """A list set folder (with qingdan.yaml), or any folder of list files; ``lists=False`` reads
    only the change records."""
    config = _config(folder / CONFIG_NAME) if (folder / CONFIG_NAME).is_file() else None
    lists_dir = folder / config.lists if config is not None else folder
    version = Version(label, {}, root=folder.resolve())
    version.derives = config is not None and config.base is not None
    skip = {real(folder / CONFIG_NAME)}
    if config is not None:
        skip.add(real(folder / config.departments))
        records_dir = folder / config.changes
        _add_files(version, version.records, records_dir, folder, skip)
    if lists:
        _add_files(version, version.lists, lists_dir, folder, skip)
    if config is not None and lists:
        version.bases = _folder_bases(folder, config)
    return version


MAX_ENTRIES = 50_000
"""Files and folders a compared folder may hold: a district's lists are a few hundred, and
``qingdan diff ../.. HEAD`` must not read a whole disk."""
_BASE_SUFFIXES = (*LIST_SUFFIXES, ".json")
_MAX_CHAIN = 8


def _folder_bases(folder: Path, config: Config) -> dict[str, str]:
    """The base sets' files on disk, keyed by their path relative to the set (as in git)."""
    found: dict[str, str] = {}
    top = folder.resolve()
    seen: set[Path] = {top}
    while config.base is not None and len(seen) <= _MAX_CHAIN:
        if config_path_problem(folder, config.base.path, repository_wide=True) is not None:
            break  # validate reports it; nothing outside the repository is read
        root = (folder / config.base.path).resolve()
        if root in seen or not (root / CONFIG_NAME).is_file():
            break
        seen.add(root)
        for path in sorted(root.rglob("*")):
            if path.suffix in _BASE_SUFFIXES and path.is_file():
                found[Path(os.path.relpath(path, top)).as_posix()] = blob_id(_read(path))
        folder, config = root, _config(root / CONFIG_NAME)
    return found


def from_file(path: Path) -> Version:
    data = _read(path)
    version = Version(display_path(path), {}, root=None, single=True)
    version.lists[path.name] = blob_id(data)
    version.shown[path.name] = display_path(path)
    version._data[path.name] = data
    version._files[path.name] = path
    return version


STAGED = "暂存区"


def from_git(root: Path, rev: str) -> Version:
    """The list set at ``root`` as it was in a revision (or, for ``STAGED``, as it is staged
    for the next commit), read from git objects."""
    repo = Repo.containing(root)
    prefix = os.path.relpath(root.resolve(), repo.top.resolve()).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    if rev == STAGED:
        commit, tree = "", repo.index(prefix.rstrip("/"))
    else:
        found = repo.commit(rev)
        if found is None:
            raise QingdanError(
                f"“{rev}”既不是文件或文件夹，也不是这个 git 仓库中的版本（提交、分支或标签）。"
            )
        commit, tree = found, repo.tree(found, prefix.rstrip("/"))
    config_id = tree.get(prefix + CONFIG_NAME)
    if config_id is None:
        raise QingdanError(
            f"版本 {rev} 中没有清单集：{prefix or '仓库根目录'}下没有 {CONFIG_NAME}。"
        )
    config = _config_text(repo.blobs([config_id])[config_id], f"{rev}:{prefix}{CONFIG_NAME}")
    version = Version(rev, {}, _repo=repo, _commit=commit, _prefix=prefix)
    version.derives = config.base is not None
    version.bases = _git_bases(repo, commit, prefix, config)
    folders = {
        "lists": prefix + config.lists.strip("/") + "/",
        "records": prefix + config.changes.strip("/") + "/",
    }
    for path, oid in tree.items():
        rel = path[len(prefix) :]
        if not path.endswith(LIST_SUFFIXES) or rel.rsplit("/", 1)[-1].startswith("."):
            continue
        for name, folder in folders.items():
            if path.startswith(folder):
                getattr(version, name)[rel] = oid
                # staged files are the files on disk, as far as anyone reading a message goes
                shown = display_path(repo.top / path) if not commit else f"{rev}:{path}"
                version.shown[rel] = shown
    return version


def _git_bases(repo: Repo, commit: str, prefix: str, config: Config) -> dict[str, str]:
    """The base sets' files in a revision, from the tree alone (nothing read but configs)."""
    found: dict[str, str] = {}
    top = prefix.rstrip("/") or "."
    seen = {prefix}
    while config.base is not None and len(seen) <= _MAX_CHAIN:
        where = posixpath.normpath(posixpath.join(prefix or ".", config.base.path))
        if where.startswith("..") or where + "/" in seen:
            break  # outside the repository: not part of any revision
        prefix = "" if where == "." else where + "/"
        seen.add(prefix)
        tree = repo.tree(commit, prefix.rstrip("/")) if commit else repo.index(prefix.rstrip("/"))
        found.update(
            (posixpath.relpath(p, top), i) for p, i in tree.items() if p.endswith(_BASE_SUFFIXES)
        )
        config_id = tree.get(prefix + CONFIG_NAME)
        if config_id is None:
            break
        config = _config_text(repo.blobs([config_id])[config_id], prefix + CONFIG_NAME)
    return found


def _add_files(
    version: Version, into: dict[str, str], folder: Path, root: Path, skip: set[Path]
) -> None:
    if not folder.is_dir():
        return
    seen = 0
    for dirpath, dirnames, names in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        seen += len(dirnames) + len(names)
        if seen > MAX_ENTRIES:
            raise QingdanError(
                f"文件夹 {display_path(folder)} 中的文件超过 {MAX_ENTRIES} 个，不像是清单文件夹"
                "（是不是写成了上级文件夹？）。请写出清单集的文件夹或清单目录。"
            )
        for name in sorted(names):
            path = Path(dirpath) / name
            if not name.endswith(LIST_SUFFIXES) or name.startswith(".") or real(path) in skip:
                continue
            rel = path.relative_to(root).as_posix()
            if rel in version.lists or rel in version.records:
                continue
            data = _read(path)
            into[rel] = blob_id(data)
            version._data[rel] = data
            version.shown[rel] = display_path(path)


def _read(path: Path) -> bytes:
    try:
        return unix_newlines(read_regular(path))
    except TooLarge as exc:
        raise QingdanError(f"{display_path(path)} 太大（超过 32 MB），未读取。") from exc
    except OSError as exc:
        raise QingdanError(f"无法读取 {display_path(path)}：{exc.strerror or exc}") from exc


def _config(path: Path) -> Config:
    return _config_text(_read(path), display_path(path))


def _config_text(data: bytes, shown: str) -> Config:
    """Just the folder names from a config; a broken config is validate's business, not ours."""
    doc = load_bytes(data, shown)
    return Config.lenient(doc.data if doc.ok else None)
