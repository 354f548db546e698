"""The searchable texts of a resolved list set: one entry per item, cached between runs.

An entry keeps what a result shows and what a query is matched against, as people read it (the
cells of the printed table: departments by their short names, basis through the kind's text
template). Which field is the name, the code, the lead, the main party or the township's duty
comes from the kind's metadata (``x-qingdan.roles``, ``x-qingdan.territorial``) and which fields
name departments from the schema's department references, never from field names here.

Townships derived from one catalog share most texts, so the cache keeps each distinct text once
and an entry as numbers into that table: the 100,000 items of the benchmark set load in a
fraction of a second. The cache is thrown away when the set's fingerprint (qingdan, schemas,
config, registry, trees, the date) or any list file of the set or of a base set changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qingdan.cache import Cache, set_state
from qingdan.duties import answers
from qingdan.findings import Severity
from qingdan.kinds import Kind
from qingdan.search.fold import FoldTable, fold, full_table
from qingdan.search.pinyin import spell

if TYPE_CHECKING:
    from qingdan.listset import ListSet
    from qingdan.model import Item, ResolvedList
    from qingdan.present.vocabulary import Vocabulary
    from qingdan.registry import Departments
    from qingdan.workspace import Workspace

FORMAT = 4
"""Of the cached index: a change of what an entry holds makes older caches unused."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One item as search sees it; texts as people read them."""

    code: str
    name: str
    unit: str
    """The unit as people name it (the registry's short name)."""
    kind: str
    kind_title: str
    file: str
    """The list file, as shown to the user."""
    category: str
    texts: tuple[tuple[str, str], ...]
    """(column title, cell text) of every other column with a value: duties, basis, departments."""
    lead: str = ""
    main: str = ""
    """The main party's departments (territorial kinds), joined with 、."""
    township: str = ""
    """What the township does (territorial kinds)."""
    departments: tuple[tuple[str, str], ...] = ()
    """(牵头 / 主体 / 配合, department) for every department the item names."""


# A shape's fields, as numbers into ``Index.strings``: then its (title, text) pairs, then its
# (role, department) pairs; ``COUNT`` says how many of the pairs are texts.
CODE, NAME, KIND, KIND_TITLE, CATEGORY, LEAD_TEXT, MAIN_TEXT, TOWNSHIP, COUNT = range(9)
FIXED = 9


