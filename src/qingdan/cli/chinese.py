"""The command line in Chinese: help screens, usage lines and usage errors.

typer draws help as rich panels from English constants, and its parser (click in typer 0.12, a copy
of click inside newer typer) words errors as English f-strings or gettext calls that differ from
version to version; rich cuts a Chinese sentence, which has no spaces to break at, with "…". So the
commands here draw help themselves, as plain text wrapped by ``wrap``, from what every supported
version shares (each parameter's names, help and required flag, and the command function's
signature), and ``message`` words a usage error from the exception's class and attributes rather
than from its English text.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, TextIO, Union, cast, get_args, get_origin

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.models import CommandFunctionType, ParameterInfo

try:  # newer typer parses with its own copy of click
    from typer._click import exceptions as errors
except ImportError:  # pragma: no cover - typer 0.12 parses with click itself
    from click import exceptions as errors  # type: ignore[no-redef]

if TYPE_CHECKING:
    from typer._click import Command as ClickCommand
    from typer._click import Context, HelpFormatter

    Param = TyperOption | TyperArgument
    Cmd = TyperCommand | TyperGroup

UsageError = errors.UsageError
"""What the parser raises for a command line it cannot take; ``main`` catches it."""

MAX_SHOWN_CHOICES = 4
"""More choices than this show as ``text|…`` beside the option (the help lists them all), so that
the option column stays narrow enough to wrap at 40 columns."""

LABEL_WIDTH = 30
"""Widest option column (in terminal cells); a longer name puts its help on the next line."""

MAX_WIDTH = 100
"""Help lines no longer than this, however wide the terminal: long lines are hard to read."""

MIN_HELP_WIDTH = 20
"""Narrowest help column beside the names; on a narrower terminal help goes below each name."""

_SENTENCE_END = "。！？：；"
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


class Typer(typer.Typer):
    """``typer.Typer`` that speaks Chinese: the group is a ``Group``, its commands ``Command``s,
    unless given other classes."""

    def __init__(self, *, cls: type[TyperGroup] | None = None, **settings: Any) -> None:
        super().__init__(cls=cls or Group, **settings)

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **settings: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or Command, **settings)


class _ChineseHelp:
    """Help, usage line and help option drawn in Chinese, for commands and groups alike."""

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write(usage_line(self, ctx) + "\n")  # type: ignore[arg-type]

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write(render_help(self, ctx))  # type: ignore[arg-type]

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        return _chinese_help_option(super().get_help_option(ctx))  # type: ignore[misc]


class Command(_ChineseHelp, TyperCommand):
    """A command whose help, usage line and help option are Chinese."""


class Group(_ChineseHelp, TyperGroup):
    """The ``qingdan`` group: Chinese help, and a Chinese answer for a command it does not have."""

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, ClickCommand | None, list[str]]:
        name = args[0]
        if not name.startswith("-") and self.get_command(ctx, name) is None:
            raise UsageError(unknown_command(name, list(self.commands)), ctx)
        return super().resolve_command(ctx, args)


def _chinese_help_option(option: TyperOption | None) -> TyperOption | None:
    if option is not None:
        option.help = "显示本帮助并退出。"
    return option


def unknown_command(name: str, commands: list[str]) -> str:
    """Why ``name`` is not a command: a typo of one, or unknown."""
    guess = difflib.get_close_matches(name, commands, n=1)
    if guess:
        return f"没有“{name}”这个命令。您是不是要用 {guess[0]}？"
    return f"没有“{name}”这个命令。"


# --- what a parameter takes, from the command function's signature ------------------------------


@dataclass(frozen=True)
class Slot:
    """What one parameter takes, as help and error messages show it."""

    placeholder: str
    """``路径…``, ``整数 ≥ 0``, ``text|json|github``; empty for a switch."""
    expects: str
    """What a right value is, for the message about a wrong one: ``只能是 text、json 之一``."""
    default: str | None
    """The default as help shows it, or ``None`` when help shows none."""


def slot(command: Cmd, param: Param) -> Slot:
    """The slot of ``param``, from its annotation and ``typer.Option``/``Argument`` settings."""
    declared = _signature(command).get(param.name or "", Declared(bool, None, None))
    many = get_origin(declared.kind) is list
    kind = get_args(declared.kind)[0] if many else declared.kind
    placeholder, expects = _describe(kind, declared.info)
    if param.metavar:
        placeholder = param.metavar
    if many and placeholder:
        placeholder += "…"
    return Slot(placeholder, expects, _default(declared, param))


@dataclass(frozen=True)
class Declared:
    """A command function's parameter as written: its type, its ``typer.Option``/``Argument``
    and its default."""

    kind: Any
    info: ParameterInfo | None
    default: Any


def _signature(command: Cmd) -> dict[str, Declared]:
    return {} if command.callback is None else _parameters(command.callback)


@functools.cache
def _parameters(callback: Callable[..., Any]) -> dict[str, Declared]:
    """Each parameter of a command function (typer's wrapper leads to it through ``__wrapped__``),
    written ``x: T = typer.Option(…)`` or ``x: Annotated[T, typer.Option(…)] = default``."""
    found = {}
    for p in inspect.signature(callback, eval_str=True).parameters.values():
        kind, info, default = p.annotation, p.default, p.default
        if get_origin(kind) is Annotated:
            kind, *extras = get_args(kind)
            info = next((e for e in extras if isinstance(e, ParameterInfo)), None)
        elif isinstance(info, ParameterInfo):
            default = info.default
        rest = [a for a in get_args(kind) if a is not type(None)]
        if get_origin(kind) in (Union, UnionType) and len(rest) == 1:  # ``T | None``: T
            kind = rest[0]
        found[p.name] = Declared(kind, info if isinstance(info, ParameterInfo) else None, default)
    return found


def _describe(kind: Any, info: ParameterInfo | None) -> tuple[str, str]:
    if kind is bool:
        return "", "是开关，不带值"
    if isinstance(kind, type) and issubclass(kind, Enum):
        values = [str(member.value) for member in kind]
        shown = "|".join(values) if len(values) <= MAX_SHOWN_CHOICES else values[0] + "|…"
        return shown, f"只能是 {'、'.join(values)} 之一"
    if kind is int or kind is float:
        word = "整数" if kind is int else "数"
        low, high = (info.min, info.max) if info is not None else (None, None)
        if low is not None and high is not None:
            return f"{word} {low}～{high}", f"应为 {low} 到 {high} 之间的{word}"
        if low is not None:
            return f"{word} ≥ {low}", f"应为不小于 {low} 的{word}"
        if high is not None:
            return f"{word} ≤ {high}", f"应为不大于 {high} 的{word}"
        return word, f"应为{word}"
    if kind is Path:
        return "路径", "应为文件或文件夹的路径"
    return "值", "写法不对"


def _default(declared: Declared, param: Param) -> str | None:
    info = declared.info
    if info is None or param.required or info.show_default is False:
        return None
    if isinstance(info.show_default, str):
        return info.show_default
    value = declared.default
    if value is None or isinstance(value, bool) or value == []:
        return None
    return str(value.value if isinstance(value, Enum) else value)


def label(command: Cmd, param: Param) -> str:
    """How help and errors name ``param``: ``-f, --format`` for an option, ``路径…`` for an argument."""
    if isinstance(param, TyperArgument):
        return slot(command, param).placeholder or (param.name or "")
    return ", ".join(sorted(param.opts, key=len) + list(param.secondary_opts))


# --- help screens -------------------------------------------------------------------------------


def usage_line(command: Cmd, ctx: Context) -> str:
    """``用法：qingdan validate [选项] [路径…]``."""
    pieces = [ctx.command_path]
    arguments, options = _params(command, ctx)
    if options:
        pieces.append("[选项]")
    for param in arguments:
        name = label(command, param)
        pieces.append(name if param.required else f"[{name}]")
    if isinstance(command, TyperGroup):
        pieces.append("命令 [参数]…")
    return "用法：" + " ".join(pieces)


def render_help(command: Cmd, ctx: Context) -> str:
    """The whole help screen as plain text, wrapped (never cut) to the terminal's width."""
    width = min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH)
    lines = [*wrap(usage_line(command, ctx), width, indent="  ")]
    for paragraph in paragraphs(command.help or ""):
        lines.append("")
        lines.extend(line for part in paragraph.split("\n") for line in wrap(part, width))
    arguments, options = _params(command, ctx)
    lines += _section("参数", [_argument_row(command, p) for p in arguments], width)
    lines += _section("选项", [_option_row(command, p) for p in options], width)
    if isinstance(command, TyperGroup):
        commands = [c for c in command.commands.values() if not c.hidden]
        lines += _section("命令", [(c.name or "", _summary(c)) for c in commands], width)
    return "\n".join(lines) + "\n"


