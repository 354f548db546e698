"""What one department answers for, per list file, kept between runs (``qingdan who``).

Resolving a district's 100,000 items takes seconds; asking the same department again (or after
editing one township's file) should not. So each department has a cache of its own (the shared
``Cache``: one JSON file, entries by content hash, thrown away whole when the set's fingerprint
changes), holding per list file only that department's charges; a derived list's entry is used
only while every file up its chain still has the hash it had. A department never asked about
costs nothing, and after an edit the answer reads a few hundred small entries rather than the
lists. While no list file has changed at all, the whole answer is one entry of a second cache
(``cache.set_state``, as ``find``'s index): no list file is read or hashed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qingdan.cache import Cache, FileHashes, content_hash, set_state
from qingdan.duties import Charge, Duty, InList, in_list
from qingdan.findings import Finding
from qingdan.listset import ListSet, display_path
from qingdan.present.vocabulary import Vocabulary
from qingdan.registry import Department
from qingdan.source import read_raw
from qingdan.workspace import Workspace


def charges(
    workspace: Workspace,
    listset: ListSet,
    files: list[Path],
    department: Department,
    words: Vocabulary,
    *,
    cache_dir: Path | None,
    today: dt.date | None = None,
) -> list[InList]:
    """``department``'s charges in each of ``files``, from the cache where it is current."""
    day = (today or dt.date.today()).isoformat()
    fingerprint, digest = set_state([listset, *workspace.bases(listset)], day, files)
    answers = Cache.open(cache_dir, listset.root, fingerprint, purpose=f"who:{department.code}:all")
    key = content_hash("\n".join(_key(listset, path) for path in files).encode("utf-8", "replace"))
    hit = answers.use(key, digest, lambda entry: _read_all(entry, files))
    if hit is not None:
        return hit
    found = list(_per_file(workspace, listset, files, department, words, cache_dir=cache_dir))
    answers.put(key, digest, {"lists": [_entry(listed) for listed in found]})
    answers.save()
    return found


def _per_file(
    workspace: Workspace,
    listset: ListSet,
    files: list[Path],
    department: Department,
    words: Vocabulary,
    *,
    cache_dir: Path | None,
) -> Iterator[InList]:
    """The charges file by file, each from the cache while its file and its chain are unchanged."""
    from qingdan.validation import set_fingerprint  # noqa: PLC0415 - all the checks: only when needed

    assert listset.departments is not None
    registry = listset.departments
    fingerprint = set_fingerprint(workspace, listset)
    cache = Cache.open(cache_dir, listset.root, fingerprint, purpose=f"who:{department.code}")
    hashes = FileHashes()
    try:
        for path in files:
            display = display_path(path)
            raw = read_raw(path, display) if cache.enabled else b""
            digest = content_hash(raw) if isinstance(raw, bytes) and raw else ""
            key = _key(listset, path)
            if digest:
                hit = cache.use(key, digest, lambda entry: _read(entry, display))  # noqa: B023
                if hit is not None and (hit[1] is None or hashes.fresh(hit[1])):
                    yield hit[0]
                    continue
            listed = workspace.resolved_list(listset, path)
            found = in_list(department, listed, registry, words)
            if digest and not isinstance(raw, Finding):
                state = hashes.state([str(p) for p in listed.sources]) if listed.derived else None
                cache.put(key, digest, {**_entry(found), "dep_hashes": state})
            yield found
    finally:
        cache.save()


def _key(listset: ListSet, path: Path) -> str:
    try:
        return path.resolve().relative_to(listset.root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


_COLUMNS = ("duty", "code", "name", "category", "detail")


def _entry(found: InList) -> dict[str, Any]:
    """One list's charges, a column per field: read back with C-level loops (``_read``)."""
    return {
        "unit": found.unit,
        "label": found.label,
        "kind": found.kind,
        "title": found.title,
        "faulty": found.faulty,
        "charges": {
            **{column: [getattr(c, column) for c in found.charges] for column in _COLUMNS},
            "duty": [c.duty.value for c in found.charges],
            "index": [c.index for c in found.charges],
        },
    }


def _read_all(entry: dict[str, Any], files: list[Path]) -> list[InList]:
    """The whole answer as ``charges`` stored it, one entry per file in order."""
    lists = entry["lists"]
    if not isinstance(lists, list) or len(lists) != len(files):
        raise TypeError(lists)
    return [_read(listed, display_path(path))[0] for listed, path in zip(lists, files, strict=True)]


def _read(entry: dict[str, Any], display: str) -> tuple[InList, list[list[str]] | None]:
    """An entry as ``_entry`` wrote it (raises on anything else: the cache is then dropped)."""
    table = entry["charges"]
    columns = [table[column] for column in _COLUMNS]
    for texts in columns:
        "".join(texts)  # raises unless every one is a text
    indexes = [int(i) for i in table["index"]]
    if len({len(column) for column in (*columns, indexes)}) != 1:
        raise ValueError(display)
    duties, codes, names, categories, details = columns
    charges = tuple(
        map(Charge, map(_DUTIES.__getitem__, duties), codes, names, categories, details, indexes)
    )
    found = InList(
        display,
        _text(entry["unit"]),
        _text(entry["label"]),
        _text(entry["kind"]),
        _text(entry["title"]),
        bool(entry["faulty"]),
        charges,
    )
    state = entry.get("dep_hashes")
    if state is not None and not isinstance(state, list):
        raise TypeError(state)
    return found, state


_DUTIES = {duty.value: duty for duty in Duty}


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value
