"""What one department answers for, per list file, kept between runs (``qingdan who``).

Resolving a district's 100,000 items takes seconds; asking the same department again (or after
editing one township's file) should not. So each department has a cache of its own (the shared
``Cache``: one JSON file, entries by content hash, thrown away whole when the set's fingerprint
changes), holding per list file only that department's charges; a derived list's entry is used
only while every file up its chain still has the hash it had. A department never asked about
costs nothing, and a warm answer reads a few hundred small entries rather than the lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qingdan.cache import Cache, FileHashes, content_hash
from qingdan.duties import Charge, Duty, InList, in_list
from qingdan.findings import Finding
from qingdan.listset import ListSet, display_path
from qingdan.present.vocabulary import Vocabulary
from qingdan.registry import Department
from qingdan.source import read_raw
from qingdan.validation import set_fingerprint
from qingdan.workspace import Workspace


def charges(
    workspace: Workspace,
    listset: ListSet,
    files: list[Path],
    department: Department,
    words: Vocabulary,
    *,
    cache_dir: Path | None,
) -> Iterator[InList]:
    """``department``'s charges in each of ``files``, from the cache where it is current."""
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


def _entry(found: InList) -> dict[str, Any]:
    return {
        "unit": found.unit,
        "label": found.label,
        "kind": found.kind,
        "title": found.title,
        "faulty": found.faulty,
        "charges": [
            [c.duty.value, c.code, c.name, c.category, c.detail, c.index] for c in found.charges
        ],
    }


def _read(entry: dict[str, Any], display: str) -> tuple[InList, list[list[str]] | None]:
    """An entry as ``_entry`` wrote it (raises on anything else: the cache is then dropped)."""
    charges = tuple(
        Charge(Duty(duty), _text(code), _text(name), _text(category), _text(detail), int(index))
        for duty, code, name, category, detail, index in entry["charges"]
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


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value
