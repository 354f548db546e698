"""Derived lists (DOMAIN.md §5): a base list plus keyed operations, resolved to ordinary items.

A list file with ``derive:`` instead of ``items:`` takes the list of the same kind of another
unit (``from``), in this list set or in its base list set (``base`` in qingdan.yaml), which may
itself be derived: city → district → township. Every resolved item remembers where it came from,
so findings on it point at the operation (or the base item) that produced it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qingdan.boundary import config_path_problem
from qingdan.checks import rules
from qingdan.checks.schema import SchemaFindings, pointer
from qingdan.fastyaml import read_quick
from qingdan.findings import Finding
from qingdan.header import read_header
from qingdan.kinds import Roles
from qingdan.listset import CONFIG_NAME, ListSet, display_path
from qingdan.messages import finding
from qingdan.model import Omitted, Origin, Resolved, is_derived, text
from qingdan.patterns import Pattern, PatternError, compile_pattern
from qingdan.present.values import render
from qingdan.schemas import PathPart, builtin
from qingdan.source import read_source
from qingdan.yamldoc import YamlDocument, load_file

Codes = frozenset[str] | None
"""Item codes a resolution is limited to (None: the whole list)."""

# --- finding the base list ---------------------------------------------------------------------


@dataclass(eq=False)
class _Catalog:
    """Which file holds the list of each (kind, unit) in one list set, from file headers."""

    listset: ListSet
    files: dict[tuple[str, str], Path] = field(default_factory=dict)

    @classmethod
    def of(cls, listset: ListSet) -> _Catalog:
        catalog = cls(listset)
        for path in listset.list_files():
            source = read_source(path, display_path(path))
            if isinstance(source, Finding):  # validate reports the file itself
                continue
            header = read_header(source)
            if header.kind is not None and header.unit is not None:
                catalog.files.setdefault((header.kind, catalog.canonical(header.unit)), path)
        return catalog

    def canonical(self, unit: str) -> str:
        registry = self.listset.departments
        dept = registry.get(unit) if registry else None
        return dept.code if dept else unit

    def find(self, kind: str, unit: str) -> Path | None:
        return self.files.get((kind, self.canonical(unit)))


class Resolver:
    """Resolves derived list files, following bases across list sets; a command's workspace
    owns one, so that each base is read and resolved once however many lists stand on it."""

    def __init__(self, open_set: Callable[[Path], ListSet]) -> None:
        self.open_set = open_set
        self.catalogs: dict[Path, _Catalog] = {}
        self.done: dict[tuple[Path, Codes], Resolved] = {}
        self.bases: dict[tuple[Path, Codes], tuple[YamlDocument, Resolved | None]] = {}
        self.active: list[Path] = []

    def resolve(
        self, doc: YamlDocument, path: Path, listset: ListSet, only: Codes = None
    ) -> Resolved:
        """The items of a derived file of ``listset``; operation problems are findings, never
        exceptions. With ``only``, just the items with these codes, and only the operations on
        them: what a diff needs when nothing but those items changed up the chain."""
        key = (path.resolve(), only)
        if key in self.done:
            return self.done[key]
        data: dict[str, Any] = doc.data
        resolved = Resolved(str(data.get("kind")), str(data.get("unit")))
        schema = builtin("derive")
        if not schema.is_valid(data):
            resolved.findings = SchemaFindings(doc, schema, (), None).translate(schema.errors(data))
            return resolved
        for code, where, values in rules.document_numbers(data, schema.document_numbers):
            resolved.findings.append(
                finding(code, doc.location(where), path=pointer(where), field="依据文件", **values)
            )
        self.active.append(key[0])
        try:
            _Operations(self, listset, doc, resolved, only).apply()
        finally:
            self.active.pop()
        if doc.locatable:  # only located resolutions are worth keeping
            self.done[key] = resolved
        return resolved

    def base_of(self, kind: str, unit: str, here: ListSet) -> tuple[ListSet, Path] | None:
        """The list (kind, unit) is derived from: in the same list set first, then the bases'."""
        for current in self.chain(here):
            found = self._catalog(current).find(kind, unit)
            if found is not None:
                return current, found
        return None

    def base_set(self, listset: ListSet) -> ListSet | None:
        """The set named as ``base`` in the config; None when there is none (or no such set)."""
        spec = listset.config.base if listset.usable else None
        if spec is None:
            return None
        if config_path_problem(listset.root, spec.path, repository_wide=True) is not None:
            return None  # base_findings says why
        root = (listset.root / spec.path).resolve()
        if not (root / CONFIG_NAME).is_file():
            return None
        return self.open_set(root)

    def chain(self, listset: ListSet) -> list[ListSet]:
        """The set and its bases, nearest first; a set that names itself or one below it as
        its base (a loop) ends the chain rather than going round it."""
        chain = [listset]
        seen = {listset.root.resolve()}
        base = self.base_set(listset)
        while base is not None and base.root.resolve() not in seen:
            seen.add(base.root.resolve())
            chain.append(base)
            base = self.base_set(base)
        return chain

    def where_lists_are(self, listset: ListSet) -> list[str]:
        """``kind unit → file`` for every list of a set, as the base finder sees them."""
        files = self._catalog(listset).files
        return [f"{k} {u} → {p.as_posix()}" for (k, u), p in sorted(files.items())]

    def _catalog(self, listset: ListSet) -> _Catalog:
        if listset.root not in self.catalogs:
            self.catalogs[listset.root] = _Catalog.of(listset)
        return self.catalogs[listset.root]

    def load(
        self, listset: ListSet, path: Path, only: Codes = None
    ) -> tuple[YamlDocument, Resolved | None]:
        """A base file: its document, and its resolution when it is itself derived; each base
        is read once per resolver, however many lists stand on it."""
        key = (path.resolve(), only)
        if key not in self.bases:
            known = next((v[0] for (p, _), v in self.bases.items() if p == key[0]), None)
            doc = known or read_quick(path, display_path(path))
            derived = doc.ok and is_derived(doc.data)
            self.bases[key] = (doc, self.resolve(doc, path, listset, only) if derived else None)
        return self.bases[key]