@dataclass(frozen=True, slots=True)
class Index:
    """Entries as numbers: each entry is a unit, a file and a shape (what the item says, shared
    by every township that inherits it unchanged), each a number into ``strings``."""

    strings: list[str]
    shapes: list[list[int]]
    units: list[int]
    files: list[int]
    shape_of: list[int]
    fold_table: FoldTable
    spellings: dict[str, str]
    """Folded name → its syllables (``pinyin.spell``)."""
    edition: str = ""
    refolded: dict[int, str] = field(default_factory=dict)
    """The folded form of each string that folding changes (most are already folded)."""
    faulty: tuple[str, ...] = ()
    """The list files with errors when the index was built: their items may be missing."""
    department_keys: dict[int, list[str]] = field(default_factory=dict)
    """Each department an item names (its string's number) → every name the registry has for
    it, folded: full name, short name, aliases (``search.match`` finds a department by them)."""

    def folded(self) -> list[str]:
        """Every string as a query is compared with it."""
        changed = self.refolded
        return (
            [changed.get(i, text) for i, text in enumerate(self.strings)]
            if changed
            else self.strings
        )

    def __len__(self) -> int:
        return len(self.shape_of)

    def fold(self, text: str) -> str:
        return fold(text, self.fold_table)

    def entry(self, number: int) -> Entry:
        """Entry ``number`` as its texts."""
        text = self.strings
        shape = self.shapes[self.shape_of[number]]
        count = shape[COUNT]
        pairs = [
            (text[a], text[b]) for a, b in zip(shape[FIXED::2], shape[FIXED + 1 :: 2], strict=True)
        ]
        return Entry(
            code=text[shape[CODE]],
            name=text[shape[NAME]],
            unit=text[self.units[number]],
            kind=text[shape[KIND]],
            kind_title=text[shape[KIND_TITLE]],
            file=text[self.files[number]],
            category=text[shape[CATEGORY]],
            texts=tuple(pairs[:count]),
            lead=text[shape[LEAD_TEXT]],
            main=text[shape[MAIN_TEXT]],
            township=text[shape[TOWNSHIP]],
            departments=tuple(pairs[count:]),
        )

    @property
    def entries(self) -> Iterator[Entry]:
        return (self.entry(n) for n in range(len(self)))

    @classmethod
    def of(
        cls,
        entries: Iterable[Entry],
        fold_table: FoldTable,
        spellings: dict[str, str],
        edition: str,
        *,
        faulty: tuple[str, ...] = (),
        department_keys: dict[str, list[str]] | None = None,
    ) -> Index:
        """``department_keys``: by the department's label."""
        pool: dict[str, int] = {}
        shapes: dict[tuple[int, ...], int] = {}
        units, files, shape_of = [], [], []

        def ref(text: str) -> int:
            return pool.setdefault(text, len(pool))

        for e in entries:
            fixed = (e.code, e.name, e.kind, e.kind_title, e.category, e.lead, e.main, e.township)
            pairs = [v for pair in (*e.texts, *e.departments) for v in pair]
            shape = (*map(ref, fixed), len(e.texts), *map(ref, pairs))
            shape_of.append(shapes.setdefault(shape, len(shapes)))
            units.append(ref(e.unit))
            files.append(ref(e.file))
        rows = [list(shape) for shape in shapes]
        strings = list(pool)
        refolded = {i: f for i, t in enumerate(strings) if (f := fold(t, fold_table)) != t}
        keys = {pool[label]: k for label, k in (department_keys or {}).items() if label in pool}
        return cls(
            strings,
            rows,
            units,
            files,
            shape_of,
            fold_table,
            spellings,
            edition,
            refolded,
            faulty,
            keys,
        )

    def to_cache(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "strings": self.strings,
            "shapes": self.shapes,
            "entries": [
                n for row in zip(self.units, self.files, self.shape_of, strict=True) for n in row
            ],
            "fold": {chr(k): v for k, v in self.fold_table.items()},
            "spellings": self.spellings,
            "edition": self.edition,
            "refolded": [[i, t] for i, t in self.refolded.items()],
            "faulty": list(self.faulty),
            "department_keys": [[n, keys] for n, keys in self.department_keys.items()],
        }

    @classmethod
    def from_cache(cls, raw: dict[str, Any]) -> Index:
        """Raises on anything qingdan did not write (the cache then starts afresh)."""
        if raw["format"] != FORMAT:
            raise ValueError(raw["format"])
        strings, shapes, flat = raw["strings"], raw["shapes"], raw["entries"]
        spellings = raw["spellings"]
        if not all(isinstance(v, list) for v in (strings, shapes, flat)):
            raise TypeError("index")
        if not isinstance(spellings, dict):
            raise TypeError(spellings)
        shape_of = flat[2::3]
        if shape_of and (max(shape_of) >= len(shapes) or max(flat) >= len(strings)):
            raise IndexError("index")
        table = {ord(k): v for k, v in raw["fold"].items()}
        faulty = tuple(map(str, raw["faulty"]))
        return cls(
            strings,
            shapes,
            flat[0::3],
            flat[1::3],
            shape_of,
            table,
            spellings,
            str(raw["edition"]),
            {int(i): str(t) for i, t in raw["refolded"]},
            faulty,
            {int(n): [str(k) for k in keys] for n, keys in raw["department_keys"]},
        )


# --- building ---------------------------------------------------------------------------------


