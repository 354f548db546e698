"""Write a file so that readers see the old content or the new, never half of it.

The new content goes to a temporary file beside the real target, is flushed to disk and then
renamed over the target in one step (``os.replace``). What a user would notice stays as it was:
an existing file keeps its permissions, a new one gets those any program would give it
(``0666`` less the umask), and a symbolic link stays a link whose target gets the new content.
Folders are never created here: whether the folder of an output exists is the caller's question
(see ``outputs.py``). A process killed between the two steps leaves its temporary file; the
writer's next run removes it (``leftovers``).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import secrets
import stat
from pathlib import Path

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{8}\.tmp", re.S)


def write_bytes(path: Path, data: bytes | memoryview) -> None:
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    tmp, fd = _create(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(target.parent)


def _create(target: Path) -> tuple[Path, int]:
    """A new temporary file beside ``target``. It is opened with mode 0666 so that the system
    applies the umask itself: reading the umask would mean setting it, which races with threads."""
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, _FLAGS, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def leftovers(folder: Path, name: str | None = None) -> list[Path]:
    """Temporary files left by writes that were killed before their rename: those of the file
    ``name`` beside it, or (without ``name``) all of them in ``folder`` and below. Only the
    writer that owns the place may remove them; a later run of it does."""
    found = folder.glob(f".{glob.escape(name)}.*.tmp") if name else folder.rglob(".*.tmp")
    return [p for p in found if _TEMPORARY.fullmatch(p.name) and p.is_file()]


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