def base_findings(listset: ListSet, resolver: Resolver) -> list[Finding]:
    """Whether the base list set named in qingdan.yaml exists, and is still the edition used."""
    spec = listset.config.base
    if spec is None:
        return []
    config = load_file(listset.root / CONFIG_NAME, display_path(listset.root / CONFIG_NAME))
    problem = config_path_problem(listset.root, spec.path, repository_wide=True)
    if problem is not None:
        detail = f"base.path（上级清单集文件夹）“{spec.path}”{problem}。"
        where = config.location(("base", "path"))
        return [finding("config.invalid", where, detail=detail, path="/base/path")]
    base = resolver.base_set(listset)
    if base is None:
        return [
            finding(
                "derive.base-missing",
                config.location(("base", "path")),
                path="/base/path",
                path_=spec.path,
            )
        ]
    loop = _loop(listset, resolver)
    if loop:
        where = config.location(("base", "path"))
        return [finding("derive.base-loop", where, path="/base/path", chain=" → ".join(loop))]
    theirs = base.config.edition
    if theirs != spec.edition:
        where = config.location(("base", "edition"))
        return [
            finding("derive.edition", where, path="/base/edition", ours=spec.edition, theirs=theirs)
        ]
    return []


def _loop(listset: ListSet, resolver: Resolver) -> list[str]:
    """The sets of a base chain that comes back to one of them (shown as folders), or []."""
    chain = resolver.chain(listset)
    last = resolver.base_set(chain[-1])
    if last is None:
        return []
    return [display_path(s.root) for s in chain] + [display_path(last.root)]


