"""Reporters render a ``ValidationResult``; the ``--format`` choices come from this registry.

A reporter's module is imported when its format is used, not when the command starts: the
registry names them (rich, the finding explanations and SARIF's tables cost a tenth of a second
of every start-up otherwise)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, TextIO, cast

from qingdan.findings import ValidationResult

if TYPE_CHECKING:
    from qingdan.reporters.display import Display

Reporter = Callable[[ValidationResult, TextIO, "Display"], None]


class _Registry(Mapping[str, Reporter]):
    """Format name → its module's ``render``, imported on first use."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules

    def __getitem__(self, name: str) -> Reporter:
        module = importlib.import_module(f"qingdan.reporters.{self._modules[name]}")
        return cast(Reporter, module.render)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


REPORTERS: Mapping[str, Reporter] = _Registry(
    {
        "text": "text",
        "concise": "concise",
        "json": "json_report",
        "github": "github",
        "sarif": "sarif",
        "junit": "junit",
        "gitlab": "gitlab",
    }
)

REVIEW_FORMATS: tuple[str, ...] = (*REPORTERS, "markdown")
"""``check``'s formats (REVIEWERS in review.py, which is slow to import): every validation format
and the pull-request summary."""

LABELS = {
    "text": "给人看",
    "concise": "每条问题一行",
    "json": "给程序读",
    "github": "GitHub Actions 注释",
    "sarif": "GitHub 代码扫描",
    "junit": "测试报告",
    "gitlab": "GitLab 代码质量",
    "markdown": "合并请求摘要",
}
"""What each format is for, in the ``--format`` help."""


def format_help(names: tuple[str, ...]) -> str:
    return "输出格式：" + "、".join(f"{name}（{LABELS[name]}）" for name in names) + "。"