def _params(command: Cmd, ctx: Context) -> tuple[list[TyperArgument], list[TyperOption]]:
    """The arguments and options help shows: all but the hidden ones, the help option last."""
    shown = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [p for p in shown if isinstance(p, TyperArgument)]
    # not ``isinstance(TyperOption)``: with click 8.1 the help option is a plain click Option
    options = [cast("TyperOption", p) for p in shown if not isinstance(p, TyperArgument)]
    return arguments, options


def paragraphs(text: str) -> list[str]:
    """Help text as paragraphs; a line that ends mid-sentence is joined to the next one.

    Chinese needs no space where lines join; a line ending in 。：； keeps its line break, so
    ``退出码：…`` stays on a line of its own.
    """
    result = []
    for block in inspect.cleandoc(text).split("\n\n"):
        joined = ""
        for line in (raw.strip() for raw in block.splitlines()):
            if not joined or joined[-1] in _SENTENCE_END:
                joined += ("\n" if joined else "") + line
            else:
                both_chinese = _CJK.match(joined[-1]) or _CJK.match(line[:1])
                joined += ("" if both_chinese else " ") + line
        if joined:
            result.append(joined)
    return result


def _summary(command: Any) -> str:
    text = command.short_help or command.help or ""
    found = paragraphs(text)
    return found[0].replace("\n", "") if found else ""


