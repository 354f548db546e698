"""One command's view of the list sets it reads: each set and each base opened once, one resolver,
and the resolved lists every command takes its items from.

A command makes one ``Workspace`` and hands it down; nothing about list sets is kept in module
globals, so two commands in one process (the tests, a future server) never see each other's files,
and one ``qingdan check`` reads its set and each base once, whatever validate and diff need of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from qingdan.derivation import Codes, Resolver, base_findings
from qingdan.fastyaml import read_quick
from qingdan.findings import Finding
from qingdan.kinds import Roles
from qingdan.listset import ListSet, display_path, open_list_set
from qingdan.model import Resolved, ResolvedDocument, ResolvedList, is_derived, items_of, text
from qingdan.yamldoc import YamlDocument


class Workspace:
    """The list sets one command works with, and what it has resolved of them so far."""

    def __init__(self) -> None:
        self._sets: dict[Path, ListSet] = {}
        self.resolver = Resolver(self.open)

    def open(self, root: Path) -> ListSet:
        """The list set at ``root``, read the first time it is asked for."""
        key = root.resolve()
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = open_list_set(root)
        return found

    def base_set(self, listset: ListSet) -> ListSet | None:
        return self.resolver.base_set(listset)

    def bases(self, listset: ListSet) -> list[ListSet]:
        """Every base set up the chain, nearest first (a loop in the chain ends it)."""
        return self.resolver.chain(listset)[1:]

    def base_findings(self, listset: ListSet) -> list[Finding]:
        """Whether the base named in qingdan.yaml exists and is still the edition used."""
        return base_findings(listset, self.resolver)

    def resolve(
        self, doc: YamlDocument, path: Path, listset: ListSet, only: Codes = None
    ) -> Resolved:
        return self.resolver.resolve(doc, path, listset, only)

    def where_lists_are(self, listset: ListSet) -> list[str]:
        return self.resolver.where_lists_are(listset)

    def lists(
        self, listset: ListSet, files: Iterable[Path] | None = None
    ) -> Iterator[ResolvedList]:
        """The set's lists (or those of ``files``) with their items resolved, in file order.

        Files are read on the fast path where they can be; a location asked of an item parses
        its file's lines then."""
        for path in listset.list_files() if files is None else files:
            yield self.resolved_list(listset, path)

    def resolved_list(self, listset: ListSet, path: Path) -> ResolvedList:
        display = display_path(path)
        doc = read_quick(path, display)
        data = doc.data if doc.ok and isinstance(doc.data, dict) else {}
        kind = listset.kinds.get(data["kind"]) if isinstance(data.get("kind"), str) else None
        roles = kind.roles if kind else Roles()
        if not is_derived(data):
            return ResolvedList(
                path,
                display,
                kind,
                text(data.get("unit")),
                items_of(data, None, doc, roles),
                (),
                tuple(doc.findings),
                doc,
                derived=False,
            )
        resolved = self.resolve(doc, path, listset)
        located = ResolvedDocument(display, resolved, doc)
        return ResolvedList(
            path,
            display,
            kind,
            resolved.unit,
            items_of(resolved.data, resolved.origins, located, roles),
            tuple(resolved.omitted),
            (*doc.findings, *resolved.findings),
            located,
            derived=True,
            base=resolved.base,
            sources=tuple(resolved.sources),
        )
