"""The ``qingdan`` command: thin typer commands over the library, one error boundary."""

from __future__ import annotations

import os
import sys

import typer

from qingdan import __version__
from qingdan.cli import chinese
from qingdan.errors import QingdanError

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
from qingdan.cli import explain as _explain  # noqa: E402,F401
from qingdan.cli import export as _export  # noqa: E402,F401
from qingdan.cli import book as _book  # noqa: E402,F401
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
        sys.stderr.write(f"错误：{exc}\n")
        sys.exit(2)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("已中断。\n")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
