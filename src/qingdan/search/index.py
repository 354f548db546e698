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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qingdan.cache import Cache, content_hash
from qingdan.findings import Finding
from qingdan.kinds import Kind
from qingdan.search.fold import FoldTable, fold, full_table
from qingdan.search.pinyin import spell
from qingdan.source import read_raw

if TYPE_CHECKING:
    from qingdan.listset import ListSet
    from qingdan.model import Item, ResolvedList
    from qingdan.present.vocabulary import Vocabulary
    from qingdan.workspace import Workspace

FORMAT = 1
LEAD, MAIN, COOPERATING = "牵头", "主体", "配合"
"""How a department answers for an item, as the department pages group them."""


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


@dataclass(frozen=True, slots=True)
class Index:
    entries: tuple[Entry, ...]
    fold_table: FoldTable
    spellings: dict[str, str]
    """Folded name → its syllables (``pinyin.spell``)."""
    edition: str = ""

    def fold(self, text: str) -> str:
        return fold(text, self.fold_table)

    def to_cache(self) -> dict[str, Any]:
        pool: dict[str, int] = {}

        def ref(text: str) -> int:
            return pool.setdefault(text, len(pool))

        rows = [[ref(v) for v in _flat(e)] for e in self.entries]
        return {
            "format": FORMAT,
            "strings": list(pool),
            "entries": rows,
            "fold": {chr(k): v for k, v in self.fold_table.items()},
            "spellings": self.spellings,
            "edition": self.edition,
        }

    @classmethod
    def from_cache(cls, raw: dict[str, Any]) -> Index:
        if raw["format"] != FORMAT:
            raise ValueError(raw["format"])
        strings = raw["strings"]
        entries = tuple(_entry([strings[i] for i in row]) for row in raw["entries"])
        table = {ord(k): v for k, v in raw["fold"].items()}
        spellings = raw["spellings"]
        if not isinstance(spellings, dict):
            raise TypeError(spellings)
        return cls(entries, table, spellings, str(raw["edition"]))


_FIXED = 10
"""Fields of an entry before its pairs, as ``_flat`` writes them."""


def _flat(e: Entry) -> Iterator[str]:
    yield from (e.code, e.name, e.unit, e.kind, e.kind_title, e.file, e.category)
    yield from (e.lead, e.main, e.township)
    yield str(len(e.texts))
    for title, text in (*e.texts, *e.departments):
        yield title
        yield text


def _entry(values: list[str]) -> Entry:
    code, name, unit, kind, kind_title, file, category, lead, main, township = values[:_FIXED]
    count = int(values[_FIXED])
    pairs = list(zip(values[_FIXED + 1 :: 2], values[_FIXED + 2 :: 2], strict=True))
    return Entry(
        code,
        name,
        unit,
        kind,
        kind_title,
        file,
        category,
        texts=tuple(pairs[:count]),
        lead=lead,
        main=main,
        township=township,
        departments=tuple(pairs[count:]),
    )


# --- building ---------------------------------------------------------------------------------


def build(lists: Iterable[ResolvedList], words: Vocabulary, edition: str = "") -> Index:
    """The index of ``lists``, in the order their tables print."""
    from qingdan.rows import Rendered, table  # noqa: PLC0415

    memo = Rendered()
    entries = []
    for listed in lists:
        shown = table(listed, words, rendered=memo)
        if shown is None:
            continue
        for row in shown.rows:
            entries.append(
                _entry_of(listed, shown.kind, row.item, row.cells, unit=shown.unit, words=words)
            )
    folds = full_table()
    names = {fold(e.name, folds) for e in entries}
    return Index(tuple(entries), folds, spell(sorted(names)), edition)


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
        departments=tuple(dict.fromkeys((_role(kind, f), d) for f, d in parties)),
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


def _role(kind: Kind, field: str) -> str:
    """牵头 for the lead field, 主体 for the main party's (``x-qingdan.territorial``); any other
    department an item names works with it (配合)."""
    split = kind.territorial or {}
    if field == split.get("lead"):
        return LEAD
    if field == split.get("main"):
        return MAIN
    return COOPERATING


# --- the cache --------------------------------------------------------------------------------


def cached(
    workspace: Workspace, listset: ListSet, cache_dir: Path | None, today: dt.date | None = None
) -> tuple[Index, bool]:
    """The set's index, and whether it came from the cache."""
    from qingdan.present.vocabulary import vocabulary  # noqa: PLC0415
    from qingdan.validation import set_fingerprint  # noqa: PLC0415

    day = (today or dt.date.today()).isoformat()
    fingerprint = content_hash(f"{set_fingerprint(workspace, listset)}{day}".encode())
    cache = Cache.open(cache_dir, listset.root, fingerprint, purpose="search")
    digest = _files_digest([listset, *workspace.bases(listset)])
    hit = cache.use("index", digest, Index.from_cache)
    if hit is not None:
        return hit, True
    index = build(workspace.lists(listset), vocabulary(listset), listset.config.edition)
    cache.put("index", digest, index.to_cache())
    cache.save()
    return index, False


def _files_digest(sets: list[ListSet]) -> str:
    """Every list file of the set and of its bases, by name and content."""
    parts = []
    for listset in sets:
        for path in listset.list_files():
            raw = read_raw(path, str(path))
            parts.append(
                f"{path.resolve()}={'-' if isinstance(raw, Finding) else content_hash(raw)}"
            )
    return content_hash("\n".join(parts).encode("utf-8", "surrogateescape"))