def build(
    lists: Iterable[ResolvedList],
    words: Vocabulary,
    edition: str = "",
    registry: Departments | None = None,
) -> Index:
    """The index of ``lists``, in the order their tables print; ``registry`` gives the
    departments' other names."""
    from qingdan.rows import Rendered, table  # noqa: PLC0415

    memo = Rendered()
    entries = []
    faulty = []
    for listed in lists:
        if any(f.severity is Severity.ERROR for f in listed.findings):
            faulty.append(listed.display)
        shown = table(listed, words, rendered=memo)
        if shown is None:
            continue
        for row in shown.rows:
            entries.append(
                _entry_of(listed, shown.kind, row.item, row.cells, unit=shown.unit, words=words)
            )
    folds = full_table()
    names = {fold(e.name, folds) for e in entries}
    labels = {label for e in entries for _, label in e.departments}
    keys = {label: _names(label, registry, folds) for label in sorted(labels)}
    return Index.of(
        entries, folds, spell(sorted(names)), edition, faulty=tuple(faulty), department_keys=keys
    )


def _names(label: str, registry: Departments | None, folds: FoldTable) -> list[str]:
    """A department's label and every name the registry has for it, folded, each once."""
    dept = registry.get(label) if registry is not None else None
    names = [label] if dept is None else [label, dept.name, dept.short or "", *dept.aliases]
    return list(dict.fromkeys(fold(n, folds) for n in names if n))


def _entry_of(
    listed: ResolvedList,
    kind: Kind,
    item: Item,
    cells: tuple[str, ...],
    *,
    unit: str,
    words: Vocabulary,
) -> Entry:
    roles = kind.roles
    by_field = {c.field: text for c, text in zip(kind.columns, cells, strict=True)}
    texts = tuple(
        (c.title, text)
        for c, text in zip(kind.columns, cells, strict=True)
        if text and c.field not in (roles.name, roles.code)
    )
    parties = _departments(kind, item, words)
    split = kind.territorial or {}
    main = split.get("main", "")
    return Entry(
        code=item.code,
        name=item.name,
        unit=unit,
        kind=kind.name,
        kind_title=kind.title,
        file=listed.display,
        category=by_field.get(roles.category, ""),
        texts=texts,
        lead=by_field.get(split.get("lead", ""), ""),
        main="、".join(d for f, d in parties if f == main),
        township=by_field.get(split.get("township_duty", ""), ""),
        departments=tuple(
            (a.duty.value, words.unit_label(a.department)) for a in answers(kind, item)
        ),
    )


def _departments(kind: Kind, item: Item, words: Vocabulary) -> list[tuple[str, str]]:
    """(field, department as people name it) for every department reference of the item."""
    found = []
    for ref in kind.item.ref_fields:
        if ref.target != "department" or not ref.path:
            continue
        field = str(ref.path[0])
        for name in _at(item.values.get(field), ref.path[1:]):
            found.append((field, words.unit_label(name)))
    return found


def _at(value: Any, path: tuple[Any, ...]) -> Iterator[str]:
    if not path:
        if isinstance(value, str) and value:
            yield value
        return
    head, rest = path[0], path[1:]
    if head == "*" and isinstance(value, list):
        for entry in value:
            yield from _at(entry, rest)
    elif isinstance(value, dict):
        yield from _at(value.get(head), rest)


# --- the cache --------------------------------------------------------------------------------


def cached(
    workspace: Workspace, listset: ListSet, cache_dir: Path | None, today: dt.date | None = None
) -> tuple[Index, bool]:
    """The set's index, and whether it came from the cache."""
    from qingdan.present.vocabulary import vocabulary  # noqa: PLC0415

    day = (today or dt.date.today()).isoformat()
    fingerprint, digest = set_state([listset, *workspace.bases(listset)], day)
    cache = Cache.open(cache_dir, listset.root, fingerprint, purpose="search")
    hit = cache.use("index", digest, Index.from_cache)
    if hit is not None:
        return hit, True
    words, edition = vocabulary(listset), listset.config.edition
    index = build(workspace.lists(listset), words, edition, listset.departments)
    cache.put("index", digest, index.to_cache())
    cache.save()
    return index, False