def _argument_row(command: Cmd, param: TyperArgument) -> tuple[str, str]:
    name = label(command, param)
    return (name if param.required else f"[{name}]"), _param_help(command, param)


def _option_row(command: Cmd, param: TyperOption) -> tuple[str, str]:
    shown = label(command, param)
    if not any(len(opt) == 2 for opt in param.opts):  # ``-f``: a short name
        shown = "    " + shown
    placeholder = slot(command, param).placeholder if not param.is_flag else ""
    return f"{shown} {placeholder}".rstrip(), _param_help(command, param)


def _param_help(command: Cmd, param: Param) -> str:
    text = "".join(p.replace("\n", "") for p in paragraphs(param.help or ""))
    default = slot(command, param).default
    notes = ([f"[默认：{default}]"] if default is not None else []) + (
        ["[必填]"] if param.required else []
    )
    return " ".join([text, *notes]).strip()


def _section(title: str, rows: list[tuple[str, str]], width: int) -> list[str]:
    """A titled two-column list; a name wider than ``LABEL_WIDTH`` has its help on the next line."""
    if not rows:
        return []
    column = max([cells(left) for left, _ in rows if cells(left) <= LABEL_WIDTH] or [0]) + 4
    if width - column < MIN_HELP_WIDTH:  # a narrow terminal: every help below its name
        column = 8
    lines = ["", title]
    for left, right in rows:
        body = wrap(right, width - column) or [""]
        first = "  " + left
        if cells(first) + 2 > column:
            lines.append(first)
        else:
            lines.append((first + " " * (column - cells(first)) + body.pop(0)).rstrip())
        lines.extend(" " * column + line for line in body)
    return lines


# --- wrapping Chinese ---------------------------------------------------------------------------

_NO_BREAK_BEFORE = set("，。、；：？！）》」』】”’…%,.;:?!)]")
_NO_BREAK_AFTER = set("（《「『【“‘([")