class _Operations:
    """take → omit → modify → add, each checked against the base, with file:line findings."""

    def __init__(
        self,
        resolver: Resolver,
        listset: ListSet,
        doc: YamlDocument,
        out: Resolved,
        only: Codes,
    ) -> None:
        self.resolver, self.listset, self.doc, self.out = resolver, listset, doc, out
        self.only = only
        self.spec: dict[str, Any] = doc.data["derive"]
        self.kind = listset.kinds.get(out.kind)
        self.roles = self.kind.roles if self.kind else Roles()

    def apply(self) -> None:
        base = self._base()
        if base is None:
            return
        items, origins = base
        key = self.roles.code
        # a code that is not text is the base file's error (``_base`` refuses a plain base with
        # one); a resolved base never has one, but cannot be taken by it either
        codes = {c: i for i, item in enumerate(items) if isinstance(c := item.get(key), str)}
        chosen = self._take(codes)
        omitted = self._omit(codes, items)
        modified = self._modify(codes, chosen, omitted, items, origins)
        for index, (item, origin) in enumerate(zip(items, origins, strict=True)):
            code = item.get(key)
            if index not in chosen or code in omitted:
                continue
            if code in modified:
                self.out.items.append(modified[code][0])
                self.out.origins.append(modified[code][1])
            else:
                self.out.items.append(item)
                self.out.origins.append(Origin("继承", origin.doc, origin.path, base=origin.base))
        self._add(codes)

    def _error(
        self, message: str, path: tuple[PathPart, ...], /, *, item: str | None = None, **values: Any
    ) -> None:
        self.out.findings.append(
            finding(message, self.doc.location(path), item=item, path=pointer(path), **values)
        )

    def _base(self) -> tuple[list[dict[str, Any]], list[Origin]] | None:
        unit = self.spec["from"]
        found = self.resolver.base_of(self.out.kind, unit, self.listset)
        if found is None:
            self._error("derive.no-base", ("derive", "from"), unit=unit, kind=self._title())
            return None
        listset, base_path = found
        if base_path.resolve() in self.resolver.active:
            chain = " → ".join(
                display_path(p) for p in [*self.resolver.active, base_path.resolve()]
            )
            self._error("derive.cycle", ("derive", "from"), chain=chain)
            return None
        doc, resolved = self.resolver.load(listset, base_path, self.only)
        self.out.sources = [base_path.resolve(), *(resolved.sources if resolved else ())]
        config = listset.config
        self.out.base = f"{config.region} {self._title()}（{config.edition}）"
        if resolved is not None:
            if resolved.findings and not resolved.items:
                self._error("derive.broken-base", ("derive", "from"), file=display_path(base_path))
                return None
            return list(resolved.items), list(resolved.origins)
        if (
            not doc.ok
            or not isinstance(doc.data, dict)
            or not isinstance(doc.data.get("items"), list)
        ):
            self._error("derive.broken-base", ("derive", "from"), file=display_path(base_path))
            return None
        key = self.roles.code
        if any(
            key in i and not isinstance(i[key], str)
            for i in doc.data["items"]
            if isinstance(i, dict)
        ):
            # an item that cannot be matched by code would silently drop out of every list below
            self._error("derive.broken-base", ("derive", "from"), file=display_path(base_path))
            return None
        kept = [
            (i, Origin("继承", doc, ("items", k)))
            for k, i in enumerate(doc.data["items"])
            if isinstance(i, dict) and self._concerns(i.get(self.roles.code))
        ]
        return [i for i, _ in kept], [o for _, o in kept]

    def _concerns(self, code: Any) -> bool:
        """Whether an item or operation is part of this resolution (all are, without ``only``)."""
        return self.only is None or (isinstance(code, str) and code in self.only)

    def _field_list(self, fields: set[str]) -> str:
        """Field keys with their Chinese titles, in the kind's own order: duty（职责内容）、…"""
        assert self.kind is not None
        order = self.kind.item.property_names(())
        return "、".join(f"{k}（{self.kind.item.title((k,))}）" for k in order if k in fields)

    def _title(self) -> str:
        return self.kind.title if self.kind else self.out.kind

    def _take(self, codes: dict[Any, int]) -> set[int]:
        take = self.spec.get("take", "all")
        if take == "all":
            return set(codes.values())
        chosen = set()
        for index, code in enumerate(take):
            if not self._concerns(code):
                continue
            if code in codes:
                chosen.add(codes[code])
            else:
                self._error(
                    "derive.unknown-code",
                    ("derive", "take", index),
                    item=code,
                    code=code,
                    op="采用",
                )
        return chosen

    def _omit(self, codes: dict[Any, int], items: list[dict[str, Any]]) -> dict[str, int]:
        omitted: dict[str, int] = {}
        for index, entry in enumerate(self.spec.get("omit") or ()):
            code = entry["code"]
            where = ("derive", "omit", index, "code")
            if not self._concerns(code):
                continue
            if code not in codes:
                self._error("derive.unknown-code", where, item=code, code=code, op="不采用")
            elif code in omitted:
                self._error("derive.twice", where, item=code, code=code, op="不采用")
            else:
                omitted[code] = index
                base = items[codes[code]]
                name, category = base.get(self.roles.name), base.get(self.roles.category)
                self.out.omitted.append(Omitted(code, text(name), entry["reason"], text(category)))
        return omitted

    def _modify(
        self,
        codes: dict[Any, int],
        chosen: set[int],
        omitted: dict[str, int],
        items: list[dict[str, Any]],
        origins: list[Origin],
    ) -> dict[str, tuple[dict[str, Any], Origin]]:
        fields = set(self.kind.item.property_names(())) if self.kind else set()
        modified: dict[str, tuple[dict[str, Any], Origin]] = {}
        for index, entry in enumerate(self.spec.get("modify") or ()):
            code = entry["code"]
            where = ("derive", "modify", index)
            if not self._concerns(code):
                continue
            if code not in codes:
                self._error(
                    "derive.unknown-code", (*where, "code"), item=code, code=code, op="修改"
                )
                continue
            if code in modified:
                self._error("derive.twice", (*where, "code"), item=code, code=code, op="修改")
                continue
            if code in omitted or codes[code] not in chosen:
                self._error("derive.modify-omitted", (*where, "code"), item=code, code=code)
                continue
            base = items[codes[code]]
            changes: dict[str, tuple[Any, Any]] = {}
            for name, value in entry["set"].items():
                if name == self.roles.code:
                    at = (*where, "set", name)
                    self._error("derive.set-code", at, item=code, code=code)
                elif fields and name not in fields:
                    known = self._field_list(fields - {self.roles.code})
                    self._error(
                        "derive.unknown-field",
                        (*where, "set", name),
                        item=code,
                        field_name=name,
                        kind=self._title(),
                        known=known,
                    )
                else:
                    changes[name] = (base.get(name), value)
            self._recorded(entry, where, base, code)
            item = {**base, **{k: v for k, (_, v) in changes.items()}}
            modified[code] = (
                item,
                Origin("修改", self.doc, where, changes, entry["reason"], origins[codes[code]]),
            )
        return modified

    def _recorded(
        self, entry: dict[str, Any], where: tuple[PathPart, ...], base: dict[str, Any], code: str
    ) -> None:
        """A modification may record the base values it was written against (``base:``); when
        the base has changed them since, at whatever level of the chain, the local text may
        no longer fit, so it is flagged until someone updates the record."""
        for name, recorded in (entry.get("base") or {}).items():
            at = (*where, "base", name)
            title = self.kind.item.title((name,)) if self.kind else name
            if name not in entry["set"]:
                self._error("derive.base-unset", at, item=code, code=code, field_name=title)
            elif base.get(name) != recorded:
                self._error(
                    "derive.base-changed",
                    at,
                    item=code,
                    code=code,
                    field_name=title,
                    **_difference(recorded, base.get(name)),
                )

    def _local_codes(self) -> Pattern | None:
        pattern = self.spec.get("codes")
        if pattern is None:
            return None
        try:
            return compile_pattern(pattern)
        except PatternError:
            self._error("derive.bad-codes", ("derive", "codes"), pattern=pattern)
            return None

    def _add(self, codes: dict[Any, int]) -> None:
        local = self._local_codes()
        added: set[str] = set()
        for index, entry in enumerate(self.spec.get("add") or ()):
            item = entry["item"]
            code = item.get(self.roles.code)
            where = ("derive", "add", index, "item")
            if not self._concerns(code):
                continue
            if isinstance(code, str) and (code in codes or code in added):
                at = (*where, self.roles.code)
                self._error("derive.code-taken", at, item=str(code), code=code)
                continue
            if local is not None and isinstance(code, str) and not local.search(code):
                pattern = local.pattern
                self._error(
                    "derive.local-code",
                    (*where, self.roles.code),
                    item=code,
                    code=code,
                    pattern=pattern,
                )
            if isinstance(code, str):
                added.add(code)
            self.out.items.append(item)
            self.out.origins.append(Origin("新增", self.doc, where, reason=entry["reason"]))


def _difference(recorded: Any, current: Any, context: int = 12, span: int = 40) -> dict[str, str]:
    """The recorded and current values around where they first differ, so that a sentence added
    at the end of a long duty shows in the message."""
    old, new = (_shown(v) for v in (recorded, current))
    same = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), None)
    start = max(0, (min(len(old), len(new)) if same is None else same) - context)

    def cut(text: str) -> str:
        piece = text[start : start + span]
        return ("…" if start else "") + piece + ("…" if start + span < len(text) else "")

    return {"recorded": cut(old), "current": cut(new)}


def _shown(value: Any) -> str:
    """A value as a message shows it: as a table cell reads it (lists joined with 、)."""
    return "（未填写）" if value is None else render(value, lambda path: path[-1])
