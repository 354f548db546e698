"""The command line speaks Chinese: help screens, usage errors, mistyped commands."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import unicodedata
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import pytest
import typer
from typer.testing import CliRunner

from conftest import run_qingdan
from qingdan.cli import app
from qingdan.cli.chinese import Typer, UsageError, message

PRODUCT_WORDS = {
    # names and words the project's own help texts use on purpose
    *("qingdan", "git", "add", "HEAD", "origin", "main", "yaml", "xlsx", "resolved"),
    *("GitHub", "Actions", "GITHUB", "STEP", "SUMMARY", "JSON", "Schema", "Markdown", "CPU"),
    *("GitLab", "NO", "FORCE", "COLOR"),  # NO_COLOR / FORCE_COLOR, as --color explains them
    *("ignore", "space"),  # the suppression comment and a finding code in --select's example
    *("changes", "base", "edition"),  # config keys the help of check and rebase names
    *("Excel", "WPS", "xls", "ods"),  # the programs and files offices keep workbooks in
    "template",  # a command of the export group (its commands are not top-level names)
    *("PDF", "GB", "Fandol", "book", "fonts"),  # export book: formats, the standard, fonts
    *("SD", "ZR", "townships", "baihe"),  # an item code and a township's folder in examples
    *("UTF", "CRLF", "Windows"),  # fmt: the encoding and line ends it writes
    *("search", "synonyms", "territorial", "grep", "jg", "jinggai"),  # find: config key, examples
    *("site", "index", "html"),  # export site: the command and the page to open
}
"""Latin words a help screen may show besides option names, command names and option values."""

OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
CHOICES = re.compile(r"\b\w+(?:\|\w+)+\b")


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def screen(*args: str, columns: int = 80, **env: str) -> str:
    """A help screen, made in this process (a subprocess per screen cost a minute of the suite);
    test_bare_qingdan_shows_the_help and the terminal test compare it with the real command."""
    run = CliRunner().invoke(
        app, [*args, "--help"], env={"COLUMNS": str(columns), **env}, prog_name="qingdan"
    )
    assert run.exit_code == 0, run.output
    return run.output


@functools.cache
def commands() -> list[str]:
    """The commands ``qingdan --help`` lists, read off the screen."""
    lines = screen().splitlines()
    listed = lines[lines.index("命令") + 1 :]
    return [line.split()[0] for line in listed if line.startswith("  ") and line[2] != " "]


@functools.cache
def option_values() -> frozenset[str]:
    """Every value a choice option of any command takes (long lists show as ``text|…``)."""
    modules = [m for name, m in sys.modules.items() if name.startswith("qingdan.")]
    enums = {
        v for m in modules for v in vars(m).values() if isinstance(v, type) and issubclass(v, Enum)
    }
    return frozenset(str(member.value) for e in enums for member in e)


def latin_words(text: str, allowed: set[str]) -> set[str]:
    """Latin words in ``text`` that are not option names, option values or ``allowed``."""
    values = {word for found in CHOICES.findall(text) for word in found.split("|")}
    words = set(re.findall(r"[A-Za-z]+", OPTION.sub(" ", text)))
    return words - allowed - values - option_values()


def test_every_command_is_listed() -> None:
    """The root help lists every command the app has, in the order they are registered."""
    assert commands() == list(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("columns", [80, 120])
def test_no_english_from_the_cli_library_in_any_help_screen(columns: int) -> None:
    """Every help screen is Chinese: no Usage/Options/[default: …]/<list[Path]>; the Chinese
    section titles are there."""
    names = commands()
    for command in ["", *names]:
        text = screen(*filter(None, [command]), columns=columns)
        assert latin_words(text, PRODUCT_WORDS | set(names)) == set(), command
        assert text.startswith(" ".join(["用法：qingdan", *filter(None, [command])]) + " ")
        assert "\n选项\n" in text
        assert "显示本帮助并退出。" in text


def test_defaults_required_and_placeholders_are_chinese() -> None:
    """Defaults, required options and what an option takes are written in Chinese."""
    validate = screen("validate")
    assert "[默认：text]" in validate
    assert "-j, --jobs 整数 ≥ 0" in validate
    assert "-f, --format text|…" in validate
    assert "[路径…]" in validate
    check = screen("check")
    assert re.search(r"-b, --base 版本 .*\[必填\]", check, re.S)


def option_helps() -> list[tuple[str, str]]:
    """(command, help text) of every option and argument the app has."""
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    found = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        found += [(name, param.help) for param in command.get_params(ctx) if param.help]
    return found


@pytest.mark.parametrize("columns", [40, 80, 120])
def test_help_wraps_to_the_width_and_keeps_every_word(columns: int) -> None:
    """At any width, no help line is wider than the terminal, none starts with a closing mark,
    and no option's help is cut."""
    screens = {name: screen(name, columns=columns) for name in commands()}
    for text in screens.values():
        assert max(cells(line) for line in text.splitlines()) <= columns
        assert not [line for line in text.splitlines() if line.strip()[:1] in set("，。、；：）")]
    for name, help_text in option_helps():
        assert re.sub(r"\s", "", help_text) in re.sub(r"\s", "", screens[name]), (name, help_text)


