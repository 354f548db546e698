"""Write a file so that readers see the old content or the new, never half of it.

The new content goes to a temporary file beside the real target, is flushed to disk and then
renamed over the target in one step (``os.replace``). What a user would notice stays as it was:
an existing file keeps its permissions, a new one gets those any program would give it
(``0666`` less the umask), and a symbolic link stays a link whose target gets the new content.
Folders are never created here: whether the folder of an output exists is the caller's question
(see ``outputs.py``). A process killed between the two steps leaves its temporary file; the
writer's next run removes it (``leftovers``).

A folder of several files (``resolve``'s output) is written the same way as a whole: the new
folder is built beside the old one and the two are exchanged in one step (``write_folder``), so a
reader, or a run killed at any moment, finds the old folder or the new one and never a mixture.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{8}\.tmp", re.S)
_STAGED = re.compile(r"\..+\.[0-9a-f]{8}\.(new|old)", re.S)


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


def write_folder(folder: Path, files: dict[Path, bytes], remove: frozenset[Path]) -> None:
    """Make ``folder`` hold what it held, with ``files`` written and ``remove`` gone, in one step.

    Unchanged files are hard links into the new folder, so the cost is that of the files that
    change."""
    written = {path.relative_to(folder): data for path, data in files.items()}
    replaced = set(written) | {path.relative_to(folder) for path in remove}
    real = Path(os.path.realpath(folder))
    with staged_folder(folder) as staged:
        if real.is_dir():
            shutil.copystat(real, staged)
            _link_kept(real, staged, replaced)
        for relative, data in written.items():
            _write_new(staged / relative, data, real / relative)


@contextlib.contextmanager
def staged_folder(folder: Path) -> Iterator[Path]:
    """A new, empty folder beside ``folder`` to fill: when the block ends, it takes the place of
    ``folder`` in one step and the old folder is removed; when the block fails, ``folder`` stays
    as it was. Anything a killed earlier run left beside the folder is cleaned up (or, when the
    old folder had been moved aside and not replaced yet, put back) first."""
    folder = Path(os.path.realpath(folder))  # a link to the output stays a link
    recover_folder(folder)
    staged = _staged_name(folder, "new")
    staged.mkdir()
    try:
        yield staged
        _sync_folder(staged)
        _exchange(staged, folder)
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # after the exchange: the old folder
    _sync_folder(folder.parent)


def recover_folder(folder: Path) -> None:
    """Undo what a ``write_folder`` killed halfway left: a moved-aside old folder goes back
    when the new one never took its place; every other staged folder beside it is removed."""
    for left in sorted(folder.parent.glob(f".{glob.escape(folder.name)}.*")):
        match = _STAGED.fullmatch(left.name)
        if not match or not left.is_dir() or left.is_symlink():
            continue
        if match.group(1) == "old" and not os.path.lexists(folder):
            os.replace(left, folder)
        else:
            shutil.rmtree(left, ignore_errors=True)


def _staged_name(folder: Path, role: str) -> Path:
    return folder.with_name(f".{folder.name}.{secrets.token_hex(4)}.{role}")


def _link_kept(folder: Path, staged: Path, replaced: set[Path]) -> None:
    """Every file of the old folder that stays, linked (or, where links fail, copied) across."""
    for dirpath, dirnames, names in os.walk(folder):
        here = Path(dirpath)
        for name in dirnames:
            shutil.copystat(here / name, _mkdirs(staged / (here / name).relative_to(folder)))
        for name in names:
            source = here / name
            if source.relative_to(folder) in replaced or _TEMPORARY.fullmatch(name):
                continue
            target = _mkdirs(staged / source.relative_to(folder).parent) / name
            if source.is_symlink():
                os.symlink(os.readlink(source), target)
                continue
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)


def _mkdirs(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_new(path: Path, data: bytes, old: Path) -> None:
    """A file of the new folder, durable before the exchange, with the old file's mode."""
    _mkdirs(path.parent)
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, stat.S_IMODE(old.stat().st_mode))


def _exchange(staged: Path, folder: Path) -> None:
    """Put ``staged`` where ``folder`` is; ``staged`` then holds the old folder, if there was one.

    Linux swaps two folders in one system call (renameat2 with RENAME_EXCHANGE). Elsewhere the
    old folder is moved aside first: a run killed between the two renames leaves it under a name
    that ``recover_folder`` puts back."""
    sys.audit("qingdan.atomic.exchange", str(staged), str(folder))
    if not os.path.lexists(folder):
        os.replace(staged, folder)
        return
    if _swap(staged, folder):
        return
    aside = _staged_name(folder, "old")
    os.replace(folder, aside)
    os.replace(staged, folder)
    os.replace(aside, staged)


def _swap(first: Path, second: Path) -> bool:
    """Exchange two paths atomically; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # noqa: PLC0415  (only here: the call exists on Linux alone)

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))
