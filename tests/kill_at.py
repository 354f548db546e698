"""Run qingdan, killing it with SIGKILL at its K-th write under a folder (an audit hook).

Usage: python kill_at.py K FOLDER COUNT_FILE qingdan-arguments...

Writes are the audit events of creating, linking, renaming and removing files and folders
(``sys.addaudithook``), so a test can interrupt a command at every step of its writing, not
only when a timer happens to fire. K = 0 never kills: the number of writes goes to COUNT_FILE.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT
_EVENTS = {
    "os.rename",
    "os.link",
    "os.symlink",
    "os.remove",
    "os.rmdir",
    "os.mkdir",
    "shutil.rmtree",
    "qingdan.atomic.exchange",
}


def main() -> None:
    kill_at, folder, count_file = int(sys.argv[1]), os.path.realpath(sys.argv[2]), sys.argv[3]
    seen = 0

    parent, name = os.path.split(folder)

    def under(path: Any) -> bool:
        """Inside the folder or beside it under its name (a staged copy, a temporary file)."""
        if not isinstance(path, str | bytes | os.PathLike):
            return False
        relative = os.path.relpath(os.path.realpath(os.fsdecode(path)), parent)
        first = relative.split(os.sep)[0]
        return first == name or first.startswith(f".{name}.")

    def hook(event: str, args: tuple[Any, ...]) -> None:
        nonlocal seen
        if event == "open":
            path, mode, flags = args
            writes = (mode and any(c in mode for c in "wxa+")) or (flags or 0) & _WRITING
            if not (writes and under(path)):
                return
        elif event not in _EVENTS or not any(under(a) for a in args[:2]):
            return
        seen += 1
        if seen == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    sys.argv = ["qingdan", *sys.argv[4:]]
    sys.addaudithook(hook)
    from qingdan.cli import main as qingdan

    try:
        qingdan()
    finally:
        Path(count_file).write_text(str(seen), "utf-8")


if __name__ == "__main__":
    main()
