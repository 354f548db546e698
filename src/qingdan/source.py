"""Bytes from disk to UTF-8 text we are willing to parse, or a finding that says why not.

Guards come first so that hostile or accidental input (a huge file, an Excel workbook saved under a
.yaml name, a GBK file from Notepad) is refused with a clear message before any parser sees it.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from qingdan.boundary import escapes_repository
from qingdan.findings import Finding, Location
from qingdan.messages import finding

MAX_FILE_BYTES = 32 * 1024 * 1024
"""A township file is well under 1 MB; anything past this is a mistake or an attack."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "这是一个压缩包或 Office 文件（.xlsx/.docx 等）"),
    (b"\xd0\xcf\x11\xe0", "这是一个旧版 Office 文件（.xls/.doc）"),
    (b"%PDF", "这是一个 PDF 文件"),
    (b"\x89PNG", "这是一个 PNG 图片"),
    (b"\xff\xd8\xff", "这是一个 JPEG 图片"),
)

_UTF16_32 = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


_CONTENT = re.compile(r"^[ \t]*(?!#|---[ \t]*$|\.\.\.[ \t]*$)\S", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Source:
    """A file's bytes, checked to be UTF-8 text with the BOM removed."""

    display: str
    data: bytes
    text: str


def unix_newlines(data: bytes) -> bytes:
    """CRLF (Windows, Git for Windows' ``core.autocrlf``) and lone CR line breaks become LF.

    YAML itself treats all three as line breaks, so lines and columns stay the same; doing it once,
    where bytes enter, lets everything after it (the fast parser, the piece splitter, the header
    reader, content hashes and git blob ids) see one form, and a CRLF checkout compares equal to
    the LF blobs git stores.
    """
    if b"\r" not in data:
        return data
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.1f} KB"


class NotReadable(OSError):
    """A path that is not a regular file in the repository: a pipe, a device, a socket, or a
    link out of the repository. Opening one for reading can block forever (a FIFO) or read
    without end (``/dev/zero``), so it is refused before a byte is read."""


class TooLarge(OSError):
    """A file past the size limit, left unread."""

    def __init__(self, size: int) -> None:
        super().__init__(0, "文件过大，未读取")
        self.size = size


_REASONS = {
    errno.ENXIO: "这不是普通文件（是套接字或设备），不会读取",
    errno.ELOOP: "路径中的链接形成了循环",
    errno.ENAMETOOLONG: "路径过长，超过了系统的限制",
}
_NONBLOCK = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (``limit + 1`` when it grew while
    read: the caller tells), else an ``OSError``: ``NotReadable`` for what is not a file of the
    repository, ``TooLarge`` past the limit."""
    if escapes_repository(path):
        raise NotReadable(0, "这是指向仓库之外的链接，不会读取")
    try:
        fd = os.open(path, _NONBLOCK)  # a FIFO opens at once without a writer, then is refused
    except OSError as exc:
        if exc.errno in _REASONS:
            raise NotReadable(exc.errno, _REASONS[exc.errno]) from None
        raise
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(0, "这是一个文件夹")
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(0, "这不是普通文件（是管道、设备或套接字），不会读取")
        if info.st_size > limit:
            raise TooLarge(info.st_size)
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read(limit + 1)
    finally:
        os.close(fd)


def read_raw(path: Path, display: str) -> bytes | Finding:
    """The file's bytes, refusing what is too large to be a list file."""
    loc = Location(display)
    try:
        data = read_regular(path)
    except TooLarge as exc:
        return _too_large(exc.size, loc)
    except NotReadable as exc:
        return finding("file.unreadable", loc, reason=exc.strerror)
    except IsADirectoryError:
        return finding("file.unreadable", loc, reason="这是一个文件夹")
    except PermissionError:
        return finding("file.unreadable", loc, reason="没有读取权限")
    except FileNotFoundError:
        return finding("file.unreadable", loc, reason="文件不存在（或是指向不存在文件的链接）")
    except OSError as exc:
        return finding("file.unreadable", loc, reason=f"系统错误 {exc.errno}：{exc.strerror}")
    if len(data) > MAX_FILE_BYTES:  # grew between stat and read
        return _too_large(len(data), loc)
    return unix_newlines(data)


def _too_large(size: int, loc: Location) -> Finding:
    return finding("file.too-large", loc, size=_human_size(size), limit=_human_size(MAX_FILE_BYTES))


def read_source(path: Path, display: str) -> Source | Finding:
    """Read and vet one file. ``display`` is the path as the user should see it."""
    data = read_raw(path, display)
    return data if isinstance(data, Finding) else vet_bytes(data, display)


def vet_bytes(data: bytes, display: str) -> Source | Finding:
    """Check encoding and content class of bytes already in memory."""
    loc = Location(display)
    data = unix_newlines(data)
    for bom, name in _UTF16_32:
        if data.startswith(bom):
            return finding("file.encoding", loc, detail=_convert_hint(f"文件是 {name} 编码"))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return finding("file.binary", loc, what=what)
    head = data[:8192]
    if b"\x00" in head:
        if head[1::2].count(0) > len(head) // 3 or head[0::2].count(0) > len(head) // 3:
            detail = _convert_hint("文件是 UTF-16 编码（没有 BOM）")
            return finding("file.encoding", loc, detail=detail)
        return finding("file.binary", loc, what="文件中含有二进制内容（NUL 字节）")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _encoding_finding(data, exc, display)
    if not _has_content(text):
        return finding("file.empty", loc)
    return Source(display, data, text)


def _has_content(text: str) -> bool:
    """Anything besides blank lines, comments and document markers (stops at the first)."""
    return _CONTENT.search(text) is not None


def _encoding_finding(data: bytes, exc: UnicodeDecodeError, display: str) -> Finding:
    line = data.count(b"\n", 0, exc.start) + 1
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
    loc = Location(display, line, column)
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        detail = _convert_hint(f"文件不是 UTF-8 编码（第 {line} 行有无法识别的字节）")
    else:
        detail = _convert_hint(
            "文件不是 UTF-8 编码，看起来是 GBK/GB18030（Windows 记事本或 Excel 的“ANSI”编码）",
            source="GB18030",
        )
    return finding("file.encoding", loc, detail=detail)


def _convert_hint(problem: str, source: str = "原编码") -> str:
    return (
        f"{problem}。清单文件必须是 UTF-8 编码。转换方法：用记事本打开，“另存为”时把编码选为"
        f"“UTF-8”；或在命令行运行 iconv -f {source} -t UTF-8 原文件 > 新文件。"
    )