def cells(text: str) -> int:
    """Terminal cells ``text`` takes: two for a wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between Chinese characters or at
    spaces; never inside a latin word (unless it alone is too wide), never before a closing or
    after an opening punctuation mark. Continuation lines start with ``indent``."""
    lines: list[str] = []
    line = ""
    for piece in _units(text):
        unit = piece
        if unit.isspace():
            line += " " if line.strip() and not line.endswith(" ") else ""
            continue
        if line.strip() and cells(line + unit) > width:
            lines.append(line.rstrip())
            line = indent
        while cells(line + unit) > width:  # one unit wider than a whole line: fold it
            cut = _fit(unit, width - cells(line))
            lines.append(line + unit[:cut])
            unit, line = unit[cut:], indent
        line += unit
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _units(text: str) -> Iterator[str]:
    """The pieces a line may break between: a latin word, a wide character, a run of spaces, a
    note such as ``[默认：text]``; punctuation is glued to the piece it belongs to."""
    tokens = re.findall(r"\[[^\]\s]+\]|\s+|[^\s\u1100-\uffef]+|[\u1100-\uffef]", text)
    unit = ""
    for token in tokens:
        glued = (
            unit
            and not (unit.isspace() or token.isspace())
            and (token[0] in _NO_BREAK_BEFORE or unit[-1] in _NO_BREAK_AFTER)
        )
        if unit and not glued:
            yield unit
            unit = ""
        unit += token
    if unit:
        yield unit


def _fit(text: str, room: int) -> int:
    used = 0
    for index, ch in enumerate(text):
        used += cells(ch)
        if used > room:
            return max(index, 1)
    return len(text)


# --- usage errors -------------------------------------------------------------------------------


def usage_error(exc: errors.UsageError, stream: TextIO | None = None) -> int:
    """Write ``错误：…`` (one line), the usage line and where to find help (to standard error
    unless told otherwise); return the exit code, 2."""
    stream = stream or sys.stderr
    stream.write(f"错误：{message(exc)}\n")
    ctx = exc.ctx
    if ctx is not None and isinstance(ctx.command, (TyperCommand, TyperGroup)):
        stream.write(usage_line(ctx.command, ctx) + "\n")
        names = ctx.help_option_names
        if names:
            stream.write(f"运行“{ctx.command_path} {max(names, key=len)}”查看帮助。\n")
    return 2


def message(exc: errors.UsageError) -> str:
    """One Chinese sentence for a usage error, from its class and attributes."""
    ctx = exc.ctx
    command = ctx.command if ctx is not None else None
    param = getattr(exc, "param", None)
    if isinstance(exc, errors.NoSuchOption):
        guesses = sorted(exc.possibilities or [])
        guess = f"您是不是要用 {'、'.join(guesses)}？" if guesses else ""
        return f"没有“{exc.option_name}”这个选项。{guess}"
    if isinstance(exc, errors.BadOptionUsage):
        if "does not take" in exc.message:
            return f"选项 {exc.option_name} 是开关，后面不能写值。"
        if "requires" in exc.message:
            return f"选项 {exc.option_name} 后面要写一个值。"
    if param is not None and isinstance(command, (TyperCommand, TyperGroup)):
        argument = isinstance(param, TyperArgument)
        what = "参数" if argument else "选项"
        name = label(command, param) if argument else max(param.opts, key=len)
        if isinstance(exc, errors.MissingParameter):
            help_text = _param_help(command, param).removesuffix("[必填]").strip()
            return f"缺少{what} {name}" + (f"：{help_text}" if help_text else "。")
        expects = exc.message if _CJK.search(exc.message) else slot(command, param).expects
        return f"{what} {name} 的值不对：{expects.rstrip('。')}。"
    return _plain(exc.message)


_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"unexpected extra arguments?(?:\(s\))? \((?P<args>.*)\)"), "多写了参数：{args}。"),
    (re.compile(r"Missing command"), "缺少命令：请在 qingdan 后面写上要运行的命令。"),
)
"""The English of the other usage errors the parser words itself, by what they say."""


def _plain(text: str) -> str:
    if _CJK.search(text):
        return text
    for pattern, chinese in _PLAIN:
        found = pattern.search(text)
        if found:
            return chinese.format(**found.groupdict())
    return f"命令行写得不对（{text}）。"


_NO_ARGS_IS_HELP: Any = getattr(errors, "NoArgsIsHelpError", ())
"""click ≥ 8.2 (and typer's copy) raise it for a bare ``qingdan``; click 8.1 prints help itself."""


def no_args_help(exc: errors.UsageError) -> str | None:
    """The help screen when ``exc`` only means "no arguments, so show help", else ``None``."""
    if isinstance(exc, _NO_ARGS_IS_HELP) and exc.ctx is not None:
        return str(exc.ctx.get_help())
    return None
