"""Reading files of a git revision straight from the object store, without a checkout.

Two ``git`` processes per revision at most: ``ls-tree`` for names and blob ids, and one
``cat-file --batch`` that streams every blob asked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qingdan.errors import QingdanError


def blob_id(data: bytes) -> str:
    """The id git gives these bytes, so a working file can be compared with a blob unread."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True)
class Repo:
    top: Path

    @classmethod
    def containing(cls, folder: Path) -> Repo:
        out = _git(folder, "rev-parse", "--show-toplevel")
        if out is None:
            raise QingdanError(
                f"{folder} 不在 git 仓库中，无法按版本比对。请改用两个文件夹或文件比对。"
            )
        top = Path(out.decode("utf-8", "surrogateescape").strip())
        if not top.is_absolute() or not top.is_dir():
            raise QingdanError(
                f"git 的输出无法理解（仓库根目录“{_shown(out)}”）。请检查安装的 git。"
            )
        return cls(top)

    def commit(self, rev: str) -> str | None:
        """The commit a revision names, or None when it names none."""
        out = _git(
            self.top, "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"
        )
        return out.decode("ascii", "replace").strip() if out else None

    def tree(self, commit: str, prefix: str) -> dict[str, str]:
        """Blob ids of every file under ``prefix`` (relative to the top), keyed by path."""
        args = ["ls-tree", "-r", "-z", "--full-tree", commit]
        if prefix:
            args += ["--", prefix]
        out = _git(self.top, *args, what=f"读取版本 {commit[:10]} 的文件列表")
        assert out is not None
        found: dict[str, str] = {}
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            parts = meta.split()
            if len(parts) != 3:
                raise QingdanError(f"git 的输出无法理解（“{_shown(record)}”）。请检查安装的 git。")
            _mode, kind, oid = parts
            if kind == b"blob":
                found[name.decode("utf-8", "surrogateescape")] = oid.decode("ascii", "replace")
        return found

    def index(self, prefix: str) -> dict[str, str]:
        """Blob ids of the staged files under ``prefix``: what the next commit will hold."""
        out = _git(self.top, "ls-files", "-s", "-z", "--", prefix or ".", what="读取暂存区")
        assert out is not None
        found: dict[str, str] = {}
        conflicted: list[str] = []
        for record in out.split(b"\0"):
            meta, _, name = record.partition(b"\t")
            parts = meta.split()
            if len(parts) != 3:
                continue
            path = name.decode("utf-8", "surrogateescape")
            if parts[2] == b"0":  # stage 0: not in the middle of a merge
                found[path] = parts[1].decode("ascii", "replace")
            elif path not in conflicted:
                conflicted.append(path)
        if conflicted:  # the file is in neither version yet: it must not count as removed
            names = "、".join(conflicted[:5]) + ("等" if len(conflicted) > 5 else "")
            raise QingdanError(
                f"暂存区中有未解决的合并冲突（{names}），无法确定下一次提交的内容。"
                "请先解决冲突并 git add 这些文件，再运行检查。"
            )
        return found

    def unborn(self) -> bool:
        """A repository without a single commit yet: HEAD names none and no branch or tag
        exists. A HEAD that cannot be read in a repository with refs (an orphan branch, objects
        missing) is not unborn: there is a base, it just cannot be read."""
        if _git(self.top, "rev-parse", "--verify", "--quiet", "HEAD") is not None:
            return False
        return _git(self.top, "for-each-ref", "--count=1", "--format=%(refname)") == b""

    def versions_of(self, path: str, limit: int = 200) -> list[tuple[str, str]]:
        """(commit, blob id) of a file in the commits that changed it, newest first."""
        out = _git(self.top, "log", f"-{limit}", "--format=%H", "--", path) or b""
        commits = out.decode("ascii", "replace").split()
        found = []
        for commit in commits:
            blob = self.tree(commit, path).get(path)
            if blob is not None:
                found.append((commit, blob))
        return found

    def grep(self, commit: str, pattern: str, prefix: str) -> list[str]:
        """Paths (relative to ``prefix``) of files in a commit with a line matching ``pattern``."""
        where = [commit] if commit else ["--cached"]  # no commit: the staged files
        args = ["grep", "-l", "-E", pattern, *where, "--", prefix or "."]
        out = _git(self.top, *args) or b""  # exit 1: nothing matched
        names = out.decode("utf-8", "surrogateescape").splitlines()
        return [n.removeprefix(f"{commit}:").removeprefix(prefix) for n in names]

    def extract(self, commit: str, into: Path) -> None:
        _extract(self, commit, into)

    def blobs(self, ids: Iterable[str]) -> dict[str, bytes]:
        """The contents of blobs, read in one ``git cat-file --batch`` pass."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        request = "".join(f"{oid}\n" for oid in wanted).encode()
        out = _stream(self.top, request)
        found: dict[str, bytes] = {}
        pos = 0
        for oid in wanted:
            end = out.find(b"\n", pos)
            header = out[pos:end].split() if end != -1 else []
            if len(header) != 3 or not header[2].isdigit():
                raise QingdanError(f"git 对象 {oid} 无法读取（仓库可能不完整）。")
            size = int(header[2])
            found[oid] = out[end + 1 : end + 1 + size]
            pos = end + 1 + size + 1
        return found


def _extract(repo: Repo, commit: str, into: Path) -> None:
    """The whole tree of a commit (or, without one, the staged files) as files under ``into``,
    without touching the working tree."""
    if not commit:
        _git(repo.top, "checkout-index", "-a", f"--prefix={into}{os.sep}", what="导出暂存区")
        return
    out = _git(repo.top, "archive", "--format=tar", commit, what=f"导出版本 {commit[:10]}")
    assert out is not None
    with tarfile.open(fileobj=io.BytesIO(out)) as archive:
        archive.extractall(into, filter=_inside_tree)


def _inside_tree(member: tarfile.TarInfo, into: str) -> tarfile.TarInfo | None:
    """What tarfile's ``data`` filter lets through; the rest (a link to an absolute path or out
    of the tree, committed by anyone) is skipped: it can be no list file of the set."""
    try:
        return tarfile.data_filter(member, into)
    except tarfile.FilterError:
        return None


def _stream(cwd: Path, request: bytes) -> bytes:
    """``git cat-file --batch`` read in one go: ``subprocess.run`` would poll the pipe in 32 KB
    chunks, which costs more than git itself on a 100 MB version."""
    proc = subprocess.Popen(
        [_exe(), "cat-file", "--batch"],
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None and proc.stdout is not None

    def feed() -> None:
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write(request)
        proc.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    timer = threading.Timer(timeout(), proc.kill)
    timer.start()
    try:
        out = proc.stdout.read()
        writer.join()
        code = proc.wait()
    finally:
        expired = not timer.is_alive()
        timer.cancel()
    if expired and code != 0:
        raise QingdanError(_silent("读取 git 对象"))
    if code != 0:
        raise QingdanError("读取 git 对象失败（仓库可能不完整）。")
    return out


def _exe() -> str:
    exe = shutil.which("git")
    if exe is None:
        raise QingdanError("找不到 git 命令。按版本比对需要安装 git（https://git-scm.com）。")
    return exe


def _git(cwd: Path, *args: str, what: str | None = None) -> bytes | None:
    """Run git; None on failure when ``what`` is None, else a QingdanError saying what failed."""
    try:
        proc = subprocess.run(
            [_exe(), *args], cwd=cwd, capture_output=True, check=False, timeout=timeout()
        )
    except subprocess.TimeoutExpired:
        raise QingdanError(_silent(what or f"运行 git {args[0]}")) from None
    except OSError as exc:  # the folder went away, or git cannot be started
        raise QingdanError(f"无法运行 git：{exc.strerror or exc}。") from exc
    if proc.returncode == 0:
        out: bytes = proc.stdout
        return out
    if what is None:
        return None
    detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    raise QingdanError(
        f"{what}失败：{detail[-1] if detail else 'git 返回 ' + str(proc.returncode)}"
    )


GIT_TIMEOUT = 300.0
"""Seconds one git call may take: exporting a large version takes a few, and a git that never
answers (a hung network file system, a credential prompt) must not hold CI until it is killed."""


def timeout() -> float:
    """``GIT_TIMEOUT``, or ``QINGDAN_GIT_TIMEOUT`` when that is set to a number of seconds."""
    try:
        return max(0.1, float(os.environ.get("QINGDAN_GIT_TIMEOUT", "")))
    except ValueError:
        return GIT_TIMEOUT


def _silent(what: str) -> str:
    return (
        f"{what}失败：git 在 {timeout():g} 秒内没有响应，已停止。请检查仓库所在的磁盘或网络，"
        "或设置环境变量 QINGDAN_GIT_TIMEOUT（秒）放宽时限。"
    )


def _shown(out: bytes) -> str:
    return out.decode("utf-8", "replace").strip()[:80]
