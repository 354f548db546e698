"""The ``qingdan`` command: thin typer commands over the library, one error boundary."""

from __future__ import annotations

import errno
import os
import sys

import typer

from qingdan import __version__
from qingdan.cli import chinese
from qingdan.errors import QingdanError
from qingdan.present.visible import visible

app = chinese.Typer(
    name="qingdan",
    help="镇（街道）“三张清单”工具：校验清单、比对版本、导出表格和印制文本。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


DIR_OPTION = typer.Option(
    None,
    "--dir",
    "-C",
    help="清单集所在的文件夹；默认为当前文件夹。",
    show_default=False,
)
"""The list set a command works in, for commands whose arguments are something else."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qingdan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="显示版本号并退出。"
    ),
) -> None:
    """镇（街道）“三张清单”工具：校验清单、比对版本、导出表格和印制文本。"""


# the order of --help: the daily commands first
# isort: off
from qingdan.cli import validate as _validate  # noqa: E402,F401  (registers the command)
from qingdan.cli import diff as _diff  # noqa: E402,F401
from qingdan.cli import check as _check  # noqa: E402,F401
from qingdan.cli import derive as _derive  # noqa: E402,F401
from qingdan.cli import importing as _importing  # noqa: E402,F401
from qingdan.cli import export as _export  # noqa: E402,F401
from qingdan.cli import explain as _explain  # noqa: E402,F401
from qingdan.cli import who as _who  # noqa: E402,F401
from qingdan.cli import show as _show  # noqa: E402,F401
from qingdan.cli import fmt as _fmt  # noqa: E402,F401
from qingdan.cli import book as _book  # noqa: E402,F401
from qingdan.cli import find as _find  # noqa: E402,F401
from qingdan.cli import site as _site  # noqa: E402,F401
# isort: on


def main() -> None:
    """Entry point; the only place a ``QingdanError`` or a usage error becomes ``错误：…``, exit 2."""
    for stream in (sys.stdout, sys.stderr):
        # a console that cannot show a character must not turn a report into a traceback
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    try:
        code = app(standalone_mode=False)
    except chinese.UsageError as exc:
        screen = chinese.no_args_help(exc)
        if screen is not None:  # a bare ``qingdan``: its help, as with --help
            typer.echo(screen)
            sys.exit(0)
        sys.exit(chinese.usage_error(exc))
    except BrokenPipeError:  # ``qingdan validate | head``: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except QingdanError as exc:
        sys.stderr.write(f"错误：{visible(str(exc))}\n")
        sys.exit(2)
    except (KeyboardInterrupt, typer.Abort):  # before RuntimeError: click.Abort is one
        sys.stderr.write("已中断。\n")
        sys.exit(130)
    except RuntimeError as exc:
        if not _broken_pool(exc):
            raise
        sys.stderr.write(
            "错误：一个并行校验进程意外退出（可能因内存不足被系统终止）。请重新运行，或加 --jobs 1。\n"
        )
        sys.exit(2)
    except OSError as exc:  # a full or read-only disk while writing: the system's own error
        sys.stderr.write(f"错误：{_os_error(exc)}\n")
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


def _broken_pool(exc: RuntimeError) -> bool:
    """A validate worker killed (``BrokenProcessPool``). Looked up only when one is raised:
    importing concurrent.futures (and logging with it) costs every command 0.04 s."""
    futures = sys.modules.get("concurrent.futures")
    return futures is not None and isinstance(exc, futures.BrokenExecutor)


_ERRNO_TEXT = {
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "磁盘是只读的",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "路径过长",
    errno.ELOOP: "路径中的链接形成了循环",
}


def _os_error(exc: OSError) -> str:
    """What the system refused, in Chinese where the reason is a common one."""
    reason = _ERRNO_TEXT.get(exc.errno or 0) or f"系统错误 {exc.errno}：{exc.strerror or exc}"
    name = exc.filename if isinstance(exc.filename, str) else None
    where = f" {name}" if name else ""
    return f"无法读写{where}：{reason}。请检查这个位置后重新运行。"
