"""A list set on disk: its config, kinds, department registry and category trees.

Loading never raises for problems in the user's files (those become findings); it raises
``QingdanError`` only when there is no list set to speak of.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from qingdan import __version__, admissions
from qingdan.admissions import Admissions
from qingdan.boundary import config_path_problem, real
from qingdan.checks.schema import SchemaFindings, implicit_findings
from qingdan.config import PATH_KEYS, Config
from qingdan.errors import QingdanError
from qingdan.findings import Finding, Location, Severity
from qingdan.kinds import Kind, RequiredError, available_kinds, load_kind, preset_dir
from qingdan.messages import finding
from qingdan.patterns import pattern_problem
from qingdan.registry import CategoryTree, Departments, load_categories, load_departments
from qingdan.schemas import Schema, builtin
from qingdan.source import read_regular
from qingdan.yamldoc import YamlDocument, load_file

CONFIG_NAME = "qingdan.yaml"
LIST_SUFFIXES = (".yaml", ".yml")


def display_path(path: Path) -> str:
    """How a path is shown to the user: relative to the working directory when inside it."""
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        shown = ".."
    shown = path.as_posix() if shown.startswith("..") else Path(shown).as_posix()
    # undecodable bytes in a file name must not break printing the report
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


SEARCH_DEPTH = 3
"""How many folder levels below the working folder a list set is looked for."""
_NOT_SETS = frozenset({"node_modules", "__pycache__", "site-packages"})


def find_root(start: Path) -> Path:
    """The list set ``start`` is in: the nearest folder upwards that has a qingdan.yaml."""
    found = _root_above(start)
    if found is not None:
        return found
    shown = display_path(start)
    shown = f"当前文件夹（{start}）" if shown == "." else shown
    raise QingdanError(
        f"找不到清单集：{shown} 及其上级文件夹中都没有 {CONFIG_NAME}。"
        f"清单集的根文件夹必须有 {CONFIG_NAME}（格式见 docs/format.md）。"
    )


def _root_above(start: Path) -> Path | None:
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


@dataclass(frozen=True, slots=True)
class Located:
    """The list set a command works in, and whether it was found below the working folder
    (then the command says which set it took)."""

    root: Path
    below: bool = False


def locate_set(start: Path) -> Located:
    """The list set ``start`` is in; failing that, the nearest one below it.

    From a repository's root (the sample keeps its set in ``lists/``) a user should not have to
    type the folder. Sets inside another set (a base catalog kept in the set's folder, resolved
    output) belong to the outer one, and deeper folders (test fixtures, say) yield to the nearest
    level; several sets at that level are named, never guessed between.
    """
    found = _root_above(start)
    if found is not None:
        return Located(found)
    below = _sets_below(start)
    nearest = min((len(p.relative_to(start).parts) for p in below), default=0)
    candidates = [p for p in below if len(p.relative_to(start).parts) == nearest]
    if len(candidates) == 1:
        return Located(candidates[0], below=True)
    if candidates:
        names = "、".join(display_path(c) for c in candidates)
        raise QingdanError(
            f"当前文件夹中有 {len(candidates)} 个清单集：{names}。请写明要用哪一个"
            f"（例如 -C {display_path(candidates[0])}）。"
        )
    return Located(find_root(start))


def _sets_below(start: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, names in os.walk(start):
        folder = Path(dirpath)
        depth = len(folder.relative_to(start).parts)
        if depth and CONFIG_NAME in names and (folder / CONFIG_NAME).is_file():
            found.append(folder)
            dirnames[:] = []  # a set inside this one belongs to it
            continue
        dirnames[:] = sorted(
            d
            for d in dirnames
            if depth < SEARCH_DEPTH and not d.startswith(".") and d not in _NOT_SETS
        )
    return found


@dataclass(eq=False)
class ListSet:
    root: Path
    findings: list[Finding] = field(default_factory=list)
    config: Config = field(default_factory=Config)
    kinds: dict[str, Kind] = field(default_factory=dict)
    departments: Departments | None = None
    categories: dict[str, CategoryTree] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)
    usable: bool = False
    admissions: Admissions = field(default_factory=Admissions.none)
    """准入 records (admissions/), which the items of its lists cite."""
    _found: dict[Path | None, list[Path]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def list_dir(self) -> Path:
        return self.root / self.config.lists

    def list_files(self, under: Path | None = None) -> list[Path]:
        """The list files of the set (or of one folder of it), as they were when first asked:
        a command walks them several times (which units have lists, the cache's state, the
        checks), and a command that adds a list file opens the set again to see it."""
        if under not in self._found:
            self._found[under] = self._walk(under or self.list_dir)
        return list(self._found[under])

    def _walk(self, base: Path) -> list[Path]:
        if not base.is_dir():
            return []
        support = {real(s) for s in self.inputs}
        found = []
        for dirpath, dirnames, names in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]  # .git, staged outputs
            folder = Path(dirpath)
            where = real(folder)  # once per folder: following every file's path costs 0.05 s
            for name in names:
                if not name.endswith(LIST_SUFFIXES) or name.startswith("."):
                    continue
                path = folder / name
                if (real(path) if os.path.islink(path) else where / name) not in support:
                    found.append(path)
        return sorted(found)

    def fingerprint(self) -> str:
        """Changes whenever anything a single list file's findings depend on changes."""
        digest = hashlib.blake2b(digest_size=16)
        digest.update(__version__.encode())
        package = Path(__file__).parent
        for source in sorted(package.rglob("*.py")) + sorted(package.rglob("*.json")):
            stat = source.stat()
            digest.update(f"{source.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        for kind in self.kinds.values():
            digest.update(repr(kind.schema.document).encode())
            digest.update(kind.code_pattern.encode())
        for path in self.inputs:
            try:
                digest.update(read_regular(path))
            except OSError:
                digest.update(b"-")
        return digest.hexdigest()


def open_list_set(root: Path) -> ListSet:
    """Load config, kinds, registry and categories, collecting findings in them."""
    listset = ListSet(root)
    config_path = root / CONFIG_NAME
    listset.inputs.append(config_path)
    doc = _load_checked(config_path, builtin("config"), listset.findings)
    if doc is None:
        return listset
    listset.config = Config.lenient(doc.data)
    outside = _path_findings(doc, root)
    listset.findings.extend(outside)
    if outside or not _load_kinds(listset, doc):
        return listset
    listset.usable = True
    if "lists" in doc.data and not listset.list_dir.is_dir():
        listset.findings.append(_no_lists(doc, listset.list_dir))
    reg_path = root / listset.config.departments
    listset.inputs.append(reg_path)
    if reg_path.is_dir() or not os.path.lexists(reg_path):  # anything else: read_source says
        shown = display_path(reg_path)
        problem = "是一个文件夹，不是文件" if reg_path.is_dir() else "不存在"
        msg = f"部门名录文件 {shown} {problem}：请创建它，或在 departments 中写明它的位置。"
        listset.findings.append(_config_error(doc, ("departments",), msg))
        return listset
    reg_doc = _load_checked(reg_path, builtin("departments"), listset.findings)
    if reg_doc is not None:
        listset.departments, found = load_departments(reg_doc)
        listset.findings.extend(found)
    _load_trees(listset, doc)
    _load_admissions(listset)
    return listset


def _load_admissions(listset: ListSet) -> None:
    folder = listset.root / listset.config.admissions
    if not folder.is_dir():
        return
    paths = admissions.files(folder)
    listset.inputs.extend(paths)
    schema, sink = builtin("admissions"), listset.findings
    docs = [_load_checked(path, schema, sink) for path in paths]
    listset.admissions = admissions.load(docs, listset.departments, sink)


def _path_findings(doc: YamlDocument, root: Path) -> list[Finding]:
    """Paths in the config that lead out of the set (``departments: /etc/passwd``): each is a
    finding at its key, and the set is not read further, so nothing outside it is opened."""
    found = []
    for key in PATH_KEYS:
        value = doc.data.get(key)
        problem = config_path_problem(root, value) if isinstance(value, str) else None
        if problem is not None:
            title = builtin("config").title((key,))
            found.append(_config_error(doc, (key,), f"{key}（{title}）“{value}”{problem}。"))
    return found


def _no_lists(doc: YamlDocument, folder: Path) -> Finding:
    """``lists: nope`` (a typo) leaves nothing to check: saying "没有发现问题" of such a set
    would pass a gate that looked at nothing."""
    msg = f"清单目录 {display_path(folder)} 不存在：请检查 lists 是否写错，或创建这个文件夹。"
    return _config_error(doc, ("lists",), msg)


def _load_checked(path: Path, schema: Schema, sink: list[Finding]) -> YamlDocument | None:
    return checked(load_file(path, display_path(path)), schema, sink)


def checked(doc: YamlDocument, schema: Schema, sink: list[Finding]) -> YamlDocument | None:
    """Check a parsed support file against its schema; None if it has errors."""
    sink.extend(doc.findings)
    if not doc.ok:
        return None
    if not schema.is_valid(doc.data):
        sink.extend(SchemaFindings(doc, schema, (), None).translate(schema.errors(doc.data)))
        return None
    dates = implicit_findings(doc, schema)
    sink.extend(dates)
    if any(f.severity is Severity.ERROR for f in doc.findings + dates):
        return None
    return doc


def _load_kinds(listset: ListSet, doc: YamlDocument) -> bool:
    config = listset.config
    preset = config.preset
    try:
        directory = preset_dir(preset, listset.root)
    except QingdanError as exc:
        listset.findings.append(_config_error(doc, ("preset",), str(exc)))
        return False
    known = available_kinds(directory)
    patterns = config.code_patterns
    ok = True
    for index, name in enumerate(config.kinds):
        if name not in known:
            msg = f"清单类型“{name}”在预设“{preset}”中不存在；可用的类型：{'、'.join(known)}。"
            listset.findings.append(_config_error(doc, ("kinds", index), msg))
            ok = False
            continue
        pattern = patterns.get(name)
        if pattern is not None:
            problem = pattern_problem(pattern)
            if problem is not None:
                msg = f"“{name}”的事项编码规则“{pattern}”不是可用的正则表达式（{problem}）。"
                listset.findings.append(_config_error(doc, ("code_patterns", name), msg))
                ok = False
                continue
        try:
            listset.kinds[name] = load_kind(directory, name, pattern, config.required.get(name))
        except RequiredError as exc:
            listset.findings.append(_config_error(doc, ("required", name), str(exc)))
            ok = False
        except QingdanError as exc:  # a custom kind's own schema is broken: say where it is used
            listset.findings.append(_config_error(doc, ("kinds", index), str(exc)))
            ok = False
    return ok


def _load_trees(listset: ListSet, config_doc: YamlDocument) -> None:
    folder = listset.root / listset.config.categories
    for index, kind in enumerate(listset.kinds):
        path = folder / f"{kind}.yaml"
        if not os.path.lexists(path):
            shown = display_path(path)
            listset.findings.append(
                finding(
                    "category.missing-tree",
                    config_doc.location(("kinds", index)),
                    kind=kind,
                    tree=shown,
                    path=f"/kinds/{index}",
                )
            )
            continue
        listset.inputs.append(path)
        doc = _load_checked(path, builtin("categories"), listset.findings)
        if doc is None:
            continue
        tree, found = load_categories(doc, kind)
        listset.findings.extend(found)
        listset.categories[kind] = tree


def _config_error(doc: YamlDocument, path: tuple[str | int, ...], detail: str) -> Finding:
    loc: Location = doc.location(path)
    return finding("config.invalid", loc, detail=detail, path="".join(f"/{p}" for p in path))
