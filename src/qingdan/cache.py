"""A content-hash cache of per-file results, kept outside the list set.

One JSON file per list set root. It is thrown away whole when the fingerprint changes (qingdan,
a schema, the config, registry or category trees, or the date, since expiry depends on it); an
entry is used only when the file's content hash matches. Cache trouble is never the user's
problem: unreadable or corrupt caches are ignored, failed writes are skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qingdan import atomic

FORMAT = 2


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
    def open(cls, directory: Path | None, root: Path, fingerprint: str) -> Cache:
        if directory is None:
            return cls(None, fingerprint)
        name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=12).hexdigest()
        cache = cls(directory / f"{name}.json", fingerprint)
        try:
            raw = json.loads(directory.joinpath(f"{name}.json").read_bytes())
        except (OSError, ValueError):
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

    def get(self, key: str, digest: str) -> dict[str, Any] | None:
        entry = self.entries.get(key)
        if entry and entry.get("hash") == digest:
            return entry.get("outcome")
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
            atomic.write_bytes(self.path, json.dumps(payload, ensure_ascii=False).encode())