def test_help_is_the_same_piped_without_colour_and_on_a_terminal() -> None:
    """Plain text everywhere: a pipe, NO_COLOR and a terminal show the same screen."""
    pty = pytest.importorskip("pty")
    piped = screen("check")
    assert screen("check", NO_COLOR="1") == piped
    leader, follower = pty.openpty()
    exe = Path(sys.executable).with_name("qingdan")
    env = {**os.environ, "COLUMNS": "80", "PYTHONIOENCODING": "utf-8"}
    subprocess.run([exe, "check", "--help"], stdout=follower, env=env, check=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert b"".join(chunks).decode("utf-8").replace("\r\n", "\n") == piped


def test_bare_qingdan_shows_the_help() -> None:
    """``qingdan`` alone prints the same help as ``qingdan --help`` and exits 0."""
    run = run_qingdan(cwd=Path.cwd(), env={"COLUMNS": "80"})
    assert (run.code, run.stdout.rstrip("\n"), run.stderr) == (0, screen().rstrip("\n"), "")
    validate = run_qingdan("validate", "--help", cwd=Path.cwd(), env={"COLUMNS": "40"})
    assert (validate.stdout, validate.stderr) == (screen("validate", columns=40), "")


USAGE_ERRORS = [
    (["valdate"], "没有“valdate”这个命令。您是不是要用 validate？"),
    (["zzz"], "没有“zzz”这个命令。"),
    (["--verison"], "没有“--verison”这个选项。您是不是要用 --version？"),
    (["check"], "缺少选项 --base：与哪个 git 版本比对（如 origin/main、HEAD）。"),
    (
        ["validate", "-f", "xml"],
        "选项 --format 的值不对：只能是 text、concise、json、github、sarif、junit、gitlab 之一。",
    ),
    (["validate", "-j", "-1"], "选项 --jobs 的值不对：应为不小于 0 的整数。"),
    (["validate", "--jobs", "two"], "选项 --jobs 的值不对：应为不小于 0 的整数。"),
    (["validate", "--frmat", "json"], "没有“--frmat”这个选项。您是不是要用 --format？"),
    (["diff", "HEAD~1", "HEAD", "lists"], "多写了参数：lists。"),
]


@pytest.mark.parametrize(("args", "expected"), USAGE_ERRORS, ids=" ".join)
def test_usage_errors_say_what_is_wrong_in_one_chinese_line(
    args: list[str], expected: str, tmp_path: Path
) -> None:
    """A wrong command line: exit 2, ``错误：…`` first, then the usage and where help is."""
    run = run_qingdan(*args, cwd=tmp_path)
    command = "qingdan" if args[0] not in commands() else f"qingdan {args[0]}"
    assert run.code == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0] == f"错误：{expected}"
    assert lines[1].startswith(f"用法：{command} [选项]")
    assert lines[2:] == [f"运行“{command} --help”查看帮助。"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate", "-f"], "错误：选项 -f 后面要写一个值。"),
        (["validate", "--strict=yes"], "错误：选项 --strict 是开关，后面不能写值。"),
    ],
)
def test_a_misused_option_is_named(args: list[str], expected: str, tmp_path: Path) -> None:
    """An option without its value, or a switch given one: exit 2 and a Chinese line naming it."""
    run = run_qingdan(*args, cwd=tmp_path)
    assert (run.code, run.stderr.splitlines()[0]) == (2, expected)


@pytest.fixture
def demo() -> Typer:
    """A small app built the way qingdan's is, with the styles other commands may use."""
    demo = Typer(add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})

    @demo.command()
    def show(code: str = typer.Argument(..., metavar="事项编码", help="要显示的事项。")) -> None:
        """显示一个事项。"""

    @demo.command()
    def export(
        # Optional: typer 0.12 cannot read ``Path | None``
        out: Annotated[
            Optional[Path],  # noqa: UP045
            typer.Option("--output", "-o", help="写到哪个文件。"),
        ] = None,
        sheets: Annotated[int, typer.Option(min=1, max=9, help="工作表数。")] = 3,
    ) -> None:
        """导出。"""

    return demo


def test_a_missing_argument_is_named_with_its_help(demo: Typer) -> None:
    """A required argument left out is named by its placeholder, with what to write."""
    with pytest.raises(UsageError) as caught:
        demo(["show"], standalone_mode=False)
    assert message(caught.value) == "缺少参数 事项编码：要显示的事项。"


def test_annotated_and_optional_parameters_get_chinese_placeholders(
    demo: Typer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``Annotated[T | None, typer.Option(…)] = default`` shows T's placeholder and the default."""
    monkeypatch.setenv("COLUMNS", "80")
    demo(["export", "--help"], standalone_mode=False)
    assert capsys.readouterr().out.split("选项\n")[1] == (
        "  -o, --output 路径       写到哪个文件。\n"
        "      --sheets 整数 1～9  工作表数。 [默认：3]\n"
        "  -h, --help              显示本帮助并退出。\n"
    )
    with pytest.raises(UsageError) as caught:
        demo(["export", "--sheets", "10"], standalone_mode=False)
    assert message(caught.value) == "选项 --sheets 的值不对：应为 1 到 9 之间的整数。"
