"""A content-hash cache of per-file results, kept outside the list set.

One JSON file per list set root. It is thrown away whole when the fingerprint changes (qingdan,
a schema, the config, registry or category trees, or the date, since expiry depends on it); an
entry is used only when the file's content hash matches. Cache trouble is never the user's
problem: unreadable or corrupt caches are ignored (one entry of the wrong shape discards them
all), failed writes are skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from qingdan import atomic
from qingdan.findings import Finding
from qingdan.source import read_raw, read_regular

if TYPE_CHECKING:
    from qingdan.listset import ListSet

FORMAT = 2
T = TypeVar("T")

MAX_CACHE_BYTES = 256 * 1024 * 1024
"""Past this a cache is not read (a township set's is a few MB); it is rebuilt instead."""


def default_dir() -> Path:
    env = os.environ.get("QINGDAN_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "qingdan" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "qingdan"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qingdan"


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class Cache:
    path: Path | None
    fingerprint: str
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def open(cls, directory: Path | None, root: Path, fingerprint: str, purpose: str = "") -> Cache:
        """The cache of one list set root; ``purpose`` keeps another command's entries (resolve's)
        in a file of their own, so that neither throws the other's away."""
        if directory is None:
            return cls(None, fingerprint)
        name = hashlib.blake2b(f"{root.resolve()}{purpose}".encode(), digest_size=12).hexdigest()
        cache = cls(directory / f"{name}.json", fingerprint)
        try:
            raw = json.loads(read_regular(directory / f"{name}.json", MAX_CACHE_BYTES))
        except (OSError, ValueError, RecursionError):  # unreadable, not JSON, nested too deep
            return cache
        if (
            isinstance(raw, dict)
            and raw.get("format") == FORMAT
            and raw.get("fingerprint") == fingerprint
            and isinstance(raw.get("files"), dict)
        ):
            cache.entries = raw["files"]
        return cache

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def use(self, key: str, digest: str, read: Callable[[dict[str, Any]], T]) -> T | None:
        """The outcome cached for ``key`` at ``digest``, as ``read`` makes it, or None.

        Only qingdan writes the cache, so an outcome ``read`` cannot make sense of means the file
        was edited or damaged even though its fingerprint is right: nothing in it is trusted any
        more, every entry is dropped and this run's results replace them."""
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or entry.get("hash") != digest:
            return None
        outcome = entry.get("outcome")
        try:
            if not isinstance(outcome, dict):
                raise TypeError(key)
            return read(outcome)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            self.entries.clear()
            self.dirty = True
            return None

    def put(self, key: str, digest: str, outcome: dict[str, Any]) -> None:
        if self.enabled:
            self.entries[key] = {"hash": digest, "outcome": outcome}
            self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        payload = {"format": FORMAT, "fingerprint": self.fingerprint, "files": self.entries}
        # a read-only or full cache directory only costs speed next time
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_bytes(self.path, _encoded(payload))


def _encoded(payload: dict[str, Any]) -> bytes:
    """The cache as UTF-8 JSON; a file name that is not UTF-8 (git keeps any bytes) makes it
    escaped ASCII JSON, which reads back to the same names."""
    try:
        return json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(payload).encode()


def set_state(sets: Sequence[ListSet], day: str, also: Sequence[Path] = ()) -> tuple[str, str]:
    """(fingerprint, digest) for a result made from every list of a set and its bases (find's
    index, one department's answer), so that a warm run reads no list at all.

    The fingerprint covers what the lists are read against (qingdan, schemas, config, registry,
    trees, the date); the digest names every list file by size, modification time and inode, as
    git's index does: hashing 6 MB of lists would cost half the warm run. Since every list file is
    in the digest, which file holds which unit's list needs no reading of its own. ``also``:
    files the result reads besides the sets' lists (one file named on the command line)."""
    fingerprint = content_hash("\n".join([*(s.fingerprint() for s in sets), day]).encode())
    settled = time.time_ns() - SETTLE_NS
    parts = []
    for path in [*(p for listset in sets for p in listset.list_files()), *also]:
        try:
            stat = path.stat()
        except OSError:
            parts.append(f"{path}=-")
            continue
        if stat.st_mtime_ns > settled:  # another edit could still get this same time
            return fingerprint, os.urandom(16).hex()
        parts.append(f"{path}={stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}")
    return fingerprint, content_hash("\n".join(parts).encode("utf-8", "surrogateescape"))


SETTLE_NS = 3_000_000_000
"""How old a file's modification time must be for the time to tell edits apart. Within it
(FAT keeps two seconds, some network shares one) a second edit of the same size could leave the
same time, so ``set_state`` then gives a digest that matches nothing: a run right after an edit
reads the lists, as git re-reads "racily clean" files."""


class FileHashes:
    """Content hashes of the files derived lists stand on, each file read once per run."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        if path not in self.known:
            raw = read_raw(Path(path), path)
            self.known[path] = "" if isinstance(raw, Finding) else content_hash(raw)
        return self.known[path]

    def state(self, deps: list[str]) -> list[list[str]]:
        """(file, hash) of everything a derived result depends on besides its own text."""
        return [[d, self(d)] for d in deps]

    def fresh(self, state: Any) -> bool:
        return isinstance(state, list) and all(
            isinstance(p, list) and len(p) == 2 and self(str(p[0])) == p[1] for p in state
        )
