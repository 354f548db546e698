"""The one exception type for "the job cannot be done".

Problems in the user's data are findings, never exceptions; a ``QingdanError`` means qingdan could not
run at all (no list set, unreadable path, bad option). The CLI turns it into ``错误：…`` and exit 2.
"""

from __future__ import annotations

import errno


class QingdanError(Exception):
    """Carries a complete Chinese message for the user."""


_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "磁盘或分区是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOENT: "文件夹不存在",
}


def os_reason(error: OSError) -> str:
    """Why a write failed, in words a user reads (the system's own are English)."""
    return _REASONS.get(error.errno or 0) or error.strerror or str(error)
